/**
 * Writing an MCMC trace as CSV (columns chain, step, x0 … x{d−1}, logDensity, accepted; one row
 * per recorded draw and chain, draw-major), streamed in blocks so that million-row traces do
 * not build one giant string.
 *
 * @module
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { ArgumentError } from '../core/errors.js';
import type { Trace } from '../mcmc/trace.js';

/** Rows per block handed to the stream. */
const BLOCK_ROWS = 4096;

/** A float32 value with 9 significant digits: enough to read the same float32 back. */
function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(9) : String(v);
}

/** Writes `trace` to `path` as CSV; resolves when the file is complete. */
export async function writeTraceCSV(path: string, trace: Trace): Promise<void> {
  const table = trace.table();
  const names = table.columnNames();
  const cols = names.map((c) => table.array(c) as ArrayLike<number>);
  const integer = names.map((c) => c === 'chain' || c === 'step' || c === 'accepted');
  const rows = table.numRows();
  const out = createWriteStream(path);
  const failed = new Promise<never>((_, reject) =>
    out.once('error', (e) => reject(new ArgumentError('--out', `a writable file (${e.message})`, path))),
  );
  failed.catch(() => {}); // observed through the races below
  const write = async (s: string) => {
    if (!out.write(s)) await Promise.race([once(out, 'drain'), failed]);
  };
  await write(`${names.join(',')}\n`);
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    let block = '';
    for (let r = r0; r < Math.min(rows, r0 + BLOCK_ROWS); r++) {
      let line = integer[0] ? String(cols[0][r]) : fmt(cols[0][r]);
      for (let j = 1; j < cols.length; j++) line += `,${integer[j] ? String(cols[j][r]) : fmt(cols[j][r])}`;
      block += `${line}\n`;
    }
    await write(block);
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
}
