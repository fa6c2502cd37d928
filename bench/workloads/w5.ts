/**
 * W5 (WORKLOADS.md): MALA on the Bayesian logistic-regression posterior of the breast-cancer
 * data (569 × 30, standardised with the sample standard deviation, intercept column first,
 * d = 31, prior N(0, I)), 1024 chains, ε = 1e−3, w0 ~ N(0, 0.1² I): the library's
 * `mala(logisticRegression(...))` with the fused log density and gradient.
 */
import { readFileSync } from 'node:fs';
import { normal, key } from '../../src/core/random.js';
import { logisticRegression } from '../../src/targets/logistic.js';
import { malaInstance, type Workload } from '../workload.js';

const n = 1024;

/** The breast-cancer design matrix [569, 31] (intercept, standardised features) and labels. */
function breastCancer(): { X: Float32Array; y: Float32Array; rows: number; d: number } {
  const text = readFileSync(new URL('../../../shared/data/breast_cancer.csv', import.meta.url), 'utf8');
  const lines = text.trim().split('\n');
  const [rows, feats] = lines[0].split(',').map(Number);
  const raw = lines.slice(1).map((l) => l.split(',').map(Number));
  if (raw.length !== rows || raw.some((r) => r.length !== feats + 1)) throw new Error('breast_cancer.csv: unexpected shape');
  const d = feats + 1;
  const X = new Float32Array(rows * d);
  const y = new Float32Array(rows);
  for (let j = 0; j < feats; j++) {
    const col = raw.map((r) => r[j]);
    const mean = col.reduce((s, v) => s + v, 0) / rows;
    const sd = Math.sqrt(col.reduce((s, v) => s + (v - mean) ** 2, 0) / (rows - 1));
    col.forEach((v, i) => (X[i * d + j + 1] = (v - mean) / sd));
  }
  for (let i = 0; i < rows; i++) {
    X[i * d] = 1;
    y[i] = raw[i][feats];
  }
  return { X, y, rows, d };
}

export default {
  id: 'W5',
  title: 'MALA on Bayesian logistic regression (d = 31), 1024 chains, library mala + fused gradient',
  async setup() {
    const { X, y, rows, d } = breastCancer();
    const target = logisticRegression({ X, y, n: rows, d });
    const w0 = normal(key(1), n * d).map((v) => 0.1 * v);
    return malaInstance(target, w0, n, 1e-3);
  },
} satisfies Workload;
