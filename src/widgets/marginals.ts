/**
 * `marginals`: a live corner plot of chosen coordinates — 1-D histograms or KDEs and 2-D pair
 * densities — of the samples of a loop (MCMC draws accumulated over the steps; SMC/AIS particles
 * with their importance weights) or of a fixed sample, optionally against reference samples or a
 * known marginal density.
 *
 * Samples of one path position are never mixed with those of another: a loop that reports a
 * position t along a path of distributions (an ODE/SDE integrator, annealing) replaces the shown
 * samples whenever t changes, and accumulates only draws reported at the same t.
 *
 * ```ts
 * await run(key, mala(target), x0, 64, { warmup: 200, steps: 1000, stepSize: 0.5, observers: [marginals({ dims: [0, 1] })] });
 * ```
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';
import type { LoopEvent } from '../core/loop.js';
import type { PlotlyFigure } from '../kernel/display.js';
import { ColumnBuffer } from './columns.js';
import { checkSamples, type Samples } from './density.js';
import { marginalsFigure, type MarginalsFigureOptions } from './figures.js';
import { LiveFigure, type LiveOptions } from './live.js';
import { checkDims, checkPhases, labelsOf, positiveInt } from './options.js';

/** Options of {@link marginals}. */
export interface MarginalsOptions extends LiveOptions {
  /** Coordinates to plot (default the first two, or the only one). */
  dims?: number[];
  /** Their names (default `x[j]`). */
  labels?: string[];
  /** 1-D estimate: 'hist' (default) or 'kde'. */
  kind?: 'hist' | 'kde';
  /** Bins of the 1-D histograms (default 40). */
  bins?: number;
  /** Bins per axis of the pair densities (default 30); 0 draws no pairs. */
  bins2d?: number;
  /** The most rows kept from the loop (default 20000; older MCMC draws are dropped). */
  maxSamples?: number;
  /** Reference samples [n, d] of the same distribution (all coordinates). */
  reference?: Samples;
  /** A known marginal density of coordinate `dim` at the points `x`. */
  density?: (dim: number, x: Float64Array) => ArrayLike<number>;
  /** Phases of the loop to show (default all). */
  phases?: string[];
}

/** The live marginals widget (see the module documentation); an {@link Observer} of loops. */
export class Marginals extends LiveFigure {
  /** The shown samples (the plotted coordinates), created at the first samples. */
  protected buffer?: ColumnBuffer;
  /** The path position t of the shown samples (undefined when the loop reports none). */
  protected shownT?: number;
  /** The plotted coordinates (chosen at the first samples unless given). */
  protected dims?: number[];
  private readonly figureOptions: Omit<MarginalsFigureOptions, 'labels' | 'reference'>;
  private reference?: Samples;
  /** What the title says about the samples shown. */
  protected status = '';

  /** `view` and `state`: the front-end view and its extra state (for subclasses). */
  constructor(protected readonly opts: MarginalsOptions = {}, view = 'MarginalsView', state: Record<string, unknown> = {}) {
    super();
    if (opts.dims !== undefined) checkDims(opts.dims);
    if (opts.labels !== undefined && opts.dims === undefined) throw new ArgumentError('labels', 'dims to go with them', opts.labels);
    if (opts.kind !== undefined && opts.kind !== 'hist' && opts.kind !== 'kde') throw new ArgumentError('kind', "'hist' or 'kde'", opts.kind);
    if (opts.reference !== undefined) checkSamples('reference', opts.reference);
    if (opts.density !== undefined && typeof opts.density !== 'function') throw new ArgumentError('density', 'a function (dim, x) => density values', opts.density);
    checkPhases(opts.phases);
    const bins2d = opts.bins2d ?? 30;
    if (!(Number.isInteger(bins2d) && bins2d >= 0)) throw new ArgumentError('bins2d', 'a non-negative integer', bins2d);
    const density = opts.density;
    this.figureOptions = {
      kind: opts.kind ?? 'hist',
      bins: positiveInt('bins', opts.bins, 40),
      bins2d,
      density: density && ((c, x) => density(this.dims![c], x)),
      title: opts.title,
    };
    positiveInt('maxSamples', opts.maxSamples, 20000);
    if (opts.dims) this.choose(opts.dims);
    this.open(view, state, opts);
  }

  private choose(dims: number[]): void {
    this.dims = dims;
    this.buffer = new ColumnBuffer(dims, this.opts.maxSamples ?? 20000);
    const ref = this.opts.reference;
    if (ref) {
      const cols = new ColumnBuffer(dims, ref.n);
      cols.append(ref);
      this.reference = cols.view()!.samples;
    }
  }

  /** The buffer of the plotted coordinates, created at the first samples. */
  protected ensure(s: Samples): ColumnBuffer {
    if (!this.buffer) this.choose(s.d >= 2 ? [0, 1] : [0]);
    return this.buffer!;
  }

  /** Whether samples of `phase` are shown (the `phases` option). */
  protected shows(phase: string): boolean {
    return !this.opts.phases || this.opts.phases.includes(phase);
  }

  /** Shows the fixed sample `s` (row-major [n, d]), weighted ∝ exp(logWeights) when given. */
  setSamples(s: Samples, logWeights?: ArrayLike<number>): this {
    checkSamples('samples', s);
    this.ensure(s).replace(s, logWeights);
    this.shownT = undefined;
    this.status = `${s.n} samples`;
    this.changed();
    return this;
  }

  /** Observer: a phase begins (MCMC draws of earlier phases are forgotten). */
  start(phase: string): void {
    if (!this.shows(phase)) return;
    this.buffer?.clear();
    this.shownT = undefined;
  }

  /**
   * Observer: takes the samples of the step. They replace the shown ones when they carry weights
   * (SMC/AIS particles) or lie at another path position t than those (an integrator's step);
   * draws at the same t (or without one: MCMC) are accumulated.
   */
  update(e: LoopEvent): void {
    if (!e.samples || !this.shows(e.phase)) return;
    const buffer = this.ensure(e.samples);
    if (e.logWeights || e.t !== this.shownT) buffer.replace(e.samples, e.logWeights);
    else buffer.append(e.samples);
    this.shownT = e.t;
    this.status = `${e.phase} ${e.step}/${e.total}${e.t === undefined ? '' : ` · t = ${e.t.toFixed(3)}`}`;
    this.changed();
  }

  /** The corner plot of the current samples (an empty figure before any). */
  figure(): PlotlyFigure {
    const view = this.buffer?.view();
    const title = [this.figureOptions.title, this.status].filter(Boolean).join(' — ');
    if (!view) return { data: [], layout: { height: 300, title: { text: title || 'waiting for samples' } } };
    return marginalsFigure(view.samples, view.weights, { ...this.figureOptions, labels: labelsOf(this.dims!, this.opts.labels), reference: this.reference, title });
  }

  protected describe(): string {
    return `marginals of ${this.dims ? labelsOf(this.dims, this.opts.labels).join(', ') : 'the first coordinates'}${this.status ? ` (${this.status})` : ''}`;
  }
}

/**
 * A live marginals widget. `marginals(opts)` observes a loop (pass it in `observers`);
 * `marginals(samples, opts)` shows a fixed sample [n, d].
 */
export function marginals(source?: Samples | MarginalsOptions, opts: MarginalsOptions = {}): Marginals {
  if (source !== undefined && (source as Samples).data !== undefined) {
    const w = new Marginals({ ...opts, display: false });
    w.setSamples(source as Samples);
    if (opts.display ?? true) w.show();
    return w;
  }
  return new Marginals((source as MarginalsOptions | undefined) ?? opts);
}
