import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ready, tf } from '../src/core/backend.js';
import * as random from '../src/core/random.js';
import { ArgumentError } from '../src/core/errors.js';
import { evaluate, type Target } from '../src/targets/target.js';
import { gaussianMixture, gmm40, GMM40_SCALE } from '../src/targets/gmm40.js';
import { phi4 } from '../src/targets/phi4.js';
import { logisticRegression } from '../src/targets/logistic.js';
import { meanSe } from './helpers.js';

before(async () => {
  await ready();
});

const EPS32 = 1.1920929e-7;

/** The same target with its fused host paths removed, so that evaluate() uses TF.js autodiff. */
function tensorOnly(t: Target): Target {
  const { logDensityAndGrad: _a, logDensityHost: _b, ...rest } = t;
  return rest;
}

function smallLogistic(seed: number): Target {
  const n = 50;
  const d = 4;
  const X = random.normal(random.key(seed), n * d);
  for (let i = 0; i < n; i++) X[i * d] = 1;
  const y = Float32Array.from(random.bernoulli(random.key(seed + 1), n, 0.4));
  return logisticRegression({ X, y, n, d, priorScale: 2 });
}

const cases: Array<{ name: string; target: () => Target; points: (k: random.Key, n: number, d: number) => Float32Array }> = [
  { name: 'gmm40', target: gmm40, points: (k, n, d) => random.uniform(k, n * d, -45, 45) },
  {
    name: 'gaussianMixture d=3, unequal weights',
    target: () => gaussianMixture({ means: [[0, 0, 0], [3, -1, 2], [-4, 5, 1]], scale: 0.7, weights: [1, 2, 5] }),
    points: (k, n, d) => random.uniform(k, n * d, -6, 6),
  },
  { name: 'phi4 L=8 defaults (SIMD kernel)', target: () => phi4({ L: 8 }), points: (k, n, d) => random.normal(k, n * d).map((v) => 0.7 * v) },
  { name: 'phi4 L=4 m2=0.5 lambda=0.3 (SIMD kernel)', target: () => phi4({ L: 4, m2: 0.5, lambda: 0.3 }), points: (k, n, d) => random.normal(k, n * d) },
  { name: 'phi4 L=6 defaults (plain loop)', target: () => phi4({ L: 6 }), points: (k, n, d) => random.normal(k, n * d).map((v) => 0.7 * v) },
  { name: 'phi4 L=5 m2=0.5 lambda=0.3 (plain loop)', target: () => phi4({ L: 5, m2: 0.5, lambda: 0.3 }), points: (k, n, d) => random.normal(k, n * d) },
  { name: 'logistic regression n=50 d=4', target: () => smallLogistic(7), points: (k, n, d) => random.normal(k, n * d).map((v) => 1.5 * v) },
];

for (const c of cases) {
  test(`${c.name}: fused log density and gradient agree with TF.js autodiff to float32 accuracy`, () => {
    const t = c.target();
    const n = 64;
    const d = t.dim;
    const x = c.points(random.key(11), n, d);
    const fused = evaluate(t, x, n);
    const before = tf.memory().numTensors;
    const auto = evaluate(tensorOnly(t), x, n);
    assert.equal(tf.memory().numTensors, before, 'autodiff evaluation leaks tensors');
    const host = new Float32Array(n);
    t.logDensityHost!(x, n, host);
    for (let i = 0; i < n; i++) {
      // float32 sums of up to d terms: allow a few hundred ulps of the largest magnitude involved
      let gmax = 1;
      for (let j = 0; j < d; j++) gmax = Math.max(gmax, Math.abs(auto.grad[i * d + j]));
      const tolL = 256 * EPS32 * (1 + Math.abs(auto.logDensity[i])) * Math.sqrt(d);
      assert.ok(Math.abs(fused.logDensity[i] - auto.logDensity[i]) <= tolL, `logp row ${i}: fused ${fused.logDensity[i]} vs autodiff ${auto.logDensity[i]}`);
      assert.equal(host[i], fused.logDensity[i], `logDensityHost row ${i}`);
      for (let j = 0; j < d; j++) {
        const a = fused.grad[i * d + j];
        const b = auto.grad[i * d + j];
        assert.ok(Math.abs(a - b) <= 256 * EPS32 * gmax, `grad [${i}, ${j}]: fused ${a} vs autodiff ${b}`);
      }
    }
  });

  test(`${c.name}: fused gradient matches central finite differences`, () => {
    const t = c.target();
    const d = t.dim;
    const n = 8;
    const x = c.points(random.key(12), n, d);
    const { logDensity: lp, grad } = evaluate(t, x, n);
    const h = 2 ** -9;
    const xp = new Float32Array(x);
    const lpp = new Float32Array(n);
    const lpm = new Float32Array(n);
    for (let j = 0; j < d; j++) {
      for (let i = 0; i < n; i++) xp[i * d + j] = x[i * d + j] + h;
      t.logDensityHost!(xp, n, lpp);
      for (let i = 0; i < n; i++) xp[i * d + j] = x[i * d + j] - h;
      t.logDensityHost!(xp, n, lpm);
      for (let i = 0; i < n; i++) {
        xp[i * d + j] = x[i * d + j];
        // divide by the float32 step actually taken; the error is the rounding of log p
        // (a few ulp(|log p|) / h) plus the O(h²) truncation
        const xj = x[i * d + j];
        const fd = (lpp[i] - lpm[i]) / (Math.fround(xj + h) - Math.fround(xj - h));
        const tol = (8 * EPS32 * (1 + Math.abs(lp[i]))) / h + 1e-3 * (1 + Math.abs(grad[i * d + j]));
        assert.ok(Math.abs(fd - grad[i * d + j]) <= tol, `[${i}, ${j}]: finite difference ${fd} vs gradient ${grad[i * d + j]} (tol ${tol})`);
      }
    }
  });
}

test('logistic regression: fused kernel matches a float64 evaluation to float32 accuracy of its terms', () => {
  const n = 300;
  const d = 7;
  const X = random.normal(random.key(21), n * d).map((v) => 3 * v);
  const y = Float32Array.from(random.bernoulli(random.key(22), n, 0.5));
  const t = logisticRegression({ X, y, n, d, priorScale: 1.5 });
  const m = 9;
  const W = random.normal(random.key(23), m * d);
  const { logDensity, grad } = evaluate(t, W, m);
  for (let c = 0; c < m; c++) {
    let lp = 0;
    let scale = 0;
    const g = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      lp -= W[c * d + j] ** 2 / (2 * 1.5 ** 2);
      g[j] = -W[c * d + j] / 1.5 ** 2;
    }
    for (let i = 0; i < n; i++) {
      let l = 0;
      for (let j = 0; j < d; j++) l += X[i * d + j] * W[c * d + j];
      const sp = Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
      lp += y[i] * l - sp;
      scale += Math.abs(y[i] * l) + sp;
      const r = y[i] - 1 / (1 + Math.exp(-l));
      for (let j = 0; j < d; j++) g[j] += r * X[i * d + j];
    }
    // float32 arithmetic over n terms: a few ulps of the sum of magnitudes
    assert.ok(Math.abs(logDensity[c] - lp) <= 8 * EPS32 * scale, `chain ${c}: log p ${logDensity[c]} vs float64 ${lp} (scale ${scale})`);
    for (let j = 0; j < d; j++) {
      let gs = Math.abs(W[c * d + j]);
      for (let i = 0; i < n; i++) gs += Math.abs(X[i * d + j]);
      assert.ok(Math.abs(grad[c * d + j] - g[j]) <= 8 * EPS32 * gs, `chain ${c}, coefficient ${j}: ${grad[c * d + j]} vs float64 ${g[j]}`);
    }
  }
});

test('gmm40: 40 modes in [−40, 40]², scale softplus(1), integrates to 1 on a 2-D grid (log Z = 0)', () => {
  const t = gmm40();
  assert.equal(t.dim, 2);
  assert.equal(t.logZ, 0);
  // Riemann sum on [−50, 50]² with spacing 0.1 (≪ s ≈ 1.31: the error of the rule is far below 1e−6;
  // the mass outside the box is below 1e−12 since every mean is ≥ 7.6 s inside it)
  const hstep = 0.1;
  const m = 1000;
  const row = new Float32Array(2 * m);
  const lp = new Float32Array(m);
  let total = 0;
  for (let a = 0; a < m; a++) {
    const x0 = -50 + (a + 0.5) * hstep;
    for (let b = 0; b < m; b++) {
      row[2 * b] = x0;
      row[2 * b + 1] = -50 + (b + 0.5) * hstep;
    }
    t.logDensityHost!(row, m, lp);
    for (let b = 0; b < m; b++) total += Math.exp(lp[b]);
  }
  const integral = total * hstep * hstep;
  assert.ok(Math.abs(integral - 1) < 1e-4, `∫ p = ${integral}`);
  assert.ok(Math.abs(GMM40_SCALE - Math.log1p(Math.E)) < 1e-6);
});


for (const [name, make] of [
  ['gmm40', gmm40],
  ['gaussianMixture d=3, weights 1:2:5', () => gaussianMixture({ means: [[0, 0, 0], [3, -1, 2], [-4, 5, 1]], scale: 0.7, weights: [1, 2, 5] })],
] as const) {
  test(`${name}: exact samples have the mixture's mean and second moments (5 standard errors)`, () => {
    const t = make();
    const d = t.dim;
    const n = 40000;
    const xs = t.sample!(random.key(5), n);
    assert.deepEqual(xs, t.sample!(random.key(5), n), 'same key, same samples');
    // exact moments from the means and weights recovered through the density's definition
    const spec = name === 'gmm40' ? null : { means: [[0, 0, 0], [3, -1, 2], [-4, 5, 1]], w: [1 / 8, 2 / 8, 5 / 8], s: 0.7 };
    const means: number[][] = spec ? spec.means : readGmm40Means();
    const w = spec ? spec.w : means.map(() => 1 / means.length);
    const s = spec ? spec.s : GMM40_SCALE;
    for (let j = 0; j < d; j++) {
      const mu = means.reduce((acc, m, k) => acc + w[k] * m[j], 0);
      const [m1, se1] = meanSe(n, (i) => xs[i * d + j]);
      assert.ok(Math.abs(m1 - mu) < 5 * se1, `coordinate ${j}: sample mean ${m1} vs ${mu} (se ${se1})`);
      for (let l = j; l < d; l++) {
        const exact = means.reduce((acc, m, k) => acc + w[k] * (m[j] * m[l] + (j === l ? s * s : 0)), 0);
        const [m2, se2] = meanSe(n, (i) => xs[i * d + j] * xs[i * d + l]);
        assert.ok(Math.abs(m2 - exact) < 5 * se2, `E[x${j} x${l}]: ${m2} vs ${exact} (se ${se2})`);
      }
    }
  });
}

function readGmm40Means(): number[][] {
  return (JSON.parse(readFileSync(new URL('../data/gmm40.json', import.meta.url), 'utf8')) as { means: number[][] }).means;
}

test('fused kernels are deterministic and do not depend on the batch split', () => {
  for (const t of [gmm40(), phi4({ L: 4 }), smallLogistic(3)]) {
    const d = t.dim;
    const n = 33;
    const x = random.normal(random.key(9), n * d);
    const a = evaluate(t, x, n);
    const b = evaluate(t, x, n);
    assert.deepEqual(a, b);
    const tail = evaluate(t, x.subarray(20 * d), n - 20);
    assert.deepEqual(tail.logDensity, a.logDensity.subarray(20));
    assert.deepEqual(tail.grad, a.grad.subarray(20 * d));
  }
});

test('logistic regression: 2 and 3 kernel threads give exactly the single-thread results', () => {
  const n = 120;
  const d = 9;
  const X = random.normal(random.key(31), n * d);
  const y = Float32Array.from(random.bernoulli(random.key(32), n, 0.3));
  const m = 37;
  const W = random.normal(random.key(33), m * d);
  const one = evaluate(logisticRegression({ X, y, n, d }), W, m);
  for (const threads of [2, 3]) {
    const t = logisticRegression({ X, y, n, d, threads });
    assert.deepEqual(evaluate(t, W, m), one, `${threads} threads`);
    assert.deepEqual(evaluate(t, W.subarray(0, 5 * d), 5).logDensity, one.logDensity.subarray(0, 5), `${threads} threads, 5 chains`);
    const empty = { logDensity: new Float32Array(0), grad: new Float32Array(0) };
    assert.deepEqual(evaluate(t, W, 0, empty), empty);
  }
});

test('fused paths: a NaN coordinate gives a NaN log density (never a silent finite value)', () => {
  for (const t of [gmm40(), gaussianMixture({ means: [[0, 0, 0]], scale: 1 }), phi4({ L: 4 }), phi4({ L: 3 }), smallLogistic(4)]) {
    const d = t.dim;
    const x = random.normal(random.key(41), 6 * d);
    x[3 * d + 1] = NaN;
    const { logDensity } = evaluate(t, x, 6);
    logDensity.forEach((v, i) => assert.equal(Number.isNaN(v), i === 3, `${t.name} row ${i}: ${v}`));
  }
  const lp = new Float32Array(1);
  gmm40().logDensityHost!(new Float32Array([Infinity, 0]), 1, lp);
  assert.equal(lp[0], -Infinity);
});

test('bad options throw ArgumentError naming the argument', () => {
  const bad: Array<[() => unknown, string]> = [
    [() => gaussianMixture({ means: [], scale: 1 }), 'means'],
    [() => gaussianMixture({ means: [[0, 0], [1]], scale: 1 }), 'means[1]'],
    [() => gaussianMixture({ means: [[0, NaN]], scale: 1 }), 'means[0][1]'],
    [() => gaussianMixture({ means: [[0, 0]], scale: 0 }), 'scale'],
    [() => gaussianMixture({ means: [[0, 0]], scale: Infinity }), 'scale'],
    [() => gaussianMixture({ means: [[0], [1]], scale: 1, weights: [1] }), 'weights'],
    [() => gaussianMixture({ means: [[0], [1]], scale: 1, weights: [1, -1] }), 'weights'],
    [() => gaussianMixture({ means: [[0], [1]], scale: 1, weights: [0, 0] }), 'weights'],
    [() => phi4({ L: 0 }), 'L'],
    [() => phi4({ L: 2.5 }), 'L'],
    [() => phi4({ m2: NaN }), 'm2'],
    [() => phi4({ lambda: -1 }), 'lambda'],
    [() => phi4({ lambda: 0, m2: -1 }), 'm2'],
    [() => logisticRegression({ X: new Float32Array(6), y: new Float32Array(3), n: 3, d: 3 }), 'X'],
    [() => logisticRegression({ X: new Float32Array(6), y: new Float32Array(2), n: 3, d: 2 }), 'y'],
    [() => logisticRegression({ X: new Float32Array([1, NaN]), y: new Float32Array(1), n: 1, d: 2 }), 'X'],
    [() => logisticRegression({ X: new Float32Array(2), y: new Float32Array([2]), n: 1, d: 2 }), 'y[0]'],
    [() => logisticRegression({ X: new Float32Array(2), y: new Float32Array(1), n: 1, d: 2, priorScale: -1 }), 'priorScale'],
    [() => logisticRegression({ X: new Float32Array(2), y: new Float32Array(1), n: 0, d: 2 }), 'n'],
    [() => logisticRegression({ X: new Float32Array(2), y: new Float32Array(1), n: 1, d: 2, threads: 0 }), 'threads'],
  ];
  for (const [f, arg] of bad) {
    assert.throws(f, (e: unknown) => e instanceof ArgumentError && e.argument === arg, `expected ArgumentError for ${arg}`);
  }
});
