// Converts a tfjs layers model (channels-last, the student's layer set) to an ONNX graph (channels-first
// convolutions), opset 13. Hand-written because tf2onnx / tfjs-converter need Python and TensorFlow; the layer set
// is small and each mapping is checked end to end: the ONNX model run in ONNX Runtime gives the tfjs logits
// (test/unit/model/onnxExport.test.ts). A layer or option outside this set is refused by name, never approximated.
//
// Layout: tfjs convolutions take [B, ..., C]; ONNX Conv takes [B, C, ...]. Each convolution is wrapped in two
// Transposes (ONNX Runtime's optimiser fuses the back-to-back pairs); kernels are transposed to [Cout, Cin, k...].
// 'same' padding is made explicit (TensorFlow's rule: the odd pixel goes at the end), so no auto_pad quirks.
import type * as TfNamespace from '@tensorflow/tfjs';
import type { OnnxGraph, OnnxInitializer, OnnxNode } from './onnxProto';

export const OPSET = 13;

export class OnnxExportError extends Error {
  constructor(
    readonly layer: string,
    message: string,
  ) {
    super(`ONNX export, layer "${layer}": ${message}`);
    this.name = 'OnnxExportError';
  }
}

type Layer = TfNamespace.layers.Layer;
type Cfg = Record<string, unknown>;

/** Explicit [begin, end] padding of one axis under tfjs/TensorFlow 'same' / 'valid' / 'causal'. */
export function convPadding(padding: string, size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const k = (kernel - 1) * dilation + 1;
  if (padding === 'valid') return [0, 0];
  if (padding === 'causal') return [k - 1, 0];
  if (padding !== 'same') throw new RangeError(`padding '${padding}'`);
  const out = Math.ceil(size / stride),
    total = Math.max((out - 1) * stride + k - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

const asList = (v: unknown, n: number): number[] => (Array.isArray(v) ? v.map(Number) : Array.from({ length: n }, () => Number(v)));

export function layersModelToOnnx(model: TfNamespace.LayersModel, name = model.name): OnnxGraph {
  const nodes: OnnxNode[] = [],
    initializers: OnnxInitializer[] = [];
  const tensorOf = new Map<string, string>(); // layer name → ONNX tensor holding its output
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    throw new OnnxExportError(model.name, `one input and one output supported, got ${model.inputs.length} and ${model.outputs.length}`);
  const inputShape = model.inputs[0].shape,
    outputShape = model.outputs[0].shape;
  let unique = 0;
  const fresh = (base: string) => `${base}__${unique++}`;
  const constInt = (base: string, values: number[]): string => {
    const n = fresh(base);
    initializers.push({ name: n, dims: [values.length], data: BigInt64Array.from(values.map(v => BigInt(v))) });
    return n;
  };
  const weight = (base: string, t: TfNamespace.Tensor, perm?: number[]): string => {
    const moved = perm ? t.transpose(perm) : t;
    const n = fresh(base);
    initializers.push({ name: n, dims: moved.shape, data: Float32Array.from(moved.dataSync()) });
    if (moved !== t) moved.dispose();
    return n;
  };
  const activation = (layer: string, act: unknown, x: string): string => {
    const op = (
      { linear: undefined, relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', elu: 'Elu', softmax: 'Softmax' } as Record<
        string,
        string | undefined
      >
    )[String(act ?? 'linear')];
    if (op === undefined && act !== undefined && act !== 'linear')
      throw new OnnxExportError(layer, `activation '${String(act)}' not supported`);
    if (!op) return x;
    const out = fresh(`${layer}_${op.toLowerCase()}`);
    nodes.push({ op, name: out, inputs: [x], outputs: [out], ...(op === 'Softmax' ? { attributes: { axis: -1 } } : {}) });
    return out;
  };

  for (const layer of model.layers as Layer[]) {
    const cls = layer.getClassName(),
      cfg = layer.getConfig() as Cfg,
      L = layer.name;
    if (cls === 'InputLayer') {
      tensorOf.set(L, 'csi_dual_path_input');
      continue;
    }
    if (layer.inboundNodes.length !== 1)
      throw new OnnxExportError(L, `a layer applied ${layer.inboundNodes.length} times is not supported`);
    const inbound = layer.inboundNodes[0];
    const ins = inbound.inboundLayers.map(l => {
      const t = tensorOf.get(l.name);
      if (!t) throw new OnnxExportError(L, `input "${l.name}" not converted yet`);
      return t;
    });
    const inShapes = (Array.isArray(inbound.inputShapes[0]) ? inbound.inputShapes : [inbound.inputShapes]) as (number | null)[][];
    let out = L; // the ONNX tensor holding this layer's output
    const weights = layer.getWeights();
    switch (cls) {
      case 'Reshape':
        // 0 copies the batch dimension (ONNX Reshape, allowzero 0), so a −1 inside targetShape stays the only one.
        nodes.push({
          op: 'Reshape',
          name: L,
          inputs: [ins[0], constInt(`${L}_shape`, [0, ...(cfg.targetShape as number[])])],
          outputs: [out],
        });
        break;
      case 'Permute':
        nodes.push({ op: 'Transpose', name: L, inputs: [ins[0]], outputs: [out], attributes: { perm: [0, ...(cfg.dims as number[])] } });
        break;
      case 'Cropping2D': {
        if (cfg.dataFormat !== 'channelsLast') throw new OnnxExportError(L, `dataFormat ${String(cfg.dataFormat)}`);
        const [[t, b], [l, r]] = cfg.cropping as [[number, number], [number, number]];
        const s = inShapes[0];
        nodes.push({
          op: 'Slice',
          name: L,
          outputs: [out],
          inputs: [ins[0], constInt(`${L}_starts`, [t, l]), constInt(`${L}_ends`, [s[1]! - b, s[2]! - r]), constInt(`${L}_axes`, [1, 2])],
        });
        break;
      }
      case 'Concatenate': {
        const rank = inShapes[0].length,
          axis = Number(cfg.axis ?? -1);
        nodes.push({ op: 'Concat', name: L, inputs: ins, outputs: [out], attributes: { axis: axis < 0 ? axis + rank : axis } });
        break;
      }
      case 'Conv1D':
      case 'Conv2D': {
        const d = cls === 'Conv1D' ? 1 : 2;
        if ((cfg.dataFormat ?? 'channelsLast') !== 'channelsLast') throw new OnnxExportError(L, `dataFormat ${String(cfg.dataFormat)}`);
        const k = asList(cfg.kernelSize, d),
          s = asList(cfg.strides ?? 1, d),
          dil = asList(cfg.dilationRate ?? 1, d);
        const spatial = inShapes[0].slice(1, 1 + d) as number[];
        const pads = spatial.map((n, i) => convPadding(String(cfg.padding), n, k[i], s[i], dil[i]));
        const toFirst = d === 1 ? [0, 2, 1] : [0, 3, 1, 2],
          toLast = d === 1 ? [0, 2, 1] : [0, 2, 3, 1];
        const xT = fresh(`${L}_nchw`),
          yT = fresh(`${L}_conv`);
        nodes.push({ op: 'Transpose', name: xT, inputs: [ins[0]], outputs: [xT], attributes: { perm: toFirst } });
        const kernel = weight(`${L}_kernel`, weights[0], d === 1 ? [2, 1, 0] : [3, 2, 0, 1]);
        const convIn = [xT, kernel, ...(cfg.useBias !== false ? [weight(`${L}_bias`, weights[1])] : [])];
        nodes.push({
          op: 'Conv',
          name: yT,
          inputs: convIn,
          outputs: [yT],
          attributes: {
            kernel_shape: k,
            strides: s,
            dilations: dil,
            group: 1,
            pads: [...pads.map(p => p[0]), ...pads.map(p => p[1])],
          },
        });
        nodes.push({ op: 'Transpose', name: L, inputs: [activation(L, cfg.activation, yT)], outputs: [out], attributes: { perm: toLast } });
        break;
      }
      case 'GlobalAveragePooling1D':
        nodes.push({ op: 'ReduceMean', name: L, inputs: [ins[0]], outputs: [out], attributes: { axes: [1], keepdims: 0 } });
        break;
      case 'Dense': {
        if (inShapes[0].length !== 2) throw new OnnxExportError(L, `Dense on a rank-${inShapes[0].length} input is not supported`);
        const mm = fresh(`${L}_matmul`);
        nodes.push({ op: 'MatMul', name: mm, inputs: [ins[0], weight(`${L}_kernel`, weights[0])], outputs: [mm] });
        let y = mm;
        if (cfg.useBias !== false) {
          y = fresh(`${L}_bias_add`);
          nodes.push({ op: 'Add', name: y, inputs: [mm, weight(`${L}_bias`, weights[1])], outputs: [y] });
        }
        out = activation(L, cfg.activation, y);
        break;
      }
      default:
        throw new OnnxExportError(
          L,
          `layer type ${cls} has no ONNX mapping here (supported: Reshape, Permute, Cropping2D, Concatenate, Conv1D, Conv2D, GlobalAveragePooling1D, Dense)`,
        );
    }
    tensorOf.set(L, out);
  }
  const last = model.outputs[0].sourceLayer.name;
  nodes.push({ op: 'Identity', name: 'logits', inputs: [tensorOf.get(last)!], outputs: ['logits'] });
  const dims = (s: (number | null)[]) => s.map((v, i) => v ?? (i === 0 ? 'batch' : `d${i}`));
  // The graph input keeps the tfjs input layer's name in its doc; the tensor is named for what it holds.
  return {
    name,
    nodes,
    initializers,
    inputs: [
      { name: 'csi_dual_path_input', dims: dims(inputShape), doc: 'float32 [batch, time steps, phase features ++ Doppler features]' },
    ],
    outputs: [{ name: 'logits', dims: dims(outputShape), doc: 'class logits (softmax for probabilities)' }],
  };
}
