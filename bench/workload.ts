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

/** What one workload's set-up returns. */
export interface WorkloadInstance {
  /** One timed unit (a MALA step, an optimiser step, a trajectory); state carries over. */
  call(): void | Promise<void>;
  /** Sanity values after the timed calls, e.g. `{ acceptance: 0.994 }`. */
  sanity?(): Record<string, number>;
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
  /** Untimed set-up. */
  setup(): Promise<WorkloadInstance>;
}
