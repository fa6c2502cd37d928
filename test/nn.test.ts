import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready, tf } from '../src/core/backend.js';
import { ArgumentError } from '../src/core/errors.js';
import * as random from '../src/core/random.js';
import { ACTIVATIONS, activate, adam, dense, loadParamsJSON, mlp, paramsToJSON, sgd, timeEmbedding, transpose2d, type Activation, type MLP } from '../src/nn/index.js';
import { kernelsRun, perLayerMlp, relErr } from './helpers.js';

await ready();


const data = (t: tf.Tensor): Float32Array => t.dataSync() as Float32Array;

/** The same network with plain, differentiable TensorFlow.js ops only (the reference). */
function plainApply(net: MLP, x: tf.Tensor2D, act: Activation): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  const k = net.sizes.length - 1;
  for (let i = 0; i < k; i++) {
    h = tf.add(tf.matMul(h, net.params[2 * i]), net.params[2 * i + 1]);
    if (i < k - 1) h = activate(h, act);
  }
  return h;
}

/** The MLP's output in float64 JavaScript, from the parameters' values (silu only). */
function float64Apply(weights: Float64Array[], sizes: number[], x: Float64Array, n: number): Float64Array {
  let h = x;
  for (let l = 0; l < sizes.length - 1; l++) {
    const [a, b] = [sizes[l], sizes[l + 1]];
    const W = weights[2 * l];
    const bias = weights[2 * l + 1];
    const out = new Float64Array(n * b);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < b; j++) {
        let u = bias[j];
        for (let q = 0; q < a; q++) u += h[i * a + q] * W[q * b + j];
        out[i * b + j] = l < sizes.length - 2 ? u / (1 + Math.exp(-u)) : u;
      }
    }
    h = out;
  }
  return h;
}

const sumOf = (a: Float64Array): number => a.reduce((s, v) => s + v, 0);

test('the fast dense layer matches plain ops: value and gradients w.r.t. x, W, b for every activation', () => {
  const [kx, kw, kb, kd] = random.split(random.key(1), 4);
  const n = 37;
  const x = tf.tensor2d(random.normal(kx, n * 5), [n, 5]);
  const W = tf.tensor2d(random.normal(kw, 5 * 7), [5, 7]);
  const b = tf.tensor1d(random.normal(kb, 7));
  const dy = tf.tensor2d(random.normal(kd, n * 7), [n, 7]);
  for (const act of [...ACTIVATIONS, undefined]) {
    tf.tidy(() => {
      const fast = (xx: tf.Tensor, WW: tf.Tensor, bb: tf.Tensor) => dense(xx as tf.Tensor2D, WW as tf.Tensor2D, bb as tf.Tensor1D, act);
      const plain = (xx: tf.Tensor, WW: tf.Tensor, bb: tf.Tensor) => {
        const u = tf.add(tf.matMul(xx, WW), bb);
        return act === undefined ? u : activate(u, act);
      };
      assert.ok(relErr(data(fast(x, W, b)), data(plain(x, W, b))) < 1e-6, `value, ${act}`);
      const gFast = tf.grads(fast)([x, W, b], dy);
      const gPlain = tf.grads(plain)([x, W, b], dy);
      ['x', 'W', 'b'].forEach((name, i) => assert.ok(relErr(data(gFast[i]), data(gPlain[i])) < 1e-5, `d${name}, ${act}: ${relErr(data(gFast[i]), data(gPlain[i]))}`));
    });
  }
  tf.dispose([x, W, b, dy]);
});

test('the fast path runs on wasm only (native sgemm kernels when the addon loads, else the blocked transpose kernel); a gradient w.r.t. x alone skips dW', async () => {
  const { net, x, perLayer, full } = await perLayerMlp();
  const fast = full.some((k) => k.startsWith('TransportlabTranspose2D') || k.startsWith('TransportlabNativeMatMul'));
  assert.equal(fast, tf.getBackend() === 'wasm', full.join('\n'));
  if (!fast) {
    net.dispose();
    x.dispose();
    return;
  }
  const native = full.some((k) => k.startsWith('TransportlabNativeMatMul'));
  const onlyX = await kernelsRun(() => tf.grad((xx: tf.Tensor) => tf.sum(perLayer(xx as tf.Tensor2D)))(x));
  // dW1 = xᵀ du would multiply [3, 8] by [8, 16] (native: xᵀ du from x [8, 3] and du [8, 16]); only dx products appear
  const dW1 = native ? 'TransportlabNativeMatMul[[8,3],[8,16]]' : 'BatchMatMul[[3,8]';
  const dx = native ? 'TransportlabNativeMatMul[[8,16],[3,16]]' : 'BatchMatMul[[8,16],[16,3]]';
  assert.ok(!onlyX.some((k) => k.startsWith(dW1)), onlyX.join('\n'));
  assert.ok(onlyX.some((k) => k.startsWith(dx)), onlyX.join('\n'));
  x.dispose();
  net.dispose();
});

test('transpose2d matches tf.transpose, also for shapes that are not multiples of the 4 × 4 blocks', () => {
  for (const [r, c] of [[13, 29], [1, 5], [64, 8], [1000, 3]]) {
    const x = tf.tensor2d(random.normal(random.key(r * c), r * c), [r, c]);
    assert.deepEqual(data(tf.tidy(() => transpose2d(x))), data(tf.tidy(() => tf.transpose(x))));
    x.dispose();
  }
});

test('MLP gradients w.r.t. all parameters and the input match plain ops and float64 finite differences', () => {
  const sizes = [3, 16, 16, 2];
  const net = mlp(random.key(3), sizes);
  const n = 6;
  const xv = random.normal(random.key(4), n * 3);
  const x = tf.tensor2d(xv, [n, 3]);
  // loss = Σ (f(x) ⊙ c): a generic linear functional of the output
  const c = tf.tensor2d(random.normal(random.key(5), n * 2), [n, 2]);
  const loss = (f: (x: tf.Tensor2D) => tf.Tensor2D) => () => tf.sum(tf.mul(f(x), c)) as tf.Scalar;
  const fast = tf.variableGrads(loss((z) => net.apply(z)), net.params);
  const plain = tf.variableGrads(loss((z) => plainApply(net, z, 'silu')), net.params);
  for (const p of net.params) assert.ok(relErr(data(fast.grads[p.name]), data(plain.grads[p.name])) < 1e-5, p.name);
  const gx = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(net.apply(z as tf.Tensor2D), c)))(x);

  // float64 central differences of the same loss, from the parameter values
  const weights = net.params.map((p) => Float64Array.from(data(p)));
  const cv = Float64Array.from(data(c));
  const L = (ws: Float64Array[], xs: Float64Array) => sumOf(float64Apply(ws, sizes, xs, n).map((v, i) => v * cv[i]));
  const h = 1e-5;
  const x64 = Float64Array.from(xv);
  for (const [pi, idx] of [[0, 5], [1, 3], [2, 17], [4, 9], [5, 1]]) {
    const up = weights.map((w) => w.slice());
    const dn = weights.map((w) => w.slice());
    up[pi][idx] += h;
    dn[pi][idx] -= h;
    const fd = (L(up, x64) - L(dn, x64)) / (2 * h);
    const got = data(fast.grads[net.params[pi].name])[idx];
    assert.ok(Math.abs(got - fd) < 1e-4 * (1 + Math.abs(fd)), `param ${pi}[${idx}]: ${got} vs ${fd}`);
  }
  for (const idx of [0, 4, 11, 17]) {
    const up = x64.slice();
    const dn = x64.slice();
    up[idx] += h;
    dn[idx] -= h;
    const fd = (L(weights, up) - L(weights, dn)) / (2 * h);
    assert.ok(Math.abs(data(gx)[idx] - fd) < 1e-4 * (1 + Math.abs(fd)), `x[${idx}]: ${data(gx)[idx]} vs ${fd}`);
  }
  tf.dispose([x, c, gx, fast.value, plain.value, ...Object.values(fast.grads), ...Object.values(plain.grads)]);
  net.dispose();
});

test('second order: gradients of gradients (input Hessian terms and a gradient penalty) match plain ops and finite differences', () => {
  const sizes = [2, 12, 12, 1];
  const net = mlp(random.key(6), sizes);
  const n = 5;
  const xv = random.normal(random.key(7), n * 2);
  const x = tf.tensor2d(xv, [n, 2]);
  // q(x) = Σ |∇ₓ Σ f(x)|², whose gradient w.r.t. x needs second derivatives of the network
  const q = (f: (z: tf.Tensor2D) => tf.Tensor2D) => (z: tf.Tensor) => tf.sum(tf.square(tf.grad((y: tf.Tensor) => tf.sum(f(y as tf.Tensor2D)))(z)));
  const dqFast = tf.grad(q((z) => net.apply(z)))(x);
  const dqPlain = tf.grad(q((z) => plainApply(net, z, 'silu')))(x);
  assert.ok(relErr(data(dqFast), data(dqPlain)) < 1e-5);
  // WGAN-GP-like: parameter gradients of a first-order term plus a gradient penalty
  const penalty = (f: (z: tf.Tensor2D) => tf.Tensor2D) => () => tf.add(tf.mean(f(x)), q(f)(x)) as tf.Scalar;
  const gpFast = tf.variableGrads(penalty((z) => net.apply(z)), net.params);
  const gpPlain = tf.variableGrads(penalty((z) => plainApply(net, z, 'silu')), net.params);
  for (const p of net.params) assert.ok(relErr(data(gpFast.grads[p.name]), data(gpPlain.grads[p.name])) < 1e-5, p.name);

  // float64: q by central differences of s(x) = Σ f(x), then its gradient by differences again
  const weights = net.params.map((p) => Float64Array.from(data(p)));
  const s = (xs: Float64Array) => sumOf(float64Apply(weights, sizes, xs, n));
  const q64 = (xs: Float64Array) => {
    let acc = 0;
    for (let i = 0; i < xs.length; i++) {
      const up = xs.slice();
      const dn = xs.slice();
      up[i] += 1e-5;
      dn[i] -= 1e-5;
      acc += ((s(up) - s(dn)) / 2e-5) ** 2;
    }
    return acc;
  };
  const x64 = Float64Array.from(xv);
  for (const idx of [0, 3, 8]) {
    const up = x64.slice();
    const dn = x64.slice();
    up[idx] += 1e-3;
    dn[idx] -= 1e-3;
    const fd = (q64(up) - q64(dn)) / 2e-3;
    assert.ok(Math.abs(data(dqFast)[idx] - fd) < 1e-3 * (1 + Math.abs(fd)), `x[${idx}]: ${data(dqFast)[idx]} vs ${fd}`);
  }
  tf.dispose([x, dqFast, dqPlain, gpFast.value, gpPlain.value, ...Object.values(gpFast.grads), ...Object.values(gpPlain.grads)]);
  net.dispose();
});

/** A tiny quadratic problem with a known gradient: loss(θ) = Σ a_i (θ_i − c_i)², ∇ = 2a(θ − c). */
function quadratic(theta: tf.Variable, a: number[], c: number[]) {
  const at = tf.tensor1d(a);
  const ct = tf.tensor1d(c);
  return {
    loss: () => tf.sum(tf.mul(at, tf.square(tf.sub(theta, ct)))) as tf.Scalar,
    grad: (th: number[]) => th.map((v, i) => 2 * a[i] * (v - c[i])),
    dispose: () => tf.dispose([at, ct]),
  };
}

test('Adam follows PyTorch’s update (bias correction, ε outside the root, L2 weight decay) step by step', () => {
  for (const wd of [0, 0.1]) {
    const theta0 = [0.5, -1.5, 2];
    const theta = tf.variable(tf.tensor1d(theta0));
    const prob = quadratic(theta, [1, 3, 0.5], [1, 0, -1]);
    const [lr, b1, b2, eps] = [0.05, 0.8, 0.95, 1e-3];
    const opt = adam([theta], { lr, beta1: b1, beta2: b2, eps, weightDecay: wd });
    // torch.optim.Adam, single-tensor path, in float64
    let th = theta0.slice();
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    for (let t = 1; t <= 4; t++) {
      const lossValue = opt.step(prob.loss);
      const g = prob.grad(th).map((gi, i) => gi + wd * th[i]);
      const expectedLoss = th.reduce((s, x, i) => s + [1, 3, 0.5][i] * (x - [1, 0, -1][i]) ** 2, 0);
      assert.ok(Math.abs(lossValue - expectedLoss) < 1e-5 * (1 + expectedLoss), `loss at step ${t}`);
      th = th.map((x, i) => {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        const denom = Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps;
        return x - (lr / (1 - b1 ** t)) * (m[i] / denom);
      });
      const got = data(theta);
      th.forEach((x, i) => assert.ok(Math.abs(got[i] - x) < 1e-6, `wd ${wd}, step ${t}, θ${i}: ${got[i]} vs ${x}`));
    }
    assert.equal(opt.iterations, 4);
    opt.dispose();
    prob.dispose();
    theta.dispose();
  }
});

test('global-norm clipping rescales the gradients as clip_grad_norm_ does, and SGD momentum follows PyTorch', () => {
  const theta = tf.variable(tf.tensor1d([0, 0, 0]));
  const gvec = tf.tensor1d([3, 4, 12]); // ‖g‖ = 13
  const linear = () => tf.sum(tf.mul(gvec, theta)) as tf.Scalar; // ∇ = g
  for (const [clip, scale] of [[6.5, 6.5 / (13 + 1e-6)], [20, 1]]) {
    theta.assign(tf.zeros([3]));
    const opt = sgd([theta], { lr: 1, clipNorm: clip });
    opt.step(linear);
    const got = data(theta);
    [3, 4, 12].forEach((g, i) => assert.ok(Math.abs(got[i] + g * scale) < 1e-5, `clip ${clip}: ${got[i]}`));
    opt.dispose();
  }
  // momentum μ: b₁ = g, b₂ = μ b₁ + g, θ₂ = −lr (b₁ + b₂)
  theta.assign(tf.zeros([3]));
  const mom = sgd([theta], { lr: 0.1, momentum: 0.9 });
  mom.step(linear);
  mom.step(linear);
  const got = data(theta);
  [3, 4, 12].forEach((g, i) => assert.ok(Math.abs(got[i] + 0.1 * (g + 1.9 * g)) < 1e-5));
  mom.dispose();
  gvec.dispose();
  theta.dispose();
});

test('a non-finite loss throws and leaves the parameters unchanged', () => {
  const theta = tf.variable(tf.tensor1d([1, 2]));
  const opt = adam([theta]);
  assert.throws(() => opt.step(() => tf.div(tf.sum(theta), 0) as tf.Scalar), ArgumentError);
  assert.deepEqual(Array.from(data(theta)), [1, 2]);
  assert.equal(opt.iterations, 0);
  opt.dispose();
  theta.dispose();
});

test('optimisers and networks reject bad arguments with ArgumentError', () => {
  const theta = tf.variable(tf.tensor1d([1]));
  for (const bad of [{ lr: 0 }, { lr: NaN }, { beta1: 1 }, { beta2: -0.1 }, { eps: 0 }, { clipNorm: -1 }, { weightDecay: -1 }]) {
    assert.throws(() => adam([theta], bad), ArgumentError, JSON.stringify(bad));
  }
  assert.throws(() => sgd([theta], { momentum: 1 }), ArgumentError);
  assert.throws(() => adam([]), ArgumentError);
  assert.throws(() => adam([tf.ones([1]) as unknown as tf.Variable]), ArgumentError);
  assert.throws(() => mlp(random.key(0), [3]), ArgumentError);
  assert.throws(() => mlp(random.key(0), [3, 0, 2]), ArgumentError);
  assert.throws(() => mlp(random.key(0), [3, 2.5]), ArgumentError);
  assert.throws(() => mlp(random.key(0), [3, 2], { activation: 'swish' as Activation }), /activation: expected one of silu/);
  assert.throws(() => mlp(random.key(0), [3, 2], { finalScale: Infinity }), ArgumentError);
  const net = mlp(random.key(0), [3, 4, 2]);
  const wrong = tf.zeros([5, 2]) as tf.Tensor2D;
  assert.throws(() => net.apply(wrong), /x: expected a float32 tensor of shape \[n, 3\]/);
  const ints = tf.zeros([5, 3], 'int32') as tf.Tensor2D;
  assert.throws(() => net.apply(ints), ArgumentError);
  const [W, b] = net.params as [tf.Variable<tf.Rank.R2>, tf.Variable<tf.Rank.R1>];
  assert.throws(() => dense(wrong, W, b), /x: expected a float32 tensor of shape \[n, 3\]/);
  assert.throws(() => dense(ints, W, net.params[3] as tf.Tensor1D), ArgumentError);
  const x3 = tf.zeros([5, 3]) as tf.Tensor2D;
  assert.throws(() => dense(x3, W, net.params[3] as tf.Tensor1D), /b: expected a float32 tensor of shape \[4\]/);
  assert.throws(() => dense(x3, b as unknown as tf.Tensor2D, b), /W: expected a float32 matrix/);
  x3.dispose();
  tf.dispose([wrong, ints]);
  net.dispose();
  theta.dispose();
});

test('same key gives the same weights; PyTorch-like init bounds; finalScale 0 gives a zero output', () => {
  const a = mlp(random.key(11), [4, 32, 3], { name: 'same' });
  const b = mlp(random.key(11), [4, 32, 3], { name: 'same' });
  const c = mlp(random.key(12), [4, 32, 3]);
  a.params.forEach((p, i) => assert.deepEqual(data(p), data(b.params[i])));
  assert.notDeepEqual(data(a.params[0]), data(c.params[0]));
  // W1, b1 ~ U(−1/2, 1/2) (fan-in 4); W2, b2 ~ U(−1/√32, 1/√32)
  const bound = (p: tf.Variable) => Math.max(...Array.from(data(p), Math.abs));
  assert.ok(bound(a.params[0]) <= 0.5 && bound(a.params[0]) > 0.45);
  assert.ok(bound(a.params[2]) <= 1 / Math.sqrt(32) && bound(a.params[2]) > 0.9 / Math.sqrt(32));
  assert.equal(a.params[0].name, 'same.W1');
  assert.equal(b.params[0].name, 'same.W1~2'); // unique in TensorFlow.js, same logical name
  const z = mlp(random.key(13), [4, 8, 2], { finalScale: 0, activation: 'tanh' });
  const x = tf.randomNormal([5, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
  assert.deepEqual(Array.from(data(tf.tidy(() => z.apply(x)))), new Array(10).fill(0));
  [a, b, c, z].forEach((m) => m.dispose());
  x.dispose();
});

test('parameters survive a JSON round trip; malformed JSON is rejected with ArgumentError and changes nothing', () => {
  const a = mlp(random.key(21), [2, 8, 1], { name: 'net' });
  const b = mlp(random.key(22), [2, 8, 1], { name: 'net' });
  const x = tf.randomNormal([4, 2], 0, 1, 'float32', 2) as tf.Tensor2D;
  const saved = JSON.parse(JSON.stringify(paramsToJSON(a.params)));
  assert.deepEqual(saved.map((e: { name: string }) => e.name), ['net.W1', 'net.b1', 'net.W2', 'net.b2']);
  const before = data(b.params[0]).slice();
  const bad: Array<[unknown, RegExp]> = [
    [{}, /json: expected an array of 4/],
    [saved.slice(0, 3), /json: expected 4 parameter entries/],
    [[null, ...saved.slice(1)], /json\[0\]: expected an object/],
    [[{ ...saved[0], name: 'other.W1' }, ...saved.slice(1)], /json\[0\]\.name: expected "net\.W1"/],
    [[{ ...saved[0], shape: [8, 2] }, ...saved.slice(1)], /json\[0\]\.shape: expected \[2,8\]/],
    [[saved[0], { ...saved[1], values: [1, 2] }, ...saved.slice(2)], /json\[1\]\.values: expected an array of 8 numbers/],
    [[saved[0], saved[1], saved[2], { ...saved[3], values: ['1'] }], /json\[3\]\.values\[0\]: expected a finite number/],
    [[saved[0], saved[1], saved[2], { ...saved[3], values: [null] }], /json\[3\]\.values\[0\]: expected a finite number/],
    [[saved[0], saved[1], saved[2], { ...saved[3], values: [1e39] }], /json\[3\]\.values\[0\]: expected a finite number/],
  ];
  for (const [json, message] of bad) {
    assert.throws(() => loadParamsJSON(b.params, json), (e: Error) => e instanceof ArgumentError && message.test(e.message), String(message));
    assert.deepEqual(data(b.params[0]), before);
  }
  loadParamsJSON(b.params, saved);
  assert.deepEqual(data(tf.tidy(() => b.apply(x))), data(tf.tidy(() => a.apply(x))));
  [a, b].forEach((m) => m.dispose());
  x.dispose();
});

test('the number of tensors stays flat over 200 training steps; building and disposing a network and an optimiser leaves nothing', () => {
  const start = tf.memory().numTensors;
  const probe = mlp(random.key(30), [3, 8, 2]);
  adam(probe.params).dispose();
  sgd(probe.params, { momentum: 0.9 }).dispose();
  probe.dispose();
  assert.equal(tf.memory().numTensors, start);
  const net = mlp(random.key(31), [3, 32, 32, 2]);
  const opt = adam(net.params, { clipNorm: 1 });
  const x = tf.randomNormal([64, 3], 0, 1, 'float32', 3) as tf.Tensor2D;
  const y = tf.randomNormal([64, 2], 0, 1, 'float32', 4) as tf.Tensor2D;
  let count = 0;
  for (let i = 0; i < 200; i++) {
    opt.step(() => tf.mean(tf.squaredDifference(net.apply(x), y)) as tf.Scalar);
    if (i === 9) count = tf.memory().numTensors;
  }
  assert.equal(tf.memory().numTensors, count);
  opt.dispose();
  net.dispose();
  tf.dispose([x, y]);
});

test('an MLP learns a smooth 2-D regression: training MSE below 1% of the target variance', () => {
  // y = sin(2 x₁) cos(x₂) on 256 fixed points of [−2, 2]²; the best linear fit explains almost none of
  // its variance (y is odd in x₁ and even in x₂), so < 1% residual variance means the network learned
  // the nonlinear function, not a trend.
  const n = 256;
  const xv = random.uniform(random.key(41), 2 * n, -2, 2);
  const yv = new Float32Array(n);
  for (let i = 0; i < n; i++) yv[i] = Math.sin(2 * xv[2 * i]) * Math.cos(xv[2 * i + 1]);
  const mean = yv.reduce((s, v) => s + v, 0) / n;
  const variance = yv.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  const x = tf.tensor2d(xv, [n, 2]);
  const y = tf.tensor2d(yv, [n, 1]);
  const net = mlp(random.key(42), [2, 64, 64, 1]);
  const opt = adam(net.params, { lr: 1e-2 });
  let loss = Infinity;
  for (let i = 0; i < 400; i++) loss = opt.step(() => tf.mean(tf.squaredDifference(net.apply(x), y)) as tf.Scalar);
  assert.ok(loss < 0.01 * variance, `loss ${loss} vs variance ${variance}`);
  opt.dispose();
  net.dispose();
  tf.dispose([x, y]);
});

test('timeEmbedding: sinusoidal features with frequencies 1000 … 0.1, shape checks', () => {
  const t = tf.tensor2d([0, 0.25, 1], [3, 1]);
  const e = timeEmbedding(t, 8);
  assert.deepEqual(e.shape, [3, 8]);
  const v = data(e);
  const freqs = [1000, 1000 * 10000 ** (-1 / 3), 1000 * 10000 ** (-2 / 3), 0.1];
  [0, 0.25, 1].forEach((ti, r) =>
    freqs.forEach((w, k) => {
      assert.ok(Math.abs(v[r * 8 + k] - Math.sin(w * ti)) < 2e-4, `sin row ${r} k ${k}`);
      assert.ok(Math.abs(v[r * 8 + 4 + k] - Math.cos(w * ti)) < 2e-4, `cos row ${r} k ${k}`);
    }),
  );
  assert.throws(() => timeEmbedding(t, 7), /dim: expected an even positive integer/);
  const bad = tf.zeros([3, 2]) as tf.Tensor2D;
  assert.throws(() => timeEmbedding(bad, 8), /t: expected a tensor of shape \[n, 1\]/);
  tf.dispose([t, e, bad]);
});
