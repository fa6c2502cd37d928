/**
 * W5 (WORKLOADS.md): MALA on the Bayesian logistic-regression posterior of the breast-cancer
 * data (569 × 30, standardised with the sample standard deviation, intercept column first,
 * d = 31, prior N(0, I)), 1024 chains, ε = 1e−3, w0 ~ N(0, 0.1² I): the library's
 * `mala(logisticRegression(...))` with the fused log density and gradient (1 and 2 kernel
 * threads), and the literal W5 with the gradient by TensorFlow.js autodiff.
 */
import { normal, key } from '../../src/core/random.js';
import { logisticRegression } from '../../src/targets/logistic.js';
import { loadBreastCancer } from '../../src/data/breastCancer.js';
import type { Target } from '../../src/targets/target.js';
import { autodiffOnly, malaInstance, type Workload } from '../workload.js';

const n = 1024;

/** W5 with the logistic kernel on `threads` threads (chains split across worker threads). */
function w5(threads: number): Workload {
  return {
    id: threads === 1 ? 'W5' : `W5-${threads}T`,
    reference: threads === 1 ? undefined : 'W5',
    threads,
    title: `MALA on Bayesian logistic regression (d = 31), 1024 chains, library mala + fused SIMD gradient${threads > 1 ? `, kernel on ${threads} threads` : ''}`,
    setup: () => setup((target) => target, threads),
  };
}

/** The literal W5: the gradient by TensorFlow.js autodiff of the target's tensor log density. */
const autodiff: Workload = {
  id: 'W5-autodiff',
  reference: 'W5',
  title: 'MALA on Bayesian logistic regression (d = 31), 1024 chains, gradient by TF.js autodiff (literal W5)',
  setup: () => setup(autodiffOnly, 1),
};

async function setup(variant: (t: Target) => Target, threads: number) {
  const { X, y, n: rows, d } = loadBreastCancer();
  const target = variant(logisticRegression({ X, y, n: rows, d, threads }));
  const w0 = normal(key(1), n * d).map((v) => 0.1 * v);
  return malaInstance(target, w0, n, 1e-3);
}

export default [autodiff, w5(1), w5(2)];
