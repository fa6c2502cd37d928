/**
 * Hamiltonian Monte Carlo (Duane, Kennedy, Pendleton & Roweth 1987; Neal, "MCMC using
 * Hamiltonian dynamics", 2011), batched, with a diagonal inverse mass matrix C = M⁻¹ and L
 * leapfrog steps of size ε:
 *
 *   p ~ N(0, M),   H(x, p) = −log π(x) + ½ pᵀ C p,
 *   p ← p + ε/2 ∇log π(x);  L times { x ← x + ε C p;  p ← p + ε ∇log π(x) }, the last kick ε/2,
 *   log α = −ΔH = H(x, p) − H(x', p').
 *
 * With step-size jitter j > 0 (default 0.2), each chain draws its own ε' = ε (1 + j (2v − 1)),
 * v ~ U(0, 1), per transition: a mixture over ε' of reversible kernels that each leave π invariant
 * (Neal 2011, §5.4.2.2 "randomising the step size"). With a fixed L, the acceptance of leapfrog
 * HMC is not monotone in ε (on a Gaussian the energy error nearly vanishes whenever L steps
 * complete a near-whole number of half-turns of the discrete oscillator), which traps step-size
 * adaptation at resonances; jitter averages over a band of ε and smooths that curve.
 *
 * Accept where log u < log α. A trajectory whose energy error ΔH exceeds 1000 or is not finite
 * (NaN/±Inf density or gradient on the way) is rejected and flagged `divergent`, as in Stan.
 * The default target acceptance for step-size adaptation is 0.8 (Stan's default δ; Beskos et al.
 * 2013 give 0.651 as the asymptotic optimum).
 *
 * @module
 */
import { checkInRange } from '../core/errors.js';
import { Stream } from '../core/random.js';
import { evaluate, type Target } from '../targets/target.js';
import {
  DEFAULT_LEAPFROG_STEPS,
  acceptRow,
  makeKernel,
  metropolisDecision,
  proposalBuffers,
  type Kernel,
} from './kernel.js';

/** The energy error ΔH above which a trajectory counts as divergent (Stan's threshold). */
export const DIVERGENCE_THRESHOLD = 1000;

/** The default relative step-size jitter j of {@link hmc}: ε' uniform in [0.8 ε, 1.2 ε]. */
export const DEFAULT_STEP_SIZE_JITTER = 0.2;

/** Options of {@link hmc}. */
export interface HmcOptions {
  /** Relative step-size jitter j ∈ [0, 1): each chain's ε' is uniform in [(1 − j) ε, (1 + j) ε] (default 0.2; 0 for a fixed ε). */
  stepSizeJitter?: number;
}

/** The HMC kernel for `target`; L comes from `params.leapfrogSteps` (default 10). */
export function hmc(target: Target, opts: HmcOptions = {}): Kernel {
  const d = target.dim;
  const jitter = opts.stepSizeJitter ?? DEFAULT_STEP_SIZE_JITTER;
  checkInRange('stepSizeJitter', jitter, 0, 0.99);
  // momenta p [n, d], initial kinetic energies [n] and per-chain step sizes [n] besides the proposal
  const buffers = proposalBuffers(d, (n) => ({ p: new Float32Array(n * d), k0: new Float64Array(n), e: new Float64Array(n) }));

  return makeKernel({ name: 'hmc', target, withGradient: true, metropolized: true, targetAcceptance: 0.8 }, (key, state, params) => {
    const C = params.inverseMass;
    const L = params.leapfrogSteps ?? DEFAULT_LEAPFROG_STEPS;
    const { n, position: x, logDensity: lx } = state;
    const { y: q, ly: lq, gy: gq, p, k0, e, info } = buffers(n);
    const s = new Stream(key);
    // each chain's (jittered) step size, momentum p ~ N(0, C⁻¹), initial kinetic energy, and the first half kick
    for (let r = 0, i = 0; r < n; r++) {
      const eps = (e[r] = jitter > 0 ? params.stepSize * (1 + jitter * (2 * s.uniform() - 1)) : params.stepSize);
      let k = 0;
      for (let j = 0; j < d; j++, i++) {
        const c = C ? C[j] : 1;
        const pi = s.normal() / Math.sqrt(c);
        k += c * pi * pi;
        p[i] = pi + 0.5 * eps * state.grad![i];
      }
      k0[r] = 0.5 * k;
    }
    q.set(x);
    for (let l = 1; l <= L; l++) {
      for (let r = 0, i = 0; r < n; r++) for (let j = 0; j < d; j++, i++) q[i] += e[r] * (C ? C[j] : 1) * p[i];
      evaluate(target, q, n, { logDensity: lq, grad: gq });
      const half = l === L ? 0.5 : 1;
      for (let r = 0, i = 0; r < n; r++) {
        const kick = half * e[r];
        for (let j = 0; j < d; j++, i++) p[i] += kick * gq[i];
      }
    }
    for (let r = 0; r < n; r++) {
      const u = s.uniform();
      let k1 = 0;
      for (let j = 0, i = r * d; j < d; j++, i++) k1 += (C ? C[j] : 1) * p[i] * p[i];
      const dH = -lq[r] + 0.5 * k1 - (-lx[r] + k0[r]);
      if (metropolisDecision(info, r, -dH, u, Number.isFinite(dH) && dH <= DIVERGENCE_THRESHOLD)) acceptRow(state, r, q, lq, gq);
    }
    return { state, info };
  });
}
