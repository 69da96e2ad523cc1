// Executes an experiment spec step by step, with content-hash caching of upstream results:
//   hash(step) = sha256(code version, canonical JSON of the step's own settings without id/from, experiment seed,
//                       hashes of the upstream steps it reads).
// Model steps train with checkpointDir = cache/steps/<hash>/checkpoints and fingerprint = hash, so an unchanged
// teacher is restored from its final checkpoint (0 epochs run) when only the student step changed, and a run
// killed mid-training resumes from its last complete epoch. Features go through the content-addressed feature
// cache. Every run writes its own run directory (runStore.ts) with metrics, artifacts and TensorBoard scalars.
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { FeatureCache, canonicalJson } from '../features/cache';
import { indexFolder } from '../data/indexFolder';
import type { DatasetIndex, DatasetSample } from '../data/sample';
import { seededRandom, shuffleInPlace } from '../data/seededRandom';
import { leaveOutSplit, randomSplit, type Split } from '../data/splits';
import { resolvePrompts } from '../semantics/classPrompts';
import { parseUserGestures } from '../semantics/userGestures';
import { defaultGloveProvider } from '../semantics/gloveProvider';
import { buildSemanticPrior, type SemanticPrior } from '../semantics/prior';
import { readSemanticPrior } from '../semantics/priorFile';
import { priorForClasses } from '../semantics/priorForClasses';
import { DEFAULT_SOFT_LABEL_OPTIONS, semanticSoftLabels, shuffledSimilarity, uniformSmoothing } from '../semantics/softLabels';
import { DEFAULT_FEATURES, FeatureError, buildTensorDataset, type FeatureParams } from '../features';
import { ModelError } from '../model/errors';
import { batch1LatencyMs, evaluate, predict } from '../model/evaluate';
import { exportStudent } from '../model/export/exportStudent';
import type { Net, Tf } from '../model/nets/net';
import { augmentActive, type AugmentOptions } from '../model/train/augment';
import { distillationObjective, teacherObjective } from '../model/objectives/objectives';
import { DEFAULT_STUDENT, Student, type StudentConfig } from '../model/nets/student';
import { DEFAULT_TEACHER, Teacher, type TeacherConfig } from '../model/nets/teacher';
import type { TensorDataset } from '../features/tensorDataset';
import { train, type EpochStats, type TrainOptions, type TrainProgress } from '../model/train/train';
import type { ClassificationMetrics } from '../model/metrics';
import { ExperimentError } from './errors';
import { createRun, machineFacts, newRunId, writeJsonAtomic, type RunPaths } from './runStore';
import { predictionRows, writePredictions } from './predictions';
import { parseSpec, upstream, type ExperimentSpec, type Step, type AugmentSpec, type StudentStep, type TeacherStep, type TrainSpec } from './spec';
import { EventFileWriter } from './tfevents';

// @2: features dual-path@4 (crop, compression, Doppler-only 'auto' inputs) and Doppler stems in the models.
// @3: every model step is initialised and shuffled with the run's seed (modelSeed); amplitude despiking (Hampel) on by
// default; distilled students default to feature matching without the KL term (DISTILL_DEFAULTS).
// @4: Doppler stems that pool the bands to 4: the teacher's defaults to [16, 16, 16, 16] (was [16, 16]), the student's
// to [8, 8, 8] (was [8]) (teacher.ts TeacherConfig.dopplerStem, student.ts DEFAULT_STUDENT: why); the prior's soft-label
// temperature defaults to τ = 1 (was 0.1; semantics/softLabels.ts DEFAULT_SOFT_LABEL_OPTIONS: why).
export const RUNNER_CODE_VERSION = 'glsda-runner@4';

/**
 * The seed a model step is built and trained with. Since @3 it is the run's seed for every model step, so models of
 * one architecture (the student and the equal-size CE baseline; the teacher and its controls where their shapes agree)
 * start from the same weights and see the same batches: their comparison is paired, and what differs is only the
 * objective. Runners before @3 used seed + step index, which made that comparison depend on where a step sat in
 * the spec (on the simulator, moving the CE baseline one step changed its cross-user accuracy from 49 to 40 %).
 */
export function modelSeed(runSeed: number, stepIndex: number, runner: string = RUNNER_CODE_VERSION): number {
  return EARLIER_RUNNER_DEFAULTS[runner]?.seedPlusStepIndex ? runSeed + stepIndex : runSeed;
}

/**
 * Where a run of an earlier runner version was built differently from today's defaults, what it used: evaluateSaved
 * rebuilds such a run's models (and features) with these, so its checkpoints still load. The features themselves
 * are then today's code with the old settings (dual-path@3 resampled without phase alignment), not bit-identical.
 */
export const EARLIER_RUNNER_DEFAULTS: Record<string, {
  features: Partial<FeatureParams>;
  /** The teacher's default Doppler stem then (and the student's, unless studentDopplerStem says otherwise). */
  dopplerStem?: number[];
  studentDopplerStem?: number[];
  seedPlusStepIndex?: boolean;
}> = {
  'glsda-runner@1': { features: { crop: 'none', dopplerCompress: 1, inputs: 'both', despike: 'none' }, dopplerStem: [], seedPlusStepIndex: true },
  'glsda-runner@2': { features: { despike: 'none' }, dopplerStem: [16, 16], studentDopplerStem: [8], seedPlusStepIndex: true },
  'glsda-runner@3': { features: {}, dopplerStem: [16, 16], studentDopplerStem: [8] },
};

/**
 * Said (as a log event) when a leave-out split keeps the amplitude level in path A: measured on WiAR, that level names
 * the recording session (research/results/wiar-leakage.json), so across volunteers such a model scored at chance where
 * Doppler inputs alone reached about three times chance (research/results/glsda.json).
 */
export const AMPLITUDE_ACROSS_DOMAINS_NOTE = (factor: string): string =>
  `leaving a ${factor} out with the amplitude level in the phase path: on WiAR that level identifies the recording session, and across volunteers `
  + `such models scored at chance where "inputs": "doppler" reached about 3× chance; consider "inputs": "doppler" (or "amplitudeMean": "remove") for this split`;

/**
 * Runs the body of a run and records how it ended in `metrics` (done; cancelled or failed with the message), saving
 * the metrics and releasing the networks whatever happened, so a cancelled or crashed run keeps its partial results.
 */
export async function settleRun<T>(metrics: RunMetrics, save: () => Promise<void>, release: () => void, body: () => Promise<T>): Promise<T> {
  try {
    const r = await body();
    metrics.status = 'done';
    return r;
  } catch (e) {
    metrics.status = e instanceof ExperimentError && e.code === 'cancelled' ? 'cancelled' : 'failed';
    metrics.error = (e as Error).message;
    throw e;
  } finally {
    await save();
    release();
  }
}

export type RunEvent =
  | { kind: 'step-start'; step: string; type: Step['type']; index: number; total: number; hash: string }
  | { kind: 'step-done'; step: string; seconds: number; reused: boolean }
  | { kind: 'train'; step: string; progress: TrainProgress }
  | { kind: 'features'; step: string; done: number; total: number }
  | { kind: 'log'; step: string; message: string };

export interface RunOptions {
  workspace: string;
  /** Directory dataset folders are resolved against (the experiment file's folder). */
  baseDir?: string;
  tf: Tf;
  engineInfo?: unknown;
  signal?: AbortSignal;
  onEvent?: (e: RunEvent) => void;
  runId?: string;
  /** Sees every features step's dataset and split indices (benchmarks compute baselines on the same features). */
  onFeatures?: (step: string, data: TensorDataset, split: { train: number[]; val: number[]; test: number[] }) => void;
}

export interface ModelRow {
  model: string;
  kind: string;
  accuracy: number;
  macroF1: number;
  params: number;
  flops: number;
  sizeBytes: number;
  latencyMs: number;
  epochsRun: number;
  perDomain: ClassificationMetrics['perDomain'];
}

export interface StepRecord { id: string; type: Step['type']; hash: string; seconds: number; reused: boolean; info: Record<string, unknown> }

export interface RunMetrics {
  id: string;
  name: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  error?: string;
  chance?: number;
  split?: { name: string; description: string; train: number; val: number; test: number };
  steps: StepRecord[];
  evaluations: Record<string, ClassificationMetrics & { latencyMs: number; params: number; flops: number; sizeBytes: number }>;
  table: ModelRow[];
}

export interface RunResult { id: string; dir: string; metrics: RunMetrics }

interface DatasetState { index: DatasetIndex; split: Split; samples: DatasetSample[] }
interface FeatureState { data: TensorDataset; train: number[]; val: number[]; test: number[] }
interface ModelState { net: Net; history: EpochStats[]; epochsRun: number; sizeBytes: number; kind: string }

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * What a step's hash covers of the step itself: its settings, and for model steps the network and objective they
 * resolve to. Why the resolved values: a default changed in code (a Doppler stem, a distillation weight) must not
 * reuse a checkpoint trained under the old one, which would fail to load or, worse, load into a same-shaped but
 * different network; and a setting spelled out at its default value is the same step as one left out.
 */
function stepSettings(s: Step): unknown {
  const { id: _id, ...rest } = s as Step & { from?: string[] };
  delete (rest as { from?: string[] }).from;
  if (s.type === 'prior') return { ...rest, alpha: s.alpha ?? DEFAULT_SOFT_LABEL_OPTIONS.alpha, tau: s.tau ?? DEFAULT_SOFT_LABEL_OPTIONS.tau };
  if (s.type !== 'teacher' && s.type !== 'student') return rest;
  const { seed: _seed, ...train } = trainOptions(s.train, 0);
  const resolved: Record<string, unknown> = s.type === 'teacher' ? { ...teacherConfig(s), train } : { ...studentConfig(s), ...distillSettings(s), train };
  // Augmentation counts only when it does something (absent, {} and all zeros are the same step, as before it existed).
  const augment = augmentOptions(s.augment);
  if (augment) resolved.augment = augment;
  // Settings the resolved values cover count once, resolved.
  // (crossAttention: true is the default the resolved config leaves out, so it must not count here either.)
  const own = Object.fromEntries(Object.entries(rest).filter(([k, v]) => !(k in resolved) && k !== 'augment' && !(k === 'crossAttention' && v === true)));
  return { ...own, resolved };
}

/** A step's augmentation with its zeros filled in; undefined when it would do nothing. */
function augmentOptions(a: AugmentSpec | undefined): AugmentOptions | undefined {
  // doppler counts only when set, so steps from before it existed keep their hashes.
  const o: AugmentOptions = { stretch: a?.stretch ?? 0, shift: a?.shift ?? 0, gain: a?.gain ?? 0, ...(a?.doppler ? { doppler: a.doppler } : {}) };
  return augmentActive(o) ? o : undefined;
}

function trainOptions(t: TrainSpec | undefined, seed: number): Omit<TrainOptions, 'checkpointDir' | 'fingerprint'> {
  // weightDecay counts only when set, so steps from before it existed keep their hashes.
  return { epochs: t?.epochs ?? 20, batchSize: t?.batchSize ?? 32, learningRate: t?.learningRate ?? 1e-3, schedule: t?.schedule ?? 'cosine', warmupEpochs: t?.warmupEpochs ?? 1, ...(t?.weightDecay ? { weightDecay: t.weightDecay } : {}), seed };
}

/** Seeded class-balanced subset (round-robin over classes of shuffled samples) for quick runs. */
export function limitSamples(samples: DatasetSample[], limit: number, seed: number): DatasetSample[] {
  if (samples.length <= limit) return samples;
  const byClass = new Map<number, DatasetSample[]>();
  for (const s of [...samples].sort((a, b) => a.id.localeCompare(b.id))) (byClass.get(s.label) ?? byClass.set(s.label, []).get(s.label)!).push(s);
  const rng = seededRandom(`${seed}/limit`);
  const lists = [...byClass.keys()].sort((a, b) => a - b).map(k => shuffleInPlace(byClass.get(k)!, rng));
  const out: DatasetSample[] = [];
  for (let r = 0; out.length < limit; r++) for (const l of lists) if (r < l.length && out.length < limit) out.push(l[r]);
  return out;
}

export async function runExperiment(specJson: unknown, o: RunOptions): Promise<RunResult> {
  const spec: ExperimentSpec = parseSpec(specJson);
  const seed = spec.seed ?? 1;
  const tf = o.tf;
  const id = o.runId ?? newRunId(spec.name);
  const paths: RunPaths = await createRun(o.workspace, id);
  const emit = (e: RunEvent) => o.onEvent?.(e);
  const metrics: RunMetrics = { id, name: spec.name, status: 'running', steps: [], evaluations: {}, table: [] };
  await writeJsonAtomic(path.join(paths.run, 'spec.json'), spec);
  await writeJsonAtomic(path.join(paths.run, 'environment.json'), { engine: o.engineInfo ?? { backend: tf.getBackend(), tfjsVersion: tf.version.tfjs }, machine: machineFacts(), startedAt: new Date().toISOString(), runner: RUNNER_CODE_VERSION });
  const hashes = new Map<string, string>();
  const datasets = new Map<string, DatasetState>(), features = new Map<string, FeatureState>(), priors = new Map<string, { prior: SemanticPrior; alpha: number; tau: number }>();
  const models = new Map<string, ModelState>();
  const featureCache = new FeatureCache(paths.features);
  const save = () => writeJsonAtomic(path.join(paths.run, 'metrics.json'), metrics);

  return settleRun(metrics, save, () => { for (const m of models.values()) m.net.dispose(); }, async () => {
    for (let i = 0; i < spec.steps.length; i++) {
      const step = spec.steps[i];
      if (o.signal?.aborted) throw new ExperimentError('cancelled', `cancelled before step "${step.id}"`);
      const ups: Step[] = [];
      const need = <T extends Step['type']>(type: T, required = true) => { const u = upstream(spec, i, type, required); if (u) ups.push(u); return u; };
      // Resolve upstream first: the hash covers them.
      const upDataset = step.type === 'features' ? need('dataset') : undefined;
      const upFeatures = step.type === 'teacher' || step.type === 'student' ? need('features') : undefined;
      const upPrior = step.type === 'teacher' ? need('prior', false) : step.type === 'prior' ? undefined : undefined;
      const upDataForPrior = step.type === 'prior' ? need('dataset') : undefined;
      const upTeacher = step.type === 'student' && (step.mode ?? 'distill') === 'distill' ? need('teacher') : undefined;
      const hash = sha(canonicalJson({ v: RUNNER_CODE_VERSION, seed, settings: stepSettings(step), ups: ups.map(u => hashes.get(u.id)) })
        + (step.type === 'dataset' ? path.resolve(o.baseDir ?? '.', step.folder) : ''));
      hashes.set(step.id, hash);
      emit({ kind: 'step-start', step: step.id, type: step.type, index: i, total: spec.steps.length, hash });
      const t0 = Date.now();
      const info: Record<string, unknown> = {};
      let reused = false;
      // What a step produced, folded into its hash after it ran, so downstream caches follow content (an edited
      // recording, prompt file or split changes every hash below it) and not only settings.
      let produced = '';
      try {
        switch (step.type) {
          case 'dataset': {
            const folder = path.resolve(o.baseDir ?? '.', step.folder);
            let index = await indexFolder(folder);
            if (!index.samples.length) {
              const errs = index.diagnostics.filter(d => d.severity === 'error').slice(0, 3).map(d => d.message);
              throw new ExperimentError('step-failed', `no labelled samples found in ${folder} (layout ${index.layout})${errs.length ? `: ${errs.join('; ')}` : ''}`);
            }
            if (step.limit) index = { ...index, samples: limitSamples(index.samples, step.limit, seed) };
            const sp = step.split ?? {};
            const split = (sp.protocol ?? 'random') === 'leave-out'
              ? leaveOutSplit(index, { factor: sp.factor ?? 'user', heldOut: sp.heldOut ?? [], val: sp.val, seed })
              : randomSplit(index, { seed, val: sp.val, test: sp.test, stratifyBy: sp.stratifyBy });
            const byId = new Map(index.samples.map(s => [s.id, s]));
            const samples = [...split.train, ...split.val, ...split.test].map(x => byId.get(x)!);
            datasets.set(step.id, { index, split, samples });
            produced = canonicalJson({ split: [split.train, split.val, split.test], classes: index.classes });
            metrics.split = { name: split.name, description: split.description, train: split.train.length, val: split.val.length, test: split.test.length };
            metrics.chance = 1 / index.classes.length;
            Object.assign(info, { layout: index.layout, classes: index.classes, samples: index.samples.length, split: metrics.split, warnings: split.warnings });
            for (const w of split.warnings) emit({ kind: 'log', step: step.id, message: `split: ${w}` });
            break;
          }
          case 'features': {
            const ds = datasets.get(upDataset!.id)!;
            const p: FeatureParams = { ...DEFAULT_FEATURES, ...Object.fromEntries(Object.entries({ timeSteps: step.timeSteps, phaseSubcarrierStride: step.phaseSubcarrierStride, dopplerBands: step.dopplerBands, amplitudeGroups: step.amplitudeGroups, normalize: step.normalize, crop: step.crop, dopplerCompress: step.dopplerCompress, inputs: step.inputs, despike: step.despike, amplitudeMean: step.amplitudeMean, amplitudeSpectrum: step.amplitudeSpectrum }).filter(([, v]) => v !== undefined)) };
            const skipped: string[] = [];
            const data = await buildTensorDataset(ds.index, ds.samples, p, {
              cache: featureCache, signal: o.signal, onProgress: (done, total) => emit({ kind: 'features', step: step.id, done, total }),
              onSampleError: (s, e) => { skipped.push(`${s.id}: ${e.message}`); },
            });
            const pos = new Map(data.ids.map((x, k) => [x, k]));
            const pick = (ids: string[]) => ids.map(x => pos.get(x)).filter((k): k is number => k !== undefined);
            const fsState = { data, train: pick(ds.split.train), val: pick(ds.split.val), test: pick(ds.split.test) };
            features.set(step.id, fsState);
            o.onFeatures?.(step.id, data, fsState);
            const h = createHash('sha256');
            for (const a of [data.phase, data.doppler, data.labels]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
            produced = h.update(data.ids.join('\n')).digest('hex');
            Object.assign(info, { params: p, F1: data.F1, F2: data.F2, samples: data.labels.length, skipped: skipped.slice(0, 20), skippedCount: skipped.length, cache: { ...featureCache.stats } });
            // Only domain splits: holding repetitions out stays inside each recording session, where the level is
            // shared by train and test. (amplitudeGroups 0 means no amplitude on a multi-antenna receiver, but a
            // one-antenna receiver's path A is its amplitude whatever that setting.)
            const held = ds.split.heldOut;
            if (held && held.factor !== 'repetition' && (data.amplitudeColumns ?? 0) > 0 && p.amplitudeMean === 'keep') {
              const note = AMPLITUDE_ACROSS_DOMAINS_NOTE(held.factor);
              info.notes = [note]; // kept with the step, so the notebook's result says it after the run
              emit({ kind: 'log', step: step.id, message: note });
            }
            if (!data.labels.length) throw new ExperimentError('step-failed', `no sample produced features (${skipped[0] ?? 'none given'})`);
            break;
          }
          case 'prior': {
            const ds = datasets.get(upDataForPrior!.id)!;
            const classes = ds.index.classes;
            let prior: SemanticPrior;
            if (step.file) {
              // A frozen prior made elsewhere (an embeddings endpoint, a VS Code language model): read, checked against
              // its content hash, fitted to this dataset's classes. The prompts and provider are the file's.
              const clash = (['provider', 'promptSets', 'gesturesFile'] as const).filter(k => step[k] !== undefined);
              if (clash.length) throw new ExperimentError('bad-spec', `prior step "${step.id}": "file" gives the whole prior; remove ${clash.map(k => `"${k}"`).join(', ')}`);
              const pf = path.resolve(o.baseDir ?? '.', step.file);
              prior = priorForClasses(await readSemanticPrior(pf), classes, pf);
            } else {
              let user;
              if (step.gesturesFile) {
                const gf = path.resolve(o.baseDir ?? '.', step.gesturesFile);
                user = parseUserGestures(await fs.readFile(gf, 'utf8'), gf);
              }
              prior = await buildSemanticPrior({ classes, prompts: resolvePrompts(classes, { sets: step.promptSets, user }), provider: defaultGloveProvider(), signal: o.signal, buildDate: new Date(0) });
            }
            priors.set(step.id, { prior, alpha: step.alpha ?? DEFAULT_SOFT_LABEL_OPTIONS.alpha, tau: step.tau ?? DEFAULT_SOFT_LABEL_OPTIONS.tau });
            produced = prior.sha256;
            await writeJsonAtomic(path.join(paths.artifacts, `${step.id}.prior.json`), prior);
            Object.assign(info, { classes, provider: prior.provider, model: prior.model, dims: prior.dims, sha256: prior.sha256, ...(step.file ? { file: step.file } : {}) });
            break;
          }
          case 'teacher': {
            const fs_ = features.get(upFeatures!.id)!;
            const prior = upPrior ? priors.get(upPrior.id) : undefined;
            const r = await runTeacher(tf, step, fs_, prior, modelSeed(seed, i), hash, paths, o, emit);
            models.set(step.id, r.state);
            reused = r.state.epochsRun === 0;
            Object.assign(info, { kind: r.state.kind, params: r.state.net.parameterCount, flops: r.state.net.forwardFlopsPerSample(), history: r.state.history, supervision: r.supervision });
            break;
          }
          case 'student': {
            const fs_ = features.get(upFeatures!.id)!;
            const teacher = upTeacher ? models.get(upTeacher.id) : undefined;
            const r = await runStudent(tf, step, fs_, teacher, modelSeed(seed, i), hash, paths, o, emit);
            models.set(step.id, r);
            reused = r.epochsRun === 0;
            Object.assign(info, { kind: r.kind, params: r.net.parameterCount, flops: r.net.forwardFlopsPerSample(), history: r.history, sizeBytes: r.sizeBytes });
            break;
          }
          case 'evaluate': {
            const ids = step.models ?? [...models.keys()];
            for (const m of ids) {
              const st = models.get(m);
              if (!st) throw new ExperimentError('bad-spec', `evaluate: "${m}" is not a trained model step`);
              const fsState = [...features.values()].find(f => f.data.T === (st.net as Teacher | Student).shape.timeSteps) ?? [...features.values()][0];
              const factors = step.factors ?? Object.keys(fsState.data.domains[0] ?? {}).filter(k => k !== 'repetition' && k !== 'date');
              const ev = await evaluate(tf, st.net, fsState.data, fsState.test, factors);
              const latencyMs = await batch1LatencyMs(tf, st.net, fsState.data, step.latencyRepeats ?? 20);
              const { pred: _p, logits: _l, ...rest } = ev;
              metrics.evaluations[m] = { ...rest, latencyMs, params: st.net.parameterCount, flops: st.net.forwardFlopsPerSample(), sizeBytes: st.sizeBytes };
              // Per-sample predictions: what the comparison panel's agreement and McNemar test are computed from.
              await writePredictions(paths.run, m, predictionRows(fsState.data.ids, fsState.data.labels, fsState.data.classes, fsState.test, ev.pred, ev.logits));
              const w = new EventFileWriter(path.join(paths.tb, m));
              await w.scalars(st.history.length, { 'test/accuracy': ev.accuracy, 'test/macro_f1': ev.macroF1 });
              emit({ kind: 'log', step: step.id, message: `${m}: test accuracy ${(100 * ev.accuracy).toFixed(1)} %, macro-F1 ${ev.macroF1.toFixed(3)}, ${st.net.parameterCount} params, ${latencyMs.toFixed(2)} ms batch-1` });
            }
            break;
          }
          case 'compare': {
            const ids = step.models ?? Object.keys(metrics.evaluations);
            metrics.table = ids.filter(m => metrics.evaluations[m]).map(m => {
              const e = metrics.evaluations[m], st = models.get(m)!;
              return { model: m, kind: st.kind, accuracy: e.accuracy, macroF1: e.macroF1, params: e.params, flops: e.flops, sizeBytes: e.sizeBytes, latencyMs: e.latencyMs, epochsRun: st.epochsRun, perDomain: e.perDomain };
            });
            break;
          }
        }
      } catch (e) {
        if (e instanceof ExperimentError) throw e;
        if ((e instanceof ModelError || e instanceof FeatureError) && e.code === 'cancelled') throw new ExperimentError('cancelled', e.message, `step "${step.id}"`);
        throw new ExperimentError('step-failed', (e as Error).message, `step "${step.id}"`);
      }
      const seconds = (Date.now() - t0) / 1000;
      const finalHash = produced ? sha(hash + produced) : hash;
      hashes.set(step.id, finalHash);
      metrics.steps.push({ id: step.id, type: step.type, hash: finalHash, seconds, reused, info });
      await save();
      emit({ kind: 'step-done', step: step.id, seconds, reused });
    }
    return { id, dir: paths.run, metrics };
  });
}

async function trainWithLogging(tf: Tf, objective: Parameters<typeof train>[1], fs_: FeatureState, opts: TrainOptions, stepId: string, paths: RunPaths, emit: (e: RunEvent) => void) {
  const tb = new EventFileWriter(path.join(paths.tb, stepId));
  const pending: Promise<void>[] = [];
  const r = await train(tf, objective, fs_.data, fs_.train, {
    ...opts, onProgress: p => {
      emit({ kind: 'train', step: stepId, progress: p });
      if (p.kind === 'epoch') pending.push(tb.scalars(p.epoch, { 'train/loss': p.loss, 'train/accuracy': p.acc, 'train/lr': p.lr, 'train/samples_per_s': p.samplesPerS }));
    },
  });
  await Promise.all(pending);
  await writeJsonAtomic(path.join(paths.checkpoints, `${stepId}.json`), { checkpointDir: opts.checkpointDir, fingerprint: opts.fingerprint });
  return r;
}

export function teacherConfig(s: TeacherStep): TeacherConfig {
  return {
    kernels: s.kernels ?? DEFAULT_TEACHER.kernels, branchFilters: s.branchFilters ?? DEFAULT_TEACHER.branchFilters, stride: s.stride ?? DEFAULT_TEACHER.stride,
    dModel: s.dModel ?? DEFAULT_TEACHER.dModel, heads: s.heads ?? DEFAULT_TEACHER.heads, ffn: s.ffn ?? DEFAULT_TEACHER.ffn, blocks: s.blocks ?? DEFAULT_TEACHER.blocks,
    semantic: s.semantic ?? true, dopplerStem: s.dopplerStem ?? DEFAULT_TEACHER.dopplerStem,
    // Only when off: the resolved config is part of every teacher step's hash, and the default must keep old ones.
    ...(s.crossAttention === false ? { crossAttention: false } : {}),
  };
}

export function studentConfig(s: StudentStep): StudentConfig {
  return { filters: s.filters ?? DEFAULT_STUDENT.filters, kernels: s.kernels ?? DEFAULT_STUDENT.kernels, strides: s.strides ?? DEFAULT_STUDENT.strides, dopplerStem: s.dopplerStem ?? DEFAULT_STUDENT.dopplerStem };
}

async function runTeacher(tf: Tf, s: TeacherStep, f: FeatureState, soft: { prior: SemanticPrior; alpha: number; tau: number } | undefined, seed: number, hash: string, paths: RunPaths, o: RunOptions, emit: (e: RunEvent) => void) {
  const C = f.data.classes.length;
  const cfg = teacherConfig(s);
  const prior = soft?.prior;
  if (cfg.crossAttention === false && !cfg.semantic) throw new ExperimentError('bad-spec', `teacher "${s.id}": crossAttention false drops the attention of a semantic teacher, but this one has semantic false (no attention to drop)`);
  const supervision = s.supervision ?? (prior ? 'semantic' : 'onehot');
  if ((cfg.semantic || supervision === 'semantic' || supervision === 'shuffled') && !prior) {
    throw new ExperimentError('bad-spec', `teacher "${s.id}" (semantic ${cfg.semantic}, supervision ${supervision}) needs an earlier "prior" step`);
  }
  if (prior && prior.classes.join('\u0000') !== f.data.classes.join('\u0000')) throw new ExperimentError('bad-spec', `prior classes (${prior.classes.join(', ')}) differ from the dataset's (${f.data.classes.join(', ')})`);
  let embeddings = prior?.embeddings, similarity = prior?.similarity;
  // The shuffled-similarity control permutes the whole prior (embeddings and similarity) with one cyclic
  // permutation, so cross-attention and soft labels see the same wrong class identities.
  if (supervision === 'shuffled' && prior) {
    const sh = shuffledSimilarity(prior.similarity, `${seed}/shuffle`);
    similarity = sh.similarity;
    embeddings = sh.permutation.map(p => prior.embeddings[p]);
  }
  const alpha = soft?.alpha ?? DEFAULT_SOFT_LABEL_OPTIONS.alpha, tau = soft?.tau ?? DEFAULT_SOFT_LABEL_OPTIONS.tau;
  const targets = supervision === 'semantic' || supervision === 'shuffled' ? semanticSoftLabels(similarity!, { alpha, tau })
    : supervision === 'uniform' ? uniformSmoothing(C, alpha) : uniformSmoothing(C, 0);
  const teacher = new Teacher(tf, { timeSteps: f.data.T, phaseFeatures: f.data.F1, dopplerFeatures: f.data.F2, dopplerBands: f.data.dopplerBands, classes: C }, cfg, seed, cfg.semantic ? embeddings : undefined);
  const obj = teacherObjective(tf, teacher, { targets, alignWeight: cfg.semantic ? s.alignWeight ?? 0.5 : 0, alignTau: s.alignTau ?? 0.1, augment: augmentOptions(s.augment), seed });
  try {
    const r = await trainWithLogging(tf, obj, f, { ...trainOptions(s.train, seed), checkpointDir: path.join(paths.cache, hash, 'checkpoints'), fingerprint: hash, signal: o.signal }, s.id, paths, emit);
    return { state: { net: teacher, history: r.history, epochsRun: r.epochsRun, sizeBytes: teacher.parameterCount * 4, kind: teacher.kind } as ModelState, supervision };
  } catch (e) { teacher.dispose(); throw e; } finally { obj.dispose(); }
}

/**
 * Defaults of a distilled student's objective (every one is a spec setting). Measured (research/results/glsda.json, run
 * seeds paired with the CE baseline): feature matching at weight 1 on mixup inputs beat a student that also had a KL
 * term on every simulator split and on WiAR (simulator leave-user/room/orientation-out 41.1 / 40.7 / 28.2 % against
 * 37.6 / 38.1 / 25.9 with KL at T = 1, weight 0.5; CE baseline 38.1 / 37.9 / 26.8; WiAR unseen repetitions 83.7
 * against 82.6, CE 79.9), and KL at T = 4, weight 1 (the earlier default) was level with CE on the simulator. So the
 * KL term is off by default and stays available (kdWeight, temperature).
 */
export const DISTILL_DEFAULTS = { kdWeight: 0, featWeight: 1, temperature: 4, mixup: 1 } as const;

/** A student step's objective weights with the defaults filled in (a CE baseline has no teacher terms and no mixup by default). */
function distillSettings(s: StudentStep): { ceWeight: number; kdWeight: number; featWeight: number; temperature: number; mixup: number } {
  const distill = (s.mode ?? 'distill') === 'distill';
  return {
    ceWeight: s.ceWeight ?? 1, kdWeight: distill ? s.kdWeight ?? DISTILL_DEFAULTS.kdWeight : 0, featWeight: distill ? s.featWeight ?? DISTILL_DEFAULTS.featWeight : 0,
    temperature: s.temperature ?? DISTILL_DEFAULTS.temperature, mixup: s.mixup ?? (distill ? DISTILL_DEFAULTS.mixup : 0),
  };
}

async function runStudent(tf: Tf, s: StudentStep, f: FeatureState, teacher: ModelState | undefined, seed: number, hash: string, paths: RunPaths, o: RunOptions, emit: (e: RunEvent) => void): Promise<ModelState> {
  const C = f.data.classes.length;
  const cfg = studentConfig(s);
  const distill = (s.mode ?? 'distill') === 'distill';
  const student = new Student(tf, { timeSteps: f.data.T, phaseFeatures: f.data.F1, dopplerFeatures: f.data.F2, dopplerBands: f.data.dopplerBands, classes: C }, cfg, seed, distill ? 'student' : 'ce-baseline');
  let tl: Float32Array | undefined, tfeat: Float32Array | undefined, D = 0;
  if (distill && teacher) {
    const all = Array.from({ length: f.data.labels.length }, (_, k) => k);
    const p = await predict(tf, teacher.net, f.data, all);
    tl = p.logits; tfeat = p.features; D = p.featureDims;
  }
  const obj = distillationObjective(tf, student, {
    targets: uniformSmoothing(C, 0), ...distillSettings(s), teacherLogits: tl, teacherFeatures: tfeat, teacherFeatureDims: D, seed,
    teacher: distill ? teacher?.net : undefined, augment: augmentOptions(s.augment),
  });
  try {
    const r = await trainWithLogging(tf, obj, f, { ...trainOptions(s.train, seed), checkpointDir: path.join(paths.cache, hash, 'checkpoints'), fingerprint: hash, signal: o.signal }, s.id, paths, emit);
    let sizeBytes = student.parameterCount * 4;
    if (s.export ?? true) {
      const ex = await exportStudent(tf, student, path.join(paths.artifacts, s.id), { step: s.id, classes: f.data.classes });
      sizeBytes = ex.bytes;
      if (ex.onnxError) emit({ kind: 'log', step: s.id, message: `exported as a tfjs model only: ${ex.onnxError}` });
    }
    return { net: student, history: r.history, epochsRun: r.epochsRun, sizeBytes, kind: student.kind };
  } catch (e) { student.dispose(); throw e; } finally { obj.dispose(); }
}

export async function readSpecFile(file: string): Promise<unknown> {
  let text: string;
  try { text = await fs.readFile(file, 'utf8'); } catch (e) { throw new ExperimentError('bad-spec', `cannot read: ${(e as Error).message}`, file); }
  try { return JSON.parse(text); } catch (e) { throw new ExperimentError('bad-spec', `not valid JSON: ${(e as Error).message}`, file); }
}
