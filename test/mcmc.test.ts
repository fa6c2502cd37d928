/**
 * The kernel contract, checked for every kernel of the registry, and exact one-step checks of
 * the proposals (ULA, RWMH), HMC's energy accounting and divergence threshold, the support
 * boundary (log π = −∞), and the agreement of the fused and autodiff paths.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../src/core/backend.js';
import * as random from '../src/core/random.js';
import { KERNELS, kernelByName, kernelNames, type ChainState } from '../src/mcmc/index.js';
import { defineTarget, evaluateLogDensity } from '../src/targets/target.js';
import { correlatedGaussian } from './mcmc-fixtures.js';

const target = correlatedGaussian();
const n = 16;
const copy = (s: ChainState) => ({ position: s.position.slice(), logDensity: s.logDensity.slice(), grad: s.grad?.slice() });

test('registry: the four kernels by name; unknown name → ArgumentError', () => {
  assert.deepEqual(kernelNames(), ['rwmh', 'mala', 'ula', 'hmc']);
  for (const name of kernelNames()) assert.equal(kernelByName(name, target).name, name);
  assert.throws(() => kernelByName('nuts', target), { name: 'ArgumentError', argument: 'kernel' });
});

for (const name of kernelNames()) {
  test(`${name}: init/step contract, accepted rows move to valid states, rejected rows stay, same key same step`, async () => {
    await ready();
    const kernel = KERNELS[name](target);
    const x0 = target.sample!(random.key(1), n);
    const s0 = kernel.init(x0, n);
    assert.equal(s0.n, n);
    assert.equal(s0.d, 2);
    assert.notEqual(s0.position, x0, 'init copies the positions');
    assert.equal(s0.grad === null, !kernel.usesGradient);
    const before = copy(s0);
    const { state, info } = kernel.step(random.key(2), s0, { stepSize: 0.4, leapfrogSteps: 5 });
    assert.equal(info.acceptProb.length, n);
    const lp = evaluateLogDensity(target, state.position, n);
    let moved = 0;
    for (let r = 0; r < n; r++) {
      assert.ok(info.acceptProb[r] >= 0 && info.acceptProb[r] <= 1);
      assert.equal(info.divergent[r], 0);
      const row = Array.from(state.position.subarray(2 * r, 2 * r + 2));
      const old = Array.from(before.position.subarray(2 * r, 2 * r + 2));
      if (info.accepted[r]) moved++;
      else assert.deepEqual(row, old, 'a rejected chain keeps its state');
      assert.ok(Math.abs(state.logDensity[r] - lp[r]) < 1e-5, 'the stored log density is that of the stored position');
    }
    assert.ok(moved > 0);
    if (!kernel.metropolized) assert.equal(moved, n);
    // same key, same state → same step
    const s1 = kernel.init(x0, n);
    const again = kernel.step(random.key(2), s1, { stepSize: 0.4, leapfrogSteps: 5 });
    assert.deepEqual(again.state.position, state.position);
  });
}

test('ULA and RWMH one step equal their formulas with the normals of the step key', async () => {
  await ready();
  const x0 = target.sample!(random.key(3), n);
  const C = new Float32Array([0.5, 2]);
  const eps = 0.05;
  const xi = random.normal(random.key(4), n * 2);
  const u = KERNELS.ula(target);
  const s = u.init(x0, n);
  const g = s.grad!.slice();
  const { state } = u.step(random.key(4), s, { stepSize: eps, inverseMass: C });
  for (let i = 0; i < n * 2; i++) {
    const c = C[i % 2];
    assert.ok(Math.abs(state.position[i] - (x0[i] + eps * c * g[i] + Math.sqrt(2 * eps * c) * xi[i])) < 1e-5);
  }
  const rw = KERNELS.rwmh(target);
  const r = rw.step(random.key(4), rw.init(x0, n), { stepSize: eps, inverseMass: C });
  for (let i = 0; i < n * 2; i++) {
    if (r.info.accepted[Math.floor(i / 2)]) assert.ok(Math.abs(r.state.position[i] - (x0[i] + eps * Math.sqrt(C[i % 2]) * xi[i])) < 1e-6);
  }
});

test('HMC conserves energy for small steps (with a non-identity mass) and flags energy errors > 1000 as divergent', async () => {
  await ready();
  const h = KERNELS.hmc(target);
  const x0 = target.sample!(random.key(5), n);
  const { info } = h.step(random.key(6), h.init(x0, n), { stepSize: 0.01, leapfrogSteps: 20, inverseMass: new Float32Array([0.5, 2]) });
  assert.ok(info.acceptProb.every((a) => a > 0.999), 'ΔH = O(ε²)');
  // a very narrow Gaussian with ε = 1: the leapfrog blows up
  const narrow = defineTarget({
    dim: 1,
    logDensity: () => {
      throw new Error('unused: fused path');
    },
    logDensityAndGrad: (x, m, lp, g) => {
      for (let i = 0; i < m; i++) {
        lp[i] = -0.5e6 * x[i] * x[i];
        g[i] = -1e6 * x[i];
      }
    },
  });
  const hn = KERNELS.hmc(narrow);
  const start = new Float32Array(n).fill(1e-3);
  const out = hn.step(random.key(7), hn.init(start, n), { stepSize: 1, leapfrogSteps: 3 });
  assert.ok(out.info.divergent.every((v) => v === 1));
  assert.ok(out.info.accepted.every((v) => v === 0));
  assert.deepEqual(out.state.position, start);
});

test('log π = −∞ outside the support is an ordinary rejection, not a divergence', async () => {
  await ready();
  // Exp(1) on x > 0 (host density only)
  const expo = defineTarget({
    dim: 1,
    logDensity: () => {
      throw new Error('unused: host path');
    },
    logDensityHost: (x, m, lp) => {
      for (let i = 0; i < m; i++) lp[i] = x[i] > 0 ? -x[i] : -Infinity;
    },
  });
  const k = KERNELS.rwmh(expo);
  let s = k.init(new Float32Array(n).fill(0.1), n);
  let rejectedOutside = 0;
  for (let t = 0; t < 20; t++) {
    const out = k.step(random.fold(random.key(8), t), s, { stepSize: 1 });
    s = out.state;
    assert.ok(out.info.divergent.every((v) => v === 0));
    rejectedOutside += out.info.accepted.filter((a) => a === 0).length;
  }
  assert.ok(rejectedOutside > 0);
  assert.ok(s.position.every((v) => v > 0));
});

test('fused and autodiff paths give the same step (MALA, ULA, HMC)', async () => {
  await ready();
  const auto = correlatedGaussian({ fused: false });
  const x0 = target.sample!(random.key(9), n);
  for (const name of ['mala', 'ula', 'hmc'] as const) {
    const a = KERNELS[name](target);
    const b = KERNELS[name](auto);
    const sa = a.step(random.key(10), a.init(x0, n), { stepSize: 0.3, leapfrogSteps: 4 }).state;
    const sb = b.step(random.key(10), b.init(x0, n), { stepSize: 0.3, leapfrogSteps: 4 }).state;
    for (let i = 0; i < n * 2; i++) assert.ok(Math.abs(sa.position[i] - sb.position[i]) < 1e-4, `${name} at ${i}`);
  }
});
