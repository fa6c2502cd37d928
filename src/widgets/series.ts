/**
 * Growing (x, y) series with bounded memory for the line widgets: when `maxPoints` points are
 * stored, every second one is dropped and from then on only every 2^k-th pushed point is kept,
 * so a run of any length is drawn with at most `maxPoints` points, evenly thinned.
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';

/** A thinned (x, y) series (see the module documentation). */
export class Series {
  private x: Float32Array;
  private y: Float32Array;
  private length = 0;
  private stride = 1;
  private pushed = 0;

  constructor(readonly name: string, readonly maxPoints = 2000) {
    if (!(Number.isInteger(maxPoints) && maxPoints >= 2)) throw new ArgumentError('maxPoints', 'an integer ≥ 2', maxPoints);
    this.x = new Float32Array(maxPoints);
    this.y = new Float32Array(maxPoints);
  }

  /** Appends the point (x, y) (kept if it falls on the current stride). */
  push(x: number, y: number): void {
    if (this.pushed++ % this.stride !== 0) return;
    if (this.length === this.maxPoints) {
      for (let i = 0; 2 * i < this.length; i++) {
        this.x[i] = this.x[2 * i];
        this.y[i] = this.y[2 * i];
      }
      this.length = Math.ceil(this.length / 2);
      this.stride *= 2;
      if ((this.pushed - 1) % this.stride !== 0) return;
    }
    this.x[this.length] = x;
    this.y[this.length] = y;
    this.length++;
  }

  /** Number of stored points. */
  get size(): number {
    return this.length;
  }

  /** Copies of the stored points. */
  points(): { x: Float32Array; y: Float32Array } {
    return { x: this.x.slice(0, this.length), y: this.y.slice(0, this.length) };
  }
}
