/**
 * Training a flow q_θ by Kullback–Leibler divergences (Papamakarios et al., "Normalizing flows
 * for probabilistic modeling and inference", JMLR 2021, §2.3):
 *
 * - forward KL (maximum likelihood from samples x_i ~ π): L = −(1/B) Σ_i log q_θ(x_i)
 *   (= KL(π‖q_θ) up to the entropy of π);
 * - reverse KL (variational, from an unnormalised log π): with reparameterised x_i = T_θ(z_i),
 *   z_i ~ ρ, L = (1/B) Σ_i [log q_θ(x_i) − log π(x_i)] (= KL(q_θ‖π/Z) − log Z);
 * - mixed: (1 − λ) forward + λ reverse.
 *
 * Optimised with Adam (PyTorch rules) and optional global-norm gradient clipping; the loop
 * reports `{ loss }` through a {@link LoopMonitor} (progress bar, widgets, abort keeps the losses so far).
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkInRange, checkPositiveInt } from '../core/errors.js';
import { LoopMonitor, type LoopOptions } from '../core/loop.js';
import { fold, randint, split, type Key } from '../core/random.js';
import { adam, type Optimizer } from '../nn/optim.js';
import type { Target } from '../targets/target.js';
import type { Flow } from './flow.js';

/** −(1/B) Σ log q(x_i) for a batch x [B, d]: the forward-KL (maximum-likelihood) loss. */
export function forwardKL(flow: Flow, x: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(flow.logProb(x))) as tf.Scalar);
}

/**
 * log π(x) [n] for a batch x [n, d], differentiable once in x. A target with a fused host
 * evaluation (`logDensityAndGrad`) is evaluated in one host pass that also gives ∇ log π, which
 * the backward pass multiplies by the incoming gradient (dy_i ∇ log π(x_i)); this replaces the
 * autodiff graph of the target's tensor log density (for GMM-40, [n, 40, 2] tensors) by one
 * fused loop. Not differentiable twice (use `target.logDensity` for higher-order gradients).
 */
export function logDensityOnce(target: Target, x: tf.Tensor2D): tf.Tensor1D {
  const fused = target.logDensityAndGrad?.bind(target);
  if (!fused) return target.logDensity(x);
  const [n, d] = x.shape;
  const op = tf.customGrad(((xt: tf.Tensor2D, save: (t: tf.Tensor[]) => void) => {
    const lp = new Float32Array(n);
    const g = new Float32Array(n * d);
    fused(xt.dataSync() as Float32Array, n, lp, g);
    save([tf.tensor2d(g, [n, d])]);
    return { value: tf.tensor1d(lp), gradFunc: (dy: tf.Tensor1D, saved: tf.Tensor[]) => [tf.mul(tf.expandDims(dy, 1), saved[0])] };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as tf.Tensor1D;
}

/**
 * (1/B) Σ [log q(x_i) − log π(x_i)] over B reparameterised draws x_i = T(z_i) from `key`: the
 * reverse-KL loss. log π is evaluated by {@link logDensityOnce} (the target's fused gradient
 * when it has one) unless `autodiff` is true (the target's tensor log density under autodiff).
 */
export function reverseKL(flow: Flow, target: Target, key: Key, batchSize: number, autodiff = false): tf.Scalar {
  if (target.dim !== flow.dim) throw new ArgumentError('target', `a target on R^${flow.dim} (the flow's dimension)`, `R^${target.dim}`);
  return tf.tidy(() => {
    const { x, logProb } = flow.sampleAndLogProb(key, batchSize);
    return tf.mean(tf.sub(logProb, autodiff ? target.logDensity(x) : logDensityOnce(target, x))) as tf.Scalar;
  });
}

/** Rows `idx` of a host batch [n, d] as a tensor [idx.length, d]. */
export function gatherRows(data: Float32Array, d: number, idx: Int32Array): tf.Tensor2D {
  const out = new Float32Array(idx.length * d);
  idx.forEach((r, i) => out.set(data.subarray(r * d, (r + 1) * d), i * d));
  return tf.tensor2d(out, [idx.length, d]);
}

/** Options of {@link trainFlow}. */
export interface TrainOptions extends LoopOptions {
  /** `forward` (needs `data`), `reverse` (needs `target`) or `mixed` (needs both). */
  objective: 'forward' | 'reverse' | 'mixed';
  /** Optimiser steps. */
  steps: number;
  /** Samples per step (minibatch of `data`, draws from the flow; default 256). */
  batchSize?: number;
  /** Training data [n, d] row-major (forward and mixed). */
  data?: Float32Array;
  /** The unnormalised target (reverse and mixed). */
  target?: Target;
  /** Weight λ of the reverse KL in the mixed objective (default 0.5). */
  mixing?: number;
  /** Adam learning rate (default 1e-3), when no `optimizer` is given. */
  lr?: number;
  /** Global gradient-norm clipping (default none), when no `optimizer` is given. */
  clipNorm?: number;
  /** An optimiser over `flow.params` to continue with (its state is kept; not disposed). */
  optimizer?: Optimizer;
}

/** What {@link trainFlow} returns: the loss of every step taken. */
export interface TrainResult {
  losses: Float32Array;
  /** Steps taken (fewer than asked when aborted). */
  steps: number;
  aborted: boolean;
}

/** Trains `flow` in place by forward, reverse or mixed KL; step i uses `fold(key, i)`. */
export async function trainFlow(key: Key, flow: Flow, opts: TrainOptions): Promise<TrainResult> {
  const { objective, steps, data, target } = opts;
  if (!['forward', 'reverse', 'mixed'].includes(objective)) throw new ArgumentError('objective', '"forward", "reverse" or "mixed"', objective);
  checkPositiveInt('steps', steps);
  const batch = opts.batchSize ?? 256;
  checkPositiveInt('batchSize', batch);
  const lambda = objective === 'forward' ? 0 : objective === 'reverse' ? 1 : (opts.mixing ?? 0.5);
  checkInRange('mixing', lambda, 0, 1);
  const d = flow.dim;
  let rows = 0;
  if (lambda < 1) {
    if (!(data instanceof Float32Array) || data.length === 0 || data.length % d !== 0) {
      throw new ArgumentError('data', `a non-empty Float32Array of shape [n, ${d}] for the ${objective} objective`, data);
    }
    rows = data.length / d;
  }
  if (lambda > 0 && (target === undefined || target.dim !== d)) {
    throw new ArgumentError('target', `a target on R^${d} for the ${objective} objective`, target === undefined ? undefined : `R^${target.dim}`);
  }
  const optimizer = opts.optimizer ?? adam(flow.params, { lr: opts.lr ?? 1e-3, clipNorm: opts.clipNorm });
  const losses = new Float32Array(steps);
  const monitor = new LoopMonitor('training', steps, opts);
  let taken = 0;
  try {
    for (let i = 0; i < steps; i++) {
      const [kData, kFlow] = split(fold(key, i));
      const x = lambda < 1 ? gatherRows(data!, d, randint(kData, batch, 0, rows)) : undefined;
      try {
        losses[i] = optimizer.step(() =>
          tf.tidy(() => {
            const fwd = x ? forwardKL(flow, x) : tf.scalar(0);
            const rev = lambda > 0 ? reverseKL(flow, target!, kFlow, batch) : tf.scalar(0);
            return tf.add(tf.mul(1 - lambda, fwd), tf.mul(lambda, rev)) as tf.Scalar;
          }),
        );
      } finally {
        x?.dispose();
      }
      taken = i + 1;
      if (await monitor.tick({ step: taken, metrics: { loss: losses[i] } })) break;
    }
  } finally {
    monitor.end();
    if (!opts.optimizer) optimizer.dispose();
  }
  return { losses: losses.slice(0, taken), steps: taken, aborted: monitor.aborted };
}
