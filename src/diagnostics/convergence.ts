/**
 * Convergence diagnostics of MCMC draws of one scalar quantity, following Vehtari, Gelman,
 * Simpson, Carpenter & Bürkner, "Rank-normalization, folding, and localization: an improved R̂
 * for assessing convergence of MCMC", Bayesian Analysis 16(2), 2021, step for step as ArviZ
 * implements it (`arviz.stats.diagnostics`: `_split_chains`, `_z_scale`, `_rhat`, `_ess`):
 *
 * - split chains: each chain of n draws becomes its first ⌊n/2⌋ and its last ⌊n/2⌋ draws;
 * - rank normalisation: z = Φ⁻¹((r − 3/8)/(S + 1/4)), r the average rank of a draw among all S
 *   draws (Blom 1958);
 * - R̂ = √((B/W + n − 1)/n), B = n·Var(chain means), W = mean of the chain variances (ddof 1);
 * - ESS = m n / τ̂, τ̂ = −1 + 2 Σ ρ̂_t over Geyer's initial positive, then monotone, sequence
 *   (Geyer 1992), ρ̂_t = 1 − (W − mean_c γ̂_{c,t}) / var⁺ with var⁺ = W (n−1)/n + Var(chain means);
 *   τ̂ is floored at 1/log10(m n) as in ArviZ.
 *
 * Every function takes `chains`: chains × draws (number[][], Float64Array[] or Float32Array[]),
 * at least 4 draws per chain, all finite, all chains of one length; float64 accumulation.
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';
import { meanAutocovariance } from './autocorrelation.js';
import { chainMatrix, type ChainMatrix, type Chains } from './input.js';
import { foldSorted, normalScores, sortValues, type Sorted } from './ranks.js';

/** Each chain split in two halves: [m, n] → [2m, ⌊n/2⌋] (the middle draw of an odd chain is dropped). */
function split(a: ChainMatrix): ChainMatrix {
  const h = Math.floor(a.n / 2);
  const data = new Float64Array(2 * a.m * h);
  for (let c = 0; c < a.m; c++) {
    const row = a.data.subarray(c * a.n, (c + 1) * a.n);
    data.set(row.subarray(0, h), 2 * c * h);
    data.set(row.subarray(a.n - h), (2 * c + 1) * h);
  }
  return { m: 2 * a.m, n: h, data };
}

/** The indicators 1{x ≤ q} of the draws, same shape, written into `data`. */
function indicator(a: ChainMatrix, q: number, data: Float64Array): ChainMatrix {
  for (let i = 0; i < data.length; i++) data[i] = a.data[i] <= q ? 1 : 0;
  return { ...a, data };
}

/** The p-quantile of ascending values by linear interpolation between order statistics (numpy's default, Hyndman–Fan type 7). */
function quantileSorted(s: Float64Array, p: number): number {
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/** The merge of two ascending arrays, ascending. */
function merge(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length; k++) out[k] = j === b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
  return out;
}

/**
 * The draws of one quantity prepared for the diagnostics, each piece computed on first use and
 * then shared: the split chains, their ascending order (one sort) and their rank-normal scores.
 * A summary row sorts once for bulk ESS, both R̂ variants and the tail quantiles.
 */
class Draws {
  private splitChains?: ChainMatrix;
  private sortedSplit?: Sorted;
  private zSplit?: ChainMatrix;

  constructor(readonly chains: ChainMatrix) {}

  /** The split chains. */
  get split(): ChainMatrix {
    return (this.splitChains ??= split(this.chains));
  }

  /** The split chains' draws in ascending order. */
  get sorted(): Sorted {
    return (this.sortedSplit ??= sortValues(this.split.data));
  }

  /** The rank-normalised split chains. */
  get z(): ChainMatrix {
    return (this.zSplit ??= { ...this.split, data: normalScores(this.sorted) });
  }

  /** All draws in ascending order: the split draws plus, for odd chains, the dropped middle draws. */
  allSorted(): Float64Array {
    const { m, n, data } = this.chains;
    if (n % 2 === 0) return this.sorted.values;
    const middle = new Float64Array(m);
    for (let c = 0; c < m; c++) middle[c] = data[c * n + (n - 1) / 2];
    return merge(this.sorted.values, middle.sort());
  }
}

/** Per-chain means and the mean of the per-chain variances (ddof 1). */
function chainMoments(a: ChainMatrix): { means: Float64Array; within: number } {
  const means = new Float64Array(a.m);
  let within = 0;
  for (let c = 0; c < a.m; c++) {
    const start = c * a.n;
    const end = start + a.n;
    let s = 0;
    for (let t = start; t < end; t++) s += a.data[t];
    const mu = s / a.n;
    let ss = 0;
    for (let t = start; t < end; t++) ss += (a.data[t] - mu) * (a.data[t] - mu);
    means[c] = mu;
    within += ss / (a.n - 1);
  }
  return { means, within: within / a.m };
}

/** Sample variance (ddof 1) of the values; 0 for a single value. */
function variance(v: Float64Array): number {
  if (v.length < 2) return 0;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  const mu = s / v.length;
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += (v[i] - mu) * (v[i] - mu);
  return ss / (v.length - 1);
}

/** R̂ of a matrix of (already split / transformed) chains; NaN when the within-chain variance is 0. */
function rhatOf(a: ChainMatrix): number {
  const { means, within } = chainMoments(a);
  const between = a.n * variance(means);
  return within > 0 ? Math.sqrt((between / within + a.n - 1) / a.n) : NaN;
}

/** ESS of a matrix of chains by Geyer's initial monotone sequence (ArviZ `_ess`). */
function essOf(a: ChainMatrix): number {
  const { m, n, data } = a;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    if (data[i] < lo) lo = data[i];
    if (data[i] > hi) hi = data[i];
  }
  if (hi - lo < 1e-15) return m * n; // a constant quantity: every draw is a full draw
  const meanAcov = meanAutocovariance(data, m, n);
  const { means } = chainMoments(a);
  const meanVar = (meanAcov[0] * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) varPlus += variance(means);
  const rho = new Float64Array(n);
  const rhoAt = (t: number) => 1 - (meanVar - meanAcov[t]) / varPlus;
  let even = 1;
  let odd = rhoAt(1);
  rho[0] = even;
  rho[1] = odd;
  // Geyer's initial positive sequence: sum pairs while their sum stays positive
  let t = 1;
  while (t < n - 3 && even + odd > 0) {
    even = rhoAt(t + 1);
    odd = rhoAt(t + 2);
    if (even + odd >= 0) {
      rho[t + 1] = even;
      rho[t + 2] = odd;
    }
    t += 2;
  }
  const maxT = t - 2;
  if (even > 0) rho[maxT + 1] = even;
  // Geyer's initial monotone sequence: pair sums must not increase
  for (t = 1; t <= maxT - 2; t += 2) {
    if (rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t]) {
      rho[t + 1] = (rho[t - 1] + rho[t]) / 2;
      rho[t + 2] = rho[t + 1];
    }
  }
  let sum = 0;
  for (let k = 0; k <= maxT; k++) sum += rho[k];
  let tau = -1 + 2 * sum + (maxT + 1 < n ? rho[maxT + 1] : 0);
  tau = Math.max(tau, 1 / Math.log10(m * n));
  return (m * n) / tau;
}

/**
 * Rank-normalised draws: every draw replaced by Φ⁻¹((r − 3/8)/(S + 1/4)), r its average rank
 * among all S draws of all chains (Vehtari et al. 2021, eq. 14). Same shape as the input.
 */
export function rankNormalize(chains: Chains): Float64Array[] {
  const a = chainMatrix('chains', chains, 1);
  const z = normalScores(sortValues(a.data));
  return Array.from({ length: a.m }, (_, c) => z.slice(c * a.n, (c + 1) * a.n));
}

/**
 * Classic split R̂ (Gelman et al., BDA3 §11.4) of the raw draws: R̂ = √((B/W + n − 1)/n) over
 * the split chains. NaN when every chain is constant.
 */
export function splitRhat(chains: Chains): number {
  return rhatOf(split(chainMatrix('chains', chains)));
}

/**
 * Rank-normalised split R̂ (Vehtari et al. 2021): the larger of the split R̂ of the rank-normalised
 * draws (bulk) and of the rank-normalised folded draws |x − median(x)| (tails). Values above 1.01
 * indicate chains that have not mixed. One chain is allowed (its two halves are compared).
 */
export function rhat(chains: Chains): number {
  return rankRhatOf(new Draws(chainMatrix('chains', chains)));
}

function rankRhatOf(d: Draws): number {
  const folded = foldSorted(d.sorted, quantileSorted(d.sorted.values, 0.5));
  return Math.max(rhatOf(d.z), rhatOf({ ...d.split, data: normalScores(folded) }));
}

/** Bulk ESS (Vehtari et al. 2021): the ESS of the rank-normalised split chains. */
export function essBulk(chains: Chains): number {
  return essBulkOf(new Draws(chainMatrix('chains', chains)));
}

function essBulkOf(d: Draws): number {
  return essOf(d.z);
}

/**
 * Tail ESS (Vehtari et al. 2021): the smaller of the split-chain ESS of the indicators
 * 1{x ≤ q_p} at the two quantiles `probs` (default the 5% and 95% quantiles).
 */
export function essTail(chains: Chains, probs: [number, number] = [0.05, 0.95]): number {
  for (const p of probs) {
    if (!(p > 0 && p < 1)) throw new ArgumentError('probs', 'two probabilities in (0, 1)', p);
  }
  return essTailOf(new Draws(chainMatrix('chains', chains)), probs);
}

function essTailOf(d: Draws, probs: [number, number] = [0.05, 0.95]): number {
  const all = d.allSorted();
  const buffer = new Float64Array(d.split.data.length);
  return Math.min(...probs.map((p) => essOf(indicator(d.split, quantileSorted(all, p), buffer))));
}

/**
 * Bulk and tail ESS together ({@link essBulk}, {@link essTail} at the 5% and 95% quantiles),
 * sharing one split and one sort of the draws: what a live ESS plot computes at every update.
 */
export function essBulkAndTail(chains: Chains): { bulk: number; tail: number } {
  const d = new Draws(chainMatrix('chains', chains));
  return { bulk: essBulkOf(d), tail: essTailOf(d) };
}

/** ESS of the mean: the split-chain ESS of the raw draws (ArviZ's `ess(method="mean")`). */
export function essMean(chains: Chains): number {
  return essOf(split(chainMatrix('chains', chains)));
}

/**
 * Monte Carlo standard error of the mean, sd / √ESS_mean, sd the standard deviation (ddof 1) of
 * all draws and ESS_mean from {@link essMean} (as ArviZ's `mcse(method="mean")`: the ESS of the
 * mean, not the bulk ESS of the ranks, is the one that governs the error of the mean).
 */
export function mcse(chains: Chains): number {
  return mcseOf(new Draws(chainMatrix('chains', chains)));
}

function mcseOf(d: Draws): number {
  return Math.sqrt(variance(d.chains.data) / essOf(d.split));
}

/** @internal the matrix-level diagnostics, so that a summary validates its input and sorts once. */
export const internals = { Draws, rankRhatOf, essBulkOf, essTailOf, mcseOf, variance };
