// Conv2DBackpropFilter and Conv2DBackpropInput for the wasm backend, as im2col/col2im around the SIMD GEMM.
//
// Why: tfjs-wasm 4.22 has no Conv2DBackpropFilter at all (so no conv layer can train there), and its
// Conv2DBackpropInput is a naive loop (~1.2 GFLOP/s). With patches laid out as rows of length KH*KW*CI, which is
// exactly tfjs's filter layout [KH, KW, CI, CO] flattened, both gradients are single GEMMs:
//   dW[KH*KW*CI, CO] = cols^T · dy[B*OH*OW, CO]          (cols = im2col(x), [B*OH*OW, KH*KW*CI])
//   dcols            = dy · W^T, then dx = col2im(dcols)   (scatter-add of each patch back into the image)
// The forward Conv2D stays on tfjs's XNNPACK kernel: an interleaved A/B run measured it 1.2–5× faster than
// im2col + our GEMM on the reference model's conv1d shapes (im2col's extra memory traffic dominates there).
// Only NHWC (channelsLast) is supported, which is what tfjs's conv1d/conv2d layers produce.
import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { ConvGeometry, GemmWasm } from '../gemmWasm';
import { KernelInputError, outputFrom, putTensor } from './heapIo';

type Conv2DInfo = backend_util.Conv2DInfo;

function geometry(info: Conv2DInfo): ConvGeometry {
  return {
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilationH: info.dilationHeight,
    dilationW: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    outH: info.outHeight,
    outW: info.outWidth,
  };
}

function convInfo(kernel: string, xShape: number[], filterShape: number[], attrs: NamedAttrMap): Conv2DInfo {
  const dilations = (attrs.dilations as [number, number] | number | undefined) ?? 1;
  const dataFormat = (attrs.dataFormat as string | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC') throw new KernelInputError(kernel, `expected dataFormat NHWC, got ${dataFormat}`);
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new KernelInputError(kernel, `expected rank-4 input and filter, got [${xShape}] and [${filterShape}]`);
  }
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as [number, number] | number,
    dilations,
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    false,
    'channelsLast',
  );
}

export function makeConv2DBackpropFilterKernel(gemm: GemmWasm): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: BackendWasm; attrs: NamedAttrMap }): TensorInfo => {
    const {
      inputs: { x, dy },
      backend,
      attrs,
    } = args;
    const filterShape = attrs.filterShape as number[];
    const info = convInfo('Conv2DBackpropFilter', x.shape, filterShape, attrs);
    const g = geometry(info);
    const rows = info.outHeight * info.outWidth;
    const patch = g.kH * g.kW * g.inC;
    gemm.reset();
    const px = putTensor(gemm, backend, x, 'Conv2DBackpropFilter');
    const pdy = putTensor(gemm, backend, dy, 'Conv2DBackpropFilter');
    const cols = gemm.alloc(info.batchSize * rows * patch);
    const imageBytes = g.inH * g.inW * g.inC * 4;
    for (let b = 0; b < info.batchSize; b++) gemm.im2col(px + b * imageBytes, g, cols + b * rows * patch * 4);
    const dw = gemm.alloc(patch * info.outChannels);
    // cols^T: stored [B*rows, patch], read as [patch, B*rows] → row stride 1, column stride `patch`.
    gemm.sgemm(patch, info.outChannels, info.batchSize * rows, cols, 1, patch, pdy, info.outChannels, 1, dw, info.outChannels);
    return outputFrom(gemm, backend, filterShape, dw);
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

export function makeConv2DBackpropInputKernel(gemm: GemmWasm): KernelConfig {
  const kernelFunc = (args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: BackendWasm; attrs: NamedAttrMap }): TensorInfo => {
    const {
      inputs: { dy, filter },
      backend,
      attrs,
    } = args;
    const inputShape = attrs.inputShape as number[];
    const info = convInfo('Conv2DBackpropInput', inputShape, filter.shape, attrs);
    const g = geometry(info);
    const rows = info.outHeight * info.outWidth;
    const patch = g.kH * g.kW * g.inC;
    gemm.reset();
    const pdy = putTensor(gemm, backend, dy, 'Conv2DBackpropInput');
    const pw = putTensor(gemm, backend, filter, 'Conv2DBackpropInput');
    const dcols = gemm.alloc(info.batchSize * rows * patch);
    // W^T: stored [patch, CO], read as [CO, patch] → row stride 1, column stride CO.
    gemm.sgemm(info.batchSize * rows, patch, info.outChannels, pdy, info.outChannels, 1, pw, 1, info.outChannels, dcols, patch);
    const imageFloats = g.inH * g.inW * g.inC;
    const dx = gemm.alloc(info.batchSize * imageFloats);
    gemm.zero(dx, info.batchSize * imageFloats);
    for (let b = 0; b < info.batchSize; b++) gemm.col2im(dcols + b * rows * patch * 4, g, dx + b * imageFloats * 4);
    return outputFrom(gemm, backend, inputShape, dx);
  };
  return { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
