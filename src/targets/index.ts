/**
 * transportlab/targets: the Target contract, the built-in targets and their registry, and
 * loading user targets from files.
 * @module
 */
export * from './target.js';
export { gaussian, illConditionedGaussian, type ExactTarget, type GaussianOptions, type IllConditionedOptions } from './gaussian.js';
export { funnel, type FunnelOptions } from './funnel.js';
export { studentTMixture, type StudentTMixtureOptions } from './studentt.js';
export { banana, type BananaOptions } from './banana.js';
export {
  sampleCheckerboard,
  checkerboard,
  sampleTwoMoons,
  sampleEightGaussians,
  eightGaussiansMeans,
  sampleRings,
  type TwoMoonsOptions,
  type EightGaussiansOptions,
  type RingsOptions,
} from './toy2d.js';
export { gaussianMixture, gmm40, GMM40_SCALE, type GaussianMixtureOptions } from './gmm40.js';
export { phi4, type Phi4Options } from './phi4.js';
export { logisticRegression, type LogisticRegressionOptions } from './logistic.js';
export { targetNames, describeTargets, makeTarget } from './registry.js';
export { loadTargetFile } from './load.js';
export { fusedPaths, type RowDensity } from './fused.js';
