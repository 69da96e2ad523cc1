// BatchMatMul for the wasm backend through the project's SIMD GEMM.
//
// Why: tfjs-wasm 4.22 computes every transposed or batched product in a naive loop (0.3–1.9 GFLOP/s), and those are
// exactly the products of backprop (x^T·dy, dy·W^T) and of attention (q·k^T, att·v). Plain 2-D products without
// transposes are delegated to tfjs's own XNNPACK path unless `ownPlain` is set (an interleaved A/B run measured
// XNNPACK 1.6× faster on the reference model's plain products, our copies in and out included).
import { broadcast_util, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { GemmWasm } from '../gemmWasm';
import { KernelInputError, outputFrom, putTensor } from './heapIo';

export interface BatchMatMulOptions {
  /** Also take plain (untransposed, batch 1) products instead of delegating them to XNNPACK. */
  ownPlain: boolean;
}

export function makeBatchMatMulKernel(gemm: GemmWasm, original: KernelConfig | undefined, opts: BatchMatMulOptions): KernelConfig {
  const kernelFunc = (args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: BackendWasm; attrs: NamedAttrMap }): TensorInfo => {
    const {
      inputs: { a, b },
      backend,
      attrs,
    } = args;
    const transposeA = Boolean(attrs.transposeA);
    const transposeB = Boolean(attrs.transposeB);
    const ra = a.shape.length,
      rb = b.shape.length;
    if (ra < 2 || rb < 2) throw new KernelInputError('BatchMatMul', `expected rank >= 2 inputs, got [${a.shape}] and [${b.shape}]`);
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    if (k !== kb) {
      throw new KernelInputError(
        'BatchMatMul',
        `inner dimensions differ: [${a.shape}]${transposeA ? 'ᵀ' : ''} · ` + `[${b.shape}]${transposeB ? 'ᵀ' : ''} (${k} vs ${kb})`,
      );
    }
    const batchA = util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = util.sizeFromShape(b.shape.slice(0, -2));
    const outer = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const batch = Math.max(batchA, batchB);
    const plain = !transposeA && !transposeB && batch === 1;
    // General N-d broadcasting (e.g. [2,1]x[1,3]) is not a single stride; leave it to tfjs.
    const simpleBroadcast = batchA === batchB || batchA === 1 || batchB === 1;
    if (original && ((plain && !opts.ownPlain) || !simpleBroadcast || a.dtype !== 'float32' || b.dtype !== 'float32')) {
      return (original.kernelFunc as unknown as (x: typeof args) => TensorInfo)(args);
    }
    if (!simpleBroadcast) throw new KernelInputError('BatchMatMul', `unsupported broadcast of [${a.shape}] and [${b.shape}]`);
    gemm.reset();
    const pa = putTensor(gemm, backend, a, 'BatchMatMul');
    const pb = putTensor(gemm, backend, b, 'BatchMatMul');
    const pc = gemm.alloc(batch * m * n);
    // Element strides of op(A) and op(B) inside one batch matrix (see native/gemm.c).
    const [rsa, csa] = transposeA ? [1, m] : [k, 1];
    const [rsb, csb] = transposeB ? [1, k] : [n, 1];
    const strideA = batchA === 1 ? 0 : m * k * 4,
      strideB = batchB === 1 ? 0 : k * n * 4;
    for (let i = 0; i < batch; i++) {
      gemm.sgemm(m, n, k, pa + i * strideA, rsa, csa, pb + i * strideB, rsb, csb, pc + i * m * n * 4, n);
    }
    return outputFrom(gemm, backend, [...outer, m, n], pc);
  };
  return {
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    setupFunc: original?.setupFunc,
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
