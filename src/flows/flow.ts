/**
 * A normalizing flow: a bijector T (latent z → data x) over a base distribution
 * ρ = N(0, σ² I_d) (Rezende & Mohamed 2015; Papamakarios et al., "Normalizing flows for
 * probabilistic modeling and inference", JMLR 2021):
 *
 *   x = T(z), z ~ ρ,   log q(x) = log ρ(T⁻¹(x)) + log |det ∂T⁻¹/∂x|
 *                               = log ρ(z) − log |det ∂T/∂z|.
 *
 * Tensor methods (`sample`, `logProb`, `sampleAndLogProb`) are differentiable in the parameters
 * (for training); the `…Host` methods take and return Float32Arrays (for samplers), and
 * {@link Flow.toTarget} exposes the flow as a normalised {@link Target} with an exact sampler
 * (an importance-sampling proposal).
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkNonNegativeInt, checkPositive } from '../core/errors.js';
import { normal, type Key } from '../core/random.js';
import { loadParamsJSON, paramsToJSON, type ParamJSON } from '../nn/params.js';
import type { Target } from '../targets/target.js';
import { chain, checkBatch, type Bijector } from './bijector.js';

/** Options of a {@link Flow}. */
export interface FlowOptions {
  /** Standard deviation σ of the Gaussian base distribution N(0, σ² I) (default 1). */
  baseScale?: number;
}

/** The parameters of a flow as saved by {@link Flow.toJSON}. */
export interface FlowJSON {
  format: 'transportlab.flow';
  version: 1;
  dim: number;
  params: ParamJSON[];
}

/** A bijector chain over a Gaussian base distribution. */
export class Flow {
  /** The chain T (forward: latent → data). */
  readonly bijector: Bijector;
  /** The dimension d. */
  readonly dim: number;
  /** σ of the base N(0, σ² I). */
  readonly baseScale: number;
  private readonly logNorm: number;

  /** A flow with T = bijectors[k−1] ∘ … ∘ bijectors[0] (the first applied first when sampling). */
  constructor(bijectors: Bijector[], opts: FlowOptions = {}) {
    this.bijector = chain(bijectors);
    this.dim = this.bijector.dim;
    this.baseScale = opts.baseScale ?? 1;
    checkPositive('baseScale', this.baseScale);
    this.logNorm = -0.5 * this.dim * Math.log(2 * Math.PI * this.baseScale ** 2);
  }

  /** The trainable parameters of all bijectors. */
  get params(): tf.Variable[] {
    return this.bijector.params;
  }

  /** log ρ(z) = −‖z‖²/(2σ²) − (d/2) log(2πσ²) of the base distribution, [n]. */
  baseLogProb(z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => tf.add(tf.mul(tf.sum(tf.square(z), 1), -0.5 / this.baseScale ** 2), this.logNorm) as tf.Tensor1D);
  }

  /** n draws z ~ N(0, σ² I) from `key`, [n, d]. */
  sampleBase(key: Key, n: number): tf.Tensor2D {
    checkNonNegativeInt('n', n);
    const z = normal(key, n * this.dim);
    if (this.baseScale !== 1) for (let i = 0; i < z.length; i++) z[i] *= this.baseScale;
    return tf.tensor2d(z, [n, this.dim]);
  }

  /** n draws x = T(z) and their log q(x) = log ρ(z) − log |det ∂T/∂z| (reparameterised: differentiable in the parameters). */
  sampleAndLogProb(key: Key, n: number): { x: tf.Tensor2D; logProb: tf.Tensor1D } {
    return tf.tidy(() => {
      const z = this.sampleBase(key, n);
      const { y, logDet } = this.bijector.forwardAndLogDet(z);
      return { x: y, logProb: tf.sub(this.baseLogProb(z), logDet) as tf.Tensor1D };
    });
  }

  /** n draws x = T(z), z ~ ρ, [n, d]. */
  sample(key: Key, n: number): tf.Tensor2D {
    return tf.tidy(() => this.bijector.forwardAndLogDet(this.sampleBase(key, n)).y);
  }

  /** log q(x) for a batch x [n, d], [n]. */
  logProb(x: tf.Tensor2D): tf.Tensor1D {
    checkBatch('x', x, this.dim);
    return tf.tidy(() => {
      const { y: z, logDet } = this.bijector.inverseAndLogDet(x);
      return tf.add(this.baseLogProb(z), logDet) as tf.Tensor1D;
    });
  }

  /** {@link sampleAndLogProb} as host arrays: x [n, d] row-major and log q(x) [n]. */
  sampleAndLogProbHost(key: Key, n: number): { x: Float32Array; logProb: Float32Array } {
    const r = this.sampleAndLogProb(key, n);
    try {
      return { x: r.x.dataSync() as Float32Array, logProb: r.logProb.dataSync() as Float32Array };
    } finally {
      r.x.dispose();
      r.logProb.dispose();
    }
  }

  /** n draws as a host array [n, d]. */
  sampleHost(key: Key, n: number): Float32Array {
    const x = this.sample(key, n);
    try {
      return x.dataSync() as Float32Array;
    } finally {
      x.dispose();
    }
  }

  /** log q(x) of a host batch x [n, d] (row-major), [n]. */
  logProbHost(x: Float32Array, n: number): Float32Array {
    if (!(x instanceof Float32Array) || x.length !== n * this.dim) {
      throw new ArgumentError('x', `a Float32Array of ${n * this.dim} values (shape [${n}, ${this.dim}])`, x);
    }
    const lp = tf.tidy(() => this.logProb(tf.tensor2d(x, [n, this.dim])));
    try {
      return lp.dataSync() as Float32Array;
    } finally {
      lp.dispose();
    }
  }

  /** The flow's density q as a normalised target (log Z = 0) with its exact sampler. */
  toTarget(name = 'flow'): Target {
    return {
      name,
      dim: this.dim,
      logZ: 0,
      logDensity: (x) => this.logProb(x),
      logDensityHost: (x, n, out) => out.set(this.logProbHost(x.subarray(0, n * this.dim), n)),
      sample: (key, n) => this.sampleHost(key, n),
    };
  }

  /** The parameters as JSON (names, shapes, values), for {@link Flow.loadJSON} on a flow built the same way. */
  toJSON(): FlowJSON {
    return { format: 'transportlab.flow', version: 1, dim: this.dim, params: paramsToJSON(this.params) };
  }

  /**
   * Loads parameters saved by {@link Flow.toJSON} into this flow (which must have the same
   * architecture: same bijectors, names and shapes); marks data-initialised layers as initialised.
   * Malformed input throws an ArgumentError and leaves the parameters unchanged.
   */
  loadJSON(json: unknown): void {
    const j = (typeof json === 'string' ? parseJSON(json) : json) as Partial<FlowJSON> | null;
    if (typeof j !== 'object' || j === null || j.format !== 'transportlab.flow') throw new ArgumentError('json', 'a flow parameter file (format "transportlab.flow")', j === null ? null : typeof j);
    if (j.version !== 1) throw new ArgumentError('json.version', '1', j.version);
    if (j.dim !== this.dim) throw new ArgumentError('json.dim', String(this.dim), j.dim);
    loadParamsJSON(this.params, j.params);
    this.bijector.markInitialized?.();
  }

  /** Frees every parameter and constant of the flow. */
  dispose(): void {
    this.bijector.dispose();
  }
}

function parseJSON(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    throw new ArgumentError('json', 'valid JSON', (e as Error).message);
  }
}
