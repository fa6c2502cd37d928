/**
 * Argument errors that name the argument and what was expected. Every public entry point
 * validates its inputs with these, so bad input fails loudly instead of giving a silent wrong
 * answer; the CLI prints `message` on one line and exits with code 2.
 *
 * @module
 */

/** An invalid argument: `argument` names it, `message` says what was expected and what came. */
export class ArgumentError extends RangeError {
  override readonly name = 'ArgumentError';
  constructor(readonly argument: string, expected: string, got?: unknown) {
    super(`${argument}: expected ${expected}${got === undefined ? '' : `, got ${describe(got)}`}`);
  }
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v;
}

/** Throws unless `v` is an integer ≥ 1. */
export function checkPositiveInt(name: string, v: number): void {
  if (!(Number.isInteger(v) && v >= 1)) throw new ArgumentError(name, 'a positive integer', v);
}

/** Throws unless `v` is an integer ≥ 0. */
export function checkNonNegativeInt(name: string, v: number): void {
  if (!(Number.isInteger(v) && v >= 0)) throw new ArgumentError(name, 'a non-negative integer', v);
}

/** Throws unless `v` is a finite number > 0. */
export function checkPositive(name: string, v: number): void {
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new ArgumentError(name, 'a finite number > 0', v);
}

/** Throws unless `v` is a finite number in the closed interval [lo, hi]. */
export function checkInRange(name: string, v: number, lo: number, hi: number): void {
  if (!(typeof v === 'number' && v >= lo && v <= hi)) throw new ArgumentError(name, `a number in [${lo}, ${hi}]`, v);
}

/** Throws unless every entry of `a` is finite; `what` names the array in the message. */
export function checkAllFinite(name: string, a: ArrayLike<number>): void {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new ArgumentError(name, 'finite values', `${a[i]} at index ${i}`);
  }
}

/** Throws unless `a` has exactly `n` entries. */
export function checkLength(name: string, a: ArrayLike<number>, n: number, shape = `[${n}]`): void {
  if (a.length !== n) throw new ArgumentError(name, `${n} values (shape ${shape})`, `${a.length} values`);
}
