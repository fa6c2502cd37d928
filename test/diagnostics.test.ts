import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as random from '../src/core/random.js';
import { ArgumentError } from '../src/core/errors.js';
import {
  autocovariance, autocorrelation, rankNormalize, splitRhat, rhat, essBulk, essTail, essBulkAndTail, essMean, mcse, summary, summaryTable,
  logSumExp, logMeanExp, normalizedWeights, normalizeLogWeights, kishEss, logZFromWeights, logZError, mmd, slicedWasserstein, histogramKl,
} from '../src/diagnostics/index.js';
import { normalQuantile } from '../src/diagnostics/normal.js';
import { meanAutocovariance } from '../src/diagnostics/autocorrelation.js';
import { foldSorted, sortValues, type Sorted } from '../src/diagnostics/ranks.js';

/** m stationary AR(1) chains x_t = φ x_{t−1} + ε_t, ε ~ N(0, 1), x_0 ~ N(0, 1/(1 − φ²)), plus `shift`. */
function ar1(k: random.Key, m: number, n: number, phi: number, shift = 0): Float64Array[] {
  return random.split(k, m).map((kc) => {
    const e = random.normal(kc, n);
    const x = new Float64Array(n);
    let v = e[0] / Math.sqrt(1 - phi * phi);
    for (let t = 0; t < n; t++) {
      if (t > 0) v = phi * v + e[t];
      x[t] = v + shift;
    }
    return x;
  });
}

/** Mean and standard error of the mean of the values. */
function meanSe(v: number[]): [number, number] {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const s2 = v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
  return [m, Math.sqrt(s2 / v.length)];
}

// Fixed input: 4 chains × 25 draws of AR(1) (φ = 0.6) rounded to 0.1 (ties exercise average
// ranks; the odd length exercises the dropped middle draw), the last chain shifted by 0.8.
const FIXED = [
  [1.7, 1.8, 1.5, 0.9, -0.6, 0.9, 0.7, 1.9, 1.0, -0.7, -1.1, -2.0, -2.3, -3.9, -2.2, -0.2, -0.4, -0.1, -1.1, -0.2, 2.3, -0.0, -0.3, 0.8, -0.4],
  [-2.4, 0.3, -0.7, 0.4, 1.0, 0.3, 0.2, 1.1, -0.0, -0.8, -1.6, 1.0, 0.4, -1.2, 0.2, -1.9, -1.5, -1.5, -0.9, 0.2, 0.5, 1.8, 1.2, -0.2, 1.5],
  [-1.6, -1.4, -1.8, -1.3, -0.6, -3.2, -3.3, -2.0, -0.4, -1.0, 0.6, 0.7, -0.5, -1.0, 0.8, 1.3, 1.6, 0.6, -0.2, -0.4, -1.1, -2.1, -0.6, -0.5, 0.1],
  [-0.9, -0.3, -0.3, 1.3, 2.0, 2.1, 1.6, 0.2, 1.6, 1.1, 1.2, -0.0, 0.4, 0.4, 0.1, 1.4, 0.1, 2.4, 2.0, 2.3, 1.7, 1.7, 0.9, 1.8, 2.4],
];

// Reference values for FIXED from a line-by-line numpy transcription of ArviZ's
// arviz/stats/diagnostics.py (_split_chains, _z_scale with scipy-style average ranks and
// Φ⁻¹ from Python's statistics.NormalDist, _rhat, _rhat_rank, _ess with numpy.fft autocov,
// _ess_bulk, _ess_tail with numpy.quantile, _mcse_mean), run with numpy on this machine.
const ARVIZ = {
  essBulk: 18.564192923149744,
  essTail: 70.87831995058681,
  essMean: 19.111846790481504,
  splitRhat: 1.1866051185849111,
  rhat: 1.1993965567576033,
  mcse: 0.3139143873285843,
};

test('R-hat, ESS and MCSE agree with ArviZ on a fixed input', () => {
  // Φ⁻¹ is Acklam's approximation (relative error < 1.2e-9), so z-scaled quantities agree to ~1e-8
  const close = (got: number, want: number, rel: number, what: string) => assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: ${got} vs ${want}`);
  close(essBulk(FIXED), ARVIZ.essBulk, 1e-7, 'essBulk');
  close(rhat(FIXED), ARVIZ.rhat, 1e-7, 'rhat');
  close(essTail(FIXED), ARVIZ.essTail, 1e-12, 'essTail');
  const both = essBulkAndTail(FIXED);
  close(both.bulk, ARVIZ.essBulk, 1e-7, 'essBulkAndTail bulk');
  close(both.tail, ARVIZ.essTail, 1e-12, 'essBulkAndTail tail');
  close(essMean(FIXED), ARVIZ.essMean, 1e-12, 'essMean');
  close(splitRhat(FIXED), ARVIZ.splitRhat, 1e-12, 'splitRhat');
  close(mcse(FIXED), ARVIZ.mcse, 1e-12, 'mcse');
  // typed arrays give the same numbers as plain arrays
  assert.equal(essMean(FIXED.map((c) => Float64Array.from(c))), essMean(FIXED));
});

test('normal quantile matches known values', () => {
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 3e-9);
  assert.ok(Math.abs(normalQuantile(0.001) + 3.090232306167813) < 5e-9);
  assert.equal(normalQuantile(0.5), 0);
  assert.throws(() => normalQuantile(0), ArgumentError);
});

test('FFT autocovariance equals the direct sum', () => {
  for (const n of [1, 2, 7, 64, 300]) {
    const x = random.normal(random.key(n), n);
    let mu = 0;
    for (const v of x) mu += v / n;
    const g = autocovariance(x);
    for (let t = 0; t < n; t++) {
      let s = 0;
      for (let i = 0; i + t < n; i++) s += (x[i] - mu) * (x[i + t] - mu);
      assert.ok(Math.abs(g[t] - s / n) < 1e-12 * (1 + Math.abs(s / n)), `n=${n} lag ${t}`);
    }
    assert.equal(autocorrelation(x)[0], 1);
  }
  assert.deepEqual(Array.from(autocorrelation([2, 2, 2])), [1, 0, 0]);
  // several rows (two per FFT, the last one alone): the mean of the rows' direct sums
  const rows = 3;
  const n = 9;
  const x = random.normal(random.key(5), rows * n);
  const g = meanAutocovariance(Float64Array.from(x), rows, n);
  for (let t = 0; t < n; t++) {
    let want = 0;
    for (let c = 0; c < rows; c++) want += directAcov(Array.from(x.subarray(c * n, (c + 1) * n)))[t] / rows;
    assert.ok(Math.abs(g[t] - want) < 1e-12 * (1 + Math.abs(want)), `rows lag ${t}: ${g[t]} vs ${want}`);
  }
});

test('rank normalisation: average ranks of ties, Blom offsets', () => {
  const z = rankNormalize([[3, 1], [1, 2]]); // ranks 4, 1.5 / 1.5, 3 of S = 4
  const want = [[4, 1.5], [1.5, 3]].map((r) => r.map((ri) => normalQuantile((ri - 0.375) / 4.25)));
  assert.deepEqual(z.map((c) => Array.from(c)), want);
});

// A straightforward reference for the fast paths (one packed-key sort per row, shared ranks, folded
// order by merge, quantiles from the sorted copy, summed power spectra): comparator sorts, a sorted
// copy per quantile, direct-sum autocovariances, ArviZ's _rhat, _z_scale and _ess step by step.

/** γ̂_t = (1/n) Σ_{i<n−t} (x_i − x̄)(x_{i+t} − x̄) by direct summation. */
function directAcov(x: number[]): number[] {
  const n = x.length;
  const mu = x.reduce((a, b) => a + b, 0) / n;
  return x.map((_, t) => x.slice(0, n - t).reduce((a, v, i) => a + (v - mu) * (x[i + t] - mu), 0) / n);
}

const refSplit = (x: number[][]) => x.flatMap((c) => [c.slice(0, Math.floor(c.length / 2)), c.slice(c.length - Math.floor(c.length / 2))]);

function refZ(x: number[][]): number[][] {
  const all = x.flat();
  const s = all.length;
  const idx = all.map((_, i) => i).sort((i, j) => all[i] - all[j]);
  const r: number[] = [];
  for (let i = 0; i < s; ) {
    let j = i;
    while (j + 1 < s && all[idx[j + 1]] === all[idx[i]]) j++;
    for (let k = i; k <= j; k++) r[idx[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const n = x[0].length;
  return x.map((c, ci) => c.map((_, t) => normalQuantile((r[ci * n + t] - 0.375) / (s + 0.25))));
}

function refQuantile(v: number[], p: number): number {
  const s = [...v].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
function var1(v: number[]): number {
  const mu = mean(v);
  return v.reduce((a, b) => a + (b - mu) ** 2, 0) / (v.length - 1);
}

function refRhat(x: number[][]): number {
  const n = x[0].length;
  const w = mean(x.map(var1));
  return Math.sqrt((n * var1(x.map(mean))) / w + n - 1) / Math.sqrt(n);
}

function refEss(x: number[][]): number {
  const m = x.length;
  const n = x[0].length;
  const acov = x.map(directAcov);
  const meanAcov = acov[0].map((_, t) => mean(acov.map((g) => g[t])));
  const meanVar = (meanAcov[0] * n) / (n - 1);
  const varPlus = (meanVar * (n - 1)) / n + (m > 1 ? var1(x.map(mean)) : 0);
  const rhoAt = (t: number) => 1 - (meanVar - meanAcov[t]) / varPlus;
  const rho = new Array<number>(n).fill(0);
  let [even, odd] = [1, rhoAt(1)];
  [rho[0], rho[1]] = [even, odd];
  let t = 1;
  while (t < n - 3 && even + odd > 0) {
    [even, odd] = [rhoAt(t + 1), rhoAt(t + 2)];
    if (even + odd >= 0) [rho[t + 1], rho[t + 2]] = [even, odd];
    t += 2;
  }
  const maxT = t - 2;
  if (even > 0) rho[maxT + 1] = even;
  for (t = 1; t <= maxT - 2; t += 2) {
    if (rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t]) rho[t + 1] = rho[t + 2] = (rho[t - 1] + rho[t]) / 2;
  }
  const tau = -1 + 2 * rho.slice(0, maxT + 1).reduce((a, b) => a + b, 0) + (maxT + 1 < n ? rho[maxT + 1] : 0);
  return (m * n) / Math.max(tau, 1 / Math.log10(m * n));
}

/** Asserts that `s` is an ascending arrangement of f(v_i): a permutation `order` with values[p] = f(v[order[p]]). */
function assertSortedBy(s: Sorted, v: Float64Array, f: (x: number) => number): void {
  assert.deepEqual(Array.from(s.order).sort((a, b) => a - b), Array.from(v.keys()));
  for (let p = 0; p < v.length; p++) {
    assert.ok(s.values[p] === f(v[s.order[p]]), `position ${p}`);
    if (p > 0) assert.ok(s.values[p - 1] <= s.values[p], `ascending at ${p}`);
  }
}

test('fast paths equal a straightforward reference on draws with ties', () => {
  const close = (got: number, want: number, what: string) => assert.ok(Math.abs(got - want) <= 1e-12 * Math.abs(want), `${what}: ${got} vs ${want}`);
  for (const n of [61, 60]) {
    // AR(1) draws rounded to 0.1 (many ties), ±0, and in chain 2 near-ties 1 + k·2⁻⁵² that share
    // their packed sort key above the index bits (the sort's exact-order repair)
    const x = ar1(random.key(41), 40, n, 0.6).map((c) => Array.from(c, (v) => Math.round(10 * v) / 10));
    x[0][3] = -0;
    x[1][5] = 0;
    x[2] = x[2].map((v, t) => (t % 3 === 0 ? 1 + ((7 * t) % 11) * 2 ** -52 : v));
    const flat = Float64Array.from(x.flat());
    // the order (over several buckets), the folded order and the rank-normal scores: exactly the reference's
    const sorted = sortValues(flat);
    assertSortedBy(sorted, flat, (v) => v);
    // one outlier puts every other draw into the first bucket; a heavy tail spreads them unevenly
    const outlier = Float64Array.from([...flat, 1e300]);
    assertSortedBy(sortValues(outlier), outlier, (v) => v);
    const cauchy = flat.map((v, i) => Math.tan(Math.PI * (((i * 0.6180339887) % 1) - 0.5)) + v);
    assertSortedBy(sortValues(cauchy), cauchy, (v) => v);
    const med = refQuantile(Array.from(flat), 0.5);
    assertSortedBy(foldSorted(sorted, med), flat, (v) => Math.abs(v - med));
    assert.deepEqual(rankNormalize(x).map((c) => Array.from(c)), refZ(x));
    // the diagnostics: the reference sums autocovariances directly (not by FFT), hence 1e-12
    const s = refSplit(x);
    const sMed = refQuantile(s.flat(), 0.5);
    close(rhat(x), Math.max(refRhat(refZ(s)), refRhat(refZ(s.map((c) => c.map((v) => Math.abs(v - sMed)))))), `rhat n=${n}`);
    close(essBulk(x), refEss(refZ(s)), `essBulk n=${n}`);
    const tail = (p: number) => {
      const q = refQuantile(x.flat(), p);
      return refEss(refSplit(x.map((c) => c.map((v) => (v <= q ? 1 : 0)))));
    };
    close(essTail(x), Math.min(tail(0.05), tail(0.95)), `essTail n=${n}`);
    close(essTail(x, [0.3, 0.9]), Math.min(tail(0.3), tail(0.9)), `essTail(0.3, 0.9) n=${n}`);
    close(essMean(x), refEss(s), `essMean n=${n}`);
    close(mcse(x), Math.sqrt(var1(x.flat()) / refEss(s)), `mcse n=${n}`);
    const [row] = summary([x]);
    assert.deepEqual([row.essBulk, row.essTail, row.rhat, row.mcse], [essBulk(x), essTail(x), rhat(x), mcse(x)]);
  }
});

test('ESS of AR(1) chains matches the analytic (1 − φ)/(1 + φ) N', () => {
  const m = 4;
  const n = 10000;
  const N = m * n;
  // Sokal's variance of the integrated autocorrelation time estimated with a window of M lags,
  // Var(τ̂)/τ² ≈ 2(2M + 1)/N; Geyer's sequence stops well before M = 20 lags for |φ| ≤ 0.5.
  const tol = 5 * Math.sqrt((2 * (2 * 20 + 1)) / N);
  for (const phi of [0.5, -0.3]) {
    const chains = ar1(random.key(11), m, n, phi);
    const want = (N * (1 - phi)) / (1 + phi);
    for (const [name, f] of [['essMean', essMean], ['essBulk', essBulk]] as const) {
      const got = f(chains);
      assert.ok(Math.abs(got / want - 1) < tol, `${name} φ=${phi}: ${got} vs ${want} (tol ${tol})`);
    }
    // MCSE of the mean against its analytic value √(Var x / N · (1 + φ)/(1 − φ))
    const se = Math.sqrt((1 / (1 - phi * phi) / N) * ((1 + phi) / (1 - phi)));
    assert.ok(Math.abs(mcse(chains) / se - 1) < tol, `mcse φ=${phi}: ${mcse(chains)} vs ${se}`);
    assert.ok(essTail(chains) > 0 && essTail(chains) < 2 * N);
  }
});

test('R-hat near 1 for mixed chains, above 1.01 for a shifted chain or a chain of another scale', () => {
  const good = ar1(random.key(21), 4, 2000, 0.3);
  assert.ok(rhat(good) < 1.01, `rhat ${rhat(good)}`);
  assert.ok(splitRhat(good) < 1.01);
  const shifted = [...ar1(random.key(22), 3, 2000, 0.3), ...ar1(random.key(23), 1, 2000, 0.3, 1)];
  assert.ok(rhat(shifted) > 1.05, `shifted rhat ${rhat(shifted)}`);
  // same mean, one chain 3x wider: the folded (tail) R-hat catches what the classic one misses
  const wide = [...ar1(random.key(24), 3, 2000, 0.3), ...ar1(random.key(25), 1, 2000, 0.3).map((c) => c.map((v) => 3 * v))];
  assert.ok(rhat(wide) > 1.05, `wide rhat ${rhat(wide)}`);
  assert.ok(rhat(wide) > splitRhat(wide));
  assert.ok(Number.isNaN(rhat([[1, 1, 1, 1], [1, 1, 1, 1]])), 'constant chains have no R-hat');
  assert.equal(essBulk([[1, 1, 1, 1], [1, 1, 1, 1]]), 8);
});

test('summary: plain rows per dimension, same numbers as the single functions', () => {
  const a = ar1(random.key(31), 2, 500, 0.5);
  const b = ar1(random.key(32), 2, 500, 0.2, 3);
  const rows = summary([a, b], ['a', 'b']);
  assert.deepEqual(rows.map((r) => r.name), ['a', 'b']);
  assert.equal(rows[1].essBulk, essBulk(b));
  assert.equal(rows[1].essTail, essTail(b));
  assert.equal(rows[1].rhat, rhat(b));
  assert.equal(rows[1].mcse, mcse(b));
  assert.ok(Math.abs(rows[1].mean - 3) < 5 * rows[1].mcse);
  assert.deepEqual(JSON.parse(JSON.stringify(rows)), rows);
  assert.deepEqual(summary({ a }), [rows[0]]);
  assert.equal(summary([a])[0].name, 'x[0]');
  const t = summaryTable({ a, b });
  assert.equal(t.numRows(), 2);
  assert.deepEqual(t.columnNames(), ['name', 'mean', 'sd', 'essBulk', 'essTail', 'rhat', 'mcse']);
});

test('importance weights: Kish ESS exact, stable in log space, zero weights', () => {
  const w = [1, 2, 3, 4];
  const lw = w.map((v) => Math.log(v) + 1000);
  assert.ok(Math.abs(kishEss(lw) - 100 / 30) < 1e-12);
  assert.ok(Math.abs(logSumExp(lw) - (1000 + Math.log(10))) < 1e-12);
  assert.ok(Math.abs(logMeanExp(lw) - (1000 + Math.log(2.5))) < 1e-12);
  assert.deepEqual(Array.from(normalizedWeights(lw)).map((v) => +v.toFixed(12)), [0.1, 0.2, 0.3, 0.4]);
  assert.ok(Math.abs(normalizeLogWeights(lw)[3] - Math.log(0.4)) < 1e-12);
  assert.ok(Math.abs(kishEss([0, 0, -Infinity]) - 2) < 1e-12);
  // delta method: Var(log Ẑ) = s²_w / (N w̄²), s² with ddof 1
  const est = logZFromWeights(lw);
  const s2 = w.reduce((a, v) => a + (v - 2.5) ** 2, 0) / 3;
  assert.ok(Math.abs(est.stderr - Math.sqrt(s2 / (4 * 2.5 ** 2))) < 1e-12);
  assert.ok(logZFromWeights([5, 5, 5]).stderr < 1e-7);
  assert.deepEqual(logZError(1.5, 0.25, 1), { error: 0.5, z: 2 });
});

test('MMD: ≈ 0 within its spread for one distribution, clearly positive for a shift', () => {
  const d = 2;
  const n = 200;
  const draws = (k: random.Key, shift: number) => random.normal(k, n * d).map((v) => v + shift);
  const same: number[] = [];
  const shifted: number[] = [];
  for (let r = 0; r < 8; r++) {
    const [k1, k2, k3] = random.split(random.key(100 + r), 3);
    same.push(mmd(draws(k1, 0), draws(k2, 0), { dim: d }).mmd2);
    shifted.push(mmd(draws(k1, 0), draws(k3, 0.5), { dim: d, bandwidth: 1 }).mmd2);
  }
  const [m0, se0] = meanSe(same);
  assert.ok(Math.abs(m0) < 5 * se0, `same-distribution MMD² ${m0} ± ${se0}`);
  const [m1, se1] = meanSe(shifted);
  assert.ok(m1 - 5 * se1 > m0 + 5 * se0, `shifted MMD² ${m1} ± ${se1} vs ${m0} ± ${se0}`);
  // by hand, x = y = {(0,0), (1,1)}, h = 1: within terms e⁻¹ + e⁻¹, cross term 2(2 + 2e⁻¹)/4
  assert.ok(Math.abs(mmd([0, 0, 1, 1], [0, 0, 1, 1], { dim: 2, bandwidth: 1 }).mmd2 - (Math.exp(-1) - 1)) < 1e-15);
});

test('sliced W2 of Gaussians matches ‖Δμ‖²/d + (σ₁ − σ₂)²', () => {
  const d = 3;
  const n = 2000;
  const gauss = (k: random.Key, mu: number, s: number) => random.normal(k, n * d).map((v) => mu + s * v);
  for (const [mu2, s2] of [[1, 1], [0, 1.5], [1, 0.5]]) {
    const truth = mu2 * mu2 + (1 - s2) ** 2; // Δμ = mu2·(1, 1, 1): ‖Δμ‖²/d = mu2²
    const est: number[] = [];
    const base: number[] = [];
    for (let r = 0; r < 6; r++) {
      const [k1, k2, k3, kp] = random.split(random.key(200 + r), 4);
      est.push(slicedWasserstein(kp, gauss(k1, 0, 1), gauss(k2, mu2, s2), { dim: d, projections: 64 }).squared);
      base.push(slicedWasserstein(kp, gauss(k1, 0, 1), gauss(k3, 0, 1), { dim: d, projections: 64 }).squared);
    }
    // the empirical measures add a small positive bias, measured by the same-distribution baseline
    const [m, se] = meanSe(est);
    const [b] = meanSe(base);
    assert.ok(Math.abs(m - truth) < 5 * se + b, `SW2² ${m} ± ${se} vs ${truth} (bias ${b})`);
  }
  // exact in 1-D with unequal sizes: W2²(δ-mixture {0, 1}, {0, 0, 1}) = ∫ (F⁻¹ − G⁻¹)² = 1/6
  assert.ok(Math.abs(slicedWasserstein(random.key(1), [0, 1], [0, 0, 1], { dim: 1 }).squared - 1 / 6) < 1e-15);
});

test('histogram KL: ≈ 0 for one distribution, the analytic value against a shifted density', () => {
  const N = 20000;
  const x = random.normal(random.key(300), N);
  const bins = 50;
  const range: [number, number][] = [[-5, 5]];
  const h = 10 / bins;
  const logN = (mu: number) => (p: Float64Array) => Array.from(p, (v) => -0.5 * (v - mu) ** 2);
  // KL(N(0,1) ‖ N(1,1)) = 1/2; MC sd of the plug-in is sd(log p/q)/√N = 1/√N, binning loses
  // ≈ h²/24 · E[(d/dx log p/q)²] = h²/24 and the pseudocounts add ≈ (B − 1)/(2N)
  const kl = histogramKl(x, logN(1), { dim: 1, bins, range });
  assert.ok(Math.abs(kl - 0.5) < 5 / Math.sqrt(N) + (h * h) / 24 + (bins - 1) / (2 * N), `KL ${kl}`);
  const kl0 = histogramKl(x, logN(0), { dim: 1, bins, range });
  assert.ok(kl0 >= 0 && kl0 < (bins - 1) / N + 5 / N, `KL to itself ${kl0}`);
  // 2-D samples vs samples
  const a = random.normal(random.key(301), 2 * N);
  const b = random.normal(random.key(302), 2 * N);
  const c = random.normal(random.key(303), 2 * N).map((v, i) => (i % 2 ? v : v + 1));
  const r2: [number, number][] = [[-5, 6], [-5, 5]];
  const same = histogramKl(a, b, { dim: 2, bins: 20, range: r2 });
  const diff = histogramKl(a, c, { dim: 2, bins: 20, range: r2 });
  // two noisy histograms of B bins: E[KL] ≈ (B − 1)/N (a χ²/2N per histogram); against the
  // shift, the 1-D tolerance with both histograms noisy and the bin width 11/20 along the shift
  const B = 400;
  assert.ok(same < 2 * (B - 1) / N, `2-D same ${same}`);
  assert.ok(Math.abs(diff - 0.5) < 5 * Math.sqrt(2 / N) + (11 / 20) ** 2 / 24 + (B - 1) / N, `2-D shifted ${diff}`);
});

test('bad input is an ArgumentError', () => {
  const bad = (f: () => unknown) => assert.throws(f, ArgumentError);
  bad(() => essBulk([]));
  bad(() => essBulk([[1, 2, 3, 4], [1, 2, 3]]));
  bad(() => rhat([[1, 2, NaN, 4]]));
  bad(() => essMean([[1, 2, 3]]));
  bad(() => mcse([[1, 2, Infinity, 4]]));
  bad(() => essTail([[1, 2, 3, 4]], [0, 0.9]));
  bad(() => summary([[[1, 2, 3, 4]]], ['a', 'b']));
  bad(() => summary([]));
  bad(() => kishEss([1, NaN]));
  bad(() => kishEss([1, Infinity]));
  bad(() => kishEss([-Infinity, -Infinity]));
  bad(() => kishEss([]));
  bad(() => logZFromWeights([1]));
  bad(() => logZError(1, -1, 0));
  bad(() => autocovariance([1, NaN]));
  bad(() => mmd([0, 1, 2], [0, 1], { dim: 2 }));
  bad(() => mmd([0, 0, 0, 0], [1, 1, 1, 1], { dim: 2, bandwidth: 0 }));
  bad(() => slicedWasserstein(random.key(0), [0, 1], [0, NaN], { dim: 1 }));
  bad(() => slicedWasserstein(random.key(0), [0, 1, 2, 3], [0, 1, 2, 3], { dim: 2, projections: 0 }));
  bad(() => histogramKl([0, 1], (p) => p, { dim: 1 }));
  bad(() => histogramKl([0, 1], [0, 1], { dim: 3 as 1 }));
  bad(() => histogramKl([0, 1], (p) => Array.from(p, () => NaN), { dim: 1, range: [[0, 1]] }));
  bad(() => histogramKl([0, 1], [0, 1], { dim: 1, range: [[1, 0]] }));
});
