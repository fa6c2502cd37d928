/**
 * Couplings ρ(x_0, x_1) of the endpoints of an interpolant, as minibatch samplers:
 * independent (ρ_0 ⊗ ρ_1), minibatch optimal transport (exact assignment of each minibatch for
 * the squared Euclidean cost; Pooladian et al., ICML 2023; Tong et al., TMLR 2024), and
 * data-dependent couplings ρ(x_0, x_1) = ρ_1(x_1) ρ_0(x_0 | x_1), optionally with a condition
 * the network sees (Albergo, Goldstein, Boffi, Ranganath & Vanden-Eijnden, "Stochastic
 * interpolants with data-dependent couplings", ICML 2024).
 *
 * @module
 */
import { ArgumentError, checkNonNegativeInt, checkPositiveInt } from '../core/errors.js';
import { normal, randint, split, type Key } from '../core/random.js';
import { linearAssignment } from './assignment.js';

/** n points [n, d] (row-major) drawn from a key. */
export type Sampler = (key: Key, n: number) => Float32Array;

/** A minibatch of coupled endpoints (row-major [n, dim]) and, when the coupling has one, the condition [n, condDim]. */
export interface Batch {
  x0: Float32Array;
  x1: Float32Array;
  cond?: Float32Array;
}

/** A coupling: draws minibatches of pairs (x_0, x_1). */
export interface Coupling {
  readonly name: string;
  readonly dim: number;
  /** Width of the condition passed to the network (0: none). */
  readonly condDim: number;
  sample(key: Key, n: number): Batch;
}

/** The standard normal N(0, I_d) as a {@link Sampler}. */
export function standardNormal(dim: number): Sampler {
  checkPositiveInt('dim', dim);
  return (key, n) => normal(key, n * dim);
}

function draw(name: string, s: Sampler, key: Key, n: number, dim: number): Float32Array {
  const x = s(key, n);
  if (!(x instanceof Float32Array) || x.length !== n * dim) throw new ArgumentError(name, `a sampler returning ${n * dim} values ([${n}, ${dim}])`, x);
  return x;
}

/** The independent coupling x_0 ~ ρ_0, x_1 ~ ρ_1. */
export function independent(dim: number, sample0: Sampler, sample1: Sampler): Coupling {
  checkPositiveInt('dim', dim);
  return {
    name: 'independent',
    dim,
    condDim: 0,
    sample(key, n) {
      const [k0, k1] = split(key);
      return { x0: draw('sample0', sample0, k0, n, dim), x1: draw('sample1', sample1, k1, n, dim) };
    },
  };
}

/** Σ_i |x_0,i − x_1,σ(i)|² for a pairing σ. */
export function transportCost(x0: ArrayLike<number>, x1: ArrayLike<number>, dim: number, sigma?: ArrayLike<number>): number {
  const n = x0.length / dim;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const j = sigma ? sigma[i] : i;
    for (let k = 0; k < dim; k++) c += (x0[i * dim + k] - x1[j * dim + k]) ** 2;
  }
  return c;
}

/** The squared-distance matrix C_ij = |x0_i − x1_j|² (row-major n×n). */
function squaredDistances(x0: Float32Array, x1: Float32Array, n: number, dim: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += (x0[i * dim + k] - x1[j * dim + k]) ** 2;
      c[i * n + j] = s;
    }
  }
  return c;
}

/**
 * Minibatch optimal transport: draws x_0 and x_1 independently, then re-pairs them by the exact
 * optimal assignment σ = argmin Σ_i |x_0,i − x_1,σ(i)|² ({@link linearAssignment}), the
 * empirical W2-optimal plan of the minibatch. Straighter paths, fewer integration steps.
 */
export function minibatchOT(dim: number, sample0: Sampler, sample1: Sampler): Coupling {
  const base = independent(dim, sample0, sample1);
  return {
    name: 'minibatch-ot',
    dim,
    condDim: 0,
    sample(key, n) {
      const { x0, x1 } = base.sample(key, n);
      const sigma = linearAssignment(squaredDistances(x0, x1, n, dim), n);
      const y = new Float32Array(n * dim);
      for (let i = 0; i < n; i++) y.set(x1.subarray(sigma[i] * dim, (sigma[i] + 1) * dim), i * dim);
      return { x0, x1: y };
    },
  };
}

/**
 * A data-dependent coupling ρ_1(x_1) ρ_0(x_0 | x_1): x_1 from `sample1`, then `given(key, x1, n)`
 * returns x_0 (and optionally a condition of width `condDim`, e.g. an in-painting mask or the
 * low-resolution image) for each row.
 */
export function dataDependent(
  dim: number,
  sample1: Sampler,
  given: (key: Key, x1: Float32Array, n: number) => { x0: Float32Array; cond?: Float32Array },
  opts: { condDim?: number; name?: string } = {},
): Coupling {
  checkPositiveInt('dim', dim);
  const condDim = opts.condDim ?? 0;
  checkNonNegativeInt('condDim', condDim);
  return {
    name: opts.name ?? 'data-dependent',
    dim,
    condDim,
    sample(key, n) {
      const [k1, k0] = split(key);
      const x1 = draw('sample1', sample1, k1, n, dim);
      const { x0, cond } = given(k0, x1, n);
      if (!(x0 instanceof Float32Array) || x0.length !== n * dim) throw new ArgumentError('given', `x0 of ${n * dim} values`, x0);
      if (condDim > 0 && (!(cond instanceof Float32Array) || cond.length !== n * condDim)) {
        throw new ArgumentError('given', `a condition of ${n * condDim} values`, cond);
      }
      return condDim > 0 ? { x0, x1, cond } : { x0, x1 };
    },
  };
}

/**
 * Given pairs (x_0^i, x_1^i), i < N (and conditions), as a coupling: minibatches are rows drawn
 * uniformly with replacement.
 */
export function paired(dim: number, x0: Float32Array, x1: Float32Array, opts: { cond?: Float32Array; condDim?: number } = {}): Coupling {
  checkPositiveInt('dim', dim);
  const rows = x1.length / dim;
  if (!Number.isInteger(rows) || rows < 1) throw new ArgumentError('x1', `a non-empty multiple of dim = ${dim} values`, x1);
  if (x0.length !== x1.length) throw new ArgumentError('x0', `${x1.length} values, like x1`, x0);
  const condDim = opts.condDim ?? 0;
  checkNonNegativeInt('condDim', condDim);
  if (condDim > 0 && opts.cond?.length !== rows * condDim) throw new ArgumentError('cond', `${rows * condDim} values ([${rows}, ${condDim}])`, opts.cond);
  const pick = (src: Float32Array, idx: Int32Array, w: number) => {
    const out = new Float32Array(idx.length * w);
    idx.forEach((r, i) => out.set(src.subarray(r * w, (r + 1) * w), i * w));
    return out;
  };
  return {
    name: 'paired',
    dim,
    condDim,
    sample(key, n) {
      const idx = randint(key, n, 0, rows);
      const batch: Batch = { x0: pick(x0, idx, dim), x1: pick(x1, idx, dim) };
      if (condDim > 0) batch.cond = pick(opts.cond!, idx, condDim);
      return batch;
    },
  };
}
