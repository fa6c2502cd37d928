/**
 * What the flow-based global moves share: checking that a flow and a target live on the same
 * space, drawing proposals from the flow with their log q, and evaluating the target at them
 * (with ∇ log π when the chain state keeps gradients, so a gradient-based local kernel can
 * continue from an accepted flow proposal), and the kernel around a global move.
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';
import { split, type Key } from '../core/random.js';
import type { Flow } from '../flows/flow.js';
import { makeKernel, type ChainState, type Kernel, type StepInfo } from '../mcmc/kernel.js';
import { evaluate, evaluateLogDensity, type Target } from '../targets/target.js';

/** Options of the flow-based global kernels. */
export interface GlobalKernelOptions {
  /**
   * Keep ∇ log π in the chain state (default true), so the kernel can alternate with MALA/HMC
   * in {@link localGlobal}; false evaluates log π only.
   */
  withGradient?: boolean;
}

/**
 * A global move given its draws: `p` holds `perChain` flow proposals for each of the n chains
 * (row c·perChain + j is chain c's j-th), `logQx` is log q at the current positions; the move
 * updates `state` in place with the key it is given and returns the step's info.
 */
export type GlobalMove = (key: Key, state: ChainState, p: Proposals, logQx: Float32Array) => StepInfo;

/**
 * The Metropolized kernel of a flow-based global move: each step splits its key, draws
 * n·`perChain` proposals from the flow (evaluating π there, with ∇ log π when the state keeps it),
 * recomputes log q at the current positions (the flow may be trained between steps) and applies
 * `move` with the other half of the key. The step size of `params` is not used.
 */
export function flowKernel(name: string, target: Target, flow: Flow, opts: GlobalKernelOptions, perChain: number, move: GlobalMove): Kernel {
  checkFlow(flow, target);
  return makeKernel({ name, target, withGradient: opts.withGradient ?? true, metropolized: true, checkParams: false }, (key, state) => {
    const [kq, kMove] = split(key);
    const p = propose(kq, flow, target, state.n * perChain, state.grad !== null);
    const logQx = flow.logProbHost(state.position, state.n);
    return { state, info: move(kMove, state, p, logQx) };
  });
}

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
