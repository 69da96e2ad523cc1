// Issue 22's ladder: where between the simulator calibration's features (pooled DFS, 6 links × 20 bands × 12
// frames) and today's model input (the dual-path Doppler block, 30 bands × 32 steps, motion crop, x^0.5,
// per-sample standardisation) and model (the GLSDA teacher with its Doppler stem) does cross-domain accuracy go?
// One change per rung, every rung scored by the same linear probe (softmax regression, baselines/classifier.ts) and
// the same small CNN (pooledDfsCnn.ts cnnClassifier), on the same leave-one-{location, user, room, orientation}-out
// folds (research/simCalibration/protocols.ts) of the same recordings (the GLSDA table's simulator folder, default
// preset, seed 7). The model rungs train the teacher (semantics off, cross-entropy: the network alone) on the last
// feature rung. Power-law compression is applied once per rung: by the probe (x^0.5, as the calibration does) while
// the features are uncompressed, by the features from the compression rung on. Writes
// research/results/feature-ladder.json (merged by rung, so rungs can be run separately).
//
//   npm run research -- feature-ladder [--sim bench/tmp/sim-default-s7] [--rungs pooled,d20x12,…] [--classifiers softmax,cnn]
//                                     [--folds glsda|all] [--factors location,user,room,orientation] [--cnn-seeds 1] [--teacher-epochs 40]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execSync } from 'child_process';
import { REPO } from '../test/helpers/paths';
import { indexCsvManifest } from '../src/core/data/csvManifest';
import { FeatureCache } from '../src/core/features/cache';
import { buildTensorDataset } from '../src/core/features/buildDataset';
import { DEFAULT_FEATURES, FEATURE_CODE_VERSION, type FeatureParams } from '../src/core/features/params';
import { FEATURE_BANDS, FEATURE_FRAMES } from '../src/core/features/pooledDfs';
import { selectEngine } from '../src/core/engine/selectEngine';
import { cnnClassifier, DEFAULT_CNN_TRAINING, toTensorDataset } from '../src/core/model/baselines/pooledDfsCnn';
import { crossEntropyObjective } from '../src/core/model/objectives/crossEntropy';
import { DEFAULT_TEACHER, Teacher } from '../src/core/model/nets/teacher';
import { DEFAULT_STUDENT, Student } from '../src/core/model/nets/student';
import { train } from '../src/core/model/train/train';
import { predict } from '../src/core/model/evaluate';
import type { Tf } from '../src/core/model/nets/net';
import { leaveOneOut, softmaxClassifier, type Classifier, type Factor, type Row, type SplitResult } from './simCalibration/protocols';
import { dopplerRows, pooledDfsRows } from './featureRows';
import { simCsv } from './glsdaSteps';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const simDir = path.resolve(REPO, arg('sim', 'bench/tmp/sim-default-s7'));
const FACTORS = arg('factors', 'location,user,room,orientation').split(',') as Factor[];
/** The GLSDA table's held-out folds (glsdaSteps.ts glsdaSplits), or every value of each factor. */
const GLSDA_FOLDS: Record<Factor, number[]> = { location: [5], user: [3], room: [3], orientation: [5] };
// 'glsda': only the GLSDA table's held-out folds; 'all': every fold; 'inner': validation folds for choosing
// settings: the GLSDA test fold's samples dropped, then leave-one-out over the remaining values (training domains
// only; location, with one value left, is skipped).
const foldsMode = arg('folds', 'all');
const CLASSIFIERS = arg('classifiers', 'softmax,cnn').split(',');
const CNN_SEEDS = arg('cnn-seeds', '1').split(',').map(Number);
const TEACHER_EPOCHS = Number(arg('teacher-epochs', '40'));
const STUDENT_EPOCHS = Number(arg('student-epochs', '160'));
const outFile = path.join(REPO, 'research', 'results', 'feature-ladder.json');

// Today's feature step of the GLSDA study (glsdaSteps.ts: the features step's explicit settings over the defaults).
const TODAY: FeatureParams = { ...DEFAULT_FEATURES, timeSteps: 32, phaseSubcarrierStride: 6, dopplerBands: 30, amplitudeGroups: 30 };

interface Rung {
  id: string;
  change: string;
  features: 'pooled' | FeatureParams;
  model?: { net?: 'teacher' | 'student'; dopplerStem: number[] };
}
const T12: FeatureParams = { ...TODAY, timeSteps: 12 };
const base: FeatureParams = { ...TODAY, timeSteps: FEATURE_FRAMES, dopplerBands: FEATURE_BANDS, dopplerCompress: 1, normalize: 'none' };
const RUNGS: Rung[] = [
  {
    id: 'pooled',
    change: 'calibration features: pooled DFS (pooledDfs.ts), 20 bands × 12 frames, its crop, x^0.5 in the probe',
    features: 'pooled',
  },
  {
    id: 'd20x12',
    change:
      'the dual-path Doppler path (dopplerPath.ts, crop.ts) at the calibration size: 20 bands × 12 steps, its motion crop (T = 12), no compression or standardisation',
    features: base,
  },
  { id: 'd30x12', change: 'bands 20 → 30', features: { ...base, dopplerBands: 30 } },
  {
    id: 'd30x32',
    change: 'steps 12 → 32 (the crop widens with T: at least 31 columns)',
    features: { ...base, dopplerBands: 30, timeSteps: 32 },
  },
  {
    id: 'compress',
    change: 'x^0.5 in the features (the probe no longer compresses)',
    features: { ...base, dopplerBands: 30, timeSteps: 32, dopplerCompress: 0.5 },
  },
  { id: 'today', change: "per-sample standardisation = today's model input (the GLSDA features step)", features: TODAY },
  { id: 'today-nocrop', change: "side rung: today's input without the motion crop", features: { ...TODAY, crop: 'none' } },
  {
    id: 'teacher-stem4',
    change: "model: the GLSDA teacher (semantics off, CE) on today's input, today's stem [16,16,16,16] (30 → 4 bands)",
    features: TODAY,
    model: { dopplerStem: [16, 16, 16, 16] },
  },
  {
    id: 'teacher-stem15',
    change: 'model: the teacher with stem [16,16] (30 → 15 bands)',
    features: TODAY,
    model: { dopplerStem: [16, 16] },
  },
  { id: 'teacher-stem30', change: 'model: the teacher with stem [16] (30 bands kept)', features: TODAY, model: { dopplerStem: [16] } },
  {
    id: 'teacher-nostem',
    change: 'model: the teacher without a stem (180 flat features per step)',
    features: TODAY,
    model: { dopplerStem: [] },
  },
  { id: 'today-t12', change: "candidate fix: today's input at 12 steps (a conv kernel then spans most of the gesture)", features: T12 },
  {
    id: 'teacher-t12-stem4',
    change: "candidate fix: the teacher (today's stem) on 12-step input",
    features: T12,
    model: { dopplerStem: [16, 16, 16, 16] },
  },
  {
    id: 'teacher-t12-stem30',
    change: 'candidate fix: the teacher with stem [16] on 12-step input',
    features: T12,
    model: { dopplerStem: [16] },
  },
  {
    id: 'teacher-t8-stem4',
    change: "candidate fix: the teacher (today's stem) on 8-step input",
    features: { ...TODAY, timeSteps: 8 },
    model: { dopplerStem: [16, 16, 16, 16] },
  },
  {
    id: 'student-stem4',
    change: "model: the GLSDA student network trained by CE alone (= the CE baseline) on today's input",
    features: TODAY,
    model: { net: 'student', dopplerStem: [8, 8, 8] },
  },
  {
    id: 'student-t12-stem4',
    change: 'candidate fix: the CE student on 12-step input',
    features: T12,
    model: { net: 'student', dopplerStem: [8, 8, 8] },
  },
];
const wanted = arg(
  'rungs',
  RUNGS.filter(r => r.id !== 'today-nocrop')
    .map(r => r.id)
    .join(','),
).split(',');

/** The teacher (no semantics, plain CE, the runner's teacher training) as a Classifier over pooled-layout rows. */
function teacherClassifier(
  tf: Tf,
  o: { bands: number; frames: number; receivers: number; dopplerStem: number[]; seed: number; net?: 'teacher' | 'student' },
): Classifier {
  return async (trainRows, testRows, nClasses) => {
    const data = { ...toTensorDataset([...trainRows, ...testRows], { ...o, compressExponent: 1 }, nClasses, 1), dopplerBands: o.bands };
    const trainIdx = trainRows.map((_, i) => i),
      testIdx = testRows.map((_, i) => trainRows.length + i);
    const shape = {
      timeSteps: o.frames,
      dopplerBands: o.bands,
      phaseFeatures: 0,
      dopplerFeatures: o.receivers * o.bands,
      classes: nClasses,
    };
    // The GLSDA study's recipes: teacher 40 epochs at 1e-3, student (CE baseline) 160 at 3e-3.
    const net =
      o.net === 'student'
        ? new Student(tf, shape, { ...DEFAULT_STUDENT, dopplerStem: o.dopplerStem }, o.seed, 'ce-baseline')
        : new Teacher(tf, shape, { ...DEFAULT_TEACHER, semantic: false, dopplerStem: o.dopplerStem }, o.seed);
    const objective = crossEntropyObjective(tf, net);
    try {
      const student = o.net === 'student';
      await train(tf, objective, data, trainIdx, {
        epochs: student ? STUDENT_EPOCHS : TEACHER_EPOCHS,
        batchSize: 32,
        learningRate: student ? 3e-3 : 1e-3,
        schedule: 'cosine',
        warmupEpochs: 1,
        seed: o.seed,
      });
      const p = await predict(tf, net, data, testIdx);
      return testIdx.filter((i, j) => p.pred[j] === data.labels[i]).length / testIdx.length;
    } finally {
      objective.dispose();
      net.dispose();
    }
  };
}

const pow = (rows: Row[], e: number) => (e === 1 ? rows : rows.map(r => ({ ...r, x: r.x.map(v => Math.pow(Math.max(0, v), e)) })));

async function main(): Promise<void> {
  const t0 = Date.now();
  if (!fs.existsSync(path.join(simDir, 'manifest.csv')))
    throw new Error(`no simulator folder at ${simDir}: node dist/cli.js simulate --out ${simDir} --seed 7 --preset default`);
  const index = await indexCsvManifest(simCsv(simDir));
  const cache = new FeatureCache(path.join(REPO, 'bench', 'tmp', 'feature-cache'));
  const engine = await selectEngine({ prefer: 'wasm' });
  const nC = index.classes.length;
  const prev = fs.existsSync(outFile) ? (JSON.parse(fs.readFileSync(outFile, 'utf8')) as { rungs?: Record<string, unknown>[] }) : {};
  const done: Record<string, unknown>[] = prev.rungs ?? [];
  for (const rung of RUNGS.filter(r => wanted.includes(r.id))) {
    const tf0 = Date.now();
    let rows: Row[], bands: number, frames: number;
    if (rung.features === 'pooled') {
      rows = await pooledDfsRows(index.samples, cache);
      bands = FEATURE_BANDS;
      frames = FEATURE_FRAMES;
    } else {
      const d = await buildTensorDataset(index, index.samples, rung.features, { cache });
      if (d.F1 !== 0) throw new Error(`rung ${rung.id}: expected Doppler-only features, got a path A of ${d.F1}`);
      rows = dopplerRows(d);
      bands = rung.features.dopplerBands;
      frames = rung.features.timeSteps;
    }
    const featureS = (Date.now() - tf0) / 1000;
    // The probe compresses only while the features do not (see the header).
    const e = rung.features !== 'pooled' && rung.features.dopplerCompress !== 1 ? 1 : 0.5;
    const classifiers: Record<string, Classifier[]> = {};
    if (rung.model)
      classifiers[rung.model.net ?? 'teacher'] = CNN_SEEDS.map(seed =>
        teacherClassifier(engine.tf, { bands, frames, receivers: 6, dopplerStem: rung.model!.dopplerStem, seed, net: rung.model!.net }),
      );
    else {
      if (CLASSIFIERS.includes('softmax')) classifiers.softmax = [softmaxClassifier({ l2: 0.01, epochs: 200 })];
      if (CLASSIFIERS.includes('cnn'))
        classifiers.cnn = CNN_SEEDS.map(seed =>
          cnnClassifier(engine.tf, { receivers: 6, bands, frames, ...DEFAULT_CNN_TRAINING, compressExponent: e, seed }),
        );
    }
    const results: Record<string, Record<string, SplitResult & { perSeed?: number[][] }>> = {};
    const seconds: Record<string, number> = {};
    for (const [name, fns] of Object.entries(classifiers)) {
      const tc = Date.now();
      results[name] = {};
      const all = name === 'softmax' ? pow(rows, e) : rows;
      for (const f of FACTORS) {
        const only = foldsMode === 'glsda' ? GLSDA_FOLDS[f] : undefined;
        const input = foldsMode === 'inner' ? all.filter(r => !GLSDA_FOLDS[f].includes(r[f])) : all;
        if (foldsMode === 'inner' && new Set(input.map(r => r[f])).size < 2) continue;
        const per: (SplitResult & { values: number[] })[] = [];
        for (const fn of fns) per.push(await leaveOneOut(input, f, nC, fn, only));
        // Mean over seeds of each fold's accuracy; per-seed folds kept.
        const folds = per[0].folds.map((_, k) => per.reduce((s, r) => s + r.folds[k], 0) / per.length);
        const mean = folds.reduce((a, b) => a + b, 0) / folds.length;
        results[name][f] = {
          ...per[0],
          folds,
          mean,
          std: Math.sqrt(folds.reduce((a, b) => a + (b - mean) ** 2, 0) / folds.length),
          ...(per.length > 1 ? { perSeed: per.map(r => r.folds) } : {}),
        };
        process.stderr.write(
          `${rung.id.padEnd(15)} ${name.padEnd(8)} ${f.padEnd(12)} ${(100 * mean).toFixed(1)} % [${folds.map(x => (100 * x).toFixed(0)).join(' ')}] (${((Date.now() - tc) / 1000).toFixed(0)} s)\n`,
        );
      }
      seconds[name] = (Date.now() - tc) / 1000;
    }
    const entry = {
      id: rung.id,
      change: rung.change,
      features: rung.features,
      model: rung.model,
      probeCompressExponent: e,
      dims: { receivers: 6, bands, frames, length: rows[0].x.length },
      folds: foldsMode,
      cnnSeeds: CNN_SEEDS,
      results,
      seconds: { features: featureS, ...seconds },
    };
    const i = done.findIndex(r => r.id === rung.id && (r.folds ?? 'all') === foldsMode);
    if (i >= 0) done[i] = entry;
    else done.push(entry);
    done.sort(
      (a, b) => RUNGS.findIndex(r => r.id === a.id) - RUNGS.findIndex(r => r.id === b.id) || String(a.folds).localeCompare(String(b.folds)),
    );
    let commit = 'unknown';
    try {
      commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    } catch {
      /* not a checkout */
    }
    fs.writeFileSync(
      outFile,
      JSON.stringify(
        {
          benchmark: 'feature-ladder',
          description: 'research/feature-ladder.study.ts header',
          simulator: { dir: path.relative(REPO, simDir), preset: 'default', seed: 7, samples: index.samples.length },
          featureCodeVersion: FEATURE_CODE_VERSION,
          probe: { softmax: { l2: 0.01, epochs: 200 }, cnn: DEFAULT_CNN_TRAINING, teacherEpochs: TEACHER_EPOCHS },
          machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, commit, date: new Date().toISOString() },
          totalSecondsLastRun: (Date.now() - t0) / 1000,
          rungs: done,
        },
        null,
        1,
      ) + '\n',
    );
  }
  console.log(`wrote ${outFile}`);
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
