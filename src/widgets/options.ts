/**
 * Validation of the options shared by the widgets.
 *
 * @module
 */
import { ArgumentError, checkNonNegativeInt, checkPositiveInt } from '../core/errors.js';

/** Checks a list of distinct coordinate indices (non-empty, non-negative integers). */
export function checkDims(dims: unknown): asserts dims is number[] {
  if (!Array.isArray(dims) || dims.length === 0) throw new ArgumentError('dims', 'a non-empty array of coordinate indices', dims);
  dims.forEach((j, i) => checkNonNegativeInt(`dims[${i}]`, j as number));
  if (new Set(dims).size !== dims.length) throw new ArgumentError('dims', 'distinct coordinate indices', dims);
}

/** Checks `labels` against `dims` and returns them (default `x[j]`). */
export function labelsOf(dims: number[], labels: unknown): string[] {
  if (labels === undefined) return dims.map((j) => `x[${j}]`);
  if (!Array.isArray(labels) || labels.length !== dims.length || !labels.every((l) => typeof l === 'string')) {
    throw new ArgumentError('labels', `${dims.length} strings (one per coordinate in dims)`, labels);
  }
  return labels;
}

/** Checks an optional positive integer option and returns it or its default. */
export function positiveInt(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  checkPositiveInt(name, v);
  return v;
}

/** Checks an optional list of phase names. */
export function checkPhases(phases: unknown): asserts phases is string[] | undefined {
  if (phases !== undefined && !(Array.isArray(phases) && phases.every((p) => typeof p === 'string'))) throw new ArgumentError('phases', 'an array of phase names', phases);
}
