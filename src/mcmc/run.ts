/**
 * The MCMC run driver: warm-up with adaptation, then sampling with a recorded trace, for a batch
 * of chains, under the loop contract of `core/loop` (observers, progress bar, abort with partial
 * results, event-loop yields).
 *
 * @module
 */
import { ready } from '../core/backend.js';
import { ArgumentError, checkAllFinite, checkNonNegativeInt, checkPositive, checkPositiveInt } from '../core/errors.js';
import { LoopMonitor, type LoopOptions } from '../core/loop.js';
import { fold, Key } from '../core/random.js';
import { WarmupAdaptation, type AcceptanceProbe } from './adaptation.js';
import { checkParams, DEFAULT_LEAPFROG_STEPS, type ChainState, type Kernel, type KernelParams, type StepInfo } from './kernel.js';
import { Trace, type RecordSpec } from './trace.js';

/** Options of {@link run}. */
export interface RunOptions extends LoopOptions {
  /** Warm-up (adaptation) steps, not recorded; ≥ 0. */
  warmup: number;
  /** Sampling steps; ≥ 1. */
  steps: number;
  /** Initial step size ε > 0 (the final one when `adapt` is false). */
  stepSize: number;
  /** Record every `thin`-th sampling step (default 1). */
  thin?: number;
  /**
   * Adapt during warm-up (default true): the step size by dual averaging toward `targetAcceptance`
   * and, if `adaptMass`, a diagonal inverse mass matrix. Unadjusted kernels (ULA) have no
   * acceptance rate to aim at, so they are never adapted; `adapt: true` with one is an error.
   */
  adapt?: boolean;
  /** Target mean acceptance of dual averaging (default: the kernel's own, e.g. MALA 0.574, HMC 0.8, RWMH 0.234). */
  targetAcceptance?: number;
  /** Adapt a diagonal inverse mass matrix in Stan's windows (default true for Metropolis-adjusted kernels when adapting). */
  adaptMass?: boolean;
  /** Leapfrog steps L of HMC (default 10). */
  leapfrogSteps?: number;
  /** Initial diagonal inverse mass matrix M⁻¹, [d] (default identity). */
  inverseMass?: Float32Array;
  /** Coordinates to record in the trace: 'all' (default) or a list of indices. */
  record?: RecordSpec;
}

/** What {@link run} returns. */
export interface RunResult {
  /** The recorded sampling draws (partial when aborted). */
  trace: Trace;
  /** The final state of the chains. */
  state: ChainState;
  /** Mean acceptance probability over the sampling steps done and the chains (NaN if none was done). */
  acceptance: number;
  /** The step size used for sampling (adapted when `adapt`). */
  stepSize: number;
  /** The diagonal inverse mass matrix used for sampling, when one was given or adapted. */
  inverseMass?: Float32Array;
  /** Divergent transitions (chain-steps) during sampling. */
  divergences: number;
  /** Divergent transitions (chain-steps) during warm-up. */
  warmupDivergences: number;
  /** Whether a signal stopped the run early. */
  aborted: boolean;
  /** Wall-clock time of the run, in milliseconds. */
  wallTime: number;
}

/**
 * Runs n chains of `kernel` from `x0` ([n, d] row-major): `warmup` adaptation steps, then
 * `steps` sampling steps recorded every `thin` steps. Step t (counting warm-up steps first, from
 * 0) uses the key `fold(key, t)`, so the same key gives the same trace. Each phase ('warmup',
 * 'sampling') reports to a {@link LoopMonitor} per step: metrics `acceptance` (mean over chains
 * at that step), `stepSize`, `divergences` (so far in the phase) and `samples` (the current
 * positions). When it asks to stop, the run returns what it has with `aborted: true`.
 *
 * Adaptation follows Stan: dual averaging of ε (Hoffman & Gelman 2014) and windowed diagonal
 * mass-matrix estimation pooled over chains; see {@link WarmupAdaptation}. Its step-size searches
 * try transitions on a copy of the chains with the keys fold(K, c), c = 0, 1, …, where
 * K = fold(key, 2³² − 1).
 */
export async function run(key: Key, kernel: Kernel, x0: Float32Array, n: number, opts: RunOptions): Promise<RunResult> {
  const t0 = performance.now();
  const { params, adaptation, thin } = validate(key, kernel, x0, n, opts);
  await ready();
  let state = kernel.init(x0, n, 'x0');
  const trace = new Trace(n, kernel.target.dim, opts.record ?? 'all', Math.floor(opts.steps / thin));

  /** Runs `total` steps of a phase (keys fold(key, first + i)); `after` sees each step's info. */
  const phase = async (name: string, total: number, first: number, after: (i: number, info: StepInfo) => void) => {
    let divergences = 0;
    if (total === 0) return { aborted: false, divergences };
    const monitor = new LoopMonitor(name, total, opts);
    try {
      for (let i = 0; i < total; i++) {
        const out = kernel.step(fold(key, first + i), state, params);
        state = out.state;
        divergences += countOf(out.info.divergent);
        after(i, out.info);
        const metrics = { acceptance: meanOf(out.info.acceptProb), stepSize: params.stepSize, divergences };
        if (await monitor.tick({ step: i + 1, metrics, samples: { data: state.position, n, d: state.d } })) return { aborted: true, divergences };
      }
      return { aborted: false, divergences };
    } finally {
      monitor.end();
    }
  };

  // trial transitions use the adaptation's current metric (updated before its probes run)
  const probe = acceptanceProbe(key, kernel, () => state, (stepSize) => ({ ...params, stepSize, inverseMass: adaptation?.inverseMass }));
  if (adaptation) {
    adaptation.start(probe);
    params.stepSize = adaptation.stepSize;
  }
  const warm = await phase('warmup', opts.warmup, 0, (m, info) => {
    if (!adaptation) return;
    adaptation.update(m, state, info, probe);
    params.stepSize = adaptation.stepSize;
    params.inverseMass = adaptation.inverseMass;
  });
  if (adaptation && !warm.aborted) {
    adaptation.finish(probe);
    params.stepSize = adaptation.stepSize;
  }
  let acceptSum = 0;
  let done = 0;
  const sampling = warm.aborted
    ? { aborted: true, divergences: 0 }
    : await phase('sampling', opts.steps, opts.warmup, (i, info) => {
        acceptSum += meanOf(info.acceptProb);
        done++;
        if ((i + 1) % thin === 0) trace.push(i + 1, state, info);
      });
  return {
    trace,
    state,
    acceptance: done > 0 ? acceptSum / done : NaN,
    stepSize: params.stepSize,
    inverseMass: params.inverseMass,
    divergences: sampling.divergences,
    warmupDivergences: warm.divergences,
    aborted: sampling.aborted,
    wallTime: performance.now() - t0,
  };
}

/**
 * The probe of step sizes for the adaptation: ⌈draws/n⌉ successive transitions of a copy of the
 * current chains (`current()`) with the parameters `paramsAt(ε)`, returning the mean acceptance
 * probability over chains and transitions. Each transition uses the next key fold(K, c),
 * K = fold(key, 2³² − 1).
 */
/**
 * A deep copy of a chain state: typed arrays and nested plain records (e.g. Neutra's latent
 * state) are copied, anything else (counters are copied by value; objects such as flows are
 * shared) is kept, so any kernel's state survives a trial transition on the copy.
 */
function cloneState<S extends ChainState>(state: S): S {
  return cloneRecord(state) as S;
}

function cloneRecord(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return (v as Float32Array).slice();
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = cloneRecord(x);
  return out;
}

function acceptanceProbe(key: Key, kernel: Kernel, current: () => ChainState, paramsAt: (stepSize: number) => KernelParams): AcceptanceProbe {
  const base = fold(key, 0xffffffff);
  let calls = 0;
  return (stepSize, draws) => {
    const s = current();
    let copy = cloneState(s);
    const reps = Math.ceil(draws / s.n);
    let sum = 0;
    for (let k = 0; k < reps; k++) {
      const out = kernel.step(fold(base, calls++), copy, paramsAt(stepSize));
      copy = out.state;
      sum += meanOf(out.info.acceptProb);
    }
    return sum / reps;
  };
}

/** Checks the arguments of {@link run}; returns the initial step parameters and the adaptation (if any). */
function validate(key: Key, kernel: Kernel, x0: Float32Array, n: number, opts: RunOptions) {
  if (!(key instanceof Key)) throw new ArgumentError('key', 'a random key (random.key(seed))', key);
  if (opts === null || typeof opts !== 'object') throw new ArgumentError('opts', 'an options object { warmup, steps, stepSize, ... }', opts);
  if (!kernel || typeof kernel.step !== 'function' || typeof kernel.init !== 'function') throw new ArgumentError('kernel', 'an MCMC kernel (init, step)', kernel);
  checkPositiveInt('n', n);
  const d = kernel.target.dim;
  if (!(x0 instanceof Float32Array)) throw new ArgumentError('x0', `a Float32Array of shape [${n}, ${d}]`, x0);
  if (x0.length !== n * d) throw new ArgumentError('x0', `${n * d} values (shape [${n}, ${d}])`, `${x0.length} values`);
  checkAllFinite('x0', x0);
  checkNonNegativeInt('warmup', opts.warmup);
  checkPositiveInt('steps', opts.steps);
  checkPositive('stepSize', opts.stepSize);
  const thin = opts.thin ?? 1;
  checkPositiveInt('thin', thin);
  const delta = opts.targetAcceptance;
  if (delta !== undefined && !(delta > 0 && delta < 1)) throw new ArgumentError('targetAcceptance', 'a number in (0, 1)', delta);
  if (opts.adapt === true && !kernel.metropolized) throw new ArgumentError('adapt', `false for the unadjusted kernel ${kernel.name} (it has no acceptance rate to adapt to)`, true);
  const params: KernelParams = {
    stepSize: opts.stepSize,
    inverseMass: opts.inverseMass && Float32Array.from(opts.inverseMass),
    leapfrogSteps: opts.leapfrogSteps ?? DEFAULT_LEAPFROG_STEPS,
  };
  checkParams(params, d);
  const adapt = (opts.adapt ?? true) && kernel.metropolized && opts.warmup > 0;
  const adaptation = adapt
    ? new WarmupAdaptation(d, {
        warmup: opts.warmup,
        stepSize: opts.stepSize,
        targetAcceptance: opts.targetAcceptance ?? kernel.targetAcceptance,
        adaptMass: opts.adaptMass ?? true,
        inverseMass: params.inverseMass,
      })
    : undefined;
  return { params, adaptation, thin };
}

function meanOf(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

function countOf(a: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}
