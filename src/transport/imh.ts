/**
 * Flow independent Metropolis–Hastings: the flow q is an independent proposal y ~ q for every
 * chain, accepted with probability
 *
 *   α = min(1, [π(y) q(x)] / [π(x) q(y)])
 *
 * (Tierney 1994; with a trained normalizing flow as the proposal: Albergo, Kanwar & Shanahan,
 * Phys. Rev. D 2019; Gabrié, Rotskoff & Vanden-Eijnden, PNAS 2022). log q(x) of the current
 * positions is recomputed every step, so the flow may be trained between steps (adaptive
 * local–global sampling). The step size of `params` is not used (run it with `adapt: false`).
 *
 * @module
 */
import { Stream } from '../core/random.js';
import type { Flow } from '../flows/flow.js';
import { acceptRow, emptyInfo, metropolisDecision, rowFinite, type Kernel, type StepInfo } from '../mcmc/kernel.js';
import type { Target } from '../targets/target.js';
import { flowKernel, logWeight, type GlobalKernelOptions } from './proposals.js';

/** The flow independent Metropolis–Hastings kernel for `target` with proposal `flow`. */
export function flowIMH(target: Target, flow: Flow, opts: GlobalKernelOptions = {}): Kernel {
  const d = target.dim;
  let info: StepInfo | undefined;
  return flowKernel('flowIMH', target, flow, opts, 1, (ku, state, p, qx) => {
    const { n } = state;
    const out = info?.accepted.length === n ? info : (info = emptyInfo(n));
    const u = new Stream(ku);
    for (let r = 0; r < n; r++) {
      const logAlpha = logWeight(p.logP[r], p.logQ[r]) - (state.logDensity[r] - qx[r]);
      const ok = !Number.isNaN(logAlpha) && rowFinite(p.y, r, d) && (p.grad === null || p.logP[r] === -Infinity || rowFinite(p.grad, r, d));
      // u is drawn only for a valid proposal
      if (metropolisDecision(out, r, logAlpha, ok ? u.uniform() : 1, ok)) acceptRow(state, r, p.y, p.logP, p.grad ?? p.y); // p.grad is null only when the state keeps no gradient (then unused)
    }
    return out;
  });
}
