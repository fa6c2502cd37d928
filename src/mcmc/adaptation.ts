/**
 * Warm-up adaptation of MCMC kernels over a batch of chains: the step size by dual averaging
 * toward a target mean acceptance, and a diagonal inverse mass matrix (preconditioner) from the
 * variance of the warm-up draws in Stan's doubling windows.
 *
 * @module
 */
import { ArgumentError, checkInRange, checkNonNegativeInt, checkPositive, checkPositiveInt } from '../core/errors.js';
import type { ChainState, StepInfo } from './kernel.js';

/** Constants of dual averaging (Hoffman & Gelman 2014, §3.2): γ = 0.05, t₀ = 10, κ = 0.75. */
export interface DualAveragingOptions {
  gamma?: number;
  t0?: number;
  kappa?: number;
}

/**
 * Nesterov dual averaging of log ε toward a target acceptance δ (Hoffman & Gelman, "The No-U-Turn
 * Sampler", JMLR 2014, §3.2, Algorithm 5). After the m-th observed acceptance α_m:
 *
 *   H̄_m = (1 − 1/(m + t₀)) H̄_{m−1} + (δ − α_m) / (m + t₀),
 *   log ε_m = μ − (√m / γ) H̄_m,
 *   log ε̄_m = m^{−κ} log ε_m + (1 − m^{−κ}) log ε̄_{m−1},
 *
 * with μ = log(10 ε₀). ε_m is used during warm-up; ε̄ is the step size to sample with afterwards.
 */
export class DualAveraging {
  private readonly gamma: number;
  private readonly t0: number;
  private readonly kappa: number;
  private mu = 0;
  private m = 0;
  private hBar = 0;
  private logEps = 0;
  private logEpsBar = 0;

  /** Starts at step size ε₀ = `stepSize`, aiming at mean acceptance `targetAcceptance` ∈ (0, 1). */
  constructor(stepSize: number, readonly targetAcceptance: number, opts: DualAveragingOptions = {}) {
    if (!(targetAcceptance > 0 && targetAcceptance < 1)) throw new ArgumentError('targetAcceptance', 'a number in (0, 1)', targetAcceptance);
    this.gamma = opts.gamma ?? 0.05;
    this.t0 = opts.t0 ?? 10;
    this.kappa = opts.kappa ?? 0.75;
    checkPositive('gamma', this.gamma);
    checkPositive('t0', this.t0);
    checkInRange('kappa', this.kappa, 0.5, 1);
    this.restart(stepSize);
  }

  /** Restarts the averaging from step size ε₀ (μ = log(10 ε₀); Stan does this after every mass-matrix update). */
  restart(stepSize: number): void {
    checkPositive('stepSize', stepSize);
    this.mu = Math.log(10 * stepSize);
    this.m = 0;
    this.hBar = 0;
    this.logEps = Math.log(stepSize);
    this.logEpsBar = 0;
  }

  /** Records the acceptance α of the last step (a NaN counts as 0) and returns the next step size ε_m. */
  update(acceptance: number): number {
    const a = Number.isFinite(acceptance) ? Math.min(1, Math.max(0, acceptance)) : 0;
    const m = ++this.m;
    const w = 1 / (m + this.t0);
    this.hBar = (1 - w) * this.hBar + w * (this.targetAcceptance - a);
    this.logEps = this.mu - (Math.sqrt(m) / this.gamma) * this.hBar;
    const eta = m ** -this.kappa;
    this.logEpsBar = eta * this.logEps + (1 - eta) * this.logEpsBar;
    return Math.exp(this.logEps);
  }

  /** The number m of acceptances recorded since the last (re)start. */
  get count(): number {
    return this.m;
  }

  /** The current warm-up step size ε_m. */
  get stepSize(): number {
    return Math.exp(this.logEps);
  }

  /** The averaged step size ε̄_m to sample with after warm-up (ε₀ before any update). */
  get finalStepSize(): number {
    return this.m === 0 ? Math.exp(this.logEps) : Math.exp(this.logEpsBar);
  }
}

/**
 * Running mean and variance of d coordinates over points added one batch at a time (Welford,
 * Technometrics 1962), in float64: for each new point x, δ = x − mean, mean += δ / N,
 * M2 += δ (x − mean); the sample variance is M2 / (N − 1).
 */
export class WelfordVariance {
  /** Number of points seen. */
  count = 0;
  readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(readonly d: number) {
    checkPositiveInt('d', d);
    this.mean = new Float64Array(d);
    this.m2 = new Float64Array(d);
  }

  /** Adds the n points of a row-major [n, d] batch. */
  add(x: Float32Array, n: number): void {
    const d = this.d;
    for (let r = 0, i = 0; r < n; r++) {
      const inv = 1 / ++this.count;
      for (let j = 0; j < d; j++, i++) {
        const delta = x[i] - this.mean[j];
        this.mean[j] += delta * inv;
        this.m2[j] += delta * (x[i] - this.mean[j]);
      }
    }
  }

  /** The sample variance of each coordinate (NaN with fewer than 2 points). */
  variance(): Float64Array {
    const v = new Float64Array(this.d);
    for (let j = 0; j < this.d; j++) v[j] = this.count > 1 ? this.m2[j] / (this.count - 1) : NaN;
    return v;
  }

  /**
   * The variance shrunk toward 10⁻³ as Stan regularises its diagonal metric:
   * σ̂²_reg = N/(N + 5) σ̂² + 10⁻³ · 5/(N + 5).
   */
  regularizedVariance(): Float32Array {
    const N = this.count;
    const v = this.variance();
    return Float32Array.from(v, (s) => (N / (N + 5)) * s + 1e-3 * (5 / (N + 5)));
  }

  /** Forgets every point. */
  reset(): void {
    this.count = 0;
    this.mean.fill(0);
    this.m2.fill(0);
  }
}

/**
 * The mean acceptance probability of trial transitions at step size ε with the current metric,
 * from the chains' current positions, over at least `draws` chain-transitions (with n chains,
 * ⌈draws/n⌉ successive transitions of a copy of the chains); the chains do not move.
 */
export type AcceptanceProbe = (stepSize: number, draws: number) => number;

/** Options of {@link searchStepSize}. */
export interface SearchOptions {
  /** Halvings of the bracket in log ε after it is found (default 4; 0 is Stan's heuristic). */
  bisections?: number;
  /** Chain-transitions each probe averages over, at least (default 1: one transition of the batch). */
  draws?: number;
}

/**
 * A step size whose one-step mean acceptance over the chains, ā(ε), is near `threshold`:
 * Stan's heuristic (Hoffman & Gelman 2014, Algorithm 4; Stan's `base_hmc::init_stepsize`) doubles
 * ε while ā(ε) > threshold, or halves it while ā(ε) < threshold, which brackets the crossing
 * within a factor 2; then `bisections` halvings of the bracket in log ε (default 4) return the
 * geometric midpoint of the last bracket, within a factor 2^{1/32} of the crossing of the probed
 * curve. With `bisections` = 0 this is Stan's heuristic (the first ε past the crossing). Each ā(ε)
 * averages at least `draws` chain-transitions (sd ≤ 0.5/√draws), so a batch of chains makes it
 * precise enough to bisect on. A NaN acceptance counts as 0. Throws an `ArgumentError` naming
 * `stepSize` if ε leaves [10⁻¹², 10⁷] without crossing (Stan's "posterior is improper" check).
 */
export function searchStepSize(probe: AcceptanceProbe, stepSize: number, threshold: number, opts: SearchOptions = {}): number {
  const { bisections = 4, draws = 1 } = opts;
  checkPositive('stepSize', stepSize);
  checkInRange('threshold', threshold, 0, 1);
  checkNonNegativeInt('bisections', bisections);
  checkPositiveInt('draws', draws);
  const accept = (e: number) => {
    const a = probe(e, draws);
    return Number.isFinite(a) ? a : 0;
  };
  const up = accept(stepSize) > threshold;
  let prev = stepSize;
  let eps = stepSize;
  for (;;) {
    eps = up ? 2 * prev : 0.5 * prev;
    if (!(eps >= 1e-12 && eps <= 1e7)) throw new ArgumentError('stepSize', `a step size whose acceptance crosses ${threshold} (the search left [1e-12, 1e7])`, eps);
    const a = accept(eps);
    if (up ? a <= threshold : a >= threshold) break;
    prev = eps;
  }
  if (bisections === 0) return eps;
  // log-bisection of [lo, hi] with ā(lo) > threshold ≥ ā(hi)
  let lo = Math.min(prev, eps);
  let hi = Math.max(prev, eps);
  for (let k = 0; k < bisections; k++) {
    const mid = Math.sqrt(lo * hi);
    if (accept(mid) > threshold) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/** Stan's warm-up buffers: a fast initial buffer, doubling slow windows, a fast terminal buffer. */
export interface WindowOptions {
  /** Steps before the first window (default 75). */
  initBuffer?: number;
  /** Steps after the last window (default 50). */
  termBuffer?: number;
  /** Length of the first window, doubled for each next one (default 25). */
  baseWindow?: number;
}

/** The mass-matrix adaptation windows of a warm-up. */
export interface WindowSchedule {
  /** First warm-up step (0-based) whose draws enter a window. */
  start: number;
  /** The 0-based warm-up steps at which a window ends (the metric is updated after them), increasing. */
  ends: number[];
}

/**
 * Stan's windowed adaptation schedule (Stan Reference Manual, "HMC algorithm parameters:
 * automatic parameter tuning"; `windowed_adaptation.hpp`): with warm-up W and buffers
 * (init, term, base) = (75, 50, 25), shrunk to (15 %, 10 %, rest) of W when they do not fit,
 * windows of length base, 2·base, 4·base, ... follow the initial buffer, and the last one is
 * stretched to end where the terminal buffer begins. A warm-up shorter than 20 steps has no
 * windows (step size adaptation only).
 */
export function windowSchedule(warmup: number, opts: WindowOptions = {}): WindowSchedule {
  checkNonNegativeInt('warmup', warmup);
  let init = opts.initBuffer ?? 75;
  let term = opts.termBuffer ?? 50;
  let base = opts.baseWindow ?? 25;
  checkNonNegativeInt('initBuffer', init);
  checkNonNegativeInt('termBuffer', term);
  checkPositiveInt('baseWindow', base);
  if (warmup < 20) return { start: warmup, ends: [] };
  if (init + term + base > warmup) {
    init = Math.floor(0.15 * warmup);
    term = Math.floor(0.1 * warmup);
    base = warmup - init - term;
  }
  const last = warmup - term - 1;
  const ends: number[] = [];
  let size = base;
  let next = init + size - 1;
  for (;;) {
    ends.push(next);
    if (next >= last) break;
    size *= 2;
    next += size;
    if (next + 2 * size >= warmup - term) next = last;
  }
  return { start: init, ends };
}

/** Options of {@link WarmupAdaptation}. */
export interface WarmupOptions {
  /** Number of warm-up steps W. */
  warmup: number;
  /** Initial step size ε₀. */
  stepSize: number;
  /** Target mean acceptance of dual averaging; no step-size adaptation when absent. */
  targetAcceptance?: number;
  /** Whether to adapt a diagonal inverse mass matrix in Stan's windows. */
  adaptMass: boolean;
  /** Initial diagonal inverse mass matrix, [d] (identity when absent). */
  inverseMass?: Float32Array;
}

/**
 * The fewest dual-averaging steps after a restart whose average ε̄ is used as the final step
 * size: Stan's terminal buffer, the steps it gives dual averaging to settle after the last
 * restart. A restart sets μ = log 10ε, so the first iterates probe step sizes up to ~10ε and
 * swing back; ε̄ forgets the m-th iterate with weight Π_{k>m} (1 − k^{−κ}) (κ = 0.75), slowly.
 * Shorter warm-ups (whose last window ends a handful of steps before the end, or with no window
 * at all) take the final step size from {@link searchStepSize} at the chains' final positions,
 * each probe averaging at least {@link FINAL_SEARCH_DRAWS} chain-transitions.
 */
export const MIN_AVERAGED_STEPS = 50;

/**
 * The chain-transitions each probe of the final step-size search averages, at least: its mean
 * acceptance then has sd ≤ 0.5/√32 ≈ 0.09 however few chains there are (with n ≥ 32 chains, one
 * transition of the batch).
 */
export const FINAL_SEARCH_DRAWS = 32;

/**
 * Stan-style windowed warm-up for a batch of chains. Every step, the mean acceptance probability
 * over the chains drives {@link DualAveraging}; inside a window, every chain's position enters a
 * {@link WelfordVariance}; at a window's end the inverse mass matrix becomes the regularised
 * variance (pooled over chains and draws) and the variance is reset. As in Stan, the step size is
 * searched by {@link searchStepSize} before the first step and after every metric update, and dual
 * averaging restarts from it (μ = log 10ε); the search aims at the target δ itself (Stan's crossing
 * 0.8 is its default δ for HMC; RWMH and MALA aim at 0.234 and 0.574). At the end of warm-up, ε is
 * the averaged ε̄, or a fresh search when too few steps were averaged ({@link MIN_AVERAGED_STEPS}).
 */
export class WarmupAdaptation {
  /** The step size to use at the next step. */
  stepSize: number;
  /** The inverse mass matrix to use at the next step (undefined: identity). */
  inverseMass: Float32Array | undefined;
  private readonly dual?: DualAveraging;
  private readonly welford?: WelfordVariance;
  private readonly schedule: WindowSchedule;
  private window = 0;

  constructor(readonly d: number, opts: WarmupOptions) {
    this.stepSize = opts.stepSize;
    this.inverseMass = opts.inverseMass;
    if (opts.targetAcceptance !== undefined) this.dual = new DualAveraging(opts.stepSize, opts.targetAcceptance);
    this.schedule = windowSchedule(opts.warmup);
    if (opts.adaptMass && this.schedule.ends.length > 0) this.welford = new WelfordVariance(d);
  }

  /** Before the first warm-up step: searches a reasonable step size with `probe` and restarts dual averaging from it. */
  start(probe: AcceptanceProbe): void {
    this.restart(probe);
  }

  /**
   * Updates the parameters after warm-up step m (0-based) that left `state` with `info`; `probe`
   * tries step sizes from `state` with the updated metric when a window ends.
   */
  update(m: number, state: ChainState, info: StepInfo, probe: AcceptanceProbe): void {
    if (this.dual) {
      let a = 0;
      for (let r = 0; r < state.n; r++) a += info.acceptProb[r];
      this.stepSize = this.dual.update(a / state.n);
    }
    const w = this.welford;
    if (!w || m < this.schedule.start || this.window >= this.schedule.ends.length) return;
    w.add(state.position, state.n);
    if (m === this.schedule.ends[this.window]) {
      this.inverseMass = w.regularizedVariance();
      w.reset();
      this.window++;
      this.restart(probe);
    }
  }

  /**
   * Ends warm-up: the step size becomes dual averaging's ε̄ when it averaged at least
   * {@link MIN_AVERAGED_STEPS} steps since its last restart, else the one {@link searchStepSize}
   * finds with `probe` from the chains' final positions (each probe over at least
   * {@link FINAL_SEARCH_DRAWS} chain-transitions).
   */
  finish(probe: AcceptanceProbe): void {
    if (!this.dual) return;
    const settled = this.dual.count >= MIN_AVERAGED_STEPS;
    this.stepSize = settled ? this.dual.finalStepSize : searchStepSize(probe, this.stepSize, this.dual.targetAcceptance, { draws: FINAL_SEARCH_DRAWS });
  }

  private restart(probe: AcceptanceProbe): void {
    if (!this.dual) return;
    this.stepSize = searchStepSize(probe, this.stepSize, this.dual.targetAcceptance);
    this.dual.restart(this.stepSize);
  }
}
