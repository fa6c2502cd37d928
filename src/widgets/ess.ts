/**
 * `essOverTime`: effective sample size against the progress of a loop, live.
 * - MCMC (steps report the chains' positions): bulk and tail ESS (Vehtari et al. 2021, rank
 *   normalised split-R̂ machinery of `diagnostics`) of each chosen coordinate over the draws so
 *   far, at up to `points` evenly spaced steps of each phase (warm-up excluded by default) and
 *   always at its last step. An evaluation costs O(chains · draws · log) and grows with the run,
 *   so evaluations are skipped while their time would exceed `budget` (default 25%) of the loop's
 *   own time since the previous one (evaluations cost about as much per draw as a cheap MCMC step,
 *   so the last, over all draws, is often the largest part of the overhead).
 * - Importance weights (steps report `logWeights`: SMC, AIS, non-equilibrium samplers): Kish's
 *   IS-ESS (Σw)²/Σw² at every step, against t when the loop reports it.
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';
import type { LoopEvent } from '../core/loop.js';
import { essBulkAndTail } from '../diagnostics/convergence.js';
import { kishEss } from '../diagnostics/weights.js';
import type { PlotlyFigure } from '../kernel/display.js';
import { linesFigure, type Line } from './figures.js';
import { LiveFigure, type LiveOptions } from './live.js';
import { checkDims, checkPhases, positiveInt } from './options.js';
import { Series } from './series.js';

/** Options of {@link essOverTime}. */
export interface EssOptions extends LiveOptions {
  /** Coordinates whose MCMC ESS is tracked (default [0]). */
  dims?: number[];
  /** ESS evaluations per MCMC phase (default 40). */
  points?: number;
  /** Phases tracked (default every phase except 'warmup'). */
  phases?: string[];
  /** Largest fraction of the loop's time spent evaluating MCMC ESS between two evaluations (default 0.25). */
  budget?: number;
}

/** Draws of the chosen coordinates of every chain during one phase, [dim][chain · total + step]. */
interface ChainStore {
  n: number;
  total: number;
  steps: number;
  every: number;
  computedAt: number;
  draws: Float32Array[];
  /** When the last evaluation ended and how long it took (ms). */
  lastEnd: number;
  lastCost: number;
}

/** The live ESS widget (see the module documentation); an {@link Observer} of loops. */
export class EssOverTime extends LiveFigure {
  private readonly dims: number[];
  private readonly points: number;
  private readonly budget: number;
  private readonly bulk: Series[];
  private readonly tail: Series[];
  private readonly weighted = new Series('IS-ESS');
  private store?: ChainStore;
  private xTitle = 'step';
  private offset = 0;
  private total = 0;

  constructor(private readonly opts: EssOptions = {}) {
    super();
    this.dims = opts.dims ?? [0];
    checkDims(this.dims);
    checkPhases(opts.phases);
    this.points = positiveInt('points', opts.points, 40);
    this.budget = opts.budget ?? 0.25;
    if (!(typeof this.budget === 'number' && this.budget > 0 && this.budget <= 1)) throw new ArgumentError('budget', 'a fraction in (0, 1]', opts.budget);
    this.bulk = this.dims.map((j) => new Series(`bulk x[${j}]`));
    this.tail = this.dims.map((j) => new Series(`tail x[${j}]`));
    this.open('EssView', {}, opts);
  }

  private tracked(phase: string): boolean {
    return this.opts.phases ? this.opts.phases.includes(phase) : phase !== 'warmup';
  }

  /** Observer: a phase begins; MCMC draws are collected afresh, steps continue from the previous phases. */
  start(phase: string, total: number): void {
    if (!this.tracked(phase)) return;
    if (this.store) this.offset += this.store.steps;
    this.store = undefined;
    this.total = total;
  }

  /** Observer: records the step's draws or weights; evaluates the ESS when due. */
  update(e: LoopEvent): void {
    if (!this.tracked(e.phase)) return;
    if (e.logWeights) {
      this.weighted.push(e.t ?? this.offset + e.step, kishEss(e.logWeights));
      if (e.t !== undefined) this.xTitle = 't';
      this.changed();
      return;
    }
    if (!e.samples) return;
    const { data, n, d } = e.samples;
    for (const j of this.dims) if (j >= d) throw new ArgumentError('dims', `coordinates below the dimension ${d}`, j);
    if (!this.store || this.store.n !== n) {
      const total = Math.max(this.total, e.total, 1);
      this.store = { n, total, steps: 0, every: Math.max(1, Math.ceil(total / this.points)), computedAt: 0, draws: this.dims.map(() => new Float32Array(n * total)), lastEnd: performance.now(), lastCost: 0 };
    }
    const s = this.store;
    if (s.steps >= s.total) return;
    this.dims.forEach((j, k) => {
      const out = s.draws[k];
      for (let c = 0; c < n; c++) out[c * s.total + s.steps] = data[c * d + j];
    });
    s.steps++;
    const affordable = (performance.now() - s.lastEnd) * this.budget >= s.lastCost;
    if ((s.steps % s.every === 0 && affordable) || s.steps === s.total) this.evaluate();
  }

  /** Computes bulk and tail ESS of every tracked coordinate over the draws so far (needs ≥ 4 draws). */
  private evaluate(): void {
    const s = this.store;
    if (!s || s.steps < 4 || s.computedAt === s.steps) return;
    s.computedAt = s.steps;
    const t0 = performance.now();
    this.dims.forEach((_, k) => {
      const chains = Array.from({ length: s.n }, (_c, c) => s.draws[k].subarray(c * s.total, c * s.total + s.steps));
      const { bulk, tail } = essBulkAndTail(chains);
      this.bulk[k].push(this.offset + s.steps, bulk);
      this.tail[k].push(this.offset + s.steps, tail);
    });
    s.lastEnd = performance.now();
    s.lastCost = s.lastEnd - t0;
    this.changed();
  }

  /** Observer: a phase ended; evaluates the ESS at its last step, then flushes. */
  override end(phase: string, reason: 'done' | 'aborted'): void {
    if (this.tracked(phase)) this.evaluate();
    super.end(phase, reason);
  }

  /** ESS lines: bulk (solid) and tail (dashed) per coordinate, and IS-ESS when weights were seen. */
  figure(): PlotlyFigure {
    const lines: Line[] = [];
    this.dims.forEach((_, k) => {
      if (this.bulk[k].size > 0) lines.push({ name: this.bulk[k].name, ...this.bulk[k].points(), group: k });
      if (this.tail[k].size > 0) lines.push({ name: this.tail[k].name, ...this.tail[k].points(), dash: 'dash', group: k });
    });
    if (this.weighted.size > 0) lines.push({ name: this.weighted.name, ...this.weighted.points(), group: this.dims.length });
    return linesFigure(lines, { title: this.opts.title ?? 'effective sample size', xTitle: this.xTitle, yTitle: 'ESS' });
  }

  protected describe(): string {
    return `ESS over time of ${this.dims.map((j) => `x[${j}]`).join(', ')}`;
  }
}

/** A live ESS-over-time widget; pass it in a loop's `observers`. */
export function essOverTime(opts: EssOptions = {}): EssOverTime {
  return new EssOverTime(opts);
}
