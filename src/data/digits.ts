/**
 * The UCI optical recognition of handwritten digits data (Alpaydin & Kaynak, 1998; UCI ML
 * repository, CC BY 4.0), as shipped by scikit-learn: 1797 images of 8 × 8 pixels with values
 * 0 … 16, each row 64 pixels then the label 0 … 9.
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';
import { dataPath, parseNumericCsv, readMaybeGzip } from './files.js';

/** Images with labels. */
export interface LabelledImages<P extends Float32Array | Uint8Array> {
  /** Pixels [n, height · width], row-major. */
  images: P;
  /** Labels [n]. */
  labels: Uint8Array;
  n: number;
  height: number;
  width: number;
}

/**
 * Loads the 8 × 8 digits (pixel values 0 … 16 as float32).
 * @param path a CSV (optionally gzipped) of rows "64 pixels, label" (default: `data/digits.csv.gz`).
 * @throws ArgumentError('path') for a missing or corrupt file, ragged rows, non-numeric values,
 *   pixels outside 0 … 16 or labels outside 0 … 9.
 */
export function loadDigits(path = dataPath('digits.csv.gz')): LabelledImages<Float32Array> {
  const table = parseNumericCsv(new TextDecoder().decode(readMaybeGzip(path)), 65, 'path');
  const n = table.rows;
  if (n < 1) throw new ArgumentError('path', `at least one row of 65 values (${path})`, 0);
  const images = new Float32Array(n * 64);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 64; j++) {
      const v = table.values[i * 65 + j];
      if (!(Number.isInteger(v) && v >= 0 && v <= 16)) throw new ArgumentError('path', `pixel values 0 … 16 in row ${i + 1} (${path})`, v);
      images[i * 64 + j] = v;
    }
    const label = table.values[i * 65 + 64];
    if (!(Number.isInteger(label) && label >= 0 && label <= 9)) throw new ArgumentError('path', `labels 0 … 9 in row ${i + 1} (${path})`, label);
    labels[i] = label;
  }
  return { images, labels, n, height: 8, width: 8 };
}
