/**
 * Stochastic interpolants: an interpolant is its coefficients.
 *
 *   x_t = α_t x_0 + β_t x_1 + γ_t z,   z ~ N(0, I) independent of (x_0, x_1),   t ∈ [0, 1],
 *
 * with α_0 = β_1 = 1, α_1 = β_0 = 0, γ_0 = γ_1 = 0 (Albergo & Vanden-Eijnden, "Building
 * normalizing flows with stochastic interpolants", ICLR 2023; Albergo, Boffi & Vanden-Eijnden,
 * "Stochastic interpolants: a unifying framework for flows and diffusions", 2023). The law ρ_t
 * of x_t solves the transport equation ∂_t ρ + ∇·(b ρ) = 0 with the velocity
 * b(t, x) = E[ẋ_t | x_t = x], ẋ_t = α̇_t x_0 + β̇_t x_1 + γ̇_t z, and, where ρ_t has a Gaussian
 * part, the score s(t, x) = ∇ log ρ_t(x) = −E[z | x_t = x] / γ_t.
 *
 * Three kinds share the formula:
 * - `two-sided`: x_0 ~ ρ_0 and x_1 ~ ρ_1 arbitrary (any coupling);
 * - `one-sided`: x_0 ~ N(0, I) is the Gaussian base and γ ≡ 0 (score-based diffusion and
 *   flow matching from noise), the score is s = −E[x_0 | x_t = x] / α_t;
 * - `mirror`: x_t = x_1 + γ_t z (α ≡ 0, β ≡ 1), a path from ρ_1 to itself.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError } from '../core/errors.js';
import { type Arith, numbers, tensors } from './arith.js';
import { checkBatch, checkTime } from './checks.js';

/** One coefficient written once against {@link Arith}, so it runs on numbers and on tensors. */
export type Coefficient = <T>(A: Arith<T>, t: T) => T;

/** A coefficient as users call it: on a number, or elementwise on a tensor of times (e.g. [n, 1]). */
export interface CoefficientFn {
  (t: number): number;
  (t: tf.Tensor): tf.Tensor;
}

/** The kinds of interpolant (see the module documentation). */
export type InterpolantKind = 'two-sided' | 'one-sided' | 'mirror';

/** What {@link defineInterpolant} needs: the coefficients and their time derivatives. */
export interface InterpolantSpec {
  name: string;
  kind: InterpolantKind;
  alpha: Coefficient;
  dAlpha: Coefficient;
  beta: Coefficient;
  dBeta: Coefficient;
  /** The noise coefficient; omitted means γ ≡ 0 (a deterministic interpolant). */
  gamma?: Coefficient;
  dGamma?: Coefficient;
}

/** A time: a number in [0, 1] shared by the batch, or a tensor [n, 1] of per-row times. */
export type Time = number | tf.Tensor2D;

/** An interpolant x_t = α_t x_0 + β_t x_1 + γ_t z with its regression targets. */
export interface Interpolant {
  readonly name: string;
  readonly kind: InterpolantKind;
  /** Whether γ is not identically 0 (then `z` is required by `sample` and the targets). */
  readonly stochastic: boolean;
  readonly alpha: CoefficientFn;
  readonly beta: CoefficientFn;
  readonly gamma: CoefficientFn;
  readonly dAlpha: CoefficientFn;
  readonly dBeta: CoefficientFn;
  readonly dGamma: CoefficientFn;
  /**
   * The scale σ_t of the Gaussian part that the denoiser recovers: γ_t for a stochastic
   * interpolant, α_t for a one-sided one (x_0 is the Gaussian), so that s = −E[η | x_t] / σ_t.
   */
  readonly noiseScale: CoefficientFn;
  /** x_t = α_t x_0 + β_t x_1 + γ_t z, each of x0, x1, z of shape [n, d]. */
  sample(x0: tf.Tensor2D, x1: tf.Tensor2D, t: Time, z?: tf.Tensor2D): tf.Tensor2D;
  /** The velocity target ẋ_t = ∂_t x_t = α̇_t x_0 + β̇_t x_1 + γ̇_t z (flow matching). */
  velocityTarget(x0: tf.Tensor2D, x1: tf.Tensor2D, t: Time, z?: tf.Tensor2D): tf.Tensor2D;
  /** The denoiser target η: z for a stochastic interpolant, x_0 for a one-sided one. */
  noiseTarget(x0: tf.Tensor2D, x1: tf.Tensor2D, t: Time, z?: tf.Tensor2D): tf.Tensor2D;
  /** The score target −η / σ_t (−z/γ_t, or −x_0/α_t one-sided): E[target | x_t = x] = ∇ log ρ_t(x). */
  scoreTarget(x0: tf.Tensor2D, x1: tf.Tensor2D, t: Time, z?: tf.Tensor2D): tf.Tensor2D;
}

function coefficientFn(c: Coefficient): CoefficientFn {
  // a coefficient may return t itself (β_t = t): the caller owns the result, so hand out a copy
  const onTensor = (t: tf.Tensor) => tf.tidy(() => {
    const v = c(tensors, t);
    return v === t ? tf.clone(t) : v;
  });
  return ((t: number | tf.Tensor) => (typeof t === 'number' ? c(numbers, t) : onTensor(t))) as CoefficientFn;
}

const zero: Coefficient = (A, t) => A.fill(t, 0);

/**
 * An interpolant from its coefficients. Every method validates its inputs (shapes, t ∈ [0, 1])
 * and owns its tensors.
 *
 * @example
 * // x_t = (1 − t) x0 + t x1 + sqrt(t(1 − t)) z
 * const I = linear({ gamma: 1 });
 * const xt = I.sample(x0, x1, t, z);
 */
export function defineInterpolant(spec: InterpolantSpec): Interpolant {
  const { name, kind } = spec;
  if (!['two-sided', 'one-sided', 'mirror'].includes(kind)) throw new ArgumentError('kind', "'two-sided', 'one-sided' or 'mirror'", kind);
  for (const c of ['alpha', 'dAlpha', 'beta', 'dBeta'] as const) {
    if (typeof spec[c] !== 'function') throw new ArgumentError(c, 'a coefficient function (A, t) => value', spec[c]);
  }
  const stochastic = spec.gamma !== undefined;
  if (stochastic !== (spec.dGamma !== undefined)) throw new ArgumentError('dGamma', 'given exactly when gamma is given');
  if (kind === 'one-sided' && stochastic) throw new ArgumentError('gamma', 'omitted for a one-sided interpolant (x0 is the noise)');
  if (kind === 'mirror' && !stochastic) throw new ArgumentError('gamma', 'a noise coefficient for a mirror interpolant');
  const gamma = spec.gamma ?? zero;
  const dGamma = spec.dGamma ?? zero;
  const noise = kind === 'one-sided' ? spec.alpha : gamma;

  /** c0 x0 + c1 x1 + c2 z for coefficients evaluated at t, after validating the inputs. */
  function combine(c0: Coefficient, c1: Coefficient, c2: Coefficient, x0: tf.Tensor2D, x1: tf.Tensor2D, t: Time, z?: tf.Tensor2D): tf.Tensor2D {
    checkBatch('x1', x1);
    const [n, d] = x1.shape;
    checkBatch('x0', x0, n, d);
    if (stochastic || z !== undefined) checkBatch('z', z, n, d);
    checkTime('t', t, n);
    return tf.tidy(() => {
      const at = (c: Coefficient) => (typeof t === 'number' ? c(numbers, t) : c(tensors, t));
      let out = tf.add(tf.mul(x0, at(c0)), tf.mul(x1, at(c1)));
      if (stochastic) out = tf.add(out, tf.mul(z!, at(c2)));
      return out as tf.Tensor2D;
    });
  }

  function noiseTarget(x0: tf.Tensor2D, x1: tf.Tensor2D, t: Time, z?: tf.Tensor2D): tf.Tensor2D {
    if (!stochastic && kind !== 'one-sided') {
      throw new ArgumentError('interpolant', `a stochastic or one-sided interpolant for a score or denoiser target (${name} has γ ≡ 0)`);
    }
    const oneSided = kind === 'one-sided';
    return combine(oneSided ? (A, s) => A.fill(s, 1) : zero, zero, oneSided ? zero : (A, s) => A.fill(s, 1), x0, x1, t, z);
  }

  return {
    name,
    kind,
    stochastic,
    alpha: coefficientFn(spec.alpha),
    beta: coefficientFn(spec.beta),
    gamma: coefficientFn(gamma),
    dAlpha: coefficientFn(spec.dAlpha),
    dBeta: coefficientFn(spec.dBeta),
    dGamma: coefficientFn(dGamma),
    noiseScale: coefficientFn(noise),
    sample: (x0, x1, t, z) => combine(spec.alpha, spec.beta, gamma, x0, x1, t, z),
    velocityTarget: (x0, x1, t, z) => combine(spec.dAlpha, spec.dBeta, dGamma, x0, x1, t, z),
    noiseTarget,
    scoreTarget: (x0, x1, t, z) =>
      tf.tidy(() => {
        const sigma = typeof t === 'number' ? noise(numbers, t) : noise(tensors, t);
        return tf.neg(tf.div(noiseTarget(x0, x1, t, z), sigma)) as tf.Tensor2D;
      }),
  };
}
