/**
 * User targets from files: a JavaScript module (`.js`/`.mjs`) whose default export is a
 * {@link Target} or a `{ dim, logDensity }` spec ({@link TargetSpec}), e.g.
 *
 * ```js
 * // rosenbrock.mjs
 * export default {
 *   dim: 2,
 *   logDensity: (x) => tf.tidy(() => { ... }),   // [n, 2] → [n]
 * };
 * ```
 *
 * The module is imported with the host's `import()` and checked on a few test points before
 * use, so a target that throws, returns NaN or the wrong shape fails at once with an
 * ArgumentError instead of corrupting a run.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ready, tf } from '../core/backend.js';
import { ArgumentError } from '../core/errors.js';
import { key, normal } from '../core/random.js';
import { defineTarget, type Target, type TargetSpec } from './target.js';

/** How many test points a loaded target is checked on. */
const TEST_POINTS = 4;

/**
 * Loads and validates a target module. The test points are the origin and three N(0, I) draws
 * (fixed key); at each, log π must be a number other than NaN or +∞, not −∞ at every point,
 * come as shape [n] from `logDensity`, and its autodiff gradient must be finite where log π is.
 * A fused `logDensityAndGrad`, if given, is checked the same way.
 *
 * @param argument names the source in errors (the CLI passes `--target`).
 * @throws ArgumentError(argument) for a missing file, an unsupported extension, a module that
 *   fails to import, a default export that is not a target, or a target failing the checks.
 */
export async function loadTargetFile(path: string, argument = '--target'): Promise<Target> {
  const file = resolve(path);
  const ext = extname(file);
  if (!['.js', '.mjs', '.cjs'].includes(ext)) throw new ArgumentError(argument, 'a .js, .mjs or .cjs file', path);
  if (!existsSync(file)) throw new ArgumentError(argument, 'an existing file', path);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (e) {
    throw new ArgumentError(argument, `a module that loads (${path}: ${firstLine(e)})`);
  }
  const spec = mod.default as Partial<TargetSpec> | undefined;
  if (!spec || typeof spec !== 'object' || typeof spec.logDensity !== 'function' || !Number.isInteger(spec.dim) || (spec.dim as number) < 1) {
    throw new ArgumentError(argument, `a default export { dim: positive integer, logDensity(x: [n, d]) → [n] } (${path})`, spec);
  }
  const target = defineTarget({ name: basename(file, ext), ...(spec as TargetSpec) });
  await ready();
  validate(target, argument, path);
  return target;
}

/** Evaluates the target on the test points and throws an ArgumentError naming what is wrong. */
function validate(target: Target, argument: string, path: string): void {
  const d = target.dim;
  const n = TEST_POINTS;
  const x = new Float32Array(n * d);
  x.set(normal(key(0), (n - 1) * d), d);
  const where = `${target.name} (${path})`;
  // the forward pass first, outside tf.grad: an exception inside a gradient tape can leave
  // TensorFlow.js's engine holding tensors
  let logp: Float32Array;
  try {
    logp = tf.tidy(() => {
      const out: unknown = target.logDensity(tf.tensor2d(x, [n, d]));
      if (!(out instanceof tf.Tensor)) throw new ArgumentError(argument, `logDensity to return a tensor (${where})`, out);
      if (out.shape.length !== 1 || out.shape[0] !== n) {
        throw new ArgumentError(argument, `logDensity(x: [${n}, ${d}]) to return shape [${n}] (${where})`, `shape [${out.shape.join(', ')}]`);
      }
      return out.dataSync() as Float32Array;
    });
  } catch (e) {
    if (e instanceof ArgumentError) throw e;
    throw new ArgumentError(argument, `a logDensity that evaluates on a batch [${n}, ${d}] (${where}: ${firstLine(e)})`);
  }
  let grad: Float32Array;
  try {
    grad = tf.tidy(() => tf.grad((z: tf.Tensor) => tf.sum(target.logDensity(z as tf.Tensor2D)))(tf.tensor2d(x, [n, d])).dataSync() as Float32Array);
  } catch (e) {
    throw new ArgumentError(argument, `a logDensity that TensorFlow.js can differentiate (${where}: ${firstLine(e)})`);
  }
  checkValues('logDensity', logp, grad);
  if (target.logDensityAndGrad) {
    const lp2 = new Float32Array(n);
    const g2 = new Float32Array(n * d);
    try {
      target.logDensityAndGrad(x, n, lp2, g2);
    } catch (e) {
      throw new ArgumentError(argument, `a logDensityAndGrad that evaluates on a batch [${n}, ${d}] (${where}: ${firstLine(e)})`);
    }
    checkValues('logDensityAndGrad', lp2, g2);
  }

  function checkValues(what: string, lp: Float32Array, g: Float32Array): void {
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(lp[i]) || lp[i] === Infinity) {
        throw new ArgumentError(argument, `${what} to return finite values or -Infinity (${where})`, `${lp[i]} at test point ${i}`);
      }
      for (let j = 0; j < d && lp[i] > -Infinity; j++) {
        if (!Number.isFinite(g[i * d + j])) {
          throw new ArgumentError(argument, `a finite gradient of ${what} where the density is positive (${where})`, `${g[i * d + j]} at test point ${i}`);
        }
      }
    }
    if (lp.every((v) => v === -Infinity)) {
      throw new ArgumentError(argument, `${what} finite at some test point (the origin or N(0, I) draws) (${where})`, '-Infinity at all of them');
    }
  }
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}
