/**
 * transportlab/flows: normalizing flows — the bijector contract and its composition, planar and
 * radial flows, affine (RealNVP) and rational-quadratic spline couplings, MAF/IAF with a MADE
 * conditioner, Glow's ActNorm, invertible 1×1 convolution and squeeze, elementwise affine maps
 * and permutations; flows over a Gaussian base, and their training by forward/reverse KL.
 * @module
 */
export { chain, checkBatch, ColumnSelect, range, type Bijector, type Mapped } from './bijector.js';
export { elementwiseAffine, permutation, type ElementwiseAffineOptions } from './elementwise.js';
export { planar } from './planar.js';
export { radial } from './radial.js';
export { affineCoupling, coupling, affineTransform, alternatingMask, randomMask, type Conditioner, type CouplingOptions, type CouplingTransform, type CouplingTransformFactory } from './coupling.js';
export { splineCoupling, rqsTransform, type SplineOptions } from './spline.js';
export { made, type MadeOptions } from './made.js';
export { maf, iaf, type AutoregressiveOptions } from './autoregressive.js';
export { actNorm, invertibleConv1x1, squeeze, type ImageShape } from './glow.js';
export { Flow, type FlowOptions, type FlowJSON } from './flow.js';
export { realNVP, neuralSplineFlow, mafFlow, type ArchitectureOptions } from './builders.js';
export { trainFlow, forwardKL, reverseKL, logDensityOnce, gatherRows, type TrainOptions, type TrainResult } from './train.js';
