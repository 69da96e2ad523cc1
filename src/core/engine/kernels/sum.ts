// Sum for the wasm backend when the reduced axes are a leading block of dimensions (e.g. axis 0 of [rows, cols]).
//
// Why: tfjs-wasm 4.22 reduces a non-innermost axis by transposing first and then reducing, which measured ~60 ms for
// Sum([2048,384], axis 0): the bias gradient of every dense layer in a training step. Both block cases are a single
// streaming pass here (1.8 vs 13 ms in an interleaved A/B run). Trailing-axis sums are already fast in tfjs
// (0.15 ms for [2048,128] axis 1, ours 0.3), so those and all other cases go to tfjs's kernel.
import { util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export function makeSumKernel(original: KernelConfig | undefined): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: NamedAttrMap }): TensorInfo => {
    const {
      inputs: { x },
      backend,
      attrs,
    } = args;
    const shape = x.shape;
    const axes = util.parseAxisParam(attrs.axis as number | number[], shape).sort((a, b) => a - b);
    const r = axes.length;
    const leading = axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || r === 0 || r === shape.length || !leading) {
      if (!original) throw new Error(`Sum: no fallback kernel for axes [${axes}] of [${shape}] (${x.dtype})`);
      return (original.kernelFunc as unknown as (a: typeof args) => TensorInfo)(args);
    }
    const keep = Boolean(attrs.keepDims);
    const outShape = keep ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
    const out = backend.makeOutput(outShape, 'float32');
    const src = backend.typedArrayFromHeap(x) as Float32Array;
    const dst = backend.typedArrayFromHeap(out) as Float32Array;
    // x viewed as [outer, inner], summed over outer rows. Float64 accumulators keep long columns accurate.
    const inner = util.sizeFromShape(shape.slice(r));
    const outer = inner === 0 ? 0 : src.length / inner;
    const acc = new Float64Array(inner);
    for (let i = 0; i < outer; i++) {
      const base = i * inner;
      for (let j = 0; j < inner; j++) acc[j] += src[base + j];
    }
    dst.set(acc);
    return out;
  };
  return { kernelName: 'Sum', backendName: 'wasm', setupFunc: original?.setupFunc, kernelFunc: kernelFunc as unknown as KernelFunc };
}
