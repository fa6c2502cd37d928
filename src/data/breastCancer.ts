/**
 * The breast cancer Wisconsin (diagnostic) data (Street, Wolberg & Mangasarian, 1993; UCI ML
 * repository, CC BY 4.0): 569 tumours, 30 real features, label 1 = benign (357) / 0 = malignant.
 * The usual data of the Bayesian logistic-regression posterior benchmark (W5 in the project's
 * WORKLOADS.md).
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';
import { dataPath, parseNumericCsv, readMaybeGzip } from './files.js';

/** A design matrix with labels, ready for `targets.logisticRegression`. */
export interface BreastCancerData {
  /** Design matrix [n, d] row-major, float32: an intercept column of ones, then the standardised features. */
  X: Float32Array;
  /** Labels [n] in {0, 1} (1 = benign). */
  y: Float32Array;
  /** Number of observations (569). */
  n: number;
  /** Number of columns of X (31: intercept + 30 features). */
  d: number;
  /** The feature means used to standardise ([30]). */
  featureMean: Float64Array;
  /** The feature sample standard deviations (divisor n − 1) used to standardise ([30]). */
  featureSd: Float64Array;
}

/**
 * Loads the breast-cancer CSV (header `569,30,malignant,benign`, then per row 30 features and a
 * 0/1 label) and builds X = [1, (x − mean) / sd] with the sample standard deviation
 * (divisor n − 1), exactly as workload W5 prescribes.
 *
 * @param path a CSV file of this format (default: the copy shipped in `data/`).
 * @throws ArgumentError('path') for a missing file, a bad header, ragged rows, non-numeric
 *   values, labels other than 0/1, or a constant feature.
 */
export function loadBreastCancer(path = dataPath('breast_cancer.csv')): BreastCancerData {
  const text = new TextDecoder().decode(readMaybeGzip(path));
  const nl = text.indexOf('\n');
  const header = (nl < 0 ? text : text.slice(0, nl)).trim().split(',');
  const n = Number(header[0]);
  const p = Number(header[1]);
  if (header.length < 2 || !Number.isInteger(n) || n < 2 || !Number.isInteger(p) || p < 1) {
    throw new ArgumentError('path', `a header line "rows,features,..." (${path})`, header.join(','));
  }
  const table = parseNumericCsv(nl < 0 ? '' : text.slice(nl + 1), p + 1, 'path', 2);
  if (table.rows !== n) throw new ArgumentError('path', `${n} data rows as the header says (${path})`, table.rows);
  const v = table.values;
  const featureMean = new Float64Array(p);
  const featureSd = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[i * (p + 1) + j];
    const m = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (v[i * (p + 1) + j] - m) ** 2;
    featureMean[j] = m;
    featureSd[j] = Math.sqrt(ss / (n - 1));
    if (!(featureSd[j] > 0)) throw new ArgumentError('path', `a non-constant feature ${j} (${path})`);
  }
  const d = p + 1;
  const X = new Float32Array(n * d);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    X[i * d] = 1;
    for (let j = 0; j < p; j++) X[i * d + 1 + j] = (v[i * (p + 1) + j] - featureMean[j]) / featureSd[j];
    const label = v[i * (p + 1) + p];
    if (label !== 0 && label !== 1) throw new ArgumentError('path', `labels 0 or 1 in the last column on line ${i + 2} (${path})`, label);
    y[i] = label;
  }
  return { X, y, n, d, featureMean, featureSd };
}
