/**
 * transportlab/nn: the small networks every generative model trains — multilayer perceptrons
 * with a fast dense layer for the wasm backend, time embeddings, Adam and SGD, parameters as
 * JSON.
 * @module
 */
export { mlp, type MLP, type Activation } from './mlp.js';
export { ACTIVATIONS, activate } from './activations.js';
export { dense } from './dense.js';
export { transpose2d } from './wasmKernels.js';
export { adam, sgd, type Optimizer } from './optim.js';
export { paramsToJSON, loadParamsJSON, type ParamJSON } from './params.js';
export { timeEmbedding } from './embedding.js';
