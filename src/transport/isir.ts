/**
 * The iterated sampling-importance-resampling kernel i-SIR with a flow proposal (Andrieu, Lee &
 * Vihola 2018; as the global move of Ex²MCMC: Samsonov, Lagutin, Gabrié, Durmus, Naumov &
 * Moulines, "Local-global MCMC kernels: the best of both worlds", NeurIPS 2022). From the current
 * x = y_1, draw y_2 … y_N ~ q independently, and move to y_J with
 *
 *   P(J = j) = w_j / Σ_k w_k,   w_k = π(y_k) / q(y_k),
 *
 * which leaves π invariant for any N ≥ 2 (N = 2 is Barker's form of independent MH). Recorded:
 * `acceptProb` = 1 − w_1/Σ w (the probability of moving), `accepted` = 1 where J ≠ 1.
 * log q(x) is recomputed every step (the flow may be trained between steps); the step size of
 * `params` is not used.
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';
import { categorical } from '../core/random.js';
import type { Flow } from '../flows/flow.js';
import { emptyInfo, type Kernel } from '../mcmc/kernel.js';
import type { Target } from '../targets/target.js';
import { flowKernel, logWeight, type GlobalKernelOptions } from './proposals.js';

/** Options of {@link flowISIR}. */
export interface ISIROptions extends GlobalKernelOptions {
  /** The number N ≥ 2 of candidates, the current state included (default 10). */
  proposals?: number;
}

/** The i-SIR kernel for `target` with N − 1 fresh flow proposals per chain and step. */
export function flowISIR(target: Target, flow: Flow, opts: ISIROptions = {}): Kernel {
  const N = opts.proposals ?? 10;
  if (!(Number.isInteger(N) && N >= 2)) throw new ArgumentError('proposals', 'an integer ≥ 2 (the current state and at least one proposal)', N);
  const d = target.dim;
  const m = N - 1;
  return flowKernel('flowISIR', target, flow, opts, m, (kc, state, p, qx) => {
    const { n } = state;
    const logits = new Float64Array(n * N);
    for (let r = 0; r < n; r++) {
      logits[r * N] = logWeight(state.logDensity[r], qx[r]);
      for (let j = 0; j < m; j++) logits[r * N + 1 + j] = logWeight(p.logP[r * m + j], p.logQ[r * m + j]);
      // a chain whose candidates all have zero weight stays put
      if (logits.subarray(r * N, (r + 1) * N).every((v) => v === -Infinity)) logits[r * N] = 0;
    }
    const pick = categorical(kc, logits, n);
    const info = emptyInfo(n);
    for (let r = 0; r < n; r++) {
      const row = logits.subarray(r * N, (r + 1) * N);
      const mx = Math.max(...row);
      let tot = 0;
      for (const v of row) tot += Math.exp(v - mx);
      info.acceptProb[r] = 1 - Math.exp(row[0] - mx) / tot;
      if (pick[r] > 0) {
        info.accepted[r] = 1;
        const i = r * m + pick[r] - 1;
        state.position.set(p.y.subarray(i * d, (i + 1) * d), r * d);
        state.logDensity[r] = p.logP[i];
        if (p.grad) state.grad?.set(p.grad.subarray(i * d, (i + 1) * d), r * d);
      }
    }
    return info;
  });
}
