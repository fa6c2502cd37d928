/**
 * transportlab/diagnostics: convergence and sample-quality diagnostics. MCMC (autocorrelation,
 * rank-normalised split R̂, bulk/tail ESS, MCSE, summaries), importance weights (Kish ESS,
 * log-sum-exp, log Z with its error), and distances between samples (MMD, sliced W2,
 * histogram KL).
 * @module
 */
export { autocovariance, autocorrelation } from './autocorrelation.js';
export { rankNormalize, splitRhat, rhat, essBulk, essTail, essBulkAndTail, essMean, mcse } from './convergence.js';
export type { Chains } from './input.js';
export { summary, summaryTable, type SummaryRow } from './summary.js';
export { logSumExp, logMeanExp, normalizeLogWeights, normalizedWeights, kishEss, logZFromWeights, logZError, type LogZEstimate } from './weights.js';
export { mmd, type MmdOptions } from './mmd.js';
export { slicedWasserstein, type SlicedWassersteinOptions } from './wasserstein.js';
export { histogramKl, type HistogramKlOptions, type GridLogDensity } from './kl.js';
