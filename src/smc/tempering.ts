/**
 * Parallel tempering (replica exchange; Swendsen & Wang 1986, Geyer 1991) over a ladder
 * 0 = β₀ < β₁ < ... < β_{K−1} = 1 of the geometric path π_β ∝ π₀^{1−β} π₁^β. Each replica holds
 * M chains; every round runs `mcmcSteps` kernel transitions per replica, then proposes swaps
 * between neighbours k, k+1 (the even pairs on even rounds, the odd pairs on odd rounds: the
 * deterministic even–odd scheme of Syed, Bouchard-Côté, Deligiannidis & Doucet, JRSS B 2022),
 * chain by chain, accepted with probability
 *
 *   min(1, exp((β_{k+1} − β_k)(h(x_k) − h(x_{k+1})))),   h = log π₁ − log π₀.
 *
 * log Z₁ by stepping stones (Xie, Lewis, Fan, Kuo & Chen, Systematic Biology 2011), from the
 * draws after burn-in of each replica k < K−1:
 *
 *   log Ẑ₁ = log Z₀ + Σ_k log r̂_k,   r̂_k = mean over draws of exp((β_{k+1} − β_k) h(x)), x ~ π_{β_k},
 *
 * and a standard error by batch means over the M independent chain slots (see `steppingStones`).
 *
 * The step size of each replica is tuned during burn-in (ε ← ε exp(a − a*) per round, a the
 * round's mean acceptance) and then frozen.
 *
 * @module
 */
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import { LoopMonitor, type LoopOptions } from '../core/loop.js';
import { split, uniform, type Key } from '../core/random.js';
import type { Target } from '../targets/target.js';
import { logSumExp } from '../diagnostics/weights.js';
import { checkProposal, type Proposal } from './proposal.js';
import { temperedTarget } from './tempered.js';
import { schedule } from './ais.js';
import { checkMoveOptions, evaluateEndpoints, moveParticles, resolveKernel, stageKeys, type KernelFactory } from './particles.js';

/** Options of {@link parallelTempering}. */
export interface ParallelTemperingOptions extends LoopOptions {
  /** The unnormalised target π₁. */
  target: Target;
  /** The base π₀ (β = 0): a proposal with exact draws (the chains start there) and known log Z₀. */
  base: Proposal;
  /** The ladder β₀ = 0 < ... < 1 (give this or `replicas`). */
  betas?: ArrayLike<number>;
  /** K replicas on the ladder β_k = (k/(K−1))^`ladderPower`. */
  replicas?: number;
  /** Exponent of the default ladder (default 2: denser near β = 0). */
  ladderPower?: number;
  /** Chains per replica M (default 64). */
  chains?: number;
  /** Rounds (moves + swaps) in all. */
  rounds: number;
  /** Rounds discarded as burn-in, during which step sizes are tuned (default rounds/4, floored). */
  burnIn?: number;
  /** Kernel transitions per replica per round (default 1). */
  mcmcSteps?: number;
  /** The MCMC kernel: a registry name or a factory (default 'mala'). */
  kernel?: string | KernelFactory;
  /** Initial step size of every replica (default 0.5). */
  stepSize?: number;
  /** Acceptance the burn-in tuning aims at (default: the kernel's own, else 0.5). */
  targetAcceptance?: number;
}

/** The result of {@link parallelTempering}. */
export interface ParallelTemperingResult {
  /** Draws of the β = 1 replica after burn-in, [draws·M, d] row-major, round-major (row = t·M + m). */
  samples: Float32Array;
  /** Number of sample rows (recorded rounds × M). */
  n: number;
  d: number;
  /** Chains per replica M. */
  chains: number;
  /** The ladder. */
  betas: Float64Array;
  /** Stepping-stone estimate of log Z₁ (NaN with no recorded round). */
  logZ: number;
  /** Its standard error (NaN with fewer than 2 chains). */
  stderr: number;
  /** Swap acceptance rate between replicas k and k+1, [K−1]. */
  swapRate: Float64Array;
  /** Mean MCMC acceptance per replica after burn-in, [K]. */
  acceptance: Float64Array;
  /** The frozen step size of each replica, [K]. */
  stepSizes: Float64Array;
  aborted: boolean;
}

/** Runs parallel tempering; reports every round (phase 'annealing', t = 1: the β = 1 replica's draws). */
export async function parallelTempering(key: Key, opts: ParallelTemperingOptions): Promise<ParallelTemperingResult> {
  const { target, base, rounds } = opts;
  checkProposal('base', base, target?.dim);
  checkPositiveInt('rounds', rounds);
  const betas = ladder(opts);
  const K = betas.length;
  const M = opts.chains ?? 64;
  checkPositiveInt('chains', M);
  const burnIn = opts.burnIn ?? Math.floor(rounds / 4);
  if (!(Number.isInteger(burnIn) && burnIn >= 0 && burnIn < rounds)) throw new ArgumentError('burnIn', `an integer in [0, rounds = ${rounds})`, burnIn);
  const mcmcSteps = opts.mcmcSteps ?? 1;
  const stepSizes = new Float64Array(K).fill(opts.stepSize ?? 0.5);
  checkMoveOptions(mcmcSteps, stepSizes[0]);
  const factory = resolveKernel(opts.kernel ?? 'mala');
  const kernels = Array.from(betas, (b) => factory(temperedTarget(base, target, b)));
  const aStar = opts.targetAcceptance ?? kernels[0].targetAcceptance ?? 0.5;
  const d = target.dim;
  const [k0, kRun] = split(key);
  const xs = Array.from({ length: K }, (_, k) => base.sample(stageKeys(k0, k, 1)[0], M));
  const l0 = Array.from({ length: K }, () => new Float32Array(M));
  const l1 = Array.from({ length: K }, () => new Float32Array(M));
  const kept = rounds - burnIn;
  const hTrace = new Float64Array(K * M * kept); // [k][m][t]
  const samples = new Float32Array(kept * M * d);
  const swaps = new Float64Array(K - 1);
  const swapTries = new Float64Array(K - 1);
  const accSum = new Float64Array(K);
  const running = new Float64Array(K - 1).fill(-Infinity); // running log Σ exp(Δβ h) per ladder edge
  let recorded = 0;
  const monitor = new LoopMonitor('annealing', rounds, opts);
  try {
    for (let r = 0; r < rounds; r++) {
      const keys = stageKeys(kRun, r, K + 1);
      let accRound = 0;
      for (let k = 0; k < K; k++) {
        const a = moveParticles(keys[k], kernels[k], xs[k], M, mcmcSteps, stepSizes[k]);
        if (r < burnIn) {
          if (Number.isFinite(a)) stepSizes[k] *= Math.exp(a - aStar);
        } else accSum[k] += a;
        accRound += a / K;
        evaluateEndpoints(base, target, xs[k], M, l0[k], l1[k]);
      }
      const u = uniform(keys[K], K * M);
      for (let k = r % 2; k + 1 < K; k += 2) {
        const db = betas[k + 1] - betas[k];
        for (let m = 0; m < M; m++) {
          const logAlpha = db * (l1[k][m] - l0[k][m] - (l1[k + 1][m] - l0[k + 1][m]));
          swapTries[k]++;
          if (Math.log(u[k * M + m]) < logAlpha) {
            swaps[k]++;
            swapRow(xs[k], xs[k + 1], m, d);
            swapRow(l0[k], l0[k + 1], m, 1);
            swapRow(l1[k], l1[k + 1], m, 1);
          }
        }
      }
      if (r >= burnIn) {
        const t = r - burnIn;
        for (let k = 0; k < K; k++) {
          for (let m = 0; m < M; m++) {
            const h = l1[k][m] - l0[k][m];
            hTrace[(k * M + m) * kept + t] = h;
            if (k + 1 < K) running[k] = logAddExp(running[k], (betas[k + 1] - betas[k]) * h);
          }
        }
        samples.set(xs[K - 1], t * M * d);
        recorded = t + 1;
      }
      let logZ = base.logZ;
      for (const s of running) logZ += s - Math.log(recorded * M);
      const stop = await monitor.tick({
        step: r + 1,
        metrics: { beta: 1, logZ: recorded ? logZ : NaN, acceptance: accRound, swapRate: meanRate(swaps, swapTries) },
        t: 1,
        samples: { data: xs[K - 1], n: M, d },
      });
      if (stop) break;
    }
  } finally {
    monitor.end();
  }
  const { logZ, stderr } = steppingStones(hTrace, betas, M, kept, recorded, base.logZ);
  return {
    samples: samples.slice(0, recorded * M * d),
    n: recorded * M,
    d,
    chains: M,
    betas,
    logZ,
    stderr,
    swapRate: swaps.map((s, k) => s / Math.max(swapTries[k], 1)),
    acceptance: accSum.map((s) => s / Math.max(recorded, 1)),
    stepSizes,
    aborted: monitor.aborted,
  };
}

/** The ladder from `betas` or `replicas`/`ladderPower`. */
function ladder(opts: ParallelTemperingOptions): Float64Array {
  if (opts.betas !== undefined) return schedule(opts.betas, undefined);
  const K = opts.replicas;
  if (K === undefined) throw new ArgumentError('betas', 'a ladder, or replicas (the number of temperatures)');
  checkPositiveInt('replicas', K);
  if (K < 2) throw new ArgumentError('replicas', 'at least 2', K);
  const p = opts.ladderPower ?? 2;
  if (!(Number.isFinite(p) && p > 0)) throw new ArgumentError('ladderPower', 'a finite number > 0', p);
  return Float64Array.from({ length: K }, (_, k) => (k / (K - 1)) ** p);
}

/**
 * Stepping-stone log Z and its standard error from the recorded h = log π₁ − log π₀ traces
 * ([k][m][t]). Chain slot m (chain m of every replica; swaps stay within a slot) is an
 * independent Markov chain, so with q_{k,m} = (mean over t of e^{Δβ_k h}) / (mean over all of
 * it) and s_m = Σ_k q_{k,m}, the delta method gives Var(log Ẑ) ≈ Var_m(s_m) / M (batch means
 * over independent slots: it accounts for autocorrelation and for the correlation the swaps
 * create between replicas).
 */
function steppingStones(hTrace: Float64Array, betas: Float64Array, M: number, kept: number, recorded: number, logZ0: number): { logZ: number; stderr: number } {
  if (recorded === 0) return { logZ: NaN, stderr: NaN };
  let logZ = logZ0;
  const score = new Float64Array(M);
  const v = new Float64Array(M * recorded);
  for (let k = 0; k + 1 < betas.length; k++) {
    const db = betas[k + 1] - betas[k];
    for (let m = 0; m < M; m++) {
      const row = hTrace.subarray((k * M + m) * kept, (k * M + m) * kept + recorded);
      for (let t = 0; t < recorded; t++) v[m * recorded + t] = db * row[t];
    }
    const lse = logSumExp(v);
    logZ += lse - Math.log(v.length);
    for (let m = 0; m < M; m++) {
      let s = 0;
      for (let t = 0; t < recorded; t++) s += Math.exp(v[m * recorded + t] - lse);
      score[m] += s * M; // (1/T) Σ_t e / ((1/(MT)) Σ e)
    }
  }
  if (M < 2) return { logZ, stderr: NaN };
  let mean = 0;
  for (const x of score) mean += x / M;
  let ss = 0;
  for (const x of score) ss += (x - mean) * (x - mean);
  return { logZ, stderr: Math.sqrt(ss / (M - 1) / M) };
}

function swapRow(a: Float32Array, b: Float32Array, m: number, d: number): void {
  for (let j = m * d; j < (m + 1) * d; j++) {
    const t = a[j];
    a[j] = b[j];
    b[j] = t;
  }
}

function logAddExp(a: number, b: number): number {
  const m = Math.max(a, b);
  return m === -Infinity ? -Infinity : m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

function meanRate(s: Float64Array, n: Float64Array): number {
  let a = 0;
  let b = 0;
  for (let k = 0; k < s.length; k++) {
    a += s[k];
    b += n[k];
  }
  return b ? a / b : NaN;
}
