/**
 * The loop contract shared by every long-running computation in transportlab (MCMC run
 * drivers, SMC/AIS, training loops of flows, interpolants, NETS...): progress reporting to
 * observers (terminal bar in scripts, live widgets in notebooks), cooperative interruption
 * through an `AbortSignal`, and regular yields to the event loop so that a Jupyter kernel can
 * deliver an interrupt or flush widget messages while the loop runs.
 *
 * A loop creates a {@link LoopMonitor}, calls `await monitor.tick(event)` once per step and
 * stops (keeping what it computed) as soon as `tick` returns `true`:
 *
 * ```ts
 * const monitor = new LoopMonitor('training', steps, opts);
 * for (let i = 0; i < steps; i++) {
 *   const loss = trainStep();
 *   if (await monitor.tick({ step: i + 1, metrics: { loss } })) break;
 * }
 * monitor.end();
 * ```
 *
 * @module
 */
import { SingleBar, Presets } from 'cli-progress';

/** One report from a long-running loop. Views (`samples`, `logWeights`) are read-only and valid only during the call: copy what you keep. */
export interface LoopEvent {
  /** What the loop is doing: 'warmup', 'sampling', 'training', 'annealing', ... */
  phase: string;
  /** Steps completed in this phase (1 after the first step). */
  step: number;
  /** Steps planned in this phase. */
  total: number;
  /** Named scalar metrics at this step: loss, acceptance, stepSize, ess, logZ, ... */
  metrics: Record<string, number>;
  /** Position t ∈ [0, 1] along a path of distributions (annealing, interpolants), when the loop has one. */
  t?: number;
  /** The current samples, [n, d] row-major. */
  samples?: { data: Float32Array; n: number; d: number };
  /** Log importance weights [n] of `samples`, when the loop has them. */
  logWeights?: Float32Array;
}

/** Receives the reports of a loop. Every method is optional. Observers must be cheap or coalesce (widgets redraw at most 20 times a second). */
export interface Observer {
  /** A phase begins. */
  start?(phase: string, total: number): void;
  /** One step of the phase is done. */
  update?(event: LoopEvent): void;
  /** The phase ended, normally or because it was aborted. */
  end?(phase: string, reason: 'done' | 'aborted'): void;
}

/** Options every loop accepts. */
export interface LoopOptions {
  /** Stops the loop at its next step; what was computed is returned, not lost. */
  signal?: AbortSignal;
  /** Receivers of the per-step reports (e.g. widgets). */
  observers?: Observer[];
  /** A terminal progress bar on stderr: `true`, `false`, or `'auto'` (default: only when stderr is a TTY). */
  progress?: boolean | 'auto';
}

let ambient: AbortSignal | undefined;
const ambientObservers = new Set<Observer>();

/**
 * Sets the signal every loop also obeys (the Jupyter kernel sets one per cell, so an
 * interrupt stops a run driver with its partial results). `undefined` clears it.
 */
export function setAmbientSignal(signal: AbortSignal | undefined): void {
  ambient = signal;
}

/** Adds an observer that every loop reports to (until removed with the returned function). */
export function addAmbientObserver(observer: Observer): () => void {
  ambientObservers.add(observer);
  return () => ambientObservers.delete(observer);
}

/** How often a loop hands control back to the event loop, in ms. */
const YIELD_EVERY_MS = 25;

/**
 * Tracks one phase of a loop: reports to observers and the progress bar, yields to the event
 * loop every few milliseconds, and says when the loop must stop.
 */
export class LoopMonitor {
  private readonly observers: Observer[];
  private readonly bar?: SingleBar;
  private lastYield = performance.now();
  private ended = false;
  /** Whether the loop was stopped by a signal. */
  aborted = false;

  constructor(readonly phase: string, readonly total: number, private readonly opts: LoopOptions = {}) {
    this.observers = [...(opts.observers ?? []), ...ambientObservers];
    const tty = opts.progress ?? 'auto';
    if (tty === true || (tty === 'auto' && process.stderr.isTTY)) {
      this.bar = new SingleBar(
        { format: `${phase} {bar} {value}/{total} {metrics} | {eta_formatted} left`, hideCursor: true, clearOnComplete: false, stream: process.stderr },
        Presets.shades_classic,
      );
      this.bar.start(total, 0, { metrics: '' });
    }
    for (const o of this.observers) o.start?.(phase, total);
  }

  /** Whether a signal (the loop's own or the ambient one) asks to stop. */
  get stopRequested(): boolean {
    return Boolean(this.opts.signal?.aborted || ambient?.aborted);
  }

  /**
   * Reports a completed step; resolves to `true` when the loop must stop now.
   * Yields to the event loop at most every 25 ms, so interrupts and widget traffic get through.
   */
  async tick(event: Omit<LoopEvent, 'phase' | 'total'>): Promise<boolean> {
    const full: LoopEvent = { phase: this.phase, total: this.total, ...event };
    for (const o of this.observers) o.update?.(full);
    if (this.bar) {
      const m = Object.entries(event.metrics)
        .slice(0, 3)
        .map(([k, v]) => `${k}=${formatMetric(v)}`)
        .join(' ');
      this.bar.update(event.step, { metrics: m });
    }
    const now = performance.now();
    if (now - this.lastYield >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastYield = performance.now();
    }
    if (this.stopRequested) this.aborted = true;
    return this.aborted;
  }

  /** Ends the phase (idempotent): stops the bar and tells the observers why. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.bar?.stop();
    const reason = this.aborted ? 'aborted' : 'done';
    for (const o of this.observers) o.end?.(this.phase, reason);
  }
}

function formatMetric(v: number): string {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(3);
}
