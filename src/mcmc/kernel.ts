/**
 * The MCMC kernel contract, after blackjax: a kernel is `init(position) → State` and
 * `step(key, state, params) → { state, info }`, over a batch of n independent chains held as
 * one row-major [n, d] host array. Keys come first and are explicit; kernels keep no hidden
 * state, so kernels compose (adaptation, tempering, SMC moves, local–global schemes) because
 * they share this shape.
 *
 * For speed, `step` may reuse the buffers of the state it is given: the returned state replaces
 * the one passed in, which must not be used afterwards (copy what you want to keep, as the run
 * driver does when it records a trace).
 *
 * @module
 */
import type { Key } from '../core/random.js';
import { ArgumentError, checkPositive, checkPositiveInt } from '../core/errors.js';
import { checkPositions, evaluate, evaluateLogDensity, type Target } from '../targets/target.js';

/** The state of n chains in R^d. */
export interface ChainState {
  readonly n: number;
  readonly d: number;
  /** Positions, [n, d] row-major. */
  position: Float32Array;
  /** log π at the positions, [n]. */
  logDensity: Float32Array;
  /** ∇ log π at the positions, [n, d]; null for kernels that do not use gradients. */
  grad: Float32Array | null;
}

/** What one step did, per chain. */
export interface StepInfo {
  /** Metropolis–Hastings acceptance probability min(1, α), [n] (1 for unadjusted kernels). */
  acceptProb: Float32Array;
  /** 1 where the proposal was accepted, [n]. */
  accepted: Uint8Array;
  /** 1 where the proposal was non-finite (NaN/±Inf density or gradient) or, for HMC, its energy error exceeded the divergence threshold, [n]. Such proposals are rejected, not thrown. */
  divergent: Uint8Array;
}

/** Tunable parameters of a step. */
export interface KernelParams {
  /** Step size ε > 0 (Langevin time step for MALA/ULA, leapfrog step for HMC, proposal scale for RWMH). */
  stepSize: number;
  /** Diagonal inverse mass matrix / preconditioner M⁻¹, [d]; identity when absent. */
  inverseMass?: Float32Array;
  /** Number of leapfrog steps L per HMC transition (HMC only; default {@link DEFAULT_LEAPFROG_STEPS}). */
  leapfrogSteps?: number;
}

/** The number of leapfrog steps of HMC when {@link KernelParams.leapfrogSteps} is absent. */
export const DEFAULT_LEAPFROG_STEPS = 10;

/** An MCMC transition kernel for a batch of chains. */
export interface Kernel<S extends ChainState = ChainState, I extends StepInfo = StepInfo> {
  readonly name: string;
  readonly target: Target;
  /** Whether the kernel uses ∇ log π (and so keeps `grad` in its state). */
  readonly usesGradient: boolean;
  /** Whether the kernel has a Metropolis–Hastings correction (false for ULA). */
  readonly metropolized: boolean;
  /**
   * The mean acceptance probability step-size adaptation aims at by default (the asymptotically
   * optimal one for the kernel); absent for kernels whose step size cannot be tuned that way.
   */
  readonly targetAcceptance?: number;
  /**
   * The state of n chains at `position` ([n, d]); evaluates log π (and ∇ log π). Throws an
   * `ArgumentError` naming `argument` (default 'position') if a log density there is not finite.
   */
  init(position: Float32Array, n: number, argument?: string): S;
  /** One transition of every chain. */
  step(key: Key, state: S, params: KernelParams): { state: S; info: I };
}

/**
 * The state of n chains at `position` ([n, d], copied): evaluates log π, and ∇ log π when
 * `withGradient`, and checks that every initial log density is finite (else an
 * `ArgumentError` naming `argument`). The shared `init` of the kernels of this folder.
 */
export function initState(target: Target, position: Float32Array, n: number, withGradient: boolean, argument = 'position'): ChainState {
  const d = target.dim;
  if (position.length !== n * d) throw new ArgumentError(argument, `${n * d} values (shape [${n}, ${d}])`, `${position.length} values`);
  const x = Float32Array.from(position);
  if (withGradient) {
    const { logDensity, grad } = evaluate(target, x, n);
    checkPositions(target, x, n, logDensity, argument);
    return { n, d, position: x, logDensity, grad };
  }
  const logDensity = evaluateLogDensity(target, x, n);
  checkPositions(target, x, n, logDensity, argument);
  return { n, d, position: x, logDensity, grad: null };
}

/** What {@link makeKernel} builds a kernel from, besides its step. */
export interface KernelSpec {
  readonly name: string;
  readonly target: Target;
  /** Whether the chain state keeps ∇ log π (the kernel's `usesGradient`; `init` evaluates it). */
  readonly withGradient: boolean;
  /** Whether the kernel has a Metropolis–Hastings correction. */
  readonly metropolized: boolean;
  /** The default mean acceptance of step-size adaptation; absent when the step size cannot be tuned that way. */
  readonly targetAcceptance?: number;
  /**
   * Validate the step parameters with {@link checkParams} before every step (default true);
   * false for kernels that do not use them (the flow-based global moves).
   */
  readonly checkParams?: boolean;
}

/** One transition of every chain of a batch: {@link Kernel.step}. */
export type KernelStep = (key: Key, state: ChainState, params: KernelParams) => { state: ChainState; info: StepInfo };

/**
 * The {@link Kernel} (blackjax's `init`/`step` pair) of a transition `step`: the part every kernel shares. `init` is
 * {@link initState} (log π, and ∇ log π when `withGradient`, at the starting positions, checked
 * finite), and each step first checks its parameters (ε > 0, M⁻¹ of d positive values, L a
 * positive integer; {@link checkParams}) unless `spec.checkParams` is false.
 */
export function makeKernel(spec: KernelSpec, step: KernelStep): Kernel {
  const { target, withGradient } = spec;
  const d = target.dim;
  return {
    name: spec.name,
    target,
    usesGradient: withGradient,
    metropolized: spec.metropolized,
    ...(spec.targetAcceptance !== undefined && { targetAcceptance: spec.targetAcceptance }),
    init: (position, n, argument) => initState(target, position, n, withGradient, argument),
    step:
      spec.checkParams === false
        ? step
        : (key, state, params) => {
            checkParams(params, d);
            return step(key, state, params);
          },
  };
}

/** Whether every entry of row r of a row-major [n, d] array is finite. */
export function rowFinite(a: Float32Array, r: number, d: number): boolean {
  for (let j = r * d; j < (r + 1) * d; j++) if (!Number.isFinite(a[j])) return false;
  return true;
}

/**
 * Validates the step parameters for dimension d: ε a finite number > 0, M⁻¹ (when given) d finite
 * positive values, L (when given) a positive integer. Kernels call it on every step (O(d)).
 */
export function checkParams(params: KernelParams, d: number): void {
  checkPositive('stepSize', params.stepSize);
  const c = params.inverseMass;
  if (c !== undefined) {
    if (c.length !== d) throw new ArgumentError('inverseMass', `${d} values (one per coordinate)`, c);
    for (let j = 0; j < d; j++) {
      if (!(Number.isFinite(c[j]) && c[j] > 0)) throw new ArgumentError('inverseMass', 'finite values > 0', `${c[j]} at index ${j}`);
    }
  }
  if (params.leapfrogSteps !== undefined) checkPositiveInt('leapfrogSteps', params.leapfrogSteps);
}

/** Reusable proposal buffers of a kernel for n chains: y [n, d], log π(y) [n], ∇ log π(y) [n, d], and the step's info. */
export interface ProposalBuffers {
  y: Float32Array;
  ly: Float32Array;
  gy: Float32Array;
  info: StepInfo;
}

/**
 * A kernel's buffer cache in dimension d: called with the number of chains n, it returns the
 * {@link ProposalBuffers} of its last call when they are sized for n, else new ones, with the
 * kernel's own buffers `extra(n)` added (so a kernel allocates only when n changes).
 */
export function proposalBuffers<E extends object = object>(d: number, extra?: (n: number) => E): (n: number) => ProposalBuffers & E {
  let buf: (ProposalBuffers & E) | undefined;
  return (n) => {
    if (buf?.ly.length !== n) buf = { y: new Float32Array(n * d), ly: new Float32Array(n), gy: new Float32Array(n * d), info: emptyInfo(n), ...extra?.(n) } as ProposalBuffers & E;
    return buf;
  };
}

/** Moves chain r of `state` to the proposal: position ← y_r, log π ← ly_r, and ∇ log π ← gy_r when the state keeps gradients. */
export function acceptRow(state: ChainState, r: number, y: Float32Array, ly: Float32Array, gy: Float32Array): void {
  const { d, position: x, grad: g } = state;
  copyRow(y, x, r, d);
  if (g) copyRow(gy, g, r, d);
  state.logDensity[r] = ly[r];
}

/** Row dimension from which a subarray view plus `set` (a memcpy) beats element copies (measured: d = 64 is 1.6× faster, d = 256 4.5×; d = 16 2× slower). */
const MEMCPY_FROM = 64;

/** Copies row r of the row-major [·, d] array `from` into `to`. */
function copyRow(from: Float32Array, to: Float32Array, r: number, d: number): void {
  const i0 = r * d;
  if (d >= MEMCPY_FROM) to.set(from.subarray(i0, i0 + d), i0);
  else for (let i = i0; i < i0 + d; i++) to[i] = from[i];
}

/**
 * Records the Metropolis–Hastings decision of chain r in `info` and returns whether the proposal
 * is accepted: accept where log u < log α (u ∈ (0, 1)); acceptProb = min(1, α). A proposal that
 * is not `valid` (non-finite density, gradient or log α) is rejected and flagged divergent.
 */
export function metropolisDecision(info: StepInfo, r: number, logAlpha: number, u: number, valid: boolean): boolean {
  const acc = valid && (logAlpha >= 0 || Math.log(u) < logAlpha);
  info.divergent[r] = valid ? 0 : 1;
  info.acceptProb[r] = !valid ? 0 : logAlpha >= 0 ? 1 : Math.exp(logAlpha);
  info.accepted[r] = acc ? 1 : 0;
  return acc;
}

/** A fresh, zeroed StepInfo for n chains. */
export function emptyInfo(n: number): StepInfo {
  return { acceptProb: new Float32Array(n), accepted: new Uint8Array(n), divergent: new Uint8Array(n) };
}
