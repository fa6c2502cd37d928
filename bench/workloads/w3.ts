/**
 * W3 (WORKLOADS.md): one reverse-KL training step of a RealNVP on GMM-40, batch 1024. The flow
 * z → x is `flows.realNVP` on R²: 8 affine couplings, layer k keeping coordinate k mod 2, each
 * with its own conditioner MLP(1, 64, 64, 2) with SiLU (PyTorch-default initialisation),
 * s = tanh(h₀), τ = h₁, then the fixed output scale x ↦ 20·x; loss = mean(log q(x) − log p(x))
 * over 1024 reparameterised draws (drawn inside the call from the workload key folded with the
 * call index); Adam, lr 1e-3. Two rows: `W3`, the library path (`flows.reverseKL`: log p and
 * ∇ log p of GMM-40 from its fused host kernel in the backward pass), and `W3-autodiff` (log p
 * from the target's tensor ops, differentiated by TensorFlow.js), both compared with PyTorch's W3.
 */
import { ready } from '../../src/core/backend.js';
import { fold, key, split } from '../../src/core/random.js';
import { realNVP } from '../../src/flows/builders.js';
import { reverseKL } from '../../src/flows/train.js';
import { adam } from '../../src/nn/optim.js';
import { gmm40 } from '../../src/targets/gmm40.js';
import type { Workload } from '../workload.js';

const n = 1024;

/** W3 with log p of GMM-40 and its gradient from the target's tensor ops under autodiff (`autodiff`) or its fused host kernel. */
function w3(autodiff: boolean): Workload {
  return {
    id: autodiff ? 'W3-autodiff' : 'W3',
    reference: autodiff ? 'W3' : undefined,
    title: `RealNVP reverse KL on GMM-40, 8 couplings MLP 1-64-64-2, batch 1024, Adam step; ∇ log p by ${autodiff ? 'autodiff' : 'the fused GMM-40 kernel'}`,
    async setup() {
      await ready();
      const [kInit, kData] = split(key(3), 2);
      const flow = realNVP(kInit, 2, { layers: 8, hidden: [64, 64], activation: 'silu', finalScale: 1, outputScale: 20, name: 'w3' });
      const target = gmm40();
      const opt = adam(flow.params, { lr: 1e-3 });
      let calls = 0;
      let loss = NaN;
      return {
        call() {
          loss = opt.step(() => reverseKL(flow, target, fold(kData, calls++), n, autodiff));
        },
        sanity: () => ({ loss }),
        dispose() {
          opt.dispose();
          flow.dispose();
        },
      };
    },
  };
}

export default [w3(false), w3(true)];
