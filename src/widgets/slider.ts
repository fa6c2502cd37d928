/**
 * `timeSlider`: the marginals of a path of distributions (an interpolant, an annealing schedule)
 * at a time t ∈ [0, 1] chosen with a slider in the browser. Moving the slider sends `t` to the
 * kernel (a widget `update`), which answers with the marginals at t, from a user callback
 * `at(t)` (e.g. integrating an interpolant's ODE to t) or, without one, from snapshots the widget
 * took while observing a loop that reports t.
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';
import type { LoopEvent } from '../core/loop.js';
import { ColumnBuffer } from './columns.js';
import { checkSamples, type Samples } from './density.js';
import { Marginals, type MarginalsOptions } from './marginals.js';
import { positiveInt } from './options.js';

/** Options of {@link timeSlider}. */
export interface TimeSliderOptions extends MarginalsOptions {
  /** Samples of the path at time t (sync or async); without it, snapshots observed from a loop are shown. */
  at?: (t: number) => Samples | Promise<Samples>;
  /** Initial t (default 0 with `at`, else the last observed). */
  t?: number;
  /** Slider resolution (default 0.01). */
  step?: number;
  /** The most snapshots kept from a loop, evenly spaced in t (default 51). */
  snapshots?: number;
}

/** The shown samples (chosen columns) at one path position t. */
interface Snapshot {
  t: number;
  samples: Samples;
  weights?: Float64Array;
}

/** The time-slider widget (see the module documentation); an {@link Observer} of loops reporting t. */
export class TimeSlider extends Marginals {
  private readonly snaps: Snapshot[] = [];
  private readonly spacing: number;
  /** The values of t the kernel received from the front-end, in order. */
  readonly received: number[] = [];

  constructor(private readonly sliderOpts: TimeSliderOptions = {}) {
    const step = sliderOpts.step ?? 0.01;
    if (!(typeof step === 'number' && step > 0 && step <= 1)) throw new ArgumentError('step', 'a number in (0, 1]', step);
    const t = sliderOpts.t ?? 0;
    if (!(typeof t === 'number' && t >= 0 && t <= 1)) throw new ArgumentError('t', 'a number in [0, 1]', t);
    if (sliderOpts.at !== undefined && typeof sliderOpts.at !== 'function') throw new ArgumentError('at', 'a function t => samples', sliderOpts.at);
    super({ ...sliderOpts, display: false }, 'TimeSliderView', { t, step, t_min: 0, t_max: 1 });
    this.spacing = 1 / (positiveInt('snapshots', sliderOpts.snapshots, 51) - 1 || 1);
    this.model.onChange(async (changes) => {
      if (!('t' in changes)) return;
      const v = changes.t;
      if (!(typeof v === 'number' && v >= 0 && v <= 1)) throw new ArgumentError('t', 'a number in [0, 1]', v);
      this.received.push(v);
      await this.moveTo(v);
    });
    if (sliderOpts.display ?? true) this.show();
  }

  /** Shows the marginals at t: from `at(t)`, else from the snapshot nearest to t (the slider then moves to the snapshot's t). */
  async moveTo(t: number): Promise<void> {
    if (!(typeof t === 'number' && t >= 0 && t <= 1)) throw new ArgumentError('t', 'a number in [0, 1]', t);
    if (this.sliderOpts.at) {
      const s = await this.sliderOpts.at(t);
      checkSamples('at(t)', s);
      this.ensure(s).replace(s);
      this.shownT = t;
    } else {
      const snap = this.nearest(t);
      if (!snap) return;
      this.buffer!.restore(snap);
      this.shownT = snap.t;
    }
    this.status = `t = ${this.shownT.toFixed(3)}`;
    this.model.set({ t: this.shownT });
    this.redraw();
  }

  private nearest(t: number): Snapshot | undefined {
    let best: Snapshot | undefined;
    for (const s of this.snaps) if (!best || Math.abs(s.t - t) < Math.abs(best.t - t)) best = s;
    return best;
  }

  /** Keeps a copy of the shown samples as the snapshot at `shownT` (replacing the last one if it has that t); the slider moves there. */
  private keep(): void {
    const view = this.buffer?.view();
    if (!view || this.shownT === undefined) return;
    const copy = new ColumnBuffer(this.dims!, view.samples.n);
    copy.restore(view);
    const snap = { t: this.shownT, ...copy.view()! };
    if (this.snaps.at(-1)?.t === snap.t) this.snaps[this.snaps.length - 1] = snap;
    else this.snaps.push(snap);
    this.model.set({ t: snap.t });
  }

  /** Observer: shows the loop's samples live (those of its current t) and keeps snapshots spaced along t. */
  override update(e: LoopEvent): void {
    super.update(e);
    if (e.t === undefined || !e.samples || !this.shows(e.phase)) return;
    const last = this.snaps.at(-1);
    if (last && Math.abs(e.t - last.t) < this.spacing) return;
    this.keep();
  }

  /** Observer: the phase ended; its last t is kept as a snapshot even when closer than the spacing. */
  override end(phase: string, reason: 'done' | 'aborted'): void {
    if (this.shows(phase)) this.keep();
    super.end(phase, reason);
  }

  /** The times of the snapshots taken from the loop. */
  get snapshotTimes(): number[] {
    return this.snaps.map((s) => s.t);
  }

  protected override describe(): string {
    return `time slider: ${super.describe()}`;
  }
}

/** A time-slider widget over a path of distributions (see the module documentation). */
export async function timeSlider(opts: TimeSliderOptions = {}): Promise<TimeSlider> {
  const w = new TimeSlider({ ...opts, display: false });
  if (opts.at) await w.moveTo(opts.t ?? 0);
  if (opts.display ?? true) w.show();
  return w;
}
