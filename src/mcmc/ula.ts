/**
 * The unadjusted Langevin algorithm: the Langevin proposal
 *
 *   y = x + ε C ∇log π(x) + √(2ε) C^{1/2} ξ,   ξ ~ N(0, I),
 *
 * accepted always, without a Metropolis–Hastings correction (Roberts & Tweedie, Bernoulli 1996;
 * Durmus & Moulines, "Nonasymptotic convergence analysis for the unadjusted Langevin algorithm",
 * Ann. Appl. Probab. 2017). Its stationary law is biased by O(ε): for π = N(0, σ²) it is
 * N(0, σ² / (1 − ε / (2σ²))). A proposal with a non-finite density or gradient (including
 * log π(y) = −∞) is flagged `divergent` and the chain keeps its old state there.
 *
 * @module
 */
import { Stream, type Key } from '../core/random.js';
import { evaluate, type Target } from '../targets/target.js';
import { acceptRow, checkParams, initState, proposalBuffers, rowFinite, type ChainState, type Kernel, type KernelParams, type ProposalBuffers, type StepInfo } from './kernel.js';
import { langevinProposal } from './langevin.js';

/** The ULA kernel for `target` (no step-size adaptation: its acceptance is always 1). */
export function ula(target: Target): Kernel {
  const d = target.dim;
  let buf: ProposalBuffers | undefined;

  function step(key: Key, state: ChainState, params: KernelParams): { state: ChainState; info: StepInfo } {
    checkParams(params, d);
    const { n } = state;
    buf = proposalBuffers(buf, n, d);
    const { y, ly, gy, info } = buf;
    langevinProposal(new Stream(key), state.position, state.grad!, y, n, d, params.stepSize, params.inverseMass);
    evaluate(target, y, n, { logDensity: ly, grad: gy });
    for (let r = 0; r < n; r++) {
      const ok = Number.isFinite(ly[r]) && rowFinite(gy, r, d);
      info.divergent[r] = ok ? 0 : 1;
      info.acceptProb[r] = ok ? 1 : 0;
      info.accepted[r] = ok ? 1 : 0;
      if (ok) acceptRow(state, r, y, ly, gy);
    }
    return { state, info };
  }

  return {
    name: 'ula',
    target,
    usesGradient: true,
    metropolized: false,
    init: (position, n, argument) => initState(target, position, n, true, argument),
    step,
  };
}
