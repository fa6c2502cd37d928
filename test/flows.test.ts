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
      tf.tidy(() => b.inverseAndLogDet(tf.add(tf.mul(tf.tensor2d(normal(ks[10], 60), [10, 6]), 3), 2) as tf.Tensor2D));
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
