/**
 * Self-normalised importance sampling with a proposal q (Kahn & Marshall 1953; Geweke 1989):
 *
 *   x_i ~ q,   log w_i = log π(x_i) − log q(x_i),   W_i = w_i / Σ_j w_j,
 *   Ẑ = (1/N) Σ_i w_i,   ESS = (Σ w)² / Σ w²,
 *
 * with log Ẑ's standard error by the delta method (see `logZFromWeights`).
 *
 * @module
 */
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import type { Key } from '../core/random.js';
import { evaluateLogDensity, type Target } from '../targets/target.js';
import { kishEss, logZFromWeights, normalizedWeights } from '../diagnostics/weights.js';
import { checkProposal, type Proposal } from './proposal.js';

/** The result of {@link importanceSampling}. */
export interface ImportanceResult {
  /** The draws from the proposal, [n, d] row-major. */
  samples: Float32Array;
  n: number;
  d: number;
  /** log w_i = log π(x_i) − log q(x_i), [n] (float64). */
  logWeights: Float64Array;
  /** Self-normalised weights W_i, [n]. */
  weights: Float64Array;
  /** Kish's effective sample size. */
  ess: number;
  /** log Ẑ, the estimate of log ∫ π. */
  logZ: number;
  /** Standard error of log Ẑ (delta method). */
  stderr: number;
}

/** Self-normalised importance sampling of `target` with n draws from `proposal` (n ≥ 2). */
export function importanceSampling(key: Key, target: Target, proposal: Proposal, n: number): ImportanceResult {
  checkPositiveInt('n', n);
  checkProposal('proposal', proposal, target.dim);
  const d = target.dim;
  const samples = proposal.sample(key, n);
  const lp = evaluateLogDensity(target, samples, n);
  lp.forEach((l, i) => {
    if (Number.isNaN(l) || l === Infinity) throw new ArgumentError(`target ${target.name}`, 'log densities that are finite or −∞', `${l} at draw ${i}`);
  });
  const lq = evaluateLogDensity(proposal, samples, n);
  const logWeights = Float64Array.from(lp, (l, i) => l - (lq[i] - proposal.logZ));
  const { logZ, stderr } = logZFromWeights(logWeights);
  return { samples, n, d, logWeights, weights: normalizedWeights(logWeights), ess: kishEss(logWeights), logZ, stderr };
}
