/**
 * transportlab/transport: flow-assisted sampling — importance sampling with a flow proposal,
 * flow independent Metropolis–Hastings, i-SIR, adaptive local–global MCMC that trains its flow
 * on its own chains (Gabrié et al. 2022, flowMC), and Neutra-MCMC in the flow's latent space.
 * All samplers are kernels of the MCMC contract, so the run driver, traces and diagnostics
 * apply unchanged.
 * @module
 */
export { flowImportanceSampling, type ImportanceResult } from './importance.js';
export { flowIMH } from './imh.js';
export { type GlobalKernelOptions } from './proposals.js';
export { flowISIR, type ISIROptions } from './isir.js';
export { localGlobal, type LocalGlobalOptions, type LocalGlobalTraining, type LocalGlobalInfo, type LocalGlobalState } from './localGlobal.js';
export { neutra, pullback, type NeutraState } from './neutra.js';
