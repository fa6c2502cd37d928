/**
 * Annealed importance sampling (Neal, "Annealed importance sampling", Statistics and Computing
 * 11, 2001) along the geometric path π_β ∝ π₀^{1−β} π₁^β from a base π₀ = Z₀ q (a
 * {@link Proposal}) to the target π₁, over a schedule 0 = β₀ < β₁ < ... < β_K = 1:
 *
 *   x⁰ ~ q;  for k = 1..K:  log w += (β_k − β_{k−1}) (log π₁(x) − log π₀(x)),  x ← T_k(x),
 *
 * T_k a few MCMC transitions leaving π_{β_k} invariant. Then E[w] = Z₁/Z₀, so
 * log Ẑ₁ = log Z₀ + log((1/N) Σ w_i), with the delta-method standard error of the weights
 * (`logZFromWeights`); the weighted particles approximate π₁. Step size and preconditioner are
 * fixed along the run, which keeps the estimate exactly unbiased.
 *
 * @module
 */
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import { LoopMonitor, type LoopOptions } from '../core/loop.js';
import type { Key } from '../core/random.js';
import type { Target } from '../targets/target.js';
import { kishEss, logZFromWeights } from '../diagnostics/weights.js';
import type { Proposal } from './proposal.js';
import { temperedTarget } from './tempered.js';
import { checkMoveOptions, checkParticles, evaluateEndpoints, initialParticles, moveParticles, resolveKernel, stageKeys, type KernelFactory, type ParticleResult } from './particles.js';

/** Options of {@link ais}. */
export interface AisOptions extends LoopOptions {
  /** The unnormalised target π₁. */
  target: Target;
  /** The base π₀: a proposal with exact draws and known log Z₀. */
  base: Proposal;
  /** Number of particles N ≥ 2. */
  n: number;
  /** The schedule β₀ = 0 < ... < β_K = 1 (increasing). Give this or `steps`. */
  betas?: ArrayLike<number>;
  /** K: the linear schedule β_k = k/K. */
  steps?: number;
  /** The MCMC kernel: a registry name ('mala', 'rwmh', 'hmc', 'ula') or a factory (default 'mala'). */
  kernel?: string | KernelFactory;
  /** MCMC transitions per temperature (default 1; 0 gives plain importance sampling along the path). */
  mcmcSteps?: number;
  /** The kernel's step size ε > 0. */
  stepSize: number;
  /** A diagonal preconditioner M⁻¹ ([d]) for the kernel. */
  inverseMass?: Float32Array;
}

/** The result of {@link ais} (also of an aborted run, then up to `beta`). */
export interface AisResult extends ParticleResult {
  /** log AIS weights, [n]. */
  logWeights: Float64Array;
  /** Kish ESS of the weights. */
  ess: number;
  /** The schedule used. */
  betas: Float64Array;
}

/** Runs AIS; reports each temperature to the loop's observers (phase 'annealing', t = β). */
export async function ais(key: Key, opts: AisOptions): Promise<AisResult> {
  const { target, base, n } = opts;
  checkParticles(n, base, target);
  const betas = schedule(opts.betas, opts.steps);
  const mcmcSteps = opts.mcmcSteps ?? 1;
  checkMoveOptions(mcmcSteps, opts.stepSize);
  const factory = resolveKernel(opts.kernel ?? 'mala');
  const d = target.dim;
  const { x, l0, l1, runKey: kRun } = initialParticles(key, base, target, n);
  const logw = new Float64Array(n);
  const logw32 = new Float32Array(n);
  const acceptance: number[] = [];
  const K = betas.length - 1;
  const monitor = new LoopMonitor('annealing', K, opts);
  let beta = 0;
  try {
    for (let k = 1; k <= K; k++) {
      const db = betas[k] - betas[k - 1];
      for (let i = 0; i < n; i++) logw[i] += db * (l1[i] - l0[i]);
      beta = betas[k];
      const [km] = stageKeys(kRun, k, 1);
      const kernel = factory(temperedTarget(base, target, beta));
      const acc = moveParticles(km, kernel, x, n, mcmcSteps, opts.stepSize, opts.inverseMass);
      acceptance.push(acc);
      evaluateEndpoints(base, target, x, n, l0, l1);
      const est = logZFromWeights(logw);
      logw32.set(logw);
      const stop = await monitor.tick({
        step: k,
        metrics: { beta, ess: kishEss(logw), logZ: base.logZ + est.logZ, acceptance: acc },
        t: beta,
        samples: { data: x, n, d },
        logWeights: logw32,
      });
      if (stop) break;
    }
  } finally {
    monitor.end();
  }
  const est = logZFromWeights(logw);
  return { samples: x, n, d, logWeights: logw, ess: kishEss(logw), logZ: base.logZ + est.logZ, stderr: est.stderr, acceptance, betas, beta, aborted: monitor.aborted };
}

/** The annealing schedule from `betas` (checked: starts at 0, increases strictly, ends at 1) or `steps` (linear). */
export function schedule(betas: ArrayLike<number> | undefined, steps: number | undefined): Float64Array {
  if (betas === undefined) {
    if (steps === undefined) throw new ArgumentError('betas', 'a schedule, or steps (the number of temperatures)');
    checkPositiveInt('steps', steps);
    return Float64Array.from({ length: steps + 1 }, (_, k) => k / steps);
  }
  const b = Float64Array.from(betas);
  const ok = b.length >= 2 && b[0] === 0 && b[b.length - 1] === 1 && b.every((v, i) => i === 0 || v > b[i - 1]);
  if (!ok) throw new ArgumentError('betas', 'an increasing schedule from 0 to 1 (at least 2 values)', betas);
  return b;
}
