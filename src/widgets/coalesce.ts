/**
 * Coalescing of redraws: a fast loop marks its widget dirty at every step, but the widget sends
 * at most one update per interval (default 50 ms, i.e. ≤ 20 Hz), plus a trailing one so that
 * the last change is never lost, plus an explicit final flush when the loop ends.
 *
 * @module
 */
import { checkPositive } from '../core/errors.js';

/** The default minimum time between two sends, in ms (20 Hz). */
export const DEFAULT_INTERVAL_MS = 50;

/** Calls `send` at most once per `intervalMs` for any number of {@link Coalescer.mark} calls. */
export class Coalescer {
  private dirty = false;
  private last = -Infinity;
  private timer?: NodeJS.Timeout;
  /** How many times `send` was called. */
  sends = 0;

  /** `now` is the clock in ms (injectable for tests). */
  constructor(private readonly send: () => void, readonly intervalMs = DEFAULT_INTERVAL_MS, private readonly now: () => number = () => performance.now()) {
    checkPositive('intervalMs', intervalMs);
  }

  /** Something changed: sends now if the interval has passed since the last send, else once it has. */
  mark(): void {
    this.dirty = true;
    const wait = this.last + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait).unref();
  }

  /** Sends now if anything changed since the last send. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty) return;
    this.dirty = false;
    this.last = this.now();
    this.sends++;
    this.send();
  }
}
