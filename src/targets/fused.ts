/**
 * Fused host paths for targets written as one function per row: the built-in targets compute
 * log π(x) and ∇ log π(x) of one point in a plain JavaScript loop (float64 arithmetic, no
 * per-op dispatch), and {@link fusedPaths} turns that row function into the batched
 * `logDensityAndGrad` / `logDensityHost` methods of the {@link Target} contract. Also the
 * helpers the built-in targets share: checked options, Gaussian normalisers, tensor columns.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError } from '../core/errors.js';
import type { Target } from './target.js';

/**
 * log π of the point stored at `x[offset .. offset + d)`; when `grad` is not null, also writes
 * ∇ log π into `grad[offset .. offset + d)`.
 */
export type RowDensity = (x: Float32Array, offset: number, grad: Float32Array | null) => number;

/** The batched fused paths of a target in R^d whose density is given row by row. */
export function fusedPaths(d: number, row: RowDensity): Required<Pick<Target, 'logDensityAndGrad' | 'logDensityHost'>> {
  function check(x: Float32Array, n: number, logp: Float32Array, grad?: Float32Array): void {
    if (x.length < n * d) throw new ArgumentError('x', `at least ${n * d} values (shape [${n}, ${d}])`, `${x.length} values`);
    if (logp.length < n) throw new ArgumentError('logp', `at least ${n} values`, `${logp.length} values`);
    if (grad && grad.length < n * d) throw new ArgumentError('grad', `at least ${n * d} values (shape [${n}, ${d}])`, `${grad.length} values`);
  }
  return {
    logDensityAndGrad(x, n, logp, grad) {
      check(x, n, logp, grad);
      for (let i = 0; i < n; i++) logp[i] = row(x, i * d, grad);
    },
    logDensityHost(x, n, logp) {
      check(x, n, logp);
      for (let i = 0; i < n; i++) logp[i] = row(x, i * d, null);
    },
  };
}

/** Copies a vector option into a Float64Array of length `d`, checking length and finiteness. */
export function vectorOption(name: string, v: ArrayLike<number> | undefined, d: number, fill = 0): Float64Array {
  const out = new Float64Array(d).fill(fill);
  if (v === undefined) return out;
  if (v.length !== d) throw new ArgumentError(name, `${d} values`, `${v.length} values`);
  for (let i = 0; i < d; i++) {
    if (!Number.isFinite(v[i])) throw new ArgumentError(name, 'finite values', `${v[i]} at index ${i}`);
    out[i] = v[i];
  }
  return out;
}

/** Copies a [rows, cols] matrix option given as nested arrays, checking shape and finiteness; returns it row-major. */
export function matrixOption(name: string, m: ArrayLike<ArrayLike<number>>, cols?: number): { data: Float64Array; rows: number; cols: number } {
  const rows = m?.length ?? 0;
  if (rows < 1) throw new ArgumentError(name, 'a non-empty array of rows', m);
  const c = cols ?? m[0].length;
  if (!(c >= 1)) throw new ArgumentError(name, 'rows with at least one value', m[0]);
  const data = new Float64Array(rows * c);
  for (let i = 0; i < rows; i++) {
    if (m[i]?.length !== c) throw new ArgumentError(name, `rows of ${c} values`, `${m[i]?.length} values in row ${i}`);
    for (let j = 0; j < c; j++) {
      const v = m[i][j];
      if (!Number.isFinite(v)) throw new ArgumentError(name, 'finite values', `${v} at [${i}, ${j}]`);
      data[i * c + j] = v;
    }
  }
  return { data, rows, cols: c };
}

/** Normalised mixture weights (default uniform) for `k` components, as log-weights. */
export function logWeightsOption(name: string, w: ArrayLike<number> | undefined, k: number): Float64Array {
  const out = new Float64Array(k);
  if (w === undefined) return out.fill(-Math.log(k));
  if (w.length !== k) throw new ArgumentError(name, `${k} weights (one per component)`, `${w.length} values`);
  let tot = 0;
  for (let i = 0; i < k; i++) {
    if (!(Number.isFinite(w[i]) && w[i] >= 0)) throw new ArgumentError(name, 'finite non-negative weights', `${w[i]} at index ${i}`);
    tot += w[i];
  }
  if (!(tot > 0)) throw new ArgumentError(name, 'weights with a positive sum', tot);
  for (let i = 0; i < k; i++) out[i] = Math.log(w[i] / tot);
  return out;
}

/**
 * log Z = (d/2) log 2π + ½ log det Σ, the normaliser of the unnormalised Gaussian density
 * exp(−½ (x − μ)ᵀ Σ⁻¹ (x − μ)) in R^d (and of its images under volume-preserving maps).
 */
export function gaussianLogZ(d: number, logDetCov = 0): number {
  return (d / 2) * Math.log(2 * Math.PI) + 0.5 * logDetCov;
}

/** Column j of a batch x ([n, d]) as a [n] tensor (the caller disposes it, e.g. inside tf.tidy). */
export function column(x: tf.Tensor2D, j: number): tf.Tensor1D {
  return tf.tidy(() => tf.squeeze(tf.slice(x, [0, j], [-1, 1]), [1]) as tf.Tensor1D);
}
