/**
 * Flow maps (Boffi, Albergo & Vanden-Eijnden, "Flow map matching", 2024): the two-time map
 * X_{s,t} of the probability-flow ODE ẋ = b_t(x), X_{s,t}(x_s) = x_t, learned directly so that
 * sampling takes 1 to a few steps, x_{t_{k+1}} = X_{t_k, t_{k+1}}(x_{t_k}). Parametrised as
 * X_{s,t}(x) = x + (t − s) v_{s,t}(x), so X_{s,s} = id holds exactly. Three objectives:
 *
 * - LMD (Lagrangian map distillation), from a trained velocity b:
 *     E_{s ≤ t, x ~ ρ_s} |∂_t X̂_{s,t}(x) − b_t(X̂_{s,t}(x))|²;
 * - EMD (Eulerian map distillation), from b:
 *     E_{s ≤ t, x ~ ρ_s} |∂_s X̂_{s,t}(x) + (b_s(x)·∇) X̂_{s,t}(x)|²;
 * - FMM (flow map matching), from the interpolant alone (s, t in either order):
 *     E |∂_t X̂_{s,t}(X̂_{t,s}(I_t)) − İ_t|² + |X̂_{s,t}(X̂_{t,s}(I_t)) − I_t|².
 *
 * Time derivatives are exact (autodiff of h ↦ X at h = 0, one pass per coordinate), so the
 * losses are second order in the parameters.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositive, checkPositiveInt } from '../core/errors.js';
import { LoopMonitor, type LoopOptions } from '../core/loop.js';
import { fold, split, uniform, type Key } from '../core/random.js';
import { checkBatch } from './checks.js';
import type { Coupling } from './couplings.js';
import type { Interpolant } from './interpolant.js';
import { timeNet, type TimeNet, type TimeNetOptions } from './network.js';
import { adamLoop, disposeBatch, drawBatch } from './train.js';

/** A map of a batch with per-row times s, t [n, 1]: (s, t, x [n, d]) → [n, d]. */
export type TwoTimeMap = (s: tf.Tensor2D, t: tf.Tensor2D, x: tf.Tensor2D) => tf.Tensor2D;
/** A velocity with per-row times: (t [n, 1], x [n, d]) → [n, d] (e.g. a trained {@link TimeNet}'s `apply`). */
export type BatchField = (t: tf.Tensor2D, x: tf.Tensor2D) => tf.Tensor2D;

/** A learned flow map X_{s,t}(x) = x + (t − s) v_{s,t}(x). */
export interface FlowMap {
  readonly dim: number;
  readonly net: TimeNet;
  readonly map: TwoTimeMap;
  dispose(): void;
}

/** A flow map whose v is a {@link timeNet} with the two time inputs (s, t). */
export function flowMap(key: Key, dim: number, opts: Omit<TimeNetOptions, 'times' | 'condDim'> = {}): FlowMap {
  const net = timeNet(key, dim, { name: 'flowmap', ...opts, times: 2 });
  const map: TwoTimeMap = (s, t, x) => tf.tidy(() => tf.add(x, tf.mul(tf.sub(t, s), net.apply(tf.concat([s, t], 1) as tf.Tensor2D, x))) as tf.Tensor2D);
  return { dim, net, map, dispose: () => net.dispose() };
}

/** d/dh f(h) at h = 0 for f: [n, 1] → [n, d], row by row (one vector–Jacobian product per column). */
function derivative(f: (h: tf.Tensor2D) => tf.Tensor2D, n: number, d: number): tf.Tensor2D {
  return tf.tidy(() => {
    const h0 = tf.zeros([n, 1]) as tf.Tensor2D;
    const g = tf.grad((h: tf.Tensor) => f(h as tf.Tensor2D));
    const cols = [];
    for (let j = 0; j < d; j++) cols.push(g(h0, tf.oneHot(tf.fill([n], j, 'int32') as tf.Tensor1D, d).toFloat()));
    return tf.concat(cols, 1) as tf.Tensor2D;
  });
}

const meanSquare = (r: tf.Tensor) => tf.mean(tf.sum(tf.square(r), 1)) as tf.Scalar;

/** The LMD loss on points x ~ ρ_s, s ≤ t [n, 1]. */
export function lmdLoss(X: TwoTimeMap, b: BatchField, s: tf.Tensor2D, t: tf.Tensor2D, x: tf.Tensor2D): tf.Scalar {
  const [n, d] = x.shape;
  return tf.tidy(() => {
    const dtX = derivative((h) => X(s, tf.add(t, h), x), n, d);
    return meanSquare(tf.sub(dtX, b(t, X(s, t, x))));
  });
}

/** The EMD loss on points x ~ ρ_s, s ≤ t [n, 1]: ∂_s X + (b_s·∇)X is d/dh X_{s+h,t}(x + h b_s(x)) at h = 0. */
export function emdLoss(X: TwoTimeMap, b: BatchField, s: tf.Tensor2D, t: tf.Tensor2D, x: tf.Tensor2D): tf.Scalar {
  const [n, d] = x.shape;
  return tf.tidy(() => {
    const bs = b(s, x);
    return meanSquare(derivative((h) => X(tf.add(s, h), t, tf.add(x, tf.mul(h, bs))), n, d));
  });
}

/** The FMM loss on an interpolant sample I_t and its velocity İ_t, times s, t [n, 1] in any order. */
export function fmmLoss(X: TwoTimeMap, s: tf.Tensor2D, t: tf.Tensor2D, It: tf.Tensor2D, dIt: tf.Tensor2D): tf.Scalar {
  const [n, d] = It.shape;
  return tf.tidy(() => {
    const y = X(t, s, It);
    const dtX = derivative((h) => X(s, tf.add(t, h), y), n, d);
    return tf.add(meanSquare(tf.sub(dtX, dIt)), meanSquare(tf.sub(X(s, t, y), It))) as tf.Scalar;
  });
}

/** The flow-map objectives. */
export type FlowMapObjective = 'lmd' | 'emd' | 'fmm';

/** Options of {@link trainFlowMap}. */
export interface TrainFlowMapOptions extends LoopOptions {
  objective: FlowMapObjective;
  /** The trained velocity that LMD and EMD distil. */
  teacher?: BatchField;
  /** Default 1000 steps, batches of 256, Adam lr 1e-3, no clipping. */
  steps?: number;
  batchSize?: number;
  lr?: number;
  clipNorm?: number;
}

/**
 * Trains a flow map (in place) on pairs from `coupling` through the interpolant `I` (x_s ~ ρ_s
 * is I.sample at time s). LMD and EMD draw s ≤ t (forward maps, as sampling uses them); FMM
 * draws both orders (it needs the backward map X̂_{t,s}). Step i uses `fold(key, i)`.
 */
export async function trainFlowMap(key: Key, fm: FlowMap, I: Interpolant, coupling: Coupling, opts: TrainFlowMapOptions): Promise<{ losses: Float32Array }> {
  const { objective, teacher, steps = 1000, batchSize = 256, lr = 1e-3, clipNorm } = opts;
  if (!['lmd', 'emd', 'fmm'].includes(objective)) throw new ArgumentError('objective', "'lmd', 'emd' or 'fmm'", objective);
  if (objective !== 'fmm' && typeof teacher !== 'function') throw new ArgumentError('teacher', `a velocity (t, x) → b_t(x) to distil with ${objective.toUpperCase()}`, teacher);
  checkPositiveInt('steps', steps);
  checkPositiveInt('batchSize', batchSize);
  checkPositive('lr', lr);
  if (coupling.dim !== fm.dim || coupling.condDim !== 0) throw new ArgumentError('coupling', `unconditional pairs of dimension ${fm.dim}`, coupling.dim);
  const n = batchSize;
  return adamLoop(fm.net.params, steps, { ...opts, lr, clipNorm }, (i, opt) => {
    const [kb, ks] = split(fold(key, i));
    const batch = drawBatch(kb, coupling, n);
    const [s, t] = twoTimes(ks, n, objective !== 'fmm');
    try {
      return opt.step(() =>
        tf.tidy(() => {
          if (objective === 'fmm') return fmmLoss(fm.map, s, t, I.sample(batch.x0, batch.x1, t, batch.z), I.velocityTarget(batch.x0, batch.x1, t, batch.z));
          const xs = I.sample(batch.x0, batch.x1, s, batch.z);
          return (objective === 'lmd' ? lmdLoss : emdLoss)(fm.map, teacher!, s, t, xs);
        }),
      );
    } finally {
      disposeBatch(batch);
      tf.dispose([s, t]);
    }
  });
}

/** Uniform times s, t [n, 1], sorted so that s ≤ t when `ordered`. */
function twoTimes(key: Key, n: number, ordered: boolean): [tf.Tensor2D, tf.Tensor2D] {
  const u = uniform(key, 2 * n);
  const s = new Float32Array(n);
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const [a, b] = [u[2 * i], u[2 * i + 1]];
    [s[i], t[i]] = ordered && a > b ? [b, a] : [a, b];
  }
  return [tf.tensor2d(s, [n, 1]), tf.tensor2d(t, [n, 1])];
}

/**
 * Samples with a flow map in `steps` jumps over the uniform grid t_k = t0 + k (t1 − t0)/steps:
 * x ← X_{t_k, t_{k+1}}(x). x0 is not consumed. Reports `t` and the samples after each jump.
 */
export async function sampleFlowMap(fm: FlowMap | TwoTimeMap, x0: tf.Tensor2D, opts: LoopOptions & { steps?: number; t0?: number; t1?: number } = {}): Promise<tf.Tensor2D> {
  const { steps = 1, t0 = 0, t1 = 1 } = opts;
  checkPositiveInt('steps', steps);
  checkBatch('x0', x0);
  const X = typeof fm === 'function' ? fm : fm.map;
  const [n, d] = x0.shape;
  const monitor = new LoopMonitor('sampling', steps, opts);
  let x = tf.clone(x0);
  try {
    for (let k = 0; k < steps; k++) {
      const [a, b] = [t0 + ((t1 - t0) * k) / steps, k === steps - 1 ? t1 : t0 + ((t1 - t0) * (k + 1)) / steps];
      const prev = x;
      x = tf.tidy(() => X(tf.fill([n, 1], a) as tf.Tensor2D, tf.fill([n, 1], b) as tf.Tensor2D, prev));
      prev.dispose();
      if (await monitor.tick({ step: k + 1, metrics: { t: b }, t: b, samples: { data: x.dataSync() as Float32Array, n, d } })) break;
    }
  } finally {
    monitor.end();
  }
  return x;
}
