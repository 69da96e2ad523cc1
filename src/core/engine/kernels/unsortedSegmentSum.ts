// UnsortedSegmentSum for the wasm backend: the gradient of gather (embedding lookups), which tfjs-wasm 4.22 lacks,
// so without it no embedding layer can train on wasm. A plain JS scatter-add: it is memory-bound, SIMD would not help.
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KernelInputError } from './heapIo';

export function makeUnsortedSegmentSumKernel(): KernelConfig {
  const kernelFunc = (args: {
    inputs: { x: TensorInfo; segmentIds: TensorInfo };
    backend: BackendWasm;
    attrs: NamedAttrMap;
  }): TensorInfo => {
    const {
      inputs: { x, segmentIds },
      backend,
      attrs,
    } = args;
    const numSegments = Number(attrs.numSegments);
    if (!Number.isInteger(numSegments) || numSegments < 0) {
      throw new KernelInputError('UnsortedSegmentSum', `expected a non-negative integer numSegments, got ${attrs.numSegments}`);
    }
    if (x.dtype !== 'float32') throw new KernelInputError('UnsortedSegmentSum', `expected float32 x, got ${x.dtype}`);
    const idRank = segmentIds.shape.length;
    if (idRank > x.shape.length || segmentIds.shape.some((d, i) => d !== x.shape[i])) {
      throw new KernelInputError('UnsortedSegmentSum', `segmentIds [${segmentIds.shape}] must be a prefix of x [${x.shape}]`);
    }
    const inner = x.shape.slice(idRank).reduce((a, b) => a * b, 1);
    const outShape = [numSegments, ...x.shape.slice(idRank)];
    const out = backend.makeOutput(outShape, 'float32');
    const xs = backend.typedArrayFromHeap(x) as Float32Array;
    const ids = backend.typedArrayFromHeap(segmentIds);
    const o = backend.typedArrayFromHeap(out) as Float32Array;
    o.fill(0);
    for (let r = 0; r < ids.length; r++) {
      const s = ids[r];
      // Out-of-range ids are dropped, as TensorFlow does.
      if (s < 0 || s >= numSegments) continue;
      const src = r * inner,
        dst = s * inner;
      for (let j = 0; j < inner; j++) o[dst + j] += xs[src + j];
    }
    return out;
  };
  return { kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
