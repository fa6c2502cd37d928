/**
 * Random-walk Metropolis–Hastings (Metropolis et al. 1953; Hastings 1970), batched, with a
 * Gaussian proposal scaled by ε and a diagonal preconditioner C = M⁻¹:
 *
 *   y = x + ε C^{1/2} ξ,   ξ ~ N(0, I),    log α = log π(y) − log π(x)   (symmetric proposal).
 *
 * Accept where log u < log α. A proposal with log π(y) NaN or +∞ is rejected and flagged
 * `divergent`; log π(y) = −∞ (outside the support) is an ordinary rejection. The default target
 * acceptance for step-size adaptation is 0.234 (Roberts, Gelman & Gilks, "Weak convergence and
 * optimal scaling of random walk Metropolis algorithms", Ann. Appl. Probab. 1997).
 *
 * @module
 */
import { Stream } from '../core/random.js';
import { evaluateLogDensity, type Target } from '../targets/target.js';
import { acceptRow, makeKernel, metropolisDecision, proposalBuffers, type Kernel } from './kernel.js';

/** The random-walk Metropolis kernel for `target` (uses log π only, no gradient). */
export function rwmh(target: Target): Kernel {
  const d = target.dim;
  const buffers = proposalBuffers(d);

  return makeKernel({ name: 'rwmh', target, withGradient: false, metropolized: true, targetAcceptance: 0.234 }, (key, state, params) => {
    const { stepSize: eps, inverseMass: C } = params;
    const { n, position: x, logDensity: lx } = state;
    const { y, ly, gy, info } = buffers(n);
    const s = new Stream(key);
    for (let r = 0, i = 0; r < n; r++) {
      for (let j = 0; j < d; j++, i++) y[i] = x[i] + eps * (C ? Math.sqrt(C[j]) : 1) * s.normal();
    }
    evaluateLogDensity(target, y, n, ly);
    for (let r = 0; r < n; r++) {
      const u = s.uniform();
      const logAlpha = ly[r] - lx[r];
      if (metropolisDecision(info, r, logAlpha, u, ly[r] === -Infinity || Number.isFinite(logAlpha))) acceptRow(state, r, y, ly, gy);
    }
    return { state, info };
  });
}
