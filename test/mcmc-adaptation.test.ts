/**
 * Warm-up adaptation: dual averaging of the step size reaches the target acceptance, Stan's
 * window schedule, Welford variances with Stan's regularisation, and the windowed diagonal
 * mass matrix of HMC recovering the variances of an anisotropic Gaussian.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready, tf } from '../src/core/backend.js';
import * as random from '../src/core/random.js';
import { DualAveraging, KERNELS, WelfordVariance, run, windowSchedule } from '../src/mcmc/index.js';
import { defineTarget } from '../src/targets/target.js';
import { correlatedGaussian } from './mcmc-fixtures.js';

test('dual averaging converges to the root of a deterministic acceptance curve', () => {
  // a(ε) = exp(−ε²) is decreasing; without noise the iterates and their average converge to a⁻¹(δ)
  const a = (e: number) => Math.exp(-e * e);
  for (const delta of [0.234, 0.574, 0.8]) {
    const da = new DualAveraging(0.01, delta);
    for (let m = 0; m < 2000; m++) da.update(a(da.stepSize));
    assert.ok(Math.abs(a(da.finalStepSize) - delta) < 0.005, `δ = ${delta}: a(ε̄) = ${a(da.finalStepSize)}`);
  }
});

test('dual averaging: first update follows Hoffman & Gelman (μ = log 10ε₀, γ = 0.05, t₀ = 10)', () => {
  const da = new DualAveraging(0.5, 0.8);
  // H̄₁ = (δ − α)/(1 + t₀); log ε₁ = μ − √1/γ · H̄₁; ε̄₁ = ε₁
  const e1 = da.update(0.3);
  assert.ok(Math.abs(Math.log(e1) - (Math.log(5) - (1 / 0.05) * (0.5 / 11))) < 1e-12);
  assert.ok(Math.abs(da.finalStepSize - e1) < 1e-12);
  assert.throws(() => new DualAveraging(0.5, 1), { name: 'ArgumentError', argument: 'targetAcceptance' });
  assert.throws(() => new DualAveraging(0, 0.5), { name: 'ArgumentError', argument: 'stepSize' });
});

test('run: dual averaging reaches the default target acceptance of RWMH (0.234) and MALA (0.574)', async () => {
  await ready();
  const target = correlatedGaussian();
  for (const [name, delta] of [['rwmh', 0.234], ['mala', 0.574]] as const) {
    const n = 256;
    const res = await run(random.key(7), KERNELS[name](target), target.sample!(random.key(8), n), n, { warmup: 1000, steps: 300, stepSize: 0.01, adaptMass: false, progress: false });
    // Tolerance 0.02: the noise-free recursion lands within 0.005 of δ (test above); with the
    // batch mean of 256 chains as feedback, ε̄ (a geometric average of iterates whose mean
    // acceptance is δ) is off by the curvature of a(log ε) times the small spread of the iterates
    // (a few %), ~10⁻³, and the acceptance measured over 256 × 300 chain-steps has a Monte
    // Carlo error of ~10⁻³.
    assert.ok(Math.abs(res.acceptance - delta) < 0.02, `${name}: acceptance ${res.acceptance} vs ${delta}`);
    assert.ok(res.stepSize > 0.1, `${name}: the step size moved away from its poor start (${res.stepSize})`);
  }
});

test("Stan's window schedule: 75/25/50 buffers with doubling windows, shrunk for short warm-ups", () => {
  assert.deepEqual(windowSchedule(1000), { start: 75, ends: [99, 149, 249, 449, 949] });
  assert.deepEqual(windowSchedule(150), { start: 75, ends: [99] });
  // 15 % / 10 % / the rest when 75 + 25 + 50 do not fit
  assert.deepEqual(windowSchedule(100), { start: 15, ends: [89] });
  assert.deepEqual(windowSchedule(19), { start: 19, ends: [] });
  assert.throws(() => windowSchedule(-1), { name: 'ArgumentError', argument: 'warmup' });
});

test('Welford variances match the two-pass formula; regularisation is Stan’s', () => {
  const n = 1000;
  const d = 3;
  const x = random.normal(random.key(3), n * d);
  for (let i = 0; i < n * d; i++) x[i] = x[i] * (1 + (i % d)) + 5;
  const w = new WelfordVariance(d);
  w.add(x.subarray(0, 400 * d), 400);
  w.add(x.subarray(400 * d), 600);
  const v = w.variance();
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let r = 0; r < n; r++) m += x[r * d + j] / n;
    let s = 0;
    for (let r = 0; r < n; r++) s += (x[r * d + j] - m) ** 2;
    assert.ok(Math.abs(v[j] - s / (n - 1)) < 1e-9 * s, `coordinate ${j}`);
    const reg = w.regularizedVariance()[j];
    assert.ok(Math.abs(reg - Math.fround((n / (n + 5)) * v[j] + 1e-3 * (5 / (n + 5)))) < 1e-6);
  }
  w.reset();
  assert.equal(w.count, 0);
  assert.ok(Number.isNaN(w.variance()[0]));
});

test('windowed mass adaptation of HMC recovers the variances of an anisotropic Gaussian', async () => {
  await ready();
  const variances = [0.01, 1, 25, 100];
  const d = variances.length;
  const target = defineTarget({
    name: 'anisotropic',
    dim: d,
    logDensity: (x) => tf.tidy(() => tf.mul(-0.5, tf.sum(tf.div(tf.square(x), tf.tensor1d(variances)), 1))),
    logDensityAndGrad: (x, n, lp, g) => {
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const i = r * d + j;
          g[i] = -x[i] / variances[j];
          s += x[i] * g[i];
        }
        lp[r] = 0.5 * s;
      }
    },
  });
  const warmup = 600;
  const chains = 64;
  const { ends } = windowSchedule(warmup);
  // the metric is the regularised variance of the last window's draws (pooled over chains)
  const N = chains * (ends[ends.length - 1] - ends[ends.length - 2]);
  // 12 independent runs, started from exact draws, give an honest standard error of the estimate
  const runs = 12;
  const est: number[][] = [];
  for (let k = 0; k < runs; k++) {
    const e = random.normal(random.key(200 + k), chains * d);
    for (let i = 0; i < e.length; i++) e[i] *= Math.sqrt(variances[i % d]);
    const res = await run(random.key(300 + k), KERNELS.hmc(target), e, chains, { warmup, steps: 1, stepSize: 0.1, leapfrogSteps: 8, progress: false });
    assert.ok(res.inverseMass, 'HMC adapts a mass matrix by default');
    est.push(Array.from(res.inverseMass!));
  }
  variances.forEach((s2, j) => {
    const expected = (N / (N + 5)) * s2 + 1e-3 * (5 / (N + 5));
    const mean = est.reduce((s, e) => s + e[j], 0) / runs;
    const se = Math.sqrt(est.reduce((s, e) => s + (e[j] - mean) ** 2, 0) / (runs - 1) / runs);
    assert.ok(Math.abs(mean - expected) < 5 * se, `coordinate ${j}: ${mean} ± ${se}, expected ${expected}`);
    assert.ok(se < 0.05 * s2, `coordinate ${j}: the estimate is precise (${se} vs ${s2})`);
  });
});
