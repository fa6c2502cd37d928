/**
 * W6 (WORKLOADS.md): MALA on the 2-D φ⁴ lattice, L = 16 (d = 256), m² = −4, λ = 8, 1024
 * chains, ε = 1e−3, φ0 ~ N(0, 0.5² I): the library's `mala(phi4())` with the fused action and
 * gradient.
 */
import { normal, key } from '../../src/core/random.js';
import { phi4 } from '../../src/targets/phi4.js';
import { malaInstance, type Workload } from '../workload.js';

const n = 1024;

export default {
  id: 'W6',
  title: 'MALA on phi^4 16x16, 1024 chains, library mala + fused action gradient',
  async setup() {
    const target = phi4({ L: 16, m2: -4, lambda: 8 });
    const x0 = normal(key(1), n * target.dim).map((v) => 0.5 * v);
    return malaInstance(target, x0, n, 1e-3);
  },
} satisfies Workload;
