// Installs the project's kernels into tfjs's kernel registry for the 'wasm' backend. Call after the wasm backend is
// ready. Kernels that tfjs-wasm already has (BatchMatMul, Conv2DBackpropInput) are replaced, keeping the original
// BatchMatMul for the cases that stay on XNNPACK; idempotent, so a second engine selection is harmless.
import type { KernelConfig } from '@tensorflow/tfjs-core';
import type { GemmWasm } from '../gemmWasm';
import { makeBatchMatMulKernel } from './batchMatMul';
import { makeConv2DBackpropFilterKernel, makeConv2DBackpropInputKernel } from './conv2dBackprop';
import { makeDepthwiseBackpropFilterKernel, makeDepthwiseBackpropInputKernel } from './depthwiseBackprop';
import { makeUnsortedSegmentSumKernel } from './unsortedSegmentSum';

/** The slice of the tfjs namespace this module needs (so tests can pass any tfjs-core instance). */
export interface KernelRegistry {
  getKernel(kernelName: string, backendName: string): KernelConfig | undefined;
  registerKernel(config: KernelConfig): void;
  unregisterKernel(kernelName: string, backendName: string): void;
}

export interface FastKernelOptions {
  /** Route plain 2-D products through our GEMM too (default true on one thread, where it is not slower). */
  ownPlainMatMul: boolean;
}

// Marks our configs so a second registration finds the tfjs original underneath instead of wrapping our wrapper.
const ORIGINAL = Symbol.for('csi-workbench.engine.originalKernel');
type Marked = KernelConfig & { [ORIGINAL]?: KernelConfig | undefined };

export function registerFastKernels(tf: KernelRegistry, gemm: GemmWasm, opts: FastKernelOptions): string[] {
  const existingMatMul = tf.getKernel('BatchMatMul', 'wasm') as Marked | undefined;
  const original = existingMatMul && ORIGINAL in existingMatMul ? existingMatMul[ORIGINAL] : existingMatMul;
  const matMul: Marked = makeBatchMatMulKernel(gemm, original, { ownPlain: opts.ownPlainMatMul });
  matMul[ORIGINAL] = original;
  const configs: KernelConfig[] = [
    matMul,
    makeConv2DBackpropFilterKernel(gemm),
    makeConv2DBackpropInputKernel(gemm),
    makeDepthwiseBackpropFilterKernel(),
    makeDepthwiseBackpropInputKernel(),
    makeUnsortedSegmentSumKernel(),
  ];
  for (const c of configs) {
    if (tf.getKernel(c.kernelName, 'wasm')) tf.unregisterKernel(c.kernelName, 'wasm');
    tf.registerKernel(c);
  }
  return configs.map(c => c.kernelName);
}
