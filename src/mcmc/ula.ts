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
import { Stream } from '../core/random.js';
import { evaluate, type Target } from '../targets/target.js';
import { acceptRow, makeKernel, metropolisDecision, proposalBuffers, rowFinite, type Kernel } from './kernel.js';
import { langevinProposal } from './langevin.js';

/** The ULA kernel for `target` (no step-size adaptation: its acceptance is always 1). */
export function ula(target: Target): Kernel {
  const d = target.dim;
  const buffers = proposalBuffers(d);

  return makeKernel({ name: 'ula', target, withGradient: true, metropolized: false }, (key, state, params) => {
    const { n } = state;
    const { y, ly, gy, info } = buffers(n);
    langevinProposal(new Stream(key), state.position, state.grad!, y, n, d, params.stepSize, params.inverseMass);
    evaluate(target, y, n, { logDensity: ly, grad: gy });
    // no correction: log α = 0, so every finite proposal is accepted (u is not used)
    for (let r = 0; r < n; r++) {
      if (metropolisDecision(info, r, 0, 1, Number.isFinite(ly[r]) && rowFinite(gy, r, d))) acceptRow(state, r, y, ly, gy);
    }
    return { state, info };
  });
}
