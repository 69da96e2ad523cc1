// ONNX ModelProto encoding (the subset a feed-forward inference graph uses), field numbers from onnx/onnx.proto
// (IR version 8). Plain objects in, protobuf bytes out; no I/O.
import { ProtoWriter } from './protobufWriter';

export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

export type AttributeValue = number | string | readonly number[] | { ints: readonly number[] } | { float: number };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes?: Record<string, AttributeValue>;
}
export interface OnnxInitializer {
  name: string;
  dims: readonly number[];
  data: Float32Array | BigInt64Array;
}
/** A graph input or output: a float tensor whose dimensions are numbers or symbolic names ("batch"). */
export interface OnnxValueInfo {
  name: string;
  dims: readonly (number | string)[];
  doc?: string;
}
export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}
export interface OnnxModelMeta {
  producerName: string;
  producerVersion: string;
  docString?: string;
  metadata?: Record<string, string>;
  opset: number;
}

// ONNX IR 8 (onnx 1.10+) is read by every ONNX Runtime since 1.10 and by onnx's checker; nothing here needs newer.
export const IR_VERSION = 8;

const enum AttrType {
  Float = 1,
  Int = 2,
  String = 3,
  Floats = 6,
  Ints = 7,
}

function attribute(name: string, v: AttributeValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if (typeof v === 'string') return w.string(4, v).int(20, AttrType.String);
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new RangeError(`attribute ${name}: ${v} is not an integer; pass { float: ${v} }`);
    return w.int(3, v).int(20, AttrType.Int);
  }
  if ('float' in v) return w.float(2, v.float).int(20, AttrType.Float);
  const ints = 'ints' in v ? v.ints : (v as readonly number[]);
  // proto2 repeated int64 without [packed]: one tag per element.
  for (const i of ints) w.int(8, i);
  return w.int(20, AttrType.Ints);
}

function node(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.op);
  for (const [k, v] of Object.entries(n.attributes ?? {})) w.message(5, attribute(k, v));
  return w;
}

function tensor(t: OnnxInitializer): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.data instanceof Float32Array ? ONNX_FLOAT : ONNX_INT64).string(8, t.name);
  // raw_data is little-endian by the ONNX spec; copy so the view's byte order is made explicit on any host.
  const raw = new Uint8Array(t.data.length * t.data.BYTES_PER_ELEMENT),
    dv = new DataView(raw.buffer);
  if (t.data instanceof Float32Array) t.data.forEach((x, i) => dv.setFloat32(4 * i, x, true));
  else t.data.forEach((x, i) => dv.setBigInt64(8 * i, x, true));
  return w.bytes(9, raw);
}

function valueInfo(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, ONNX_FLOAT).message(2, shape);
  const w = new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
  if (v.doc) w.string(3, v.doc);
  return w;
}

export function encodeModel(graph: OnnxGraph, meta: OnnxModelMeta): Uint8Array {
  const g = new ProtoWriter();
  for (const n of graph.nodes) g.message(1, node(n));
  g.string(2, graph.name);
  for (const t of graph.initializers) g.message(5, tensor(t));
  for (const i of graph.inputs) g.message(11, valueInfo(i));
  for (const o of graph.outputs) g.message(12, valueInfo(o));
  const m = new ProtoWriter().int(1, IR_VERSION).string(2, meta.producerName).string(3, meta.producerVersion);
  if (meta.docString) m.string(6, meta.docString);
  m.message(7, g).message(8, new ProtoWriter().string(1, '').int(2, meta.opset));
  for (const [k, v] of Object.entries(meta.metadata ?? {})) m.message(14, new ProtoWriter().string(1, k).string(2, v));
  return m.finish();
}
