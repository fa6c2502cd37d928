import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, tf } from '../src/core/backend.js';
import * as random from '../src/core/random.js';
import { ArgumentError } from '../src/core/errors.js';
import { evaluate, type Target } from '../src/targets/target.js';
import { gaussian, illConditionedGaussian } from '../src/targets/gaussian.js';
import { funnel } from '../src/targets/funnel.js';
import { studentTMixture } from '../src/targets/studentt.js';
import { banana } from '../src/targets/banana.js';
import { checkerboard, sampleCheckerboard, sampleEightGaussians, sampleRings, sampleTwoMoons, eightGaussiansMeans } from '../src/targets/toy2d.js';
import { makeTarget, targetNames } from '../src/targets/registry.js';
import { loadTargetFile } from '../src/targets/load.js';
import { logGamma } from '../src/targets/special.js';
import { meanSe } from './helpers.js';

before(async () => {
  await ready();
});

const EPS32 = 1.1920929e-7;


/** Asserts that the sample average of f is within 5 Monte Carlo standard errors of `expected`. */
function assertMean(n: number, f: (i: number) => number, expected: number, what: string): void {
  const [m, se] = meanSe(n, f);
  assert.ok(Math.abs(m - expected) <= 5 * se, `${what}: sample mean ${m} vs ${expected} (se ${se})`);
}

/** The target with its fused paths removed, so that evaluate() uses TensorFlow.js autodiff. */
function tensorOnly(t: Target): Target {
  const { logDensityAndGrad: _a, logDensityHost: _b, ...rest } = t;
  return rest;
}

const fusedCases: Array<{ name: string; target: () => Target; scale: number }> = [
  { name: 'gaussian d=3 full cov', target: () => gaussian({ dim: 3, mean: [1, -2, 0.5], cov: [[2, 0.5, 0.1], [0.5, 1, -0.3], [0.1, -0.3, 0.7]] }), scale: 2 },
  { name: 'gaussian d=4 standard', target: () => gaussian({ dim: 4, mean: [0, 1, 2, 3] }), scale: 2 },
  { name: 'gaussian d=3 diagonal scale', target: () => gaussian({ dim: 3, mean: [1, -2, 0.5], scale: [0.5, 2, 1.3] }), scale: 2 },
  { name: 'illcond-gaussian d=8 kappa=1e3', target: () => illConditionedGaussian({ dim: 8, condition: 1e3 }), scale: 5 },
  { name: 'funnel d=5', target: () => funnel({ dim: 5, scale: 3 }), scale: 2 },
  { name: 'student-t mixture d=3, K=3', target: () => studentTMixture({ locs: [[0, 0, 0], [3, -1, 2], [-2, 4, 1]], df: 3, scale: 0.8, weights: [1, 2, 3] }), scale: 3 },
  { name: 'banana d=4', target: () => banana({ dim: 4, b: 0.1, sigma: 3 }), scale: 3 },
];

for (const c of fusedCases) {
  test(`${c.name}: fused log density and gradient agree with TF.js autodiff; no tensor leak`, () => {
    const t = c.target();
    const n = 64;
    const d = t.dim;
    const x = random.normal(random.key(3), n * d).map((v) => c.scale * v);
    const fused = evaluate(t, x, n);
    const host = new Float32Array(n);
    t.logDensityHost!(x, n, host);
    const before = tf.memory().numTensors;
    const auto = evaluate(tensorOnly(t), x, n);
    assert.equal(tf.memory().numTensors, before, 'autodiff evaluation leaks tensors');
    for (let i = 0; i < n; i++) {
      // float32 evaluation of sums of O(d²) terms: a few dozen ulps of the largest magnitude
      let gmax = 1;
      for (let j = 0; j < d; j++) gmax = Math.max(gmax, Math.abs(fused.grad[i * d + j]));
      const tolL = 64 * d * EPS32 * (1 + Math.abs(fused.logDensity[i]));
      assert.ok(Math.abs(fused.logDensity[i] - auto.logDensity[i]) <= tolL, `logp row ${i}: fused ${fused.logDensity[i]} vs autodiff ${auto.logDensity[i]}`);
      assert.equal(host[i], fused.logDensity[i], `logDensityHost row ${i}`);
      for (let j = 0; j < d; j++) {
        const a = fused.grad[i * d + j];
        const b = auto.grad[i * d + j];
        assert.ok(Math.abs(a - b) <= 64 * d * EPS32 * gmax, `grad [${i}, ${j}]: fused ${a} vs autodiff ${b}`);
      }
    }
  });

  test(`${c.name}: fused gradient matches central finite differences (float64)`, () => {
    const t = c.target();
    const d = t.dim;
    const n = 6;
    // The fused paths are plain JS loops: given float64 arrays they compute in float64 throughout,
    // so central differences with h = 1e-5 are accurate to ~1e-9 relative.
    const x = Float64Array.from(random.normal(random.key(4), n * d), (v) => c.scale * v);
    const f64 = (arr: Float64Array, out: Float64Array, g: Float64Array) =>
      t.logDensityAndGrad!(arr as unknown as Float32Array, n, out as unknown as Float32Array, g as unknown as Float32Array);
    const lp = new Float64Array(n);
    const grad = new Float64Array(n * d);
    f64(x, lp, grad);
    const h = 1e-5;
    const lpp = new Float64Array(n);
    const lpm = new Float64Array(n);
    const scratch = new Float64Array(n * d);
    for (let j = 0; j < d; j++) {
      const xp = Float64Array.from(x);
      const xm = Float64Array.from(x);
      for (let i = 0; i < n; i++) {
        xp[i * d + j] += h;
        xm[i * d + j] -= h;
      }
      f64(xp, lpp, scratch);
      f64(xm, lpm, scratch);
      for (let i = 0; i < n; i++) {
        const fd = (lpp[i] - lpm[i]) / (2 * h);
        const g = grad[i * d + j];
        assert.ok(Math.abs(fd - g) <= 1e-5 * (1 + Math.abs(g) + Math.abs(lp[i])), `d/dx${j} row ${i}: analytic ${g} vs FD ${fd}`);
      }
    }
  });
}

/** Midpoint-rule nodes and weights on [a, b] with m cells. */
function midpoint(a: number, b: number, m: number): { x: Float64Array; w: Float64Array } {
  const h = (b - a) / m;
  return { x: Float64Array.from({ length: m }, (_, i) => a + (i + 0.5) * h), w: new Float64Array(m).fill(h) };
}

/** Nodes x = c + sinh(u) with u on a midpoint grid of [−U, U]: weights cosh(u) du (for heavy tails). */
function sinhRule(c: number, U: number, m: number): { x: Float64Array; w: Float64Array } {
  const u = midpoint(-U, U, m);
  return { x: u.x.map((v) => c + Math.sinh(v)), w: u.x.map((v, i) => Math.cosh(v) * u.w[i]) };
}

/**
 * Product-rule quadrature of π and of π·f_k over R² for a 2-D target (fused host path, float64
 * points): returns log ∫π and the expectations E_π[f_k].
 */
function quad2d(t: Target, gx: { x: Float64Array; w: Float64Array }, gy: { x: Float64Array; w: Float64Array }, fs: Array<(a: number, b: number) => number>) {
  const m = gy.x.length;
  const pts = new Float64Array(2 * m);
  const lp = new Float64Array(m);
  let z = 0;
  const acc = new Float64Array(fs.length);
  for (let i = 0; i < gx.x.length; i++) {
    for (let j = 0; j < m; j++) {
      pts[2 * j] = gx.x[i];
      pts[2 * j + 1] = gy.x[j];
    }
    t.logDensityHost!(pts as unknown as Float32Array, m, lp as unknown as Float32Array);
    for (let j = 0; j < m; j++) {
      const p = Math.exp(lp[j]) * gx.w[i] * gy.w[j];
      z += p;
      for (let k = 0; k < fs.length; k++) acc[k] += p * fs[k](gx.x[i], gy.x[j]);
    }
  }
  return { logZ: Math.log(z), means: Array.from(acc, (v) => v / z) };
}

/** Bounded test functions of a 2-D point, scaled to the target. */
function testFunctions(s1: number, s2: number): Array<(a: number, b: number) => number> {
  return [
    (a) => Math.tanh(a / s1),
    (_, b) => Math.tanh(b / s2),
    (a, b) => Math.tanh((a * b) / (s1 * s2)),
    (a, b) => (a / s1 + b / s2 > 0.3 ? 1 : 0),
  ];
}

/** Checks E_π[f] from quadrature against the exact sampler's averages (5 standard errors). */
function checkSamplerAgainstQuadrature(t: Target, means: number[], fs: Array<(a: number, b: number) => number>, seed: number): void {
  const n = 100_000;
  const s = t.sample!(random.key(seed), n);
  fs.forEach((f, k) => assertMean(n, (i) => f(s[2 * i], s[2 * i + 1]), means[k], `${t.name}: E[f${k}]`));
}

const quadCases: Array<{ name: string; target: () => Target; gx: () => ReturnType<typeof midpoint>; gy: () => ReturnType<typeof midpoint>; s: [number, number] }> = [
  {
    name: 'gaussian 2-D correlated',
    target: () => gaussian({ dim: 2, mean: [1, -1], cov: [[2, 0.8], [0.8, 1]] }),
    gx: () => midpoint(1 - 12, 1 + 12, 600),
    gy: () => midpoint(-1 - 9, -1 + 9, 450),
    s: [1.4, 1],
  },
  { name: 'banana b=0.5 sigma=1.5', target: () => banana({ b: 0.5, sigma: 1.5 }), gx: () => midpoint(-10, 10, 800), gy: () => midpoint(-52, 9, 2400), s: [1.5, 2] },
  {
    name: 'student-t mixture df=3',
    target: () => studentTMixture({ locs: [[-2, 0], [2, 1]], df: 3, scale: 0.7, weights: [1, 3] }),
    gx: () => sinhRule(0, 9, 900),
    gy: () => sinhRule(0, 9, 900),
    s: [2, 1],
  },
  {
    name: 'eight gaussians (registry)',
    target: () => makeTarget('eight-gaussians'),
    gx: () => midpoint(-5, 5, 500),
    gy: () => midpoint(-5, 5, 500),
    s: [2, 2],
  },
];

for (const c of quadCases) {
  test(`${c.name}: log Z by 2-D quadrature, and exact sampler averages match the density's`, () => {
    const t = c.target();
    const fs = testFunctions(...c.s);
    const q = quad2d(t, c.gx(), c.gy(), fs);
    // quadrature error here is < 1e-6 (analytic integrands, truncated mass < 1e-9); 1e-4 leaves room for float32 rounding of log π
    assert.ok(Math.abs(q.logZ - t.logZ!) < 1e-4, `log Z: quadrature ${q.logZ} vs exact ${t.logZ}`);
    checkSamplerAgainstQuadrature(t, q.means, fs, 21);
  });
}

test('funnel d=2: normalisation by quadrature on a v-adapted grid, and sampler averages', () => {
  const sigma = 1.2;
  const t = funnel({ dim: 2, scale: sigma });
  const fs = testFunctions(sigma, 1);
  const v = midpoint(-8 * sigma, 8 * sigma, 1600);
  const m = 400;
  const pts = new Float64Array(2 * m);
  const lp = new Float64Array(m);
  let z = 0;
  const acc = new Float64Array(fs.length);
  for (let i = 0; i < v.x.length; i++) {
    const sd = Math.exp(v.x[i] / 2); // x | v has standard deviation e^{v/2}: scale the x grid with it
    const gx = midpoint(-9 * sd, 9 * sd, m);
    for (let j = 0; j < m; j++) {
      pts[2 * j] = v.x[i];
      pts[2 * j + 1] = gx.x[j];
    }
    t.logDensityHost!(pts as unknown as Float32Array, m, lp as unknown as Float32Array);
    for (let j = 0; j < m; j++) {
      const p = Math.exp(lp[j]) * v.w[i] * gx.w[j];
      z += p;
      fs.forEach((f, k) => (acc[k] += p * f(v.x[i], gx.x[j])));
    }
  }
  assert.ok(Math.abs(Math.log(z) - t.logZ!) < 1e-4, `log Z: quadrature ${Math.log(z)} vs exact ${t.logZ}`);
  checkSamplerAgainstQuadrature(t, Array.from(acc, (a) => a / z), fs, 22);
});

test('gaussian: exact sampler has the requested mean and covariance; E[−2 log π] = d', () => {
  const mean = [1, -2, 0.5];
  const cov = [[2, 0.5, 0.1], [0.5, 1, -0.3], [0.1, -0.3, 0.7]];
  const t = gaussian({ dim: 3, mean, cov });
  const n = 200_000;
  const d = 3;
  const x = t.sample!(random.key(5), n);
  for (let j = 0; j < d; j++) {
    assertMean(n, (i) => x[i * d + j], mean[j], `mean[${j}]`);
    for (let k = 0; k <= j; k++) assertMean(n, (i) => (x[i * d + j] - mean[j]) * (x[i * d + k] - mean[k]), cov[j][k], `cov[${j}][${k}]`);
  }
  const lp = new Float32Array(n);
  t.logDensityHost!(x, n, lp);
  assertMean(n, (i) => -2 * lp[i], d, 'E[-2 log pi] (chi-square with d degrees of freedom)');
  // log Z = (d/2) log 2π + ½ log det Σ, det Σ by cofactor expansion
  const det =
    cov[0][0] * (cov[1][1] * cov[2][2] - cov[1][2] * cov[2][1]) -
    cov[0][1] * (cov[1][0] * cov[2][2] - cov[1][2] * cov[2][0]) +
    cov[0][2] * (cov[1][0] * cov[2][1] - cov[1][1] * cov[2][0]);
  assert.ok(Math.abs(t.logZ! - (1.5 * Math.log(2 * Math.PI) + 0.5 * Math.log(det))) < 1e-12);
});

test('gaussian with scale σ: exact sampler mean μ and variance σ²; log Z = (d/2) log 2π + Σ log σ_j; same law as cov = diag(σ²)', () => {
  const mean = [1, -2, 0.5];
  const scale = [0.5, 2, 1.3];
  const t = gaussian({ dim: 3, mean, scale });
  const n = 200_000;
  const d = 3;
  const x = t.sample(random.key(6), n);
  for (let j = 0; j < d; j++) {
    assertMean(n, (i) => x[i * d + j], mean[j], `mean[${j}]`);
    assertMean(n, (i) => (x[i * d + j] - mean[j]) ** 2, scale[j] ** 2, `var[${j}]`);
  }
  const lp = new Float32Array(n);
  t.logDensityHost!(x, n, lp);
  assertMean(n, (i) => -2 * lp[i], d, 'E[-2 log pi] (chi-square with d degrees of freedom)');
  let logDet = 0;
  for (const s of scale) logDet += 2 * Math.log(s);
  assert.ok(Math.abs(t.logZ - (1.5 * Math.log(2 * Math.PI) + 0.5 * logDet)) < 1e-12, `log Z ${t.logZ}`);
  // one σ for every coordinate: log Z = (d/2) log 2π + d log σ
  assert.ok(Math.abs(gaussian({ dim: 3, scale: 1.5 }).logZ - (1.5 * Math.log(2 * Math.PI) + 3 * Math.log(1.5))) < 1e-12);
  // the same target as the full-covariance form with Σ = diag(σ²)
  const full = gaussian({ dim: 3, mean, cov: [[0.25, 0, 0], [0, 4, 0], [0, 0, 1.69]] });
  assert.ok(Math.abs(full.logZ - t.logZ) < 1e-12, `log Z: diagonal ${t.logZ} vs full ${full.logZ}`);
  const m = 64;
  const a = evaluate(t, x.subarray(0, m * d), m);
  const b = evaluate(full, x.subarray(0, m * d), m);
  for (let i = 0; i < m; i++) {
    assert.ok(Math.abs(a.logDensity[i] - b.logDensity[i]) <= 64 * d * EPS32 * (1 + Math.abs(b.logDensity[i])), `logp row ${i}: ${a.logDensity[i]} vs ${b.logDensity[i]}`);
    for (let j = 0; j < d; j++) {
      const g = b.grad[i * d + j];
      assert.ok(Math.abs(a.grad[i * d + j] - g) <= 64 * d * EPS32 * (1 + Math.abs(g)), `grad [${i}, ${j}]: ${a.grad[i * d + j]} vs ${g}`);
    }
  }
});

test('ill-conditioned gaussian: spectrum, log Z, sampler consistent with the precision, seeded rotation', () => {
  const d = 12;
  const kappa = 1e4;
  const t = illConditionedGaussian({ dim: d, condition: kappa, key: random.key(9) });
  // Σ log λ_i = (d/2) log κ for log-spaced eigenvalues
  assert.ok(Math.abs(t.logZ! - ((d / 2) * Math.log(2 * Math.PI) + (d / 4) * Math.log(kappa))) < 1e-9);
  const n = 100_000;
  const x = t.sample!(random.key(6), n);
  let trace = 0;
  for (let i = 0; i < d; i++) trace += kappa ** (i / (d - 1));
  assertMean(n, (i) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] ** 2;
    return s;
  }, trace, 'E|x|² = trace Σ');
  const lp = new Float32Array(n);
  const g = new Float32Array(n * d);
  t.logDensityAndGrad!(x, n, lp, g);
  assertMean(n, (i) => -2 * lp[i], d, 'E[-2 log pi]');
  // −∇log π = Σ⁻¹ x, so E[(Σ⁻¹x)_j x_k] = δ_jk ties the sampler's Σ to the density's Σ⁻¹
  for (const [j, k] of [[0, 0], [d - 1, d - 1], [0, d - 1], [3, 7]]) {
    assertMean(n, (i) => -g[i * d + j] * x[i * d + k], j === k ? 1 : 0, `E[(P x)_${j} x_${k}]`);
  }
  // the extreme eigenvalues: Rayleigh quotients of Σ⁻¹ stay within [1/κ, 1]
  const same = illConditionedGaussian({ dim: d, condition: kappa, key: random.key(9) });
  const other = illConditionedGaussian({ dim: d, condition: kappa, key: random.key(10) });
  const probe = random.normal(random.key(7), 4 * d);
  const a = evaluate(t, probe, 4).logDensity;
  assert.deepEqual(evaluate(same, probe, 4).logDensity, a);
  assert.notDeepEqual(evaluate(other, probe, 4).logDensity, a);
  for (let i = 0; i < 4; i++) {
    let r2 = 0;
    for (let j = 0; j < d; j++) r2 += probe[i * d + j] ** 2;
    const rq = (-2 * a[i]) / r2;
    assert.ok(rq >= 1 / kappa - 1e-6 && rq <= 1 + 1e-6, `Rayleigh quotient ${rq}`);
  }
});

test('funnel d=10: exact sampler: v ~ N(0, σ²) and x_i e^{−v/2} ~ N(0, 1) independent of v', () => {
  const d = 10;
  const t = funnel({ dim: d, scale: 3 });
  const n = 100_000;
  const x = t.sample!(random.key(8), n);
  assertMean(n, (i) => x[i * d], 0, 'E[v]');
  assertMean(n, (i) => x[i * d] ** 2, 9, 'E[v²]');
  for (const j of [1, 5, 9]) {
    assertMean(n, (i) => x[i * d + j] * Math.exp(-x[i * d] / 2), 0, `E[z_${j}]`);
    assertMean(n, (i) => (x[i * d + j] * Math.exp(-x[i * d] / 2)) ** 2, 1, `E[z_${j}²]`);
    assertMean(n, (i) => x[i * d] * (x[i * d + j] * Math.exp(-x[i * d] / 2)) ** 2, 0, `E[v z_${j}²]`);
  }
  assert.ok(Math.abs(t.logZ! - (5 * Math.log(2 * Math.PI) + Math.log(3))) < 1e-12);
});

test('student-t mixture: exact sampler mean and second moments (df = 9)', () => {
  const locs = [[-2, 1], [3, 0], [0, -4]];
  const w = [0.2, 0.5, 0.3];
  const nu = 9;
  const s = 0.8;
  const t = studentTMixture({ locs, df: nu, scale: s, weights: [2, 5, 3] });
  const n = 200_000;
  const x = t.sample!(random.key(13), n);
  for (let j = 0; j < 2; j++) {
    const m = w.reduce((a, wk, k) => a + wk * locs[k][j], 0);
    const m2 = w.reduce((a, wk, k) => a + wk * (locs[k][j] ** 2 + (s * s * nu) / (nu - 2)), 0);
    assertMean(n, (i) => x[2 * i + j], m, `E[x_${j}]`);
    assertMean(n, (i) => x[2 * i + j] ** 2, m2, `E[x_${j}²]`);
  }
  // the normalising constant uses log Γ: check it against known values
  assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-13);
  assert.ok(Math.abs(logGamma(10) - Math.log(362880)) < 1e-12);
  assert.ok(Math.abs(logGamma(4.5) - Math.log(11.631728396567448)) < 1e-12);
});

test('banana d=3: exact sampler undoes the twist (u = y2 + b y1² − bσ² ~ N(0, 1))', () => {
  const b = 0.1;
  const sigma = 10;
  const t = banana({ dim: 3, b, sigma });
  const n = 100_000;
  const y = t.sample!(random.key(14), n);
  const u = (i: number) => y[3 * i + 1] + b * y[3 * i] ** 2 - b * sigma * sigma;
  assertMean(n, (i) => y[3 * i], 0, 'E[y1]');
  assertMean(n, (i) => y[3 * i] ** 2, sigma * sigma, 'E[y1²]');
  assertMean(n, (i) => y[3 * i + 1], 0, 'E[y2]');
  assertMean(n, (i) => u(i) ** 2, 1, 'E[u²]');
  assertMean(n, (i) => u(i) * y[3 * i], 0, 'E[u y1]');
  assertMean(n, (i) => y[3 * i + 2] ** 2, 1, 'E[y3²]');
});

test('checkerboard: W1 samples fill the 8 black squares equally; the target is uniform on them', () => {
  const n = 80_000;
  const x = sampleCheckerboard(random.key(15), n);
  assert.deepEqual(x, sampleCheckerboard(random.key(15), n), 'same key, same samples');
  assert.notDeepEqual(x.subarray(0, 10), sampleCheckerboard(random.key(16), 5));
  const t = checkerboard();
  const lp = new Float32Array(n);
  t.logDensityHost!(x, n, lp);
  const outside = lp.filter((v) => v !== 0).length;
  assert.equal(outside, 0, `${outside} samples off the black squares`);
  const cells = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const c = `${Math.floor(x[2 * i] / 2)},${Math.floor(x[2 * i + 1] / 2)}`;
    cells.set(c, (cells.get(c) ?? 0) + 1);
  }
  assert.equal(cells.size, 8);
  const se = Math.sqrt((n * (1 / 8) * (7 / 8)));
  for (const [c, k] of cells) assert.ok(Math.abs(k - n / 8) <= 5 * se, `square ${c}: ${k} samples`);
  assertMean(n, (i) => x[2 * i] ** 2, 16 / 3, 'E[x1²] (uniform on (−4, 4))');
  // autodiff through the TF.js density: value 0 / −∞ and a zero gradient
  const probe = Float32Array.from([0.5, 0.5, 2.5, 0.5, -3, -3, 5, 0]);
  const auto = evaluate(tensorOnly(t), probe, 4);
  assert.deepEqual(Array.from(auto.logDensity), [0, -Infinity, 0, -Infinity]);
  assert.deepEqual(Array.from(auto.grad), new Array(8).fill(0));
  assert.ok(Math.abs(t.logZ! - Math.log(32)) < 1e-15);
});

test('two moons, eight gaussians, rings: deterministic given the key, with the right moments', () => {
  const n = 100_000;
  const moons = sampleTwoMoons(random.key(17), n, { noise: 0.1 });
  assert.deepEqual(moons, sampleTwoMoons(random.key(17), n, { noise: 0.1 }));
  assertMean(n, (i) => moons[2 * i], 0.5, 'moons E[x]');
  assertMean(n, (i) => moons[2 * i + 1], 0.25, 'moons E[y]');
  // E x² = ½(E cos² t) + ½ E(1 − cos t)² + noise² = ¼ + ¾ + 0.01
  assertMean(n, (i) => moons[2 * i] ** 2, 1.01, 'moons E[x²]');

  const eg = sampleEightGaussians(random.key(18), n, { radius: 2, std: 0.1 });
  assert.deepEqual(eg, sampleEightGaussians(random.key(18), n, { radius: 2, std: 0.1 }));
  assertMean(n, (i) => eg[2 * i] ** 2 + eg[2 * i + 1] ** 2, 4 + 2 * 0.01, 'eight gaussians E|x|²');
  const means = eightGaussiansMeans({ radius: 2 });
  const nearest = (i: number) => {
    let best = 0;
    for (let k = 1; k < 8; k++) {
      if ((eg[2 * i] - means[k][0]) ** 2 + (eg[2 * i + 1] - means[k][1]) ** 2 < (eg[2 * i] - means[best][0]) ** 2 + (eg[2 * i + 1] - means[best][1]) ** 2) best = k;
    }
    return best;
  };
  for (const k of [0, 3, 6]) assertMean(n, (i) => (nearest(i) === k ? 1 : 0), 1 / 8, `eight gaussians mode ${k} mass`);

  const rings = sampleRings(random.key(19), n);
  assert.deepEqual(rings, sampleRings(random.key(19), n));
  // ring radii 0.75 k, k = 1..4 equally likely, plus N(0, 0.08² I): E|x|² = 0.5625 · 7.5 + 2 · 0.0064
  assertMean(n, (i) => rings[2 * i] ** 2 + rings[2 * i + 1] ** 2, 0.5625 * 7.5 + 2 * 0.0064, 'rings E|x|²');
  assertMean(n, (i) => rings[2 * i], 0, 'rings E[x]');
});

test('registry: every name builds a finite target; unknown names and options are ArgumentErrors', () => {
  const names = targetNames();
  for (const required of ['gaussian', 'illcond-gaussian', 'gmm40', 'funnel', 'student-t-mixture', 'banana', 'phi4', 'logreg-breast-cancer']) {
    assert.ok(names.includes(required), `missing ${required}`);
  }
  for (const name of names) {
    const t = makeTarget(name);
    assert.equal(t.name, name);
    const x = name === 'checkerboard' ? Float32Array.from([0.5, 0.5, -1, -1]) : random.normal(random.key(1), 2 * t.dim).map((v) => 0.1 * v);
    const { logDensity, grad } = evaluate(t, x, 2);
    assert.ok(logDensity.every(Number.isFinite) && grad.every(Number.isFinite), `${name}: non-finite density at test points`);
  }
  assert.equal(makeTarget('logreg-breast-cancer').dim, 31);
  assert.equal(makeTarget('phi4', { L: 4 }).dim, 16);
  assert.equal(makeTarget('funnel', { dim: 3 }).dim, 3);
  assert.throws(() => makeTarget('nope'), (e: unknown) => e instanceof ArgumentError && /gmm40/.test(e.message) && /funnel/.test(e.message));
  assert.throws(() => makeTarget('funnel', { dimm: 3 }), (e: unknown) => e instanceof ArgumentError && /dimm/.test(e.message) && /scale/.test(e.message));
});

test('constructors reject bad options with ArgumentErrors naming them', () => {
  const cases: Array<[() => unknown, string]> = [
    [() => gaussian({ dim: 2, cov: [[1, 2], [2, 1]] }), 'cov'],
    [() => gaussian({ dim: 2, cov: [[1, 0.5], [0.4, 1]] }), 'cov'],
    [() => gaussian({ dim: 2, cov: [1, 0, 0] }), 'cov'],
    [() => gaussian({ dim: 2, mean: [0, NaN] }), 'mean'],
    [() => gaussian({ dim: 3, mean: [0, 1] }), 'mean'],
    [() => gaussian({ dim: 0 }), 'dim'],
    [() => gaussian({ dim: 2, scale: [1, 2], cov: [[1, 0], [0, 4]] }), 'scale'],
    [() => gaussian({ dim: 2, scale: 2, cov: [[4, 0], [0, 4]] }), 'scale'],
    [() => gaussian({ dim: 2, scale: [1, 0] }), 'scale[1]'],
    [() => gaussian({ dim: 2, scale: -1 }), 'scale[0]'],
    [() => gaussian({ dim: 2, scale: [1, NaN] }), 'scale[1]'],
    [() => gaussian({ dim: 3, scale: [1, 2] }), 'scale'],
    [() => illConditionedGaussian({ dim: 3, condition: 0.5 }), 'condition'],
    [() => funnel({ dim: 1 }), 'dim'],
    [() => funnel({ scale: -1 }), 'scale'],
    [() => studentTMixture({ locs: [[0, 0], [1]] }), 'locs'],
    [() => studentTMixture({ locs: [[0, 0]], df: 0 }), 'df'],
    [() => studentTMixture({ locs: [[0, 0], [1, 1]], weights: [1] }), 'weights'],
    [() => banana({ b: -1 }), 'b'],
    [() => banana({ dim: 1 }), 'dim'],
    [() => sampleRings(random.key(0), 10, { rings: 0 }), 'rings'],
    [() => sampleTwoMoons(random.key(0), -1), 'n'],
  ];
  for (const [f, arg] of cases) {
    assert.throws(f, (e: unknown) => e instanceof ArgumentError && e.argument === arg, `expected an ArgumentError for ${arg}`);
  }
  const t = gaussian({ dim: 2 });
  assert.throws(() => t.logDensityAndGrad!(new Float32Array(3), 2, new Float32Array(2), new Float32Array(4)), ArgumentError);
});

test('loadTargetFile: loads a spec, rejects files that throw, return NaN or the wrong shape', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-target-'));
  const tensorsBefore = tf.memory().numTensors;
  const write = (name: string, body: string) => {
    const p = join(dir, name);
    writeFileSync(p, body);
    return p;
  };
  const ok = write('quad.mjs', 'export default { dim: 3, logDensity: (x) => x.square().sum(1).mul(-0.5) };');
  const t = await loadTargetFile(ok);
  assert.equal(t.dim, 3);
  assert.equal(t.name, 'quad');
  const { logDensity, grad } = evaluate(t, Float32Array.from([1, 2, 3]), 1);
  assert.ok(Math.abs(logDensity[0] + 7) < 1e-6);
  assert.deepEqual(Array.from(grad), [-1, -2, -3]);

  const bad: Array<[string, RegExp]> = [
    [write('throws.mjs', 'export default { dim: 2, logDensity: () => { throw new Error("boom"); } };'), /boom/],
    [write('nan.mjs', 'export default { dim: 2, logDensity: (x) => x.sum(1).mul(NaN) };'), /NaN/],
    [write('shape.mjs', 'export default { dim: 2, logDensity: (x) => x.mul(2) };'), /shape \[4\]/],
    [write('noexport.mjs', 'export const dim = 2;'), /default export/],
    [write('syntax.mjs', 'export default { dim: 2, logDensity: (x) => };'), /loads/],
    [write('minf.mjs', 'export default { dim: 2, logDensity: (x) => x.sum(1).mul(0).add(-Infinity) };'), /finite at some test point/],
    [write('fused.mjs', 'export default { dim: 1, logDensity: (x) => x.sum(1), logDensityAndGrad: (x, n, lp) => lp.fill(NaN) };'), /logDensityAndGrad/],
    [join(dir, 'missing.mjs'), /existing file/],
    [write('target.txt', 'x'), /\.js/],
  ];
  for (const [path, pattern] of bad) {
    await assert.rejects(loadTargetFile(path), (e: unknown) => e instanceof ArgumentError && e.argument === '--target' && pattern.test(e.message), path);
  }
  assert.equal(tf.memory().numTensors, tensorsBefore, 'validation leaks tensors');
});
