/**
 * Argument checks shared by the interpolant modules: batches of points [n, d] and times.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError } from '../core/errors.js';

/** Throws unless `x` is a rank-2 tensor, with `d` columns and `n` rows when given. */
export function checkBatch(name: string, x: unknown, n?: number, d?: number): asserts x is tf.Tensor2D {
  const want = `a tensor of shape [${n ?? 'n'}, ${d ?? 'd'}]`;
  if (!(x instanceof tf.Tensor)) throw new ArgumentError(name, want, x);
  if (x.rank !== 2 || (n !== undefined && x.shape[0] !== n) || (d !== undefined && x.shape[1] !== d)) {
    throw new ArgumentError(name, want, `shape [${x.shape}]`);
  }
}

/** Throws unless `t` is a number in [0, 1] or a tensor [n, 1] with all entries in [0, 1]. */
export function checkTime(name: string, t: unknown, n: number): void {
  if (typeof t === 'number') {
    if (!(t >= 0 && t <= 1)) throw new ArgumentError(name, 'a time in [0, 1]', t);
    return;
  }
  checkBatch(name, t, n, 1);
  const v = t.dataSync();
  for (let i = 0; i < v.length; i++) {
    if (!(v[i] >= 0 && v[i] <= 1)) throw new ArgumentError(name, 'times in [0, 1]', `${v[i]} at row ${i}`);
  }
}

/** Throws unless `v` is a finite number ≥ 0. */
export function checkNonNegative(name: string, v: number): void {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new ArgumentError(name, 'a finite number ≥ 0', v);
}
