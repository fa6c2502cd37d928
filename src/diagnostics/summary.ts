/**
 * A per-dimension summary of MCMC draws, with the columns of ArviZ's `summary`: mean, sd, bulk
 * and tail ESS, rank-normalised split R̂ and the Monte Carlo standard error of the mean (see
 * {@link ./convergence} for the formulas). Rows are plain objects (JSON-ready), or an arquero
 * table with {@link summaryTable}.
 *
 * @module
 */
import { from, type ColumnTable } from 'arquero';
import { ArgumentError } from '../core/errors.js';
import { internals } from './convergence.js';
import { chainMatrix, type Chains } from './input.js';

const { Draws, rankRhatOf, essBulkOf, essTailOf, mcseOf, variance } = internals;

/** One row of a summary. */
export interface SummaryRow {
  name: string;
  mean: number;
  sd: number;
  essBulk: number;
  essTail: number;
  rhat: number;
  mcse: number;
}

/**
 * Summary statistics per dimension. `dims` is either an array with one entry per coordinate
 * (`dims[j]` = chains × draws of coordinate j, named `names[j]` or `x[j]`), or a record from
 * names to such chains.
 */
export function summary(dims: Chains[] | Record<string, Chains>, names?: string[]): SummaryRow[] {
  let entries: [string, Chains][];
  if (Array.isArray(dims)) {
    if (names !== undefined && names.length !== dims.length) {
      throw new ArgumentError('names', `${dims.length} names (one per dimension)`, names.length);
    }
    entries = dims.map((c, j) => [names?.[j] ?? `x[${j}]`, c]);
  } else if (dims !== null && typeof dims === 'object') {
    entries = Object.entries(dims);
  } else {
    throw new ArgumentError('dims', 'an array or record of chains × draws per dimension', dims);
  }
  if (entries.length === 0) throw new ArgumentError('dims', 'at least one dimension', 'none');
  return entries.map(([name, chains]) => row(name, chains));
}

function row(name: string, chains: Chains): SummaryRow {
  const a = chainMatrix(`dims[${JSON.stringify(name)}]`, chains);
  const d = new Draws(a); // split and sorted once for the whole row
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += a.data[i];
  return {
    name,
    mean: s / a.data.length,
    sd: Math.sqrt(variance(a.data)),
    essBulk: essBulkOf(d),
    essTail: essTailOf(d),
    rhat: rankRhatOf(d),
    mcse: mcseOf(d),
  };
}

/** {@link summary} as an arquero table (columns name, mean, sd, essBulk, essTail, rhat, mcse). */
export function summaryTable(dims: Chains[] | Record<string, Chains>, names?: string[]): ColumnTable {
  return from(summary(dims, names));
}
