/**
 * Small dense linear algebra in float64 for target construction (set-up work, O(d³) once):
 * Cholesky factorisation, triangular inverse and Haar-random orthogonal matrices.
 * Matrices are row-major Float64Arrays of shape [d, d].
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';
import { normal, type Key } from '../core/random.js';

/**
 * The lower-triangular Cholesky factor L of a symmetric positive-definite A (A = L Lᵀ), by the
 * Cholesky–Banachiewicz recurrence. Throws an ArgumentError named `name` when A is not
 * symmetric or not positive definite.
 */
export function cholesky(name: string, a: Float64Array, d: number): Float64Array {
  let scale = 0;
  for (let i = 0; i < d * d; i++) scale = Math.max(scale, Math.abs(a[i]));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(a[i * d + j] - a[j * d + i]) > 1e-8 * scale) {
        throw new ArgumentError(name, 'a symmetric matrix', `[${i}, ${j}] = ${a[i * d + j]} but [${j}, ${i}] = ${a[j * d + i]}`);
      }
    }
  }
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) throw new ArgumentError(name, 'a positive-definite matrix', `a non-positive pivot ${s} at row ${i}`);
        l[i * d + i] = Math.sqrt(s);
      } else {
        l[i * d + j] = s / l[j * d + j];
      }
    }
  }
  return l;
}

/** A⁻¹ = L⁻ᵀ L⁻¹ from the Cholesky factor L of A (forward substitution for L⁻¹). */
export function inverseFromCholesky(l: Float64Array, d: number): Float64Array {
  const li = new Float64Array(d * d); // L⁻¹, lower triangular
  for (let j = 0; j < d; j++) {
    li[j * d + j] = 1 / l[j * d + j];
    for (let i = j + 1; i < d; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * d + k] * li[k * d + j];
      li[i * d + j] = s / l[i * d + i];
    }
  }
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < d; k++) s += li[k * d + i] * li[k * d + j];
      inv[i * d + j] = s;
      inv[j * d + i] = s;
    }
  }
  return inv;
}

/**
 * A Haar-distributed random orthogonal matrix Q ([d, d]) from a key: the Q factor of the
 * Householder QR decomposition of a matrix of standard normals, with the signs of R's diagonal
 * moved into Q so that the law is exactly Haar (Mezzadri, "How to generate random matrices from
 * the classical compact groups", Notices AMS 2007).
 */
export function randomOrthogonal(k: Key, d: number): Float64Array {
  const a = Float64Array.from(normal(k, d * d));
  const q = new Float64Array(d * d);
  for (let i = 0; i < d; i++) q[i * d + i] = 1;
  const v = new Float64Array(d);
  for (let c = 0; c < d - 1; c++) {
    // Householder reflection H = I − 2 v vᵀ / vᵀv zeroing a[c+1.., c]
    let norm = 0;
    for (let i = c; i < d; i++) norm += a[i * d + c] ** 2;
    norm = Math.sqrt(norm);
    const alpha = a[c * d + c] > 0 ? -norm : norm;
    let vv = 0;
    for (let i = c; i < d; i++) {
      v[i] = a[i * d + c] - (i === c ? alpha : 0);
      vv += v[i] * v[i];
    }
    if (vv === 0) continue;
    // A ← H A (columns c..), Q ← Q H
    for (let j = c; j < d; j++) {
      let s = 0;
      for (let i = c; i < d; i++) s += v[i] * a[i * d + j];
      const f = (2 * s) / vv;
      for (let i = c; i < d; i++) a[i * d + j] -= f * v[i];
    }
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = c; j < d; j++) s += q[i * d + j] * v[j];
      const f = (2 * s) / vv;
      for (let j = c; j < d; j++) q[i * d + j] -= f * v[j];
    }
  }
  // Q R = A with R = (accumulated) a; make diag(R) > 0 by flipping columns of Q
  for (let j = 0; j < d; j++) {
    if (a[j * d + j] < 0) for (let i = 0; i < d; i++) q[i * d + j] = -q[i * d + j];
  }
  return q;
}
