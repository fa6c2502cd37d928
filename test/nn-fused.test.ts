import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready, tf } from '../src/core/backend.js';
import * as random from '../src/core/random.js';
import { ACTIVATIONS, activate, adam, dense, mlp, type Activation, type MLP } from '../src/nn/index.js';
import { fusedMlp, fusedMlpApplies } from '../src/nn/fusedMlp.js';
import { affineTransform } from '../src/flows/coupling.js';
import { ColumnSelect } from '../src/flows/bijector.js';
import { relErr } from './helpers.js';

await ready();


type Net = (x: tf.Tensor2D, params: tf.Tensor[]) => tf.Tensor2D;

/** The per-layer path (the fast dense layer of dense.ts, one op per layer). */
const perLayer =
  (act: Activation): Net =>
  (x, p) => {
    let h = x;
    const k = p.length / 2;
    for (let i = 0; i < k; i++) h = dense(h, p[2 * i] as tf.Tensor2D, p[2 * i + 1] as tf.Tensor1D, i < k - 1 ? act : undefined);
    return h;
  };

/** Plain differentiable TensorFlow.js ops only (any order of gradient). */
const plain =
  (act: Activation): Net =>
  (x, p) => {
    let h = x;
    const k = p.length / 2;
    for (let i = 0; i < k; i++) {
      h = tf.add(tf.matMul(h, p[2 * i] as tf.Tensor2D), p[2 * i + 1]);
      if (i < k - 1) h = activate(h, act);
    }
    return h;
  };

const fused =
  (act: Activation): Net =>
  (x, p) =>
    fusedMlp(x, p, act);

/** Value of Σ y ⊙ c and its gradients w.r.t. x and every parameter, as host arrays. */
function valueAndGrads(net: Net, x: tf.Tensor2D, params: tf.Tensor[], c: tf.Tensor2D): Float32Array[] {
  return tf.tidy(() => {
    const f = (xx: tf.Tensor, ...p: tf.Tensor[]) => tf.sum(tf.mul(net(xx as tf.Tensor2D, p), c));
    const { value, grads } = tf.valueAndGrads(f)([x, ...params]);
    return [value, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

function setup(sizes: number[], n: number, act: Activation, seed: number) {
  const [kn, kx, kc] = random.split(random.key(seed), 3);
  const net = mlp(kn, sizes, { activation: act });
  const x = tf.tensor2d(random.normal(kx, n * sizes[0]), [n, sizes[0]]);
  const c = tf.tensor2d(random.normal(kc, n * sizes[sizes.length - 1]), [n, sizes[sizes.length - 1]]);
  return { net, x, c, dispose: () => [net, x, c].forEach((t) => t.dispose()) };
}

test('fused MLP = per-layer and plain ops: value and gradients w.r.t. x and every W, b, for every activation and odd shapes', () => {
  const shapes: Array<[number[], number]> = [
    [[3, 17, 9, 2], 37],
    [[1, 64, 64, 2], 1024],
    [[4, 3], 5],
    [[2, 8, 8, 8, 3], 1],
  ];
  for (const act of ACTIVATIONS) {
    for (const [sizes, n] of shapes) {
      const s = setup(sizes, n, act, 11);
      const a = valueAndGrads(fused(act), s.x, s.net.params, s.c);
      const b = valueAndGrads(perLayer(act), s.x, s.net.params, s.c);
      const p = valueAndGrads(plain(act), s.x, s.net.params, s.c);
      assert.equal(a.length, 2 + sizes.length * 2 - 2);
      a.forEach((ai, i) => {
        assert.ok(relErr(ai, b[i]) < 2e-5, `${act} [${sizes}] n=${n} output ${i}: ${relErr(ai, b[i])} vs per-layer`);
        assert.ok(relErr(ai, p[i]) < 2e-5, `${act} [${sizes}] n=${n} output ${i}: ${relErr(ai, p[i])} vs plain`);
      });
      s.dispose();
    }
  }
});

test('mlp().apply takes the fused op for first-order gradients (bit-identical to fusedMlp) and is deterministic', () => {
  const s = setup([2, 8, 8, 3], 50, 'silu', 5);
  assert.equal(fusedMlpApplies(s.net.sizes, 50), true);
  const viaApply = valueAndGrads((x) => s.net.apply(x), s.x, s.net.params, s.c);
  const direct = valueAndGrads(fused('silu'), s.x, s.net.params, s.c);
  const again = valueAndGrads((x) => s.net.apply(x), s.x, s.net.params, s.c);
  viaApply.forEach((v, i) => {
    assert.deepEqual(v, direct[i]);
    assert.deepEqual(v, again[i]);
  });
  // without a gradient (no tape) the forward value is the same
  const y = tf.tidy(() => s.net.apply(s.x).dataSync());
  const yPlain = tf.tidy(() => plain('silu')(s.x, s.net.params).dataSync());
  assert.ok(relErr(y, yPlain) < 2e-6);
  s.dispose();
});

test('the fused op is not used inside nested gradients; a gradient of a gradient through mlp().apply matches plain ops', () => {
  for (const act of ['silu', 'softplus', 'gelu'] as const) {
    const s = setup([2, 16, 16, 1], 9, act, 3);
    const depths: boolean[] = [];
    const probe = (net: MLP) => (x: tf.Tensor2D) => {
      depths.push(fusedMlpApplies(net.sizes, x.shape[0]));
      return net.apply(x);
    };
    // g(x) = Σ_i |∇_x f(x_i)|², whose gradient w.r.t. x needs second derivatives of the MLP
    const penalty = (f: (x: tf.Tensor2D) => tf.Tensor2D) => (x: tf.Tensor) => {
      const gx = tf.grad((xx: tf.Tensor) => tf.sum(f(xx as tf.Tensor2D)))(x);
      return tf.sum(tf.square(gx));
    };
    const viaApply = tf.tidy(() => tf.grad(penalty(probe(s.net)))(s.x).dataSync());
    const viaPlain = tf.tidy(() => tf.grad(penalty((x) => plain(act)(x, s.net.params)))(s.x).dataSync());
    assert.deepEqual(depths, [false]); // under two gradient levels: the per-layer path
    assert.ok(relErr(viaApply, viaPlain) < 1e-4, `${act}: ${relErr(viaApply, viaPlain)}`);
    s.dispose();
  }
});

test('fused MLP gradients match float64 central finite differences (silu, tanh)', () => {
  const sizes = [2, 7, 5, 2];
  const n = 6;
  for (const act of ['silu', 'tanh'] as const) {
    const s = setup(sizes, n, act, 21);
    const [, ...g] = valueAndGrads(fused(act), s.x, s.net.params, s.c);
    const xs = Float64Array.from(s.x.dataSync());
    const cs = Float64Array.from(s.c.dataSync());
    const ps = s.net.params.map((p) => Float64Array.from(p.dataSync()));
    const f = (inputs: Float64Array[]): number => {
      let h = inputs[0];
      for (let l = 0; l < sizes.length - 1; l++) {
        const [a, b] = [sizes[l], sizes[l + 1]];
        const [W, bias] = [inputs[1 + 2 * l], inputs[2 + 2 * l]];
        const out = new Float64Array(n * b);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < b; j++) {
            let u = bias[j];
            for (let q = 0; q < a; q++) u += h[i * a + q] * W[q * b + j];
            out[i * b + j] = l === sizes.length - 2 ? u : act === 'silu' ? u / (1 + Math.exp(-u)) : Math.tanh(u);
          }
        }
        h = out;
      }
      return h.reduce((acc, v, i) => acc + v * cs[i], 0);
    };
    const all = [xs, ...ps];
    const eps = 1e-5;
    all.forEach((arr, which) => {
      const fd = new Float64Array(arr.length);
      for (let j = 0; j < arr.length; j++) {
        const v = arr[j];
        arr[j] = v + eps;
        const up = f(all);
        arr[j] = v - eps;
        const down = f(all);
        arr[j] = v;
        fd[j] = (up - down) / (2 * eps);
      }
      // float32 forward and backward against a float64 reference: a few float32 ulps of the largest entry
      assert.ok(relErr(g[which], fd) < 1e-5, `${act} input ${which}: ${relErr(g[which], fd)}`);
    });
    s.dispose();
  }
});

/**
 * The fused SiLU pass in float32, one rounding per operation, as documented in fusedMlp.ts and
 * native/blas.c: σ from Cephes' expf of exp(−|u|), h = u σ, returned h (the layer's output).
 */
function siluReference(u: number): number {
  const f = Math.fround;
  const bits = new Float32Array(1);
  const int = new Int32Array(bits.buffer);
  const [p0, p1, p2, p3, p4, p5] = [1.98756915e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1].map(f);
  const round = 12582912;
  let x = f(0 - Math.abs(u));
  x = x < -87 ? -87 : x;
  const fx = f(f(x * f(1.44269504088896341)) + round);
  let r = f(fx - round);
  r = f(f(x - f(r * f(0.693359375))) - f(r * f(-2.1219444e-4)));
  const t = f(r * r);
  const q = f(f(f(f(f(f(f(f(f(r * p0) + p1) * t) + f(f(r * p2) + p3)) * t) + f(f(r * p4) + p5)) * t) + r) + 1);
  bits[0] = fx;
  int[0] = (int[0] + 127) << 23;
  const e = f(q * bits[0]);
  const inv = f(1 / f(1 + e));
  const s = u >= 0 ? inv : f(e * inv);
  return f(u * s);
}

test('the fused SiLU (native when the addon is loaded, else WebAssembly SIMD) computes its documented float32 formula bit for bit', () => {
  // y = silu(x W1) I: products by powers of two and the identity are exact, so y holds the SiLU pass's own bits
  const n = 1200;
  const special = [0, -0, 1e-30, -1e-30, 40, -40, 87, -87, 88, -88, 100, -100, 1e-3, -1e-3];
  const xv = Float32Array.from({ length: n }, (_, i) => (i < special.length ? special[i] : (i - n / 2) * 0.0917 + Math.sin(i)));
  const w = [1, -1, 0.5, 2, -4, 0.25, 8, -0.125];
  const y = tf.tidy(() => {
    const params = [tf.tensor2d(w, [1, 8]), tf.zeros([8]), tf.eye(8), tf.zeros([8])];
    return fusedMlp(tf.tensor2d(xv, [n, 1]), params, 'silu').dataSync();
  });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 8; j++) {
      const ref = siluReference(Math.fround(xv[i] * w[j]));
      assert.ok(Object.is(y[8 * i + j], ref) || (y[8 * i + j] === 0 && ref === 0), `silu(${xv[i] * w[j]}) = ${y[8 * i + j]} vs ${ref}`);
    }
  }
});

test('200 Adam steps through fused MLPs keep the tensor count flat; a forward whose gradient is never taken leaks nothing', () => {
  const [kn, kx] = random.split(random.key(8), 2);
  const nets = [mlp(kn, [1, 16, 16, 2], { name: 'a' }), mlp(random.fold(kn, 1), [1, 16, 16, 2], { name: 'b' })];
  const x = tf.tensor2d(random.normal(kx, 64), [64, 1]);
  const opt = adam(nets.flatMap((m) => m.params));
  const step = () =>
    opt.step(() => {
      const h0 = nets[0].apply(x);
      const h1 = nets[1].apply(tf.slice(h0, [0, 0], [64, 1]) as tf.Tensor2D);
      nets[1].apply(x); // on the tape, but not on the loss's path: its backward pass never runs
      return tf.mean(tf.square(tf.sub(h1, 0.5)));
    });
  const first = step();
  const before = tf.memory().numTensors;
  let last = first;
  for (let i = 0; i < 200; i++) last = step();
  assert.equal(tf.memory().numTensors, before);
  assert.ok(last < first, `loss ${first} → ${last}`);
  opt.dispose();
  nets.forEach((m) => m.dispose());
  x.dispose();
});

test('on the cpu backend the fused op gives the same values and gradients as plain ops', async () => {
  const s = setup([3, 12, 4], 10, 'gelu', 4);
  const onWasm = valueAndGrads(fused('gelu'), s.x, s.net.params, s.c);
  await tf.setBackend('cpu');
  try {
    assert.equal(fusedMlpApplies(s.net.sizes, 10), true);
    const a = valueAndGrads((x) => s.net.apply(x), s.x, s.net.params, s.c);
    const p = valueAndGrads(plain('gelu'), s.x, s.net.params, s.c);
    a.forEach((ai, i) => {
      assert.ok(relErr(ai, p[i]) < 2e-5, `output ${i}: ${relErr(ai, p[i])}`);
      assert.ok(relErr(ai, onWasm[i]) < 2e-5, `output ${i} vs wasm: ${relErr(ai, onWasm[i])}`);
    });
  } finally {
    await tf.setBackend('wasm');
  }
  s.dispose();
});

test('the fused affine coupling op (flows/coupling.ts) = its tensor-op composition: y, log det and gradients w.r.t. x and h, both directions', () => {
  const n = 37;
  const d = 3;
  const columns = Int32Array.from([2, 0]); // transformed columns, in the order of h's halves
  const transform = affineTransform(2);
  const x = tf.tensor2d(random.normal(random.key(51), n * d), [n, d]);
  const h = tf.tensor2d(random.normal(random.key(52), n * 4).map((v) => 1.5 * v), [n, 4]);
  const wy = tf.tensor2d(random.normal(random.key(53), n * d), [n, d]);
  const wl = tf.tensor1d(random.normal(random.key(54), n));
  const sel = new ColumnSelect(d, columns);
  const kept = new ColumnSelect(d, Int32Array.from([1]));
  const composed = (xv: tf.Tensor2D, hv: tf.Tensor2D, inverse: boolean) => {
    const { y, logDet } = transform.apply(sel.select(xv), hv, inverse);
    return { y: tf.add(kept.place(kept.select(xv)), sel.place(y)) as tf.Tensor2D, logDet };
  };
  for (const inverse of [false, true]) {
    const run = (f: typeof composed) =>
      tf.tidy(() => {
        const loss = (xv: tf.Tensor, hv: tf.Tensor) => {
          const { y, logDet } = f(xv as tf.Tensor2D, hv as tf.Tensor2D, inverse);
          return tf.add(tf.sum(tf.mul(y, wy)), tf.sum(tf.mul(logDet, wl))) as tf.Scalar;
        };
        const { y, logDet } = f(x, h, inverse);
        const [gx, gh] = tf.grads(loss)([x, h]);
        return [y, logDet, gx, gh].map((t) => t.dataSync());
      });
    const fused = run((xv, hv, inv) => transform.fused!(xv, hv, columns, inv));
    const plainOps = run(composed);
    fused.forEach((v, i) => assert.ok(relErr(v, plainOps[i]) < 1e-6, `inverse ${inverse}, output ${i}: ${relErr(v, plainOps[i])}`));
  }
  tf.dispose([x, h, wy, wl]);
  [sel, kept, transform].forEach((t) => t.dispose());
});
