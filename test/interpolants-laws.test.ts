import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ready } from '../src/core/backend.js';
import * as random from '../src/core/random.js';
import { ArgumentError } from '../src/core/errors.js';
import {
  linear,
  trigonometric,
  encoderDecoder,
  oneSided,
  mirror,
  solveOde,
  solveSde,
  forwardDrift,
  logLikelihood,
  valueAndDivergence,
  hutchinsonProbes,
  velocityFromDenoiser,
  scoreFromDenoiser,
  defineInterpolant,
  type Coefficient,
  type Interpolant,
  type Field,
  type OdeMethod,
} from '../src/interpolants/index.js';

const FAMILIES: Interpolant[] = [
  linear(),
  linear({ gamma: 1 }),
  trigonometric(),
  trigonometric({ gamma: 0.5 }),
  encoderDecoder(),
  oneSided('linear'),
  oneSided('trigonometric'),
  oneSided('vp'),
  mirror({ gamma: 1 }),
];

const INTERIOR = [0.07, 0.23, 0.41, 0.58, 0.77, 0.93];

function normals(seed: number, n: number, d: number): tf.Tensor2D {
  return tf.tensor2d(random.normal(random.key(seed), n * d), [n, d]);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Mean and standard error of the mean. */
function meanSe(xs: ArrayLike<number>): [number, number] {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i];
    s2 += xs[i] * xs[i];
  }
  const m = s / xs.length;
  return [m, Math.sqrt((s2 / xs.length - m * m) / xs.length)];
}

/** Column j of a row-major [n, d] array. */
function column(a: Float32Array, d: number, j: number): Float32Array {
  return a.filter((_, i) => i % d === j);
}

test('law: x_t is x_0 at t = 0 and x_1 at t = 1 (mirror: x_1 at both ends)', async () => {
  await ready();
  const [n, d] = [16, 3];
  const x0 = normals(1, n, d);
  const x1 = normals(2, n, d);
  const z = normals(3, n, d);
  for (const I of FAMILIES) {
    const start = I.kind === 'mirror' ? x1 : x0;
    for (const [t, want] of [[0, start], [1, x1]] as const) {
      const xt = I.sample(x0, x1, t, z);
      const xtTensor = I.sample(x0, x1, tf.fill([n, 1], t) as tf.Tensor2D, z);
      assert.ok(maxAbsDiff(xt, want) < 1e-6, `${I.name} at t=${t}: ${maxAbsDiff(xt, want)}`);
      assert.ok(maxAbsDiff(xtTensor, want) < 1e-6, `${I.name} (tensor t) at t=${t}`);
      tf.dispose([xt, xtTensor]);
    }
  }
  tf.dispose([x0, x1, z]);
});

test('law: velocityTarget equals ∂_t sample() by autodiff, coefficients agree on numbers and tensors', async () => {
  await ready();
  const n = INTERIOR.length;
  const d = 2;
  const x0 = normals(4, n, d);
  const x1 = normals(5, n, d);
  const z = normals(6, n, d);
  const t = tf.tensor2d(INTERIOR, [n, 1]);
  const before = tf.memory().numTensors;
  for (const I of FAMILIES) {
    const v = I.velocityTarget(x0, x1, t, z);
    const vData = v.dataSync();
    for (let j = 0; j < d; j++) {
      const dy = tf.tidy(() => tf.oneHot(tf.fill([n], j, 'int32') as tf.Tensor1D, d).toFloat());
      const dxdt = tf.grad((tt: tf.Tensor) => I.sample(x0, x1, tt as tf.Tensor2D, z))(t, dy);
      const g = dxdt.dataSync();
      for (let i = 0; i < n; i++) {
        const want = vData[i * d + j];
        assert.ok(Math.abs(g[i] - want) <= 1e-4 * (1 + Math.abs(want)), `${I.name} row ${i} col ${j}: autodiff ${g[i]} vs target ${want}`);
      }
      tf.dispose([dy, dxdt]);
    }
    v.dispose();
    for (const name of ['alpha', 'beta', 'gamma', 'dAlpha', 'dBeta', 'dGamma'] as const) {
      const onTensor = I[name](t);
      const got = onTensor.dataSync();
      INTERIOR.forEach((s, i) => assert.ok(Math.abs(got[i] - I[name](s)) < 1e-5 * (1 + Math.abs(got[i])), `${I.name}.${name}(${s})`));
      onTensor.dispose();
    }
  }
  assert.equal(tf.memory().numTensors, before, 'the interpolant methods own their tensors');
  tf.dispose([x0, x1, z, t]);
});

test('law: hand-written derivatives match central finite differences (float64)', () => {
  const h = 1e-6;
  for (const I of FAMILIES) {
    for (const [c, dc] of [['alpha', 'dAlpha'], ['beta', 'dBeta'], ['gamma', 'dGamma']] as const) {
      for (const t of INTERIOR) {
        const fd = (I[c](t + h) - I[c](t - h)) / (2 * h);
        const exact = I[dc](t);
        assert.ok(Math.abs(fd - exact) < 1e-6 * (1 + Math.abs(exact)), `${I.name}.${dc}(${t}) = ${exact}, finite difference ${fd}`);
      }
    }
  }
});

test('law: noise and score targets (−z/γ stochastic, −x0/α one-sided); deterministic two-sided has none', async () => {
  await ready();
  const [n, d] = [5, 2];
  const x0 = normals(7, n, d);
  const x1 = normals(8, n, d);
  const z = normals(9, n, d);
  const t = 0.3;
  for (const I of FAMILIES) {
    if (I.kind === 'two-sided' && !I.stochastic) {
      assert.throws(() => I.scoreTarget(x0, x1, t, z), ArgumentError);
      continue;
    }
    const eta = I.kind === 'one-sided' ? x0 : z;
    const sigma = I.kind === 'one-sided' ? I.alpha(t) : I.gamma(t);
    const s = I.scoreTarget(x0, x1, t, z);
    const want = tf.div(eta, -sigma);
    assert.ok(maxAbsDiff(s, want) < 1e-5, I.name);
    assert.equal(I.noiseScale(t), sigma);
    tf.dispose([s, want]);
  }
  tf.dispose([x0, x1, z]);
});

/**
 * x_0 ~ N(0, I), x_1 ~ N(m, s² I) independent: x_t ~ N(β_t m, V_t I) with
 * V_t = α_t² + β_t² s² + γ_t², and (ẋ_t, x_t) jointly Gaussian, so the exact drift is affine:
 *   b(t, x) = E[ẋ_t | x_t = x] = β̇_t m + (V̇_t / 2V_t)(x − β_t m),  V̇_t = 2(α α̇ + β β̇ s² + γ γ̇),
 * and the score is s(t, x) = −(x − β_t m)/V_t. (For the mirror interpolant α ≡ 0 and x_0 = x_1.)
 */
function gaussianTransport(I: Interpolant, m: number[], s: number) {
  // c·ċ = ½ d(c²)/dt is continuous; where ċ is infinite (c = 0 at an end point) take the limit.
  const prod = (c: (t: number) => number, dc: (t: number) => number, t: number): number => {
    const v = c(t) * dc(t);
    return Number.isFinite(v) ? v : prod(c, dc, Math.min(Math.max(t, 1e-7), 1 - 1e-7));
  };
  const V = (t: number) => I.alpha(t) ** 2 + I.beta(t) ** 2 * s * s + I.gamma(t) ** 2;
  const dV = (t: number) => 2 * (prod(I.alpha, I.dAlpha, t) + prod(I.beta, I.dBeta, t) * s * s + prod(I.gamma, I.dGamma, t));
  const mt = tf.tensor2d(m, [1, m.length]);
  const affine = (x: tf.Tensor2D, slope: number, shift: number) =>
    tf.tidy(() => tf.add(tf.mul(x, slope), tf.mul(mt, shift)) as tf.Tensor2D);
  const drift: Field = (t, x) => {
    const c = dV(t) / (2 * V(t));
    return affine(x, c, I.dBeta(t) - c * I.beta(t));
  };
  const score: Field = (t, x) => affine(x, -1 / V(t), I.beta(t) / V(t));
  return { V, drift, score, dispose: () => mt.dispose() };
}

/** Asserts that the rows of x have mean ≈ mean·1 and variance ≈ v per coordinate, within 5 standard errors. */
function assertMoments(x: tf.Tensor2D, mean: number[], v: number, label: string): void {
  const [, d] = x.shape;
  const data = x.dataSync() as Float32Array;
  for (let j = 0; j < d; j++) {
    const col = column(data, d, j);
    const [mu, se] = meanSe(col);
    assert.ok(Math.abs(mu - mean[j]) < 5 * se, `${label}: mean[${j}] = ${mu}, want ${mean[j]} ± ${5 * se}`);
    const sq = col.map((c) => (c - mean[j]) ** 2);
    const [vv, sev] = meanSe(sq);
    assert.ok(Math.abs(vv - v) < 5 * sev, `${label}: var[${j}] = ${vv}, want ${v} ± ${5 * sev}`);
  }
}

test('Gaussian-to-Gaussian: the exact drift transports N(β_0 m, V_0) to N(m, s²) with every ODE method and the SDE (constant and scheduled ε), every family', async () => {
  await ready();
  const [n, d] = [4000, 2];
  const m = [2, -1];
  const s = 0.5;
  const methods: [OdeMethod, number][] = [['euler', 400], ['heun', 60], ['rk4', 30], ['dopri5', 0]];
  const before = tf.memory().numTensors;
  for (const [fi, I] of FAMILIES.entries()) {
    const g = gaussianTransport(I, m, s);
    const start = tf.tidy(() => tf.add(tf.mul(normals(100 + fi, n, d), Math.sqrt(g.V(0))), tf.mul(tf.tensor2d(m, [1, d]), I.beta(0)))) as tf.Tensor2D;
    const [method, steps] = methods[fi % methods.length];
    const ode = await solveOde(g.drift, start, { method, steps: steps || 1, rtol: 1e-4, atol: 1e-5 });
    assertMoments(ode.x, m, s * s, `${I.name} ${method}`);
    ode.x.dispose();
    // constant ε on even families, a schedule ε(t) = 2t(1 − t) + 0.1 on odd ones
    const eps = fi % 2 ? (t: number) => 2 * t * (1 - t) + 0.1 : 0.5;
    const sde = await solveSde(random.key(200 + fi), forwardDrift(g.drift, g.score, eps), start, { eps, steps: 400 });
    assertMoments(sde.x, m, s * s, `${I.name} SDE`);
    tf.dispose([sde.x, start]);
    g.dispose();
  }
  assert.equal(tf.memory().numTensors, before, 'solvers keep numTensors flat');
});

test('one-sided: velocity and score from the exact denoiser E[x0 | x_t] = α(x − βm)/V equal the exact drift and score', async () => {
  await ready();
  const m = [0.5, -1.5];
  const s = 0.8;
  const x = normals(51, 10, 2);
  for (const I of FAMILIES.filter((f) => f.kind === 'one-sided')) {
    const g = gaussianTransport(I, m, s);
    const eta: Field = (t, y) => g.score(t, y).mul(-I.alpha(t)) as tf.Tensor2D;
    for (const t of INTERIOR) {
      const pairs = [
        [velocityFromDenoiser(I, eta)(t, x), g.drift(t, x)],
        [scoreFromDenoiser(I, eta)(t, x), g.score(t, x)],
      ];
      for (const [got, want] of pairs) {
        assert.ok(maxAbsDiff(got, want) < 1e-4 * (1 + maxAbsDiff(want, tf.zerosLike(want))), `${I.name} at t=${t}`);
        tf.dispose([got, want]);
      }
    }
    g.dispose();
  }
  assert.throws(() => velocityFromDenoiser(linear({ gamma: 1 }), (_t, y) => y), ArgumentError);
  x.dispose();
});

test('integrators: Euler, Heun, RK4 have orders 1, 2, 4 (slope of log error vs log step); DOPRI5 meets its tolerance', async () => {
  await ready();
  // dx/dt = cos(t) x + sin(t), x(0) = x0: x(t) = e^{sin t} (x0 + ∫_0^t e^{−sin u} sin u du); use the
  // homogeneous part per coordinate with two different rates: x_j(t) = x_j(0) exp(k_j sin t).
  const k = tf.tensor2d([1, -0.5], [1, 2]);
  const f: Field = (t, x) => tf.tidy(() => tf.mul(tf.mul(x, k), Math.cos(t)) as tf.Tensor2D);
  const x0 = tf.tensor2d([1, 2, -1, 0.5], [2, 2]);
  const T = 2;
  const exact = tf.tidy(() => tf.mul(x0, tf.exp(tf.mul(k, Math.sin(T)))));
  const err = async (method: OdeMethod, steps: number, extra = {}) => {
    const r = await solveOde(f, x0, { method, steps, t1: T, ...extra });
    const e = maxAbsDiff(r.x, exact);
    r.x.dispose();
    return { e, nfe: r.nfe };
  };
  for (const [method, order, grid] of [['euler', 1, [16, 32, 64, 128]], ['heun', 2, [8, 16, 32, 64]], ['rk4', 4, [2, 4, 8, 16]]] as const) {
    const errs = [];
    for (const s of grid) errs.push((await err(method, s)).e);
    // least-squares slope of log e against log h
    const lx = grid.map((s) => Math.log(T / s));
    const ly = errs.map(Math.log);
    const mx = lx.reduce((a, b) => a + b) / lx.length;
    const my = ly.reduce((a, b) => a + b) / ly.length;
    const slope = lx.reduce((a, x, i) => a + (x - mx) * (ly[i] - my), 0) / lx.reduce((a, x) => a + (x - mx) ** 2, 0);
    assert.ok(Math.abs(slope - order) < 0.25, `${method}: slope ${slope.toFixed(3)}, errors ${errs.map((e) => e.toExponential(2))}`);
  }
  const loose = await err('dopri5', 1, { rtol: 1e-3, atol: 1e-4 });
  const tight = await err('dopri5', 1, { rtol: 1e-5, atol: 1e-6 });
  assert.ok(loose.e < 1e-3 * 3, `dopri5 rtol 1e-3: error ${loose.e}`);
  assert.ok(tight.e < 1e-5 * 3 + 1e-6, `dopri5 rtol 1e-5: error ${tight.e}`);
  assert.ok(tight.nfe > loose.nfe, 'a tighter tolerance takes more steps');
  tf.dispose([k, x0, exact]);
});

test('Euler–Maruyama on an OU process: variance matches the exact EM recursion and ≈ ε/θ', async () => {
  await ready();
  // dX = −θ X dt + √(2ε) dW from X = 0. EM: v_{k+1} = (1 − θh)² v_k + 2εh, so
  // v_K = v∞ (1 − (1 − θh)^{2K}) with v∞ = ε / (θ (1 − θh/2)).
  const [theta, eps, T, steps, n] = [2, 0.7, 4, 200, 20000];
  const h = T / steps;
  const x0 = tf.zeros([n, 1]) as tf.Tensor2D;
  const drift: Field = (_t, x) => tf.mul(x, -theta) as tf.Tensor2D;
  const r = await solveSde(random.key(11), drift, x0, { eps, t1: T, steps });
  const data = r.x.dataSync();
  const vInf = eps / (theta * (1 - (theta * h) / 2));
  const vK = vInf * (1 - (1 - theta * h) ** (2 * steps));
  const [v, se] = meanSe(Array.from(data, (x) => x * x));
  assert.ok(Math.abs(v - vK) < 5 * se, `variance ${v}, EM theory ${vK} ± ${5 * se}`);
  assert.ok(Math.abs(vK - eps / theta) < 0.06 * (eps / theta), 'and the EM bias θh/2 is small at this step');
  const [mu, seMu] = meanSe(data);
  assert.ok(Math.abs(mu) < 5 * seMu, `mean ${mu}`);
  tf.dispose([x0, r.x]);
});

test('log-likelihood: exact divergence recovers log N(x; m, s²I); Hutchinson is unbiased', async () => {
  await ready();
  const [n, d] = [64, 2];
  const m = [1, -2];
  const s = 0.7;
  const g = gaussianTransport(linear(), m, s);
  const x = tf.tidy(() => tf.add(tf.mul(normals(21, n, d), s * 1.3), tf.tensor2d(m, [1, d]))) as tf.Tensor2D;
  const xs = x.dataSync();
  const analytic = Array.from({ length: n }, (_, i) => {
    let q = 0;
    for (let j = 0; j < d; j++) q += ((xs[i * d + j] - m[j]) / s) ** 2;
    return -0.5 * q - d * Math.log(s) - (d / 2) * Math.log(2 * Math.PI);
  });
  const exact = await logLikelihood(g.drift, x, { method: 'rk4', steps: 40 });
  for (let i = 0; i < n; i++) assert.ok(Math.abs(exact[i] - analytic[i]) < 2e-3, `row ${i}: ${exact[i]} vs ${analytic[i]}`);
  // Gaussian probes: each estimate is unbiased; average over 40 probe keys per row.
  const reps = 40;
  const est = new Float64Array(n);
  const est2 = new Float64Array(n);
  for (let r = 0; r < reps; r++) {
    const h = await logLikelihood(g.drift, x, { method: 'rk4', steps: 20, divergence: 'hutchinson', probe: 'gaussian', key: random.key(1000 + r) });
    for (let i = 0; i < n; i++) {
      est[i] += h[i] / reps;
      est2[i] += (h[i] * h[i]) / reps;
    }
  }
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const se = Math.sqrt((est2[i] - est[i] ** 2) / reps);
    assert.ok(se > 0, 'Gaussian probes have a non-zero variance here');
    worst = Math.max(worst, Math.abs(est[i] - analytic[i]) / se);
  }
  assert.ok(worst < 5, `Hutchinson mean within 5 standard errors of the analytic value (worst ${worst.toFixed(2)})`);
  tf.dispose(x);
  g.dispose();
});

test('Hutchinson divergence of a nonlinear field: Rademacher and Gaussian means match the exact divergence', async () => {
  await ready();
  const d = 3;
  const W = tf.tensor2d(random.normal(random.key(31), d * d), [d, d]);
  const b: Field = (t, x) => tf.tidy(() => tf.mul(tf.tanh(tf.matMul(x, W)), 1 + t) as tf.Tensor2D);
  const x = normals(32, 4, d);
  const { value, div } = valueAndDivergence(b, 0.5, x, { exact: true });
  const exact = div.dataSync();
  const reps = 400;
  for (const kind of ['rademacher', 'gaussian'] as const) {
    const sums = new Float64Array(4);
    const sq = new Float64Array(4);
    for (let r = 0; r < reps; r++) {
      const probes = hutchinsonProbes(random.key(5000 + r), 4, d, kind);
      const h = valueAndDivergence(b, 0.5, x, { probes });
      const hv = h.div.dataSync();
      for (let i = 0; i < 4; i++) {
        sums[i] += hv[i];
        sq[i] += hv[i] * hv[i];
      }
      tf.dispose([probes, h.value, h.div]);
    }
    for (let i = 0; i < 4; i++) {
      const mean = sums[i] / reps;
      const se = Math.sqrt((sq[i] / reps - mean * mean) / reps);
      assert.ok(Math.abs(mean - exact[i]) < 5 * se, `${kind} row ${i}: ${mean} vs exact ${exact[i]} ± ${5 * se}`);
    }
  }
  tf.dispose([W, x, value, div]);
});

test('bad input throws ArgumentError', async () => {
  await ready();
  const I = linear({ gamma: 1 });
  const x = normals(41, 4, 2);
  const y = normals(42, 3, 2);
  const f: Field = (_t, v) => tf.clone(v);
  assert.throws(() => I.sample(x, x, 1.5, x), ArgumentError, 't > 1');
  assert.throws(() => I.sample(x, x, -0.1, x), ArgumentError, 't < 0');
  assert.throws(() => I.sample(x, x, tf.fill([4, 1], 2) as tf.Tensor2D, x), ArgumentError, 'tensor t outside [0, 1]');
  assert.throws(() => I.sample(x, x, tf.fill([3, 1], 0.5) as tf.Tensor2D, x), ArgumentError, 't rows');
  assert.throws(() => I.sample(x, y, 0.5, x), ArgumentError, 'mismatched x0, x1');
  assert.throws(() => I.sample(x, x, 0.5), ArgumentError, 'missing z for a stochastic interpolant');
  assert.throws(() => I.velocityTarget(x, x, Number.NaN, x), ArgumentError, 'NaN t');
  assert.throws(() => linear({ gamma: -1 }), ArgumentError, 'negative gamma');
  assert.throws(() => oneSided('cosine' as never), ArgumentError, 'unknown schedule');
  const coef: Coefficient = (A, t) => A.mul(2, t);
  assert.throws(() => defineInterpolant({ name: 'x', kind: 'two-sided', alpha: coef, dAlpha: coef, beta: coef, dBeta: 3 as never }), ArgumentError, 'a non-function coefficient');
  assert.throws(() => defineInterpolant({ name: 'x', kind: 'one-sided', alpha: coef, dAlpha: coef, beta: coef, dBeta: coef, gamma: coef, dGamma: coef }), ArgumentError, 'noise on a one-sided interpolant');
  assert.throws(() => defineInterpolant({ name: 'x', kind: 'mirror', alpha: coef, dAlpha: coef, beta: coef, dBeta: coef }), ArgumentError, 'a mirror without noise');
  assert.throws(() => defineInterpolant({ name: 'x', kind: 'two-sided', alpha: coef, dAlpha: coef, beta: coef, dBeta: coef, gamma: coef }), ArgumentError, 'gamma without dGamma');
  await assert.rejects(solveOde(f, x, { steps: 0 }), ArgumentError);
  await assert.rejects(solveOde(f, x, { steps: 2.5 }), ArgumentError);
  await assert.rejects(solveOde(f, x, { method: 'rk45' as OdeMethod }), ArgumentError);
  await assert.rejects(solveOde(f, x, { t0: 0.5, t1: 0.5 }), ArgumentError);
  await assert.rejects(solveOde(f, x, { method: 'dopri5', rtol: 0 }), ArgumentError);
  await assert.rejects(solveSde(random.key(1), f, x, { eps: -0.1 }), ArgumentError);
  await assert.rejects(solveSde(random.key(1), f, x, { eps: 0.1, steps: -3 }), ArgumentError);
  assert.throws(() => forwardDrift(f, f, -1), ArgumentError);
  const live = tf.memory().numTensors;
  await assert.rejects(solveSde(random.key(1), f, x, { eps: (t) => 0.5 - t, steps: 4 }), ArgumentError, 'a schedule going negative');
  const failing: Field = (t, v) => {
    if (t > 0.5) throw new Error('field failed');
    return tf.clone(v);
  };
  await assert.rejects(solveOde(failing, x, { steps: 4 }), /field failed/, 'a field failing mid-way');
  assert.equal(tf.memory().numTensors, live, 'a failed solve frees its state');
  await assert.rejects(logLikelihood(f, x, { divergence: 'hutchinson' }), ArgumentError, 'Hutchinson without a key');
  tf.dispose([x, y]);
});
