/**
 * transportlab/interpolants: stochastic interpolants, flow matching and diffusion — the
 * interpolant families, their regression targets, ODE/SDE samplers and log-likelihoods.
 * @module
 */
export type { Arith } from './arith.js';
export { numbers, tensors } from './arith.js';
export * from './interpolant.js';
export * from './families.js';
export * from './ode.js';
export * from './sde.js';
export * from './likelihood.js';
export * from './network.js';
export * from './assignment.js';
export * from './couplings.js';
export * from './train.js';
export * from './cnf.js';
export * from './flowmap.js';
