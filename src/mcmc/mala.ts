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
 *
 * @module
 */
import { Stream, split, type Key } from '../core/random.js';
import { evaluate, checkPositions, type Target } from '../targets/target.js';
import { emptyInfo, type ChainState, type Kernel, type KernelParams, type StepInfo } from './kernel.js';
import { checkPositive } from '../core/errors.js';

/** The MALA kernel for `target`. */
export function mala(target: Target): Kernel {
  const d = target.dim;
  let buf: { y: Float32Array; ly: Float32Array; gy: Float32Array; info: StepInfo } | undefined;

  function init(position: Float32Array, n: number): ChainState {
    const x = Float32Array.from(position);
    const { logDensity, grad } = evaluate(target, x, n);
    checkPositions(target, x, n, logDensity);
    return { n, d, position: x, logDensity, grad };
  }

  function step(key: Key, state: ChainState, params: KernelParams): { state: ChainState; info: StepInfo } {
    const { stepSize: eps, inverseMass: C } = params;
    checkPositive('stepSize', eps);
    const { n, position: x, logDensity: lx } = state;
    const gx = state.grad!;
    if (!buf || buf.ly.length !== n) {
      buf = { y: new Float32Array(n * d), ly: new Float32Array(n), gy: new Float32Array(n * d), info: emptyInfo(n) };
    }
    const { y, ly, gy, info } = buf;
    const [kz, ku] = split(key);
    const noise = new Stream(kz);
    const s2e = Math.sqrt(2 * eps);
    for (let i = 0; i < n * d; i++) {
      const c = C ? C[i % d] : 1;
      y[i] = x[i] + eps * c * gx[i] + s2e * Math.sqrt(c) * noise.normal();
    }
    evaluate(target, y, n, { logDensity: ly, grad: gy });
    const u = new Stream(ku);
    for (let r = 0; r < n; r++) {
      if (ly[r] === -Infinity) {
        // outside the support: an ordinary rejection
        info.acceptProb[r] = 0;
        info.accepted[r] = 0;
        info.divergent[r] = 0;
        continue;
      }
      let fwd = 0;
      let bwd = 0;
      let finite = Number.isFinite(ly[r]);
      for (let j = r * d; j < (r + 1) * d; j++) {
        const c = C ? C[j % d] : 1;
        const a = y[j] - x[j] - eps * c * gx[j];
        const b = x[j] - y[j] - eps * c * gy[j];
        fwd += (a * a) / c;
        bwd += (b * b) / c;
        if (!Number.isFinite(gy[j])) finite = false;
      }
      const logAlpha = ly[r] - lx[r] + (fwd - bwd) / (4 * eps);
      const ok = finite && Number.isFinite(logAlpha);
      const acc = ok && Math.log(u.uniform()) < logAlpha;
      info.divergent[r] = ok ? 0 : 1;
      info.acceptProb[r] = ok ? Math.min(1, Math.exp(logAlpha)) : 0;
      info.accepted[r] = acc ? 1 : 0;
      if (acc) {
        lx[r] = ly[r];
        x.set(y.subarray(r * d, (r + 1) * d), r * d);
        gx.set(gy.subarray(r * d, (r + 1) * d), r * d);
      }
    }
    return { state, info };
  }

  return { name: 'mala', target, usesGradient: true, metropolized: true, init, step };
}
