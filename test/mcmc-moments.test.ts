/**
 * Statistical tests of the kernels: with many independent chains started from exact draws of
 * the target, each kernel's draws reproduce the target's mean and covariance (for ULA: the
 * closed-form or numerically exact moments of its biased stationary law) within 5 Monte Carlo
 * standard errors, estimated from the spread of the per-chain averages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../src/core/backend.js';
import * as random from '../src/core/random.js';
import { KERNELS, run, type KernelName } from '../src/mcmc/index.js';
import type { Target } from '../src/targets/target.js';
import { correlatedGaussian, momentZScores, rotatedMixture, ulaGaussianMoments, ulaMixtureMoments, ulaStationary1d, type Moments2 } from './mcmc-fixtures.js';

const CHAINS = 512;
const LABELS = ['mean x0', 'mean x1', 'var x0', 'var x1', 'cov x0 x1'];

/** Per-chain series of x0 and x1 from CHAINS chains of `name` started at exact draws of `target`. */
async function sampleChains(name: KernelName, target: Target, seed: number, stepSize: number): Promise<[Float64Array[], Float64Array[]]> {
  const x0 = target.sample!(random.key(seed), CHAINS);
  const res = await run(random.key(seed + 1), KERNELS[name](target), x0, CHAINS, { warmup: 400, steps: 600, stepSize, progress: false });
  assert.equal(res.trace.length, 600);
  assert.equal(res.divergences, 0);
  return [res.trace.chains(0), res.trace.chains(1)];
}

/** Asserts |z| < 5 for the mean, variances and covariance of the draws against `expected`. */
function assertMoments(what: string, [c0, c1]: [Float64Array[], Float64Array[]], expected: Moments2): void {
  const { z, estimate, se } = momentZScores(c0, c1, expected);
  const truth = [...expected.mean, ...expected.cov];
  z.forEach((zq, q) => {
    assert.ok(Math.abs(zq) < 5, `${what}: ${LABELS[q]} = ${estimate[q].toFixed(4)} ± ${se[q].toFixed(4)}, expected ${truth[q].toFixed(4)} (z = ${zq.toFixed(2)})`);
  });
}

/** The largest |z| of the draws against `expected` (to show that a wrong answer would be detected). */
function maxAbsZ([c0, c1]: [Float64Array[], Float64Array[]], expected: Moments2): number {
  return Math.max(...momentZScores(c0, c1, expected).z.map(Math.abs));
}

const gaussian = correlatedGaussian();
const mixture = rotatedMixture();

for (const name of ['rwmh', 'mala', 'hmc'] as const) {
  test(`${name} recovers the mean and covariance of a correlated 2-D Gaussian`, async () => {
    await ready();
    assertMoments(`${name} on ${gaussian.name}`, await sampleChains(name, gaussian, 11, 0.3), gaussian.moments);
  });
  test(`${name} recovers the mean and covariance of a 2-D two-component mixture`, async () => {
    await ready();
    assertMoments(`${name} on ${mixture.name}`, await sampleChains(name, mixture, 21, 0.3), mixture.moments);
  });
}

test('ULA on N(0, σ²) in 1-D: the numerical stationary solver matches σ²/(1 − ε/(2σ²))', () => {
  const s2 = 0.49;
  const eps = 0.1;
  const r = ulaStationary1d((z) => -z / s2, eps, -9, 9, 0.04);
  assert.ok(Math.abs(r.mean) < 1e-9);
  assert.ok(Math.abs(r.variance - s2 / (1 - eps / (2 * s2))) < 1e-9);
});

test('ULA reproduces its biased stationary law on a correlated Gaussian: Σ_ε = (P − εP²/2)⁻¹', async () => {
  await ready();
  const eps = 0.1;
  const expected = ulaGaussianMoments(gaussian.moments.mean, gaussian.precision, eps);
  const chains = await sampleChains('ula', gaussian, 31, eps);
  assertMoments('ula on the Gaussian', chains, expected);
  // the O(ε) bias is resolved: π's own moments are rejected by ULA's draws
  assert.ok(maxAbsZ(chains, gaussian.moments) > 5);
});

test('ULA reproduces its biased stationary law on the rotated mixture (numerical stationary moments)', async () => {
  await ready();
  const eps = 0.1;
  const expected = ulaMixtureMoments(eps);
  const chains = await sampleChains('ula', mixture, 41, eps);
  assertMoments('ula on the mixture', chains, expected);
  assert.ok(maxAbsZ(chains, mixture.moments) > 5);
});
