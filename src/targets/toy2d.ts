/**
 * Two-dimensional toy data sets for generative models (flow matching, diffusion, flows), as
 * samplers that are deterministic functions of a key, and as targets where the density has a
 * closed form (the checkerboard). Every sampler returns n points as a row-major [n, 2]
 * Float32Array.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { checkNonNegativeInt, checkPositive, checkPositiveInt } from '../core/errors.js';
import { bernoulli, normal, randint, split, uniform, type Key } from '../core/random.js';
import { fusedPaths } from './fused.js';
import type { Target } from './target.js';

/**
 * The checkerboard of the flow-matching benchmarks (W1 in the project's WORKLOADS.md, after
 * Grathwohl et al., FFJORD, ICLR 2019): a ~ U(−2, 2), c ~ Bernoulli(½),
 * b = U(0, 1) − 2c + (⌊a⌋ mod 2) with the floor modulo in {0, 1}, and x = 2 (a, b): uniform on
 * the 8 squares of a 4 × 4 board on [−4, 4]² whose ⌊x_1/2⌋ + ⌊x_2/2⌋ is even.
 */
export function sampleCheckerboard(key: Key, n: number): Float32Array {
  checkNonNegativeInt('n', n);
  const [ka, kc, kb] = split(key, 3);
  const a = uniform(ka, n, -2, 2);
  const c = bernoulli(kc, n);
  const u = uniform(kb, n);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const m = ((Math.floor(a[i]) % 2) + 2) % 2;
    out[2 * i] = 2 * a[i];
    out[2 * i + 1] = 2 * (u[i] - 2 * c[i] + m);
  }
  return out;
}

/**
 * The checkerboard as a target: π(x) = 1 on the 8 black squares (see
 * {@link sampleCheckerboard}), 0 elsewhere (log π = −∞), so log Z = log 32 (8 squares of area
 * 4). Its gradient is 0 wherever it is finite: sample it with random-walk proposals.
 */
export function checkerboard(): Target {
  const inside = (x1: number, x2: number): boolean => {
    const a = Math.floor(x1 / 2);
    const b = Math.floor(x2 / 2);
    return a >= -2 && a < 2 && b >= -2 && b < 2 && (a + b) % 2 === 0;
  };
  return {
    name: 'checkerboard',
    dim: 2,
    logZ: Math.log(32),
    // piecewise constant: the gradient is 0 wherever log π is finite (comparisons have no autodiff rule)
    logDensity: tf.customGrad((...args) => {
      const x = args[0] as tf.Tensor2D;
      const value = tf.tidy(() => {
        const cells = tf.floor(tf.div(x, 2));
        const inBoard = tf.all(tf.logicalAnd(tf.greaterEqual(cells, -2), tf.less(cells, 2)), 1);
        const even = tf.equal(tf.mod(tf.sum(cells, 1), 2), 0);
        return tf.where(tf.logicalAnd(inBoard, even), tf.zeros([x.shape[0]]), tf.fill([x.shape[0]], -Infinity));
      });
      return { value, gradFunc: () => tf.zerosLike(x) };
    }) as unknown as (x: tf.Tensor2D) => tf.Tensor1D,
    ...fusedPaths(2, (x, o, grad) => {
      if (grad) grad[o] = grad[o + 1] = 0;
      return inside(x[o], x[o + 1]) ? 0 : -Infinity;
    }),
    sample: sampleCheckerboard,
  };
}

/** Options of {@link sampleTwoMoons}. */
export interface TwoMoonsOptions {
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0.1). */
  noise?: number;
}

/**
 * Two interleaving half circles (scikit-learn's `make_moons`, with angles drawn uniformly):
 * t ~ U(0, π); with probability ½ the point is (cos t, sin t), else (1 − cos t, ½ − sin t);
 * plus N(0, noise² I).
 */
export function sampleTwoMoons(key: Key, n: number, opts: TwoMoonsOptions = {}): Float32Array {
  checkNonNegativeInt('n', n);
  const noise = opts.noise ?? 0.1;
  checkPositive('noise', noise);
  const [kt, km, kz] = split(key, 3);
  const t = uniform(kt, n, 0, Math.PI);
  const moon = bernoulli(km, n);
  const out = normal(kz, 2 * n);
  for (let i = 0; i < n; i++) {
    const c = Math.cos(t[i]);
    const s = Math.sin(t[i]);
    out[2 * i] = noise * out[2 * i] + (moon[i] ? 1 - c : c);
    out[2 * i + 1] = noise * out[2 * i + 1] + (moon[i] ? 0.5 - s : s);
  }
  return out;
}

/** Options of {@link sampleEightGaussians} and {@link eightGaussiansMeans}. */
export interface EightGaussiansOptions {
  /** Distance of the centres from the origin (default 2√2, as in FFJORD's `8gaussians`). */
  radius?: number;
  /** Standard deviation of each component (default 1/(2√2)). */
  std?: number;
}

/** The 8 centres radius · (cos kπ/4, sin kπ/4), k = 0 … 7. */
export function eightGaussiansMeans(opts: EightGaussiansOptions = {}): number[][] {
  const r = opts.radius ?? 2 * Math.SQRT2;
  checkPositive('radius', r);
  return Array.from({ length: 8 }, (_, k) => [r * Math.cos((k * Math.PI) / 4), r * Math.sin((k * Math.PI) / 4)]);
}

/**
 * Eight Gaussians on a circle (Grathwohl et al., FFJORD, ICLR 2019): an equally weighted
 * mixture of N(c_k, std² I) over the centres of {@link eightGaussiansMeans}.
 */
export function sampleEightGaussians(key: Key, n: number, opts: EightGaussiansOptions = {}): Float32Array {
  checkNonNegativeInt('n', n);
  const std = opts.std ?? 1 / (2 * Math.SQRT2);
  checkPositive('std', std);
  const means = eightGaussiansMeans(opts);
  const [kk, kz] = split(key);
  const comp = randint(kk, n, 0, 8);
  const out = normal(kz, 2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = means[comp[i]][0] + std * out[2 * i];
    out[2 * i + 1] = means[comp[i]][1] + std * out[2 * i + 1];
  }
  return out;
}

/** Options of {@link sampleRings}. */
export interface RingsOptions {
  /** Number of concentric rings (default 4). */
  rings?: number;
  /** Radius of the outermost ring; ring k has radius · k / rings (default 3). */
  radius?: number;
  /** Standard deviation of the Gaussian noise per coordinate (default 0.08). */
  noise?: number;
}

/**
 * Concentric rings (FFJORD's `rings`): a ring k ∈ {1, …, K} uniformly, an angle θ ~ U(0, 2π),
 * the point (radius · k/K)(cos θ, sin θ) plus N(0, noise² I).
 */
export function sampleRings(key: Key, n: number, opts: RingsOptions = {}): Float32Array {
  checkNonNegativeInt('n', n);
  const K = opts.rings ?? 4;
  const radius = opts.radius ?? 3;
  const noise = opts.noise ?? 0.08;
  checkPositiveInt('rings', K);
  checkPositive('radius', radius);
  checkPositive('noise', noise);
  const [kk, kt, kz] = split(key, 3);
  const ring = randint(kk, n, 1, K + 1);
  const theta = uniform(kt, n, 0, 2 * Math.PI);
  const out = normal(kz, 2 * n);
  for (let i = 0; i < n; i++) {
    const r = (radius * ring[i]) / K;
    out[2 * i] = r * Math.cos(theta[i]) + noise * out[2 * i];
    out[2 * i + 1] = r * Math.sin(theta[i]) + noise * out[2 * i + 1];
  }
  return out;
}
