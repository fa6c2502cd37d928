/**
 * Gradient-descent optimisers over TensorFlow.js variables, with PyTorch's update rules.
 *
 * The optimiser state (moments, momentum buffers) lives in plain Float32Arrays, and each
 * parameter is updated by one fused JavaScript pass over its values and gradient (on wasm
 * straight from and into the backend's heap, ./wasmKernels.ts; Adam's pass runs natively,
 * with the same bits, when the addon of ../core/native.ts is loaded): a step costs one gradient
 * computation plus one small kernel per parameter, instead of a dozen TensorFlow.js ops per
 * parameter.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositive } from '../core/errors.js';
import { nativeBlas } from '../core/native.js';
import { computeTensor, hostValues } from './wasmKernels.js';

/** A first-order optimiser of a fixed list of variables. */
export interface Optimizer {
  /**
   * One step: the gradients of `lossFn()` w.r.t. the parameters, optional global-norm
   * clipping, the update. Returns the loss as a number (one scalar read-back). Throws an
   * {@link ArgumentError} (and leaves the parameters unchanged) when the loss is not finite.
   */
  step(lossFn: () => tf.Scalar): number;
  /** Steps taken so far. */
  readonly iterations: number;
  /** Releases the optimiser state (not the parameters); the optimiser must not be used afterwards. */
  dispose(): void;
}

/**
 * The update rule of one optimiser for parameter `i` at the 1-based step `t`: writes the new
 * values into `out` from the current values `p` and the gradient `g` (to be multiplied by
 * `scale`, the clipping factor), updating its own state for `i`.
 */
type Update = (i: number, t: number, out: Float32Array, p: Float32Array, g: Float32Array, scale: number) => void;

/** Checks the parameter list shared by every optimiser. */
function checkParams(params: tf.Variable[]): void {
  if (!Array.isArray(params) || params.length === 0) throw new ArgumentError('params', 'a non-empty array of tf.Variable', params);
  params.forEach((p, i) => {
    if (!(p instanceof tf.Variable)) throw new ArgumentError(`params[${i}]`, 'a tf.Variable', p);
    if (p.dtype !== 'float32') throw new ArgumentError(`params[${i}]`, 'a float32 variable', p.dtype);
  });
}

/** Σ g² over every entry of every gradient, accumulated in float64. */
function sumOfSquares(grads: tf.Tensor[]): number {
  let total = 0;
  for (const g of grads) {
    const gv = hostValues(g);
    for (let j = 0; j < gv.length; j++) total += gv[j] * gv[j];
  }
  return total;
}

/**
 * Wraps an update rule into an {@link Optimizer}: gradients, clipping (g ← g · min(1, c /
 * (‖g‖ + 10⁻⁶)), ‖g‖ the global 2-norm, as PyTorch's `clip_grad_norm_`), loss check, step count.
 */
function optimizer(params: tf.Variable[], clipNorm: number | undefined, update: Update): Optimizer {
  let t = 0;
  let disposed = false;
  return {
    step(lossFn: () => tf.Scalar): number {
      if (disposed) throw new ArgumentError('optimizer', 'an optimizer that was not disposed');
      if (typeof lossFn !== 'function') throw new ArgumentError('lossFn', 'a function returning a scalar tensor', lossFn);
      let loss = NaN;
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(lossFn, params);
        loss = value.dataSync()[0];
        if (!Number.isFinite(loss)) return;
        const g = params.map((p) => grads[p.name] ?? tf.zerosLike(p));
        const scale = clipNorm === undefined ? 1 : Math.min(1, clipNorm / (Math.sqrt(sumOfSquares(g)) + 1e-6));
        params.forEach((p, i) => p.assign(computeTensor(p.shape, [p, g[i]], (out, pv, gv) => update(i, t + 1, out, pv, gv, scale))));
      });
      if (!Number.isFinite(loss)) throw new ArgumentError('lossFn', 'a finite loss (parameters left unchanged)', loss);
      t++;
      return loss;
    },
    get iterations() {
      return t;
    },
    dispose(): void {
      disposed = true;
    },
  };
}

/** One zero-initialised Float32Array per parameter. */
function zerosLike(params: tf.Variable[]): Float32Array[] {
  return params.map((p) => new Float32Array(p.size));
}

/**
 * Adam (Kingma & Ba 2015, "Adam: a method for stochastic optimization"), exactly as
 * PyTorch's `torch.optim.Adam` (no AMSGrad): with g ← g + λθ (L2 weight decay λ),
 *
 *     m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²,
 *     θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε).
 *
 * Defaults: lr 1e-3, β1 0.9, β2 0.999, ε 1e-8, no clipping, no weight decay. `clipNorm` c
 * (both optimisers) first rescales the gradients g ← g · min(1, c / (‖g‖ + 10⁻⁶)), ‖g‖ their
 * global 2-norm (PyTorch's `clip_grad_norm_`).
 */
export function adam(
  params: tf.Variable[],
  opts: { lr?: number; beta1?: number; beta2?: number; eps?: number; clipNorm?: number; weightDecay?: number } = {},
): Optimizer {
  checkParams(params);
  const { lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, clipNorm, weightDecay = 0 } = opts;
  checkPositive('lr', lr);
  checkBeta('beta1', beta1);
  checkBeta('beta2', beta2);
  checkPositive('eps', eps);
  if (clipNorm !== undefined) checkPositive('clipNorm', clipNorm);
  if (!(Number.isFinite(weightDecay) && weightDecay >= 0)) throw new ArgumentError('weightDecay', 'a finite number ≥ 0', weightDecay);
  const m = zerosLike(params);
  const v = zerosLike(params);
  const blas = nativeBlas();
  return optimizer(params, clipNorm, (i, t, out, p, g, scale) => {
    const stepSize = lr / (1 - beta1 ** t);
    const sqrtBc2 = Math.sqrt(1 - beta2 ** t);
    const [mi, vi] = [m[i], v[i]];
    // natively when the addon is loaded: the same operations in the same order (same bits)
    if (blas !== undefined) return blas.adamUpdate(out, p, g, mi, vi, scale, beta1, beta2, stepSize, sqrtBc2, eps, weightDecay);
    for (let j = 0; j < out.length; j++) {
      const gj = g[j] * scale + weightDecay * p[j];
      const mj = (mi[j] = beta1 * mi[j] + (1 - beta1) * gj);
      const vj = (vi[j] = beta2 * vi[j] + (1 - beta2) * gj * gj);
      out[j] = p[j] - (stepSize * mj) / (Math.sqrt(vj) / sqrtBc2 + eps);
    }
  });
}

/**
 * Stochastic gradient descent with heavy-ball momentum μ, as PyTorch's `torch.optim.SGD`
 * (dampening 0, no Nesterov): b ← μ b + g (b = g at the first step), θ ← θ − lr · b; plain
 * θ ← θ − lr · g when μ = 0. Defaults: lr 1e-2, μ 0, no clipping.
 */
export function sgd(params: tf.Variable[], opts: { lr?: number; momentum?: number; clipNorm?: number } = {}): Optimizer {
  checkParams(params);
  const { lr = 1e-2, momentum = 0, clipNorm } = opts;
  checkPositive('lr', lr);
  if (!(Number.isFinite(momentum) && momentum >= 0 && momentum < 1)) throw new ArgumentError('momentum', 'a number in [0, 1)', momentum);
  if (clipNorm !== undefined) checkPositive('clipNorm', clipNorm);
  const buf = zerosLike(params);
  return optimizer(params, clipNorm, (i, t, out, p, g, scale) => {
    const b = buf[i];
    for (let j = 0; j < out.length; j++) {
      const gj = g[j] * scale;
      const d = (b[j] = t === 1 ? gj : momentum * b[j] + gj);
      out[j] = p[j] - lr * d;
    }
  });
}

function checkBeta(name: string, b: number): void {
  if (!(typeof b === 'number' && b >= 0 && b < 1)) throw new ArgumentError(name, 'a number in [0, 1)', b);
}
