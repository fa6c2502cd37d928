import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ready } from '../src/core/backend.js';
import * as random from '../src/core/random.js';
import { ArgumentError } from '../src/core/errors.js';
import { timeNet, trainCnf, logLikelihood, cnfNegLogLikelihood, hutchinsonProbes } from '../src/interpolants/index.js';

const m = [1, -1];
const s = 0.5;
const data = (k: random.Key, n: number) => random.normal(k, 2 * n).map((v, i) => m[i % 2] + s * v);

test('CNF by maximum likelihood (Hutchinson, FFJORD) learns N(m, s²I): held-out NLL within 0.1 nat of the truth', async () => {
  await ready();
  const net = timeNet(random.key(1), 2, { hidden: [32, 32], finalScale: 0.1 });
  const n = 500;
  const heldData = data(random.key(50), n);
  const held = tf.tensor2d(heldData, [n, 2]);
  // the exact NLL of the held-out points under the true density
  let trueNll = 0;
  for (let i = 0; i < n; i++) {
    const q = ((heldData[2 * i] - m[0]) ** 2 + (heldData[2 * i + 1] - m[1]) ** 2) / (s * s);
    trueNll += (0.5 * q + 2 * Math.log(s) + Math.log(2 * Math.PI)) / n;
  }
  const nll = async () => -(await logLikelihood(net.field(), held, { method: 'rk4', steps: 20 })).reduce((a, b) => a + b) / n;
  const before = await nll();
  const counts: number[] = [];
  const start = tf.memory().numTensors;
  const { losses } = await trainCnf(random.key(2), net, data, {
    steps: 60,
    batchSize: 128,
    lr: 1e-2,
    odeSteps: 4,
    observers: [{ update: () => counts.push(tf.memory().numTensors) }],
  });
  assert.equal(tf.memory().numTensors, start);
  assert.equal(Math.max(...counts), Math.min(...counts), 'numTensors flat over training');
  const after = await nll();
  // the held-out NLL gap to the truth is an estimate of KL(ρ ‖ ρ̂) ≥ 0 (plus sampling noise)
  assert.ok(before - trueNll > 1, `the untrained flow is far off: gap ${before - trueNll}`);
  assert.ok(after - trueNll < 0.1, `trained gap ${after - trueNll} (losses ${losses[0]} → ${losses[losses.length - 1]})`);
  held.dispose();
  net.dispose();
});

test('CNF loss: mean over probes approximates the exact-divergence NLL of the same discretisation', async () => {
  await ready();
  const net = timeNet(random.key(3), 2, { hidden: [16] });
  const x = tf.tensor2d(data(random.key(4), 8), [8, 2]);
  const reps = 200;
  const vals: number[] = [];
  for (let r = 0; r < reps; r++) {
    const p = hutchinsonProbes(random.key(100 + r), 8, 2, 'gaussian');
    const l = cnfNegLogLikelihood(net, x, p, { odeSteps: 4, method: 'rk4' });
    vals.push(l.dataSync()[0]);
    tf.dispose([p, l]);
  }
  const exact = -(await logLikelihood(net.field(), x, { method: 'rk4', steps: 4 })).reduce((a, b) => a + b) / 8;
  const mean = vals.reduce((a, b) => a + b) / reps;
  const se = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (reps - 1) / reps);
  assert.ok(Math.abs(mean - exact) < 5 * se, `Hutchinson mean ${mean} vs exact ${exact} ± ${5 * se}`);
  const bad = hutchinsonProbes(random.key(1), 8, 2);
  assert.throws(() => cnfNegLogLikelihood(net, x, bad, { odeSteps: 0 }), ArgumentError);
  assert.throws(() => cnfNegLogLikelihood(net, x, bad, { method: 'dopri5' as never }), ArgumentError);
  await assert.rejects(trainCnf(random.key(1), net, data, { steps: -1 }), ArgumentError);
  await assert.rejects(trainCnf(random.key(1), net, (k, n) => random.normal(k, n), { steps: 1 }), ArgumentError, 'sampler of the wrong size');
  tf.dispose([x, bad]);
  net.dispose();
});
