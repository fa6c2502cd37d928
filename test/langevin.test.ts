import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as random from '../src/core/random.js';
import { langevinLogRatios, langevinProposal } from '../src/mcmc/langevin.js';
import { normalLanes } from '../src/core/normals-simd.js';

/** log q(x | y) − log q(y | x) from its definition, the two squared norms in float64. */
function reference(x: Float32Array, gx: Float32Array, y: Float32Array, gy: Float32Array, r: number, d: number, eps: number, C?: Float32Array): number {
  let fwd = 0;
  let bwd = 0;
  for (let j = 0; j < d; j++) {
    const i = r * d + j;
    const c = C ? C[j] : 1;
    const a = y[i] - x[i] - eps * c * gx[i];
    const b = x[i] - y[i] - eps * c * gy[i];
    fwd += (a * a) / c;
    bwd += (b * b) / c;
  }
  return (fwd - bwd) / (4 * eps);
}

test('langevinLogRatios matches the definition (SIMD path for 4 | d, float64 path otherwise), and flags non-finite gradients', () => {
  for (const d of [256, 7]) {
    const n = 64;
    const eps = 1e-3;
    const [x, gx, y, gy] = [1, 2, 3, 4].map((s) => random.normal(random.key(s), n * d));
    for (let i = 0; i < n * d; i++) y[i] = x[i] + Math.sqrt(2 * eps) * y[i] + eps * gx[i];
    const C = random.uniform(random.key(5), d, 0.5, 2);
    for (const c of [undefined, C]) {
      const out = new Float32Array(n);
      langevinLogRatios(x, gx, y, gy, n, d, eps, c, out);
      for (let r = 0; r < n; r++) {
        const ref = reference(x, gx, y, gy, r, d, eps, c);
        // float32 sums of d terms of size ~|g|·√(2ε): error well below 1e-4 · (1 + |ref|)
        assert.ok(Math.abs(out[r] - ref) < 1e-4 * (1 + Math.abs(ref)), `d=${d} row ${r}: ${out[r]} vs ${ref}`);
      }
    }
    gy[3 * d + 1] = Infinity;
    gy[5 * d] = NaN;
    const out = new Float32Array(n);
    langevinLogRatios(x, gx, y, gy, n, d, eps, undefined, out);
    assert.ok(!Number.isFinite(out[3]) && !Number.isFinite(out[5]) && Number.isFinite(out[4]));
  }
});

test('langevinProposal: y = x + ε C g + √(2ε) C^{1/2} ξ with ξ from the stream or the bulk generator', () => {
  for (const d of [256, 7]) {
    const n = 32;
    const eps = 0.01;
    const x = random.normal(random.key(1), n * d);
    const g = random.normal(random.key(2), n * d);
    const C = random.uniform(random.key(5), d, 0.5, 2);
    for (const c of [undefined, C]) {
      for (const noise of [new random.Stream(random.key(6)), random.key(7)]) {
        const xi = new Float32Array(n * d);
        if (noise instanceof random.Stream) new random.Stream(random.key(6)).fillNormal(xi);
        else normalLanes(noise, n * d, xi);
        const y = new Float32Array(n * d);
        langevinProposal(noise, x, g, y, n, d, eps, c);
        for (let i = 0; i < n * d; i++) {
          const cj = c ? c[i % d] : 1;
          const want = x[i] + eps * cj * g[i] + Math.sqrt(2 * eps * cj) * xi[i];
          // float32 arithmetic: a few units in the last place of the largest term
          assert.ok(Math.abs(y[i] - want) < 1e-6 * (1 + Math.abs(x[i]) + Math.abs(xi[i])), `d=${d} i=${i}: ${y[i]} vs ${want}`);
        }
      }
    }
  }
});
