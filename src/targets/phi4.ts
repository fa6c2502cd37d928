/**
 * The φ⁴ scalar lattice field theory in two dimensions on an L × L periodic lattice, in the form
 * of Albergo, Kanwar & Shanahan, "Flow-based generative models for Markov chain Monte Carlo in
 * lattice field theory", Phys. Rev. D 100, 034515 (2019):
 *
 *   S(φ) = Σ_x [ −2 Σ_μ φ_x φ_{x+μ̂} + (2D + m²) φ_x² + λ φ_x⁴ ],   D = 2,
 *   log p(φ) = −S(φ),
 *   −∂S/∂φ_x = 2 Σ_μ (φ_{x+μ̂} + φ_{x−μ̂}) − 2(2D + m²) φ_x − 4λ φ_x³.
 *
 * A field is a row of d = L² values, row-major (site x = (r, c) at index r·L + c).
 *
 * Fused host path: when L is a multiple of 4, a WebAssembly SIMD kernel generated for L (every
 * site of a field unrolled, 4 sites per vector along a row, periodic wrap by lane shuffles);
 * otherwise a plain loop over precomputed neighbour tables.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositiveInt } from '../core/errors.js';
import type { Target } from './target.js';
import { Code, instantiate, simdSupported, SIMD, V128, I32 } from './wasm-simd.js';

/** Options of {@link phi4}. */
export interface Phi4Options {
  /** Lattice side L (d = L²), default 16. */
  L?: number;
  /** Bare mass squared m² (any finite number), default −4. */
  m2?: number;
  /** Quartic coupling λ ≥ 0 (λ = 0 needs m² > 0), default 8. */
  lambda?: number;
}

/**
 * The 2-D φ⁴ target log p = −S (unnormalised; log Z unknown), with a TensorFlow.js log density
 * (periodic shifts by slicing and concatenation) and a fused host action and gradient (the
 * SIMD kernel when L is a multiple of 4, else a loop over precomputed neighbour tables).
 *
 * @throws ArgumentError for a non-integer or non-positive L, non-finite m², or λ < 0 (or λ = 0
 *   with m² ≤ 0, which is not normalisable).
 */
export function phi4(opts: Phi4Options = {}): Target {
  const { L = 16, m2 = -4, lambda = 8 } = opts;
  checkPositiveInt('L', L);
  if (typeof m2 !== 'number' || !Number.isFinite(m2)) throw new ArgumentError('m2', 'a finite number', m2);
  if (typeof lambda !== 'number' || !Number.isFinite(lambda) || lambda < 0) throw new ArgumentError('lambda', 'a finite number ≥ 0', lambda);
  if (lambda === 0 && !(m2 > 0)) throw new ArgumentError('m2', 'a number > 0 when lambda = 0 (otherwise the density is not normalisable)', m2);
  const d = L * L;
  const c2 = 4 + m2; // 2D + m², D = 2
  // right (x + ê_c) and down (x + ê_r) neighbours, and their inverses
  const right = new Int32Array(d);
  const left = new Int32Array(d);
  const down = new Int32Array(d);
  const up = new Int32Array(d);
  for (let r = 0; r < L; r++) {
    for (let c = 0; c < L; c++) {
      const x = r * L + c;
      right[x] = r * L + ((c + 1) % L);
      left[x] = r * L + ((c + L - 1) % L);
      down[x] = ((r + 1) % L) * L + c;
      up[x] = ((r + L - 1) % L) * L + c;
    }
  }

  const simd = simdSupported && L % 4 === 0 ? phi4Kernel(L, m2, lambda) : undefined;

  function logDensityAndGrad(phi: Float32Array, n: number, logp: Float32Array, grad: Float32Array): void {
    if (simd) return simd(phi, n, logp, grad);
    for (let i = 0, o = 0; i < n; i++, o += d) {
      let s = 0;
      for (let x = 0; x < d; x++) {
        const f = phi[o + x];
        const f2 = f * f;
        s += f * (lambda * f2 * f + c2 * f - 2 * (phi[o + right[x]] + phi[o + down[x]]));
        const nb = phi[o + right[x]] + phi[o + left[x]] + phi[o + down[x]] + phi[o + up[x]];
        grad[o + x] = 2 * nb - f * (2 * c2 + 4 * lambda * f2);
      }
      logp[i] = -s;
    }
  }

  function logDensityHost(phi: Float32Array, n: number, logp: Float32Array): void {
    if (simd) return simd(phi, n, logp, null);
    for (let i = 0, o = 0; i < n; i++, o += d) {
      let s = 0;
      for (let x = 0; x < d; x++) {
        const f = phi[o + x];
        s += f * (lambda * f * f * f + c2 * f - 2 * (phi[o + right[x]] + phi[o + down[x]]));
      }
      logp[i] = -s;
    }
  }

  function logDensity(x: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const n = x.shape[0];
      const f = tf.reshape(x, [n, L, L]);
      // f_{x+μ̂}: shift by one along rows and along columns, periodically
      const shift = (axis: 1 | 2) => (L === 1 ? f : tf.concat([tf.slice(f, axis === 1 ? [0, 1, 0] : [0, 0, 1], axis === 1 ? [n, L - 1, L] : [n, L, L - 1]), tf.slice(f, [0, 0, 0], axis === 1 ? [n, 1, L] : [n, L, 1])], axis));
      const f2 = tf.square(f);
      const kin = tf.mul(f, tf.add(shift(1), shift(2)));
      const s = tf.add(tf.add(tf.mul(kin, -2), tf.mul(f2, c2)), tf.mul(tf.square(f2), lambda));
      return tf.neg(tf.sum(tf.reshape(s, [n, d]), 1)) as tf.Tensor1D;
    });
  }

  return { name: 'phi4', dim: d, logDensity, logDensityAndGrad, logDensityHost };
}

/**
 * The SIMD action and gradient for L % 4 = 0: for each field, S = Σ_x φ_x (φ_x (λ φ_x² + 2D + m²)
 * − 2 (φ_{x+ê₁} + φ_{x+ê₂})) and −∂S/∂φ_x, computed 4 sites at a time in float32.
 */
function phi4Kernel(L: number, m2: number, lambda: number): (phi: Float32Array, n: number, logp: Float32Array, grad: Float32Array | null) => void {
  const d = L * L;
  const c2 = 4 + m2;
  const code = emitPhi4(L, lambda, c2);
  const kernel = instantiate(code, 1);
  let f32 = new Float32Array(kernel.memory.buffer);
  return (phi, n, logp, grad) => {
    const IN = 0;
    const G = IN + n * d * 4;
    const LP = G + n * d * 4;
    const end = LP + n * 4;
    if (end > kernel.memory.buffer.byteLength) {
      kernel.memory.grow(Math.ceil((end - kernel.memory.buffer.byteLength) / 65536));
      f32 = new Float32Array(kernel.memory.buffer);
    }
    f32.set(phi.subarray(0, n * d), IN / 4);
    kernel.run(n, IN, G, LP);
    for (let i = 0; i < n; i++) logp[i] = -f32[LP / 4 + i];
    if (grad) grad.set(f32.subarray(G / 4, G / 4 + n * d));
  };
}

/** Emits run(n, inPtr, gradPtr, actionPtr) for fields of L × L sites. */
function emitPhi4(L: number, lambda: number, c2: number): Code {
  const c = new Code(4);
  const [N, P, G, S] = [0, 1, 2, 3];
  const i = c.local(I32);
  const [sum, f, f2, rd, t, lam, cc2, lam4, cc2x2] = Array.from({ length: 9 }, () => c.local(V128));
  const { f32x4Add: add, f32x4Sub: sub, f32x4Mul: mul, load } = SIMD;
  c.f32x4(lambda).set(lam);
  c.f32x4(c2).set(cc2);
  c.f32x4(4 * lambda).set(lam4);
  c.f32x4(2 * c2).set(cc2x2);
  c.i32(0).set(i);
  c.block();
  c.get(N).i32Eqz().brIf(0);
  c.loop();
  c.f32x4(0).set(sum);
  const row = (r: number) => ((r + L) % L) * L * 4;
  for (let r = 0; r < L; r++) {
    for (let q = 0; q < L; q += 4) {
      const off = row(r) + q * 4;
      c.get(P).simd(load, off).set(f);
      // right neighbour + down neighbour
      if (q + 4 < L) c.get(P).simd(load, off + 4);
      else c.get(f).get(P).simd(load, row(r)).shuffle32([1, 2, 3, 4]);
      c.get(P).simd(load, row(r + 1) + q * 4).simd(add).set(rd);
      // action: φ (φ (λ φ² + c2) − 2 (right + down))
      c.get(f).get(f).simd(mul).tee(f2).get(lam).simd(mul).get(cc2).simd(add).get(f).simd(mul);
      c.get(rd).get(rd).simd(add).simd(sub).get(f).simd(mul).get(sum).simd(add).set(sum);
      // −∂S/∂φ = 2 (right + down + left + up) − φ (4λ φ² + 2 c2)
      c.get(G);
      c.get(rd);
      if (q > 0) c.get(P).simd(load, off - 4);
      else c.get(P).simd(load, row(r) + (L - 4) * 4).get(f).shuffle32([3, 4, 5, 6]);
      c.simd(add).get(P).simd(load, row(r - 1) + q * 4).simd(add).tee(t).get(t).simd(add);
      c.get(f2).get(lam4).simd(mul).get(cc2x2).simd(add).get(f).simd(mul).simd(sub);
      c.simd(SIMD.store, off);
    }
  }
  c.get(S);
  c.get(sum).lane(0).get(sum).lane(1).f32Add().get(sum).lane(2).f32Add().get(sum).lane(3).f32Add();
  c.f32Store(0);
  c.get(P).i32(4 * L * L).i32Add().set(P);
  c.get(G).i32(4 * L * L).i32Add().set(G);
  c.get(S).i32(4).i32Add().set(S);
  c.get(i).i32(1).i32Add().tee(i).get(N).i32LtU().brIf(0);
  c.end();
  c.end();
  return c;
}
