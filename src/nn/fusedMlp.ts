/**
 * A whole multilayer perceptron as ONE taped TensorFlow.js op, for small networks where the
 * per-op dispatch of the layer-by-layer path dominates (e.g. W3's eight MLP(1, 64, 64, 2)
 * conditioners at batch 1024: ~3 dense layers and activations forward, twice that backward,
 * each a separate kernel call with its own allocation).
 *
 * Forward, in one pass: U_i = H_{i−1} W_i + b_i, H_i = act(U_i) (no activation after the last
 * layer), keeping H_i and D_i = act′(U_i). Backward, in one computation from dY (the first
 * time any input's gradient is requested): G_k = dY, and for i = k … 1
 *
 *     dW_i = H_{i−1}ᵀ G_i,   db_i = 1ᵀ G_i,   G_{i−1} = (G_i W_iᵀ) ⊙ D_{i−1},   dx = G_1 W_1ᵀ.
 *
 * Where the numbers live: H_i, D_i and G_i in a reused WebAssembly memory (the {@link Arena}:
 * no allocation per call), where a WebAssembly-SIMD kernel computes SiLU with its derivative in
 * place and G ⊙ D (natively, same bits, vectorised for AVX-512/AVX2, when the addon is loaded:
 * W3's step 12.7 → 10.2 ms of CPU); the products run natively through OpenBLAS `sgemm` with its transpose
 * flags (../core/native.ts) on views of that memory when the addon is loaded and a product is
 * not tiny, otherwise through the register-blocked JavaScript loops below; the other
 * activations are host loops in double precision rounded to float32. When the fused op wins
 * over the per-layer path is measured: see {@link fusedMlpApplies}.
 *
 * The backward pass is not itself differentiable: callers use the per-layer path when a
 * gradient of a gradient may be requested ({@link firstOrderOnly}). A forward pass recorded on
 * a gradient tape keeps its arena buffers until its backward pass runs; when it never does (the
 * output was not on the differentiated path) they are reclaimed after the tape is garbage
 * collected (FinalizationRegistry).
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { nativeBlas } from '../core/native.js';
import { Code, emitExp, instantiate, SIMD, simdSupported, V128, type SimdKernel } from '../targets/wasm-simd.js';
import type { Activation } from './activations.js';
import { computeTensor, hostValues } from './wasmKernels.js';

/**
 * The engine entry point behind `tf.customGrad` (public at run time, private in the type
 * declarations): its backward function returns one closure per input, called only for the
 * inputs the gradient needs.
 */
export interface KernelFuncRunner {
  /** One taped op: outputs O (a tensor or several), dy of the same form in the backward function. */
  runKernelFunc<O extends tf.Tensor | tf.Tensor[]>(params: {
    forwardFunc: (backend: unknown, save: (tensors: tf.Tensor[]) => void) => O;
    backwardsFunc: (dy: O, saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
    inputs: Record<string, tf.Tensor>;
  }): O;
  /** Whether ops run now are recorded for a gradient. */
  isTapeOn(): boolean;
}

/** Whether ops run now will be differentiated at most once (no gradient of a gradient). */
export function firstOrderOnly(): boolean {
  return tf.engine().state.gradientDepth <= 1;
}

/**
 * Whether {@link fusedMlp} is used for an MLP of these widths on a batch of n rows now: not
 * disabled by the environment (`TRANSPORTLAB_FUSED_MLP=0`, e.g. to time the per-layer path),
 * wasm or cpu backend with WebAssembly SIMD, at most first-order gradients, and where it was
 * measured to win (one gradient step, CPU time, this project's 2-core machine, 2026-11-24):
 * - with the native addon, every layer of at most 256 · 256 weights (MLP(1, 64, 64, 2) at
 *   batch 1024: 1.86 → 0.79 ms; MLP(3, 128, 128, 2) at 4096: 7.97 → 7.56 ms; MLP(3, 256, 256,
 *   256, 2) at 4096, W1's network, 50.2 → 44.0 ms once SiLU ran natively, 2026-11-24);
 * - without it (JavaScript products), at most {@link JS_MAX_WORK} multiply-adds in all
 *   (MLP(1, 8, 8, 2) at batch 1024, 90k: 0.89 → 0.84 ms; MLP(1, 16, 16, 2), 330k: 0.86 →
 *   2.03 ms; MLP(3, 16, 2) at batch 8: 0.24 → 0.09 ms).
 */
export function fusedMlpApplies(sizes: readonly number[], n: number): boolean {
  if (process.env.TRANSPORTLAB_FUSED_MLP === '0') return false;
  const backend = tf.getBackend();
  if ((backend !== 'wasm' && backend !== 'cpu') || !simdSupported || !firstOrderOnly()) return false;
  let widest = 0;
  let work = 0;
  for (let i = 0; i + 1 < sizes.length; i++) {
    widest = Math.max(widest, sizes[i] * sizes[i + 1]);
    work += n * sizes[i] * sizes[i + 1];
  }
  return nativeBlas() === undefined ? work <= JS_MAX_WORK : widest <= NATIVE_MAX_LAYER;
}

/** Largest number of multiply-adds of a forward pass for the JavaScript products (measured crossover with XNNPACK). */
const JS_MAX_WORK = 65536;
/** Largest nIn · nOut of a layer for the native products. */
const NATIVE_MAX_LAYER = 256 * 256;

/** Pointwise h = act(u) and d = act′(u) (h may be u: in place), over arrays of equal length. */
type Pointwise = (u: Float32Array, h: Float32Array, d: Float32Array) => void;

const LEAK = 0.01;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * erf(x) by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5·10⁻⁷, below float32 resolution of
 * values near 1), the formula TensorFlow.js's `erf` kernels use.
 */
function erf(x: number): number {
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return x < 0 ? -y : y;
}

/** The activations of ./activations.ts but SiLU (the {@link Arena}'s SIMD kernel) with their derivatives, as host loops. */
const POINTWISE: Record<Exclude<Activation, 'silu'>, Pointwise> = {
  tanh(u, h, d) {
    for (let j = 0; j < u.length; j++) {
      const t = Math.tanh(u[j]);
      h[j] = t;
      d[j] = 1 - t * t;
    }
  },
  relu(u, h, d) {
    for (let j = 0; j < u.length; j++) {
      const pos = u[j] > 0;
      h[j] = pos ? u[j] : 0;
      d[j] = pos ? 1 : 0;
    }
  },
  softplus(u, h, d) {
    for (let j = 0; j < u.length; j++) {
      const x = u[j];
      h[j] = x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
      d[j] = 1 / (1 + Math.exp(-x));
    }
  },
  gelu(u, h, d) {
    for (let j = 0; j < u.length; j++) {
      const x = u[j];
      const cdf = 0.5 * (1 + erf(x * Math.SQRT1_2));
      h[j] = x * cdf;
      d[j] = cdf + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }
  },
  elu(u, h, d) {
    for (let j = 0; j < u.length; j++) {
      const x = u[j];
      h[j] = x > 0 ? x : Math.expm1(x);
      d[j] = x > 0 ? 1 : Math.exp(x);
    }
  },
  leakyRelu(u, h, d) {
    for (let j = 0; j < u.length; j++) {
      const x = u[j];
      h[j] = x > 0 ? x : LEAK * x;
      d[j] = x > 0 ? 1 : LEAK;
    }
  },
};

/**
 * The host memory of the fused MLP: one WebAssembly memory holding every layer buffer (so the
 * SIMD kernel below works on them in place, and the native products on views of them), handed
 * out by length from free lists (fresh large Float32Arrays cost page faults and garbage
 * collection: measured, a fresh [1024, 64] output made a native product ~10x slower). Buffers
 * are byte offsets; views are taken after the allocations of a pass (growing the memory
 * detaches older views).
 *
 * The kernel `run(op, a, b, c, end)` over byte addresses, 4 values per vector, 2 vectors per
 * iteration (independent dependency chains):
 * - op 0, SiLU: with e = exp(−|u|) (Cephes expf of ../targets/wasm-simd.ts, ≈ 1 ulp),
 *   σ = 1/(1 + e) for u ≥ 0 and e/(1 + e) otherwise (no overflow), h = u σ and
 *   d = σ + h (1 − σ) = silu′(u): u at a (up to end), h at b (b = a: in place), d at c;
 * - op 1: a ← a ⊙ b (the backward pass's G ⊙ D).
 */
class Arena {
  private readonly kernel: SimdKernel;
  private readonly free = new Map<number, number[]>();
  /** First unused byte of the memory; below it, buffers handed out (or on the free lists). */
  private top = 0;

  constructor() {
    const { load, store, f32x4Abs, f32x4Add, f32x4Sub, f32x4Mul, f32x4Div, f32x4Ge, bitselect } = SIMD;
    const c = new Code(5);
    const [op, a, b, d, end] = [0, 1, 2, 3, 4];
    const k = (v: number) => c.f32x4(v);
    // two vectors per iteration (independent dependency chains), UNROLL floats in all
    const loop = (body: (offset: number, lane: number) => void) => {
      c.block().loop();
      c.get(a).get(end).i32LtU().i32Eqz().brIf(1);
      body(0, 0);
      body(16, 1);
      for (const p of [a, b, d]) c.get(p).i32(4 * UNROLL).i32Add().set(p);
      c.i32(1).brIf(0);
      c.end().end();
    };
    const regs = [0, 1].map(() => Array.from({ length: 9 }, () => c.local(V128)));
    c.block().get(op).brIf(0); // op 0: SiLU
    loop((o, lane) => {
      const [u, x, e, fx, r, t, inv, sg, h] = regs[lane];
      c.get(a).simd(load, o).tee(u).simd(f32x4Abs).set(x);
      k(0).get(x).simd(f32x4Sub).set(x);
      emitExp(c, k, x, e, fx, r, t);
      k(1);
      k(1).get(e).simd(f32x4Add).simd(f32x4Div).set(inv);
      c.get(inv).get(e).get(inv).simd(f32x4Mul).get(u);
      k(0).simd(f32x4Ge).simd(bitselect).set(sg);
      c.get(b).get(u).get(sg).simd(f32x4Mul).tee(h).simd(store, o);
      c.get(d).get(sg).get(h);
      k(1).get(sg).simd(f32x4Sub).simd(f32x4Mul).simd(f32x4Add).simd(store, o);
    });
    c.end();
    c.block().get(op).i32Eqz().brIf(0); // op 1: a ← a ⊙ b
    loop((o) => {
      c.get(a).get(a).simd(load, o).get(b).simd(load, o).simd(f32x4Mul).simd(store, o);
    });
    c.end();
    this.kernel = instantiate(c, 16);
  }

  /** A buffer of `length` floats (unspecified contents), padded to whole vectors. */
  take(length: number): number {
    const size = 4 * UNROLL * Math.ceil(length / UNROLL);
    const off = this.free.get(size)?.pop();
    if (off !== undefined) return off;
    const mem = this.kernel.memory;
    if (this.top + size > mem.buffer.byteLength) mem.grow(Math.ceil((this.top + size - mem.buffer.byteLength) / 65536));
    this.top += size;
    return this.top - size;
  }

  /** Returns buffers (offsets with their lengths) to the free lists. */
  give(offsets: number[], lengths: number[]): void {
    offsets.forEach((off, i) => {
      const size = 4 * UNROLL * Math.ceil(lengths[i] / UNROLL);
      const list = this.free.get(size);
      if (list === undefined) this.free.set(size, [off]);
      else list.push(off);
    });
  }

  /** A view of `length` floats at byte offset `off` (valid until the next {@link take}). */
  view(off: number, length: number): Float32Array {
    return new Float32Array(this.kernel.memory.buffer, off, length);
  }

  /** Whether {@link silu} adds the bias itself (natively, in the same pass). */
  get siluAddsBias(): boolean {
    return nativeBlas() !== undefined;
  }

  /**
   * SiLU of `length` floats at `u` (rows of `bias.length`), h written in place over u, silu′ at
   * `d`: natively of U + bias, the bias added in the same pass ({@link siluAddsBias}), else by
   * the WebAssembly kernel of U, whose rows must already hold the bias (same bits either way).
   */
  silu(u: number, d: number, length: number, bias: Float32Array): void {
    const blas = nativeBlas();
    if (blas !== undefined) blas.siluInPlace(this.view(u, length), bias, this.view(d, length));
    else this.kernel.run(0, u, u, d, u + 4 * length);
  }

  /**
   * a ← a ⊙ b over `rows` rows of `cols` floats; returns the column sums of the product
   * (natively in the same pass when the addon is loaded, else by {@link columnSums}).
   */
  multiply(a: number, b: number, rows: number, cols: number): Float32Array {
    const blas = nativeBlas();
    const length = rows * cols;
    if (blas === undefined) {
      this.kernel.run(1, a, b, 0, a + 4 * length);
      return columnSums(this.view(a, length), rows, cols);
    }
    const sums = new Float32Array(cols);
    blas.multiplyColumnSums(this.view(a, length), this.view(b, length), sums);
    return sums;
  }
}

/** Floats per iteration of the arena kernel's loops (buffers are padded to a multiple). */
const UNROLL = 8;

let arenaInstance: Arena | undefined;
const arena = (): Arena => (arenaInstance ??= new Arena());

/**
 * C [m, n] ← op(A) · op(B) + beta · C (beta 0 or 1), row-major, op(X) = Xᵀ when its flag is
 * set; ldX the row strides as stored. Only the cases the MLP needs: NN, TN and NT.
 */
type Gemm = (tA: boolean, tB: boolean, m: number, n: number, k: number, A: Float32Array, lda: number, B: Float32Array, ldb: number, beta: number, C: Float32Array, ldc: number) => void;

/** C ← A B + beta C by rows, four rows at a time sharing each loaded row of B. */
function jsGemmNN(m: number, n: number, k: number, A: Float32Array, lda: number, B: Float32Array, ldb: number, C: Float32Array, ldc: number): void {
  const m4 = m - (m % 4);
  for (let i = 0; i < m4; i += 4) {
    const [c0, c1, c2, c3] = [i * ldc, (i + 1) * ldc, (i + 2) * ldc, (i + 3) * ldc];
    for (let p = 0; p < k; p++) {
      const a0 = A[i * lda + p];
      const a1 = A[(i + 1) * lda + p];
      const a2 = A[(i + 2) * lda + p];
      const a3 = A[(i + 3) * lda + p];
      const r = p * ldb;
      for (let j = 0; j < n; j++) {
        const b = B[r + j];
        C[c0 + j] += a0 * b;
        C[c1 + j] += a1 * b;
        C[c2 + j] += a2 * b;
        C[c3 + j] += a3 * b;
      }
    }
  }
  for (let i = m4; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const a = A[i * lda + p];
      const r = p * ldb;
      for (let j = 0; j < n; j++) C[i * ldc + j] += a * B[r + j];
    }
  }
}

/** C ← Aᵀ B + beta C (A stored [k, m]): a rank-one update per row of A and B. */
function jsGemmTN(m: number, n: number, k: number, A: Float32Array, lda: number, B: Float32Array, ldb: number, C: Float32Array, ldc: number): void {
  for (let p = 0; p < k; p++) {
    const ra = p * lda;
    const rb = p * ldb;
    for (let i = 0; i < m; i++) {
      const a = A[ra + i];
      const c = i * ldc;
      for (let j = 0; j < n; j++) C[c + j] += a * B[rb + j];
    }
  }
}

/** The JavaScript {@link Gemm}: NT transposes the (small, weight) right operand first. */
const jsGemm: Gemm = (tA, tB, m, n, k, A, lda, B, ldb, beta, C, ldc) => {
  if (beta === 0) C.fill(0, 0, m * ldc);
  if (tA) return jsGemmTN(m, n, k, A, lda, B, ldb, C, ldc);
  if (!tB) return jsGemmNN(m, n, k, A, lda, B, ldb, C, ldc);
  const Bt = new Float32Array(k * n); // B stored [n, k] → Bᵀ [k, n]
  for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) Bt[p * n + j] = B[j * ldb + p];
  jsGemmNN(m, n, k, A, lda, Bt, n, C, ldc);
};

/**
 * Products of at most this many multiply-adds run in JavaScript even when the native addon is
 * loaded: below it the cost of a native call dominates (measured: MLP(3, 16, 2) at batch 8,
 * one gradient step, 0.17 ms of CPU with native products against 0.09 ms in JavaScript).
 */
const NATIVE_MIN_WORK = 16384;

/** The native `sgemm` for products above {@link NATIVE_MIN_WORK} when the addon is loaded, else {@link jsGemm}. */
function gemm(): Gemm {
  const blas = nativeBlas();
  if (blas === undefined) return jsGemm;
  return (tA, tB, m, n, k, A, lda, B, ldb, beta, C, ldc) => {
    if (m * n * k <= NATIVE_MIN_WORK) jsGemm(tA, tB, m, n, k, A, lda, B, ldb, beta, C, ldc);
    else blas.sgemm(tA, tB, m, n, k, 1, A, lda, B, ldb, beta, C, ldc);
  };
}

/** 1ᵀ G for G [rows, cols] row-major: a native product with a ones vector, else summed in double precision. */
function columnSums(G: Float32Array, rows: number, cols: number): Float32Array {
  const blas = nativeBlas();
  const out = new Float32Array(cols);
  if (blas !== undefined) {
    if (ones.length < rows) ones = new Float32Array(rows).fill(1);
    blas.sgemm(false, false, 1, cols, rows, 1, ones, rows, G, cols, 0, out, cols);
    return out;
  }
  const s = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) s[j] += G[o + j];
  }
  out.set(s);
  return out;
}
let ones = new Float32Array(0);

/** Every one of the `rows` rows of U ← b: natively a rank-one product 1 bᵀ. */
function fillRows(U: Float32Array, b: Float32Array, rows: number): void {
  const cols = b.length;
  const blas = nativeBlas();
  if (blas !== undefined) {
    if (ones.length < rows) ones = new Float32Array(rows).fill(1);
    blas.sgemm(false, false, rows, cols, 1, 1, ones, 1, b, cols, 0, U, cols);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) U[o + j] = b[j];
  }
}

/**
 * Returns the arena buffers of a forward pass whose backward pass never ran (its tape node was
 * discarded): held value = the pass's pending buffers, emptied once they were returned.
 */
const unreleased = new FinalizationRegistry((pending: { offsets: number[]; lengths: number[] }) => arena().give(pending.offsets, pending.lengths));

/**
 * y = MLP(x) for x [n, n0] and params [W1, b1, …, Wk, bk] (W_i [n_{i−1}, n_i], b_i [n_i]),
 * the activation after every layer but the last, as one taped op with a one-pass backward
 * (see the module notes). First-order gradients only; shapes are the caller's to check.
 */
export function fusedMlp(x: tf.Tensor2D, params: readonly tf.Tensor[], activation: Activation): tf.Tensor2D {
  const k = params.length / 2;
  const n = x.shape[0];
  const sizes = [x.shape[1], ...params.filter((_, i) => i % 2 === 0).map((W) => W.shape[1] as number)];
  const mm = gemm();
  const mem = arena();
  const inputs: Record<string, tf.Tensor> = { x };
  params.forEach((p, i) => (inputs[`p${i}`] = p));
  const engine = tf.engine() as unknown as KernelFuncRunner;
  const taped = engine.isTapeOn(); // (inside the forward function it is always off)
  // kept for the backward pass: weight copies, and in the arena the layer inputs H_0 … H_{k−1}
  // (H_0 = x; H[i] has n·sizes[i] floats) and derivatives D_1 … D_{k−1} (D[i] has n·sizes[i + 1])
  const Ws: Float32Array[] = [];
  const H: number[] = [];
  const D: number[] = [];
  const pending = { offsets: [] as number[], lengths: [] as number[] };
  const release = () => {
    mem.give(pending.offsets.splice(0), pending.lengths.splice(0));
  };
  const forwardFunc = () => {
    for (let i = 0; i < k; i++) H.push(mem.take(n * sizes[i]));
    for (let i = 0; i + 1 < k; i++) D.push(mem.take(n * sizes[i + 1]));
    pending.offsets.push(...H, ...D);
    pending.lengths.push(...H.map((_, i) => n * sizes[i]), ...D.map((_, i) => n * sizes[i + 1]));
    const y = computeTensor([n, sizes[k]], [x, ...params], (out, xv, ...pv) => {
      mem.view(H[0], xv.length).set(xv);
      for (let i = 0; i < k; i++) {
        const [nIn, nOut] = [sizes[i], sizes[i + 1]];
        const W = pv[2 * i].slice();
        Ws.push(W);
        const U = i === k - 1 ? out : mem.view(H[i + 1], n * nOut);
        // U = H W + b: the bias first, the product accumulated onto it, unless SiLU adds it
        const biasInSilu = activation === 'silu' && i < k - 1 && mem.siluAddsBias;
        if (!biasInSilu) fillRows(U, pv[2 * i + 1], n);
        mm(false, false, n, nOut, nIn, mem.view(H[i], n * nIn), nIn, W, nOut, biasInSilu ? 0 : 1, U, nOut);
        if (i === k - 1) break;
        if (activation === 'silu') mem.silu(H[i + 1], D[i], n * nOut, pv[2 * i + 1]); // h in place over u
        else POINTWISE[activation](U, U, mem.view(D[i], n * nOut));
      }
    }) as tf.Tensor2D;
    if (!taped) release(); // no backward pass will come
    return y;
  };
  // the gradients, computed once (on the first request) from dY
  let grads: { dx: Float32Array; dW: Float32Array[]; db: Float32Array[] } | undefined;
  const backward = (dy: tf.Tensor) => {
    if (grads !== undefined) return grads;
    // G[i] = ∂/∂U_i (n·sizes[i] floats), i = 1 … k
    const G = sizes.map((s, i) => (i === 0 ? -1 : mem.take(n * s)));
    const view = (off: number, i: number) => mem.view(off, n * sizes[i]);
    view(G[k], k).set(hostValues(dy));
    const dW: Float32Array[] = new Array(k);
    const db: Float32Array[] = new Array(k);
    let dbNext: Float32Array | undefined;
    for (let i = k - 1; i >= 0; i--) {
      const [nIn, nOut] = [sizes[i], sizes[i + 1]];
      const Gi = view(G[i + 1], i + 1);
      dW[i] = new Float32Array(nIn * nOut);
      mm(true, false, nIn, nOut, n, view(H[i], i), nIn, Gi, nOut, 0, dW[i], nOut);
      db[i] = dbNext ?? columnSums(Gi, n, nOut);
      if (i > 0) {
        mm(false, true, n, nIn, nOut, Gi, nOut, Ws[i], nOut, 0, view(G[i], i), nIn);
        dbNext = mem.multiply(G[i], D[i - 1], n, nIn); // G_i and 1ᵀ G_i (layer i − 1's db)
      }
    }
    const dx = new Float32Array(n * sizes[0]);
    mm(false, true, n, sizes[0], sizes[1], view(G[1], 1), sizes[1], Ws[0], sizes[1], 0, dx, sizes[0]);
    mem.give(G.slice(1), sizes.slice(1).map((s) => n * s));
    release();
    return (grads = { dx, dW, db });
  };
  const y = engine.runKernelFunc({
    inputs,
    forwardFunc,
    backwardsFunc: (dy) => {
      const closures: Record<string, () => tf.Tensor> = {
        x: () => computeTensor([n, sizes[0]], [], (out) => out.set(backward(dy).dx)),
      };
      for (let i = 0; i < k; i++) {
        closures[`p${2 * i}`] = () => computeTensor([sizes[i], sizes[i + 1]], [], (out) => out.set(backward(dy).dW[i]));
        closures[`p${2 * i + 1}`] = () => computeTensor([sizes[i + 1]], [], (out) => out.set(backward(dy).db[i]));
      }
      return closures;
    },
  }) as tf.Tensor2D;
  if (taped) unreleased.register(backward, pending);
  return y;
}
