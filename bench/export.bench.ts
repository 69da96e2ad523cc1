// npm run bench -- export [--quick]
//
// The exported GLSDA student (src/core/model/exportStudent.ts) in the two runtimes a user deploys it with: the tfjs
// layers model on this project's engine (tfjs-wasm) and model.onnx in ONNX Runtime (onnxruntime-web, wasm, one
// thread: the same instruction set and thread count, so the ratio compares the runtimes, not the machines). For the
// simulator's input (Doppler only, 6 receivers × 30 bands) and WiAR's (amplitude + ratio phase + one Doppler
// receiver): batch-1 latency (median, p90 of forward + reading the logits back), batch-64 throughput, file sizes, and
// the largest |Δlogit| between the two on the same inputs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ort from 'onnxruntime-web';
import { REPO } from '../test/helpers/paths';
import { selectEngine, type Tf } from '../src/core/engine/selectEngine';
import { studentToOnnx } from '../src/core/model/export/exportStudent';
import { DEFAULT_STUDENT, Student } from '../src/core/model/nets/student';
import type { InputShape } from '../src/core/model/nets/net';
import { machineFacts, median } from './engineBenchUtil';

const quick = process.argv.includes('--quick');
const SHAPES: Record<string, InputShape> = {
  'sim (Doppler, 6 × 30 bands)': { timeSteps: 32, phaseFeatures: 0, dopplerFeatures: 180, dopplerBands: 30, classes: 9 },
  'wiar (90 amplitude + 10 phase, 30 Doppler bands)': {
    timeSteps: 32,
    phaseFeatures: 100,
    dopplerFeatures: 30,
    dopplerBands: 30,
    classes: 16,
  },
};

async function timeIt(runs: number, once: () => Promise<void>): Promise<{ medianMs: number; p90Ms: number }> {
  for (let i = 0; i < 20; i++) await once();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await once();
    ms.push(performance.now() - t);
  }
  const s = [...ms].sort((a, b) => a - b);
  return { medianMs: +median(ms).toFixed(4), p90Ms: +s[Math.floor(0.9 * (s.length - 1))].toFixed(4) };
}

async function one(tf: Tf, shape: InputShape, runs: number) {
  const student = new Student(tf, shape, DEFAULT_STUDENT, 1);
  const F = shape.phaseFeatures + shape.dopplerFeatures;
  const onnx = studentToOnnx(tf, student);
  const session = await ort.InferenceSession.create(onnx);
  const res: Record<string, unknown> = {
    parameters: student.parameterCount,
    flopsPerSample: student.forwardFlopsPerSample(),
    onnxBytes: onnx.byteLength,
    tfjsWeightBytes: student.parameterCount * 4,
  };
  for (const B of [1, 64]) {
    const x = tf.randomNormal([B, shape.timeSteps, F], 0, 1, 'float32', B);
    const xd = Float32Array.from(x.dataSync());
    const feeds = { csi_dual_path_input: new ort.Tensor('float32', xd, [B, shape.timeSteps, F]) };
    const want = student.inferenceModel.predict(x) as import('@tensorflow/tfjs').Tensor;
    const got = (await session.run(feeds)).logits.data as Float32Array;
    const w = want.dataSync();
    let worst = 0;
    for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(w[i] - got[i]));
    want.dispose();
    const n = B === 1 ? runs : Math.max(10, runs / 20);
    const tfjs = await timeIt(n, async () => {
      const y = student.inferenceModel.predict(x) as import('@tensorflow/tfjs').Tensor;
      await y.data();
      y.dispose();
    });
    const ortT = await timeIt(n, async () => {
      await session.run(feeds);
    });
    res[`batch${B}`] = {
      tfjsWasm: tfjs,
      onnxRuntimeWasm: ortT,
      onnxOverTfjsMedian: +(ortT.medianMs / tfjs.medianMs).toFixed(3),
      maxAbsLogitDiff: worst,
    };
    x.dispose();
  }
  await session.release();
  student.dispose();
  return res;
}

async function main(): Promise<void> {
  ort.env.wasm.numThreads = 1;
  const machine = machineFacts();
  const { tf, info } = await selectEngine({ prefer: 'wasm' });
  const runs = quick ? 100 : 500;
  const results: Record<string, unknown> = {};
  for (const [name, shape] of Object.entries(SHAPES)) {
    results[name] = await one(tf, shape, runs);
    console.log(name, JSON.stringify(results[name]));
  }
  const out = path.join(REPO, 'bench', 'results', 'export.json');
  fs.writeFileSync(
    out,
    JSON.stringify(
      {
        benchmark: 'export',
        date: new Date().toISOString(),
        machine: { ...machine, loadAvgAtEnd: os.loadavg().map(v => +v.toFixed(2)) },
        engine: info,
        onnxRuntime: { package: 'onnxruntime-web', version: ort.env.versions.web, threads: 1 },
        quick,
        student: DEFAULT_STUDENT,
        results,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${path.relative(REPO, out)}`);
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
