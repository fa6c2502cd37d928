/**
 * The optional native BLAS addon (native/blas.c, built by scripts/build-native.mjs into
 * build/native/transportlab_blas.node): OpenBLAS's `cblas_sgemm` run directly on Float32Array
 * views, e.g. of TensorFlow.js's wasm heap. WebAssembly SIMD is 128-bit and runs XNNPACK's
 * matrix products at ~30 GFLOP/s on this project's machine; OpenBLAS reaches the native
 * roofline (~190 GFLOP/s with AVX-512 kernels, one thread), which dense-layer training needs.
 *
 * The addon is loaded once, on first use. It is optional: when it was not built (no compiler,
 * headers or OpenBLAS at install time), does not load, or is a stale build lacking a function,
 * {@link nativeBlas} returns undefined and callers keep their WebAssembly path.
 *
 * Environment:
 * - `TRANSPORTLAB_NATIVE=0` disables the addon.
 * - `TRANSPORTLAB_BLAS_THREADS` (default 1): OpenBLAS threads. One thread is the default so that
 *   results compare with single-threaded references and the library does not compete with
 *   its own worker threads; OpenBLAS's threaded products split the output, never the inner
 *   sum, so results are the same for any thread count.
 * - `OPENBLAS_CORETYPE` is honoured as OpenBLAS reads it when the library loads (it cannot be
 *   changed afterwards from here): an older core (e.g. `Haswell` on an AVX-512 machine) roughly
 *   halves the speed of products. {@link NativeBlas.corename} reports the core in use.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ArgumentError, checkPositiveInt } from './errors.js';

/** The addon's functions (row-major; every array a Float32Array, bounds-checked natively). */
export interface NativeBlas {
  /**
   * C ← alpha · op(A) · op(B) + beta · C with op(A) [m, k], op(B) [k, n], C [m, n], row-major,
   * op(X) = Xᵀ when its flag is set; lda, ldb, ldc are the row strides of A, B, C as stored.
   * C must not overlap A or B.
   */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    A: Float32Array,
    lda: number,
    B: Float32Array,
    ldb: number,
    beta: number,
    C: Float32Array,
    ldc: number,
  ): void;
  /** C[i, :] = v for every row i of C (a row-major [C.length / v.length, v.length] matrix). */
  fillRows(v: Float32Array, C: Float32Array): void;
  /** out[j] = Σ_i A[i, j] (A row-major with `cols` columns), summed in order in double precision. */
  sumRows(A: Float32Array, cols: number, out: Float32Array): void;
  /**
   * du = dy ⊙ (s + (h − h ⊙ s)), the SiLU backward pass from s = σ(u) and h = u σ(u), each
   * operation rounded to float32 in that order (bit-identical to the four tensor ops).
   */
  siluBackward(dy: Float32Array, s: Float32Array, h: Float32Array, du: Float32Array): void;
  /**
   * For u a row-major [u.length / b.length, b.length] matrix, with v = u + b (b added to every
   * row): u ← silu(v) = v σ(v) and d = silu′(v) = σ + h (1 − σ), with σ from Cephes' expf of
   * exp(−|v|) exactly as the fused MLP's WebAssembly-SIMD kernel computes it (same bits);
   * u and d of equal length; no two arrays overlap.
   */
  siluInPlace(u: Float32Array, b: Float32Array, d: Float32Array): void;
  /**
   * a ← a ⊙ b elementwise (a, b row-major with `sums.length` columns) and sums[j] = Σ_i a[i, j]
   * of the products, accumulated in double precision in row order, rounded to float32. No two
   * arrays overlap.
   */
  multiplyColumnSums(a: Float32Array, b: Float32Array, sums: Float32Array): void;
  /**
   * One Adam step in double precision, the same operations in the same order as the
   * JavaScript loop of src/nn/optim.ts (same bits): g' = g·scale + λp,
   * m ← β1 m + (1 − β1) g', v ← β2 v + (1 − β2) g'² (stored as float32),
   * out = p − (stepSize · m) / (√v / sqrtBc2 + ε) with the unrounded m, v. Equal lengths;
   * out, m and v overlap no other array.
   */
  adamUpdate(
    out: Float32Array,
    p: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    scale: number,
    beta1: number,
    beta2: number,
    stepSize: number,
    sqrtBc2: number,
    eps: number,
    weightDecay: number,
  ): void;
  /** The OpenBLAS kernel family in use (e.g. `Cooperlake`, `SkylakeX`, `Haswell`). */
  readonly corename: string;
  /** OpenBLAS's build configuration string. */
  readonly config: string;
}

interface Addon extends Omit<NativeBlas, 'corename' | 'config'> {
  setThreads(n: number): void;
  info(): { corename: string; config: string; threads: number };
}

const FUNCTIONS = ['sgemm', 'fillRows', 'sumRows', 'siluBackward', 'siluInPlace', 'multiplyColumnSums', 'adamUpdate', 'setThreads', 'info'] as const;
const ADDON = fileURLToPath(new URL('../../build/native/transportlab_blas.node', import.meta.url));

let loaded: { addon: Addon; blas: NativeBlas } | null | undefined;

function load(): { addon: Addon; blas: NativeBlas } | null {
  if (process.env.TRANSPORTLAB_NATIVE === '0') return null;
  let addon: Addon;
  try {
    addon = createRequire(import.meta.url)(ADDON) as Addon;
  } catch {
    return null; // not built, or built for another platform/Node: the WebAssembly path is used
  }
  // a build from an older native/blas.c lacks functions: ignore it rather than fail later
  if (FUNCTIONS.some((f) => typeof addon[f] !== 'function')) return null;
  const env = process.env.TRANSPORTLAB_BLAS_THREADS;
  const threads = env === undefined || env === '' ? 1 : Number(env);
  if (!(Number.isInteger(threads) && threads >= 1)) throw new ArgumentError('TRANSPORTLAB_BLAS_THREADS', 'a positive integer', env);
  addon.setThreads(threads);
  const { corename, config } = addon.info();
  const { sgemm, fillRows, sumRows, siluBackward, siluInPlace, multiplyColumnSums, adamUpdate } = addon;
  const blas: NativeBlas = { sgemm, fillRows, sumRows, siluBackward, siluInPlace, multiplyColumnSums, adamUpdate, corename, config };
  return { addon, blas };
}

/**
 * The native BLAS addon, or undefined when it is disabled (`TRANSPORTLAB_NATIVE=0`), was not
 * built or does not load. Loaded on the first call; later calls return the same object.
 * Throws an {@link ArgumentError} when `TRANSPORTLAB_BLAS_THREADS` is not a positive integer.
 */
export function nativeBlas(): NativeBlas | undefined {
  if (loaded === undefined) loaded = load();
  return loaded?.blas;
}

/**
 * Sets the number of threads of the native products (OpenBLAS's thread pool; default 1 or
 * `TRANSPORTLAB_BLAS_THREADS`) and returns whether the addon is loaded (false: nothing to set).
 */
export function setNativeBlasThreads(n: number): boolean {
  checkPositiveInt('n', n);
  if (nativeBlas() === undefined) return false;
  loaded!.addon.setThreads(n);
  return true;
}

/** The number of threads the native products use, or undefined when the addon is not loaded. */
export function nativeBlasThreads(): number | undefined {
  return nativeBlas() === undefined ? undefined : loaded!.addon.info().threads;
}
