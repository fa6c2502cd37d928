/**
 * Importance sampling with a flow proposal (e.g. Müller et al., "Neural importance sampling",
 * ACM TOG 2019; Noé et al., "Boltzmann generators", Science 2019): x_i ~ q, log-weights
 * log w_i = log π(x_i) − log q(x_i), the normalising-constant estimate
 * log Ẑ = log((1/N) Σ w_i) with its delta-method standard error, and Kish's effective sample
 * size (Σ w)² / Σ w² of the self-normalised estimator.
 *
 * @module
 */
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import type { Key } from '../core/random.js';
import { kishEss, logZFromWeights } from '../diagnostics/weights.js';
import type { Flow } from '../flows/flow.js';
import type { Target } from '../targets/target.js';
import { checkFlow, logWeight, propose } from './proposals.js';

/** What {@link flowImportanceSampling} returns. */
export interface ImportanceResult {
  /** The draws x_i ~ q, [n, d] row-major. */
  samples: Float32Array;
  /** log w_i = log π(x_i) − log q(x_i) (−∞ where π vanishes), [n]. */
  logWeights: Float64Array;
  /** Kish's effective sample size of the normalised weights, in [1, n]. */
  ess: number;
  /** log Ẑ. */
  logZ: number;
  /** Standard error of log Ẑ (delta method). */
  logZStderr: number;
}

/** Importance sampling of `target` with n draws from `flow`. */
export function flowImportanceSampling(key: Key, flow: Flow, target: Target, n: number): ImportanceResult {
  checkFlow(flow, target);
  checkPositiveInt('n', n);
  if (n < 2) throw new ArgumentError('n', 'at least 2 draws (for the error bar)', n);
  const p = propose(key, flow, target, n, false);
  const logWeights = Float64Array.from(p.logP, (lp, i) => logWeight(lp, p.logQ[i]));
  if (logWeights.every((v) => v === -Infinity)) throw new ArgumentError('flow', `a proposal with some mass where the target ${target.name} is positive (every weight is 0)`);
  const { logZ, stderr } = logZFromWeights(logWeights);
  return { samples: p.y, logWeights, ess: kishEss(logWeights), logZ, logZStderr: stderr };
}
