/**
 * Saving and loading trainable parameters as JSON, and the naming of variables.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError } from '../core/errors.js';

/** Separates a variable's logical name from the suffix that makes it unique in TensorFlow.js. */
const UNIQUE_SEP = '~';

/**
 * A variable name not yet registered with TensorFlow.js: `base` itself, else `base~2`,
 * `base~3`, ... (TensorFlow.js refuses two variables of the same name; two networks built with
 * the same name prefix must still coexist). {@link paramsToJSON} writes `base` only.
 */
export function uniqueVariableName(base: string): string {
  const taken = tf.engine().registeredVariables;
  if (!(base in taken)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}${UNIQUE_SEP}${i}`;
    if (!(candidate in taken)) return candidate;
  }
}

/** The logical name of a variable (its name without the uniqueness suffix). */
export function logicalName(v: tf.Variable): string {
  const i = v.name.lastIndexOf(UNIQUE_SEP);
  return i < 0 ? v.name : v.name.slice(0, i);
}

/** One saved parameter: its logical name, shape and values (row-major). */
export interface ParamJSON {
  name: string;
  shape: number[];
  values: number[];
}

/** The parameters' names, shapes and values, in order, as plain JSON-serialisable objects. */
export function paramsToJSON(params: tf.Variable[]): ParamJSON[] {
  return params.map((p) => ({ name: logicalName(p), shape: [...p.shape], values: Array.from(p.dataSync() as Float32Array) }));
}

/**
 * Assigns saved values (from {@link paramsToJSON}) to `params`, in order. Checks everything
 * before assigning anything: the same number of entries, each with the variable's logical
 * name, shape, and that many finite numbers; otherwise throws an {@link ArgumentError} naming
 * the first offending entry and leaves `params` unchanged.
 */
export function loadParamsJSON(params: tf.Variable[], json: unknown): void {
  if (!Array.isArray(json)) throw new ArgumentError('json', `an array of ${params.length} parameter entries`, json);
  if (json.length !== params.length) throw new ArgumentError('json', `${params.length} parameter entries`, `${json.length}`);
  const values = params.map((p, i) => {
    const e = json[i] as Partial<ParamJSON> | null;
    const where = `json[${i}]`;
    if (typeof e !== 'object' || e === null) throw new ArgumentError(where, 'an object { name, shape, values }', e);
    const name = logicalName(p);
    if (e.name !== name) throw new ArgumentError(`${where}.name`, JSON.stringify(name), e.name);
    const shape = p.shape;
    if (!Array.isArray(e.shape) || e.shape.length !== shape.length || e.shape.some((s, j) => s !== shape[j])) {
      throw new ArgumentError(`${where}.shape`, `[${shape}] (parameter ${name})`, Array.isArray(e.shape) ? `[${e.shape}]` : e.shape);
    }
    if (!Array.isArray(e.values) || e.values.length !== p.size) {
      throw new ArgumentError(`${where}.values`, `an array of ${p.size} numbers`, e.values);
    }
    const v = Float32Array.from(e.values as number[]);
    for (let j = 0; j < v.length; j++) {
      if (typeof e.values[j] !== 'number' || !Number.isFinite(v[j])) {
        throw new ArgumentError(`${where}.values[${j}]`, 'a finite number', e.values[j]);
      }
    }
    return v;
  });
  params.forEach((p, i) => tf.tidy(() => p.assign(tf.tensor(values[i], p.shape))));
}
