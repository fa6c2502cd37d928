/** Small numeric helpers shared by the test files (not a test file itself). */
import assert from 'node:assert/strict';

/** Largest |a − b| relative to the largest |b| (both flattened). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return d / s;
}

/** Mean and standard error of the mean of the values f(i), i < n. */
export function meanSe(n: number, f: (i: number) => number): [number, number] {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const v = f(i);
    s += v;
    s2 += v * v;
  }
  const m = s / n;
  return [m, Math.sqrt(Math.max(s2 / n - m * m, 0) / n)];
}
