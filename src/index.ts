/**
 * transportlab: transport-based generative modelling and sampling in TypeScript.
 *
 * The foundation (backend, random keys, loops, MCMC, SMC, diagnostics) is exported flat; the
 * larger areas are namespaces: `targets`, `data`, `nn`, `flows`, `transport`, `interpolants`. The widgets
 * (live plots drawn in a Jupyter front-end through the `transportlab` kernel) are flat too, so a
 * run reads `run(key, kernel, x0, n, { observers: [marginals(), essOverTime()] })`.
 * @packageDocumentation
 */
export { tf, ready, backendInfo, BACKENDS, type BackendName } from './core/backend.js';
export * as random from './core/random.js';
export { Key } from './core/random.js';
export { ArgumentError } from './core/errors.js';
export * from './core/loop.js';
export { defineTarget, evaluate, evaluateLogDensity, type Target, type TargetSpec, type Evaluation } from './targets/target.js';
export * from './mcmc/index.js';
export * from './diagnostics/index.js';
export * from './smc/index.js';
export * as targets from './targets/index.js';
export * as data from './data/index.js';
export * as nn from './nn/index.js';
export * as flows from './flows/index.js';
export * as transport from './transport/index.js';
export * as interpolants from './interpolants/index.js';
export * from './widgets/index.js';
