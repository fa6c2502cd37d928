/**
 * Coupling layers (Dinh, Sohl-Dickstein & Bengio, "Density estimation using Real NVP", ICLR 2017;
 * Durkan et al., "Neural spline flows", NeurIPS 2019). A mask splits the coordinates into kept
 * ones x_A (mask 1) and transformed ones x_B (mask 0); a conditioner network of x_A gives the
 * parameters θ(x_A) of an elementwise bijection of x_B:
 *
 *   y_A = x_A,   y_B = f(x_B; θ(x_A)),   log |det ∂y/∂x| = Σ_j log |f'(x_B,j; θ)|.
 *
 * {@link affineCoupling} uses f(x; s, t) = x exp(tanh(s)) + t (RealNVP with a tanh-bounded
 * log-scale); the rational-quadratic spline coupling is in `spline.ts`. Both share
 * {@link coupling}, which does the split, the conditioner call and the merge.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import { bernoulli, type Key } from '../core/random.js';
import { firstOrderOnly, type KernelFuncRunner } from '../nn/fusedMlp.js';
import { mlp, type Activation } from '../nn/mlp.js';
import { computeTensor } from '../nn/wasmKernels.js';
import { ColumnSelect, checkBatch, range, type Bijector } from './bijector.js';

/** A conditioner network: a map [n, k] → [n, m] with trainable parameters (an {@link mlp} is one). */
export interface Conditioner {
  readonly params: tf.Variable[];
  apply(x: tf.Tensor2D): tf.Tensor2D;
  dispose(): void;
}

/** An elementwise bijection of k transformed coordinates x_B [n, k] given the conditioner output h [n, outputs]. */
export interface CouplingTransform {
  /** The conditioner output width. */
  readonly outputs: number;
  /** y_B and Σ_j log |f'| per row, in the forward (`inverse` false) or inverse direction. */
  apply(xB: tf.Tensor2D, h: tf.Tensor2D, inverse: boolean): { y: tf.Tensor2D; logDet: tf.Tensor1D };
  /** Frees the transform's constants. */
  dispose(): void;
  /** The layer as one op (used by {@link coupling} when at most first-order gradients are taken). */
  readonly fused?: FusedCouplingApply;
}

/**
 * A whole coupling layer's merge as one op: y with the columns `columns` of x transformed given
 * the conditioner output h and the other columns copied, and Σ_j log |f'| per row. First-order
 * gradients only (its backward pass is not itself differentiable).
 */
export type FusedCouplingApply = (x: tf.Tensor2D, h: tf.Tensor2D, columns: Int32Array, inverse: boolean) => { y: tf.Tensor2D; logDet: tf.Tensor1D };

/** Makes the transform of a coupling layer for k transformed coordinates. */
export type CouplingTransformFactory = (k: number) => CouplingTransform;

/** Options of the conditioner network of a coupling layer. */
export interface CouplingOptions {
  /** Hidden widths of the conditioner MLP (default [64, 64]). */
  hidden?: number[];
  /** Activation of the conditioner (default `'silu'`). */
  activation?: Activation;
  /**
   * Scale of the conditioner's last layer at initialisation (default 0: the layer starts as the
   * identity map; 1 gives PyTorch's default initialisation).
   */
  finalScale?: number;
  /** Prefix of the variable names (default the layer kind). */
  name?: string;
  /** A conditioner to use instead of the default MLP; maps [n, #kept] → [n, outputs]. */
  conditioner?: Conditioner;
}

/** Checks a 0/1 mask of length d with both values present; returns kept and transformed indices. */
export function maskIndices(mask: ArrayLike<number | boolean>, d: number): { kept: Int32Array; transformed: Int32Array } {
  if (mask?.length !== d) throw new ArgumentError('mask', `${d} values of 0/1`, mask);
  const kept: number[] = [];
  const transformed: number[] = [];
  for (let j = 0; j < d; j++) {
    const m = Number(mask[j]);
    if (m !== 0 && m !== 1) throw new ArgumentError('mask', 'values 0 or 1', `${mask[j]} at index ${j}`);
    (m === 1 ? kept : transformed).push(j);
  }
  if (kept.length === 0 || transformed.length === 0) throw new ArgumentError('mask', 'at least one 1 and one 0', Array.from(mask, Number).join(''));
  return { kept: Int32Array.from(kept), transformed: Int32Array.from(transformed) };
}

/** The alternating masks of RealNVP: layer `k` keeps the coordinates j with j ≡ k (mod 2). */
export function alternatingMask(dim: number, k: number): Uint8Array {
  checkPositiveInt('dim', dim);
  return Uint8Array.from({ length: dim }, (_, j) => ((j + k) % 2 === 0 ? 1 : 0));
}

/** A random mask, each coordinate kept with probability ½, drawn from `key` (redrawn until both values occur). */
export function randomMask(key: Key, dim: number): Uint8Array {
  if (!(Number.isInteger(dim) && dim >= 2)) throw new ArgumentError('dim', 'an integer ≥ 2', dim);
  for (let i = 0; ; i++) {
    const m = bernoulli(key, dim * (i + 1)).subarray(dim * i);
    const ones = m.reduce((a, b) => a + b, 0);
    if (ones > 0 && ones < dim) return Uint8Array.from(m);
  }
}

/**
 * A coupling layer on R^dim with the given mask (1 = kept, conditions the transform) and
 * elementwise transform; the conditioner is an MLP [#kept, ...hidden, outputs] unless given.
 */
export function coupling(key: Key, dim: number, mask: ArrayLike<number | boolean>, makeTransform: CouplingTransformFactory, kind: string, opts: CouplingOptions = {}): Bijector {
  checkPositiveInt('dim', dim);
  const { kept, transformed } = maskIndices(mask, dim);
  const transform = makeTransform(transformed.length);
  const out = transform.outputs;
  const net = opts.conditioner ?? mlp(key, [kept.length, ...(opts.hidden ?? [64, 64]), out], { activation: opts.activation, finalScale: opts.finalScale ?? 0, name: `${opts.name ?? kind}.net` });
  const selA = new ColumnSelect(dim, kept);
  const selB = new ColumnSelect(dim, transformed);
  const run = (x: tf.Tensor2D, inverse: boolean) =>
    tf.tidy(() => {
      checkBatch(inverse ? 'y' : 'x', x, dim);
      const xA = selA.select(x);
      const h = net.apply(xA);
      if (h.shape[1] !== out) throw new ArgumentError('conditioner', `an output of width ${out}`, h.shape[1]);
      if (transform.fused !== undefined && firstOrderOnly()) return transform.fused(x, h, transformed, inverse);
      const { y, logDet } = transform.apply(selB.select(x), h, inverse);
      return { y: tf.add(selA.place(xA), selB.place(y)) as tf.Tensor2D, logDet };
    });
  return {
    name: kind,
    dim,
    params: net.params,
    forwardAndLogDet: (x) => run(x, false),
    inverseAndLogDet: (y) => run(y, true),
    dispose: () => {
      net.dispose();
      [selA, selB, transform].forEach((s) => s.dispose());
    },
  };
}

/** The RealNVP transform y = x exp(tanh(s)) + t, with (s, t) the two halves of the conditioner output [n, 2k]. */
export function affineTransform(k: number): CouplingTransform {
  const sPart = new ColumnSelect(2 * k, range(0, k));
  const tPart = new ColumnSelect(2 * k, range(k, 2 * k));
  return {
    outputs: 2 * k,
    apply(xB, h, inverse) {
      const s = tf.tanh(sPart.select(h));
      const t = tPart.select(h);
      const y = inverse ? tf.mul(tf.sub(xB, t), tf.exp(tf.neg(s))) : tf.add(tf.mul(xB, tf.exp(s)), t);
      const logDet = tf.sum(s, 1) as tf.Tensor1D;
      return { y: y as tf.Tensor2D, logDet: inverse ? tf.neg(logDet) : logDet };
    },
    dispose: () => [sPart, tPart].forEach((p) => p.dispose()),
    fused: fusedAffine,
  };
}

/**
 * The affine coupling as one op (per-op dispatch dominates these [n, 2] programs: W3's eight
 * layers took ~14 tensor ops each forward and as many backward). For each row, over the
 * transformed columns c_j with s_j = tanh(h_j), t_j = h_{k+j} and ε = +1 forward (−1 inverse):
 *
 *     y_c = (x_c − [inverse] t_j) e_j + [forward] t_j,   e_j = exp(ε s_j),   log |det| = ε Σ_j s_j,
 *
 * the other columns copied. Backward, from dy and dℓ (the log-det's cotangent), with
 * b_j = x_c − [inverse] t_j: dx_c = dy_c e_j, dh_j = ε (dy_c b_j e_j + dℓ)(1 − s_j²),
 * dh_{k+j} = dy_c forward, −dy_c e_j inverse; dx of the other columns = dy. Computed in double
 * precision on host arrays (../nn/wasmKernels.ts), rounded to float32.
 */
const fusedAffine: FusedCouplingApply = (x, h, columns, inverse) => {
  const [n, d] = x.shape;
  const k = columns.length;
  const eps = inverse ? -1 : 1;
  // kept for the backward pass: b_j, e_j and 1 − s_j² per row and transformed column
  const base = new Float64Array(n * k);
  const ex = new Float64Array(n * k);
  const dTanh = new Float64Array(n * k);
  const logDets = new Float64Array(n);
  const engine = tf.engine() as unknown as KernelFuncRunner;
  const [y, logDet] = engine.runKernelFunc({
    inputs: { x, h },
    forwardFunc: () => {
      const yt = computeTensor([n, d], [x, h], (yv, xv, hv) => {
        yv.set(xv);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < k; j++) {
            const s = Math.tanh(hv[i * 2 * k + j]);
            const t = hv[i * 2 * k + k + j];
            const c = i * d + columns[j];
            const q = i * k + j;
            const b = inverse ? xv[c] - t : xv[c];
            const e = Math.exp(eps * s);
            base[q] = b;
            ex[q] = e;
            dTanh[q] = 1 - s * s;
            yv[c] = inverse ? b * e : b * e + t;
            logDets[i] += eps * s;
          }
        }
      });
      return [yt, computeTensor([n], [], (lv) => lv.set(logDets))];
    },
    backwardsFunc: ([dy, dl]) => ({
      x: () =>
        computeTensor([n, d], [dy], (dxv, dyv) => {
          dxv.set(dyv);
          for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) dxv[i * d + columns[j]] = dyv[i * d + columns[j]] * ex[i * k + j];
        }),
      h: () =>
        computeTensor([n, 2 * k], [dy, dl], (dhv, dyv, dlv) => {
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < k; j++) {
              const q = i * k + j;
              const g = dyv[i * d + columns[j]];
              dhv[i * 2 * k + j] = eps * (g * base[q] * ex[q] + dlv[i]) * dTanh[q];
              dhv[i * 2 * k + k + j] = inverse ? -g * ex[q] : g;
            }
          }
        }),
    }),
  });
  return { y: y as tf.Tensor2D, logDet: logDet as tf.Tensor1D };
};

/**
 * An affine (RealNVP) coupling layer: y_A = x_A, y_B = x_B ⊙ exp(tanh(s(x_A))) + t(x_A),
 * log |det| = Σ_j tanh(s_j). `mask` marks the kept coordinates (see {@link alternatingMask},
 * {@link randomMask}).
 */
export function affineCoupling(key: Key, dim: number, mask: ArrayLike<number | boolean>, opts: CouplingOptions = {}): Bijector {
  return coupling(key, dim, mask, affineTransform, 'affineCoupling', opts);
}
