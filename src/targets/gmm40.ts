/**
 * Isotropic Gaussian mixtures, and GMM-40, the 40-mode 2-D benchmark of FAB (Midgley et al.,
 * "Flow Annealed Importance Sampling Bootstrap", ICLR 2023) used again by iDEM and NETS
 * (Albergo & Vanden-Eijnden, "NETS: a non-equilibrium transport sampler", 2024).
 *
 * With weights w_k (normalised to sum 1), means μ_k ∈ R^d and standard deviation s,
 *
 *   log p(x) = logsumexp_k( log w_k − |x − μ_k|² / (2s²) ) − (d/2) log(2π s²),
 *   ∇ log p(x) = −Σ_k r_k (x − μ_k) / s² = (Σ_k r_k μ_k − x) / s²,
 *   r_k = softmax_k( log w_k − |x − μ_k|² / (2s²) ),
 *
 * a normalised density (log Z = 0).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { tf } from '../core/backend.js';
import { ArgumentError, checkNonNegativeInt, checkPositive } from '../core/errors.js';
import { Stream, type Key } from '../core/random.js';
import { fusedPaths, logWeightsOption } from './fused.js';
import type { Target } from './target.js';
import { Code, Constants, emitExp, EXP_CONSTANTS, instantiate, simdSupported, SIMD, V128, I32 } from './wasm-simd.js';

/**
 * Modes whose log-weight term lies more than this below the largest one are skipped by the
 * fused kernel: each contributes less than e^−32 ≈ 1.3e−14 relative to the largest, far below
 * float32 resolution (6e−8), so skipping them changes no float32 result.
 */
const SKIP_BELOW_MAX = 32;

/** Options of {@link gaussianMixture}. */
export interface GaussianMixtureOptions {
  /** The K means, each of length d. */
  means: number[][];
  /** The standard deviation s > 0 of every component, in every coordinate. */
  scale: number;
  /** Component weights (K non-negative numbers, not all 0); normalised to sum 1. Default equal. */
  weights?: number[];
}

/**
 * An isotropic Gaussian mixture Σ_k w_k N(μ_k, s² I) on R^d (normalised: log Z = 0), with a
 * TensorFlow.js log density (differentiable), a fused host log density and gradient (per point,
 * the log-sum-exp and the responsibilities together, skipping modes whose weight underflows
 * float32 relative to the largest; a WebAssembly SIMD kernel for d = 2, a float64 loop
 * otherwise), and an exact sampler.
 *
 * @throws ArgumentError for empty or ragged means, non-finite values, scale ≤ 0, or weights of
 *   the wrong length, negative, non-finite or all zero.
 */
export function gaussianMixture(opts: GaussianMixtureOptions): Target {
  const { means, scale } = opts ?? ({} as GaussianMixtureOptions);
  if (!Array.isArray(means) || means.length === 0) throw new ArgumentError('means', 'a non-empty array of means (number[][])', means);
  const K = means.length;
  const d = Array.isArray(means[0]) ? means[0].length : 0;
  if (d < 1) throw new ArgumentError('means[0]', 'an array of at least one number', means[0]);
  const mu = new Float64Array(K * d);
  means.forEach((m, k) => {
    if (!Array.isArray(m) || m.length !== d) throw new ArgumentError(`means[${k}]`, `an array of ${d} numbers (like means[0])`, m);
    m.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`means[${k}][${j}]`, 'a finite number', v);
      mu[k * d + j] = v;
    });
  });
  checkPositive('scale', scale);
  const logW = logWeightsOption('weights', opts.weights, K);

  const s2 = scale * scale;
  const half = 1 / (2 * s2);
  const norm = -(d / 2) * Math.log(2 * Math.PI * s2);
  const muF32 = Float32Array.from(mu);
  const logWF32 = Float32Array.from(logW);
  // log w_k − |x − μ_k|²/(2s²) = b_k(x) − |x|²/(2s²) with b_k(x) = (log w_k − |μ_k|²/(2s²)) + x · μ_k/s²
  // (float64: no cancellation at float32 accuracy); the |x|² term is common to all modes
  const bias = new Float64Array(K);
  const slope = new Float64Array(K * d);
  for (let k = 0; k < K; k++) {
    let q = 0;
    for (let j = 0; j < d; j++) {
      q += mu[k * d + j] ** 2;
      slope[k * d + j] = mu[k * d + j] / s2;
    }
    bias[k] = logW[k] - q * half;
  }
  const b = new Float64Array(K);
  const acc = new Float64Array(d);

  /** Fills b[k] = b_k(x) for the point at x[o .. o + d) and returns max_k b_k. */
  function logits(x: Float32Array, o: number): number {
    let m = -Infinity;
    for (let k = 0, ko = 0; k < K; k++, ko += d) {
      let v = bias[k];
      for (let j = 0; j < d; j++) v += x[o + j] * slope[ko + j];
      b[k] = v;
      if (v > m) m = v;
    }
    return m;
  }

  /**
   * log p of the point at x[o .. o + d) by log-sum-exp over the modes within SKIP_BELOW_MAX of
   * the largest logit; with `grad`, also ∇ log p = (Σ_k r_k μ_k − x)/s² (r_k the responsibilities).
   */
  function row(x: Float32Array, o: number, grad: Float32Array | null): number {
    const m = logits(x, o);
    const cut = m - SKIP_BELOW_MAX;
    let sum = 0;
    if (grad) acc.fill(0);
    for (let k = 0; k < K; k++) {
      if (b[k] < cut) continue;
      const e = Math.exp(b[k] - m);
      sum += e;
      if (grad) for (let j = 0, ko = k * d; j < d; j++) acc[j] += e * mu[ko + j];
    }
    let q = 0;
    for (let j = 0; j < d; j++) q += x[o + j] * x[o + j];
    if (grad) for (let j = 0; j < d; j++) grad[o + j] = (acc[j] / sum - x[o + j]) / s2;
    return m + Math.log(sum) - q * half + norm;
  }

  const simd = d === 2 && simdSupported ? mixture2dKernel(mu, logW, scale) : undefined;
  const fused = fusedPaths(d, row);
  const logDensityAndGrad: Target['logDensityAndGrad'] = simd ? (x, n, logp, grad) => simd(x, n, logp, grad) : fused.logDensityAndGrad;
  const logDensityHost: Target['logDensityHost'] = simd ? (x, n, logp) => simd(x, n, logp, null) : fused.logDensityHost;

  function logDensity(x: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const diff = tf.sub(tf.expandDims(x, 1), tf.tensor3d(muF32, [1, K, d])); // [n, K, d]
      const lg = tf.add(tf.mul(tf.sum(tf.square(diff), 2), -half), tf.tensor2d(logWF32, [1, K]));
      return tf.add(tf.logSumExp(lg, 1), norm) as tf.Tensor1D;
    });
  }

  /** Exact draws: a component k with probability w_k, then μ_k + s ξ. */
  function sample(key: Key, n: number): Float32Array {
    checkNonNegativeInt('n', n);
    const s = new Stream(key);
    const cw = new Float64Array(K);
    let tot = 0;
    for (let k = 0; k < K; k++) cw[k] = tot += Math.exp(logW[k]);
    const out = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const u = s.uniform() * tot;
      let k = 0;
      while (k < K - 1 && u >= cw[k]) k++;
      for (let j = 0; j < d; j++) out[i * d + j] = mu[k * d + j] + scale * s.normal();
    }
    return out;
  }

  return { name: 'gaussianMixture', dim: d, logZ: 0, logDensity, logDensityAndGrad, logDensityHost, sample };
}

/** f32x4 constants of the 2-D kernel. */
const MIX_CONSTANTS = new Constants([0, -Infinity, -SKIP_BELOW_MAX, ...EXP_CONSTANTS]);

/**
 * The fused path for d = 2 as a WebAssembly SIMD kernel, 4 points per vector: per block of 4
 * points, a_k = log w_k − |x − μ_k|²/(2s²) for every mode and their maximum m, then
 * Σ_k e_k and Σ_k e_k (x − μ_k) with e_k = exp(a_k − m), modes below m − 32 skipped (per point:
 * a skipped mode contributes exactly 0, so each point's result does not depend on its block).
 * log p = m + log Σ e_k − log(2π s²), ∇ log p = −Σ e_k (x − μ_k) / (s² Σ e_k).
 */
function mixture2dKernel(mu: Float64Array, logW: Float64Array, scale: number): (x: Float32Array, n: number, logp: Float32Array, grad: Float32Array | null) => void {
  const K = logW.length;
  const s2 = scale * scale;
  const norm = -Math.log(2 * Math.PI * s2);
  // layout: constants; per mode μ_k0, μ_k1, log w_k (splatted, 48 bytes); a_k of a block (K × 16);
  // then per call the points (padded to blocks of 4) and per block (m, Σe, Σe t0, Σe t1)
  const MODES = MIX_CONSTANTS.bytes;
  const A = MODES + 48 * K;
  const DYN = A + 16 * K;
  const kernel = instantiate(emitMixture2d(K, 1 / (2 * s2), MODES, A), Math.ceil((DYN + 1) / 65536));
  let f32 = new Float32Array(kernel.memory.buffer);
  MIX_CONSTANTS.write(f32);
  for (let k = 0; k < K; k++) {
    [mu[2 * k], mu[2 * k + 1], logW[k]].forEach((v, j) => f32.fill(v, MODES / 4 + 12 * k + 4 * j, MODES / 4 + 12 * k + 4 * j + 4));
  }
  return (x, n, logp, grad) => {
    if (n === 0) return;
    const blocks = Math.ceil(n / 4);
    const X = DYN;
    const OUT = X + 32 * blocks;
    const end = OUT + 64 * blocks;
    if (end > kernel.memory.buffer.byteLength) {
      kernel.memory.grow(Math.ceil((end - kernel.memory.buffer.byteLength) / 65536));
      f32 = new Float32Array(kernel.memory.buffer);
    }
    f32.set(x.subarray(0, 2 * n), X / 4);
    f32.fill(0, X / 4 + 2 * n, OUT / 4);
    kernel.run(blocks, X, OUT);
    for (let i = 0; i < n; i++) {
      const o = OUT / 4 + 16 * (i >> 2) + (i & 3);
      const sum = f32[o + 4];
      // Σe = 0 only when no mode is finite: −∞ for an infinite point, NaN for a NaN one
      logp[i] = sum > 0 ? f32[o] + Math.log(sum) + norm : Number.isNaN(x[2 * i] + x[2 * i + 1]) ? NaN : -Infinity;
      if (grad) {
        grad[2 * i] = -f32[o + 8] / (sum * s2);
        grad[2 * i + 1] = -f32[o + 12] / (sum * s2);
      }
    }
  };
}

/** Emits run(blocks, xPtr, outPtr) for a K-mode mixture in 2-D with 1/(2s²) = `half`. */
function emitMixture2d(K: number, half: number, MODES: number, A: number): Code {
  const c = new Code(3);
  const [BLOCKS, XP, OUT] = [0, 1, 2];
  const blk = c.local(I32);
  const mp = c.local(I32);
  const ap = c.local(I32);
  const [x0, x1, m, t0, t1, a, mask, sum, acc0, acc1, e, fx, r, t] = Array.from({ length: 14 }, () => c.local(V128));
  const k = (v: number) => MIX_CONSTANTS.load(c, v);
  const { f32x4Add: add, f32x4Sub: sub, f32x4Mul: mul, f32x4Pmax: pmax, load, store } = SIMD;
  const diffs = () => {
    c.get(x0).get(mp).simd(load, 0).simd(sub).set(t0);
    c.get(x1).get(mp).simd(load, 16).simd(sub).set(t1);
  };
  c.i32(0).set(blk);
  c.loop(); // blocks of 4 points
  c.get(XP).simd(load, 0).get(XP).simd(load, 16).shuffle32([0, 2, 4, 6]).set(x0);
  c.get(XP).simd(load, 0).get(XP).simd(load, 16).shuffle32([1, 3, 5, 7]).set(x1);
  // pass 1: a_k and their maximum
  k(-Infinity).set(m);
  c.i32(MODES).set(mp);
  c.i32(A).set(ap);
  c.loop();
  diffs();
  c.get(ap);
  c.get(mp).simd(load, 32).get(t0).get(t0).simd(mul).get(t1).get(t1).simd(mul).simd(add);
  c.f32x4(half).simd(mul).simd(sub).tee(a);
  c.simd(store, 0);
  c.get(m).get(a).simd(pmax).set(m);
  c.get(mp).i32(48).i32Add().set(mp);
  c.get(ap).i32(16).i32Add().tee(ap).i32(A + 16 * K).i32LtU().brIf(0);
  c.end();
  // pass 2: Σ e_k, Σ e_k (x − μ_k) over the modes within 32 of the maximum (per lane)
  k(0).set(sum);
  k(0).set(acc0);
  k(0).set(acc1);
  c.i32(MODES).set(mp);
  c.i32(A).set(ap);
  c.loop();
  c.block();
  c.get(ap).simd(load, 0).get(m).simd(sub).tee(a);
  k(-SKIP_BELOW_MAX).simd(SIMD.f32x4Ge).tee(mask);
  c.simd(SIMD.anyTrue).i32Eqz().brIf(0);
  emitExp(c, k, a, e, fx, r, t);
  c.get(e).get(mask).simd(SIMD.and).tee(e);
  c.get(sum).simd(add).set(sum);
  diffs();
  c.get(acc0).get(e).get(t0).simd(mul).simd(add).set(acc0);
  c.get(acc1).get(e).get(t1).simd(mul).simd(add).set(acc1);
  c.end();
  c.get(mp).i32(48).i32Add().set(mp);
  c.get(ap).i32(16).i32Add().tee(ap).i32(A + 16 * K).i32LtU().brIf(0);
  c.end();
  [m, sum, acc0, acc1].forEach((v, j) => c.get(OUT).get(v).simd(store, 16 * j));
  c.get(XP).i32(32).i32Add().set(XP);
  c.get(OUT).i32(64).i32Add().set(OUT);
  c.get(blk).i32(1).i32Add().tee(blk).get(BLOCKS).i32LtU().brIf(0);
  c.end();
  return c;
}

/** The GMM-40 component standard deviation: softplus(1) computed in float32. */
export const GMM40_SCALE = 1.31326162815094;

/**
 * GMM-40: 40 equally weighted isotropic Gaussians in 2-D with standard deviation softplus(1) ≈
 * 1.3133 and means uniform in [−40, 40]², the exact float32 means of fab-torch's construction
 * (torch.manual_seed(0)), shipped in data/gmm40.json with their provenance. Midgley et al.,
 * ICLR 2023; Albergo & Vanden-Eijnden (NETS), 2024.
 */
export function gmm40(): Target {
  const file = new URL('../../data/gmm40.json', import.meta.url);
  const spec = JSON.parse(readFileSync(file, 'utf8')) as { means?: unknown; weights?: unknown };
  if (!Array.isArray(spec.means) || spec.means.length !== 40) {
    throw new ArgumentError(file.pathname, 'a JSON object with 40 means', spec.means);
  }
  return { ...gaussianMixture({ means: spec.means as number[][], scale: GMM40_SCALE, weights: spec.weights as number[] | undefined }), name: 'gmm40' };
}
