/**
 * Input checking shared by the diagnostics: chains of draws, samples and log-weights arrive as
 * plain arrays or typed arrays and leave as float64 copies, after the checks that make a bad
 * input an `ArgumentError` instead of a silent wrong answer.
 *
 * @module
 */
import { ArgumentError, checkPositiveInt } from '../core/errors.js';

/** Draws of one scalar quantity: one array per chain (chains × draws), all of the same length. */
export type Chains = ArrayLike<ArrayLike<number>>;

/** Chains as one row-major float64 matrix [m chains, n draws]. */
export interface ChainMatrix {
  m: number;
  n: number;
  data: Float64Array;
}

/**
 * Copies `chains` into a float64 [m, n] matrix; throws unless there is at least one chain, all
 * chains have the same length ≥ `minDraws`, and every draw is finite.
 */
export function chainMatrix(name: string, chains: Chains, minDraws = 4): ChainMatrix {
  if (chains === null || typeof chains !== 'object' || typeof chains.length !== 'number') {
    throw new ArgumentError(name, 'an array of chains (chains × draws)', chains);
  }
  const m = chains.length;
  if (m < 1) throw new ArgumentError(name, 'at least one chain', 'no chains');
  const n = chains[0]?.length;
  if (typeof n !== 'number') throw new ArgumentError(name, 'each chain an array of draws', chains[0]);
  if (n < minDraws) throw new ArgumentError(name, `chains of at least ${minDraws} draws`, `${n} draws`);
  const data = new Float64Array(m * n);
  for (let c = 0; c < m; c++) {
    const ch = chains[c];
    if (ch?.length !== n) {
      throw new ArgumentError(name, `chains of equal length (${n} draws, as chain 0)`, `${ch?.length} draws in chain ${c}`);
    }
    for (let t = 0; t < n; t++) {
      const v = ch[t];
      if (!Number.isFinite(v)) throw new ArgumentError(name, 'finite draws', `${v} at chain ${c}, draw ${t}`);
      data[c * n + t] = v;
    }
  }
  return { m, n, data };
}

/**
 * Checks a row-major sample [n, d] given as a flat array: length a positive multiple of `dim`,
 * at least `minRows` rows, finite entries. Returns n.
 */
export function sampleRows(name: string, x: ArrayLike<number>, dim: number, minRows = 1): number {
  checkPositiveInt('dim', dim);
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new ArgumentError(name, `a flat row-major array [n, ${dim}]`, x);
  }
  const n = x.length / dim;
  if (!Number.isInteger(n) || n < minRows) {
    throw new ArgumentError(name, `a row-major array of at least ${minRows} rows of dim = ${dim} values`, `${x.length} values`);
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new ArgumentError(name, 'finite values', `${x[i]} at index ${i}`);
  }
  return n;
}

/**
 * Checks log-weights: non-empty, no NaN and no +∞ (−∞ is a zero weight), at least one finite.
 * Returns the largest entry.
 */
export function checkLogWeights(name: string, logw: ArrayLike<number>): number {
  if (logw === null || typeof logw !== 'object' || typeof logw.length !== 'number' || logw.length < 1) {
    throw new ArgumentError(name, 'a non-empty array of log-weights', logw);
  }
  let mx = -Infinity;
  for (let i = 0; i < logw.length; i++) {
    const v = logw[i];
    if (Number.isNaN(v) || v === Infinity || typeof v !== 'number') {
      throw new ArgumentError(name, 'log-weights that are finite or −∞ (a zero weight)', `${v} at index ${i}`);
    }
    if (v > mx) mx = v;
  }
  if (mx === -Infinity) throw new ArgumentError(name, 'at least one positive weight (a finite log-weight)', 'all −∞');
  return mx;
}
