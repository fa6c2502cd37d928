import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready, tf } from '../src/core/backend.js';
import * as random from '../src/core/random.js';
import { ArgumentError } from '../src/core/errors.js';
import type { LoopEvent } from '../src/core/loop.js';
import { defineTarget, evaluate, type Target } from '../src/targets/target.js';
import { mala } from '../src/mcmc/mala.js';
import {
  ais, smc, parallelTempering, importanceSampling, gaussianProposal, temperedTarget, systematicResample, multinomialResample,
} from '../src/smc/index.js';

/**
 * The Gaussian target π(x) = c · exp(−‖x − m·1‖² / (2s²)) in R^d, with
 * log Z = log c + (d/2) log 2π + d log s; host fused path, or TensorFlow.js only when `tfOnly`.
 */
function shiftedGaussian(d: number, m: number, s: number, logc: number, tfOnly = false): Target & { logZ: number } {
  const mu = new Float32Array(d).fill(m);
  const logZ = logc + 0.5 * d * Math.log(2 * Math.PI) + d * Math.log(s);
  const logDensity = (x: tf.Tensor2D) => tf.add(logc, tf.mul(-0.5 / (s * s), tf.sum(tf.square(tf.sub(x, tf.tensor1d(mu))), 1)));
  if (tfOnly) return { ...defineTarget({ name: 'gauss-tf', dim: d, logDensity }), logZ };
  return {
    ...defineTarget({
      name: 'gauss',
      dim: d,
      logDensity,
      logDensityAndGrad(x, n, lp, g) {
        for (let i = 0; i < n; i++) {
          let q = 0;
          for (let j = 0; j < d; j++) {
            const z = x[i * d + j] - m;
            q += z * z;
            g[i * d + j] = -z / (s * s);
          }
          lp[i] = logc - (0.5 * q) / (s * s);
        }
      },
    }),
    logZ,
  };
}

/** π(x) = c [0.3 N(x; −3, 0.5²) + 0.7 N(x; 3, 0.5²)] on R, log Z = log c; host path. */
const MIX = { w: [0.3, 0.7], mu: [-3, 3], s: 0.5, logc: 1 };
const mixture: Target = defineTarget({
  name: 'mixture',
  dim: 1,
  logDensity: (x) =>
    tf.add(
      MIX.logc,
      tf.logSumExp(
        tf.stack(MIX.mu.map((mu, k) => tf.sub(Math.log(MIX.w[k]) - 0.5 * Math.log(2 * Math.PI * MIX.s ** 2), tf.mul(0.5 / MIX.s ** 2, tf.square(tf.sub(tf.squeeze(x, [1]), mu)))))),
        0,
      ),
    ),
  logDensityAndGrad(x, n, lp, g) {
    const { w, mu, s, logc } = MIX;
    for (let i = 0; i < n; i++) {
      const a = w.map((wk, k) => Math.log(wk) - 0.5 * Math.log(2 * Math.PI * s * s) - (0.5 * (x[i] - mu[k]) ** 2) / (s * s));
      const mx = Math.max(...a);
      const p = a.map((v) => Math.exp(v - mx));
      const tot = p[0] + p[1];
      lp[i] = logc + mx + Math.log(tot);
      g[i] = (p[0] * -(x[i] - mu[0]) + p[1] * -(x[i] - mu[1])) / (s * s * tot);
    }
  },
});

test('importance sampling: log Z within 5 standard errors, honest error bar', async () => {
  await ready();
  const target = shiftedGaussian(2, 0.5, 0.8, 1.5);
  const r = importanceSampling(random.key(1), target, gaussianProposal([0.4, 0.4], 1.2), 4000);
  assert.ok(Math.abs(r.logZ - target.logZ) < 5 * r.stderr, `IS logZ ${r.logZ} ± ${r.stderr} vs ${target.logZ}`);
  assert.ok(r.stderr < 0.05, `stderr ${r.stderr}`);
  assert.ok(r.ess > 1000 && r.ess <= 4000);
  assert.ok(Math.abs(r.weights.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  // the same key gives the same numbers
  assert.equal(importanceSampling(random.key(1), target, gaussianProposal([0.4, 0.4], 1.2), 4000).logZ, r.logZ);
});

test('gaussianProposal: normalised, fused path agrees with TensorFlow.js autodiff', async () => {
  await ready();
  const q = gaussianProposal([1, -2], [0.5, 2]);
  assert.ok(Math.abs(q.logZ - (Math.log(2 * Math.PI) + Math.log(0.5) + Math.log(2))) < 1e-12);
  const x = random.normal(random.key(2), 8);
  const fused = evaluate(q, x, 4);
  const viaTf = evaluate({ ...q, logDensityAndGrad: undefined }, x, 4);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(fused.logDensity[i] - viaTf.logDensity[i]) < 1e-5);
  for (let i = 0; i < 8; i++) assert.ok(Math.abs(fused.grad[i] - viaTf.grad[i]) < 1e-5);
  // sample moments: mean within 5 standard errors
  const s = q.sample(random.key(3), 20000);
  let m0 = 0;
  for (let i = 0; i < 20000; i++) m0 += s[2 * i] / 20000;
  assert.ok(Math.abs(m0 - 1) < (5 * 0.5) / Math.sqrt(20000));
});

test('tempered target: geometric combination of the endpoints, fused path = autodiff', async () => {
  await ready();
  const base = gaussianProposal([0, 0], 1);
  const target = shiftedGaussian(2, 1, 0.5, 0.3);
  const t = temperedTarget(base, target, 0.3);
  const x = random.normal(random.key(4), 10);
  const e = evaluate(t, x, 5);
  const e0 = evaluate(base, x, 5);
  const e1 = evaluate(target, x, 5);
  const viaTf = evaluate({ ...t, logDensityAndGrad: undefined }, x, 5);
  for (let i = 0; i < 5; i++) {
    assert.ok(Math.abs(e.logDensity[i] - (0.7 * e0.logDensity[i] + 0.3 * e1.logDensity[i])) < 1e-5);
    assert.ok(Math.abs(e.logDensity[i] - viaTf.logDensity[i]) < 1e-4);
  }
  for (let i = 0; i < 10; i++) assert.ok(Math.abs(e.grad[i] - viaTf.grad[i]) < 1e-4);
  assert.deepEqual(evaluate(temperedTarget(base, target, 1), x, 5).logDensity, e1.logDensity);
});

test('systematic resampling: each index drawn ⌊N W_i⌋ or ⌈N W_i⌉ times', () => {
  const w = [0.05, 0.3, 0.001, 0.249, 0.4];
  const n = 1000;
  for (let s = 0; s < 5; s++) {
    const idx = systematicResample(random.key(s), w, n);
    const counts = new Array(w.length).fill(0);
    for (const i of idx) counts[i]++;
    w.forEach((wi, i) => assert.ok(counts[i] >= Math.floor(n * wi - 1e-9) && counts[i] <= Math.ceil(n * wi + 1e-9), `${i}: ${counts[i]}`));
  }
});

test('multinomial resampling: counts N·W_i within 5 binomial standard errors', () => {
  const w = [0.05, 0.3, 0.001, 0.249, 0.4];
  const n = 20000;
  const idx = multinomialResample(random.key(12), w, n);
  const counts = new Array(w.length).fill(0);
  for (const i of idx) counts[i]++;
  w.forEach((wi, i) => assert.ok(Math.abs(counts[i] - n * wi) < 5 * Math.sqrt(n * wi * (1 - wi)), `${i}: ${counts[i]}`));
  assert.notDeepEqual(multinomialResample(random.key(13), w, 50), multinomialResample(random.key(14), w, 50));
});

test('AIS: log Z of a shifted, scaled 5-D Gaussian within 5 standard errors; events; flat tensors', async () => {
  await ready();
  const target = shiftedGaussian(5, 1.5, 0.5, 2);
  const base = gaussianProposal(new Float32Array(5), 1);
  const events: LoopEvent[] = [];
  const r = await ais(random.key(5), {
    target, base, n: 1000, steps: 100, stepSize: 0.2, mcmcSteps: 2, kernel: mala,
    observers: [{ update: (e) => events.length < 3 && events.push({ ...e, logWeights: e.logWeights?.slice() }) }],
  });
  assert.ok(Math.abs(r.logZ - target.logZ) < 5 * r.stderr, `AIS logZ ${r.logZ} ± ${r.stderr} vs ${target.logZ}`);
  assert.ok(r.stderr < 0.1, `stderr ${r.stderr}`);
  assert.equal(r.beta, 1);
  assert.equal(r.aborted, false);
  assert.equal(events[0].phase, 'annealing');
  assert.equal(events[0].t, 0.01);
  assert.deepEqual(Object.keys(events[0].metrics).sort(), ['acceptance', 'beta', 'ess', 'logZ']);
  assert.equal(events[0].samples!.n, 1000);
  assert.equal(events[0].logWeights!.length, 1000);
  // the weighted particles approximate the target: weighted mean of x_0 near 1.5
  const w = r.logWeights.map((v) => Math.exp(v - Math.max(...r.logWeights)));
  let sw = 0;
  let sx = 0;
  for (let i = 0; i < r.n; i++) {
    sw += w[i];
    sx += w[i] * r.samples[i * 5];
  }
  assert.ok(Math.abs(sx / sw - 1.5) < (5 * 0.5) / Math.sqrt(r.ess), `mean ${sx / sw}`);

  // a TensorFlow.js-only target (autodiff every step) keeps the tensor count flat
  const tfTarget = shiftedGaussian(2, 1, 0.7, 0, true);
  const before = tf.memory().numTensors;
  await ais(random.key(6), { target: tfTarget, base: gaussianProposal([0, 0], 1), n: 32, steps: 10, stepSize: 0.2 });
  await ais(random.key(7), { target: tfTarget, base: gaussianProposal([0, 0], 1), n: 32, steps: 20, stepSize: 0.2 });
  assert.equal(tf.memory().numTensors, before);
});

test('SMC: adaptive temperatures, log Z within 5 standard errors, honest error bar', async () => {
  await ready();
  const target = shiftedGaussian(5, 1.5, 0.5, 2);
  const base = gaussianProposal(new Float32Array(5), 1);
  const r = await smc(random.key(8), { target, base, n: 1000 });
  assert.ok(Math.abs(r.logZ - target.logZ) < 5 * r.stderr, `SMC logZ ${r.logZ} ± ${r.stderr} vs ${target.logZ}`);
  assert.ok(r.stderr < 0.15, `stderr ${r.stderr}`);
  assert.equal(r.betas[0], 0);
  assert.equal(r.betas[r.betas.length - 1], 1);
  assert.ok(r.betas.every((b, i) => i === 0 || b > r.betas[i - 1]));
  // every increment but the last aims at a conditional ESS of one half; resampling kept ESS high
  assert.ok(r.resamplings >= 1);
  assert.ok(r.acceptance.every((a) => a > 0.2 && a <= 1), `acceptance ${r.acceptance}`);
  // the particles are a sample of the target: mean of coordinate 0 near 1.5 (resampled, ESS ≥ n/2)
  let sx = 0;
  for (let i = 0; i < r.n; i++) sx += Math.exp(r.logWeights[i]) * r.samples[i * 5];
  assert.ok(Math.abs(sx - 1.5) < (5 * 0.5) / Math.sqrt(r.n / 2), `mean ${sx}`);
  const again = await smc(random.key(8), { target, base, n: 1000 });
  assert.equal(again.logZ, r.logZ);
});

test('SMC standard error is honest: it matches the spread of log Z over independent runs', async () => {
  await ready();
  const target = shiftedGaussian(3, 1, 0.6, 0.5);
  const base = gaussianProposal([0, 0, 0], 1);
  const est: number[] = [];
  const se: number[] = [];
  for (let r = 0; r < 20; r++) {
    const out = await smc(random.key(400 + r), { target, base, n: 400, kernel: 'mala' });
    est.push(out.logZ);
    se.push(out.stderr);
  }
  const mean = est.reduce((a, b) => a + b, 0) / est.length;
  const sd = Math.sqrt(est.reduce((a, b) => a + (b - mean) ** 2, 0) / (est.length - 1));
  const meanSe = se.reduce((a, b) => a + b, 0) / se.length;
  // the sample sd of 20 runs has a relative error of about 1/√38 ≈ 0.16; allow a factor 2 either way
  assert.ok(meanSe > sd / 2 && meanSe < 2 * sd, `mean stderr ${meanSe} vs spread ${sd}`);
  assert.ok(Math.abs(mean - target.logZ) < 5 * sd / Math.sqrt(est.length), `mean logZ ${mean} vs ${target.logZ}`);
});

test('abort keeps the partial result (AIS and SMC)', async () => {
  await ready();
  const target = shiftedGaussian(2, 1, 0.5, 0);
  const base = gaussianProposal([0, 0], 1);
  for (const run of [
    (o: object) => ais(random.key(9), { target, base, n: 64, steps: 50, stepSize: 0.2, ...o }),
    (o: object) => smc(random.key(9), { target, base, n: 64, essFraction: 0.95, ...o }),
  ]) {
    const ctl = new AbortController();
    let seen = 0;
    const r = await run({ signal: ctl.signal, observers: [{ update: () => ++seen === 3 && ctl.abort() }] });
    assert.equal(r.aborted, true);
    assert.equal(seen, 3);
    assert.ok(r.beta > 0 && r.beta < 1);
    assert.equal(r.samples.length, 64 * 2);
    assert.ok(Number.isFinite(r.logZ));
  }
  const ctl = new AbortController();
  let rounds = 0;
  const pt = await parallelTempering(random.key(9), {
    target, base, replicas: 3, chains: 8, rounds: 50, burnIn: 2, kernel: 'rwmh',
    signal: ctl.signal, observers: [{ update: () => ++rounds === 10 && ctl.abort() }],
  });
  assert.equal(pt.aborted, true);
  assert.equal(pt.n, 8 * 8); // rounds 3..10 recorded
  assert.ok(Number.isFinite(pt.logZ) && Number.isFinite(pt.stderr));
});

test('parallel tempering: both modes visited with the right weights, log Z within its error', async () => {
  await ready();
  const r = await parallelTempering(random.key(10), { target: mixture, base: gaussianProposal([0], 4), replicas: 8, chains: 64, rounds: 600, burnIn: 150 });
  const M = r.chains;
  const T = r.n / M;
  // weight of the right mode: chain slots are independent, so batch means over slots give its error
  const pm = Array.from({ length: M }, (_, m) => {
    let s = 0;
    for (let t = 0; t < T; t++) s += r.samples[t * M + m] > 0 ? 1 : 0;
    return s / T;
  });
  const p = pm.reduce((a, b) => a + b, 0) / M;
  const se = Math.sqrt(pm.reduce((a, b) => a + (b - p) ** 2, 0) / (M - 1) / M);
  assert.ok(Math.abs(p - MIX.w[1]) < 5 * se, `right-mode weight ${p} ± ${se}`);
  assert.ok(se < 0.02);
  assert.ok(Math.abs(r.logZ - MIX.logc) < 5 * r.stderr, `PT logZ ${r.logZ} ± ${r.stderr}`);
  assert.ok(r.stderr < 0.05, `stderr ${r.stderr}`);
  assert.ok(r.swapRate.every((s) => s > 0.3), `swap rates ${r.swapRate}`);
});

test('bad input is an ArgumentError', async () => {
  await ready();
  const target = shiftedGaussian(2, 1, 0.5, 0);
  const base = gaussianProposal([0, 0], 1);
  const rejects = (p: Promise<unknown>) => assert.rejects(p, ArgumentError);
  const throws = (f: () => unknown) => assert.throws(f, ArgumentError);
  throws(() => gaussianProposal([0, NaN]));
  throws(() => gaussianProposal([0, 0], [1]));
  throws(() => gaussianProposal([0, 0], -1));
  throws(() => temperedTarget(base, target, 1.5));
  throws(() => temperedTarget(gaussianProposal([0], 1), target, 0.5));
  throws(() => importanceSampling(random.key(0), target, gaussianProposal([0], 1), 10));
  throws(() => importanceSampling(random.key(0), target, { ...target } as never, 10));
  const nanTarget = defineTarget({ name: 'nan', dim: 2, logDensity: (x) => tf.mul(NaN, tf.sum(x, 1)) });
  throws(() => importanceSampling(random.key(0), nanTarget, base, 10));
  await rejects(ais(random.key(0), { target, base, n: 1, steps: 5, stepSize: 0.1 }));
  await rejects(ais(random.key(0), { target, base, n: 10, betas: [0, 0.5, 0.4, 1], stepSize: 0.1 }));
  await rejects(ais(random.key(0), { target, base, n: 10, betas: [0.1, 1], stepSize: 0.1 }));
  await rejects(ais(random.key(0), { target, base, n: 10, stepSize: 0.1 }));
  await rejects(ais(random.key(0), { target, base, n: 10, steps: 5, stepSize: 0 }));
  await rejects(ais(random.key(0), { target, base, n: 10, steps: 5, stepSize: 0.1, kernel: 'nuts' }));
  await rejects(ais(random.key(0), { target, base: gaussianProposal([0], 1), n: 10, steps: 5, stepSize: 0.1 }));
  await rejects(smc(random.key(0), { target, base, n: 10, essFraction: 1 }));
  await rejects(smc(random.key(0), { target, base, n: 10, resampleThreshold: 2 }));
  await rejects(smc(random.key(0), { target, base, n: 10, mcmcSteps: -1 }));
  await rejects(smc(random.key(0), { target: nanTarget, base, n: 10 }));
  await rejects(parallelTempering(random.key(0), { target, base, replicas: 1, rounds: 10 }));
  await rejects(parallelTempering(random.key(0), { target, base, replicas: 4, rounds: 10, burnIn: 10 }));
  await rejects(parallelTempering(random.key(0), { target, base, rounds: 10 }));
});
