/**
 * The interpolant families of Albergo, Boffi & Vanden-Eijnden, "Stochastic interpolants: a
 * unifying framework for flows and diffusions" (2023), Tables 4 and 7, each a handful of
 * coefficients (derivatives by hand; the law tests check them against autodiff).
 *
 * @module
 */
import { ArgumentError, checkPositive } from '../core/errors.js';
import { defineInterpolant, type Coefficient, type Interpolant } from './interpolant.js';

/** Options of the two-sided families: `gamma = a > 0` adds the noise γ_t = √(a t (1 − t)). */
export interface NoiseOptions {
  gamma?: number;
}

/** γ_t = √(a t(1−t)) and γ̇_t = a(1 − 2t) / (2γ_t) (infinite at t = 0, 1, where γ vanishes). */
function sqrtNoise(a: number): { gamma: Coefficient; dGamma: Coefficient } {
  checkPositive('gamma', a);
  const gamma: Coefficient = (A, t) => A.sqrt(A.mul(a, A.mul(t, A.sub(1, t))));
  return { gamma, dGamma: (A, t) => A.div(A.mul(a / 2, A.sub(1, A.mul(2, t))), gamma(A, t)) };
}

function noiseOf(opts: NoiseOptions): { gamma?: Coefficient; dGamma?: Coefficient } {
  return opts.gamma === undefined ? {} : sqrtNoise(opts.gamma);
}

const oneMinusT: Coefficient = (A, t) => A.sub(1, t);
const identity: Coefficient = (_A, t) => t;
const minusOne: Coefficient = (A, t) => A.fill(t, -1);
const one: Coefficient = (A, t) => A.fill(t, 1);
const halfPi = Math.PI / 2;
const cosHalfPi: Coefficient = (A, t) => A.cos(A.mul(halfPi, t));
const sinHalfPi: Coefficient = (A, t) => A.sin(A.mul(halfPi, t));
const dCosHalfPi: Coefficient = (A, t) => A.mul(-halfPi, sinHalfPi(A, t));
const dSinHalfPi: Coefficient = (A, t) => A.mul(halfPi, cosHalfPi(A, t));

/**
 * The linear interpolant x_t = (1 − t) x_0 + t x_1 (+ γ_t z): rectified flow / flow matching
 * (Liu et al. 2022; Lipman et al. 2022; Albergo & Vanden-Eijnden 2022).
 */
export function linear(opts: NoiseOptions = {}): Interpolant {
  return defineInterpolant({
    name: opts.gamma === undefined ? 'linear' : `linear(γ=√(${opts.gamma}t(1−t)))`,
    kind: 'two-sided',
    alpha: oneMinusT,
    dAlpha: minusOne,
    beta: identity,
    dBeta: one,
    ...noiseOf(opts),
  });
}

/**
 * The trigonometric interpolant x_t = cos(πt/2) x_0 + sin(πt/2) x_1 (+ γ_t z), variance
 * preserving: α_t² + β_t² = 1 (Albergo & Vanden-Eijnden 2023).
 */
export function trigonometric(opts: NoiseOptions = {}): Interpolant {
  return defineInterpolant({
    name: opts.gamma === undefined ? 'trigonometric' : `trigonometric(γ=√(${opts.gamma}t(1−t)))`,
    kind: 'two-sided',
    alpha: cosHalfPi,
    dAlpha: dCosHalfPi,
    beta: sinHalfPi,
    dBeta: dSinHalfPi,
    ...noiseOf(opts),
  });
}

/**
 * The encoder–decoder interpolant: α_t = cos²(πt) 1[t < ½], β_t = cos²(πt) 1[t > ½],
 * γ_t = sin²(πt). It encodes x_0 into pure noise at t = ½ and decodes it into x_1 (unifying
 * framework, §3.4).
 */
export function encoderDecoder(): Interpolant {
  const cos2: Coefficient = (A, t) => {
    const c = A.cos(A.mul(Math.PI, t));
    return A.mul(c, c);
  };
  const dCos2: Coefficient = (A, t) => A.mul(-Math.PI, A.sin(A.mul(2 * Math.PI, t)));
  const before: Coefficient = (A, t) => A.step(A.sub(0.5, t));
  const after: Coefficient = (A, t) => A.step(A.sub(t, 0.5));
  return defineInterpolant({
    name: 'encoder-decoder',
    kind: 'two-sided',
    alpha: (A, t) => A.mul(cos2(A, t), before(A, t)),
    dAlpha: (A, t) => A.mul(dCos2(A, t), before(A, t)),
    beta: (A, t) => A.mul(cos2(A, t), after(A, t)),
    dBeta: (A, t) => A.mul(dCos2(A, t), after(A, t)),
    gamma: (A, t) => {
      const s = A.sin(A.mul(Math.PI, t));
      return A.mul(s, s);
    },
    dGamma: (A, t) => A.mul(Math.PI, A.sin(A.mul(2 * Math.PI, t))),
  });
}

/** The schedules of {@link oneSided}. */
export type OneSidedSchedule = 'linear' | 'trigonometric' | 'vp';

/**
 * One-sided interpolants x_t = α_t x_0 + β_t x_1 with a Gaussian base x_0 ~ N(0, I) (unifying
 * framework, §4, Table 7):
 * - `linear`: α = 1 − t, β = t (flow matching from noise, Lipman et al. 2022);
 * - `trigonometric`: α = cos(πt/2), β = sin(πt/2);
 * - `vp`: α = √(1 − t²), β = t — score-based diffusion with the variance-preserving (OU) SDE
 *   dY_τ = −Y_τ dτ + √2 dW_τ started at data (Song et al., ICLR 2021), read in the time
 *   t = e^{−τ}: Y_τ = e^{−τ} x_1 + √(1 − e^{−2τ}) z has the law of x_t.
 */
export function oneSided(schedule: OneSidedSchedule = 'linear'): Interpolant {
  const name = `one-sided ${schedule}`;
  switch (schedule) {
    case 'linear':
      return defineInterpolant({ name, kind: 'one-sided', alpha: oneMinusT, dAlpha: minusOne, beta: identity, dBeta: one });
    case 'trigonometric':
      return defineInterpolant({ name, kind: 'one-sided', alpha: cosHalfPi, dAlpha: dCosHalfPi, beta: sinHalfPi, dBeta: dSinHalfPi });
    case 'vp': {
      const alpha: Coefficient = (A, t) => A.sqrt(A.sub(1, A.mul(t, t)));
      return defineInterpolant({ name, kind: 'one-sided', alpha, dAlpha: (A, t) => A.div(A.mul(-1, t), alpha(A, t)), beta: identity, dBeta: one });
    }
    default:
      throw new ArgumentError('schedule', "'linear', 'trigonometric' or 'vp'", schedule);
  }
}

/**
 * The mirror interpolant x_t = x_1 + γ_t z with γ_t = √(a t (1 − t)): a stochastic path from
 * ρ_1 to itself, whose score gives a denoiser of the data (unifying framework, §3.4).
 */
export function mirror(opts: { gamma?: number } = {}): Interpolant {
  const a = opts.gamma ?? 1;
  return defineInterpolant({
    name: `mirror(γ=√(${a}t(1−t)))`,
    kind: 'mirror',
    alpha: (A, t) => A.fill(t, 0),
    dAlpha: (A, t) => A.fill(t, 0),
    beta: one,
    dBeta: (A, t) => A.fill(t, 0),
    ...sqrtNoise(a),
  });
}
