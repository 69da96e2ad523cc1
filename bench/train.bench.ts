// npm run bench -- train [--quick]
//
// Trains the reference model of the training-engine notes (input [64,128,60]; 3 conv1d + 2 transformer blocks +
// dense; Adam) and a student-sized model of the same family on the selected engine, three ways: one process on one
// thread; one process with tfjs-wasm's threaded build (2 XNNPACK threads, measured in a child process because the
// engine is chosen once per process); data-parallel over two worker_threads. It reports samples/s, GEMM-equivalent GFLOP/s, peak RSS and
// a per-kernel time profile. Because the machines are shared and noisy, the same run measures a native reference:
// numpy/OpenBLAS sgemm on the model's own GEMM shapes (1 and 2 threads), and our WASM GEMM on the same shapes.
// Targets (issue 6): teacher ≥ 250 samples/s on a 2-core machine; student ≥ 5× faster to train than the teacher.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { REPO } from '../test/helpers/paths';
import { selectEngine, type Tf } from '../src/core/engine/selectEngine';
import { ReferenceModel, STUDENT_CONFIG, TEACHER_CONFIG, type ReferenceModelConfig } from './dataParallel/referenceModel';
import { DataParallelTrainer } from './dataParallel/trainer';
import { loadGemmWasm } from '../src/core/engine/gemmWasm';
import { type GemmShape, machineFacts, median, modelGemmShapes, numpyGemm } from './engineBenchUtil';

const quick = process.argv.includes('--quick');
const BATCH = 64;

function peakRssMiB(): number {
  return +(process.resourceUsage().maxRSS / 1024).toFixed(1);
}

function syntheticBatch(c: ReferenceModelConfig, B: number, seed: number): { x: Float32Array; y: Int32Array } {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const x = new Float32Array(B * c.timeSteps * c.channels).map(rnd);
  const y = Int32Array.from({ length: B }, (_, i) => i % c.classes);
  return { x, y };
}

async function singleProcess(tf: Tf, c: ReferenceModelConfig, steps: number) {
  const model = new ReferenceModel(tf, c, 1);
  const opt = tf.train.adam(1e-3);
  const { x, y } = syntheticBatch(c, BATCH, 7);
  const xt = tf.tensor3d(x, [BATCH, c.timeSteps, c.channels]),
    yt = tf.tensor1d(y, 'int32');
  const step = () => {
    const l = opt.minimize(() => model.loss(xt, yt), true, model.variables)!;
    const v = l.dataSync()[0];
    l.dispose();
    return v;
  };
  step();
  step(); // warm-up: kernel setup, Adam slots, heap growth
  const ms: number[] = [],
    cpu: number[] = [],
    tensors: number[] = [],
    losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now(),
      c = process.cpuUsage();
    losses.push(step());
    ms.push(performance.now() - t);
    cpu.push(cpuMsSince(c));
    tensors.push(tf.memory().numTensors);
  }
  // Where the time goes: per-kernel wall time of one more step (tf.profile syncs after each kernel, so the total is
  // a little above a normal step).
  const prof = await tf.profile(() => {
    step();
  });
  const byKernel = new Map<string, number>();
  for (const k of prof.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  const kernelTotal = [...byKernel.values()].reduce((a, b) => a + b, 0);
  const profile = [...byKernel]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([name, t]) => ({ kernel: name, ms: +t.toFixed(1), share: +(t / kernelTotal).toFixed(3) }));
  const flops = model.trainFlopsPerSample();
  const params = model.parameterCount;
  xt.dispose();
  yt.dispose();
  opt.dispose();
  model.dispose();
  const med = median(ms);
  return {
    parameters: params,
    trainMflopPerSample: +(flops / 1e6).toFixed(2),
    stepMsMedian: +med.toFixed(1),
    stepMsBest: +Math.min(...ms).toFixed(1),
    samplesPerSec: +((BATCH / med) * 1000).toFixed(1),
    samplesPerSecBest: +((BATCH / Math.min(...ms)) * 1000).toFixed(1),
    gflops: +((flops * BATCH) / med / 1e6).toFixed(2),
    // CPU time of this process (all its threads) per step: on a shared, overloaded machine wall time mostly measures
    // the other work; samples per CPU-second is what the engine does with the core time it actually gets.
    cpuMsMedian: +median(cpu).toFixed(1),
    samplesPerCpuSecond: +((BATCH / median(cpu)) * 1000).toFixed(1),
    lossFirstLast: [+losses[0].toFixed(4), +losses[losses.length - 1].toFixed(4)],
    numTensorsPerStep: [...new Set(tensors)],
    profileKernelMs: +kernelTotal.toFixed(1),
    profile,
  };
}

async function dataParallel(c: ReferenceModelConfig, workers: number, steps: number, parameters: number) {
  const trainer = await DataParallelTrainer.start({
    workers,
    parameters,
    optimizer: { kind: 'adam', learningRate: 1e-3 },
    factory: { module: 'builtin:reference', exportName: 'createReferenceModel', args: [c, 1] },
  });
  try {
    const { x, y } = syntheticBatch(c, BATCH, 7);
    const shape = [BATCH, c.timeSteps, c.channels];
    await trainer.trainStep(x, shape, y);
    await trainer.trainStep(x, shape, y);
    const ms: number[] = [],
      cpu: number[] = [],
      compute: number[] = [],
      sync: number[] = [],
      tensors = new Set<string>();
    for (let i = 0; i < steps; i++) {
      const t = performance.now(),
        c = process.cpuUsage();
      const r = await trainer.trainStep(x, shape, y);
      ms.push(performance.now() - t);
      cpu.push(cpuMsSince(c));
      compute.push(Math.max(...r.computeMs));
      sync.push(Math.max(...r.syncMs));
      tensors.add(r.numTensors.join('/'));
    }
    const med = median(ms);
    return {
      workers,
      stepMsMedian: +med.toFixed(1),
      stepMsBest: +Math.min(...ms).toFixed(1),
      samplesPerSec: +((BATCH / med) * 1000).toFixed(1),
      samplesPerSecBest: +((BATCH / Math.min(...ms)) * 1000).toFixed(1),
      cpuMsMedian: +median(cpu).toFixed(1),
      samplesPerCpuSecond: +((BATCH / median(cpu)) * 1000).toFixed(1),
      workerComputeMsMedian: +median(compute).toFixed(1),
      workerSyncMsMedian: +median(sync).toFixed(1),
      numTensorsPerStep: [...tensors],
    };
  } finally {
    await trainer.close();
  }
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

function ourGemm(shapes: GemmShape[]): { wall: number; cpu: number } {
  const g = loadGemmWasm();
  let flops = 0,
    time = 0,
    cpuTime = 0;
  for (const s of shapes) {
    g.reset();
    const a = g.put(new Float32Array(s.batch * s.m * s.k).fill(0.5));
    const b = g.put(new Float32Array(s.batch * s.k * s.n).fill(0.25));
    const c = g.alloc(s.batch * s.m * s.n);
    let best = Infinity,
      bestCpu = Infinity;
    for (let r = 0; r < 7; r++) {
      const t = performance.now(),
        cu = process.cpuUsage();
      for (let i = 0; i < s.batch; i++) {
        g.sgemm(s.m, s.n, s.k, a + i * s.m * s.k * 4, s.k, 1, b + i * s.k * s.n * 4, s.n, 1, c + i * s.m * s.n * 4, s.n);
      }
      best = Math.min(best, performance.now() - t);
      bestCpu = Math.min(bestCpu, cpuMsSince(cu));
    }
    flops += 2 * s.m * s.n * s.k * s.batch;
    time += best / 1000;
    cpuTime += Math.max(bestCpu, 1e-3) / 1000;
  }
  return { wall: flops / time / 1e9, cpu: flops / cpuTime / 1e9 };
}

/** Child mode: single-process numbers with N XNNPACK threads, printed as one JSON line. */
async function threadedChild(threads: number): Promise<void> {
  const { tf, info } = await selectEngine({ prefer: 'wasm', threads });
  const teacher = await singleProcess(tf, TEACHER_CONFIG, quick ? 4 : 12);
  const student = await singleProcess(tf, STUDENT_CONFIG, quick ? 10 : 40);
  // Synchronous write: stdout is a pipe here, and the process.exit that follows would cut an async write short.
  fs.writeSync(1, JSON.stringify({ threads: info.threads, teacher, student }) + '\n');
}

function runThreadedChild(
  threads: number,
):
  | { threads: number; teacher: Awaited<ReturnType<typeof singleProcess>>; student: Awaited<ReturnType<typeof singleProcess>> }
  | { error: string } {
  const args = [__filename, '--threaded-child', String(threads), ...(quick ? ['--quick'] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 600_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) return { error: `exit ${r.status}: ${r.stderr.split('\n').slice(-3).join(' ')}` };
  return JSON.parse(line);
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf('--threaded-child');
  if (childAt >= 0) return threadedChild(Number(process.argv[childAt + 1]));
  const machine = machineFacts();
  const { tf, info } = await selectEngine();
  console.log(`engine: ${JSON.stringify(info)}`);
  const steps = { teacher: quick ? 4 : 12, student: quick ? 10 : 40 };
  const teacher1 = await singleProcess(tf, TEACHER_CONFIG, steps.teacher);
  console.log('teacher, 1 process:', teacher1.samplesPerSec, 'samples/s');
  const student1 = await singleProcess(tf, STUDENT_CONFIG, steps.student);
  console.log('student, 1 process:', student1.samplesPerSec, 'samples/s');
  const rssSingle = peakRssMiB();
  const teacher2 = await dataParallel(TEACHER_CONFIG, 2, steps.teacher, teacher1.parameters);
  console.log('teacher, 2 workers:', teacher2.samplesPerSec, 'samples/s');
  const student2 = await dataParallel(STUDENT_CONFIG, 2, steps.student, student1.parameters);
  console.log('student, 2 workers:', student2.samplesPerSec, 'samples/s');
  const rssAll = peakRssMiB();
  const threaded = runThreadedChild(2);
  if ('error' in threaded) console.log('threaded wasm child failed:', threaded.error);
  else console.log('teacher, 2 XNNPACK threads:', threaded.teacher.samplesPerSec, 'samples/s; student', threaded.student.samplesPerSec);

  const shapes = modelGemmShapes(TEACHER_CONFIG, BATCH);
  const ours = ourGemm(shapes);
  const native = numpyGemm(shapes);
  console.log(
    `GEMM on teacher shapes: ours ${ours.wall.toFixed(1)} GFLOP/s (${ours.cpu.toFixed(1)} per CPU-second), numpy ${native.threads1?.toFixed(1)} (1 thread, ${native.threads1Cpu?.toFixed(1)} per CPU-second) / ${native.threads2?.toFixed(1)} (2 threads)`,
  );

  const variants = [
    { name: 'single process, 1 thread', teacher: teacher1.samplesPerSec, student: student1.samplesPerSec },
    { name: 'data-parallel, 2 workers', teacher: teacher2.samplesPerSec, student: student2.samplesPerSec },
    ...('error' in threaded
      ? []
      : [{ name: 'single process, 2 XNNPACK threads', teacher: threaded.teacher.samplesPerSec, student: threaded.student.samplesPerSec }]),
  ];
  const bestVariant = variants.reduce((a, b) => (b.teacher > a.teacher ? b : a));
  const teacherBest = bestVariant.teacher,
    studentBest = Math.max(...variants.map(v => v.student));
  const chosen = bestVariant.name;
  const teacherGflopsBest = +((teacherBest * teacher1.trainMflopPerSample) / 1000).toFixed(2);
  const result = {
    benchmark: 'train',
    date: new Date().toISOString(),
    machine: { ...machine, loadAvgAtEnd: os.loadavg().map(v => +v.toFixed(2)) },
    engine: info,
    batch: BATCH,
    quick,
    teacher: {
      config: TEACHER_CONFIG,
      singleProcess: teacher1,
      dataParallel: teacher2,
      threadedWasm: 'error' in threaded ? threaded : threaded.teacher,
    },
    student: {
      config: STUDENT_CONFIG,
      singleProcess: student1,
      dataParallel: student2,
      threadedWasm: 'error' in threaded ? threaded : threaded.student,
    },
    twoCoreStrategy: {
      variants,
      fastestForTeacher: chosen,
      dataParallelSpeedupTeacher: +(teacher2.samplesPerSec / teacher1.samplesPerSec).toFixed(2),
      dataParallelSpeedupStudent: +(student2.samplesPerSec / student1.samplesPerSec).toFixed(2),
      threadedSpeedupTeacher: 'error' in threaded ? null : +(threaded.teacher.samplesPerSec / teacher1.samplesPerSec).toFixed(2),
    },
    peakRssMiB: { singleProcessPhase: rssSingle, includingDataParallelPhase: rssAll },
    nativeReference: {
      ...native,
      oursGemmGflops: +ours.wall.toFixed(2),
      oursGemmGflopsPerCpuSecond: +ours.cpu.toFixed(2),
      oursVsNumpy1Thread: native.threads1 ? +(ours.wall / native.threads1).toFixed(3) : null,
      oursVsNumpy1ThreadPerCpuSecond: native.threads1Cpu ? +(ours.cpu / native.threads1Cpu).toFixed(3) : null,
      teacherTrainingGflops: teacherGflopsBest,
      teacherTrainingVsNumpy2Threads: native.threads2 ? +(teacherGflopsBest / native.threads2).toFixed(3) : null,
      teacherTrainingGflopsPerCpuSecond: +((teacher1.samplesPerCpuSecond * teacher1.trainMflopPerSample) / 1000).toFixed(2),
      shapes,
    },
    targets: {
      teacherSamplesPerSec: {
        target: 250,
        reached: teacherBest,
        met: teacherBest >= 250,
        // Not a measurement: what the CPU-time throughput would give with both cores to ourselves
        // (data-parallel samples per CPU-second x 2 cores; single process x 1 core).
        projectionIdleMachine: {
          dataParallel2Cores: +(teacher2.samplesPerCpuSecond * 2).toFixed(1),
          singleProcess1Core: teacher1.samplesPerCpuSecond,
        },
      },
      studentSpeedup: { target: 5, reached: +(studentBest / teacherBest).toFixed(2), met: studentBest / teacherBest >= 5 },
    },
  };
  const out = path.join(REPO, 'bench', 'results', 'train.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${path.relative(REPO, out)}: teacher ${teacherBest} samples/s (${chosen}), student ${studentBest} samples/s`);
  console.log(
    `machine load average at start ${JSON.stringify(machine.loadAvgAtStart)}, end ${JSON.stringify(result.machine.loadAvgAtEnd)}`,
  );
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
