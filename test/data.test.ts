import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ArgumentError } from '../src/core/errors.js';
import { dataPath, loadBreastCancer, loadDigits, loadMnist, parseIdx } from '../src/data/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'tl-data-'));
function write(name: string, body: string | Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, body);
  return p;
}

/** An IDX file: magic 00 00 type ndim, big-endian dims, then the payload bytes. */
function idx(type: number, shape: number[], payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + payload.length);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = shape.length;
  shape.forEach((s, i) => view.setUint32(4 + 4 * i, s, false));
  out.set(payload, 4 + 4 * shape.length);
  return out;
}

function isArgError(arg: string, pattern: RegExp): (e: unknown) => boolean {
  return (e) => e instanceof ArgumentError && e.argument === arg && pattern.test(e.message);
}

test('the data folder resolves relative to the package', () => {
  for (const f of ['breast_cancer.csv', 'digits.csv.gz', 'mnist/t10k-images-idx3-ubyte.gz', 'README.md']) assert.ok(existsSync(dataPath(f)), f);
});

test('breast cancer: 569 x 31 design with intercept first, columns standardised with divisor n − 1', () => {
  const { X, y, n, d, featureMean, featureSd } = loadBreastCancer();
  assert.equal(n, 569);
  assert.equal(d, 31);
  assert.equal(X.length, n * d);
  assert.equal(y.reduce((a, b) => a + b, 0), 357);
  for (let i = 0; i < n; i++) assert.equal(X[i * d], 1);
  for (let j = 1; j < d; j++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      s += X[i * d + j];
      s2 += X[i * d + j] ** 2;
    }
    assert.ok(Math.abs(s / n) < 1e-6, `column ${j} mean ${s / n}`);
    assert.ok(Math.abs(s2 / (n - 1) - 1) < 1e-5, `column ${j} sample variance ${s2 / (n - 1)}`);
  }
  // first data line: 17.99, ..., label 0; recompute its standardisation independently
  const raw = readFileSync(dataPath('breast_cancer.csv'), 'utf8').split('\n')[1].split(',').map(Number);
  assert.equal(y[0], raw[30]);
  for (const j of [0, 3, 29]) assert.ok(Math.abs(X[1 + j] - (raw[j] - featureMean[j]) / featureSd[j]) < 1e-6);
  assert.ok(Math.abs(featureMean[0] - 14.127291739894552) < 1e-9, `mean radius ${featureMean[0]}`);
});

test('breast cancer: malformed files are ArgumentErrors naming the line', () => {
  const cases: Array<[string, RegExp]> = [
    [write('bad-header.csv', 'rows,features\n1,2,0\n'), /header/],
    [write('ragged.csv', '2,2,a,b\n1,2,0\n1,0\n'), /3 comma-separated values on line 3, got 2$/],
    [write('nonnum.csv', '2,2,a,b\n1,x,0\n1,2,1\n'), /finite numbers on line 2, got "x"/],
    [write('count.csv', '3,2,a,b\n1,2,0\n1,3,1\n'), /3 data rows/],
    [write('label.csv', '2,2,a,b\n1,2,0\n3,4,2\n'), /labels 0 or 1 in the last column on line 3 .*, got 2$/],
    [write('const.csv', '2,2,a,b\n1,2,0\n1,4,1\n'), /non-constant feature 0/],
    [join(tmp, 'missing.csv'), /existing file/],
  ];
  for (const [p, re] of cases) assert.throws(() => loadBreastCancer(p), isArgError('path', re), p);
});

test('digits: 1797 images of 8x8 with values 0..16 and all ten labels', () => {
  const { images, labels, n, height, width } = loadDigits();
  assert.equal(n, 1797);
  assert.equal(height * width, 64);
  assert.equal(images.length, n * 64);
  assert.ok(images.every((v) => Number.isInteger(v) && v >= 0 && v <= 16));
  const counts = new Array(10).fill(0);
  labels.forEach((l) => counts[l]++);
  assert.ok(counts.every((c) => c >= 170 && c <= 190), `label counts ${counts}`);
  // first row of the file: 0,0,5,13,9,1,0,0,... label 0
  assert.deepEqual(Array.from(images.subarray(0, 8)), [0, 0, 5, 13, 9, 1, 0, 0]);
  assert.equal(labels[0], 0);
});

test('digits: corrupt gzip, bad pixels and labels are ArgumentErrors', () => {
  const row = (px: number, label: number) => `${new Array(64).fill(px).join(',')},${label}`;
  assert.throws(() => loadDigits(write('corrupt.gz', Uint8Array.from([0x1f, 0x8b, 1, 2, 3, 4]))), isArgError('path', /valid gzip/));
  assert.throws(() => loadDigits(write('pix.csv.gz', gzipSync(`${row(3, 1)}\n${row(17, 2)}\n`))), isArgError('path', /pixel values 0 … 16 in row 2 .*got 17$/));
  assert.throws(() => loadDigits(write('lab.csv', `${row(3, 10)}\n`)), isArgError('path', /labels 0 … 9/));
  assert.throws(() => loadDigits(write('short.csv', '1,2,3\n')), isArgError('path', /65 comma-separated values on line 1, got 3/));
  const ok = loadDigits(write('ok.csv.gz', gzipSync(`${row(3, 1)}\n${row(16, 9)}\n`)));
  assert.equal(ok.n, 2);
  assert.deepEqual(Array.from(ok.labels), [1, 9]);
});

test('parseIdx: reads uint8 and big-endian int32/float32; rejects bad magic, truncation, trailing bytes', () => {
  const u8 = parseIdx(idx(0x08, [2, 3], Uint8Array.from([1, 2, 3, 4, 5, 255])));
  assert.equal(u8.type, 'uint8');
  assert.deepEqual(u8.shape, [2, 3]);
  assert.deepEqual(Array.from(u8.data), [1, 2, 3, 4, 5, 255]);
  const i32 = parseIdx(idx(0x0c, [2], Uint8Array.from([0, 0, 1, 2, 0xff, 0xff, 0xff, 0xfe])));
  assert.deepEqual(Array.from(i32.data), [258, -2]);
  const f32 = parseIdx(idx(0x0d, [1], Uint8Array.from([0x3f, 0xc0, 0, 0])));
  assert.deepEqual(Array.from(f32.data), [1.5]);

  const good = idx(0x08, [2, 2], Uint8Array.from([1, 2, 3, 4]));
  const cases: Array<[Uint8Array, RegExp]> = [
    [Uint8Array.from([0, 0]), /4-byte magic/],
    [Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 1, 7]), /magic number.*01 00 08 01/],
    [Uint8Array.from([0, 0, 0x07, 1, 0, 0, 0, 1, 7]), /magic number/],
    [Uint8Array.from([0, 0, 8, 0]), /magic number/],
    [good.subarray(0, 8), /12-byte IDX header.*truncated/],
    [good.subarray(0, good.length - 1), /16 bytes.*15 bytes \(truncated\)/],
    [Uint8Array.from([...good, 9]), /trailing data/],
  ];
  for (const [bytes, re] of cases) assert.throws(() => parseIdx(bytes, 'file.idx'), isArgError('file.idx', re));
});

test('MNIST test split: 10,000 28x28 uint8 images with the official label counts', () => {
  const { images, labels, n, height, width } = loadMnist({ split: 'test' });
  assert.equal(n, 10000);
  assert.equal(height, 28);
  assert.equal(width, 28);
  assert.equal(images.length, n * 784);
  const counts = new Array(10).fill(0);
  labels.forEach((l) => counts[l]++);
  assert.deepEqual(counts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  assert.equal(labels[0], 7);
  let max = 0;
  for (const v of images) max = Math.max(max, v);
  assert.equal(max, 255);
});

test('MNIST: other folders, gzipped or not; missing training split and inconsistent files are ArgumentErrors', () => {
  const dir = join(tmp, 'mnist');
  mkdirSync(dir);
  const pixels = Uint8Array.from({ length: 2 * 4 * 4 }, (_, i) => i);
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), idx(0x08, [2, 4, 4], pixels));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(idx(0x08, [2], Uint8Array.from([3, 9]))));
  const m = loadMnist({ split: 'train', dir });
  assert.equal(m.n, 2);
  assert.equal(m.height, 4);
  assert.deepEqual(Array.from(m.labels), [3, 9]);
  assert.deepEqual(m.images, pixels);

  assert.throws(() => loadMnist({ split: 'train' }), isArgError('dir', /not shipped/));
  assert.throws(() => loadMnist({ split: 'valid' as 'test' }), isArgError('split', /"test" or "train"/));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idx(0x08, [2, 4, 4], pixels));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx(0x08, [3], Uint8Array.from([1, 2, 3])));
  assert.throws(() => loadMnist({ dir }), (e: unknown) => e instanceof ArgumentError && /2 labels \(one per image\), got 3/.test(e.message));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx(0x08, [2], Uint8Array.from([1, 12])));
  assert.throws(() => loadMnist({ dir }), (e: unknown) => e instanceof ArgumentError && /labels 0 … 9 \(index 1\), got 12$/.test(e.message));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx(0x0c, [2], new Uint8Array(8)));
  assert.throws(() => loadMnist({ dir }), (e: unknown) => e instanceof ArgumentError && /uint8 labels of shape \[n\], got "int32 of shape \[2\]"/.test(e.message));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idx(0x08, [2, 4, 4], pixels).subarray(0, 30));
  assert.throws(() => loadMnist({ dir }), (e: unknown) => e instanceof ArgumentError && /truncated/.test(e.message));
});
