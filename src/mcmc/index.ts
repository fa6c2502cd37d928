/**
 * transportlab/mcmc: batched MCMC kernels (RWMH, MALA, ULA, HMC) with the blackjax-style
 * init/step contract, warm-up adaptation (dual averaging, windowed diagonal mass matrix), the
 * run driver and its trace.
 * @module
 */
export {
  DEFAULT_LEAPFROG_STEPS,
  emptyInfo,
  initState,
  makeKernel,
  type KernelSpec,
  type KernelStep,
  type ChainState,
  type StepInfo,
  type Kernel,
  type KernelParams,
} from './kernel.js';
export { rwmh } from './rwmh.js';
export { mala } from './mala.js';
export { ula } from './ula.js';
export { hmc, DIVERGENCE_THRESHOLD, DEFAULT_STEP_SIZE_JITTER, type HmcOptions } from './hmc.js';
export { langevinProposal } from './langevin.js';
export * from './adaptation.js';
export { Trace, type RecordSpec } from './trace.js';
export { run, type RunOptions, type RunResult } from './run.js';
export { KERNELS, kernelNames, kernelByName, type KernelName } from './kernels.js';
