/**
 * Flow-assisted samplers: flow IS, flow IMH, i-SIR, adaptive local–global MCMC and Neutra.
 * Statistical checks use fixed keys and tolerances of 5 Monte Carlo standard errors computed
 * from the data (per-chain averages of independent chains where draws are correlated).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready, tf } from '../src/core/backend.js';
import { ArgumentError } from '../src/core/errors.js';
import { key, normal, fold } from '../src/core/random.js';
import * as flows from '../src/flows/index.js';
import * as transport from '../src/transport/index.js';
import { gaussian } from '../src/targets/gaussian.js';
import { gaussianMixture } from '../src/targets/gmm40.js';
import { mala } from '../src/mcmc/mala.js';
import { hmc } from '../src/mcmc/hmc.js';
import { run } from '../src/mcmc/run.js';
import type { ChainState, Kernel, KernelParams } from '../src/mcmc/kernel.js';

const MU = [1, -2];
const SD = [0.5, 2];
const target = gaussian({ dim: 2, mean: MU, cov: [[SD[0] ** 2, 0], [0, SD[1] ** 2]] });
/** The exact flow for `target`: x = μ + σ ⊙ z. */
const exactFlow = () => new flows.Flow([flows.elementwiseAffine(2, { scale: SD, shift: MU })]);

function meanAndSe(v: ArrayLike<number>): { mean: number; se: number } {
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i];
  m /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] - m) ** 2;
  return { mean: m, se: Math.sqrt(s / (v.length - 1) / v.length) };
}

/** Runs `steps` steps of a kernel from x0 and returns the per-chain time averages of f(x) per coordinate, and the states. */
function chainAverages<S extends ChainState>(k: Kernel<S>, x0: Float32Array, n: number, steps: number, burn: number, params: KernelParams, f: (v: number, j: number) => number = (v) => v) {
  let s = k.init(x0, n);
  const d = k.target.dim;
  const avg = Array.from({ length: d }, () => new Float64Array(n));
  let acc = 0;
  for (let t = 0; t < steps; t++) {
    const out = k.step(fold(key(77), t), s, params);
    s = out.state;
    if (t < burn) continue;
    acc += out.info.acceptProb.reduce((a, b) => a + b, 0) / n;
    for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) avg[j][r] += f(s.position[r * d + j], j) / (steps - burn);
  }
  return { avg, state: s, acceptance: acc / (steps - burn) };
}

test('flow IMH with the exact flow accepts every proposal and samples the right moments (5 SE)', async () => {
  await ready();
  const flow = exactFlow();
  const k = transport.flowIMH(target, flow);
  const n = 500;
  const { avg, acceptance } = chainAverages(k, new Float32Array(n * 2), n, 40, 5, { stepSize: 1 });
  assert.ok(acceptance > 0.999, `acceptance ${acceptance}`);
  for (let j = 0; j < 2; j++) {
    const { mean, se } = meanAndSe(avg[j]);
    assert.ok(Math.abs(mean - MU[j]) < 5 * se, `coordinate ${j}: mean ${mean} vs ${MU[j]} (SE ${se})`);
  }
  // second moments
  const sq = chainAverages(k, new Float32Array(n * 2), n, 40, 5, { stepSize: 1 }, (v, j) => (v - MU[j]) ** 2).avg;
  for (let j = 0; j < 2; j++) {
    const { mean, se } = meanAndSe(sq[j]);
    assert.ok(Math.abs(mean - SD[j] ** 2) < 5 * se, `coordinate ${j}: variance ${mean} vs ${SD[j] ** 2} (SE ${se})`);
  }
  flow.dispose();
});

test('flow IS: log Z of a Gaussian within its error bar (5 SE), ESS in [1, n]; exact flow gives ESS = n', async () => {
  await ready();
  const logZ = 1.7;
  const t = { ...target, name: 'scaled', logZ: (target.logZ ?? 0) + logZ, logDensity: (x: tf.Tensor2D) => tf.add(target.logDensity(x), logZ) as tf.Tensor1D, logDensityAndGrad: undefined, logDensityHost: undefined };
  const wrong = new flows.Flow([flows.elementwiseAffine(2, { scale: [0.7, 2.6], shift: [1.2, -1.5] })]);
  const r = transport.flowImportanceSampling(key(3), wrong, t, 20000);
  assert.ok(Math.abs(r.logZ - t.logZ) < 5 * r.logZStderr, `log Z ${r.logZ} ± ${r.logZStderr} vs ${t.logZ}`);
  assert.ok(r.ess >= 1 && r.ess < 20000, `ESS ${r.ess}`);
  assert.equal(r.samples.length, 40000);
  const exact = exactFlow();
  const e = transport.flowImportanceSampling(key(4), exact, t, 1000);
  assert.ok(Math.abs(e.ess - 1000) < 1, `exact proposal ESS ${e.ess}`);
  assert.ok(Math.abs(e.logZ - t.logZ) < 1e-4, `exact proposal log Z ${e.logZ}`);
  assert.throws(() => transport.flowImportanceSampling(key(1), exact, t, 1), ArgumentError);
  assert.throws(() => transport.flowImportanceSampling(key(1), new flows.Flow([flows.planar(key(2), 3)]), t, 10), ArgumentError);
  [wrong, exact].forEach((f) => f.dispose());
});

test('i-SIR with an imperfect flow samples the right moments (5 SE, per-chain averages)', async () => {
  await ready();
  const flow = new flows.Flow([flows.elementwiseAffine(2, { scale: [1, 3], shift: [0, 0] })]);
  const k = transport.flowISIR(target, flow, { proposals: 8 });
  const n = 200;
  const { avg, acceptance } = chainAverages(k, new Float32Array(n * 2), n, 60, 10, { stepSize: 1 });
  assert.ok(acceptance > 0.5 && acceptance < 1, `moving probability ${acceptance}`);
  for (let j = 0; j < 2; j++) {
    const { mean, se } = meanAndSe(avg[j]);
    assert.ok(Math.abs(mean - MU[j]) < 5 * se, `coordinate ${j}: mean ${mean} vs ${MU[j]} (SE ${se})`);
  }
  assert.throws(() => transport.flowISIR(target, flow, { proposals: 1 }), ArgumentError);
  flow.dispose();
});

/** Two well-separated modes at (±5, 0) with weights 0.2 / 0.8. */
const W_RIGHT = 0.8;
const twoModes = gaussianMixture({ means: [[-5, 0], [5, 0]], scale: 1, weights: [1 - W_RIGHT, W_RIGHT] });
/** Half the chains start in each mode. */
function split50(n: number): Float32Array {
  const x = normal(key(9), n * 2);
  for (let r = 0; r < n; r++) x[r * 2] += r % 2 === 0 ? -5 : 5;
  return x;
}

test('adaptive local–global MCMC visits both modes with the right weights where MALA alone does not; tensors flat', async () => {
  await ready();
  const n = 200;
  const flow = flows.realNVP(key(11), 2, { layers: 4, hidden: [32], outputScale: 4 });
  const k = transport.localGlobal({
    local: mala(twoModes),
    global: transport.flowIMH(twoModes, flow),
    localSteps: 5,
    training: { flow, iterations: 60, optimizerSteps: 2, buffer: 5, lr: 5e-3 },
  });
  const params = { stepSize: 0.3 };
  const right = (v: number, j: number) => (j === 0 && v > 0 ? 1 : 0);
  let s = k.init(split50(n), n);
  let tensors = 0;
  for (let t = 0; t < 60; t++) {
    const out = k.step(fold(key(12), t), s, params);
    s = out.state;
    assert.ok(Number.isFinite(out.info.loss), `training loss at step ${t}`);
    if (t === 9) tensors = tf.memory().numTensors;
  }
  assert.equal(tf.memory().numTensors, tensors, 'numTensors flat over the training iterations');
  // production: flow frozen; per-chain occupancy of the right mode over 100 steps
  const occ = new Float64Array(n);
  let globalAcc = 0;
  let localAcc = 0;
  for (let t = 0; t < 100; t++) {
    const out = k.step(fold(key(13), t), s, params);
    s = out.state;
    assert.ok(Number.isNaN(out.info.loss), 'no training after `iterations`');
    globalAcc += out.info.globalAcceptProb.reduce((a, b) => a + b, 0) / n / 100;
    localAcc += out.info.acceptProb.reduce((a, b) => a + b, 0) / n / 100;
    for (let r = 0; r < n; r++) occ[r] += right(s.position[r * 2], 0) / 100;
  }
  const lg = meanAndSe(occ);
  assert.ok(Math.abs(lg.mean - W_RIGHT) < 5 * lg.se, `local–global occupancy ${lg.mean} vs ${W_RIGHT} (SE ${lg.se})`);
  assert.ok(globalAcc > 0.05, `global acceptance ${globalAcc}`);
  assert.ok(localAcc > 0.3, `local acceptance ${localAcc}`);
  // MALA alone from the same start keeps the 50/50 split
  const alone = chainAverages(mala(twoModes), split50(n), n, 160, 60, params, right);
  const ma = meanAndSe(alone.avg[0]);
  assert.ok(Math.abs(ma.mean - W_RIGHT) > 5 * Math.max(ma.se, lg.se), `MALA alone: occupancy ${ma.mean} (SE ${ma.se}) should miss ${W_RIGHT}`);
  k.dispose();
  flow.dispose();
});

test('local–global with i-SIR and HMC runs under the run driver (trace, acceptance of the local moves)', async () => {
  await ready();
  const flow = exactFlow();
  const k = transport.localGlobal({ local: hmc(target), global: transport.flowISIR(target, flow, { proposals: 4 }), localSteps: 2 });
  const n = 100;
  const res = await run(key(21), k as unknown as Kernel, new Float32Array(n * 2).fill(0.5), n, { warmup: 0, steps: 40, stepSize: 0.2, leapfrogSteps: 5, adapt: false, progress: false });
  assert.equal(res.trace.length, 40);
  assert.ok(res.acceptance > 0.5, `local HMC acceptance ${res.acceptance}`);
  // the chains' final states are independent draws: their mean within 5 SE
  const m = Float64Array.from({ length: n }, (_, r) => res.state.position[r * 2 + 1]);
  const { mean, se } = meanAndSe(m);
  assert.ok(Math.abs(mean - MU[1]) < 5 * se, `final-state mean ${mean} vs ${MU[1]} (SE ${se})`);
  flow.dispose();
});

test('Neutra: MALA in the latent space of a matched flow samples a Gaussian with the right moments; log π reported in x-space', async () => {
  await ready();
  // a rotated, correlated Gaussian and an affine flow close to (not exactly) its Cholesky map
  const cov = [[1, 0.9 * 2], [0.9 * 2, 4]];
  const t = gaussian({ dim: 2, mean: MU, cov });
  const flow = new flows.Flow([flows.elementwiseAffine(2, { scale: [1.1, 0.4] }), flows.maf(key(31), 2, { hidden: [8] }), flows.elementwiseAffine(2, { scale: [1, 2], shift: MU })]);
  const k = transport.neutra(t, flow);
  const n = 300;
  const x0 = new Float32Array(n * 2);
  for (let r = 0; r < n; r++) x0.set(MU, r * 2);
  const { avg, state, acceptance } = chainAverages(k, x0, n, 150, 50, { stepSize: 0.2 });
  assert.ok(acceptance > 0.3, `acceptance ${acceptance}`);
  for (let j = 0; j < 2; j++) {
    const { mean, se } = meanAndSe(avg[j]);
    assert.ok(Math.abs(mean - MU[j]) < 5 * se, `coordinate ${j}: mean ${mean} vs ${MU[j]} (SE ${se})`);
  }
  const direct = new Float32Array(n);
  t.logDensityHost!(state.position, n, direct);
  for (let r = 0; r < n; r++) assert.ok(Math.abs(direct[r] - state.logDensity[r]) < 1e-3 * (1 + Math.abs(direct[r])), `log π ${state.logDensity[r]} vs ${direct[r]}`);
  // the pull-back density: log π(T z) + log|det ∂T/∂z|
  const z = tf.tensor2d([0.3, -0.2, 1, 2], [2, 2]);
  const pb = transport.pullback(t, flow).logDensity(z).dataSync();
  const { y, logDet } = flow.bijector.forwardAndLogDet(z);
  const ref = tf.add(t.logDensity(y), logDet).dataSync();
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(pb[i] - ref[i]) < 1e-5 * (1 + Math.abs(ref[i])));
  tf.dispose([z, y, logDet]);
  flow.dispose();
});

test('transport kernels reject bad input', async () => {
  await ready();
  const flow3 = new flows.Flow([flows.planar(key(1), 3)]);
  const flow2 = exactFlow();
  assert.throws(() => transport.flowIMH(target, flow3), ArgumentError);
  assert.throws(() => transport.flowISIR(target, flow3), ArgumentError);
  assert.throws(() => transport.neutra(target, flow3), ArgumentError);
  assert.throws(() => transport.flowIMH(target, {} as flows.Flow), ArgumentError);
  assert.throws(() => transport.localGlobal({ local: mala(target), global: transport.flowIMH(target, flow2), localSteps: -1 }), ArgumentError);
  assert.throws(() => transport.localGlobal({ local: mala(target), global: transport.flowIMH(target, flow2, { withGradient: false }) }), ArgumentError);
  assert.throws(() => transport.localGlobal({ local: mala(target), global: transport.flowIMH(twoModes, flow2), training: { flow: flow3, iterations: 5 } }), ArgumentError);
  assert.throws(() => transport.flowIMH(target, flow2).init(new Float32Array(5), 2), ArgumentError);
  [flow3, flow2].forEach((f) => f.dispose());
});
