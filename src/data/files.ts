/**
 * Where the shipped data sets live, and reading (optionally gzipped) files with errors that
 * name the file. The `data/` folder sits at the package root, two levels above this module
 * both in `src/data/` (tsx, tests) and in `dist/data/` (the built package).
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { ArgumentError } from '../core/errors.js';

/** The absolute path of a file in the package's `data/` folder. */
export function dataPath(name: string): string {
  return fileURLToPath(new URL(`../../data/${name}`, import.meta.url));
}

/**
 * The bytes of a file, gunzipped when they start with the gzip magic number 1f 8b.
 * @throws ArgumentError(`argument`) when the file is missing or is corrupt gzip.
 */
export function readMaybeGzip(path: string, argument = 'path'): Uint8Array {
  if (!existsSync(path)) throw new ArgumentError(argument, 'an existing file', path);
  const raw = readFileSync(path);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipSync(raw);
    } catch (e) {
      throw new ArgumentError(argument, `a valid gzip file (${path}: ${(e as Error).message})`);
    }
  }
  return raw;
}

/** A numeric table read from CSV text: `rows` × `cols` values, row-major, in float64. */
export interface NumericTable {
  rows: number;
  cols: number;
  values: Float64Array;
}

/**
 * Parses comma-separated numbers (one record per line, blank lines ignored, no quoting) into a
 * table with exactly `cols` columns.
 * @throws ArgumentError(`argument`) naming the line of a ragged row or of a value that is not a finite number.
 */
export function parseNumericCsv(text: string, cols: number, argument: string, firstLine = 1): NumericTable {
  const lines = text.split(/\r?\n/);
  const values: number[] = [];
  let rows = 0;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = line.split(',');
    if (cells.length !== cols) throw new ArgumentError(argument, `${cols} comma-separated values on line ${i + firstLine}`, cells.length);
    for (const c of cells) {
      const v = c.trim() === '' ? NaN : Number(c);
      if (!Number.isFinite(v)) throw new ArgumentError(argument, `finite numbers on line ${i + firstLine}`, c);
      values.push(v);
    }
    rows++;
  });
  return { rows, cols, values: Float64Array.from(values) };
}
