import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as random from '../src/core/random.js';
import { normalLanes } from '../src/core/normals-simd.js';
import { simdSupported } from '../src/targets/wasm-simd.js';
import { ArgumentError } from '../src/core/errors.js';

/** Mean and standard error of the mean of f over xs. */
function meanSe(xs: ArrayLike<number>, f: (x: number) => number = (x) => x): [number, number] {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < xs.length; i++) {
    const v = f(xs[i]);
    s += v;
    s2 += v * v;
  }
  const m = s / xs.length;
  return [m, Math.sqrt((s2 / xs.length - m * m) / xs.length)];
}

test('same key gives identical numbers; different keys differ', () => {
  const a = random.normal(random.key(42), 1000);
  const b = random.normal(random.key(42), 1000);
  assert.deepEqual(a, b);
  const c = random.normal(random.key(43), 1000);
  assert.notDeepEqual(a, c);
  // seed 0 is an ordinary seed (TensorFlow.js treats 0 as "unseeded"; we must not)
  assert.deepEqual(random.uniform(random.key(0), 10), random.uniform(random.key(0), 10));
  assert.notDeepEqual(random.uniform(random.key(0), 10), random.uniform(random.key(1), 10));
});

test('split and fold are deterministic and give distinct keys', () => {
  const k = random.key(7);
  const ks = random.split(k, 8);
  assert.equal(ks.length, 8);
  assert.deepEqual(ks.map(String), random.split(random.key(7), 8).map(String));
  assert.equal(new Set([...ks, k, random.fold(k, 0), random.fold(k, 1)].map(String)).size, 11);
  // draws from sibling keys are uncorrelated: |corr| < 5 / sqrt(n)
  const n = 20000;
  const x = random.normal(ks[0], n);
  const y = random.normal(ks[1], n);
  let sxy = 0;
  for (let i = 0; i < n; i++) sxy += x[i] * y[i];
  assert.ok(Math.abs(sxy / n) < 5 / Math.sqrt(n), `correlation ${sxy / n}`);
});

/**
 * Asserts mean 0, variance 1, E z⁴ = 3, and the tail masses P(|z| > 3), P(|z| > 4) (which
 * exercise the ziggurat's wedges and base-strip tail), each within 5 Monte Carlo standard errors.
 */
function assertStandardNormal(z: ArrayLike<number>): void {
  const n = z.length;
  const [m, sem] = meanSe(z);
  assert.ok(Math.abs(m) < 5 * sem, `mean ${m}`);
  const [v, sev] = meanSe(z, (x) => x * x);
  assert.ok(Math.abs(v - 1) < 5 * sev, `var ${v}`);
  const [k4, se4] = meanSe(z, (x) => x ** 4);
  assert.ok(Math.abs(k4 - 3) < 5 * se4, `E z^4 ${k4}`);
  for (const [c, p] of [
    [3, 0.0026997960632601866],
    [4, 6.334248366623996e-5],
  ]) {
    const [pt, sept] = meanSe(z, (x) => (Math.abs(x) > c ? 1 : 0));
    assert.ok(Math.abs(pt - p) < 5 * Math.max(sept, Math.sqrt((p * (1 - p)) / n)), `P(|z| > ${c}) = ${pt}`);
  }
}

test('normal: mean 0, variance 1, kurtosis 3, tail mass, within 5 standard errors', () => {
  assertStandardNormal(random.normal(random.key(1), 400000));
});

test('uniform: open interval, mean and variance of U(-2, 3)', () => {
  const n = 200000;
  const u = random.uniform(random.key(2), n, -2, 3);
  for (const x of u) assert.ok(x > -2 && x < 3);
  const [m, se] = meanSe(u);
  assert.ok(Math.abs(m - 0.5) < 5 * se);
  const [v, sev] = meanSe(u, (x) => (x - 0.5) ** 2);
  assert.ok(Math.abs(v - 25 / 12) < 5 * sev);
});

test('categorical frequencies match softmax(logits) within 5 standard errors', () => {
  const probs = [0.1, 0.2, 0.3, 0.4];
  const rows = 50000;
  const logits = new Float32Array(rows * 4);
  for (let r = 0; r < rows; r++) for (let j = 0; j < 4; j++) logits[r * 4 + j] = Math.log(probs[j]) + 5;
  const c = random.categorical(random.key(3), logits, rows);
  for (let j = 0; j < 4; j++) {
    const f = c.filter((v) => v === j).length / rows;
    assert.ok(Math.abs(f - probs[j]) < 5 * Math.sqrt((probs[j] * (1 - probs[j])) / rows), `p${j} ${f}`);
  }
});

test('permutation, randint and bernoulli', () => {
  const p = random.permutation(random.key(4), 1000);
  assert.deepEqual([...p].sort((a, b) => a - b), [...Array(1000).keys()]);
  const r = random.randint(random.key(5), 10000, -3, 4);
  assert.ok(r.every((v) => v >= -3 && v < 4));
  assert.equal(new Set(r).size, 7);
  const b = random.bernoulli(random.key(6), 100000, 0.3);
  const [m, se] = meanSe(b);
  assert.ok(Math.abs(m - 0.3) < 5 * Math.max(se, Math.sqrt(0.21 / 1e5)));
});

test('bad arguments name the argument', () => {
  assert.throws(() => random.key(1.5), (e: unknown) => e instanceof ArgumentError && e.argument === 'seed');
  assert.throws(() => random.normal(random.key(0), -1), /n: expected a non-negative integer/);
  assert.throws(() => random.split(random.key(0), 0), /n: expected a positive integer/);
  assert.throws(() => random.uniform(random.key(0), 3, 1, 1), /hi: expected/);
  assert.throws(() => random.bernoulli(random.key(0), 3, 2), /p: expected a probability/);
  assert.throws(() => random.categorical(random.key(0), [0, 1, 2], 2), /logits: expected a multiple of rows/);
});

test('uniform stays inside the open interval even where float32 rounding reaches an end point', () => {
  // lo + w·u rounds to hi for u within 2^-25 of 1; with a narrow float32 interval that is frequent.
  const lo = 1;
  const hi = 1 + 2 ** -20;
  const x = random.uniform(random.key(3), 100_000, lo, hi);
  for (const v of x) assert.ok(v > lo && v < hi, `${v} outside (${lo}, ${hi})`);
  assert.throws(() => random.uniform(random.key(3), 1, 1, 1 + 1e-9), /room inside/);
});

test('Stream.fillNormal gives exactly the numbers of repeated Stream.normal calls', () => {
  const k = random.key(11);
  const one = new random.Stream(k);
  const bulk = new random.Stream(k);
  const a = new Float32Array(200_000);
  for (let i = 0; i < a.length; i++) a[i] = one.normal();
  const b = new Float32Array(200_000);
  bulk.fillNormal(b, 0, 150_000);
  bulk.fillNormal(b, 150_000); // continues the same stream
  assert.deepEqual(b, a);
  assert.equal(one.nextInt32(), bulk.nextInt32());
});

test('normalLanes: moments and tails within 5 standard errors; lanes uncorrelated', () => {
  const n = 2_000_000;
  const z = normalLanes(random.key(21), n);
  assertStandardNormal(z);
  // neighbours come from different lanes (lag 1), lag 4 is the next word of the same lane
  for (const lag of [1, 4]) {
    const prod = new Float64Array(n - lag);
    for (let i = lag; i < n; i++) prod[i - lag] = z[i] * z[i - lag];
    const [m, sem] = meanSe(prod);
    assert.ok(Math.abs(m) < 5 * sem, `lag-${lag} correlation ${m}`);
  }
});

test('normalLanes: same key gives the same numbers, on the SIMD and the plain-JavaScript path', () => {
  assert.ok(simdSupported, 'this Node runs WebAssembly SIMD (the fast path under test)');
  const k = random.key(8);
  const n = 150_003; // crosses the kernel's 65,536-draw chunks and ends mid-group
  const a = normalLanes(k, n);
  assert.deepEqual(normalLanes(k, n), a);
  assert.deepEqual(normalLanes(k, n, undefined, false), a);
  let tails = 0;
  for (const v of a) if (Math.abs(v) > 3.442619855899) tails++;
  assert.ok(tails > 0, 'the comparison covers draws from the ziggurat tail');
  // a prefix of a longer draw, written into a given buffer
  const out = new Float32Array(n + 5);
  normalLanes(k, n + 5, out);
  assert.deepEqual(out.subarray(0, n), a);
  assert.notDeepEqual(normalLanes(random.key(9), 1000), a.subarray(0, 1000));
  assert.throws(() => normalLanes(k, -1), /n: expected a non-negative integer/);
  assert.throws(() => normalLanes(k, 10, new Float32Array(5)), /out: expected/);
});
