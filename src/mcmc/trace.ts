/**
 * The trace of an MCMC run: the recorded draws of a batch of chains, stored compactly in
 * float32 chunks of [draws, chains, recorded coordinates] with, per draw and chain, log π and
 * whether the step was accepted. Views for diagnostics (per-chain series of one coordinate),
 * for further computation (all draws as one [draws·chains, k] array) and for inspection
 * (an arquero table).
 *
 * @module
 */
import * as aq from 'arquero';
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import type { ChainState, StepInfo } from './kernel.js';

/** Which coordinates a trace records: all, or a list of coordinate indices. */
export type RecordSpec = 'all' | readonly number[];

interface Chunk {
  step: Int32Array;
  x: Float32Array;
  logDensity: Float32Array;
  accepted: Uint8Array;
}

/** About this many float32 values of positions per chunk (4 MiB). */
const CHUNK_VALUES = 1 << 20;

/** Recorded draws of n chains; grows by chunks, so it never copies what it already holds. */
export class Trace {
  /** The recorded coordinates (indices into 0..d−1), in the order of the stored columns. */
  readonly dims: readonly number[];
  /** Number of recorded draws (per chain). */
  length = 0;
  private readonly chunks: Chunk[] = [];
  private readonly chunkDraws: number;
  private readonly column: Map<number, number>;

  /**
   * An empty trace for n chains in dimension d, recording the coordinates `record` (default all).
   * `expectedDraws` (when known) bounds the size of the first chunk, so short runs allocate little.
   */
  constructor(readonly n: number, readonly d: number, record: RecordSpec = 'all', expectedDraws = Infinity) {
    checkPositiveInt('n', n);
    checkPositiveInt('d', d);
    if (record === 'all') {
      this.dims = Array.from({ length: d }, (_, j) => j);
    } else {
      if (!Array.isArray(record) || record.length === 0) throw new ArgumentError('record', `'all' or a non-empty array of coordinate indices in [0, ${d})`, record);
      for (const j of record) {
        if (!(Number.isInteger(j) && j >= 0 && j < d)) throw new ArgumentError('record', `coordinate indices: integers in [0, ${d})`, j);
      }
      if (new Set(record).size !== record.length) throw new ArgumentError('record', 'distinct coordinate indices', record);
      this.dims = [...record];
    }
    this.column = new Map(this.dims.map((j, c) => [j, c]));
    this.chunkDraws = Math.max(1, Math.min(expectedDraws, Math.floor(CHUNK_VALUES / (n * this.dims.length))));
  }

  /** Appends the current draw of every chain (copying it), labelled with the sampling step number. */
  push(step: number, state: ChainState, info: StepInfo): void {
    const { n } = this;
    if (state.n !== n || state.d !== this.d) throw new ArgumentError('state', `${n} chains in dimension ${this.d}`, `${state.n} chains in dimension ${state.d}`);
    const t = this.length % this.chunkDraws;
    if (t === 0) {
      const m = this.chunkDraws;
      this.chunks.push({ step: new Int32Array(m), x: new Float32Array(m * n * this.dims.length), logDensity: new Float32Array(m * n), accepted: new Uint8Array(m * n) });
    }
    const c = this.chunks[this.chunks.length - 1];
    c.step[t] = step;
    c.logDensity.set(state.logDensity, t * n);
    c.accepted.set(info.accepted, t * n);
    const k = this.dims.length;
    if (k === this.d) {
      c.x.set(state.position, t * n * k);
    } else {
      for (let r = 0, o = t * n * k; r < n; r++) for (let col = 0; col < k; col++, o++) c.x[o] = state.position[r * this.d + this.dims[col]];
    }
    this.length++;
  }

  /** Calls f(chunk, index in chunk, draw number) for every recorded draw, in order. */
  private forEachDraw(f: (chunk: Chunk, t: number, draw: number) => void): void {
    for (let draw = 0; draw < this.length; draw++) f(this.chunks[Math.floor(draw / this.chunkDraws)], draw % this.chunkDraws, draw);
  }

  /** The stored column of coordinate j, or an ArgumentError if j was not recorded. */
  private columnOf(j: number): number {
    const c = this.column.get(j);
    if (c === undefined) throw new ArgumentError('j', `a recorded coordinate (one of ${this.dims.join(', ')})`, j);
    return c;
  }

  /** The draws of coordinate j, one float64 series per chain (chains[c][t] = x_j of chain c at draw t), for diagnostics. */
  chains(j: number): Float64Array[] {
    const col = this.columnOf(j);
    const { n } = this;
    const k = this.dims.length;
    const out = Array.from({ length: n }, () => new Float64Array(this.length));
    this.forEachDraw((c, t, draw) => {
      for (let r = 0; r < n; r++) out[r][draw] = c.x[(t * n + r) * k + col];
    });
    return out;
  }

  /** All draws flattened to [draws·chains, k] row-major (row t·n + c is chain c at draw t; k recorded coordinates). */
  samples(): Float32Array {
    const per = this.n * this.dims.length;
    const out = new Float32Array(this.length * per);
    this.forEachDraw((c, t, draw) => out.set(c.x.subarray(t * per, (t + 1) * per), draw * per));
    return out;
  }

  /** log π of every draw, [draws, chains] row-major. */
  logDensities(): Float32Array {
    const { n } = this;
    const out = new Float32Array(this.length * n);
    this.forEachDraw((c, t, draw) => out.set(c.logDensity.subarray(t * n, (t + 1) * n), draw * n));
    return out;
  }

  /**
   * The trace as an arquero table, one row per draw and chain (draw-major): columns `chain`,
   * `step` (sampling step number, 1-based), `x{j}` for each recorded coordinate j, `logDensity`
   * and `accepted` (0/1). `opts.chains` keeps only those chains.
   */
  table(opts: { chains?: readonly number[] } = {}): aq.ColumnTable {
    const { n } = this;
    const keep = opts.chains ?? Array.from({ length: n }, (_, r) => r);
    for (const r of keep) if (!(Number.isInteger(r) && r >= 0 && r < n)) throw new ArgumentError('chains', `chain indices: integers in [0, ${n})`, r);
    const k = this.dims.length;
    const rows = this.length * keep.length;
    const chain = new Int32Array(rows);
    const step = new Int32Array(rows);
    const logDensity = new Float32Array(rows);
    const accepted = new Uint8Array(rows);
    const xs = this.dims.map(() => new Float32Array(rows));
    this.forEachDraw((c, t, draw) => {
      keep.forEach((r, q) => {
        const o = draw * keep.length + q;
        chain[o] = r;
        step[o] = c.step[t];
        logDensity[o] = c.logDensity[t * n + r];
        accepted[o] = c.accepted[t * n + r];
        for (let col = 0; col < k; col++) xs[col][o] = c.x[(t * n + r) * k + col];
      });
    });
    const columns: Record<string, ArrayLike<number>> = { chain, step };
    this.dims.forEach((j, col) => (columns[`x${j}`] = xs[col]));
    return aq.table({ ...columns, logDensity, accepted });
  }
}
