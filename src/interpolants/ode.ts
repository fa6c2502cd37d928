/**
 * Explicit Runge–Kutta integrators for batched ODEs dx/dt = f(t, x), x ∈ R^{n×d}: Euler
 * (order 1), Heun (2), classical RK4 (4) on a fixed grid, and the adaptive Dormand–Prince 5(4)
 * pair with local error control (Dormand & Prince, J. Comput. Appl. Math. 6, 1980; Hairer,
 * Nørsett & Wanner, "Solving ODEs I", §II.4 for the step-size controller). All methods share
 * one Butcher-tableau stepper; {@link rkStep} is synchronous and differentiable (CNF training
 * backpropagates through it), {@link solveOde} drives it under a {@link LoopMonitor}.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError, checkPositive, checkPositiveInt } from '../core/errors.js';
import { LoopMonitor, type LoopOptions } from '../core/loop.js';
import { checkBatch } from './checks.js';

/** A time-dependent vector field on a batch: (t, x [n, d]) → [n, d]. */
export type Field = (t: number, x: tf.Tensor2D) => tf.Tensor2D;

/** A Butcher tableau; `err` holds b − b̂ of an embedded pair. */
interface Tableau {
  c: number[];
  a: number[][];
  b: number[];
  err?: number[];
}

const TABLEAUX = {
  euler: { c: [0], a: [[]], b: [1] },
  heun: { c: [0, 1], a: [[], [1]], b: [0.5, 0.5] },
  rk4: { c: [0, 0.5, 0.5, 1], a: [[], [0.5], [0, 0.5], [0, 0, 1]], b: [1 / 6, 1 / 3, 1 / 3, 1 / 6] },
  dopri5: {
    c: [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1],
    a: [
      [],
      [1 / 5],
      [3 / 40, 9 / 40],
      [44 / 45, -56 / 15, 32 / 9],
      [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
      [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
      [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
    ],
    b: [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0],
    err: [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40],
  },
} satisfies Record<string, Tableau>;

/** The integration methods. */
export type OdeMethod = keyof typeof TABLEAUX;
/** The fixed-step methods (everything but the adaptive `dopri5`). */
export type FixedStepMethod = Exclude<OdeMethod, 'dopri5'>;

/** Throws unless `method` names an integrator. */
export function checkMethod(method: string): asserts method is OdeMethod {
  if (!(method in TABLEAUX)) throw new ArgumentError('method', `one of ${Object.keys(TABLEAUX).join(', ')}`, method);
}

function axpy(x: tf.Tensor2D, h: number, coeffs: number[], k: tf.Tensor2D[]): tf.Tensor2D {
  let out = x;
  coeffs.forEach((c, j) => {
    if (c !== 0) out = tf.add(out, tf.mul(k[j], h * c));
  });
  return out;
}

/**
 * One Runge–Kutta step x ↦ x + h Σ b_i k_i, k_i = f(t + c_i h, x + h Σ_j a_ij k_j).
 * Synchronous and differentiable; the caller owns the intermediate tensors (use `tf.tidy`).
 * Returns the new state, the embedded error estimate h Σ (b_i − b̂_i) k_i for `dopri5`, and the
 * last stage (for `dopri5`, f(t + h, x_new): first-same-as-last, reusable as the next `k1`).
 */
export function rkStep(method: OdeMethod, f: Field, t: number, h: number, x: tf.Tensor2D, k1?: tf.Tensor2D): { x: tf.Tensor2D; err?: tf.Tensor2D; last: tf.Tensor2D } {
  const tab: Tableau = TABLEAUX[method];
  const k = [k1 ?? f(t, x)];
  for (let i = 1; i < tab.c.length; i++) k.push(f(t + tab.c[i] * h, axpy(x, h, tab.a[i], k)));
  return { x: axpy(x, h, tab.b, k), err: tab.err && axpy(tf.zerosLike(x), h, tab.err, k), last: k[k.length - 1] };
}

/** Options of {@link solveOde}. */
export interface OdeOptions extends LoopOptions {
  /** Start time (default 0). */
  t0?: number;
  /** End time (default 1); t1 < t0 integrates backwards. */
  t1?: number;
  /** Default `'rk4'`. */
  method?: OdeMethod;
  /** Number of steps of a fixed-step method (default 100). */
  steps?: number;
  /** Relative and absolute tolerances of `dopri5` (default 1e-5 and 1e-6). */
  rtol?: number;
  atol?: number;
  /** Largest number of attempted `dopri5` steps before giving up (default 10000). */
  maxSteps?: number;
  /** The phase name reported to observers (default `'ode'`). */
  phase?: string;
}

/** What {@link solveOde} returns. */
export interface OdeResult {
  /** The state at t1 (or where the loop was aborted), owned by the caller. */
  x: tf.Tensor2D;
  /** The time reached (t1 unless aborted). */
  t: number;
  /** Accepted steps, rejected steps, and evaluations of f. */
  steps: number;
  rejected: number;
  nfe: number;
}

/**
 * Integrates dx/dt = f(t, x) from t0 to t1 for a batch x0 [n, d] (not consumed). Fixed-step
 * methods use `steps` equal steps; `dopri5` adapts the step to keep the local error
 * ‖err‖_RMS ≤ 1 with err_i scaled by atol + rtol·max(|x_i|, |x̂_i|), updating
 * h ← h·min(5, max(0.2, 0.9‖err‖^{−1/5})). Each accepted step reports `t` and the current
 * samples to the observers (a time slider can show the marginals along t).
 */
export async function solveOde(f: Field, x0: tf.Tensor2D, opts: OdeOptions = {}): Promise<OdeResult> {
  const { t0 = 0, t1 = 1, method = 'rk4', steps = 100, rtol = 1e-5, atol = 1e-6, maxSteps = 10000 } = opts;
  checkBatch('x0', x0);
  checkMethod(method);
  if (!Number.isFinite(t0)) throw new ArgumentError('t0', 'a finite number', t0);
  if (!Number.isFinite(t1) || t1 === t0) throw new ArgumentError('t1', `a finite number ≠ t0 = ${t0}`, t1);
  checkPositiveInt('steps', steps);
  checkPositive('rtol', rtol);
  checkPositive('atol', atol);
  checkPositiveInt('maxSteps', maxSteps);
  const [n, d] = x0.shape;
  const adaptive = method === 'dopri5';
  const monitor = new LoopMonitor(opts.phase ?? 'ode', adaptive ? maxSteps : steps, opts);
  let x = tf.clone(x0);
  let k1: tf.Tensor2D | undefined;
  let t = t0;
  let h = adaptive ? (t1 - t0) / 100 : (t1 - t0) / steps;
  let accepted = 0;
  let rejected = 0;
  let nfe = 0;
  const stages = TABLEAUX[method].c.length;
  try {
    while ((t1 - t) * Math.sign(h) > 1e-12 * Math.max(1, Math.abs(t1))) {
      if (adaptive && accepted + rejected >= maxSteps) throw new Error(`solveOde: dopri5 needed more than maxSteps = ${maxSteps} steps`);
      if (Math.abs(h) > Math.abs(t1 - t)) h = t1 - t;
      const xOld = x;
      const step = tf.tidy(() => rkStep(method, f, t, h, xOld, k1));
      nfe += k1 ? stages - 1 : stages;
      let ok = true;
      let factor = 1;
      if (adaptive) {
        const e = errorNorm(xOld, step.x, step.err!, rtol, atol);
        ok = e <= 1;
        factor = Math.min(5, Math.max(0.2, 0.9 * Math.pow(Math.max(e, 1e-10), -0.2)));
        if (!Number.isFinite(e)) throw new Error(`solveOde: non-finite error estimate at t = ${t}`);
      }
      step.err?.dispose();
      if (!ok) {
        step.x.dispose();
        step.last.dispose();
        rejected++;
        h *= factor;
        continue;
      }
      k1?.dispose();
      xOld.dispose();
      x = step.x;
      if (adaptive) k1 = step.last;
      else step.last.dispose();
      t = !adaptive && accepted === steps - 1 ? t1 : t + h;
      accepted++;
      h *= factor;
      if (await monitor.tick({ step: accepted, metrics: { t, h }, t, samples: { data: x.dataSync() as Float32Array, n, d } })) break;
    }
  } catch (e) {
    x.dispose();
    throw e;
  } finally {
    k1?.dispose();
    monitor.end();
  }
  return { x, t, steps: accepted, rejected, nfe };
}

/** ‖err ⊘ (atol + rtol·max(|x|, |x̂|))‖_RMS over every entry of the batch. */
function errorNorm(x: tf.Tensor2D, xNew: tf.Tensor2D, err: tf.Tensor2D, rtol: number, atol: number): number {
  const a = x.dataSync();
  const b = xNew.dataSync();
  const e = err.dataSync();
  let s = 0;
  for (let i = 0; i < e.length; i++) {
    const r = e[i] / (atol + rtol * Math.max(Math.abs(a[i]), Math.abs(b[i])));
    s += r * r;
  }
  return Math.sqrt(s / e.length);
}
