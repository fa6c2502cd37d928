/**
 * One dense layer y = act(x W + b), with a fast backward pass on the wasm backend.
 *
 * The gradients of a dense layer are dx = du Wᵀ, dW = xᵀ du and db = 1ᵀ du (du = dy ⊙ act′(u),
 * u = x W + b). TensorFlow.js's own gradient of `matMul` computes them as products with
 * `transposeA`/`transposeB`, which the wasm backend runs ~10x slower than plain products, and
 * its `sum` over rows transposes first. Here the layer is one taped operation whose backward
 * pass transposes with a fast blocked kernel (./wasmKernels.ts) and uses plain products only:
 * dx = du · (Wᵀ), dW = (xᵀ) · du, db = 1ᵀ · du. XNNPACK (the wasm backend's matrix
 * library) repacks the right operand of every product, which costs about as much as a
 * transpose for a [4096, 256] operand, so when x has fewer columns than du (a first layer) dW
 * is computed as (duᵀ · x)ᵀ, packing only the narrow x; otherwise db reuses the packed du
 * (XNNPACK operators are cached per right operand). Each gradient is computed only when
 * it is needed (a gradient w.r.t. x alone skips dW and db). The forward pass is one fused
 * product with the bias (`tf.fused.matMul`).
 *
 * Measured (TF.js 4.22 wasm, one thread, this project's 2-core machine): one Adam step of
 * MLP(3, 256, 256, 256, 2) at batch 4096 (W1) 2003 → ~165 ms; the gradients of eight
 * MLP(1, 64, 64, 2) at batch 1024 (W3's conditioners) 83 → 27 ms of CPU time. What remains
 * is mostly XNNPACK's single-threaded WebAssembly-SIMD matrix product (~28 GFLOP/s).
 *
 * With the native BLAS addon (../core/native.ts: OpenBLAS `sgemm` on the wasm heap) the three
 * products run natively with `sgemm`'s transpose flags instead — x W + b, du Wᵀ and xᵀ du, no
 * transposes or repacking — db as a native column sum and SiLU's du = dy ⊙ silu′(u) in one
 * native pass (bit-identical to its four tensor ops); the WebAssembly path above is the
 * fallback when the addon is not built or `TRANSPORTLAB_NATIVE=0`. Measured (same machine,
 * OpenBLAS 0.3.21 "Cooperlake" kernels, one thread, 2026-11-24): W1's step ~154 → ~55 ms of
 * CPU time (its products 3.25 GFLOP in ~37 ms), W3's ~28 → ~16 ms; a 1024³ product runs at
 * ~100 GFLOP/s, as fast as PyTorch's (same library) in the same sitting, against ~32 for XNNPACK.
 * (Since then `mlp().apply` runs both networks as one fused op, ./fusedMlp.ts, for first-order
 * gradients: W1 ~40 ms, W3 ~8 ms; this layer serves deeper gradients and larger layers.)
 *
 * The hand-written backward pass is itself not differentiable: the layer falls back to plain
 * differentiable ops whenever a gradient of a gradient may be requested (the layer runs inside
 * two or more nested gradient computations), and on every backend other than wasm (where
 * plain ops have no such penalty).
 *
 * @module
 */
import { tf } from '../core/backend.js';
import { ArgumentError } from '../core/errors.js';
import { type Activation, activate, activationImpl } from './activations.js';
import { firstOrderOnly, type KernelFuncRunner } from './fusedMlp.js';
import { nativeMatMul, nativeSiluGrad, onNativeWasm, onWasm, sumRows, transpose2d } from './wasmKernels.js';

/**
 * y = act(x W + b) for x [n, nIn], W [nIn, nOut], b [nOut]; no activation when `activation`
 * is undefined. Differentiable to any order w.r.t. x, W and b (see the module notes for how).
 * Throws an {@link ArgumentError} on shapes that do not fit or non-float32 inputs.
 */
export function dense(x: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor1D, activation?: Activation): tf.Tensor2D {
  const shape = (t: unknown) => (t instanceof tf.Tensor ? `${t.dtype} tensor of shape [${t.shape}]` : t);
  if (!(W instanceof tf.Tensor) || W.rank !== 2 || W.dtype !== 'float32') throw new ArgumentError('W', 'a float32 matrix [nIn, nOut]', shape(W));
  const [nIn, nOut] = W.shape;
  if (!(x instanceof tf.Tensor) || x.rank !== 2 || x.shape[1] !== nIn || x.dtype !== 'float32') {
    throw new ArgumentError('x', `a float32 tensor of shape [n, ${nIn}]`, shape(x));
  }
  if (!(b instanceof tf.Tensor) || b.rank !== 1 || b.shape[0] !== nOut || b.dtype !== 'float32') {
    throw new ArgumentError('b', `a float32 tensor of shape [${nOut}]`, shape(b));
  }
  if (!onWasm() || !firstOrderOnly()) {
    const u = tf.add(tf.matMul(x, W), b) as tf.Tensor2D;
    return activation === undefined ? u : activate(u, activation);
  }
  const impl = activation === undefined ? undefined : activationImpl(activation);
  const native = onNativeWasm();
  const engine = tf.engine() as unknown as KernelFuncRunner;
  return engine.runKernelFunc({
    inputs: { x, W, b },
    forwardFunc: (_, save) => {
      const u = native ? nativeMatMul(x, W, false, false, b) : tf.fused.matMul({ a: x, b: W, bias: b });
      if (impl === undefined) {
        save([x, W]);
        return u;
      }
      const { h, saved } = impl.forward(u);
      save([x, W, ...saved]);
      return h;
    },
    backwardsFunc: (dy, [xs, Ws, ...actSaved]) => {
      let du = dy as tf.Tensor2D;
      // SiLU keeps [σ(u), u σ(u)]: natively its backward is one pass instead of four (same bits)
      if (native && activation === 'silu') du = nativeSiluGrad(dy, actSaved[0], actSaved[1]);
      else if (impl !== undefined) du = impl.backward(dy, actSaved) as tf.Tensor2D;
      if (native) {
        return {
          x: () => nativeMatMul(du, Ws as tf.Tensor2D, false, true),
          W: () => nativeMatMul(xs as tf.Tensor2D, du, true, false),
          b: () => sumRows(du),
        };
      }
      // the right operand of a product is repacked: put the narrower of x and du there
      const narrowX = (xs as tf.Tensor2D).shape[1] < du.shape[1];
      return {
        x: () => tf.matMul(du, transpose2d(Ws as tf.Tensor2D)),
        W: () => (narrowX ? transpose2d(tf.matMul(transpose2d(du), xs as tf.Tensor2D)) : tf.matMul(transpose2d(xs as tf.Tensor2D), du)),
        // 1ᵀ du: when dW = xᵀ du was computed just before, du is already packed
        b: () => tf.reshape(tf.matMul(tf.ones([1, du.shape[0]]) as tf.Tensor2D, du), [du.shape[1]]),
      };
    },
  }) as tf.Tensor2D;
}
