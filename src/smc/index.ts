/**
 * transportlab/smc: the importance-sampling family. Self-normalised importance sampling,
 * annealed importance sampling and an adaptive SMC sampler along the geometric path from a base
 * to the target, parallel tempering, each with a log Z estimate and its standard error.
 * @module
 */
export { gaussianProposal, checkProposal, type Proposal } from './proposal.js';
export { temperedTarget, type TemperedTarget } from './tempered.js';
export { systematicResample, multinomialResample, type KernelFactory, type ParticleResult } from './particles.js';
export { importanceSampling, type ImportanceResult } from './importance.js';
export { ais, type AisOptions, type AisResult } from './ais.js';
export { smc, type SmcOptions, type SmcResult } from './smc.js';
export { parallelTempering, type ParallelTemperingOptions, type ParallelTemperingResult } from './tempering.js';
