// DepthwiseConv2dNativeBackpropFilter / -Input for the wasm backend, which tfjs-wasm 4.22 lacks (so depthwise and
// separable convolutions cannot train there). Depthwise convolution has no shared reduction dimension to hand to a
// GEMM (each channel has its own KH*KW filter), so these are direct loops ordered to walk memory contiguously.
import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KernelInputError } from './heapIo';

function info(kernel: string, xShape: number[], filterShape: number[], attrs: NamedAttrMap): backend_util.Conv2DInfo {
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new KernelInputError(kernel, `expected rank-4 input and filter, got [${xShape}] and [${filterShape}]`);
  }
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as [number, number] | number,
    (attrs.dilations as [number, number] | number | undefined) ?? 1,
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    true,
    'channelsLast',
  );
}

/**
 * Visit every (input pixel, output pixel, channel, multiplier) contribution of a depthwise convolution:
 * f(xIndex, dyIndex, wIndex) for x[b,iy,ix,c], dy[b,oy,ox,c*mult+q], w[kh,kw,c,q].
 */
function forEachTap(ci: backend_util.Conv2DInfo, f: (xi: number, yi: number, wi: number, taps: number) => void): void {
  const mult = ci.outChannels / ci.inChannels;
  const C = ci.inChannels,
    OC = ci.outChannels;
  for (let b = 0; b < ci.batchSize; b++) {
    for (let oy = 0; oy < ci.outHeight; oy++) {
      for (let ox = 0; ox < ci.outWidth; ox++) {
        const yBase = ((b * ci.outHeight + oy) * ci.outWidth + ox) * OC;
        for (let kh = 0; kh < ci.filterHeight; kh++) {
          const iy = oy * ci.strideHeight - ci.padInfo.top + kh * ci.dilationHeight;
          if (iy < 0 || iy >= ci.inHeight) continue;
          for (let kw = 0; kw < ci.filterWidth; kw++) {
            const ix = ox * ci.strideWidth - ci.padInfo.left + kw * ci.dilationWidth;
            if (ix < 0 || ix >= ci.inWidth) continue;
            const xBase = ((b * ci.inHeight + iy) * ci.inWidth + ix) * C;
            const wBase = (kh * ci.filterWidth + kw) * C * mult;
            f(xBase, yBase, wBase, C * mult);
          }
        }
      }
    }
  }
}

export function makeDepthwiseBackpropFilterKernel(): KernelConfig {
  const kernelName = 'DepthwiseConv2dNativeBackpropFilter';
  const kernelFunc = (args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: BackendWasm; attrs: NamedAttrMap }): TensorInfo => {
    const {
      inputs: { x, dy },
      backend,
      attrs,
    } = args;
    const filterShape = attrs.filterShape as number[];
    const ci = info(kernelName, x.shape, filterShape, attrs);
    const mult = ci.outChannels / ci.inChannels;
    const out = backend.makeOutput(filterShape, 'float32');
    const xs = backend.typedArrayFromHeap(x) as Float32Array;
    const dys = backend.typedArrayFromHeap(dy) as Float32Array;
    const dw = backend.typedArrayFromHeap(out) as Float32Array;
    dw.fill(0);
    // Output channel index c*mult+q equals the filter's (c, q) offset, so one running index serves both.
    forEachTap(ci, (xi, yi, wi, taps) => {
      for (let t = 0; t < taps; t++) dw[wi + t] += xs[xi + ((t / mult) | 0)] * dys[yi + t];
    });
    return out;
  };
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

export function makeDepthwiseBackpropInputKernel(): KernelConfig {
  const kernelName = 'DepthwiseConv2dNativeBackpropInput';
  const kernelFunc = (args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: BackendWasm; attrs: NamedAttrMap }): TensorInfo => {
    const {
      inputs: { dy, filter },
      backend,
      attrs,
    } = args;
    const inputShape = attrs.inputShape as number[];
    const ci = info(kernelName, inputShape, filter.shape, attrs);
    const mult = ci.outChannels / ci.inChannels;
    const out = backend.makeOutput(inputShape, 'float32');
    const ws = backend.typedArrayFromHeap(filter) as Float32Array;
    const dys = backend.typedArrayFromHeap(dy) as Float32Array;
    const dx = backend.typedArrayFromHeap(out) as Float32Array;
    dx.fill(0);
    forEachTap(ci, (xi, yi, wi, taps) => {
      for (let t = 0; t < taps; t++) dx[xi + ((t / mult) | 0)] += ws[wi + t] * dys[yi + t];
    });
    return out;
  };
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
