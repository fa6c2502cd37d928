/**
 * Continuous normalizing flows trained by maximum likelihood (FFJORD: Grathwohl, Chen,
 * Bettencourt, Sutskever & Duvenaud, ICLR 2019), the comparison point for interpolants: a
 * velocity v(t, x) pushes N(0, I) at t = 0 to the model at t = 1, and
 *
 *   log ρ̂_1(x) = log N(X_0; 0, I) − ∫_0^1 ∇·v(t, X_t) dt,   X_1 = x,
 *
 * with ∇·v by Hutchinson's estimator (probes fixed per minibatch). Training backpropagates
 * through a fixed-step Runge–Kutta discretisation of the backward solve (discretise, then
 * optimise); each step needs the ODE solved, unlike the simulation-free interpolant losses.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositive, checkPositiveInt } from '../core/errors.js';
import type { LoopOptions } from '../core/loop.js';
import { fold, split, type Key } from '../core/random.js';
import type { Sampler } from './couplings.js';
import { hutchinsonProbes, standardNormalLogDensity, valueAndDivergence } from './likelihood.js';
import type { TimeNet } from './network.js';
import { checkMethod, rkStep, type FixedStepMethod } from './ode.js';
import { adamLoop } from './train.js';

/** Options of {@link cnfNegLogLikelihood} and {@link trainCnf}. */
export interface CnfOptions {
  /** Steps of the backward solve (default 8). */
  odeSteps?: number;
  /** Default `'heun'`. */
  method?: FixedStepMethod;
  /** Hutchinson probe distribution (default Rademacher). */
  probe?: 'rademacher' | 'gaussian';
}

/**
 * −(1/n) Σ_i log ρ̂_1(x_i) for a batch x [n, d], differentiable in the network's parameters:
 * solves (X, Δ) backwards from (x, 0) at t = 1 to t = 0 with dX/dt = v, dΔ/dt = ε·(∂v/∂x)ε.
 */
export function cnfNegLogLikelihood(net: TimeNet, x: tf.Tensor2D, probes: tf.Tensor2D, opts: CnfOptions = {}): tf.Scalar {
  const { odeSteps = 8, method = 'heun' } = opts;
  checkPositiveInt('odeSteps', odeSteps);
  checkMethod(method);
  if ((method as string) === 'dopri5') throw new ArgumentError('method', 'a fixed-step method (euler, heun, rk4)', method);
  const [n, d] = x.shape;
  const v = net.field();
  const augmented = (t: number, y: tf.Tensor2D) => {
    const { value, div } = valueAndDivergence(v, t, tf.slice(y, [0, 0], [n, d]), { probes });
    return tf.concat([value, div], 1) as tf.Tensor2D;
  };
  return tf.tidy(() => {
    let y = tf.concat([x, tf.zeros([n, 1])], 1) as tf.Tensor2D;
    const h = -1 / odeSteps;
    for (let k = 0; k < odeSteps; k++) y = rkStep(method, augmented, 1 + k * h, h, y).x;
    const logp = tf.add(standardNormalLogDensity(tf.slice(y, [0, 0], [n, d])), tf.reshape(tf.slice(y, [0, d], [n, 1]), [n]));
    return tf.neg(tf.mean(logp)) as tf.Scalar;
  });
}

/** Training options of {@link trainCnf}. */
export interface TrainCnfOptions extends CnfOptions, LoopOptions {
  /** Optimisation steps (default 500), minibatch size (default 128), Adam lr (default 1e-3), clipping. */
  steps?: number;
  batchSize?: number;
  lr?: number;
  clipNorm?: number;
}

/**
 * Trains `net` (in place) as a CNF by maximum likelihood on minibatches from `data` (step i
 * uses `fold(key, i)`). Returns the per-step negative log-likelihoods.
 */
export async function trainCnf(key: Key, net: TimeNet, data: Sampler, opts: TrainCnfOptions = {}): Promise<{ losses: Float32Array }> {
  const { steps = 500, batchSize = 128, lr = 1e-3, clipNorm } = opts;
  checkPositiveInt('steps', steps);
  checkPositiveInt('batchSize', batchSize);
  checkPositive('lr', lr);
  if (net.times !== 1 || net.condDim !== 0) throw new ArgumentError('net', 'a network with one time input and no condition');
  const d = net.dim;
  return adamLoop(net.params, steps, { ...opts, lr, clipNorm }, (i, opt) => {
    const [kx, kp] = split(fold(key, i));
    const xs = data(kx, batchSize);
    if (!(xs instanceof Float32Array) || xs.length !== batchSize * d) throw new ArgumentError('data', `a sampler returning ${batchSize * d} values`, xs);
    const x = tf.tensor2d(xs, [batchSize, d]);
    const probes = hutchinsonProbes(kp, batchSize, d, opts.probe);
    try {
      return opt.step(() => cnfNegLogLikelihood(net, x, probes, opts));
    } finally {
      tf.dispose([x, probes]);
    }
  });
}
