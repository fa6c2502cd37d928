/**
 * W6 (WORKLOADS.md): MALA on the 2-D φ⁴ lattice, L = 16 (d = 256), m² = −4, λ = 8, 1024
 * chains, ε = 1e−3, φ0 ~ N(0, 0.5² I): the library's `mala(phi4())` with the fused action and
 * gradient, and the literal W6 with the gradient by TensorFlow.js autodiff.
 */
import { normal, key } from '../../src/core/random.js';
import { phi4 } from '../../src/targets/phi4.js';
import type { Target } from '../../src/targets/target.js';
import { autodiffOnly, malaInstance, type Workload } from '../workload.js';

const n = 1024;

async function setup(variant: (t: Target) => Target) {
  const target = variant(phi4({ L: 16, m2: -4, lambda: 8 }));
  const x0 = normal(key(1), n * target.dim).map((v) => 0.5 * v);
  return malaInstance(target, x0, n, 1e-3);
}

const fused: Workload = {
  id: 'W6',
  title: 'MALA on phi^4 16x16, 1024 chains, library mala + fused SIMD action gradient',
  setup: () => setup((t) => t),
};

/** The literal W6: the gradient by TensorFlow.js autodiff of the tensor action. */
const autodiff: Workload = {
  id: 'W6-autodiff',
  reference: 'W6',
  title: 'MALA on phi^4 16x16, 1024 chains, gradient by TF.js autodiff (literal W6)',
  setup: () => setup(autodiffOnly),
};

export default [autodiff, fused];
