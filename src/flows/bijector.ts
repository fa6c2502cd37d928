/**
 * The bijector contract (after distrax and zuko): an invertible, differentiable map
 * T: R^d → R^d on batches [n, d], given by one required pair
 *
 *   forwardAndLogDet(x) = (T(x), log |det ∂T/∂x|),   inverseAndLogDet(y) = (T⁻¹(y), log |det ∂T⁻¹/∂y|),
 *
 * both TensorFlow.js functions (differentiable in the input and in the parameters). Flows compose
 * bijectors ({@link chain}) over a base distribution; every bijector passes the same law tests
 * (inverse∘forward = id, forward∘inverse = id, log-det = log |det J| by autodiff).
 *
 * Direction: `forward` is the sampling direction (latent z → data x), `inverse` the density
 * direction (data x → latent z), so a flow's log density is log q(x) = log ρ(T⁻¹x) + log|det ∂T⁻¹/∂x|.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import { normal, type Key } from '../core/random.js';
import { firstOrderOnly, type KernelFuncRunner } from '../nn/fusedMlp.js';
import { uniqueVariableName } from '../nn/params.js';
import { computeTensor } from '../nn/wasmKernels.js';

/** The output of one direction of a bijector: the mapped batch and log |det J| per row. */
export interface Mapped {
  /** The mapped batch, [n, d]. */
  y: tf.Tensor2D;
  /** log |det ∂y/∂x| of each row, [n]. */
  logDet: tf.Tensor1D;
}

/** An invertible map on R^d with tractable log-Jacobian determinant. */
export interface Bijector {
  /** A short name, e.g. `planar`, `affineCoupling`. */
  readonly name: string;
  /** The dimension d (inputs and outputs are [n, d]). */
  readonly dim: number;
  /** Trainable parameters (empty for fixed maps). */
  readonly params: tf.Variable[];
  /** y = T(x) and log |det ∂T/∂x| for a batch x [n, d]. */
  forwardAndLogDet(x: tf.Tensor2D): Mapped;
  /** x = T⁻¹(y) and log |det ∂T⁻¹/∂y| for a batch y [n, d] (the returned `y` field holds x). */
  inverseAndLogDet(y: tf.Tensor2D): Mapped;
  /** Frees the parameters and constants the bijector owns. */
  dispose(): void;
  /**
   * Bijectors with data-dependent initialisation (ActNorm) initialise themselves from a batch
   * on the data side, `y` [n, d], the first time `inverseAndLogDet` sees one; `initialized`
   * says whether that happened (or parameters were loaded), and `markInitialized` records a
   * load so that loaded parameters are not overwritten.
   */
  readonly initialized?: boolean;
  markInitialized?(): void;
}

/** Throws unless `x` is a float tensor of shape [n, dim]. */
export function checkBatch(name: string, x: tf.Tensor, dim: number): asserts x is tf.Tensor2D {
  if (!(x instanceof tf.Tensor) || x.rank !== 2 || x.shape[1] !== dim) {
    throw new ArgumentError(name, `a tensor of shape [n, ${dim}]`, x instanceof tf.Tensor ? `shape [${x.shape.join(', ')}]` : x);
  }
}

/**
 * The composition T = T_k ∘ … ∘ T_1 of bijectors on the same R^d (T_1 applied first in the
 * forward direction). log |det ∂T/∂x| = Σ_j log |det ∂T_j| at the successive intermediate points.
 */
export function chain(bijectors: Bijector[]): Bijector {
  if (!Array.isArray(bijectors) || bijectors.length === 0) throw new ArgumentError('bijectors', 'a non-empty array of bijectors', bijectors);
  const dim = bijectors[0].dim;
  bijectors.forEach((b, i) => {
    if (b.dim !== dim) throw new ArgumentError(`bijectors[${i}]`, `a bijector on R^${dim}`, `R^${b.dim} (${b.name})`);
  });
  const through = (x: tf.Tensor2D, order: Bijector[], dir: 'forwardAndLogDet' | 'inverseAndLogDet'): Mapped =>
    tf.tidy(() => {
      let y = x;
      let logDet: tf.Tensor1D = tf.zeros([x.shape[0]]);
      for (const b of order) {
        const m = b[dir](y);
        y = m.y;
        logDet = tf.add(logDet, m.logDet);
      }
      return { y, logDet };
    });
  const reversed = [...bijectors].reverse();
  return {
    name: `chain(${bijectors.map((b) => b.name).join(', ')})`,
    dim,
    params: bijectors.flatMap((b) => b.params),
    forwardAndLogDet: (x) => (checkBatch('x', x, dim), through(x, bijectors, 'forwardAndLogDet')),
    inverseAndLogDet: (y) => (checkBatch('y', y, dim), through(y, reversed, 'inverseAndLogDet')),
    dispose: () => bijectors.forEach((b) => b.dispose()),
    get initialized() {
      return bijectors.every((b) => b.initialized ?? true);
    },
    markInitialized: () => bijectors.forEach((b) => b.markInitialized?.()),
  };
}

/**
 * A variable of the given shape with N(0, std²) entries drawn from `key`, named `name` (made
 * unique; its logical name is what parameter files record).
 */
export function normalVariable(name: string, key: Key, shape: number[], std: number): tf.Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = normal(key, size);
  for (let i = 0; i < size; i++) v[i] *= std;
  return valueVariable(name, v, shape);
}

/** A variable holding the given values, named `name` (made unique); trainable unless told. */
export function valueVariable(name: string, values: ArrayLike<number>, shape: number[], trainable = true): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(Float32Array.from(values), shape), trainable, uniqueVariableName(name)));
}

/** Checks that `perm` is a permutation of 0..d-1 and returns it as an Int32Array. */
export function checkPermutation(name: string, perm: ArrayLike<number>, d?: number): Int32Array {
  const p = Int32Array.from(perm);
  const n = d ?? p.length;
  const seen = new Uint8Array(n);
  if (p.length !== n) throw new ArgumentError(name, `a permutation of 0..${n - 1}`, `${p.length} values`);
  for (let i = 0; i < n; i++) {
    if (!(p[i] === perm[i] && p[i] >= 0 && p[i] < n) || seen[p[i]]) throw new ArgumentError(name, `a permutation of 0..${n - 1}`, `${perm[i]} at index ${i}`);
    seen[p[i]] = 1;
  }
  return p;
}

/**
 * Selection and placement of columns: `select(x)` = x[:, idx] for x [n, d], and `place(a)`, the
 * [n, d] batch with a's columns at `idx` and zeros elsewhere (so a coupling layer merges its two
 * parts as place_A(y_A) + place_B(y_B)). Both are one plain matMul with a 0/1 matrix (S [d, k]
 * or Sᵀ), with a custom gradient that is the plain matMul with the other one: neither direction
 * takes the wasm backend's slow transposed-matMul path, nor gather (no gradient kernel on wasm),
 * slice/split/concat (slower than a [n, d]·[d, k] product for small k). When at most
 * first-order gradients are taken, both are instead one host loop each way ({@link moveColumns}:
 * no product, no tensors saved for the backward pass; W3's step 8.5 → 8.1 ms of CPU), with
 * the same values. Owns two constant tensors: call `dispose`.
 */
export class ColumnSelect {
  private readonly s: tf.Tensor2D;
  private readonly st: tf.Tensor2D;
  private readonly identity: boolean;
  private readonly selectOp: (x: tf.Tensor) => tf.Tensor;
  private readonly placeOp: (x: tf.Tensor) => tf.Tensor;

  constructor(readonly d: number, readonly idx: Int32Array) {
    checkPositiveInt('d', d);
    const k = idx.length;
    this.identity = k === d && idx.every((v, i) => v === i);
    const s = new Float32Array(d * k);
    const st = new Float32Array(k * d);
    idx.forEach((c, j) => {
      s[c * k + j] = 1;
      st[j * d + c] = 1;
    });
    this.s = tf.tensor2d(s, [d, k]);
    this.st = tf.tensor2d(st, [k, d]);
    this.selectOp = product(this.s, this.st);
    this.placeOp = product(this.st, this.s);
  }

  /** x[:, idx] for x [n, d] → [n, k]. */
  select(x: tf.Tensor2D): tf.Tensor2D {
    if (this.identity) return tf.clone(x);
    return firstOrderOnly() ? moveColumns(x, this.idx, this.d, true) : (this.selectOp(x) as tf.Tensor2D);
  }

  /** a [n, k] placed at the columns idx of an [n, d] batch of zeros. */
  place(a: tf.Tensor2D): tf.Tensor2D {
    if (this.identity) return tf.clone(a);
    return firstOrderOnly() ? moveColumns(a, this.idx, this.d, false) : (this.placeOp(a) as tf.Tensor2D);
  }

  dispose(): void {
    this.s.dispose();
    this.st.dispose();
  }
}

/**
 * x[:, idx] for x [n, d] (`gather`), or a [n, k] placed at the columns idx of zeros [n, d], as
 * one op whose gradient is the other direction (first-order only: that backward op is itself
 * not differentiable).
 */
function moveColumns(x: tf.Tensor2D, idx: Int32Array, d: number, gather: boolean): tf.Tensor2D {
  const n = x.shape[0];
  const k = idx.length;
  const engine = tf.engine() as unknown as KernelFuncRunner;
  return engine.runKernelFunc({
    inputs: { x },
    forwardFunc: () =>
      computeTensor([n, gather ? k : d], [x], (out, xv) => {
        if (!gather) out.fill(0);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < k; j++) {
            if (gather) out[i * k + j] = xv[i * d + idx[j]];
            else out[i * d + idx[j]] = xv[i * k + j];
          }
        }
      }) as tf.Tensor2D,
    backwardsFunc: (dy) => ({ x: () => moveColumns(dy, idx, d, !gather) }),
  });
}

/** x ↦ x·m with the custom gradient dy ↦ dy·mᵀ, mᵀ given precomputed. */
function product(m: tf.Tensor2D, mt: tf.Tensor2D): (x: tf.Tensor) => tf.Tensor {
  return tf.customGrad(((x: tf.Tensor2D) => ({
    value: tf.matMul(x, m),
    gradFunc: (dy: tf.Tensor2D) => [tf.matMul(dy, mt)],
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
}

/** The indices lo, lo + 1, …, hi − 1. */
export function range(lo: number, hi: number): Int32Array {
  return Int32Array.from({ length: hi - lo }, (_, i) => lo + i);
}

/** The inverse of a permutation: inv[perm[i]] = i. */
export function invertPermutation(perm: Int32Array): Int32Array {
  const inv = new Int32Array(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}
