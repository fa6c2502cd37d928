/**
 * Law tests of every bijector (one loop), flows, training and parameter files.
 *
 * Float32 tolerances: every computation runs in float32 (unit roundoff 6e-8); the maps compose
 * at most a few dozen operations, and the inputs are O(1), so inverse∘forward and
 * forward∘inverse agree with the identity to |err| ≤ 1e-4 · (1 + |x|) (a thousand ulps), and
 * log |det| agrees with the float64 log-determinant of the float32 autodiff Jacobian to 2e-3
 * (cancellation in 1 + ... terms of planar/radial and in the spline's derivative ratio).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready, tf } from '../src/core/backend.js';
import { ArgumentError } from '../src/core/errors.js';
import { key, split, normal } from '../src/core/random.js';
import * as flows from '../src/flows/index.js';
import type { Bijector } from '../src/flows/index.js';
import { adam } from '../src/nn/optim.js';

const ID_TOL = 1e-4;
const LOGDET_TOL = 2e-3;

/** log |det A| of a d×d matrix (row-major, float64) by LU with partial pivoting. */
function logAbsDet(a: Float64Array, d: number): number {
  const m = Float64Array.from(a);
  let s = 0;
  for (let k = 0; k < d; k++) {
    let p = k;
    for (let i = k + 1; i < d; i++) if (Math.abs(m[i * d + k]) > Math.abs(m[p * d + k])) p = i;
    for (let j = 0; j < d; j++) [m[k * d + j], m[p * d + j]] = [m[p * d + j], m[k * d + j]];
    const piv = m[k * d + k];
    s += Math.log(Math.abs(piv));
    for (let i = k + 1; i < d; i++) {
      const f = m[i * d + k] / piv;
      for (let j = k; j < d; j++) m[i * d + j] -= f * m[k * d + j];
    }
  }
  return s;
}

/** Jacobians [n][d*d] of f: [n, d] → [n, d] (rows independent) by autodiff, one output coordinate at a time. */
function jacobians(f: (x: tf.Tensor2D) => tf.Tensor2D, x: tf.Tensor2D): Float64Array[] {
  const [n, d] = x.shape;
  const J = Array.from({ length: n }, () => new Float64Array(d * d));
  for (let i = 0; i < d; i++) {
    const g = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(tf.slice(f(v as tf.Tensor2D), [0, i], [-1, 1])))(x));
    const gv = g.dataSync();
    g.dispose();
    for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) J[r][i * d + j] = gv[r * d + j];
  }
  return J;
}

interface Case {
  name: string;
  make(): Bijector;
  /** Scale of the test inputs (default 1). */
  spread?: number;
}

const k0 = key(2024);
const ks = split(k0, 32);
const cases: Case[] = [
  { name: 'elementwiseAffine', make: () => flows.elementwiseAffine(3, { scale: [0.5, 2, 1.5], shift: [1, -1, 0.3] }) },
  { name: 'permutation (random)', make: () => flows.permutation(5, ks[0]) },
  { name: 'permutation (reverse)', make: () => flows.permutation(4, 'reverse') },
  { name: 'planar', make: () => flows.planar(ks[1], 3) },
  { name: 'radial', make: () => flows.radial(ks[2], 3) },
  { name: 'affineCoupling (alternating)', make: () => flows.affineCoupling(ks[3], 4, flows.alternatingMask(4, 1), { hidden: [8], finalScale: 1 }) },
  { name: 'affineCoupling (d = 2, W3 layout)', make: () => flows.affineCoupling(ks[4], 2, [0, 1], { hidden: [8, 8], finalScale: 1 }) },
  { name: 'affineCoupling (random mask)', make: () => flows.affineCoupling(ks[5], 5, flows.randomMask(ks[6], 5), { hidden: [8], finalScale: 1 }) },
  { name: 'splineCoupling', make: () => flows.splineCoupling(ks[7], 4, flows.alternatingMask(4, 0), { hidden: [8], bins: 5, bound: 2, finalScale: 1 }), spread: 1.5 },
  { name: 'maf', make: () => flows.maf(ks[8], 4, { hidden: [12], finalScale: 1 }) },
  { name: 'iaf', make: () => flows.iaf(ks[9], 4, { hidden: [12], finalScale: 1 }) },
  {
    name: 'actNorm (image [2, 1, 3], data-initialised)',
    make: () => {
      const b = flows.actNorm([2, 1, 3]);
      tf.tidy(() => {
        b.inverseAndLogDet(tf.add(tf.mul(tf.tensor2d(normal(ks[10], 60), [10, 6]), 3), 2) as tf.Tensor2D);
      });
      return b;
    },
  },
  { name: 'invertibleConv1x1 (image [2, 2, 3])', make: () => flows.invertibleConv1x1(ks[11], [2, 2, 3]) },
  { name: 'squeeze (image [2, 2, 2])', make: () => flows.squeeze([2, 2, 2]).bijector },
  {
    name: 'chain (planar, radial, maf, permutation)',
    make: () => flows.chain([flows.planar(ks[12], 3), flows.radial(ks[13], 3), flows.maf(ks[14], 3, { hidden: [8], finalScale: 1 }), flows.permutation(3, 'reverse')]),
  },
];

for (const c of cases) {
  test(`bijector laws: ${c.name}`, async () => {
    await ready();
    const b = c.make();
    const d = b.dim;
    const n = 5;
    const x = tf.tensor2d(normal(ks[20], n * d).map((v) => v * (c.spread ?? 1)), [n, d]);
    const before = tf.memory().numTensors;
    const f = b.forwardAndLogDet(x);
    const back = b.inverseAndLogDet(f.y);
    const inv = b.inverseAndLogDet(x);
    const fwdInv = b.forwardAndLogDet(inv.y);
    // batched shapes
    assert.deepEqual(f.y.shape, [n, d]);
    assert.deepEqual(f.logDet.shape, [n]);
    assert.deepEqual(inv.y.shape, [n, d]);
    assert.deepEqual(inv.logDet.shape, [n]);
    const xv = x.dataSync();
    // inverse∘forward = id and forward∘inverse = id
    for (const [name, v] of [['inverse(forward(x))', back.y], ['forward(inverse(x))', fwdInv.y]] as const) {
      const vv = v.dataSync();
      for (let i = 0; i < n * d; i++) assert.ok(Math.abs(vv[i] - xv[i]) <= ID_TOL * (1 + Math.abs(xv[i])), `${name}[${i}] = ${vv[i]} vs ${xv[i]}`);
    }
    // log-dets of the two directions are opposite at corresponding points
    const [ld, ldBack] = [f.logDet.dataSync(), back.logDet.dataSync()];
    for (let r = 0; r < n; r++) assert.ok(Math.abs(ld[r] + ldBack[r]) <= LOGDET_TOL, `logDet forward ${ld[r]} vs inverse ${ldBack[r]}`);
    // log-det = log |det J| by autodiff, both directions
    for (const [dir, out] of [['forwardAndLogDet', f], ['inverseAndLogDet', inv]] as const) {
      const J = jacobians((v) => b[dir](v).y, x);
      const lv = out.logDet.dataSync();
      for (let r = 0; r < n; r++) {
        const exact = logAbsDet(J[r], d);
        assert.ok(Math.abs(lv[r] - exact) <= LOGDET_TOL, `${dir} row ${r}: logDet ${lv[r]} vs autodiff ${exact}`);
      }
    }
    // rows are independent: a batch of one row gives the same as the row in the batch
    const one = tf.tidy(() => b.forwardAndLogDet(tf.slice(x, [2, 0], [1, d])).y.dataSync());
    const fy = f.y.dataSync();
    for (let j = 0; j < d; j++) assert.ok(Math.abs(one[j] - fy[2 * d + j]) <= ID_TOL * (1 + Math.abs(fy[2 * d + j])));
    [f, back, inv, fwdInv].forEach((m) => (m.y.dispose(), m.logDet.dispose()));
    assert.equal(tf.memory().numTensors, before, 'no tensors leak from the two directions');
    // bad input
    assert.throws(() => b.forwardAndLogDet(tf.zeros([2, d + 1]) as tf.Tensor2D), ArgumentError);
    assert.throws(() => b.inverseAndLogDet(tf.zeros([d]) as unknown as tf.Tensor2D), ArgumentError);
    x.dispose();
    b.dispose();
  });
}

test('flow: log q integrates to 1 on a grid, and sampleAndLogProb agrees with logProb', async () => {
  await ready();
  const f = flows.realNVP(key(5), 2, { layers: 4, hidden: [16], finalScale: 1 });
  // trapezoid-free midpoint rule on [-9, 9]^2, 300^2 cells (the base tails beyond |z| = 9 are < 1e-17)
  const m = 300;
  const h = 18 / m;
  const grid = new Float32Array(m * m * 2);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) grid.set([-9 + (i + 0.5) * h, -9 + (j + 0.5) * h], (i * m + j) * 2);
  const lp = f.logProbHost(grid, m * m);
  let mass = 0;
  for (const v of lp) mass += Math.exp(v) * h * h;
  // the map is smooth and the grid fine: the midpoint rule error is far below 1e-2
  assert.ok(Math.abs(mass - 1) < 1e-2, `∫ q = ${mass}`);
  const { x, logProb } = f.sampleAndLogProbHost(key(6), 64);
  const again = f.logProbHost(x, 64);
  for (let i = 0; i < 64; i++) assert.ok(Math.abs(logProb[i] - again[i]) < 1e-3 * (1 + Math.abs(again[i])), `${logProb[i]} vs ${again[i]}`);
  assert.throws(() => f.logProbHost(new Float32Array(5), 2), ArgumentError);
  f.dispose();
});

/** N(μ, diag(σ²)) data and target for the training tests. */
const MU = [1, -2];
const SD = [0.5, 2];
function gaussianData(k: ReturnType<typeof key>, n: number): Float32Array {
  const z = normal(k, n * 2);
  for (let i = 0; i < n * 2; i++) z[i] = MU[i % 2] + SD[i % 2] * z[i];
  return z;
}
/** Entropy of N(μ, diag(σ²)) in 2-D. */
const ENTROPY = 1 + Math.log(2 * Math.PI) + Math.log(SD[0] * SD[1]);

test('trainFlow forward KL: an affine flow fits Gaussian data (held-out NLL → entropy), loss reported to observers, tensors flat', async () => {
  await ready();
  const f = new flows.Flow([flows.elementwiseAffine(2)]);
  const data = gaussianData(key(10), 4000);
  const seen: number[] = [];
  const observer = { update: (e: { metrics: Record<string, number> }) => seen.push(e.metrics.loss) };
  const optimizer = adam(f.params, { lr: 0.05, clipNorm: 10 });
  const first = await flows.trainFlow(key(11), f, { objective: 'forward', data, steps: 10, batchSize: 256, optimizer, observers: [observer], progress: false });
  const before = tf.memory().numTensors;
  const rest = await flows.trainFlow(key(12), f, { objective: 'forward', data, steps: 300, batchSize: 256, optimizer, progress: false });
  assert.equal(tf.memory().numTensors, before, 'numTensors flat over a training loop');
  optimizer.dispose();
  assert.equal(seen.length, 10);
  assert.deepEqual(Float32Array.from(seen), first.losses);
  // held-out NLL = H(π) + KL(π‖q) ≥ H(π); within 5 standard errors of H + a small fitting error
  const test = gaussianData(key(13), 20000);
  const nll = Array.from(f.logProbHost(test, 20000), (v) => -v);
  const mean = nll.reduce((a, b) => a + b, 0) / nll.length;
  const se = Math.sqrt(nll.reduce((a, b) => a + (b - mean) ** 2, 0) / (nll.length - 1) / nll.length);
  assert.ok(mean > ENTROPY - 5 * se, `held-out NLL ${mean} below the entropy ${ENTROPY} by more than 5 SE (${se})`);
  assert.ok(mean < ENTROPY + 0.02 + 5 * se, `held-out NLL ${mean} vs entropy ${ENTROPY} (SE ${se}); losses ${rest.losses[0]} → ${rest.losses[rest.steps - 1]}`);
  f.dispose();
});

test('trainFlow reverse KL: an affine flow recovers the mean and scales of a Gaussian target; loss → −log Z', async () => {
  await ready();
  const { gaussian } = await import('../src/targets/gaussian.js');
  const target = gaussian({ dim: 2, mean: MU, cov: [[SD[0] ** 2, 0], [0, SD[1] ** 2]] });
  const f = new flows.Flow([flows.elementwiseAffine(2)]);
  const res = await flows.trainFlow(key(20), f, { objective: 'reverse', target, steps: 400, batchSize: 256, lr: 0.05, progress: false });
  const [logScale, shift] = f.params.map((p) => Array.from(p.dataSync()));
  for (let j = 0; j < 2; j++) {
    assert.ok(Math.abs(shift[j] - MU[j]) < 0.05 * SD[j], `shift ${shift} vs ${MU}`);
    assert.ok(Math.abs(Math.exp(logScale[j]) - SD[j]) < 0.05 * SD[j], `scale ${logScale.map(Math.exp)} vs ${SD}`);
  }
  // at the optimum KL = 0: the loss is −log Z (the Gaussian target is normalised up to its logZ)
  const tail = Array.from(res.losses.slice(-50));
  const avg = tail.reduce((a, b) => a + b, 0) / tail.length;
  assert.ok(Math.abs(avg + (target.logZ ?? 0)) < 0.02, `mean final loss ${avg} vs −log Z = ${-(target.logZ ?? 0)}`);
  f.dispose();
});

test('trainFlow mixed objective, abort keeps partial losses, argument errors', async () => {
  await ready();
  const { gaussian } = await import('../src/targets/gaussian.js');
  const target = gaussian({ dim: 2, mean: MU, cov: [[SD[0] ** 2, 0], [0, SD[1] ** 2]] });
  const f = flows.realNVP(key(30), 2, { layers: 2, hidden: [8] });
  const data = gaussianData(key(31), 1000);
  const ctl = new AbortController();
  let n = 0;
  const res = await flows.trainFlow(key(32), f, {
    objective: 'mixed', data, target, steps: 50, batchSize: 64, lr: 1e-2, signal: ctl.signal, progress: false,
    observers: [{ update: () => ++n === 7 && ctl.abort() }],
  });
  assert.equal(res.aborted, true);
  assert.equal(res.steps, 7);
  assert.ok(res.losses.every(Number.isFinite));
  assert.ok(res.losses[6] < res.losses[0], `mixed loss decreases: ${res.losses}`);
  await assert.rejects(flows.trainFlow(key(1), f, { objective: 'forward', steps: 3 }), ArgumentError);
  await assert.rejects(flows.trainFlow(key(1), f, { objective: 'reverse', steps: 3 }), ArgumentError);
  await assert.rejects(flows.trainFlow(key(1), f, { objective: 'forward', data: new Float32Array(3), steps: 3 }), ArgumentError);
  await assert.rejects(flows.trainFlow(key(1), f, { objective: 'sideways' as 'forward', data, steps: 3 }), ArgumentError);
  await assert.rejects(flows.trainFlow(key(1), f, { objective: 'forward', data, steps: 0 }), ArgumentError);
  f.dispose();
});

test('flow parameters: save to JSON and load into a freshly built flow gives the same density; malformed files rejected', async () => {
  await ready();
  const make = () =>
    new flows.Flow([
      flows.actNorm([1, 1, 2]),
      flows.affineCoupling(key(41), 2, [1, 0], { hidden: [8] }),
      flows.splineCoupling(key(42), 2, [0, 1], { hidden: [8], bins: 4 }),
      flows.maf(key(43), 2, { hidden: [8] }),
    ]);
  const a = make();
  const data = gaussianData(key(44), 500);
  await flows.trainFlow(key(45), a, { objective: 'forward', data, steps: 30, batchSize: 64, lr: 1e-2, progress: false });
  const json = JSON.stringify(a.toJSON());
  const b = make();
  b.loadJSON(json);
  assert.equal(b.bijector.initialized, true, 'loaded ActNorm is marked initialised');
  const probe = gaussianData(key(46), 50);
  const [la, lb] = [a.logProbHost(probe, 50), b.logProbHost(probe, 50)];
  for (let i = 0; i < 50; i++) assert.equal(la[i], lb[i]);
  const c = make();
  const snapshot = JSON.stringify(c.toJSON());
  const bad = JSON.parse(json);
  bad.params[1].values[0] = 'x';
  assert.throws(() => c.loadJSON(bad), ArgumentError);
  assert.throws(() => c.loadJSON('{not json'), ArgumentError);
  assert.throws(() => c.loadJSON({ ...JSON.parse(json), dim: 3 }), ArgumentError);
  assert.throws(() => c.loadJSON({ format: 'other' }), ArgumentError);
  assert.equal(JSON.stringify(c.toJSON()), snapshot, 'a rejected file leaves the parameters unchanged');
  [a, b, c].forEach((f) => f.dispose());
});

test('bijector and flow constructors reject bad input with ArgumentError', async () => {
  await ready();
  const k = key(1);
  assert.throws(() => flows.affineCoupling(k, 3, [1, 0]), ArgumentError, 'mask of the wrong length');
  assert.throws(() => flows.affineCoupling(k, 2, [1, 1]), ArgumentError, 'mask without a transformed coordinate');
  assert.throws(() => flows.affineCoupling(k, 2, [1, 2]), ArgumentError, 'mask value other than 0/1');
  assert.throws(() => flows.splineCoupling(k, 2, [1, 0], { bins: 1 }), ArgumentError);
  assert.throws(() => flows.splineCoupling(k, 2, [1, 0], { bound: -1 }), ArgumentError);
  assert.throws(() => flows.squeeze([3, 2, 1]), ArgumentError, 'odd height');
  assert.throws(() => flows.invertibleConv1x1(k, [2, 2, 0]), ArgumentError);
  assert.throws(() => flows.elementwiseAffine(2, { scale: [1, -1] }), ArgumentError);
  assert.throws(() => flows.elementwiseAffine(2, { shift: [0, NaN] }), ArgumentError);
  assert.throws(() => flows.permutation(3, [0, 0, 1]), ArgumentError);
  assert.throws(() => flows.planar(k, 0), ArgumentError);
  assert.throws(() => flows.maf(k, 2, { hidden: [0] }), ArgumentError);
  assert.throws(() => flows.chain([flows.planar(k, 2), flows.planar(k, 3)]), ArgumentError);
  assert.throws(() => new flows.Flow([]), ArgumentError);
  assert.throws(() => new flows.Flow([flows.planar(k, 2)], { baseScale: 0 }), ArgumentError);
  assert.throws(() => flows.realNVP(k, 2, { layers: 0 }), ArgumentError);
  assert.throws(() => flows.actNorm([1, 1, 2]).inverseAndLogDet(tf.zeros([1, 2]) as tf.Tensor2D), ArgumentError, 'data-dependent init needs 2 rows');
});
