/**
 * The benchmark workload contract used by `npm run bench` (bench/run.ts).
 *
 * Each file bench/workloads/<id>.ts has `export default` one {@link Workload}. The runner calls
 * `setup()` once (untimed: building models, loading data, drawing initial states), then
 * `warmup` untimed calls of `call()`, then `reps` calls each timed separately with a wall
 * clock, and reports the median and the min (WORKLOADS.md in ../shared/bench). A call must
 * force completion of its work before it returns (read back one value of the new state on a
 * lazy backend). `sanity()` returns the values compared with PyTorch's (mean acceptance over
 * the timed calls, last loss, …); `dispose()` frees what setup allocated.
 *
 * @module
 */
import { mala } from '../src/mcmc/mala.js';
import { fold, key } from '../src/core/random.js';
import type { Target } from '../src/targets/target.js';

/** What one workload's set-up returns. */
export interface WorkloadInstance {
  /** One timed unit (a MALA step, an optimiser step, a trajectory); state carries over. */
  call(): void | Promise<void>;
  /**
   * Sanity values after the timed calls, e.g. `{ acceptance: 0.994 }`; `timedCalls` is the
   * number of timed calls just made (statistics such as acceptance cover those calls).
   */
  sanity?(timedCalls: number): Record<string, number>;
  /** Frees tensors and buffers held by the instance. */
  dispose?(): void;
}

/** A benchmark workload of WORKLOADS.md. */
export interface Workload {
  /** The id used in WORKLOADS.md and by torch_reference.py, e.g. `W2`. */
  id: string;
  /** A one-line description, e.g. `MALA on GMM-40, autodiff gradient, 4096 chains`. */
  title: string;
  /** Untimed calls before timing (default 5). */
  warmup?: number;
  /** Timed calls (default 20). */
  reps?: number;
  /**
   * The PyTorch workload this one is compared with, when the id differs (e.g. a variant
   * `W2-fused` compared with `W2`); default `id`.
   */
  reference?: string;
  /**
   * Threads our implementation uses (default 1); the row is compared with the PyTorch run at the
   * same thread count.
   */
  threads?: number;
  /** Untimed set-up. */
  setup(): Promise<WorkloadInstance>;
}

/**
 * A batched MALA workload (WORKLOADS.md, "MALA step") driven by the library's `mala` kernel:
 * set-up evaluates the initial state; one call is one step of every chain with step size `eps`
 * (Langevin time step), keys `fold(key, step)`. Sanity: the mean acceptance over the timed
 * calls, and whether every log density is finite.
 */
export function malaInstance(target: Target, x0: Float32Array, n: number, eps: number, seed = 0): WorkloadInstance {
  const kernel = mala(target);
  let state = kernel.init(x0, n);
  const base = key(seed);
  const acceptance: number[] = [];
  return {
    call() {
      const { state: next, info } = kernel.step(fold(base, acceptance.length), state, { stepSize: eps });
      state = next;
      let a = 0;
      for (let i = 0; i < n; i++) a += info.accepted[i];
      acceptance.push(a / n);
    },
    sanity(timedCalls: number) {
      const last = acceptance.slice(-timedCalls);
      return {
        acceptance: Math.round((last.reduce((s, v) => s + v, 0) / last.length) * 1e4) / 1e4,
        all_finite: state.logDensity.every(Number.isFinite) ? 1 : 0,
      };
    },
  };
}

/**
 * The same target without its fused host paths, so that `evaluate()` takes ∇ log π from
 * TensorFlow.js autodiff of `logDensity`: the literal "gradient by autodiff" of WORKLOADS.md.
 */
export function autodiffOnly(target: Target): Target {
  const { logDensityAndGrad: _fused, logDensityHost: _host, ...tensorOnly } = target;
  return tensorOnly;
}

/** The median of timings (the mean of the two middle values for an even count). */
export function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
