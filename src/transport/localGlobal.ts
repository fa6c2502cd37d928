/**
 * Adaptive local–global MCMC with a normalizing flow (Gabrié, Rotskoff & Vanden-Eijnden,
 * "Adaptive Monte Carlo augmented with normalizing flows", PNAS 2022; the loop of flowMC, Wong,
 * Gabrié & Foreman-Mackey 2023; with i-SIR as the global move it is Ex²MCMC, Samsonov et al.
 * 2022). One step of the composite kernel, for every chain:
 *
 * 1. `localSteps` steps of a local kernel (MALA, HMC, …) on π;
 * 2. `globalSteps` steps of a flow-based global kernel (flow IMH or i-SIR) on π;
 * 3. while training (the first `training.iterations` steps), `training.optimizerSteps` Adam steps
 *    of the forward KL −(1/B) Σ log q_θ(x_i) on minibatches of the chains' recent positions
 *    (the last `training.buffer` steps' worth), so the flow learns from the samples it helps
 *    produce. After training stops the flow is frozen and the composite kernel is an ordinary
 *    π-invariant Markov kernel.
 *
 * Acceptance is recorded per move type: `acceptProb` is the mean local acceptance over the local
 * steps (what step-size adaptation of the local kernel needs), `globalAcceptProb` the mean over
 * the global steps; `accepted` is 1 where a chain moved at all during the step, `localAccepted`
 * and `globalAccepted` where it moved by that kind of move.
 *
 * @module
 */
import { ArgumentError, checkNonNegativeInt, checkPositiveInt } from '../core/errors.js';
import { randint, split, type Key } from '../core/random.js';
import type { Flow } from '../flows/flow.js';
import { forwardKL, gatherRows } from '../flows/train.js';
import { emptyInfo, type ChainState, type Kernel, type KernelParams, type StepInfo } from '../mcmc/kernel.js';
import { adam, type Optimizer } from '../nn/optim.js';

/** Per-step information of {@link localGlobal}. */
export interface LocalGlobalInfo extends StepInfo {
  /** Mean acceptance probability of the global moves of this step, [n]. */
  globalAcceptProb: Float32Array;
  /** 1 where a global move was accepted during the step, [n]. */
  globalAccepted: Uint8Array;
  /** 1 where a local move was accepted during the step, [n]. */
  localAccepted: Uint8Array;
  /** Mean forward-KL loss of this step's flow updates (NaN when not training). */
  loss: number;
}

/** The state of {@link localGlobal}: the chains and the number of composite steps taken. */
export interface LocalGlobalState extends ChainState {
  iteration: number;
}

/** Flow training inside {@link localGlobal}. */
export interface LocalGlobalTraining {
  /** The flow the global kernel proposes from (trained in place). */
  flow: Flow;
  /** Train during the first `iterations` composite steps, then freeze. */
  iterations: number;
  /** Adam steps per composite step (default 1). */
  optimizerSteps?: number;
  /** Minibatch size (default: all buffered positions, at most 1024). */
  batchSize?: number;
  /** Number of recent steps whose positions are kept for training (default 1: the current positions). */
  buffer?: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** Global gradient-norm clipping (default 10). */
  clipNorm?: number;
}

/** Options of {@link localGlobal}. */
export interface LocalGlobalOptions {
  /** The local kernel (e.g. `mala(target)`). */
  local: Kernel;
  /** The global kernel on the same target (e.g. `flowIMH(target, flow)`). */
  global: Kernel;
  /** Local steps per composite step (default 10). */
  localSteps?: number;
  /** Global steps per composite step (default 1). */
  globalSteps?: number;
  /** Train the global kernel's flow on the chains while sampling (default: no training). */
  training?: LocalGlobalTraining;
}

/** A kernel alternating local and flow-based global moves, optionally training the flow on the chains. */
export function localGlobal(opts: LocalGlobalOptions): Kernel<LocalGlobalState, LocalGlobalInfo> & { readonly optimizer?: Optimizer; dispose(): void } {
  const { local, global: glob } = opts;
  for (const [name, k] of [['local', local], ['global', glob]] as const) {
    if (!k || typeof k.step !== 'function' || typeof k.init !== 'function') throw new ArgumentError(name, 'an MCMC kernel (init, step)', k);
  }
  const target = local.target;
  if (glob.target.dim !== target.dim) throw new ArgumentError('global', `a kernel on R^${target.dim} (the local kernel's space)`, `R^${glob.target.dim}`);
  if (local.usesGradient && !glob.usesGradient) throw new ArgumentError('global', `a kernel that keeps ∇ log π (the local kernel ${local.name} needs it)`, glob.name);
  const localSteps = opts.localSteps ?? 10;
  const globalSteps = opts.globalSteps ?? 1;
  checkNonNegativeInt('localSteps', localSteps);
  checkNonNegativeInt('globalSteps', globalSteps);
  if (localSteps + globalSteps === 0) throw new ArgumentError('localSteps, globalSteps', 'at least one step in all', 0);
  const tr = opts.training;
  let optimizer: Optimizer | undefined;
  if (tr) {
    checkNonNegativeInt('training.iterations', tr.iterations);
    checkPositiveInt('training.optimizerSteps', tr.optimizerSteps ?? 1);
    checkPositiveInt('training.buffer', tr.buffer ?? 1);
    if (tr.batchSize !== undefined) checkPositiveInt('training.batchSize', tr.batchSize);
    if (!tr.flow || tr.flow.dim !== target.dim) throw new ArgumentError('training.flow', `a flow on R^${target.dim}`, tr.flow?.dim);
    optimizer = adam(tr.flow.params, { lr: tr.lr ?? 1e-3, clipNorm: tr.clipNorm ?? 10 });
  }
  const d = target.dim;
  let ring: Float32Array | undefined;

  /** Forward-KL updates on the buffered positions; returns the mean loss. */
  function train(key: Key, state: LocalGlobalState): number {
    const { n } = state;
    const slots = tr!.buffer ?? 1;
    if (ring?.length !== slots * n * d) ring = new Float32Array(slots * n * d);
    ring.set(state.position, (state.iteration % slots) * n * d);
    const rows = Math.min(state.iteration + 1, slots) * n;
    const batch = tr!.batchSize ?? Math.min(rows, 1024);
    const steps = tr!.optimizerSteps ?? 1;
    let total = 0;
    split(key, steps).forEach((k) => {
      const x = gatherRows(ring!, d, randint(k, batch, 0, rows));
      try {
        total += optimizer!.step(() => forwardKL(tr!.flow, x));
      } finally {
        x.dispose();
      }
    });
    return total / steps;
  }

  return {
    name: `localGlobal(${local.name}, ${glob.name})`,
    target,
    usesGradient: local.usesGradient || glob.usesGradient,
    metropolized: local.metropolized && glob.metropolized,
    targetAcceptance: local.targetAcceptance,
    optimizer,
    init(position, n, argument) {
      const base = (local.usesGradient ? local : glob).init(position, n, argument);
      return { ...base, iteration: 0 };
    },
    step(key: Key, state: LocalGlobalState, params: KernelParams) {
      const { n } = state;
      const keys = split(key, localSteps + globalSteps + 1);
      const info: LocalGlobalInfo = { ...emptyInfo(n), globalAcceptProb: new Float32Array(n), globalAccepted: new Uint8Array(n), localAccepted: new Uint8Array(n), loss: NaN };
      let s: ChainState = state;
      const move = (kernel: Kernel, k: Key, prob: Float32Array, acc: Uint8Array, steps: number) => {
        const out = kernel.step(k, s, params);
        s = out.state;
        for (let r = 0; r < n; r++) {
          prob[r] += out.info.acceptProb[r] / steps;
          acc[r] |= out.info.accepted[r];
          info.divergent[r] |= out.info.divergent[r];
        }
      };
      for (let i = 0; i < localSteps; i++) move(local, keys[i], info.acceptProb, info.localAccepted, localSteps);
      for (let i = 0; i < globalSteps; i++) move(glob, keys[localSteps + i], info.globalAcceptProb, info.globalAccepted, globalSteps);
      for (let r = 0; r < n; r++) info.accepted[r] = info.localAccepted[r] | info.globalAccepted[r];
      if (localSteps === 0) info.acceptProb.set(info.globalAcceptProb);
      const next: LocalGlobalState = { ...s, iteration: state.iteration + 1 };
      if (tr && state.iteration < tr.iterations) info.loss = train(keys[localSteps + globalSteps], { ...next, iteration: state.iteration });
      return { state: next, info };
    },
    dispose() {
      optimizer?.dispose();
    },
  };
}

