/**
 * Proposals for importance sampling and bases of annealing paths: a {@link Proposal} is a
 * {@link Target} that can also draw exact samples and knows its normaliser, so that
 * log q(x) = logDensity(x) − logZ is a normalised log density.
 *
 * @module
 */
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import type { Key } from '../core/random.js';
import { gaussian } from '../targets/gaussian.js';
import type { Target } from '../targets/target.js';

/** A target with an exact sampler and a known log Z: a proposal distribution q = π / Z. */
export interface Proposal extends Target {
  /** n independent draws from q, [n, d] row-major. */
  sample(key: Key, n: number): Float32Array;
  /** log Z = log ∫ π, so that log q = log π − log Z. */
  readonly logZ: number;
}

/** Throws unless `p` is a {@link Proposal} (a target with `sample` and a finite `logZ`) of dimension `dim` when given. */
export function checkProposal(name: string, p: Proposal, dim?: number): void {
  if (p === null || typeof p !== 'object' || typeof p.logDensity !== 'function' || typeof p.sample !== 'function' || !Number.isFinite(p.logZ)) {
    throw new ArgumentError(name, 'a proposal: a target with sample(key, n) and a finite logZ', p);
  }
  if (dim !== undefined && p.dim !== dim) throw new ArgumentError(`${name}.dim`, `the target's dimension ${dim}`, p.dim);
}

/**
 * The Gaussian N(μ, diag(σ²)) as a proposal: log π(x) = −½ Σ_j ((x_j − μ_j)/σ_j)², with
 * log Z = (d/2) log 2π + Σ_j log σ_j, ∇ log π(x) = −(x − μ)/σ², and exact draws μ + σ z
 * (the diagonal {@link gaussian} target under the name 'gaussianProposal').
 * @param mean μ, [d] (its length sets d).
 * @param scale σ > 0, one number for every coordinate or [d] values (default 1).
 */
export function gaussianProposal(mean: ArrayLike<number>, scale: number | ArrayLike<number> = 1): Proposal {
  const d = mean?.length;
  checkPositiveInt('mean.length', d);
  return { ...gaussian({ dim: d, mean, scale }), name: 'gaussianProposal' };
}
