/**
 * Euler–Maruyama for the generative SDEs of stochastic interpolants (Albergo, Boffi &
 * Vanden-Eijnden 2023, Theorem 2.8): for any ε ≥ 0 the forward SDE
 *
 *   dX_t = b_F(t, X_t) dt + √(2ε) dW_t,   b_F = b + ε s,
 *
 * has the same marginals ρ_t as the probability-flow ODE dX/dt = b (ε = 0), also for a
 * time-dependent ε(t) ≥ 0. The noise corrects errors of a learned drift:
 * KL(ρ_1 ‖ ρ̂_1) ≤ (1/4ε) ∫∫ |b̂_F − b_F|² ρ dx dt. A schedule such as ε(t) = ε₀ σ_t keeps ε s
 * bounded where the score is singular (σ_t → 0 at the data end).
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import { LoopMonitor, type LoopOptions } from '../core/loop.js';
import { fold, normal, type Key } from '../core/random.js';
import { checkBatch, checkNonNegative } from './checks.js';
import type { Field } from './ode.js';

/** A diffusion coefficient: a constant ε ≥ 0 or a schedule t ↦ ε(t) ≥ 0. */
export type Diffusion = number | ((t: number) => number);

/** ε(t), checked to be a finite number ≥ 0. */
function diffusionAt(eps: Diffusion, t: number): number {
  const e = typeof eps === 'function' ? eps(t) : eps;
  checkNonNegative(typeof eps === 'function' ? `eps(${t})` : 'eps', e);
  return e;
}

function checkDiffusion(eps: Diffusion): void {
  if (typeof eps !== 'function') checkNonNegative('eps', eps);
}

/** b_F(t, x) = b(t, x) + ε(t) s(t, x): the forward drift from a velocity b and a score s. */
export function forwardDrift(b: Field, s: Field, eps: Diffusion): Field {
  checkDiffusion(eps);
  return (t, x) =>
    tf.tidy(() => {
      const e = diffusionAt(eps, t);
      return e === 0 ? b(t, x) : (tf.add(b(t, x), tf.mul(s(t, x), e)) as tf.Tensor2D);
    });
}

/** Options of {@link solveSde}. */
export interface SdeOptions extends LoopOptions {
  /** The diffusion ε ≥ 0 (or ε(t)) of dX = drift dt + √(2ε) dW (0 gives the Euler ODE method). */
  eps: Diffusion;
  /** Start and end times (default 0 and 1; t1 < t0 runs backwards in time with |dt|). */
  t0?: number;
  t1?: number;
  /** Number of equal steps (default 100). */
  steps?: number;
  /** The phase name reported to observers (default `'sde'`). */
  phase?: string;
}

/**
 * Euler–Maruyama: X_{k+1} = X_k + drift(t_k, X_k) h + √(2ε(t_k)|h|) ξ_k, ξ_k ~ N(0, I) drawn from
 * `fold(key, k)`. `drift` is the full drift (e.g. {@link forwardDrift}). x0 is not consumed;
 * the result is owned by the caller. Reports `t` and the samples after every step.
 */
export async function solveSde(key: Key, drift: Field, x0: tf.Tensor2D, opts: SdeOptions): Promise<{ x: tf.Tensor2D; t: number; steps: number }> {
  const { eps, t0 = 0, t1 = 1, steps = 100 } = opts;
  checkBatch('x0', x0);
  checkDiffusion(eps);
  checkPositiveInt('steps', steps);
  if (!Number.isFinite(t0)) throw new ArgumentError('t0', 'a finite number', t0);
  if (!Number.isFinite(t1) || t1 === t0) throw new ArgumentError('t1', `a finite number ≠ t0 = ${t0}`, t1);
  const [n, d] = x0.shape;
  const h = (t1 - t0) / steps;
  const noise = new Float32Array(n * d);
  const monitor = new LoopMonitor(opts.phase ?? 'sde', steps, opts);
  let x = tf.clone(x0);
  let t = t0;
  let k = 0;
  try {
    while (k < steps) {
      const sigma = Math.sqrt(2 * diffusionAt(eps, t) * Math.abs(h));
      if (sigma > 0) normal(fold(key, k), n * d, noise);
      const xOld = x;
      x = tf.tidy(() => {
        const next = tf.add(xOld, tf.mul(drift(t, xOld), h));
        return sigma > 0 ? tf.add(next, tf.mul(tf.tensor2d(noise, [n, d]), sigma)) : next;
      }) as tf.Tensor2D;
      xOld.dispose();
      k++;
      t = k === steps ? t1 : t0 + k * h;
      if (await monitor.tick({ step: k, metrics: { t }, t, samples: { data: x.dataSync() as Float32Array, n, d } })) break;
    }
  } catch (e) {
    x.dispose();
    throw e;
  } finally {
    monitor.end();
  }
  return { x, t, steps: k };
}
