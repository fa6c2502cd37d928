/**
 * What the flow-based global moves share: checking that a flow and a target live on the same
 * space, drawing proposals from the flow with their log q, and evaluating the target at them
 * (with ∇ log π when the chain state keeps gradients, so a gradient-based local kernel can
 * continue from an accepted flow proposal).
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';
import type { Key } from '../core/random.js';
import type { Flow } from '../flows/flow.js';
import { evaluate, evaluateLogDensity, type Target } from '../targets/target.js';

/** Throws unless `flow` is a Flow on the target's space. */
export function checkFlow(flow: Flow, target: Target): void {
  if (!flow || typeof flow.sampleAndLogProbHost !== 'function') throw new ArgumentError('flow', 'a normalizing flow (flows.Flow)', flow);
  if (!target || typeof target.logDensity !== 'function') throw new ArgumentError('target', 'a target (logDensity)', target);
  if (flow.dim !== target.dim) throw new ArgumentError('flow', `a flow on R^${target.dim} (the target's dimension)`, `a flow on R^${flow.dim}`);
}

/** m flow proposals y [m, d] with log q(y), log π(y) and (when `withGradient`) ∇ log π(y). */
export interface Proposals {
  y: Float32Array;
  logQ: Float32Array;
  logP: Float32Array;
  grad: Float32Array | null;
}

/** Draws m proposals from the flow and evaluates the target at them. */
export function propose(key: Key, flow: Flow, target: Target, m: number, withGradient: boolean): Proposals {
  const { x: y, logProb: logQ } = flow.sampleAndLogProbHost(key, m);
  if (withGradient) {
    const { logDensity, grad } = evaluate(target, y, m);
    return { y, logQ, logP: logDensity, grad };
  }
  return { y, logQ, logP: evaluateLogDensity(target, y, m), grad: null };
}

/** log w = log π − log q, with −∞ where either is not finite or π vanishes (such points are never selected). */
export function logWeight(logP: number, logQ: number): number {
  const w = logP - logQ;
  return Number.isFinite(w) ? w : -Infinity;
}
