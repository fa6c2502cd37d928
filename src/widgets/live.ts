/**
 * The base of the live plot widgets: a widget model whose `figure` state (a plotly spec) is
 * redrawn from the data at most 20 times a second while a loop runs, flushed when a phase ends,
 * and displayed with a static plotly bundle (the same figure) for viewers without a widget
 * manager. Subclasses are loop {@link Observer}s that collect data and say when it changed.
 *
 * @module
 */
import type { Observer } from '../core/loop.js';
import { plotlyBundle, type DisplayHandle, type MimeBundle, type PlotlyFigure } from '../kernel/display.js';
import { Coalescer, DEFAULT_INTERVAL_MS } from './coalesce.js';
import { WidgetModel } from './model.js';

/** Options every live widget accepts. */
export interface LiveOptions {
  /** Display the widget in the cell output when created (default true). */
  display?: boolean;
  /** Minimum time between two redraws in ms (default 50: ≤ 20 Hz). */
  intervalMs?: number;
  /** Figure title. */
  title?: string;
}

/** A live plotly widget (see the module documentation). */
export abstract class LiveFigure implements Observer {
  /** The synced widget model (its `figure` state is the plotly spec). */
  model!: WidgetModel;
  private coalescer!: Coalescer;
  private handle?: DisplayHandle;

  /** The current plotly figure of the data collected so far. */
  abstract figure(): PlotlyFigure;

  /** A one-line description for plain-text viewers. */
  protected abstract describe(): string;

  /**
   * Opens the model (view `viewName`, extra `state`) with the current figure and displays it.
   * Called by subclasses at the end of their constructor, once their data is initialised.
   */
  protected open(viewName: string, state: Record<string, unknown>, opts: LiveOptions): void {
    this.model = new WidgetModel(`${viewName.replace(/View$/, '')}Model`, viewName, { ...state, figure: this.figure() });
    this.coalescer = new Coalescer(() => this.redraw(), opts.intervalMs ?? DEFAULT_INTERVAL_MS);
    if (opts.display ?? true) this.show();
  }

  /** The data changed: redraw soon (coalesced). */
  protected changed(): void {
    if (this.model.live) this.coalescer.mark();
  }

  /** Sends the current figure to the front-end now. */
  redraw(): void {
    this.model.set({ figure: this.figure() });
  }

  /** Number of redraws sent so far by the coalescer. */
  get redraws(): number {
    return this.coalescer.sends;
  }

  /** Observer: a phase ended; sends the last figure and refreshes the static fallback of the display. */
  end(_phase: string, _reason: 'done' | 'aborted'): void {
    this.coalescer.flush();
    this.handle?.update(this);
  }

  /** Displays the widget (view + static plotly fallback) in the current cell. */
  show(): void {
    this.handle = this.model.display(this.staticBundle(), this.describe());
  }

  /** The display bundle (used by `display(widget)` and display updates). */
  toMimeBundle(): MimeBundle {
    return this.model.mimeBundle(this.staticBundle(), this.describe());
  }

  private staticBundle(): MimeBundle {
    const { 'text/plain': _text, ...rich } = plotlyBundle(this.figure());
    return rich;
  }
}
