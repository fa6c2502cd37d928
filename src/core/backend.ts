/**
 * The tensor backend. TensorFlow.js is the tensor and autodiff engine; which backend runs it
 * is chosen once, at {@link ready}:
 *
 * 1. `TRANSPORTLAB_BACKEND` (`tensorflow` | `wasm` | `cpu`) or the argument of `ready`, if set;
 * 2. otherwise `tensorflow` (native libtensorflow from `@tensorflow/tfjs-node`, an optional
 *    dependency) when it loads, then `wasm` (`@tensorflow/tfjs-backend-wasm`, SIMD), then `cpu`.
 *
 * Every asynchronous entry point of the library (run drivers, training loops, the CLI) awaits
 * `ready()`; synchronous code run before it uses TensorFlow.js's default backend. There is no
 * top-level await, so the package can also be `require`d.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { ArgumentError } from './errors.js';

export { tf };

/** The backends transportlab can run on, fastest first. */
export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

let chosen: Promise<BackendName> | undefined;

/**
 * Chooses and initialises the backend (once; later calls return the same choice).
 * @param preferred a backend to use instead of the automatic choice; `TRANSPORTLAB_BACKEND`
 *   takes precedence over it.
 * @returns the name of the backend in use.
 */
export function ready(preferred?: BackendName): Promise<BackendName> {
  chosen ??= choose(process.env.TRANSPORTLAB_BACKEND || preferred);
  return chosen;
}

async function choose(requested: string | undefined): Promise<BackendName> {
  if (requested !== undefined && !(BACKENDS as readonly string[]).includes(requested)) {
    throw new ArgumentError('TRANSPORTLAB_BACKEND', `one of ${BACKENDS.join(', ')}`, requested);
  }
  const order: BackendName[] = requested ? [requested as BackendName] : [...BACKENDS];
  const failures: string[] = [];
  for (const name of order) {
    try {
      if (name === 'tensorflow') await import('@tensorflow/tfjs-node' as string);
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
      failures.push(`${name}: did not initialise`);
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`no tensor backend could be initialised (${failures.join('; ')})`);
}

/** The backend in use, and the versions of the packages behind it (for `transportlab info`). */
export async function backendInfo(): Promise<{ backend: BackendName; versions: Record<string, string> }> {
  const backend = await ready();
  const require = createRequire(import.meta.url);
  const versions: Record<string, string> = { node: process.versions.node, ...tf.version };
  for (const pkg of ['@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node']) {
    try {
      versions[pkg.replace('@tensorflow/', '')] = require(`${pkg}/package.json`).version;
    } catch {
      versions[pkg.replace('@tensorflow/', '')] = 'not installed';
    }
  }
  return { backend, versions };
}
