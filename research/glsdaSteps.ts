// The GLSDA benchmark's experiment: one step list (data, features, prior, the teacher and its controls, the students,
// evaluation) shared by the main table (glsda.bench.ts) and the soft-label probes (glsda-softlabels.bench.ts), so a
// probe trains exactly the teacher the table reports.
import * as fs from 'fs';
import * as path from 'path';
import { labeled } from '../test/helpers/paths';

/**
 * A CSV manifest (path, label, domains) for a simulator folder, derived from its manifest.csv: the data layer's
 * simulator-manifest reader does not accept this simulator version's gesture names yet. Written into the folder.
 */
export function simCsv(dir: string): string {
  const out = path.join(dir, 'glsda-index.csv');
  const lines = fs.readFileSync(path.join(dir, 'manifest.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const col = (n: string) => head.indexOf(n);
  const rows = lines
    .slice(1)
    .map(l => l.split(','))
    .map(c => [c[col('files')], c[col('gesture')], c[col('user')], c[col('room')], c[col('location')], c[col('orientation')]].join(','));
  fs.writeFileSync(out, ['path,label,user,room,location,orientation', ...rows].join('\n') + '\n');
  return out;
}

export function glsdaSteps(
  folder: string,
  split: Record<string, unknown>,
  factors: string[],
  teacherEpochs: number,
  studentEpochs: number,
  features: Record<string, unknown> = {},
  teacher: Record<string, unknown> = {},
) {
  const train = (epochs: number, lr: number) => ({ epochs, batchSize: 32, learningRate: lr });
  return [
    { id: 'data', type: 'dataset', folder, split },
    { id: 'features', type: 'features', timeSteps: 32, phaseSubcarrierStride: 6, dopplerBands: 30, amplitudeGroups: 30, ...features },
    { id: 'prior', type: 'prior', alpha: 0.15, tau: 1 },
    { id: 'teacher', type: 'teacher', semantic: true, supervision: 'semantic', ...teacher, train: train(teacherEpochs, 1e-3) },
    // The student's recipe was chosen on the simulator's leave-user-3-out split, paired seeds 1–3 (kdWeight 1 at
    // temperature 4 with featWeight 0.5, the earlier recipe, was 38.1 % there, level with the CE baseline's 38.1;
    // feature matching at weight 1 on mixup inputs 41.1; a T = 1 KD term at 0.5 beside it 41.0 over seeds 1–2),
    // so that split is not an unbiased test of it; the room and orientation splits are.
    {
      id: 'student',
      type: 'student',
      mode: 'distill',
      from: ['teacher'],
      kdWeight: 0.5,
      featWeight: 1,
      temperature: 1,
      mixup: 1,
      train: train(studentEpochs, 3e-3),
    },
    // Control for the logit term: the same student with feature matching only (is the KL to the teacher worth it?).
    {
      id: 'student-feature-only',
      type: 'student',
      mode: 'distill',
      from: ['teacher'],
      kdWeight: 0,
      featWeight: 1,
      mixup: 1,
      train: train(studentEpochs, 3e-3),
    },
    { id: 'ce-baseline', type: 'student', mode: 'ce', train: train(studentEpochs, 3e-3) },
    // Control for the student's mixup: the same mixes without a teacher (is the gain distillation or mixup?).
    { id: 'ce-baseline-mixup', type: 'student', mode: 'ce', mixup: 1, train: train(studentEpochs, 3e-3) },
    { id: 'teacher-no-semantics', type: 'teacher', semantic: false, supervision: 'onehot', ...teacher, train: train(teacherEpochs, 1e-3) },
    // Control for what the semantics give the student: the default student recipe distilled from the teacher without
    // semantics (same architecture, seed and batches as "student-feature-only"; only the teacher differs).
    {
      id: 'student-from-no-semantics',
      type: 'student',
      mode: 'distill',
      from: ['teacher-no-semantics'],
      kdWeight: 0,
      featWeight: 1,
      mixup: 1,
      train: train(studentEpochs, 3e-3),
    },
    {
      id: 'teacher-uniform-smoothing',
      type: 'teacher',
      semantic: true,
      supervision: 'uniform',
      ...teacher,
      train: train(teacherEpochs, 1e-3),
    },
    {
      id: 'teacher-shuffled-prior',
      type: 'teacher',
      semantic: true,
      supervision: 'shuffled',
      ...teacher,
      train: train(teacherEpochs, 1e-3),
    },
    { id: 'eval', type: 'evaluate', factors, latencyRepeats: 20 },
    { id: 'compare', type: 'compare' },
  ];
}

/** Time steps of the simulator splits' features (see glsdaSplits). */
export const SIM_TIME_STEPS = 12;
export const SIM_TEACHER_STEM = [16];

/** One split of the GLSDA benchmark: dataset, folder, split spec, domain factors reported, label, feature overrides. */
export interface SplitDef {
  dataset: string;
  folder: string;
  split: Record<string, unknown>;
  factors: string[];
  label: string;
  features?: Record<string, unknown>;
  teacher?: Record<string, unknown>;
}

export interface SplitOptions {
  /** Datasets to include: sim, fition, wiar. */
  only: string[];
  /** Simulator folder (needs manifest.csv). */
  simDir: string;
  /** Set every WiAR split's feature `inputs` (labels get "-<inputs>-inputs"). */
  wiarInputs?: string;
  wiarFolds: string[];
}

/**
 * The GLSDA benchmark's splits, shared by the main table and the probes so they test the same data:
 *   sim    (simulator, Widar-style domains): leave-one-user-out, -room-, -orientation-, -location-out
 *   fition (shared/labeled/fition): leave-one-user-out
 *   wiar   (shared/labeled/wiar): within-volunteer (random, stratified by volunteer), later repetitions (12–15 of each
 *          volunteer and activity held out) and leave-one-volunteer-out
 * With the simulator's provenance (folder, simulator version, seed, preset) when it is included.
 */
export function glsdaSplits(o: SplitOptions): { defs: SplitDef[]; simProvenance?: Record<string, unknown> } {
  const defs: SplitDef[] = [];
  let simProvenance: Record<string, unknown> | undefined;
  if (o.only.includes('sim')) {
    const simDir = path.resolve(o.simDir);
    if (!fs.existsSync(path.join(simDir, 'manifest.csv')))
      throw new Error(
        `no simulator dataset at ${simDir}: generate one with 'csi-workbench simulate --out ${simDir} --preset default --seed 7'`,
      );
    const csv = simCsv(simDir);
    const man = JSON.parse(fs.readFileSync(path.join(simDir, 'manifest.json'), 'utf8')) as {
      generator?: { version?: string };
      seed?: number;
      preset?: string;
    };
    simProvenance = { dir: simDir, simulatorVersion: man.generator?.version, seed: man.seed, preset: man.preset };
    const f = ['user', 'room', 'location', 'orientation'];
    // 12 time steps on the simulator (issue 22; was 32): research/results/feature-ladder.json shows the 32-step input
    // losing nothing for a linear probe or the pooled-DFS CNN, while the networks gain from 12 steps on validation
    // folds carved from the training domains only (leave-user-3 / leave-room-3 dropped, then leave one of the other
    // users / rooms out): the CE student 42.9 / 49.1 → 55.6 / 65.7 %, the teacher without semantics 24.4 / 35.5 →
    // 39.5 / 50.0 %. Their temporal kernels (≤ 9 steps, stride 2, then a mean over time) see a fifth of a 32-step
    // gesture, and the DFS window (0.25 s) already spans several of its steps.
    // The teachers' Doppler stem on the simulator: one layer [16] (30 bands kept) rather than the default four (30 → 4),
    // chosen on the same validation folds at 12 steps (41.4 / 56.2 % against 39.5 / 50.0).
    const sim = { features: { timeSteps: SIM_TIME_STEPS }, teacher: { dopplerStem: SIM_TEACHER_STEM } };
    defs.push({
      dataset: 'sim',
      folder: csv,
      split: { protocol: 'leave-out', factor: 'user', heldOut: ['3'] },
      factors: f,
      label: 'leave-user-3-out',
      ...sim,
    });
    defs.push({
      dataset: 'sim',
      folder: csv,
      split: { protocol: 'leave-out', factor: 'room', heldOut: ['3'] },
      factors: f,
      label: 'leave-room-3-out',
      ...sim,
    });
    defs.push({
      dataset: 'sim',
      folder: csv,
      split: { protocol: 'leave-out', factor: 'orientation', heldOut: ['5'] },
      factors: f,
      label: 'leave-orientation-5-out',
      ...sim,
    });
    // The preset has two locations (1, 5): leaving one out tests on half the data (243 samples).
    defs.push({
      dataset: 'sim',
      folder: csv,
      split: { protocol: 'leave-out', factor: 'location', heldOut: ['5'] },
      factors: f,
      label: 'leave-location-5-out',
      ...sim,
    });
  }
  if (o.only.includes('fition')) {
    for (const u of ['1', '2', '3'])
      defs.push({
        dataset: 'fition',
        folder: labeled('fition'),
        split: { protocol: 'leave-out', factor: 'user', heldOut: [u] },
        factors: ['user', 'environment'],
        label: `leave-user-${u}-out`,
      });
  }
  if (o.only.includes('wiar')) {
    // wiarInputs: every WiAR split again with the feature step's `inputs` set (e.g. doppler: the motion paths
    // without the amplitude, which carries the recording session more than the motion: research/results/wiar-leakage.json),
    // as splits of their own ("leave-volunteer-7-out-doppler-inputs") beside the default ones.
    if (o.wiarInputs !== undefined && !['both', 'doppler'].includes(o.wiarInputs))
      throw new Error(`--wiar-inputs takes both or doppler, got "${o.wiarInputs}"`);
    const wiar = (label: string, split: Record<string, unknown>): SplitDef => ({
      dataset: 'wiar',
      folder: labeled('wiar'),
      split,
      factors: ['user'],
      ...(o.wiarInputs ? { label: `${label}-${o.wiarInputs}-inputs`, features: { inputs: o.wiarInputs } } : { label }),
    });
    defs.push(wiar('within-volunteer', { protocol: 'random', stratifyBy: ['user'], val: 0.1, test: 0.2 }));
    // Repetitions 12–15 of every volunteer and activity held out (the dataset README's in-domain split): each test
    // capture comes after every training capture of its run, so less of the run's static channel is shared than
    // with a random draw.
    defs.push(wiar('later-repetitions', { protocol: 'leave-out', factor: 'repetition', heldOut: ['12', '13', '14', '15'] }));
    for (const u of o.wiarFolds) defs.push(wiar(`leave-volunteer-${u}-out`, { protocol: 'leave-out', factor: 'user', heldOut: [u] }));
  }
  return { defs, simProvenance };
}

/** Keep only the splits named in `want` (labels); an unknown name is an error listing the known ones. */
export function keepSplits(defs: SplitDef[], want: string[]): SplitDef[] {
  const unknown = want.filter(w => !defs.some(d => d.label === w));
  if (unknown.length) throw new Error(`--splits: no split named ${unknown.join(', ')} (have: ${defs.map(d => d.label).join(', ')})`);
  return defs.filter(d => want.includes(d.label));
}
