/**
 * `lossCurve`: named scalar metrics of a loop (KL, flow-matching, PINN, ELBO... losses) against
 * the iteration, counted across phases, live; a log-scale toggle in the view (the `log_y` state,
 * also settable from the kernel).
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';
import type { LoopEvent } from '../core/loop.js';
import type { PlotlyFigure } from '../kernel/display.js';
import { linesFigure } from './figures.js';
import { LiveFigure, type LiveOptions } from './live.js';
import { positiveInt } from './options.js';
import { Series } from './series.js';

/** Options of {@link lossCurve}. */
export interface LossOptions extends LiveOptions {
  /** Metrics to plot (default every metric of the first step). */
  names?: string[];
  /** Start with a logarithmic y axis (default false). */
  logY?: boolean;
  /** The most points kept per curve (default 2000; longer runs are thinned evenly). */
  maxPoints?: number;
}

/** The live loss-curve widget (see the module documentation); an {@link Observer} of loops. */
export class LossCurve extends LiveFigure {
  private readonly series = new Map<string, Series>();
  private readonly maxPoints: number;
  private iteration = 0;

  constructor(private readonly opts: LossOptions = {}) {
    super();
    if (opts.names !== undefined && !(Array.isArray(opts.names) && opts.names.length > 0 && opts.names.every((n) => typeof n === 'string'))) {
      throw new ArgumentError('names', 'a non-empty array of metric names', opts.names);
    }
    if (opts.logY !== undefined && typeof opts.logY !== 'boolean') throw new ArgumentError('logY', 'a boolean', opts.logY);
    this.maxPoints = positiveInt('maxPoints', opts.maxPoints, 2000);
    for (const name of opts.names ?? []) this.series.set(name, new Series(name, this.maxPoints));
    this.open('LossView', { log_y: opts.logY ?? false }, opts);
    this.model.onChange((changes) => {
      if ('log_y' in changes) this.redraw();
    });
  }

  /** Whether the y axis is logarithmic. */
  get logY(): boolean {
    return this.model.get('log_y') === true;
  }

  /** Switches the y axis between linear and logarithmic. */
  setLogScale(on: boolean): void {
    if (typeof on !== 'boolean') throw new ArgumentError('on', 'a boolean', on);
    this.model.set({ log_y: on });
    this.redraw();
  }

  /** Adds one value of a named curve at `iteration`. */
  record(name: string, iteration: number, value: number): void {
    if (!Number.isFinite(value)) return;
    let s = this.series.get(name);
    if (!s) this.series.set(name, (s = new Series(name, this.maxPoints)));
    s.push(iteration, value);
    this.changed();
  }

  /** Observer: records the step's metrics (the chosen ones) at the next iteration. */
  update(e: LoopEvent): void {
    this.iteration++;
    const names = this.opts.names ?? Object.keys(e.metrics);
    for (const name of names) if (name in e.metrics) this.record(name, this.iteration, e.metrics[name]);
  }

  /** One line per metric against the iteration. */
  figure(): PlotlyFigure {
    const lines = [...this.series.values()].filter((s) => s.size > 0).map((s) => ({ name: s.name, ...s.points() }));
    return linesFigure(lines, { title: this.opts.title ?? 'loss', xTitle: 'iteration', yTitle: 'value', logY: this.model?.get('log_y') === true || (this.model === undefined && this.opts.logY === true) });
  }

  protected describe(): string {
    return `loss curve of ${[...this.series.keys()].join(', ') || 'the metrics'}`;
  }
}

/** A live loss-curve widget; pass it in a loop's `observers`. */
export function lossCurve(opts: LossOptions = {}): LossCurve {
  return new LossCurve(opts);
}
