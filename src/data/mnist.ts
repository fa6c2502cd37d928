/**
 * MNIST (LeCun, Cortes & Burges; CC BY-SA 3.0) from standard IDX files. The package ships the
 * test split (10,000 images) in `data/mnist/`; the training split is read from a folder the
 * user gives.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from '../core/errors.js';
import type { LabelledImages } from './digits.js';
import { dataPath, readMaybeGzip } from './files.js';
import { parseIdx } from './idx.js';

/** Options of {@link loadMnist}. */
export interface MnistOptions {
  /** `test` (t10k-*, shipped) or `train` (train-*, not shipped); default `test`. */
  split?: 'test' | 'train';
  /** A folder with the IDX files (`*-images-idx3-ubyte` and `*-labels-idx1-ubyte`, optionally `.gz`); default `data/mnist`. */
  dir?: string;
}

/**
 * Loads an MNIST split: 28 × 28 uint8 images [n, 784] and labels [n].
 * @throws ArgumentError for an unknown split, missing files, malformed IDX data (see
 *   {@link parseIdx}), images that are not uint8 [n, rows, cols], labels that are not uint8 [n]
 *   in 0 … 9, or counts that differ.
 */
export function loadMnist(opts: MnistOptions = {}): LabelledImages<Uint8Array> {
  const split = opts.split ?? 'test';
  if (split !== 'test' && split !== 'train') throw new ArgumentError('split', '"test" or "train"', split);
  const dir = opts.dir ?? dataPath('mnist');
  const prefix = split === 'test' ? 't10k' : 'train';
  const imgFile = find(dir, `${prefix}-images-idx3-ubyte`, split);
  const lblFile = find(dir, `${prefix}-labels-idx1-ubyte`, split);
  const img = parseIdx(readMaybeGzip(imgFile), imgFile);
  const lbl = parseIdx(readMaybeGzip(lblFile), lblFile);
  if (img.type !== 'uint8' || img.shape.length !== 3) {
    throw new ArgumentError(imgFile, 'uint8 images of shape [n, rows, cols]', `${img.type} of shape [${img.shape.join(', ')}]`);
  }
  if (lbl.type !== 'uint8' || lbl.shape.length !== 1) {
    throw new ArgumentError(lblFile, 'uint8 labels of shape [n]', `${lbl.type} of shape [${lbl.shape.join(', ')}]`);
  }
  const [n, height, width] = img.shape;
  if (lbl.shape[0] !== n) throw new ArgumentError(lblFile, `${n} labels (one per image)`, lbl.shape[0]);
  const labels = lbl.data as Uint8Array;
  const bad = labels.findIndex((v) => v > 9);
  if (bad >= 0) throw new ArgumentError(lblFile, `labels 0 … 9 (index ${bad})`, labels[bad]);
  return { images: img.data as Uint8Array, labels, n, height, width };
}

function find(dir: string, base: string, split: string): string {
  for (const name of [`${base}.gz`, base]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  const hint = split === 'train' ? ' (the training split is not shipped: pass dir, a folder holding the official MNIST files)' : '';
  throw new ArgumentError('dir', `a folder containing ${base}[.gz]${hint}`, dir);
}
