/**
 * The posterior of a Bayesian logistic regression with a Gaussian prior, the standard MCMC
 * benchmark (e.g. Girolami & Calderhead, JRSS B 2011; Hoffman & Gelman, JMLR 2014):
 *
 *   log p(w) = Σ_i [ y_i ℓ_i − softplus(ℓ_i) ] − |w|² / (2σ²),   ℓ = X w,
 *   ∇ log p(w) = Xᵀ (y − sigmoid(ℓ)) − w / σ²,
 *
 * up to the additive constant (log Z unknown), with softplus(u) = max(u, 0) + log1p(e^−|u|)
 * computed stably. Σ_i y_i ℓ_i = w · (Xᵀ y) is precomputed.
 *
 * The fused host path is a WebAssembly SIMD kernel generated for the data's shape: per block of
 * 4 chains, ℓ = W Xᵀ by a register-blocked product (4 chains × 8 observations per tile), then
 * softplus(ℓ) and sigmoid(ℓ) from one float32 exponential e = exp(−|ℓ|) (Cephes' expf
 * polynomial) and log1p(e) = 2 atanh(e / (2 + e)) (odd series to t¹³, relative error < 2e−8),
 * then Σ_i sigmoid(ℓ_i) X_i by a second blocked product (4 chains × 8 coefficients per tile).
 * Each chain's result depends only on its own row, so any batch split gives the same numbers.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkAllFinite, checkLength, checkPositive, checkPositiveInt } from '../core/errors.js';
import type { Target } from './target.js';
import { Code, Constants, emitExp, EXP_CONSTANTS, instantiate, simdSupported, SIMD, V128, I32 } from './wasm-simd.js';

/** Options of {@link logisticRegression}. */
export interface LogisticRegressionOptions {
  /** Design matrix [n, d], row-major (include an intercept column if wanted). */
  X: Float32Array;
  /** Labels [n], each in [0, 1] (0/1 for ordinary data). */
  y: Float32Array;
  /** Number of observations. */
  n: number;
  /** Number of coefficients (columns of X). */
  d: number;
  /** Prior standard deviation σ > 0 of every coefficient, default 1. */
  priorScale?: number;
  /**
   * Threads of the fused kernel (default 1): chains are split into contiguous groups evaluated at
   * the same time on worker threads over shared WebAssembly memory. Every chain's result is
   * computed the same way whatever the split, so results do not depend on this number.
   */
  threads?: number;
}

/**
 * The logistic-regression posterior as a target on R^d, with a TensorFlow.js log density
 * (ℓ = W Xᵀ by a plain matMul against a stored Xᵀ) and a fused host log density and gradient.
 *
 * @throws ArgumentError for non-positive n, d or priorScale, X or y of the wrong length,
 *   non-finite entries, or labels outside [0, 1].
 */
export function logisticRegression(opts: LogisticRegressionOptions): Target {
  const { X, y, n, d, priorScale = 1, threads = 1 } = opts ?? ({} as LogisticRegressionOptions);
  checkPositiveInt('n', n);
  checkPositiveInt('d', d);
  if (!(X instanceof Float32Array)) throw new ArgumentError('X', 'a Float32Array [n, d]', X);
  if (!(y instanceof Float32Array)) throw new ArgumentError('y', 'a Float32Array [n]', y);
  checkLength('X', X, n * d, `[${n}, ${d}]`);
  checkLength('y', y, n);
  checkAllFinite('X', X);
  for (let i = 0; i < n; i++) {
    if (!(y[i] >= 0 && y[i] <= 1)) throw new ArgumentError(`y[${i}]`, 'a label in [0, 1]', y[i]);
  }
  checkPositive('priorScale', priorScale);
  checkPositiveInt('threads', threads);
  const prec = 1 / (priorScale * priorScale);
  const Xc = Float32Array.from(X);
  const yc = Float32Array.from(y);
  const XT = new Float32Array(d * n);
  const Xty = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      XT[j * n + i] = Xc[i * d + j];
      Xty[j] += yc[i] * Xc[i * d + j];
    }
  }
  const fused = simdSupported ? logisticKernel(Xc, n, d, Xty, prec, threads) : {};

  function logDensity(w: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const l = tf.matMul(w, tf.tensor2d(XT, [d, n])); // [m, n]
      const softplus = tf.add(tf.relu(l), tf.log1p(tf.exp(tf.neg(tf.abs(l)))));
      const ll = tf.sum(tf.sub(tf.mul(l, tf.tensor2d(yc, [1, n])), softplus), 1);
      return tf.sub(ll, tf.mul(tf.sum(tf.square(w), 1), 0.5 * prec)) as tf.Tensor1D;
    });
  }

  return { name: 'logisticRegression', dim: d, logDensity, ...fused };
}

const ceil8 = (v: number) => Math.ceil(v / 8) * 8;

const ATANH = [13, 11, 9, 7, 5, 3, 1].map((k) => 2 / k);
/** The kernel's f32x4 constants, stored splatted at the start of its memory (one load each). */
const CONSTANTS = new Constants([0, -0, 1, 2, ...EXP_CONSTANTS, ...ATANH]);

/**
 * The fused path: log p and ∇ log p of a batch of coefficient vectors W [m, d] by the generated
 * WebAssembly kernel (sums over observations), finished in float64 (prior and Xᵀy terms).
 */
function logisticKernel(X: Float32Array, n: number, d: number, Xty: Float64Array, prec: number, threads: number): Required<Pick<Target, 'logDensityAndGrad' | 'logDensityHost'>> {
  const nP = ceil8(n);
  const dP = ceil8(d);
  // static layout (bytes): constants; Xᵀ in tiles of 8 observations ([nP / 8][d][8], one
  // sequential stream for the forward product); mask [nP]; X [n, dP]; per thread, S (4 chains ×
  // nP sigmoids); then per call W [m, d], SP [m], G [m, dP]
  const XT = CONSTANTS.bytes;
  const MASK = XT + d * nP * 4;
  const XR = MASK + nP * 4;
  const S4 = XR + n * dP * 4;
  const DYN = S4 + threads * 4 * nP * 4;
  const code = emitLogistic(n, d, nP, dP, { XT, MASK, XR });
  const kernel = instantiate(code, Math.ceil((DYN + 1) / 65536), threads);
  let f32 = new Float32Array(kernel.memory.buffer);
  CONSTANTS.write(f32);
  for (let i = 0; i < n; i++) {
    f32[MASK / 4 + i] = 1;
    for (let j = 0; j < d; j++) {
      f32[XT / 4 + (i >> 3) * d * 8 + j * 8 + (i & 7)] = X[i * d + j];
      f32[XR / 4 + i * dP + j] = X[i * d + j];
    }
  }

  function run(W: Float32Array, m: number, logp: Float32Array, grad: Float32Array | null): void {
    if (m === 0) return;
    const blocks = Math.ceil(m / 4);
    const wPtr = DYN;
    const spPtr = wPtr + blocks * 4 * d * 4;
    const gPtr = spPtr + blocks * 16;
    const end = gPtr + blocks * 4 * dP * 4;
    if (end > kernel.memory.buffer.byteLength) {
      kernel.memory.grow(Math.ceil((end - kernel.memory.buffer.byteLength) / 65536));
      f32 = new Float32Array(kernel.memory.buffer);
    }
    f32.set(W.subarray(0, m * d), wPtr / 4);
    f32.fill(0, wPtr / 4 + m * d, spPtr / 4);
    const parts: number[][] = [];
    for (let t = 0, b0 = 0; t < threads && b0 < blocks; t++) {
      const b1 = Math.round((blocks * (t + 1)) / threads);
      if (b1 > b0) parts.push([b1 - b0, wPtr + b0 * 16 * d, spPtr + b0 * 16, gPtr + b0 * 16 * dP, grad ? 1 : 0, S4 + t * 16 * nP]);
      b0 = b1;
    }
    kernel.parallel(parts);
    for (let c = 0; c < m; c++) {
      const wo = c * d;
      const go = gPtr / 4 + c * dP;
      let lp = -f32[spPtr / 4 + c];
      for (let j = 0; j < d; j++) {
        const w = W[wo + j];
        lp += w * (Xty[j] - 0.5 * prec * w);
        if (grad) grad[wo + j] = Xty[j] - prec * w - f32[go + j];
      }
      logp[c] = lp;
    }
  }
  return {
    logDensityAndGrad: (W, m, logp, grad) => run(W, m, logp, grad),
    logDensityHost: (W, m, logp) => run(W, m, logp, null),
  };
}

/**
 * Emits run(blocks, wPtr, spPtr, gPtr, withGrad, scratch): for each block of 4 chains (rows of W
 * at wPtr, stride d; 4 × nP floats of scratch at `scratch`), SP[c] = Σ_i softplus(ℓ_ci) and, when withGrad ≠ 0, G[c, :] = Σ_i σ(ℓ_ci) X_i
 * (stride dP), with ℓ = W Xᵀ.
 */
function emitLogistic(n: number, d: number, nP: number, dP: number, at: { XT: number; MASK: number; XR: number }): Code {
  const c = new Code(6);
  const [BLOCKS, W, SP, G, WITHGRAD, SCRATCH] = [0, 1, 2, 3, 4, 5];
  const blk = c.local(I32);
  const ib = c.local(I32);
  const sb = c.local(I32);
  const xi = c.local(I32);
  const wj = c.local(I32);
  const wEnd = c.local(I32);
  const acc = Array.from({ length: 8 }, () => c.local(V128));
  const x0 = c.local(V128);
  const x1 = c.local(V128);
  const wv = c.local(V128);
  const sp = c.local(V128);
  const k = (v: number) => CONSTANTS.load(c, v);
  const zeroAcc = () => acc.forEach((a) => k(0).set(a));
  const mulAdd = (a: number, u: number, v: number) => c.get(a).get(u).get(v).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Add).set(a);

  c.i32(0).set(blk);
  c.loop(); // over blocks of 4 chains
  // forward: ℓ = W Xᵀ into S, 4 chains × 8 observations per tile
  c.i32(0).set(ib);
  c.get(SCRATCH).set(sb);
  c.i32(0).set(xi);
  c.loop();
  zeroAcc();
  // loop over the d coefficients (a compact loop body keeps the 8 accumulators in registers)
  c.get(W).set(wj);
  c.get(W).i32(4 * d).i32Add().set(wEnd);
  c.loop();
  c.get(xi).simd(SIMD.load, at.XT).set(x0);
  c.get(xi).simd(SIMD.load, at.XT + 16).set(x1);
  for (let ch = 0; ch < 4; ch++) {
    c.get(wj).simd(SIMD.load32Splat, ch * d * 4).set(wv);
    mulAdd(acc[2 * ch], wv, x0);
    mulAdd(acc[2 * ch + 1], wv, x1);
  }
  c.get(xi).i32(32).i32Add().set(xi);
  c.get(wj).i32(4).i32Add().tee(wj).get(wEnd).i32LtU().brIf(0);
  c.end();
  for (let ch = 0; ch < 4; ch++) {
    for (let v = 0; v < 2; v++) c.get(sb).get(acc[2 * ch + v]).simd(SIMD.store, ch * nP * 4 + v * 16);
  }
  c.get(sb).i32(32).i32Add().set(sb);
  c.get(ib).i32(32).i32Add().tee(ib).i32(nP * 4).i32LtU().brIf(0);
  c.end();
  // elementwise, in place over S: ℓ → mask · sigmoid(ℓ), and Σ mask · softplus(ℓ) per chain
  const { f32x4Pmax: pmax, f32x4Mul: mul, f32x4Add: add } = SIMD;
  const temps = [0, 1].map(() => ({ l: c.local(V128), x0: c.local(V128), fx: c.local(V128), r: c.local(V128), e: c.local(V128), t: c.local(V128), t2: c.local(V128) }));
  for (let ch = 0; ch < 4; ch++) {
    k(0).set(sp);
    c.i32(0).set(ib);
    c.get(SCRATCH).set(sb);
    c.loop();
    temps.forEach(({ l, x0, fx, r, e, t, t2 }, v) => {
      const S = ch * nP * 4 + v * 16;
      const MASK = at.MASK + v * 16;
      c.get(sb).simd(SIMD.load, S).set(l);
      c.get(l);
      k(-0).simd(SIMD.or).set(x0); // −|ℓ|: set the sign bit
      emitExp(c, k, x0, e, fx, r, t);
      // one division: inv = 1 / ((1 + e)(2 + e)); 1 + e in x0, 2 + e in t, inv in t2
      k(1).get(e).simd(add).set(x0);
      k(2).get(e).simd(add).set(t);
      k(1).get(x0).get(t).simd(mul).simd(SIMD.f32x4Div).set(t2);
      // S[ch, i] = mask · sigmoid(ℓ) = mask · (ℓ ≥ 0 ? 1 : e) (2 + e) · inv
      c.get(sb);
      k(1).get(e).get(l);
      k(0).simd(SIMD.f32x4Ge).simd(SIMD.bitselect).get(t).simd(mul).get(t2).simd(mul);
      c.get(ib).simd(SIMD.load, MASK).simd(mul);
      c.simd(SIMD.store, S);
      // softplus(ℓ) = max(ℓ, 0) + log1p(e), log1p(e) = 2 atanh(t), t = e / (2 + e) = e (1 + e) · inv ∈ (0, 1/3]
      c.get(e).get(x0).simd(mul).get(t2).simd(mul).tee(t).get(t).simd(mul).set(t2);
      // 2 atanh(t) = t (((A0 u² + A1 u + A2) u² + A3 u + A4) u² + A5 u + A6), u = t² (Estrin)
      c.get(t2).get(t2).simd(mul).set(x0);
      k(ATANH[0]).get(x0).simd(mul).get(t2);
      k(ATANH[1]).simd(mul).simd(add);
      k(ATANH[2]).simd(add);
      for (const m of [3, 5]) {
        c.get(x0).simd(mul).get(t2);
        k(ATANH[m]).simd(mul).simd(add);
        k(ATANH[m + 1]).simd(add);
      }
      c.get(t).simd(mul).get(l);
      k(0).simd(pmax).simd(add);
      c.get(ib).simd(SIMD.load, MASK).simd(mul);
      c.get(sp).simd(add).set(sp);
    });
    c.get(sb).i32(32).i32Add().set(sb);
    c.get(ib).i32(32).i32Add().tee(ib).i32(nP * 4).i32LtU().brIf(0);
    c.end();
    c.get(SP);
    c.get(sp).lane(0).get(sp).lane(1).f32Add().get(sp).lane(2).f32Add().get(sp).lane(3).f32Add();
    c.f32Store(ch * 4);
  }
  // backward: G[ch, 8 coefficients] = Σ_i S[ch, i] X[i, …], 4 chains × 8 coefficients per tile
  c.block();
  c.get(WITHGRAD).i32Eqz().brIf(0);
  for (let jt = 0; jt < dP / 8; jt++) {
    zeroAcc();
    c.i32(0).set(xi);
    c.i32(0).set(ib);
    c.get(SCRATCH).set(sb);
    c.loop();
    c.get(xi).simd(SIMD.load, at.XR + jt * 32).set(x0);
    c.get(xi).simd(SIMD.load, at.XR + jt * 32 + 16).set(x1);
    for (let ch = 0; ch < 4; ch++) {
      c.get(sb).simd(SIMD.load32Splat, ch * nP * 4).set(wv);
      mulAdd(acc[2 * ch], wv, x0);
      mulAdd(acc[2 * ch + 1], wv, x1);
    }
    c.get(xi).i32(dP * 4).i32Add().set(xi);
    c.get(sb).i32(4).i32Add().set(sb);
    c.get(ib).i32(4).i32Add().tee(ib).i32(n * 4).i32LtU().brIf(0);
    c.end();
    for (let ch = 0; ch < 4; ch++) {
      for (let v = 0; v < 2; v++) c.get(G).get(acc[2 * ch + v]).simd(SIMD.store, (ch * dP + jt * 8 + v * 4) * 4);
    }
  }
  c.end();
  // next block
  c.get(W).i32(16 * d).i32Add().set(W);
  c.get(SP).i32(16).i32Add().set(SP);
  c.get(G).i32(16 * dP).i32Add().set(G);
  c.get(blk).i32(1).i32Add().tee(blk).get(BLOCKS).i32LtU().brIf(0);
  c.end();
  return c;
}
