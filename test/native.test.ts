import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ready, tf } from '../src/core/backend.js';
import { ArgumentError } from '../src/core/errors.js';
import { nativeBlas, nativeBlasThreads, setNativeBlasThreads } from '../src/core/native.js';
import * as random from '../src/core/random.js';
import { adam, dense, mlp } from '../src/nn/index.js';
import { activationImpl } from '../src/nn/activations.js';
import { nativeMatMul, nativeSiluGrad, onNativeWasm, sumRows } from '../src/nn/wasmKernels.js';
import { kernelsRun, perLayerMlp } from './helpers.js';

await ready();

const ADDON = fileURLToPath(new URL('../build/native/transportlab_blas.node', import.meta.url));
const disabled = process.env.TRANSPORTLAB_NATIVE === '0';
const blas = nativeBlas();
const U = 2 ** -24; // float32 unit roundoff

/** A row-major [rows, cols] matrix of standard normals stored with row stride ld ≥ cols (padding NaN). */
function matrix(seed: number, rows: number, cols: number, ld = cols): Float32Array {
  const v = random.normal(random.key(seed), rows * cols);
  const out = new Float32Array(rows * ld).fill(NaN);
  for (let i = 0; i < rows; i++) out.set(v.subarray(i * cols, (i + 1) * cols), i * ld);
  return out;
}

/**
 * Checks C = alpha op(A) op(B) + beta C0 entry by entry against float64 sums, within the
 * float32 error bound of a length-k dot product, (k + 2) u Σ |terms|.
 */
function checkGemm(tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number, beta: number, pad: number, C: Float32Array, A: Float32Array, B: Float32Array, C0: Float32Array): void {
  const [lda, ldb, ldc] = [(tA ? m : k) + pad, (tB ? k : n) + pad, n + pad];
  const a = (i: number, q: number) => (tA ? A[q * lda + i] : A[i * lda + q]);
  const b = (q: number, j: number) => (tB ? B[j * ldb + q] : B[q * ldb + j]);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let abs = 0;
      for (let q = 0; q < k; q++) {
        s += a(i, q) * b(q, j);
        abs += Math.abs(a(i, q) * b(q, j));
      }
      const ref = alpha * s + beta * C0[i * ldc + j];
      const bound = (k + 2) * U * (Math.abs(alpha) * abs + Math.abs(beta * C0[i * ldc + j])) + 1e-30;
      assert.ok(Math.abs(C[i * ldc + j] - ref) <= bound, `C[${i},${j}] = ${C[i * ldc + j]} vs ${ref} (tA ${tA}, tB ${tB}, ${m}x${n}x${k})`);
    }
    for (let j = n; j < ldc; j++) assert.ok(Number.isNaN(C[i * ldc + j]), 'padding of C untouched');
  }
}

test('the addon loads exactly when it was built and not disabled; it reports its OpenBLAS core and 1 thread by default', () => {
  assert.equal(blas !== undefined, existsSync(ADDON) && !disabled);
  if (blas === undefined) return;
  assert.match(blas.config, /OpenBLAS/);
  assert.ok(blas.corename.length > 0);
  assert.equal(nativeBlasThreads(), Number(process.env.TRANSPORTLAB_BLAS_THREADS || 1));
  assert.equal(onNativeWasm(), tf.getBackend() === 'wasm');
  assert.throws(() => setNativeBlasThreads(0), ArgumentError);
  assert.throws(() => setNativeBlasThreads(1.5), ArgumentError);
});

test('sgemm: every transpose combination, odd shapes, row strides, alpha and beta, against float64 sums', () => {
  if (blas === undefined) return;
  let seed = 1;
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      for (const [m, n, k] of [[1, 1, 1], [7, 13, 5], [37, 3, 129], [65, 33, 17], [2, 300, 1]]) {
        for (const [alpha, beta, pad] of [[1, 0, 0], [-0.5, 1.5, 3]]) {
          const A = matrix(seed++, tA ? k : m, tA ? m : k, (tA ? m : k) + pad);
          const B = matrix(seed++, tB ? n : k, tB ? k : n, (tB ? k : n) + pad);
          const C0 = matrix(seed++, m, n, n + pad);
          const C = C0.slice();
          blas.sgemm(tA, tB, m, n, k, alpha, A, (tA ? m : k) + pad, B, (tB ? k : n) + pad, beta, C, n + pad);
          checkGemm(tA, tB, m, n, k, alpha, beta, pad, C, A, B, C0);
        }
      }
    }
  }
});

test('sgemm: identical results run to run and for 1 and 2 OpenBLAS threads', () => {
  if (blas === undefined) return;
  const [m, n, k] = [515, 257, 300];
  const A = matrix(11, k, m);
  const B = matrix(12, k, n);
  const run = () => {
    const C = new Float32Array(m * n);
    blas.sgemm(true, false, m, n, k, 1, A, m, B, n, 0, C, n);
    return C;
  };
  const first = run();
  assert.deepEqual(run(), first);
  const threads = nativeBlasThreads()!;
  setNativeBlasThreads(2);
  try {
    assert.equal(nativeBlasThreads(), 2);
    assert.deepEqual(run(), first);
  } finally {
    setNativeBlasThreads(threads);
  }
});

test('the addon rejects short arrays, overlapping output, non-Float32Array and bad dimensions instead of touching memory outside its views', () => {
  if (blas === undefined) return;
  const heap = new Float32Array(64);
  const A = heap.subarray(0, 12); // [3, 4]
  const B = heap.subarray(12, 32); // [4, 5]
  const C = heap.subarray(32, 47); // [3, 5]
  blas.sgemm(false, false, 3, 5, 4, 1, A, 4, B, 5, 0, C, 5);
  assert.throws(() => blas.sgemm(false, false, 3, 5, 4, 1, A.subarray(0, 11), 4, B, 5, 0, C, 5), /A is too short/);
  assert.throws(() => blas.sgemm(false, true, 3, 5, 4, 1, A, 4, B.subarray(0, 19), 4, 0, C, 5), /B is too short/);
  assert.throws(() => blas.sgemm(false, false, 3, 5, 4, 1, A, 4, B, 5, 0, C, 4), /C is too short/);
  assert.throws(() => blas.sgemm(false, false, 3, 5, 4, 1, A, 4, B, 5, 0, heap.subarray(30, 45), 5), /overlaps/);
  assert.throws(() => blas.sgemm(false, false, 3, 5, 4, 1, new Float64Array(12) as unknown as Float32Array, 4, B, 5, 0, C, 5), TypeError);
  assert.throws(() => blas.sgemm(false, false, -3, 5, 4, 1, A, 4, B, 5, 0, C, 5), RangeError);
  assert.throws(() => blas.sgemm(false, false, 3.5, 5, 4, 1, A, 4, B, 5, 0, C, 5), RangeError);
  assert.throws(() => blas.sumRows(A, 5, new Float32Array(5)), RangeError);
  assert.throws(() => blas.fillRows(new Float32Array(5), new Float32Array(12)), RangeError);
});

test('native kernels on the wasm heap: x W + b, du Wᵀ, xᵀ du and column sums equal the wasm products within float32 error', () => {
  if (!onNativeWasm()) return;
  for (const [n, p, q] of [[37, 5, 7], [300, 33, 65], [1, 1, 1], [129, 3, 256]]) {
    tf.tidy(() => {
      const x = tf.tensor2d(random.normal(random.key(n), n * p), [n, p]);
      const W = tf.tensor2d(random.normal(random.key(p), p * q), [p, q]);
      const b = tf.tensor1d(random.normal(random.key(q), q));
      const du = tf.tensor2d(random.normal(random.key(n + q), n * q), [n, q]);
      const close = (a: tf.Tensor, ref: tf.Tensor, k: number, what: string) => {
        const bound = (k + 2) * U * 8 * Math.sqrt(k); // |terms| are products of standard normals
        const err = tf.max(tf.abs(tf.sub(a, ref))).dataSync()[0];
        assert.deepEqual(a.shape, ref.shape, what);
        assert.ok(err <= bound * Math.max(1, tf.max(tf.abs(ref)).dataSync()[0]), `${what} [${n}, ${p}, ${q}]: ${err}`);
      };
      close(nativeMatMul(x, W, false, false, b), tf.add(tf.matMul(x, W), b), p, 'x W + b');
      close(nativeMatMul(x, W, false, false), tf.matMul(x, W), p, 'x W');
      close(nativeMatMul(du, W, false, true), tf.matMul(du, W, false, true), q, 'du Wᵀ');
      close(nativeMatMul(x, du, true, false), tf.matMul(x, du, true, false), n, 'xᵀ du');
      const duT = tf.transpose(du);
      close(nativeMatMul(x, duT, true, true), tf.matMul(x, duT, true, true), n, 'xᵀ (duᵀ)ᵀ');
      close(sumRows(du), tf.sum(du, 0), n, '1ᵀ du');
    });
  }
});

test('the native SiLU backward pass is bit-identical to the tensor ops of activations.ts, also at ±0, ±∞, NaN and extremes; the in-place kernels check their arguments', () => {
  if (!onNativeWasm()) return;
  tf.tidy(() => {
    const special = [0, -0, Infinity, -Infinity, NaN, 88, -88, 1e-30, -1e-30, 3e38];
    const u = tf.tensor2d([...special, ...random.normal(random.key(21), 4 * 300 - special.length).map((v) => 6 * v)], [4, 300]);
    const dy = tf.tensor2d(random.normal(random.key(22), 4 * 300), [4, 300]);
    const silu = activationImpl('silu');
    const { saved } = silu.forward(u);
    const ref = silu.backward(dy, saved).dataSync();
    const got = nativeSiluGrad(dy, saved[0], saved[1]).dataSync();
    for (let i = 0; i < ref.length; i++) assert.ok(Object.is(got[i], ref[i]), `entry ${i}: ${got[i]} vs ${ref[i]}`);
  });
  if (blas === undefined) return;
  const v = new Float32Array(8);
  assert.throws(() => blas.siluBackward(v, v.subarray(0, 7), v, new Float32Array(8)), /same length/);
  assert.throws(() => blas.siluBackward(v, v, v, v), /overlaps/);
  const b = new Float32Array(4);
  assert.throws(() => blas.siluInPlace(v, b, v.subarray(0, 7)), /same length/);
  assert.throws(() => blas.siluInPlace(v, new Float32Array(3), new Float32Array(8)), /multiple/);
  assert.throws(() => blas.siluInPlace(v.subarray(0, 4), b, v.subarray(2, 6)), /overlap/);
  // the bias is added to every row before the SiLU: silu(u + b) = silu(0) = 0 and silu(1 − 1) = 0
  const u = Float32Array.from([1, 2, -3, 4, 1, 2, -3, 4]);
  const d = new Float32Array(8);
  blas.siluInPlace(u, Float32Array.from([-1, -2, 3, -4]), d);
  assert.deepEqual([...u], [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...d], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  assert.throws(() => blas.multiplyColumnSums(v, new Float32Array(7), new Float32Array(4)), /same length/);
  assert.throws(() => blas.multiplyColumnSums(v, new Float32Array(8), new Float32Array(3)), /multiple/);
  assert.throws(() => blas.multiplyColumnSums(v, v, new Float32Array(4)), /overlap/);
  // [2, 4] ⊙ [2, 4]: the products, and their column sums in double precision, rounded once
  const a = Float32Array.from([1.5, -2, 0, 3e38, 1e8, 0.1, 5, 1]);
  const sums = new Float32Array(4);
  blas.multiplyColumnSums(a, Float32Array.from([2, 0.1, -1, 10, 1, 3, 0, 1]), sums);
  const p = [3, Math.fround(-2 * Math.fround(0.1)), -0, Infinity, 1e8, Math.fround(Math.fround(0.1) * 3), 0, 1];
  assert.deepEqual([...a], p);
  assert.deepEqual([...sums], [Math.fround(3 + 1e8), Math.fround(p[1] + p[5]), 0, Infinity]);
});

test('native adamUpdate gives the bits of the double-precision Adam rule of optim.ts (unrounded m, v in the update), and checks its arguments', () => {
  if (blas === undefined) return;
  const n = 1000;
  const p = Float32Array.from(random.normal(random.key(31), n));
  const g = Float32Array.from(random.normal(random.key(32), n), (x, j) => (j % 97 === 0 ? 0 : x * 10 ** ((j % 7) - 3)));
  const m = Float32Array.from(random.normal(random.key(33), n), (x) => 0.1 * x);
  const v = Float32Array.from(random.normal(random.key(34), n), (x) => 0.01 * x * x);
  const [scale, b1, b2, lr, eps, decay, t] = [0.7, 0.9, 0.999, 1e-3, 1e-8, 0.01, 3];
  const [stepSize, sqrtBc2] = [lr / (1 - b1 ** t), Math.sqrt(1 - b2 ** t)];
  const [mRef, vRef, outRef] = [m.slice(), v.slice(), new Float32Array(n)];
  for (let j = 0; j < n; j++) {
    const gj = g[j] * scale + decay * p[j];
    const mj = (mRef[j] = b1 * mRef[j] + (1 - b1) * gj);
    const vj = (vRef[j] = b2 * vRef[j] + (1 - b2) * gj * gj);
    outRef[j] = p[j] - (stepSize * mj) / (Math.sqrt(vj) / sqrtBc2 + eps);
  }
  const out = new Float32Array(n);
  blas.adamUpdate(out, p, g, m, v, scale, b1, b2, stepSize, sqrtBc2, eps, decay);
  assert.deepEqual([out, m, v], [outRef, mRef, vRef]);
  assert.throws(() => blas.adamUpdate(out, p, g, m.subarray(1), v, 1, b1, b2, 1, 1, eps, 0), /same length/);
  assert.throws(() => blas.adamUpdate(m, p, g, m, v, 1, b1, b2, 1, 1, eps, 0), /overlaps/);
  assert.throws(() => blas.adamUpdate(out, p, g, m, v, 1, b1, b2, 1, 1, 'x' as unknown as number, 0), TypeError);
});

test('the dense layer runs its three products and the SiLU backward natively (no transposes); a gradient w.r.t. x alone skips dW', async () => {
  const { net, x, perLayer, full } = await perLayerMlp();
  const native = onNativeWasm();
  assert.equal(full.some((k) => k.startsWith('TransportlabNativeMatMul')), native, full.join('\n'));
  if (native) {
    assert.ok(!full.some((k) => /Transpose|BatchMatMul|_FusedMatMul/.test(k)), full.join('\n'));
    assert.ok(full.some((k) => k.startsWith('TransportlabNativeSumRows[[8,16]]')), full.join('\n'));
    assert.ok(full.some((k) => k.startsWith('TransportlabNativeSiluGrad[[8,16],[8,16],[8,16]]')), full.join('\n'));
    const onlyX = await kernelsRun(() => tf.grad((xx: tf.Tensor) => tf.sum(perLayer(xx as tf.Tensor2D)))(x));
    // forward [8,3]·[3,16], [8,16]·[16,2]; backward du·Wᵀ twice; no xᵀ du
    assert.deepEqual(onlyX.filter((k) => k.startsWith('TransportlabNativeMatMul')).length, 4, onlyX.join('\n'));
    assert.ok(!onlyX.some((k) => k.startsWith('TransportlabNativeMatMul[[8,3],[8,16]]')), onlyX.join('\n'));
  }
  x.dispose();
  net.dispose();
});

test('dense: gradients match plain ops at a width where OpenBLAS blocks; deterministic; second order still works', () => {
  const [kx, kw, kb, kd] = random.split(random.key(5), 4);
  const [n, p, q] = [257, 70, 131];
  const x = tf.tensor2d(random.normal(kx, n * p), [n, p]);
  const W = tf.tensor2d(random.normal(kw, p * q).map((v) => v / Math.sqrt(p)), [p, q]); // pre-activations ~ N(0, 1), as after initialisation
  const b = tf.tensor1d(random.normal(kb, q));
  const dy = tf.tensor2d(random.normal(kd, n * q), [n, q]);
  tf.tidy(() => {
    const fast = (xx: tf.Tensor, WW: tf.Tensor, bb: tf.Tensor) => dense(xx as tf.Tensor2D, WW as tf.Tensor2D, bb as tf.Tensor1D, 'silu');
    const plain = (xx: tf.Tensor, WW: tf.Tensor, bb: tf.Tensor) => tf.mul(tf.add(tf.matMul(xx, WW), bb), tf.sigmoid(tf.add(tf.matMul(xx, WW), bb)));
    const g1 = tf.grads(fast)([x, W, b], dy).map((g) => g.dataSync());
    const g2 = tf.grads(fast)([x, W, b], dy).map((g) => g.dataSync());
    const gp = tf.grads(plain)([x, W, b], dy).map((g) => g.dataSync());
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(g1[i], g2[i], 'same inputs, same gradient');
      let err = 0;
      let scale = 0;
      for (let j = 0; j < gp[i].length; j++) {
        err = Math.max(err, Math.abs(g1[i][j] - gp[i][j]));
        scale = Math.max(scale, Math.abs(gp[i][j]));
      }
      assert.ok(err <= 1e-5 * scale, `gradient ${i}: ${err / scale}`);
    }
    // second order (plain ops inside nested gradients): d/dx Σ (∂/∂x Σ dense)² finite and equal to plain ops
    const inner = (f: (xx: tf.Tensor, WW: tf.Tensor, bb: tf.Tensor) => tf.Tensor) => (xx: tf.Tensor) => tf.sum(tf.square(tf.grad((z: tf.Tensor) => tf.sum(f(z, W, b)))(xx)));
    const h = tf.grad(inner(fast))(x).dataSync();
    const hp = tf.grad(inner(plain))(x).dataSync();
    let err = 0;
    for (let j = 0; j < h.length; j++) err = Math.max(err, Math.abs(h[j] - hp[j]) / (1 + Math.abs(hp[j])));
    assert.ok(err < 1e-4, `second order: ${err}`);
  });
  tf.dispose([x, W, b, dy]);
});

test('training with the native dense layer keeps tf.memory().numTensors flat', () => {
  const net = mlp(random.key(9), [3, 64, 64, 2]);
  const opt = adam(net.params, { lr: 1e-3 });
  const x = tf.tensor2d(random.normal(random.key(10), 512 * 3), [512, 3]);
  const y = tf.tensor2d(random.normal(random.key(11), 512 * 2), [512, 2]);
  const loss = () => tf.mean(tf.squaredDifference(net.apply(x), y)) as tf.Scalar;
  for (let i = 0; i < 3; i++) opt.step(loss);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 40; i++) opt.step(loss);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, y]);
  opt.dispose();
  net.dispose();
});

test('environment: TRANSPORTLAB_NATIVE=0 disables the addon; TRANSPORTLAB_BLAS_THREADS sets the threads and rejects non-integers with ArgumentError', () => {
  if (blas === undefined) return;
  const probe = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./src/core/native.ts').then((m) => console.log(m.nativeBlas() === undefined ? 'none' : m.nativeBlasThreads()))"], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, TRANSPORTLAB_NATIVE: '', TRANSPORTLAB_BLAS_THREADS: '', ...env },
      encoding: 'utf8',
    });
  assert.equal(probe({ TRANSPORTLAB_NATIVE: '0' }).stdout.trim(), 'none');
  assert.equal(probe({ TRANSPORTLAB_BLAS_THREADS: '2' }).stdout.trim(), '2');
  const bad = probe({ TRANSPORTLAB_BLAS_THREADS: 'two' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /ArgumentError: TRANSPORTLAB_BLAS_THREADS: expected a positive integer, got "two"/);
});

test('the build script never fails: without a compiler it prints one notice and exits 0', () => {
  const script = fileURLToPath(new URL('../scripts/build-native.mjs', import.meta.url));
  const built = existsSync(ADDON);
  const r = spawnSync(process.execPath, [script], { env: { ...process.env, CC: '/nonexistent/cc', TRANSPORTLAB_NATIVE: '' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // one line; the reason is the missing compiler, or something found missing before it (headers)
  assert.match(r.stdout, /^transportlab: native BLAS addon not built \((no C compiler \(\/nonexistent\/cc\)|Node-API headers \(node_api\.h\) not found)\); the WebAssembly path will be used\.\n$/);
  assert.equal(existsSync(ADDON), built, 'a failed build leaves an existing addon in place');
});
