/**
 * The run driver: memory over a long autodiff loop, abort with partial results, NaN regions,
 * argument checking, reproducibility, thinning, recorded coordinates and the arquero table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready, tf } from '../src/core/backend.js';
import * as random from '../src/core/random.js';
import type { LoopEvent } from '../src/core/loop.js';
import { KERNELS, kernelNames, run, type RunOptions } from '../src/mcmc/index.js';
import type { ChainState, Kernel } from '../src/mcmc/kernel.js';
import { defineTarget } from '../src/targets/target.js';
import { correlatedGaussian } from './mcmc-fixtures.js';

const quiet = { progress: false } as const;

test('10,000 MALA steps through TensorFlow.js autodiff keep tf.memory().numTensors flat', async () => {
  await ready();
  const target = correlatedGaussian({ fused: false });
  assert.equal(target.logDensityAndGrad, undefined, 'no fused path: autodiff runs every step');
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  const res = await run(random.key(1), KERNELS.mala(target), target.sample!(random.key(2), 8), 8, {
    ...quiet,
    warmup: 2000,
    steps: 8000,
    stepSize: 0.2,
    observers: [{ update: (e) => void (e.step % 1000 === 0 && counts.push(tf.memory().numTensors)) }],
  });
  assert.equal(res.trace.length, 8000);
  assert.equal(counts.length, 10);
  assert.deepEqual(counts, counts.map(() => before));
  assert.equal(tf.memory().numTensors, before);
});

test('an observer aborting mid-run: aborted result with exactly the steps done so far', async () => {
  await ready();
  const target = correlatedGaussian();
  const n = 16;
  const x0 = target.sample!(random.key(3), n);
  const controller = new AbortController();
  const phases: string[] = [];
  const res = await run(random.key(4), KERNELS.hmc(target), x0, n, {
    ...quiet,
    warmup: 50,
    steps: 200,
    stepSize: 0.2,
    signal: controller.signal,
    observers: [
      {
        update: (e: LoopEvent) => {
          if (e.phase === 'sampling' && e.step === 37) controller.abort();
          assert.equal(e.samples?.data.length, n * 2);
          assert.ok(Number.isFinite(e.metrics.acceptance) && e.metrics.stepSize > 0 && e.metrics.divergences >= 0);
        },
        end: (phase, reason) => phases.push(`${phase}:${reason}`),
      },
    ],
  });
  assert.equal(res.aborted, true);
  assert.equal(res.trace.length, 37);
  assert.deepEqual(phases, ['warmup:done', 'sampling:aborted']);
  // the partial trace is the prefix of the full run's trace (same key)
  const full = await run(random.key(4), KERNELS.hmc(target), x0, n, { ...quiet, warmup: 50, steps: 200, stepSize: 0.2 });
  assert.deepEqual(res.trace.samples(), full.trace.samples().subarray(0, 37 * n * 2));
  assert.ok(Number.isFinite(res.acceptance));

  // aborted during warm-up: nothing recorded
  const c2 = new AbortController();
  const early = await run(random.key(4), KERNELS.mala(target), x0, n, {
    ...quiet,
    warmup: 100,
    steps: 100,
    stepSize: 0.2,
    signal: c2.signal,
    observers: [{ update: (e) => void (e.step === 10 && c2.abort()) }],
  });
  assert.equal(early.aborted, true);
  assert.equal(early.trace.length, 0);
  assert.ok(Number.isNaN(early.acceptance));
});

test('a target returning NaN in part of the space: divergences counted, no throw, chains stay finite', async () => {
  await ready();
  // N(0, I) on x0 < 1, NaN beyond (autodiff target, so the NaN also reaches the gradient path)
  const target = defineTarget({
    name: 'nan-beyond-1',
    dim: 2,
    logDensity: (x) =>
      tf.tidy(() => {
        const lp = tf.mul(-0.5, tf.sum(tf.square(x), 1));
        const x0 = tf.squeeze(tf.slice(x, [0, 0], [-1, 1]), [1]);
        return tf.add(lp, tf.mul(0, tf.sqrt(tf.sub(1, x0)))); // 0 · √(1 − x0): 0, or NaN where x0 > 1
      }),
  });
  const n = 32;
  const x0 = new Float32Array(n * 2);
  for (const name of kernelNames()) {
    const res = await run(random.key(5), KERNELS[name](target), x0, n, { ...quiet, warmup: 20, steps: 60, stepSize: 0.5, adapt: false });
    assert.ok(res.divergences > 0, `${name}: divergences counted`);
    const s = res.trace.samples();
    assert.ok(s.every(Number.isFinite), `${name}: finite draws`);
    for (let i = 0; i < s.length; i += 2) assert.ok(s[i] <= 1, `${name}: never moved into the NaN region`);
    assert.ok(res.trace.logDensities().every(Number.isFinite));
  }
});

test('bad input: ArgumentError naming the argument', async () => {
  await ready();
  const target = correlatedGaussian();
  const k = KERNELS.mala(target);
  const x0 = new Float32Array(8);
  const ok: RunOptions = { ...quiet, warmup: 5, steps: 5, stepSize: 0.1 };
  const bad = async (argument: string, opts: Partial<RunOptions>, x = x0, kernel = k, n = 4) =>
    assert.rejects(run(random.key(0), kernel, x, n, { ...ok, ...opts }), { name: 'ArgumentError', argument }, argument);
  for (const s of [0, -1, NaN, Infinity]) await bad('stepSize', { stepSize: s });
  for (const s of [0, -3, 2.5]) await bad('steps', { steps: s });
  for (const w of [-1, 1.5]) await bad('warmup', { warmup: w });
  await bad('thin', { thin: 0 });
  await bad('targetAcceptance', { targetAcceptance: 1 });
  await bad('inverseMass', { inverseMass: new Float32Array([1]) });
  await bad('inverseMass', { inverseMass: new Float32Array([1, -1]) });
  await bad('leapfrogSteps', { leapfrogSteps: 0 });
  await bad('record', { record: [2] });
  await bad('x0', {}, new Float32Array(7));
  await bad('x0', {}, new Float32Array([0, 0, 0, 0, 0, 0, NaN, 0]));
  await bad('n', {}, x0, k, 0);
  await bad('adapt', { adapt: true }, x0, KERNELS.ula(target));
  // a finite x0 where the density is not finite: the error names x0
  const nanTarget = defineTarget({ dim: 2, logDensity: (x) => tf.tidy(() => tf.div(tf.sum(x, 1), tf.sum(x, 1))) });
  await assert.rejects(run(random.key(0), KERNELS.rwmh(nanTarget), x0, 4, ok), (e: Error) => e.name === 'ArgumentError' && /initial x0/.test(e.message));
  // kernels reject a bad step size too
  const state = k.init(x0, 4);
  assert.throws(() => k.step(random.key(1), state, { stepSize: -1 }), { name: 'ArgumentError', argument: 'stepSize' });
});

test('same key → identical trace; another key → a different one', async () => {
  await ready();
  const target = correlatedGaussian();
  const n = 8;
  const x0 = target.sample!(random.key(6), n);
  for (const name of kernelNames()) {
    const opts: RunOptions = { ...quiet, warmup: 30, steps: 40, stepSize: 0.2 };
    const [a, b, c] = await Promise.all([random.key(9), random.key(9), random.key(10)].map((key) => run(key, KERNELS[name](target), x0, n, opts)));
    assert.deepEqual(a.trace.samples(), b.trace.samples(), name);
    assert.deepEqual(a.trace.logDensities(), b.trace.logDensities(), name);
    assert.equal(a.stepSize, b.stepSize);
    assert.notDeepEqual(a.trace.samples(), c.trace.samples(), name);
  }
});

test('trace: thinning, recorded coordinates, per-chain series and the arquero table', async () => {
  await ready();
  const target = correlatedGaussian();
  const n = 3;
  const x0 = target.sample!(random.key(11), n);
  const full = await run(random.key(12), KERNELS.rwmh(target), x0, n, { ...quiet, warmup: 0, steps: 10, stepSize: 0.5 });
  const thin = await run(random.key(12), KERNELS.rwmh(target), x0, n, { ...quiet, warmup: 0, steps: 10, stepSize: 0.5, thin: 3, record: [1] });
  assert.equal(thin.trace.length, 3);
  assert.deepEqual(thin.trace.dims, [1]);
  const t = thin.trace.table();
  assert.deepEqual(t.columnNames(), ['chain', 'step', 'x1', 'logDensity', 'accepted']);
  assert.equal(t.numRows(), 3 * n);
  assert.deepEqual(Array.from(t.array('step') as ArrayLike<number>), [3, 3, 3, 6, 6, 6, 9, 9, 9]);
  assert.deepEqual(Array.from(t.array('chain') as ArrayLike<number>), [0, 1, 2, 0, 1, 2, 0, 1, 2]);
  // thinned draws are the full run's draws at steps 3, 6, 9 (coordinate 1)
  const series = full.trace.chains(1);
  const thinSeries = thin.trace.chains(1);
  for (let c = 0; c < n; c++) assert.deepEqual(Array.from(thinSeries[c]), [2, 5, 8].map((s) => series[c][s]));
  assert.throws(() => thin.trace.chains(0), { name: 'ArgumentError', argument: 'j' });
  // samples() is [draws·chains, d], chains(j) its columns
  const s = full.trace.samples();
  assert.equal(s.length, 10 * n * 2);
  assert.equal(full.trace.chains(0)[2][7], s[(7 * n + 2) * 2]);
  const ft = full.trace.table({ chains: [1] });
  assert.equal(ft.numRows(), 10);
  assert.deepEqual(Array.from(ft.array('x0') as ArrayLike<number>), Array.from(full.trace.chains(0)[1], Math.fround));
  const acc = ft.array('accepted') as ArrayLike<number>;
  assert.ok(Array.from(acc).every((v) => v === 0 || v === 1));
  assert.ok(full.wallTime > 0 && !full.aborted);
});

test('step-size probes work on kernels whose state nests another state (a wrapper like Neutra)', async () => {
  await ready();
  const target = correlatedGaussian();
  const inner = KERNELS.mala(target);
  type Wrapped = ChainState & { inner: ChainState; steps: number };
  const wrap = (s: ChainState, steps: number): Wrapped => ({ n: s.n, d: s.d, position: s.position, logDensity: s.logDensity, grad: s.grad, inner: s, steps });
  const wrapped: Kernel<Wrapped> = {
    ...inner,
    name: 'wrapped-mala',
    init: (x, n) => wrap(inner.init(x, n), 0),
    step: (k, s, p) => {
      const out = inner.step(k, s.inner, p);
      return { state: wrap(out.state, s.steps + 1), info: out.info };
    },
  };
  const n = 64;
  const res = await run(random.key(12), wrapped, target.sample!(random.key(13), n), n, { ...quiet, warmup: 60, steps: 40, stepSize: 0.5 });
  // the driver's own state advanced once per step; the probes ran on copies
  assert.equal((res.state as Wrapped).steps, 100);
  assert.ok(Number.isFinite(res.stepSize) && res.stepSize > 0);
  assert.ok(res.acceptance > 0.3, `acceptance ${res.acceptance}`);
});
