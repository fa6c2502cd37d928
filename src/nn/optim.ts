/**
 * Gradient-descent optimisers over TensorFlow.js variables, with PyTorch's update rules.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositive } from '../core/errors.js';

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
  /** Frees the optimiser state (not the parameters). */
  dispose(): void;
}

/** Checks the parameter list shared by every optimiser. */
function checkParams(params: tf.Variable[]): void {
  if (!Array.isArray(params) || params.length === 0) throw new ArgumentError('params', 'a non-empty array of tf.Variable', params);
  params.forEach((p, i) => {
    if (!(p instanceof tf.Variable)) throw new ArgumentError(`params[${i}]`, 'a tf.Variable', p);
    if (p.dtype !== 'float32') throw new ArgumentError(`params[${i}]`, 'a float32 variable', p.dtype);
  });
}

/**
 * The update rule of one optimiser: given the (clipped) gradients, in the order of the
 * parameters, and the 1-based step number, assigns the new parameter values.
 */
type Update = (grads: tf.Tensor[], t: number) => void;

/** Wraps an update rule into an {@link Optimizer}: gradients, clipping, loss check, step count. */
function optimizer(params: tf.Variable[], clipNorm: number | undefined, update: Update, state: tf.Variable[]): Optimizer {
  let t = 0;
  return {
    step(lossFn: () => tf.Scalar): number {
      if (typeof lossFn !== 'function') throw new ArgumentError('lossFn', 'a function returning a scalar tensor', lossFn);
      let loss = NaN;
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(lossFn, params);
        loss = value.dataSync()[0];
        if (!Number.isFinite(loss)) return;
        let g = params.map((p) => grads[p.name] ?? tf.zerosLike(p));
        if (clipNorm !== undefined) {
          const norm = tf.sqrt(tf.addN(g.map((gi) => tf.sum(tf.square(gi)))));
          const coef = tf.minimum(1, tf.div(clipNorm, tf.add(norm, 1e-6)));
          g = g.map((gi) => tf.mul(gi, coef));
        }
        update(g, t + 1);
      });
      if (!Number.isFinite(loss)) throw new ArgumentError('lossFn', 'a finite loss (parameters left unchanged)', loss);
      t++;
      return loss;
    },
    get iterations() {
      return t;
    },
    dispose(): void {
      for (const s of state) s.dispose();
    },
  };
}

/** Zero-initialised optimiser state, one tensor per parameter. */
function zerosLike(params: tf.Variable[]): tf.Variable[] {
  return params.map((p) => tf.variable(tf.zeros(p.shape), false));
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
  return optimizer(
    params,
    clipNorm,
    (grads, t) => {
      const stepSize = lr / (1 - beta1 ** t);
      const sqrtBc2 = Math.sqrt(1 - beta2 ** t);
      params.forEach((p, i) => {
        const g = weightDecay > 0 ? tf.add(grads[i], tf.mul(p, weightDecay)) : grads[i];
        m[i].assign(tf.add(tf.mul(m[i], beta1), tf.mul(g, 1 - beta1)));
        v[i].assign(tf.add(tf.mul(v[i], beta2), tf.mul(tf.square(g), 1 - beta2)));
        const denom = tf.add(tf.div(tf.sqrt(v[i]), sqrtBc2), eps);
        p.assign(tf.sub(p, tf.mul(tf.div(m[i], denom), stepSize)));
      });
    },
    [...m, ...v],
  );
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
  const buf = momentum > 0 ? zerosLike(params) : [];
  return optimizer(
    params,
    clipNorm,
    (grads, t) => {
      params.forEach((p, i) => {
        let d = grads[i];
        if (momentum > 0) {
          buf[i].assign(t === 1 ? d : tf.add(tf.mul(buf[i], momentum), d));
          d = buf[i];
        }
        p.assign(tf.sub(p, tf.mul(d, lr)));
      });
    },
    buf,
  );
}

function checkBeta(name: string, b: number): void {
  if (!(typeof b === 'number' && b >= 0 && b < 1)) throw new ArgumentError(name, 'a number in [0, 1)', b);
}
