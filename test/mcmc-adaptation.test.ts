/**
 * Warm-up adaptation: dual averaging of the step size reaches the target acceptance, the
 * step-size search, Stan's window schedule, Welford variances with Stan's regularisation, the
 * windowed diagonal mass matrix of HMC recovering the variances of an anisotropic Gaussian, and
 * sampling acceptance after short and long warm-ups of every adapted kernel.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready, tf } from '../src/core/backend.js';
import * as random from '../src/core/random.js';
import { DualAveraging, FINAL_SEARCH_DRAWS, KERNELS, MIN_AVERAGED_STEPS, WelfordVariance, hmc, run, searchStepSize, windowSchedule } from '../src/mcmc/index.js';
import { gaussian } from '../src/targets/gaussian.js';
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

test('step-size search: Stan\'s doubling/halving bracket, then log-bisection to the crossing', () => {
  // a deterministic decreasing acceptance curve a(ε) = exp(−ε²), crossing δ at ε* = √(−log δ)
  const a = (e: number) => Math.exp(-e * e);
  for (const delta of [0.234, 0.574, 0.8]) {
    const root = Math.sqrt(-Math.log(delta));
    for (const e0 of [1e-3, 50]) {
      let calls = 0;
      const probe = (e: number) => (calls++, a(e));
      const e = searchStepSize(probe, e0, delta);
      // 4 bisections of a factor-2 bracket: within 2^(1/32) of the crossing (the geometric midpoint of the last bracket)
      assert.ok(Math.abs(Math.log(e / root)) <= Math.LN2 / 32 + 1e-12, `δ = ${delta}, ε₀ = ${e0}: ${e} vs ${root}`);
      // one probe at ε₀, one per doubling/halving to the crossing, one per bisection
      assert.equal(calls, 1 + Math.ceil(Math.abs(Math.log2(root / e0))) + 4);
      // without bisection it is Stan's heuristic: the first ε past the crossing
      const stan = searchStepSize(a, e0, delta, { bisections: 0 });
      if (e0 < root) assert.ok(stan >= root && stan < 2 * root, `up: ${stan}`);
      else assert.ok(stan <= root && stan > root / 2, `down: ${stan}`);
    }
  }
  // an acceptance that never crosses (improper target), or a NaN one, leaves [1e-12, 1e7]
  assert.throws(() => searchStepSize(() => 1, 1, 0.8), { name: 'ArgumentError', argument: 'stepSize' });
  assert.throws(() => searchStepSize(() => NaN, 1, 0.8), { name: 'ArgumentError', argument: 'stepSize' });
  assert.throws(() => searchStepSize(a, 0, 0.8), { name: 'ArgumentError', argument: 'stepSize' });
  assert.throws(() => searchStepSize(a, 1, 0.8, { bisections: -1 }), { name: 'ArgumentError', argument: 'bisections' });
  assert.throws(() => searchStepSize(a, 1, 0.8, { draws: 0 }), { name: 'ArgumentError', argument: 'draws' });
});

test('sampling acceptance after warm-ups of 10, 30, 100 and 500 steps lands near each kernel\'s target', async () => {
  // The bug: HMC (L = 5) on a 2-D standard Gaussian ended a 30-step warm-up at ε = 2.28 (beyond
  // the leapfrog stability limit 2) with acceptance 0.0003, because dual averaging restarted
  // (μ = log 10ε) 3 steps before the end and ε̄ averaged its 10ε probes.
  // The anisotropic Gaussian (variances 0.01 and 100) makes the first window's metric update change
  // the well-scaled step size ~100×, so the searches after it must use the new metric.
  await ready();
  const n = 256;
  const steps = 200;
  for (const sd of [[1, 1], [0.1, 10]]) {
    const target = gaussian({ dim: 2, cov: [[sd[0] ** 2, 0], [0, sd[1] ** 2]] });
    const x0 = random.normal(random.key(40), n * 2).map((v, i) => v * sd[i % 2]);
    for (const warmup of [10, 30, 100, 500]) {
      const { ends } = windowSchedule(warmup);
      // steps dual averaging has after its last restart (before the first step when there is no window)
      const averaged = ends.length > 0 ? warmup - 1 - ends[ends.length - 1] : warmup;
      // Band. Fewer than MIN_AVERAGED_STEPS averaged (W = 10, 30, 100): ε comes from the search, whose
      // bisections compare a one-step mean of n acceptance probabilities in [0, 1] (sd ≤ 0.5/√n) with δ
      // and resolve ε to 2^(1/32) (≤ 0.02 in acceptance for slopes |da/dlog ε| < 1): 4 sd + 0.02.
      // Otherwise (W = 500, 50 steps after the last restart) dual averaging keeps the mean acceptance
      // of its iterates within γ |log ε_m − μ| / √m ≲ 0.05 · log 10 / √50 of δ (Hoffman & Gelman 2014,
      // eq. 6), each step's mean over n chains with sd ≤ 0.5/√(50 n): 3 × their sum (the margin also
      // covers the gap between a(ε̄) and the mean acceptance of the iterates, ~0.01–0.03 here).
      const tol = averaged < MIN_AVERAGED_STEPS ? 4 * (0.5 / Math.sqrt(n)) + 0.02 : 3 * ((0.05 * Math.LN10) / Math.sqrt(averaged) + 0.5 / Math.sqrt(averaged * n));
      for (const name of ['rwmh', 'mala', 'hmc'] as const) {
        const kernel = KERNELS[name](target);
        const res = await run(random.key(41 + warmup), kernel, x0, n, { warmup, steps, stepSize: 0.1, leapfrogSteps: 5, progress: false });
        const delta = kernel.targetAcceptance!;
        assert.ok(Number.isFinite(res.stepSize) && res.stepSize > 0, `${name}, sd ${sd}, W = ${warmup}: step size ${res.stepSize}`);
        assert.ok(Math.abs(res.acceptance - delta) < tol, `${name}, sd ${sd}, W = ${warmup}: acceptance ${res.acceptance} vs ${delta} ± ${tol}`);
      }
    }
  }
});

test('short warm-ups of a batch of 4 chains: the final search averages 32 chain-transitions per probe', async () => {
  await ready();
  const target = gaussian({ dim: 2 });
  const n = 4;
  const steps = 1000;
  // W = 30: the last window ends 3 steps before the end, so ε comes from the final search, whose
  // probes average ⌈32/n⌉ transitions of the n chains (sd ≤ 0.5/√32): 4 sd + 0.02 of resolution,
  // plus 4 sd ≤ 0.5/√(n · steps) of the measured acceptance (autocorrelation aside: a margin).
  const tol = 4 * (0.5 / Math.sqrt(FINAL_SEARCH_DRAWS)) + 0.02 + 4 * (0.5 / Math.sqrt(n * steps));
  for (const name of ['mala', 'hmc'] as const) {
    for (const seed of [1, 2, 3]) {
      const kernel = KERNELS[name](target);
      const res = await run(random.key(60 + seed), kernel, random.normal(random.key(70 + seed), n * 2), n, { warmup: 30, steps, stepSize: 0.1, leapfrogSteps: 5, progress: false });
      assert.ok(Math.abs(res.acceptance - kernel.targetAcceptance!) < tol, `${name}, key ${seed}: acceptance ${res.acceptance} vs ${kernel.targetAcceptance} ± ${tol}`);
    }
  }
});

test('HMC step-size jitter smooths the resonances of fixed-L acceptance on a Gaussian', async () => {
  await ready();
  // One transition of 4000 chains from exact draws of N(0, I₂), L = 5: the mean acceptance at ε.
  // Without jitter, ā(ε) is not monotone: the discrete oscillator turns by arccos(1 − ε²/2) per
  // leapfrog step, so at ε = 1.6 the 5 steps turn it by 2.95π, nearly a whole number of half-turns,
  // where the energy error nearly vanishes.
  const target = gaussian({ dim: 2 });
  const n = 4000;
  const x0 = random.normal(random.key(50), n * 2);
  const curve = (kernel: ReturnType<typeof hmc>, eps: number) => {
    const { info } = kernel.step(random.key(51), kernel.init(x0, n), { stepSize: eps, leapfrogSteps: 5 });
    const a = Array.from(info.acceptProb);
    const mean = a.reduce((s, v) => s + v, 0) / n;
    return { mean, se: Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) / n) };
  };
  const fixed = hmc(target, { stepSizeJitter: 0 });
  const [lo, hi] = [curve(fixed, 1.4), curve(fixed, 1.6)];
  assert.ok(hi.mean - lo.mean > 5 * Math.hypot(lo.se, hi.se), `fixed ε: ā(1.6) = ${hi.mean} > ā(1.4) = ${lo.mean}`);
  // with the default ±20 % jitter the curve decreases over the same range, within 5 standard errors
  const jittered = hmc(target);
  const grid = [0.8, 1, 1.2, 1.4, 1.6, 1.8].map((e) => curve(jittered, e));
  for (let k = 1; k < grid.length; k++) {
    assert.ok(grid[k].mean < grid[k - 1].mean + 5 * Math.hypot(grid[k].se, grid[k - 1].se), `jittered: ā at step ${k}: ${grid.map((g) => g.mean.toFixed(3))}`);
  }
  assert.ok(grid[0].mean - grid[grid.length - 1].mean > 0.3, 'acceptance falls with ε');
  for (const j of [-0.1, 1, NaN]) assert.throws(() => hmc(target, { stepSizeJitter: j }), { name: 'ArgumentError', argument: 'stepSizeJitter' });
});
