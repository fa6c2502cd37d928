/**
 * The samples a marginals plot shows: the chosen columns of the rows reported by a loop, either
 * accumulated over its steps (the last `capacity` rows, as a ring: MCMC draws) or replaced at
 * each step together with their importance weights (SMC/AIS particles).
 *
 * @module
 */
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import type { Samples } from './density.js';

/** Chosen columns of recent rows (see the module documentation). */
export class ColumnBuffer {
  private data: Float32Array;
  private rows = 0;
  private next = 0;
  private weights?: Float64Array;

  constructor(readonly dims: number[], readonly capacity: number) {
    checkPositiveInt('maxSamples', capacity);
    this.data = new Float32Array(capacity * dims.length);
  }

  private checkWidth(s: Samples): void {
    for (const j of this.dims) if (j >= s.d) throw new ArgumentError('dims', `coordinates below the dimension ${s.d}`, j);
  }

  /** Appends the chosen columns of the rows of `s` (the oldest are overwritten when full). */
  append(s: Samples): void {
    this.checkWidth(s);
    this.weights = undefined;
    const k = this.dims.length;
    for (let r = 0; r < s.n; r++) {
      const base = r * s.d;
      const at = this.next * k;
      for (let c = 0; c < k; c++) this.data[at + c] = s.data[base + this.dims[c]];
      this.next = (this.next + 1) % this.capacity;
      if (this.rows < this.capacity) this.rows++;
    }
  }

  /** Replaces the content by the chosen columns of `s` (its first `capacity` rows) with weights ∝ exp(logWeights). */
  replace(s: Samples, logWeights?: ArrayLike<number>): void {
    this.checkWidth(s);
    this.clear();
    const n = Math.min(s.n, this.capacity);
    this.append({ data: s.data.subarray(0, n * s.d), n, d: s.d });
    if (!logWeights) return;
    if (logWeights.length !== s.n) throw new ArgumentError('logWeights', `${s.n} values (one per sample)`, `${logWeights.length} values`);
    let max = -Infinity;
    for (let i = 0; i < n; i++) if (logWeights[i] > max) max = logWeights[i];
    const w = new Float64Array(n);
    if (Number.isFinite(max)) for (let i = 0; i < n; i++) w[i] = Math.exp(logWeights[i] - max);
    this.weights = w;
  }

  /**
   * Replaces the content by `v`: rows that already hold the chosen columns ([n, dims.length], as
   * {@link view} of a buffer of the same dims returns them; the first `capacity` are kept) with
   * their normalised weights, if any. Copies.
   */
  restore(v: { samples: Samples; weights?: Float64Array }): void {
    const k = this.dims.length;
    if (v.samples.d !== k) throw new ArgumentError('samples.d', `${k} (one column per coordinate in dims)`, v.samples.d);
    this.clear();
    const n = Math.min(v.samples.n, this.capacity);
    this.data.set(v.samples.data.subarray(0, n * k));
    this.rows = n;
    this.next = n % this.capacity;
    this.weights = v.weights?.slice(0, n);
  }

  /** Forgets every row. */
  clear(): void {
    this.rows = 0;
    this.next = 0;
    this.weights = undefined;
  }

  /** The stored rows as samples [rows, k] (a view, valid until the next change) and their weights, if any. */
  view(): { samples: Samples; weights?: Float64Array } | undefined {
    if (this.rows === 0) return undefined;
    const k = this.dims.length;
    return { samples: { data: this.data.subarray(0, this.rows * k), n: this.rows, d: k }, weights: this.weights };
  }
}
