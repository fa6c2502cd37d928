/**
 * Shared machinery of the importance-sampling family: choosing the MCMC kernel, checking and
 * drawing the initial particles, evaluating the two endpoints of the path at the particles, moving particles with a kernel on π_β, systematic
 * resampling and the particle variance used as a diagonal preconditioner.
 *
 * @module
 */
import { ArgumentError, checkNonNegativeInt, checkPositive, checkPositiveInt } from '../core/errors.js';
import { fold, split, uniform, type Key } from '../core/random.js';
import { kernelByName } from '../mcmc/kernels.js';
import type { Kernel } from '../mcmc/kernel.js';
import { evaluateLogDensity, type Target } from '../targets/target.js';
import { checkProposal, type Proposal } from './proposal.js';

/** Builds an MCMC kernel for a target (e.g. `mala`, `hmc`, or any `(target) => Kernel`). */
export type KernelFactory = (target: Target) => Kernel;

/** A kernel by registry name ('rwmh', 'mala', 'ula', 'hmc') or a factory. */
export function resolveKernel(kernel: string | KernelFactory): KernelFactory {
  if (typeof kernel === 'function') return kernel;
  if (typeof kernel !== 'string') throw new ArgumentError('kernel', 'a kernel name or a function (target) => Kernel', kernel);
  return (t) => kernelByName(kernel, t);
}

/** Checks the MCMC options shared by AIS, SMC and parallel tempering. */
export function checkMoveOptions(mcmcSteps: number, stepSize: number): void {
  checkNonNegativeInt('mcmcSteps', mcmcSteps);
  checkPositive('stepSize', stepSize);
}

/** What the particle samplers (AIS, SMC) return, also from an aborted run, then up to `beta`. */
export interface ParticleResult {
  /** The particles, [n, d] row-major, with weights `logWeights`. */
  samples: Float32Array;
  n: number;
  d: number;
  /** The particles' log-weights, [n]. */
  logWeights: Float64Array;
  /** Estimate of log Z_β (log Z₁ when the run completed). */
  logZ: number;
  /** Its standard error. */
  stderr: number;
  /** Mean acceptance of the moves at each temperature reached. */
  acceptance: number[];
  /** The last β reached (1 unless aborted). */
  beta: number;
  /** Whether a signal stopped the run early. */
  aborted: boolean;
}

/** Checks the particle count n ≥ 2 and that `base` is a proposal on the target's space (AIS and SMC). */
export function checkParticles(n: number, base: Proposal, target: Target): void {
  checkPositiveInt('n', n);
  if (n < 2) throw new ArgumentError('n', 'at least 2 particles', n);
  checkProposal('base', base, target?.dim);
}

/** The start of a particle system: n draws x ~ π₀ ([n, d]), log π₀ and log π₁ at them, and the key of the run. */
export interface InitialParticles {
  x: Float32Array;
  l0: Float32Array;
  l1: Float32Array;
  /** The key left for the run's stages (the draws use the other half of the split). */
  runKey: Key;
}

/** Draws n particles from the base π₀ and evaluates both endpoints there (see {@link evaluateEndpoints}). */
export function initialParticles(key: Key, base: Proposal, target: Target, n: number): InitialParticles {
  const [k0, runKey] = split(key);
  const x = base.sample(k0, n);
  const l0 = new Float32Array(n);
  const l1 = new Float32Array(n);
  evaluateEndpoints(base, target, x, n, l0, l1);
  return { x, l0, l1, runKey };
}

/**
 * log π₀ and log π₁ at the n particles x ([n, d]) into l0, l1; throws when a particle has a
 * non-finite value at an endpoint where the path needs it (NaN anywhere, +∞, or −∞ under π₀).
 */
export function evaluateEndpoints(base: Target, target: Target, x: Float32Array, n: number, l0: Float32Array, l1: Float32Array): void {
  evaluateLogDensity(base, x, n, l0);
  evaluateLogDensity(target, x, n, l1);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(l0[i]) || Number.isNaN(l1[i]) || l1[i] === Infinity) {
      throw new ArgumentError(`target ${target.name}`, 'finite log densities of base and target at the particles', `log π₀ = ${l0[i]}, log π₁ = ${l1[i]} at particle ${i}`);
    }
  }
}

/**
 * `steps` transitions of `kernel` from positions x ([n, d], updated in place)
 * with the given step size and preconditioner; returns the mean acceptance probability (NaN
 * when steps = 0).
 */
export function moveParticles(key: Key, kernel: Kernel, x: Float32Array, n: number, steps: number, stepSize: number, inverseMass?: Float32Array): number {
  if (steps === 0) return NaN;
  let state = kernel.init(x, n);
  let acc = 0;
  for (let s = 0; s < steps; s++) {
    const out = kernel.step(fold(key, s), state, { stepSize, inverseMass });
    state = out.state;
    for (let i = 0; i < n; i++) acc += out.info.acceptProb[i];
  }
  x.set(state.position);
  return acc / (n * steps);
}

/**
 * Systematic resampling (Kitagawa 1996; Carpenter, Clifford & Fearnhead 1999): one uniform
 * u ~ U(0, 1), and ancestor i is chosen for the points (k + u)/n that fall in its slice of the
 * cumulative normalised weights W. Returns n ancestor indices.
 */
export function systematicResample(key: Key, weights: ArrayLike<number>, n = weights.length): Int32Array {
  const [u] = uniform(key, 1);
  return invertCdf(weights, Float64Array.from({ length: n }, (_, k) => (k + u) / n));
}

/** Multinomial resampling: n independent draws from the categorical distribution W (sorted uniforms, one pass). */
export function multinomialResample(key: Key, weights: ArrayLike<number>, n = weights.length): Int32Array {
  return invertCdf(weights, Float64Array.from(uniform(key, n)).sort());
}

/** The ancestor of each sorted point p ∈ (0, 1) in the cumulative weights. */
function invertCdf(weights: ArrayLike<number>, points: Float64Array): Int32Array {
  const out = new Int32Array(points.length);
  let cum = weights[0];
  let i = 0;
  for (let k = 0; k < points.length; k++) {
    while (points[k] > cum && i < weights.length - 1) cum += weights[++i];
    out[k] = i;
  }
  return out;
}

/** Rows `idx` of a row-major [·, d] array, as a new [idx.length, d] array. */
export function gatherRows<T extends Float32Array | Float64Array | Int32Array>(a: T, d: number, idx: Int32Array): T {
  const out = new (a.constructor as new (n: number) => T)(idx.length * d);
  for (let k = 0; k < idx.length; k++) out.set(a.subarray(idx[k] * d, (idx[k] + 1) * d), k * d);
  return out;
}

/** The weighted per-coordinate variance of particles x ([n, d]) under normalised weights W (uniform when absent), floored at 1e-8. */
export function particleVariance(x: Float32Array, n: number, d: number, w?: ArrayLike<number>): Float32Array {
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1 / n;
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j];
      mean[j] += wi * v;
      sq[j] += wi * v * v;
    }
  }
  return Float32Array.from(mean, (m, j) => Math.max(sq[j] - m * m, 1e-8));
}

/** Keys for the stages of a loop: stage k uses `stageKey(key, k)`, split into `parts` subkeys. */
export function stageKeys(key: Key, stage: number, parts: number): Key[] {
  return split(fold(key, stage), parts);
}
