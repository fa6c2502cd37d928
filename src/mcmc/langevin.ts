/**
 * The Langevin proposal shared by MALA and ULA: one Euler–Maruyama step of the overdamped
 * Langevin diffusion dX = C ∇log π(X) dt + √2 C^{1/2} dW preconditioned by a diagonal C = M⁻¹,
 *
 *   y = x + ε C ∇log π(x) + √(2ε) C^{1/2} ξ,   ξ ~ N(0, I).
 *
 * (Roberts & Tweedie, "Exponential convergence of Langevin distributions and their discrete
 * approximations", Bernoulli 1996.)
 *
 * @module
 */
import { Stream, type Key } from '../core/random.js';
import { normalLanes } from '../core/normals-simd.js';
import { Code, instantiate, SIMD, simdSupported, V128, I32, type SimdKernel } from '../targets/wasm-simd.js';

/**
 * Writes the Langevin proposal of n chains ([n, d] row-major) into `y`, drawing the n·d
 * normals ξ in row-major order from `noise`: a {@link Stream}, or a key for the four-lane bulk
 * generator of ../core/normals-simd.ts (about twice as fast). `C` is the diagonal preconditioner (identity when absent).
 */
export function langevinProposal(
  noise: Stream | Key,
  x: Float32Array,
  gx: Float32Array,
  y: Float32Array,
  n: number,
  d: number,
  eps: number,
  C: Float32Array | undefined,
): void {
  const s2e = Math.sqrt(2 * eps);
  if (noise instanceof Stream) noise.fillNormal(y, 0, n * d);
  else normalLanes(noise, n * d, y);
  // ξ first, in row-major order, then y = x + ε C g + √(2ε) C^{1/2} ξ in place
  if (simdSupported && d % 4 === 0) {
    proposalKernel(n, d).run(x, gx, y, eps, C);
    return;
  }
  if (!C) {
    for (let i = 0; i < n * d; i++) y[i] = x[i] + eps * gx[i] + s2e * y[i];
    return;
  }
  for (let r = 0, i = 0; r < n; r++) {
    for (let j = 0; j < d; j++, i++) {
      const c = C[j];
      y[i] = x[i] + eps * c * gx[i] + s2e * Math.sqrt(c) * y[i];
    }
  }
}

/** A kernel generated for the shape n × d of its last call, with its memory as a Float32Array. */
interface ShapedKernel {
  shape: string;
  k: SimdKernel;
  mem: Float32Array;
}

/** Returns `cache` when it was built for n × d, else a new kernel from `build(n, d)` over `bytes(n, d)` of memory. */
function shaped(cache: ShapedKernel | undefined, n: number, d: number, bytes: number, build: () => Code): ShapedKernel {
  const shape = `${n}x${d}`;
  if (cache?.shape === shape) return cache;
  const k = instantiate(build(), Math.ceil(bytes / 65536));
  return { shape, k, mem: new Float32Array(k.memory.buffer) };
}

let lastProposal: ShapedKernel | undefined;

/**
 * y = x + a ⊙ g + b ⊙ ξ per row in WebAssembly SIMD (4 | d), with a = ε C and b = √(2ε) C^{1/2}
 * per coordinate. Memory: a, b, x, g, ξ (overwritten by y).
 */
function proposalKernel(n: number, d: number): { run(x: Float32Array, gx: Float32Array, y: Float32Array, eps: number, C: Float32Array | undefined): void } {
  const nd4 = 4 * n * d;
  const A = 0;
  const B = 4 * d;
  const X = 8 * d;
  const G = X + nd4;
  const Y = G + nd4;
  lastProposal = shaped(lastProposal, n, d, Y + nd4, () => {
    const c = new Code(0);
    const [row, j, a] = [c.local(I32), c.local(I32), c.local(I32)];
    const { load, store, f32x4Add: add, f32x4Mul: mul } = SIMD;
    c.i32(0).set(row);
    c.block().loop();
    c.get(row).i32(nd4);
    c.bytes.push(0x4f); // i32.ge_u
    c.brIf(1);
    c.i32(0).set(j);
    c.block().loop();
    c.get(j).i32(4 * d);
    c.bytes.push(0x4f);
    c.brIf(1);
    c.get(row).get(j).i32Add().tee(a);
    c.get(a).simd(load, X);
    c.get(j).simd(load, A).get(a).simd(load, G).simd(mul).simd(add);
    c.get(j).simd(load, B).get(a).simd(load, Y).simd(mul).simd(add);
    c.simd(store, Y);
    c.get(j).i32(16).i32Add().set(j);
    c.bytes.push(0x0c, 0); // br 0
    c.end().end();
    c.get(row).i32(4 * d).i32Add().set(row);
    c.bytes.push(0x0c, 0);
    c.end().end();
    return c;
  });
  const { k, mem } = lastProposal;
  return {
    run(x, gx, y, eps, C) {
      const s2e = Math.sqrt(2 * eps);
      for (let j = 0; j < d; j++) {
        const cj = C ? C[j] : 1;
        mem[A / 4 + j] = eps * cj;
        mem[B / 4 + j] = s2e * Math.sqrt(cj);
      }
      mem.set(x.subarray(0, n * d), X / 4);
      mem.set(gx.subarray(0, n * d), G / 4);
      mem.set(y.subarray(0, n * d), Y / 4);
      k.run();
      y.set(mem.subarray(Y / 4, Y / 4 + n * d));
    },
  };
}

/**
 * log q(x | y) − log q(y | x) of the Langevin proposal for each of the n chains, into `out`,
 * where log q(y | x) = −‖y − x − ε C ∇log π(x)‖²_{C⁻¹} / (4ε). With a = y − x − ε C g_x and
 * b = x − y − ε C g_y, (a² − b²)/c = (a − b)(a + b)/c = −ε (g_x + g_y)(2(y − x) − ε c (g_x − g_y))
 * per coordinate, so the ratio is −¼ Σ_j (g_x + g_y)_j (2(y − x)_j − ε c_j (g_x − g_y)_j):
 * one sum without the cancellation of two nearly equal squared norms. Non-finite inputs give a
 * non-finite result. Where WebAssembly SIMD runs and 4 divides d, the sums are taken in float32
 * with four partial sums per row; otherwise in float64.
 */
export function langevinLogRatios(
  x: Float32Array,
  gx: Float32Array,
  y: Float32Array,
  gy: Float32Array,
  n: number,
  d: number,
  eps: number,
  C: Float32Array | undefined,
  out: Float32Array,
): void {
  if (simdSupported && d % 4 === 0) {
    ratioKernel(n, d).run(x, gx, y, gy, eps, C, out);
    return;
  }
  for (let r = 0; r < n; r++) {
    let s = 0;
    const i0 = r * d;
    if (C) {
      for (let j = 0, i = i0; j < d; j++, i++) {
        const gxi = gx[i];
        const gyi = gy[i];
        s += (gxi + gyi) * (2 * (y[i] - x[i]) - eps * C[j] * (gxi - gyi));
      }
    } else {
      for (let i = i0, end = i0 + d; i < end; i++) {
        const gxi = gx[i];
        const gyi = gy[i];
        s += (gxi + gyi) * (2 * (y[i] - x[i]) - eps * (gxi - gyi));
      }
    }
    out[r] = -0.25 * s;
  }
}

let lastRatio: ShapedKernel | undefined;

/**
 * The SIMD sums of {@link langevinLogRatios} for n chains of dimension d (4 | d), generated for
 * the shape (the last one kept). Memory: ε splatted, C (ones when absent), x, g_x, y, g_y, out.
 */
function ratioKernel(n: number, d: number): { run(x: Float32Array, gx: Float32Array, y: Float32Array, gy: Float32Array, eps: number, C: Float32Array | undefined, out: Float32Array): void } {
  const nd4 = 4 * n * d;
  const CC = 16;
  const X = CC + 4 * d;
  const GX = X + nd4;
  const Y = GX + nd4;
  const GY = Y + nd4;
  const OUT = GY + nd4;
  lastRatio = shaped(lastRatio, n, d, OUT + 4 * n, () => {
    const c = new Code(0);
    const [acc, gxv, gyv] = [c.local(V128), c.local(V128), c.local(V128)];
    const [row, j, a, o] = [c.local(I32), c.local(I32), c.local(I32), c.local(I32)];
    const { load, f32x4Add: add, f32x4Sub: sub, f32x4Mul: mul } = SIMD;
    c.i32(0).set(row);
    c.i32(OUT).set(o);
    c.block().loop();
    c.get(row).i32(nd4);
    c.bytes.push(0x4f); // i32.ge_u
    c.brIf(1);
    c.f32x4(0).set(acc);
    c.i32(0).set(j);
    c.block().loop();
    c.get(j).i32(4 * d);
    c.bytes.push(0x4f);
    c.brIf(1);
    c.get(row).get(j).i32Add().set(a);
    c.get(a).simd(load, GX).set(gxv);
    c.get(a).simd(load, GY).set(gyv);
    // acc += (gx + gy)(2(y − x) − ε c (gx − gy))
    c.get(acc).get(gxv).get(gyv).simd(add);
    c.get(a).simd(load, Y).get(a).simd(load, X).simd(sub).f32x4(2).simd(mul);
    c.i32(0).simd(load, 0).get(j).simd(load, CC).simd(mul).get(gxv).get(gyv).simd(sub).simd(mul).simd(sub);
    c.simd(mul).simd(add).set(acc);
    c.get(j).i32(16).i32Add().set(j);
    c.bytes.push(0x0c, 0); // br 0
    c.end().end();
    c.get(o).get(acc).lane(0).get(acc).lane(1).f32Add().get(acc).lane(2).get(acc).lane(3).f32Add().f32Add();
    c.f32x4(-0.25).lane(0);
    c.bytes.push(0x94); // f32.mul
    c.f32Store(0);
    c.get(o).i32(4).i32Add().set(o);
    c.get(row).i32(4 * d).i32Add().set(row);
    c.bytes.push(0x0c, 0);
    c.end().end();
    return c;
  });
  const { k, mem } = lastRatio;
  return {
    run(x, gx, y, gy, eps, C, out) {
      mem.fill(eps, 0, 4);
      if (C) mem.set(C, CC / 4);
      else mem.fill(1, CC / 4, CC / 4 + d);
      mem.set(x.subarray(0, n * d), X / 4);
      mem.set(gx.subarray(0, n * d), GX / 4);
      mem.set(y.subarray(0, n * d), Y / 4);
      mem.set(gy.subarray(0, n * d), GY / 4);
      k.run();
      out.set(mem.subarray(OUT / 4, OUT / 4 + n));
    },
  };
}
