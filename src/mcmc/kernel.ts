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
import type { Target } from '../targets/target.js';

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
}

/** An MCMC transition kernel for a batch of chains. */
export interface Kernel<S extends ChainState = ChainState, I extends StepInfo = StepInfo> {
  readonly name: string;
  readonly target: Target;
  /** Whether the kernel uses ∇ log π (and so keeps `grad` in its state). */
  readonly usesGradient: boolean;
  /** Whether the kernel has a Metropolis–Hastings correction (false for ULA). */
  readonly metropolized: boolean;
  /** The state of n chains at `position` ([n, d]); evaluates log π (and ∇ log π). */
  init(position: Float32Array, n: number): S;
  /** One transition of every chain. */
  step(key: Key, state: S, params: KernelParams): { state: S; info: I };
}

/** A fresh, zeroed StepInfo for n chains. */
export function emptyInfo(n: number): StepInfo {
  return { acceptProb: new Float32Array(n), accepted: new Uint8Array(n), divergent: new Uint8Array(n) };
}
