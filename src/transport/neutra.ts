/**
 * Neutra-MCMC (Hoffman, Sountsov, Dillon, Langmore, Tran & Vasudevan, "NeuTra-lizing bad
 * geometry in Hamiltonian Monte Carlo using neural transport", 2019): run a local kernel (MALA,
 * HMC) on the target pulled back through the flow's map T (latent z → x),
 *
 *   π̃(z) = π(T(z)) |det ∂T/∂z|,
 *
 * which is close to the flow's base N(0, σ²I) when q ≈ π, and report the chains in x = T(z).
 * Unlike independent proposals it degrades gracefully when the flow is imperfect (Grenioux,
 * Durmus, Moulines & Gabrié, "On sampling with approximate transport maps", ICML 2023), but it
 * stays local: it cannot jump between modes the map does not connect.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import type { Key } from '../core/random.js';
import type { Flow } from '../flows/flow.js';
import { mala } from '../mcmc/mala.js';
import type { ChainState, Kernel, KernelParams, StepInfo } from '../mcmc/kernel.js';
import type { Target } from '../targets/target.js';
import { checkFlow } from './proposals.js';

/** The pull-back π̃(z) = π(T(z)) |det ∂T/∂z| of `target` through the flow's map, as a target on the latent space (differentiable through the flow). */
export function pullback(target: Target, flow: Flow): Target {
  checkFlow(flow, target);
  return {
    name: `pullback(${target.name})`,
    dim: target.dim,
    logZ: target.logZ,
    logDensity: (z) =>
      tf.tidy(() => {
        const { y, logDet } = flow.bijector.forwardAndLogDet(z);
        return tf.add(target.logDensity(y), logDet) as tf.Tensor1D;
      }),
  };
}

/** The state of {@link neutra}: chains in x-space (`position`, log π) and the local kernel's latent state. */
export interface NeutraState extends ChainState {
  latent: ChainState;
}

/** T(z) and log |det ∂T/∂z| of a host batch. */
function push(flow: Flow, z: Float32Array, n: number): { x: Float32Array; logDet: Float32Array } {
  return tf.tidy(() => {
    const { y, logDet } = flow.bijector.forwardAndLogDet(tf.tensor2d(z, [n, flow.dim]));
    return { x: y.dataSync() as Float32Array, logDet: logDet.dataSync() as Float32Array };
  });
}

/**
 * A Neutra kernel: `makeKernel` (default MALA) on the pulled-back target in the flow's latent
 * space; positions are reported in x-space, with log π(x) = log π̃(z) − log |det ∂T/∂z|.
 * `init` takes x-space positions and maps them to z = T⁻¹(x).
 */
export function neutra(target: Target, flow: Flow, makeKernel: (t: Target) => Kernel = mala): Kernel<NeutraState> {
  const inner = makeKernel(pullback(target, flow));
  const d = target.dim;
  const expose = (latent: ChainState, into?: NeutraState): NeutraState => {
    const { n } = latent;
    const { x, logDet } = push(flow, latent.position, n);
    const lp = into?.logDensity.length === n ? into.logDensity : new Float32Array(n);
    for (let r = 0; r < n; r++) lp[r] = latent.logDensity[r] - logDet[r];
    return { n, d, position: x, logDensity: lp, grad: null, latent };
  };
  return {
    name: `neutra(${inner.name})`,
    target,
    usesGradient: false,
    metropolized: inner.metropolized,
    targetAcceptance: inner.targetAcceptance,
    init(position, n, argument) {
      const x = tf.tensor2d(position.subarray(0, n * d), [n, d]);
      const z = tf.tidy(() => flow.bijector.inverseAndLogDet(x).y.dataSync() as Float32Array);
      x.dispose();
      return expose(inner.init(z, n, argument));
    },
    step(key: Key, state: NeutraState, params: KernelParams): { state: NeutraState; info: StepInfo } {
      const out = inner.step(key, state.latent, params);
      return { state: expose(out.state, state), info: out.info };
    },
  };
}
