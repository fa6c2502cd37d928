/**
 * Metropolis-adjusted Langevin algorithm (Roberts & Tweedie, Bernoulli 1996), batched and
 * preconditioned by a diagonal C = M⁻¹:
 *
 *   y = x + ε C ∇log π(x) + √(2ε) C^{1/2} ξ,   ξ ~ N(0, I)
 *   log α = log π(y) − log π(x) + log q(x | y) − log q(y | x),
 *   log q(y | x) = −‖y − x − ε C ∇log π(x)‖²_{C⁻¹} / (4ε).
 *
 * Accept where log u < log α (u ~ U(0, 1)). A proposal with a non-finite density or gradient is
 * rejected and flagged `divergent`; one with log π(y) = −∞ (outside the support) is simply rejected.
 * The default target acceptance for step-size adaptation is 0.574, the asymptotically optimal
 * rate (Roberts & Rosenthal, "Optimal scaling of discrete approximations to Langevin diffusions",
 * JRSS B 1998).
 *
 * One step with key k draws the n·d normals from the four-lane bulk generator (normalLanes)
 * keyed by fold(k, 0) and the n uniforms from the stream of fold(k, 1); its arrays of n chains
 * are allocated once and reused.
 *
 * @module
 */
import { fold, Stream } from '../core/random.js';
import { evaluate, type Target } from '../targets/target.js';
import { acceptRow, makeKernel, metropolisDecision, proposalBuffers, type Kernel } from './kernel.js';
import { langevinLogRatios, langevinProposal } from './langevin.js';

/** The MALA kernel for `target`. */
export function mala(target: Target): Kernel {
  const d = target.dim;
  const buffers = proposalBuffers(d, (n) => ({ logQRatio: new Float32Array(n) }));

  return makeKernel({ name: 'mala', target, withGradient: true, metropolized: true, targetAcceptance: 0.574 }, (key, state, params) => {
    const { stepSize: eps, inverseMass: C } = params;
    const { n, position: x, logDensity: lx } = state;
    const gx = state.grad!;
    const { y, ly, gy, info, logQRatio } = buffers(n);
    langevinProposal(fold(key, 0), x, gx, y, n, d, eps, C);
    evaluate(target, y, n, { logDensity: ly, grad: gy });
    langevinLogRatios(x, gx, y, gy, n, d, eps, C, logQRatio);
    const s = new Stream(fold(key, 1));
    for (let r = 0; r < n; r++) {
      const u = s.uniform();
      if (ly[r] === -Infinity) {
        // outside the support: an ordinary rejection
        info.acceptProb[r] = 0;
        info.accepted[r] = 0;
        info.divergent[r] = 0;
        continue;
      }
      // A non-finite log π(y) or ∇log π(y) makes log α non-finite (the sum cannot cancel an
      // infinity), so one finiteness check of log α flags every divergent proposal.
      const logAlpha = ly[r] - lx[r] + logQRatio[r];
      if (metropolisDecision(info, r, logAlpha, u, Number.isFinite(logAlpha))) acceptRow(state, r, y, ly, gy);
    }
    return { state, info };
  });
}
