// Installs the project's kernels into tfjs's kernel registry for the 'wasm' backend. Call after the wasm backend is
// ready. Kernels that tfjs-wasm already has (BatchMatMul, Sum, Conv2DBackpropInput) are replaced; BatchMatMul
// and Sum keep the original for the cases they do not take. Idempotent: a second registration wraps the originals
// again, never our own wrappers.
import type { KernelConfig } from '@tensorflow/tfjs-core';
import type { GemmWasm } from '../gemmWasm';
import { makeBatchMatMulKernel } from './batchMatMul';
import { makeConv2DBackpropFilterKernel, makeConv2DBackpropInputKernel } from './conv2dBackprop';
import { makeSumKernel } from './sum';
import { makeDepthwiseBackpropFilterKernel, makeDepthwiseBackpropInputKernel } from './depthwiseBackprop';
import { makeUnsortedSegmentSumKernel } from './unsortedSegmentSum';

/** The slice of the tfjs namespace this module needs (so tests can pass any tfjs-core instance). */
export interface KernelRegistry {
  getKernel(kernelName: string, backendName: string): KernelConfig | undefined;
  registerKernel(config: KernelConfig): void;
  unregisterKernel(kernelName: string, backendName: string): void;
}

export interface FastKernelOptions {
  /** Route plain 2-D products through our GEMM too (off by default: XNNPACK measured faster on them, A/B in one run). */
  ownPlainMatMul: boolean;
}

// Marks our configs so a second registration finds the tfjs original underneath instead of wrapping our wrapper.
const ORIGINAL = Symbol.for('csi-workbench.engine.originalKernel');
type Marked = KernelConfig & { [ORIGINAL]?: KernelConfig | undefined };

export function registerFastKernels(tf: KernelRegistry, gemm: GemmWasm, opts: FastKernelOptions): string[] {
  const original = (name: string): KernelConfig | undefined => {
    const existing = tf.getKernel(name, 'wasm') as Marked | undefined;
    return existing && ORIGINAL in existing ? existing[ORIGINAL] : existing;
  };
  const wrap = (name: string, make: (orig: KernelConfig | undefined) => KernelConfig): KernelConfig => {
    const orig = original(name);
    const config: Marked = make(orig);
    config[ORIGINAL] = orig;
    return config;
  };
  const configs: KernelConfig[] = [
    wrap('BatchMatMul', orig => makeBatchMatMulKernel(gemm, orig, { ownPlain: opts.ownPlainMatMul })),
    wrap('Sum', orig => makeSumKernel(orig)),
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
