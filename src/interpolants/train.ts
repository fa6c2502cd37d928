/**
 * Learning the drifts of an interpolant by regression (Albergo & Vanden-Eijnden 2023;
 * Albergo, Boffi & Vanden-Eijnden 2023, §2.2; flow matching, Lipman et al. 2023): each
 * objective is the square loss E_{t, x_0, x_1, z} |f̂(t, x_t) − target|² whose minimiser is the
 * conditional expectation of the target given x_t,
 * - `velocity`: target ẋ_t, minimiser b(t, x) = E[ẋ_t | x_t = x];
 * - `denoiser`: target η (z, or x_0 one-sided), minimiser η(t, x) = E[η | x_t = x], s = −η/σ_t;
 * - `score`: target −η/σ_t, minimiser s(t, x) = ∇ log ρ_t(x) (high variance where σ_t → 0).
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositive, checkPositiveInt } from '../core/errors.js';
import { LoopMonitor, type LoopOptions } from '../core/loop.js';
import { fold, normal, split, uniform, type Key } from '../core/random.js';
import { adam, type Optimizer } from '../nn/optim.js';
import type { Coupling } from './couplings.js';
import type { Interpolant } from './interpolant.js';
import type { Field } from './ode.js';
import type { TimeNet } from './network.js';

/** The regression objectives. */
export type Objective = 'velocity' | 'denoiser' | 'score';

const TARGETS = { velocity: 'velocityTarget', denoiser: 'noiseTarget', score: 'scoreTarget' } as const;

/** Throws unless `objective` names a regression objective. */
function checkObjective(objective: string): asserts objective is Objective {
  if (!(objective in TARGETS)) throw new ArgumentError('objective', `one of ${Object.keys(TARGETS).join(', ')}`, objective);
}

/** A minibatch as tensors: endpoints [n, d], times [n, 1], noise [n, d], condition. */
export interface TensorBatch {
  x0: tf.Tensor2D;
  x1: tf.Tensor2D;
  t: tf.Tensor2D;
  z?: tf.Tensor2D;
  cond?: tf.Tensor2D;
}

/**
 * The square loss (1/n) Σ_i |f̂(t_i, x_{t_i}) − target_i|² of an objective: three lines, generic
 * in the interpolant's coefficients.
 */
export function interpolantLoss(I: Interpolant, objective: Objective, net: TimeNet, b: TensorBatch): tf.Scalar {
  checkObjective(objective);
  return tf.tidy(() => {
    const xt = I.sample(b.x0, b.x1, b.t, b.z);
    const target = I[TARGETS[objective]](b.x0, b.x1, b.t, b.z);
    return tf.mean(tf.sum(tf.square(tf.sub(net.apply(b.t, xt, b.cond), target)), 1)) as tf.Scalar;
  });
}

/** Options of {@link trainInterpolant}. */
export interface TrainOptions extends LoopOptions {
  /** Default `'velocity'`. */
  objective?: Objective;
  /** Optimisation steps (default 1000). */
  steps?: number;
  /** Minibatch size (default 256). */
  batchSize?: number;
  /** Adam learning rate (default 1e-3) and gradient clipping (default none). */
  lr?: number;
  clipNorm?: number;
}

/** Draws the tensors of one minibatch: pairs from the coupling, t ~ U(0, 1), z ~ N(0, I). */
export function drawBatch(key: Key, coupling: Coupling, n: number): TensorBatch {
  const [kb, kt, kz] = split(key, 3);
  const { dim, condDim } = coupling;
  const pairs = coupling.sample(kb, n);
  return {
    x0: tf.tensor2d(pairs.x0, [n, dim]),
    x1: tf.tensor2d(pairs.x1, [n, dim]),
    t: tf.tensor2d(uniform(kt, n), [n, 1]),
    z: tf.tensor2d(normal(kz, n * dim), [n, dim]),
    cond: condDim > 0 ? tf.tensor2d(pairs.cond!, [n, condDim]) : undefined,
  };
}

/** Frees the tensors of a batch. */
export function disposeBatch(b: TensorBatch): void {
  tf.dispose([b.x0, b.x1, b.t, b.z, b.cond].filter((v): v is tf.Tensor2D => v !== undefined));
}

/**
 * Trains `net` (in place) on an objective of the interpolant `I`, with minibatches from
 * `coupling` (step i uses `fold(key, i)`) and Adam. Reports the loss to the loop's observers;
 * returns the per-step losses (cut short if aborted).
 */
export async function trainInterpolant(key: Key, I: Interpolant, net: TimeNet, coupling: Coupling, opts: TrainOptions = {}): Promise<{ losses: Float32Array }> {
  const { objective = 'velocity', steps = 1000, batchSize = 256, lr = 1e-3, clipNorm } = opts;
  checkObjective(objective);
  checkPositiveInt('steps', steps);
  checkPositiveInt('batchSize', batchSize);
  checkPositive('lr', lr);
  if (net.dim !== coupling.dim) throw new ArgumentError('coupling', `points of dimension ${net.dim}, like the network`, coupling.dim);
  if (net.condDim !== coupling.condDim) throw new ArgumentError('coupling', `a condition of width ${net.condDim}, like the network`, coupling.condDim);
  if (net.times !== 1) throw new ArgumentError('net', 'a network with one time input', net.times);
  return adamLoop(net.params, steps, { ...opts, lr, clipNorm }, (i, opt) => {
    const batch = drawBatch(fold(key, i), coupling, batchSize);
    try {
      return opt.step(() => interpolantLoss(I, objective, net, batch));
    } finally {
      disposeBatch(batch);
    }
  });
}

/**
 * The Adam loop shared by the trainers of this folder (interpolants, CNFs, flow maps): for
 * i = 0 … steps − 1, `step(i, opt)` draws its minibatch, takes one optimiser step and returns
 * the loss; the loss goes to the loop's observers ('training' phase), an abort stops the loop
 * with the losses so far, and the optimiser is freed at the end.
 */
export async function adamLoop(
  params: tf.Variable[],
  steps: number,
  opts: LoopOptions & { lr: number; clipNorm?: number },
  step: (i: number, opt: Optimizer) => number,
): Promise<{ losses: Float32Array }> {
  const opt = adam(params, { lr: opts.lr, clipNorm: opts.clipNorm });
  const losses = new Float32Array(steps);
  const monitor = new LoopMonitor('training', steps, opts);
  let done = 0;
  try {
    for (let i = 0; i < steps; i++) {
      losses[i] = step(i, opt);
      done = i + 1;
      if (await monitor.tick({ step: done, metrics: { loss: losses[i] } })) break;
    }
  } finally {
    opt.dispose();
    monitor.end();
  }
  return { losses: losses.slice(0, done) };
}

/** The score s = −η/σ_t from a denoiser η(t, x) ≈ E[η | x_t = x] (σ_t = γ_t, or α_t one-sided). */
export function scoreFromDenoiser(I: Interpolant, eta: Field): Field {
  return (t, x) => tf.tidy(() => tf.mul(eta(t, x), -1 / I.noiseScale(t)) as tf.Tensor2D);
}

/**
 * The velocity of a one-sided interpolant x_t = α_t x_0 + β_t x_1 from its denoiser
 * η ≈ E[x_0 | x_t = x]: since E[x_1 | x_t] = (x − α_t η)/β_t,
 *   b(t, x) = (β̇_t/β_t) x + (α̇_t − β̇_t α_t/β_t) η(t, x)   (singular at t = 0, where β_0 = 0).
 */
export function velocityFromDenoiser(I: Interpolant, eta: Field): Field {
  if (I.kind !== 'one-sided') throw new ArgumentError('interpolant', 'a one-sided interpolant (the velocity of a two-sided one is not a function of its denoiser)', I.kind);
  return (t, x) =>
    tf.tidy(() => {
      const r = I.dBeta(t) / I.beta(t);
      return tf.add(tf.mul(x, r), tf.mul(eta(t, x), I.dAlpha(t) - r * I.alpha(t))) as tf.Tensor2D;
    });
}
