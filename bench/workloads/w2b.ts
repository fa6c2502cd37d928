/**
 * W2b (WORKLOADS.md): MALA on GMM-40 with a hand-written analytic gradient, 4096 chains,
 * ε = 0.1, x0 ~ U(−40, 40)²: the library's `mala(gmm40())`, whose gradient is the target's fused
 * kernel (one pass per chain: log-sum-exp and responsibilities together).
 */
import { uniform, key } from '../../src/core/random.js';
import { gmm40 } from '../../src/targets/gmm40.js';
import { malaInstance, type Workload } from '../workload.js';

const n = 4096;

export default {
  id: 'W2b',
  title: 'MALA on GMM-40, 4096 chains, analytic gradient (fused kernel)',
  async setup() {
    return malaInstance(gmm40(), uniform(key(1), n * 2, -40, 40), n, 0.1);
  },
} satisfies Workload;
