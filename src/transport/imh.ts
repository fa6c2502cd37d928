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
import { acceptRow, emptyInfo, rowFinite, type Kernel, type StepInfo } from '../mcmc/kernel.js';
import type { Target } from '../targets/target.js';
import { flowKernel, logWeight, type GlobalKernelOptions } from './proposals.js';

/** The flow independent Metropolis–Hastings kernel for `target` with proposal `flow`. */
export function flowIMH(target: Target, flow: Flow, opts: GlobalKernelOptions = {}): Kernel {
  const d = target.dim;
  let info: StepInfo | undefined;
  return flowKernel('flowIMH', target, flow, opts, 1, (ku, state, p, qx) => {
    const { n } = state;
    if (info?.accepted.length !== n) info = emptyInfo(n);
    const u = new Stream(ku);
    for (let r = 0; r < n; r++) {
      const logAlpha = logWeight(p.logP[r], p.logQ[r]) - (state.logDensity[r] - qx[r]);
      const ok = !Number.isNaN(logAlpha) && rowFinite(p.y, r, d) && (p.grad === null || p.logP[r] === -Infinity || rowFinite(p.grad, r, d));
      const acc = ok && Math.log(u.uniform()) < logAlpha;
      info.divergent[r] = ok ? 0 : 1;
      info.acceptProb[r] = ok ? Math.min(1, Math.exp(logAlpha)) : 0;
      info.accepted[r] = acc ? 1 : 0;
      if (acc) acceptRow(state, r, p.y, p.logP, p.grad ?? p.y); // p.grad is null only when the state keeps no gradient (then unused)
    }
    return info;
  });
}
