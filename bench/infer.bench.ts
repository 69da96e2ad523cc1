// npm run bench -- infer [--quick]
//
// Per-sample inference latency at batch 1 for the reference (teacher-sized) model and the student-sized model on the
// selected engine: forward pass plus reading the logits back, median and p90 over many runs after warm-up. Also the
// throughput at batch 64 for context, and a native reference from the same run (numpy/OpenBLAS sgemm on the
// teacher's batch-1 GEMM shapes, i.e. the floor a native runtime would need for the same products).
// Target (issue 6): student < 1 ms per sample at batch 1.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO } from '../test/helpers/paths';
import { selectEngine, type Tf } from '../src/core/engine/selectEngine';
import { ReferenceModel, STUDENT_CONFIG, TEACHER_CONFIG, type ReferenceModelConfig } from './dataParallel/referenceModel';
import { machineFacts, median, modelGemmShapes, numpyGemm } from './engineBenchUtil';

const quick = process.argv.includes('--quick');

function latency(tf: Tf, c: ReferenceModelConfig, runs: number) {
  const model = new ReferenceModel(tf, c, 1);
  const x1 = tf.randomNormal([1, c.timeSteps, c.channels], 0, 1, 'float32', 3);
  const x64 = tf.randomNormal([64, c.timeSteps, c.channels], 0, 1, 'float32', 4);
  const once = (x: import('@tensorflow/tfjs').Tensor) => {
    const y = tf.tidy(() => model.forward(x));
    y.dataSync();
    y.dispose();
  };
  for (let i = 0; i < 20; i++) once(x1);
  const ms: number[] = [],
    cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now(),
      c = process.cpuUsage();
    once(x1);
    ms.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const batchMs: number[] = [];
  once(x64);
  for (let i = 0; i < Math.max(3, runs / 50); i++) {
    const t = performance.now();
    once(x64);
    batchMs.push(performance.now() - t);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  const flops = model.forwardFlopsPerSample();
  const res = {
    parameters: model.parameterCount,
    forwardMflopPerSample: +(flops / 1e6).toFixed(2),
    // cpuMedianMs: process CPU time per inference (robust to other work on a shared machine; µs resolution).
    batch1: {
      medianMs: +median(ms).toFixed(3),
      cpuMedianMs: +median(cpu).toFixed(3),
      p90Ms: +sorted[Math.floor(0.9 * (sorted.length - 1))].toFixed(3),
      bestMs: +sorted[0].toFixed(3),
      runs,
    },
    batch64: { medianMsPerSample: +(median(batchMs) / 64).toFixed(3), samplesPerSec: +(64000 / median(batchMs)).toFixed(1) },
  };
  x1.dispose();
  x64.dispose();
  model.dispose();
  return res;
}

async function main(): Promise<void> {
  const machine = machineFacts();
  const { tf, info } = await selectEngine();
  const runs = quick ? 100 : 500;
  const teacher = latency(tf, TEACHER_CONFIG, quick ? 50 : 200);
  console.log('teacher batch-1 median', teacher.batch1.medianMs, 'ms');
  const student = latency(tf, STUDENT_CONFIG, runs);
  console.log('student batch-1 median', student.batch1.medianMs, 'ms');
  const shapes = modelGemmShapes(TEACHER_CONFIG, 1);
  const native = numpyGemm(shapes);
  const nativeMs = native.threads1 ? (2 * shapes.reduce((a, s) => a + s.m * s.n * s.k * s.batch, 0)) / (native.threads1 * 1e6) : null;
  const result = {
    benchmark: 'infer',
    date: new Date().toISOString(),
    machine: { ...machine, loadAvgAtEnd: os.loadavg().map(v => +v.toFixed(2)) },
    engine: info,
    quick,
    teacher: { config: TEACHER_CONFIG, ...teacher },
    student: { config: STUDENT_CONFIG, ...student },
    studentSpeedupBatch1: +(teacher.batch1.medianMs / student.batch1.medianMs).toFixed(2),
    nativeReference: {
      ...native,
      teacherBatch1GemmMsAtNumpyRate: nativeMs === null ? null : +nativeMs.toFixed(4),
      note: `${native.note}; teacherBatch1GemmMsAtNumpyRate = the teacher's batch-1 GEMM FLOPs at numpy's 1-thread rate on those shapes`,
    },
    targets: { studentBatch1Ms: { target: 1, reached: student.batch1.medianMs, met: student.batch1.medianMs < 1 } },
  };
  const out = path.join(REPO, 'bench', 'results', 'infer.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${path.relative(REPO, out)}`);
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
