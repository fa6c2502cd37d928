import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ready } from '../src/core/backend.js';
import * as random from '../src/core/random.js';
import { ArgumentError } from '../src/core/errors.js';
import { sampleEightGaussians } from '../src/targets/toy2d.js';
import { slicedWasserstein } from '../src/diagnostics/index.js';
import {
  linear,
  timeNet,
  independent,
  standardNormal,
  trainInterpolant,
  flowMap,
  trainFlowMap,
  sampleFlowMap,
  lmdLoss,
  emdLoss,
  fmmLoss,
  type TwoTimeMap,
  type BatchField,
} from '../src/interpolants/index.js';

/**
 * Linear interpolant, x0 ~ N(0, I), x1 ~ N(m, s²I): V_t = (1 − t)² + t² s², the drift is
 * b(t, x) = m + (V̇_t / 2V_t)(x − t m), and y = x − t m obeys ẏ = (V̇/2V) y, so the exact flow map is
 *   X_{s,t}(x) = t m + √(V_t / V_s) (x − s m).
 */
const m = [1.5, -0.5];
const sd = 0.6;
const V = (t: tf.Tensor) => tf.add(tf.square(tf.sub(1, t)), tf.mul(tf.square(t), sd * sd));
const dV = (t: tf.Tensor) => tf.add(tf.mul(tf.sub(1, t), -2), tf.mul(t, 2 * sd * sd));
const exactB: BatchField = (t, x) =>
  tf.tidy(() => {
    const mt = tf.tensor2d(m, [1, 2]);
    return tf.add(mt, tf.mul(tf.div(dV(t), tf.mul(V(t), 2)), tf.sub(x, tf.mul(t, mt)))) as tf.Tensor2D;
  });
const exactMap = (wrong = 0): TwoTimeMap => (s, t, x) =>
  tf.tidy(() => {
    const mt = tf.tensor2d(m, [1, 2]);
    const X = tf.add(tf.mul(t, mt), tf.mul(tf.sqrt(tf.div(V(t), V(s))), tf.sub(x, tf.mul(s, mt))));
    // a perturbation that keeps X_{s,s} = id
    return tf.add(X, tf.mul(tf.mul(tf.sub(t, s), wrong), x)) as tf.Tensor2D;
  });

function setup(n: number, seed: number) {
  const I = linear();
  const x0 = tf.tensor2d(random.normal(random.key(seed), 2 * n), [n, 2]);
  const x1 = tf.tidy(() => tf.add(tf.mul(tf.tensor2d(random.normal(random.key(seed + 1), 2 * n), [n, 2]), sd), tf.tensor2d(m, [1, 2]))) as tf.Tensor2D;
  const u = random.uniform(random.key(seed + 2), 2 * n);
  const s = tf.tensor2d(u.map((v, i) => (i % 2 ? 0 : Math.min(v, u[i + 1]))).filter((_, i) => i % 2 === 0), [n, 1]);
  const t = tf.tensor2d(u.map((v, i) => (i % 2 ? 0 : Math.max(v, u[i + 1]))).filter((_, i) => i % 2 === 0), [n, 1]);
  return { I, x0, x1, s, t, dispose: () => tf.dispose([x0, x1, s, t]) };
}

test('LMD and EMD losses vanish at the exact flow map of the exact drift, and not at a perturbed map', async () => {
  await ready();
  const { I, x0, x1, s, t, dispose } = setup(256, 10);
  const xs = I.sample(x0, x1, s);
  const val = (l: tf.Scalar) => {
    const v = l.dataSync()[0];
    l.dispose();
    return v;
  };
  const lmd = val(lmdLoss(exactMap(), exactB, s, t, xs));
  const emd = val(emdLoss(exactMap(), exactB, s, t, xs));
  assert.ok(lmd < 1e-8 && emd < 1e-8, `exact map: LMD ${lmd}, EMD ${emd}`);
  assert.ok(val(lmdLoss(exactMap(0.1), exactB, s, t, xs)) > 1e-3, 'perturbed map, LMD');
  assert.ok(val(emdLoss(exactMap(0.1), exactB, s, t, xs)) > 1e-3, 'perturbed map, EMD');
  xs.dispose();
  dispose();
});

test('FMM: the exact flow map has a lower loss than perturbed maps (its minimum is the conditional variance of İ_t)', async () => {
  await ready();
  const { I, x0, x1, s, t, dispose } = setup(2000, 20);
  // FMM draws s, t in both orders: swap half of the pairs
  const [a, b] = tf.tidy(() => {
    const flip = tf.tensor2d(Array.from({ length: 2000 }, (_, i) => i % 2), [2000, 1]);
    return [tf.add(tf.mul(flip, t), tf.mul(tf.sub(1, flip), s)), tf.add(tf.mul(flip, s), tf.mul(tf.sub(1, flip), t))] as tf.Tensor2D[];
  });
  const It = I.sample(x0, x1, b);
  const dIt = I.velocityTarget(x0, x1, b);
  const loss = (w: number) => tf.tidy(() => fmmLoss(exactMap(w), a, b, It, dIt).dataSync()[0]);
  const exact = loss(0);
  for (const w of [-0.1, 0.1]) assert.ok(exact < loss(w), `exact ${exact} < perturbed(${w}) ${loss(w)}`);
  tf.dispose([a, b, It, dIt]);
  dispose();
});

test('flow map: X_{s,s} = id by construction; LMD distillation of a trained velocity gives 1- and 2-step samples close to the data', async () => {
  await ready();
  const n = 1000;
  const data = (k: random.Key, k2: number) => sampleEightGaussians(k, k2);
  const heldOut = data(random.key(99), n);
  const x0 = tf.tensor2d(random.normal(random.key(97), 2 * n), [n, 2]);
  const c = independent(2, standardNormal(2), data);
  const I = linear();
  const vel = timeNet(random.key(1), 2, { hidden: [64, 64] });
  await trainInterpolant(random.key(2), I, vel, c, { steps: 300, batchSize: 256, lr: 3e-3 });
  const fm = flowMap(random.key(3), 2, { hidden: [64, 64] });
  const same = tf.fill([n, 1], 0.37) as tf.Tensor2D;
  const id = fm.map(same, same, x0);
  assert.equal(tf.tidy(() => tf.max(tf.abs(tf.sub(id, x0))).dataSync()[0]), 0);
  const start = tf.memory().numTensors;
  const counts: number[] = [];
  await trainFlowMap(random.key(4), fm, I, c, {
    objective: 'lmd',
    teacher: (t, x) => vel.apply(t, x),
    steps: 150,
    batchSize: 256,
    lr: 3e-3,
    observers: [{ update: () => counts.push(tf.memory().numTensors) }],
  });
  assert.equal(tf.memory().numTensors, start);
  assert.equal(Math.max(...counts), Math.min(...counts), 'numTensors flat over training');
  const sw = (x: ArrayLike<number>) => slicedWasserstein(random.key(5), x, heldOut, { dim: 2 }).distance;
  const baseSw = sw(x0.dataSync());
  // same criterion as the flow-matching smoke test: ≥ 60% of the base's sliced W2 removed
  for (const steps of [1, 2]) {
    const y = await sampleFlowMap(fm, x0, { steps });
    assert.ok(sw(y.dataSync()) < 0.4 * baseSw, `${steps}-step LMD map: sliced W2 ${sw(y.dataSync())} vs base ${baseSw}`);
    y.dispose();
  }
  tf.dispose([x0, same, id]);
  fm.dispose();
  vel.dispose();
});

test('flow maps reject bad input', async () => {
  await ready();
  const fm = flowMap(random.key(1), 2, { hidden: [8] });
  const c = independent(2, standardNormal(2), standardNormal(2));
  const x = tf.zeros([4, 2]) as tf.Tensor2D;
  await assert.rejects(trainFlowMap(random.key(1), fm, linear(), c, { objective: 'lmd' }), ArgumentError, 'LMD needs a teacher');
  await assert.rejects(trainFlowMap(random.key(1), fm, linear(), c, { objective: 'xyz' as never }), ArgumentError);
  await assert.rejects(trainFlowMap(random.key(1), fm, linear(), c, { objective: 'fmm', steps: 0 }), ArgumentError);
  await assert.rejects(trainFlowMap(random.key(1), fm, linear(), independent(3, standardNormal(3), standardNormal(3)), { objective: 'fmm' }), ArgumentError);
  await assert.rejects(sampleFlowMap(fm, x, { steps: 0 }), ArgumentError);
  tf.dispose(x);
  fm.dispose();
});
