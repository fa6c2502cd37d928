/**
 * Host-side kernels for the wasm backend of TensorFlow.js, written in JavaScript over the
 * backend's heap (no copies): a fast 2-D transpose, registered as a TensorFlow.js kernel (so
 * tensors, `tidy`, memory accounting and profiling behave as for built-in ops), and helpers to
 * read tensor values and to compute a new tensor in one fused pass (optimiser updates, column
 * sums). On other backends the same functions fall back to read-backs and uploads.
 *
 * Measured on the project's machine (TF.js 4.22, wasm SIMD, one thread): `tf.transpose` of a
 * [4096, 256] float32 matrix takes ~6.5 ms and `tf.matMul` with `transposeA`/`transposeB`
 * runs at ~2 GFLOP/s against ~27 GFLOP/s for a plain product (the backend sends transposed
 * products to a scalar fallback instead of XNNPACK). The cache-blocked transpose below takes
 * ~2.5 ms for the same matrix, so "transpose, then a plain product" beats a transposed
 * product by ~10x on the shapes of dense-layer gradients.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const TRANSPOSE = 'TransportlabTranspose2D';
/** Tile edge of the blocked transpose (8 measured fastest: a tile's 8 rows stay in L1). */
const TILE = 8;

/** out[j·rows + i] = x[i·cols + j]: a cache-blocked transpose of a row-major [rows, cols] matrix. */
function transposeInto(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, rows);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, cols);
      for (let i = i0; i < i1; i++) {
        const r = i * cols;
        for (let j = j0; j < j1; j++) out[j * rows + i] = x[r + j];
      }
    }
  }
}

tf.registerKernel({
  kernelName: TRANSPOSE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const be = backend as BackendWasm;
    const x = inputs.x as tf.TensorInfo;
    const [rows, cols] = x.shape;
    const out = be.makeOutput([cols, rows], 'float32');
    // Views are taken after the allocation: growing the heap detaches older views.
    transposeInto(be.typedArrayFromHeap(x) as Float32Array, rows, cols, be.typedArrayFromHeap(out) as Float32Array);
    return out;
  },
});

/** Whether the fast kernels of this module run on the current backend. */
export function onWasm(): boolean {
  return tf.getBackend() === 'wasm';
}

/**
 * A new float32 tensor of `shape` whose values `fill(out, ...ins)` writes, given the values of
 * the float32 tensors `inputs`. On wasm `out` and `ins` are views of the backend's heap (no
 * copies: the output is allocated first, then the views are taken, so growing the heap cannot
 * detach them); elsewhere `ins` are read back and `out` is uploaded. `fill` must not run
 * TensorFlow.js ops. Not differentiable.
 */
export function computeTensor(shape: number[], inputs: tf.Tensor[], fill: (out: Float32Array, ...ins: Float32Array[]) => void): tf.Tensor {
  if (onWasm()) {
    const be = tf.backend() as BackendWasm;
    const out = be.makeOutput(shape, 'float32');
    fill(be.typedArrayFromHeap(out) as Float32Array, ...inputs.map(hostValues));
    return tf.engine().makeTensorFromTensorInfo(out);
  }
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  fill(out, ...inputs.map(hostValues));
  return tf.tensor(out, shape, 'float32');
}

/**
 * The values of a float32 tensor for reading on the host: on wasm a view of the backend's
 * heap (no copy; valid until the next tensor allocation), elsewhere a read-back.
 */
export function hostValues(t: tf.Tensor): Float32Array {
  return (onWasm() ? (tf.backend() as BackendWasm).typedArrayFromHeap(t) : t.dataSync()) as Float32Array;
}

/** xᵀ for a float32 matrix: the blocked JavaScript kernel on wasm, `tf.transpose` elsewhere. Not differentiable. */
export function transpose2d(x: tf.Tensor2D): tf.Tensor2D {
  if (!onWasm() || x.dtype !== 'float32') return tf.transpose(x);
  return tf.engine().runKernel(TRANSPOSE, { x }) as tf.Tensor2D;
}

/** The column sums Σᵢ x[i, j] of a float32 matrix [rows, cols] → [cols], accumulated in float64. Not differentiable. */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  const [rows, cols] = x.shape;
  const acc = new Float64Array(cols);
  return computeTensor([cols], [x], (out, xv) => {
    for (let i = 0; i < rows; i++) {
      const r = i * cols;
      for (let j = 0; j < cols; j++) acc[j] += xv[r + j];
    }
    out.set(acc);
  }) as tf.Tensor1D;
}
