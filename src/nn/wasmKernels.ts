/**
 * Host-side kernels for the wasm backend of TensorFlow.js, written in JavaScript over the
 * backend's heap (no copies): a fast 2-D transpose, registered as a TensorFlow.js kernel (so
 * tensors, `tidy`, memory accounting and profiling behave as for built-in ops), and helpers to
 * read tensor values and to compute a new tensor in one fused pass (optimiser updates). On
 * other backends the same functions fall back to read-backs and uploads.
 *
 * Measured on the project's machine (TF.js 4.22, wasm SIMD, one thread): `tf.transpose` of a
 * [4096, 256] float32 matrix takes ~6.5 ms and `tf.matMul` with `transposeA`/`transposeB`
 * runs at ~2 GFLOP/s against ~27 GFLOP/s for a plain product (the backend sends transposed
 * products to a scalar fallback instead of XNNPACK). The register-blocked transpose below takes
 * ~1.3 ms for the same matrix, so "transpose, then a plain product" beats a transposed
 * product by ~10x on the shapes of dense-layer gradients.
 *
 * When the native BLAS addon loads (../core/native.ts), two more kernels run products and
 * column sums natively on the same heap: {@link nativeMatMul} (OpenBLAS `sgemm` with its
 * transpose flags: no transposes or repacking), {@link sumRows} and {@link nativeSiluGrad}.
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { type NativeBlas, nativeBlas } from '../core/native.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const TRANSPOSE = 'TransportlabTranspose2D';
const GEMM = 'TransportlabNativeMatMul';
const SUM_ROWS = 'TransportlabNativeSumRows';
const SILU_GRAD = 'TransportlabNativeSiluGrad';

/**
 * out[j·rows + i] = x[i·cols + j]: transpose of a row-major [rows, cols] matrix, by 4 × 4
 * blocks held in registers (4 rows read sequentially, 4 output rows written 4 entries at a
 * time; ~1.3 ms for [4096, 256], against ~3 ms for an 8 × 8 tiled loop and ~6.5 ms for
 * `tf.transpose`), then the leftover rows and columns entry by entry.
 */
function transposeInto(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const rows4 = rows - (rows % 4);
  const cols4 = cols - (cols % 4);
  for (let i = 0; i < rows4; i += 4) {
    const r0 = i * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    for (let j = 0; j < cols4; j += 4) {
      const o0 = j * rows + i;
      const o1 = o0 + rows;
      const o2 = o1 + rows;
      const o3 = o2 + rows;
      out[o0] = x[r0 + j];
      out[o0 + 1] = x[r1 + j];
      out[o0 + 2] = x[r2 + j];
      out[o0 + 3] = x[r3 + j];
      out[o1] = x[r0 + j + 1];
      out[o1 + 1] = x[r1 + j + 1];
      out[o1 + 2] = x[r2 + j + 1];
      out[o1 + 3] = x[r3 + j + 1];
      out[o2] = x[r0 + j + 2];
      out[o2 + 1] = x[r1 + j + 2];
      out[o2 + 2] = x[r2 + j + 2];
      out[o2 + 3] = x[r3 + j + 2];
      out[o3] = x[r0 + j + 3];
      out[o3 + 1] = x[r1 + j + 3];
      out[o3 + 2] = x[r2 + j + 3];
      out[o3 + 3] = x[r3 + j + 3];
    }
    for (let j = cols4; j < cols; j++) for (let q = 0; q < 4; q++) out[j * rows + i + q] = x[(i + q) * cols + j];
  }
  for (let i = rows4; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j];
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

/** The addon; the native kernels are only run after {@link onNativeWasm} said it loaded. */
const blas = (): NativeBlas => nativeBlas() as NativeBlas;

tf.registerKernel({
  kernelName: GEMM,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const be = backend as BackendWasm;
    const { a, b, bias } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const [ra, ca] = a.shape;
    const [rb, cb] = b.shape;
    const [m, k, n] = [transposeA ? ca : ra, transposeA ? ra : ca, transposeB ? rb : cb];
    const out = be.makeOutput([m, n], 'float32');
    const view = (t: tf.TensorInfo) => be.typedArrayFromHeap(t) as Float32Array;
    const c = view(out);
    if (bias !== undefined) blas().fillRows(view(bias), c);
    blas().sgemm(transposeA, transposeB, m, n, k, 1, view(a), ca, view(b), cb, bias === undefined ? 0 : 1, c, n);
    return out;
  },
});

tf.registerKernel({
  kernelName: SUM_ROWS,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const be = backend as BackendWasm;
    const x = inputs.x as tf.TensorInfo;
    const out = be.makeOutput([x.shape[1]], 'float32');
    blas().sumRows(be.typedArrayFromHeap(x) as Float32Array, x.shape[1], be.typedArrayFromHeap(out) as Float32Array);
    return out;
  },
});

tf.registerKernel({
  kernelName: SILU_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const be = backend as BackendWasm;
    const { dy, s, h } = inputs as { dy: tf.TensorInfo; s: tf.TensorInfo; h: tf.TensorInfo };
    const out = be.makeOutput(dy.shape, 'float32');
    const view = (t: tf.TensorInfo) => be.typedArrayFromHeap(t) as Float32Array;
    blas().siluBackward(view(dy), view(s), view(h), view(out));
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

/** Whether the native kernels ({@link nativeMatMul}, {@link sumRows}) run: wasm backend and the addon loaded. */
export function onNativeWasm(): boolean {
  return onWasm() && nativeBlas() !== undefined;
}

/**
 * op(a) · op(b) (+ bias, broadcast over rows) for float32 matrices, op(X) = Xᵀ when its flag
 * is set, by OpenBLAS `sgemm` on the wasm heap (one product, no transposes or repacking). Only
 * where {@link onNativeWasm}; shapes are the caller's to check. Not differentiable.
 */
export function nativeMatMul(a: tf.Tensor2D, b: tf.Tensor2D, transposeA: boolean, transposeB: boolean, bias?: tf.Tensor1D): tf.Tensor2D {
  const inputs: tf.NamedTensorMap = bias === undefined ? { a, b } : { a, b, bias };
  return tf.engine().runKernel(GEMM, inputs, { transposeA, transposeB }) as tf.Tensor2D;
}

/** 1ᵀ x: the column sums of a float32 matrix [rows, cols] → [cols], natively. Only where {@link onNativeWasm}. Not differentiable. */
export function sumRows(x: tf.Tensor2D): tf.Tensor1D {
  return tf.engine().runKernel(SUM_ROWS, { x }) as tf.Tensor1D;
}

/**
 * dy ⊙ silu′(u) = dy ⊙ (s + (h − h ⊙ s)) from s = σ(u) and h = u σ(u) (the tensors silu's
 * forward pass in ./activations.ts keeps), in one native pass, bit-identical to those four
 * elementwise ops. Only where {@link onNativeWasm}; same shapes. Not differentiable.
 */
export function nativeSiluGrad(dy: tf.Tensor, s: tf.Tensor, h: tf.Tensor): tf.Tensor2D {
  return tf.engine().runKernel(SILU_GRAD, { dy, s, h }) as tf.Tensor2D;
}
