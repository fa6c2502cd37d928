/**
 * W2 (WORKLOADS.md): MALA on GMM-40, 4096 chains, ε = 0.1, x0 ~ U(−40, 40)². Two rows:
 * - `W2-autodiff`: the literal W2, ∇ log p by TensorFlow.js autodiff of the target's tensor
 *   log density (the fused kernel removed, so `evaluate()` takes the tf.grad path);
 * - `W2-fused`: the library's production path, `mala(gmm40())`, whose `evaluate()` uses the
 *   target's fused analytic log density and gradient. Compared with PyTorch's W2 (autodiff).
 */
import { uniform, key } from '../../src/core/random.js';
import { gmm40 } from '../../src/targets/gmm40.js';
import { autodiffOnly, malaInstance, type Workload } from '../workload.js';

const n = 4096;

const autodiff: Workload = {
  id: 'W2-autodiff',
  reference: 'W2',
  title: 'MALA on GMM-40, 4096 chains, gradient by TF.js autodiff (literal W2)',
  async setup() {
    return malaInstance(autodiffOnly(gmm40()), uniform(key(1), n * 2, -40, 40), n, 0.1);
  },
};

const fused: Workload = {
  id: 'W2-fused',
  reference: 'W2',
  title: 'MALA on GMM-40, 4096 chains, library path mala(gmm40()): fused analytic gradient',
  async setup() {
    return malaInstance(gmm40(), uniform(key(1), n * 2, -40, 40), n, 0.1);
  },
};

export default [autodiff, fused];
