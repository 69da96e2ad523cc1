// ONNX export of the student: the protobuf bytes against the protobuf documentation's worked examples, TensorFlow's
// 'same' padding rule, and the whole model run in ONNX Runtime (onnxruntime-web, an independent implementation of
// every operator) against the tfjs logits, for the student's shapes (with and without the Doppler stem, without a
// phase path, an odd number of time steps). Unsupported layers are refused by name.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { ProtoWriter } from '../../../src/core/model/export/onnx/protobufWriter';
import { convPadding, layersModelToOnnx, OnnxExportError } from '../../../src/core/model/export/onnx/layersToOnnx';
import { encodeModel } from '../../../src/core/model/export/onnx/onnxProto';
import { exportStudent, studentToOnnx } from '../../../src/core/model/export/exportStudent';
import { Student, DEFAULT_STUDENT, type StudentConfig } from '../../../src/core/model/nets/student';
import type { InputShape } from '../../../src/core/model/nets/net';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function onnxLogits(bytes: Uint8Array, x: tf.Tensor): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(x.dataSync()), x.shape) });
    const y = out[session.outputNames[0]];
    return { data: y.data as Float32Array, dims: y.dims };
  } finally {
    await session.release();
  }
}

describe('model: ONNX export', function () {
  this.timeout(60_000);
  before(async () => {
    await tf.setBackend('cpu');
    ort.env.wasm.numThreads = 1; // no worker threads: the test process exits cleanly
  });

  describe('protobuf writer (protobuf.dev "Encoding" examples)', () => {
    it('varint field 1 = 150 is 08 96 01; string field 2 "testing" is 12 07 74 65 73 74 69 6e 67', () => {
      assert.equal(hex(new ProtoWriter().int(1, 150).finish()), '089601');
      assert.equal(hex(new ProtoWriter().string(2, 'testing').finish()), '120774657374696e67');
    });
    it('an embedded message (field 3 holding 08 96 01) is 1a 03 08 96 01', () => {
      assert.equal(hex(new ProtoWriter().message(3, new ProtoWriter().int(1, 150)).finish()), '1a03089601');
    });
    it("a negative int64 takes ten bytes of two's complement; a float is fixed32 little-endian", () => {
      assert.equal(hex(new ProtoWriter().int(1, -2).finish()), '08feffffffffffffffff01');
      assert.equal(hex(new ProtoWriter().float(1, 1).finish()), '0d0000803f');
      // The docs' packed example's varints 270 and 86942 are 8e 02 and 9e a7 05.
      assert.equal(hex(new ProtoWriter().int(1, 270).int(2, 86942).finish()), '088e02' + '109ea705');
    });
    it('small fields written around a large one keep their order', () => {
      const w = new ProtoWriter()
        .int(1, 1)
        .bytes(2, Uint8Array.from([9, 9]))
        .int(3, 2)
        .finish();
      assert.equal(hex(w), '0801' + '12020909' + '1802');
    });
  });

  describe('TensorFlow padding rule', () => {
    it("'same' puts the odd pixel at the end and keeps ceil(n / stride) outputs; 'valid' and 'causal' as defined", () => {
      assert.deepEqual(convPadding('same', 32, 5, 2, 1), [1, 2]); // out 16: 15·2 + 5 − 32 = 3
      assert.deepEqual(convPadding('same', 31, 5, 2, 1), [2, 2]); // out 16: 15·2 + 5 − 31 = 4
      assert.deepEqual(convPadding('same', 30, 3, 1, 1), [1, 1]);
      assert.deepEqual(convPadding('same', 30, 3, 1, 2), [2, 2]); // dilated kernel spans 5
      assert.deepEqual(convPadding('same', 8, 1, 4, 1), [0, 0]);
      assert.deepEqual(convPadding('valid', 30, 3, 2, 1), [0, 0]);
      assert.deepEqual(convPadding('causal', 30, 3, 1, 2), [4, 0]);
      for (const [n, k, s] of [
        [7, 3, 2],
        [16, 4, 3],
        [9, 5, 1],
      ]) {
        const [a, b] = convPadding('same', n, k, s, 1);
        assert.equal(Math.floor((n + a + b - k) / s) + 1, Math.ceil(n / s), `n ${n} k ${k} s ${s}`);
        assert.ok(b - a === 0 || b - a === 1);
      }
    });
  });

  const cases: { name: string; shape: InputShape; config: StudentConfig }[] = [
    {
      name: 'default student, phase + 3 receivers × 30 Doppler bands, 2-D stem',
      shape: { timeSteps: 32, phaseFeatures: 12, dopplerFeatures: 90, dopplerBands: 30, classes: 6 },
      config: DEFAULT_STUDENT,
    },
    {
      name: 'no stem, odd time steps (asymmetric padding)',
      shape: { timeSteps: 31, phaseFeatures: 5, dopplerFeatures: 7, classes: 4 },
      config: { ...DEFAULT_STUDENT, kernels: [4, 3], strides: [3, 2], dopplerStem: [] },
    },
    {
      name: 'Doppler only (no phase path), 6 receivers × 30 bands',
      shape: { timeSteps: 32, phaseFeatures: 0, dopplerFeatures: 180, dopplerBands: 30, classes: 9 },
      config: DEFAULT_STUDENT,
    },
  ];
  for (const c of cases) {
    it(`ONNX Runtime gives the tfjs logits: ${c.name}`, async () => {
      const s = new Student(tf, c.shape, c.config, 11);
      const F = c.shape.phaseFeatures + c.shape.dopplerFeatures;
      const x = tf.randomNormal([3, c.shape.timeSteps, F], 0, 1, 'float32', 5);
      try {
        const want = (s.inferenceModel.predict(x) as tf.Tensor).dataSync();
        const got = await onnxLogits(studentToOnnx(tf, s), x);
        assert.deepEqual(Array.from(got.dims), [3, c.shape.classes]);
        let worst = 0;
        for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - got.data[i]));
        assert.ok(worst < 1e-4, `max |Δlogit| ${worst}`);
        assert.ok(new Set(Array.from(want).map(v => v.toFixed(3))).size > 3, 'logits vary (the comparison is not of constants)');
      } finally {
        x.dispose();
        s.dispose();
      }
    });
  }

  it('exportStudent writes model.onnx beside the tfjs model, with the run metadata', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'onnx-export-'));
    const s = new Student(tf, cases[0].shape, DEFAULT_STUDENT, 2);
    try {
      const r = await exportStudent(tf, s, dir, { step: 'student', classes: ['push', 'pull'] });
      const bytes = await fs.readFile(r.onnx!);
      assert.equal(bytes.byteLength, r.onnxBytes);
      assert.ok(bytes.byteLength > s.parameterCount * 4, 'weights are in the file');
      const text = bytes.toString('latin1');
      assert.ok(text.includes('["push","pull"]') && text.includes('csi-workbench'));
      const x = tf.ones([1, 32, 102]);
      const got = await onnxLogits(bytes, x);
      const want = (s.inferenceModel.predict(x) as tf.Tensor).dataSync();
      assert.ok(Math.abs(got.data[0] - want[0]) < 1e-4);
      x.dispose();
    } finally {
      s.dispose();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('a Dense with softmax on pooled reshaped input maps too (ONNX Runtime gives the tfjs output)', async () => {
    const a = tf.input({ shape: [4, 6] });
    const folded = tf.layers.reshape({ targetShape: [2, 12] }).apply(a) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling1d({}).apply(folded) as tf.SymbolicTensor;
    const m = tf.model({
      inputs: a,
      outputs: tf.layers
        .dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })
        .apply(pooled) as tf.SymbolicTensor,
    });
    const x = tf.randomNormal([2, 4, 6], 0, 1, 'float32', 3);
    const got = await onnxLogits(encodeModel(layersModelToOnnx(m), { producerName: 't', producerVersion: '0', opset: 13 }), x);
    const want = (m.predict(x) as tf.Tensor).dataSync();
    want.forEach((v, i) => assert.ok(Math.abs(v - got.data[i]) < 1e-6, `${i}: ${v} vs ${got.data[i]}`));
    x.dispose();
    m.dispose();
  });

  it('a network ONNX cannot express is still exported as a tfjs model, with the reason instead of model.onnx', async () => {
    const a = tf.input({ shape: [8, 3] });
    const lstm = tf.model({ inputs: a, outputs: tf.layers.lstm({ units: 2, name: 'rnn_head' }).apply(a) as tf.SymbolicTensor });
    const fake = {
      inferenceModel: lstm,
      kind: 'student',
      shape: { timeSteps: 8, phaseFeatures: 3, dopplerFeatures: 0, classes: 2 },
    } as unknown as Student;
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'onnx-refused-'));
    try {
      const r = await exportStudent(tf, fake, dir);
      assert.match(r.onnxError ?? '', /rnn_head.*LSTM/);
      assert.equal(r.onnx, undefined);
      assert.deepEqual((await fs.readdir(dir)).sort(), ['model.json', 'weights.bin']);
    } finally {
      lstm.dispose();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a layer or activation it cannot map, naming the layer', () => {
    const a = tf.input({ shape: [8, 3] });
    const lstm = tf.model({ inputs: a, outputs: tf.layers.lstm({ units: 2, name: 'my_lstm' }).apply(a) as tf.SymbolicTensor });
    assert.throws(
      () => layersModelToOnnx(lstm),
      (e: unknown) => e instanceof OnnxExportError && /my_lstm/.test(e.message) && /LSTM/.test(e.message),
    );
    const b = tf.input({ shape: [4] });
    const dense = tf.model({
      inputs: b,
      outputs: tf.layers.dense({ units: 2, activation: 'selu', name: 'odd_dense' }).apply(b) as tf.SymbolicTensor,
    });
    assert.throws(() => layersModelToOnnx(dense), /odd_dense.*activation 'selu'/);
    lstm.dispose();
    dense.dispose();
  });

  it('a hand-built graph (MatMul + Add + Softmax) runs in ONNX Runtime with the expected values', async () => {
    // Independent of tfjs: y = softmax(x·W + b) worked by hand.
    const bytes = encodeModel(
      {
        name: 'tiny',
        inputs: [{ name: 'x', dims: ['batch', 2] }],
        outputs: [{ name: 'y', dims: ['batch', 2] }],
        initializers: [
          { name: 'W', dims: [2, 2], data: Float32Array.from([1, 0, 0, 2]) },
          { name: 'b', dims: [2], data: Float32Array.from([0, Math.log(2)]) },
        ],
        nodes: [
          { op: 'MatMul', name: 'mm', inputs: ['x', 'W'], outputs: ['h'] },
          { op: 'Add', name: 'add', inputs: ['h', 'b'], outputs: ['z'] },
          { op: 'Softmax', name: 'sm', inputs: ['z'], outputs: ['y'], attributes: { axis: -1 } },
        ],
      },
      { producerName: 'test', producerVersion: '0', opset: 13 },
    );
    const session = await ort.InferenceSession.create(bytes);
    const y = (await session.run({ x: new ort.Tensor('float32', Float32Array.from([0, 0, 1, 0.5]), [2, 2]) })).y.data as Float32Array;
    await session.release();
    // Row 1: z = [0, ln 2] → [1/3, 2/3]. Row 2: z = [1, 1 + ln 2] → [1/3, 2/3].
    for (const [i, v] of [1 / 3, 2 / 3, 1 / 3, 2 / 3].entries()) assert.ok(Math.abs(y[i] - v) < 1e-6, `y[${i}] = ${y[i]}`);
  });
});
