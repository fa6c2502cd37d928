/**
 * transportlab: transport-based generative modelling and sampling in TypeScript.
 * @packageDocumentation
 */
export { tf, ready, backendInfo, BACKENDS, type BackendName } from './core/backend.js';
export * as random from './core/random.js';
export { Key } from './core/random.js';
export { ArgumentError } from './core/errors.js';
export { defineTarget, evaluate, evaluateLogDensity, type Target, type TargetSpec, type Evaluation } from './targets/target.js';
export type { ChainState, StepInfo, Kernel, KernelParams } from './mcmc/kernel.js';
export { mala } from './mcmc/mala.js';
