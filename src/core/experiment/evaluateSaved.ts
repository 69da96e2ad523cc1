// "Evaluate on folder": a finished run's saved models measured on another folder of labelled recordings, without
// training. The networks are rebuilt from the run's spec.json (architecture) and metrics.json (class list, feature
// parameters, feature widths), and their weights loaded from the run's final checkpoint (checkpoints/<model>.json
// points into the step cache) or, for a student whose checkpoint cache was cleared, from its exported tfjs model
// (artifacts/<model>/). Every sample of the folder is a test sample (the models never saw it), featurised with the
// run's own feature parameters. The result is a new run in the store (kind "evaluation"): metrics.json with the
// same fields as an experiment's evaluate step, and per-sample predictions, so it lists in the run history and
// compares (agreement, McNemar) like any run.
import { promises as fs } from 'fs';
import * as path from 'path';
import { FeatureCache } from '../features/cache';
import { indexFolder } from '../data/indexFolder';
import type { DatasetSample } from '../data/sample';
import { loadLatestCheckpoint } from '../model/train/checkpoint';
import { batch1LatencyMs, evaluate } from '../model/evaluate';
import { loadExportedStudent } from '../model/export/exportStudent';
import type { Net, Tf } from '../model/nets/net';
import { Student } from '../model/nets/student';
import { Teacher } from '../model/nets/teacher';
import { shuffledSimilarity } from '../semantics/softLabels';
import { ExperimentError } from './errors';
import { predictionRows, writePredictions } from './predictions';
import {
  EARLIER_RUNNER_DEFAULTS,
  limitSamples,
  modelSeed,
  RUNNER_CODE_VERSION,
  settleRun,
  studentConfig,
  teacherConfig,
  type RunEvent,
  type RunMetrics,
  type RunResult,
} from './runner';
import { createRun, machineFacts, newRunId, writeJsonAtomic } from './runStore';
import { featuresForRun, readRunJson as readJson, runFeatureSetup } from './runFeatures';
import { parseSpec, upstream, type ExperimentSpec, type StudentStep, type TeacherStep } from './spec';

export interface EvaluateSavedOptions {
  workspace: string;
  /** The finished run whose models are evaluated. */
  runDir: string;
  /** Folder of labelled recordings (any layout indexFolder reads). */
  folder: string;
  /** Teacher/student step ids; default every model the run evaluated. */
  models?: string[];
  tf: Tf;
  engineInfo?: unknown;
  signal?: AbortSignal;
  onEvent?: (e: RunEvent) => void;
  runId?: string;
  /** Seeded class-balanced subset of the folder (as the dataset step's `limit`), for quick checks. */
  limit?: number;
  latencyRepeats?: number;
}

interface SavedModel {
  net: Net;
  source: string;
  epoch?: number;
  sizeBytes: number;
}

/** Rebuilds model step `id` of the run with its trained weights; nothing is trained. */
async function loadSavedModel(
  tf: Tf,
  runDir: string,
  spec: ExperimentSpec,
  m: RunMetrics,
  id: string,
  classes: number,
  dims: { T: number; F1: number; F2: number; dopplerBands?: number },
  runner = RUNNER_CODE_VERSION,
): Promise<SavedModel> {
  const earlier = EARLIER_RUNNER_DEFAULTS[runner];
  const i = spec.steps.findIndex(s => s.id === id);
  const found = spec.steps[i];
  // A step of an earlier runner without a dopplerStem setting was built with that runner's stem ([]: none).
  const earlierStem =
    found?.type === 'student'
      ? (earlier?.studentDopplerStem ?? earlier?.dopplerStem)
      : found?.type === 'teacher'
        ? earlier?.dopplerStem
        : undefined;
  const step = found && earlierStem ? { dopplerStem: earlierStem, ...found } : found;
  if (!step || (step.type !== 'teacher' && step.type !== 'student')) {
    throw new ExperimentError(
      'bad-spec',
      `"${id}" is not a teacher or student step of this run (steps: ${spec.steps.map(s => `${s.id} (${s.type})`).join(', ')})`,
      runDir,
    );
  }
  const shape = { timeSteps: dims.T, phaseFeatures: dims.F1, dopplerFeatures: dims.F2, dopplerBands: dims.dopplerBands, classes };
  const seed = modelSeed(spec.seed ?? 1, i, runner); // what the runner built the step with (only the shuffled control depends on it)
  let net: Net;
  if (step.type === 'teacher') {
    const cfg = teacherConfig(step as TeacherStep);
    let embeddings: number[][] | undefined;
    if (cfg.semantic) {
      const prior = upstream(spec, i, 'prior', false);
      if (!prior) throw new ExperimentError('bad-spec', `semantic teacher "${id}" has no prior step`, runDir);
      const file = path.join(runDir, 'artifacts', `${prior.id}.prior.json`);
      const p = await readJson<{ embeddings: number[][]; similarity: number[][] }>(file, 'semantic prior');
      embeddings = p.embeddings;
      // The shuffled-similarity control trained with permuted class embeddings (runner.runTeacher): same permutation.
      const supervision = m.steps.find(s => s.id === id)?.info.supervision;
      if (supervision === 'shuffled')
        embeddings = shuffledSimilarity(p.similarity, `${seed}/shuffle`).permutation.map(k => p.embeddings[k]);
    }
    net = new Teacher(tf, shape, cfg, seed, embeddings);
  } else {
    const s = step as StudentStep;
    net = new Student(tf, shape, studentConfig(s), seed, (s.mode ?? 'distill') === 'distill' ? 'student' : 'ce-baseline');
  }
  try {
    const pointer = path.join(runDir, 'checkpoints', `${id}.json`);
    const where = await readJson<{ checkpointDir: string; fingerprint: string }>(pointer, 'checkpoint pointer').catch(() => undefined);
    const ck = where ? await loadLatestCheckpoint(where.checkpointDir) : undefined;
    if (ck) {
      if (ck.state.fingerprint !== where!.fingerprint)
        throw new ExperimentError(
          'bad-file',
          `checkpoint fingerprint ${ck.state.fingerprint} is not the run's ${where!.fingerprint}`,
          ck.file,
        );
      // The net's variables come first in a checkpoint (a student's distillation projection follows them).
      const vars = net.variables;
      if (ck.variables.length < vars.length)
        throw new ExperimentError('bad-file', `holds ${ck.variables.length} variables, the "${id}" network has ${vars.length}`, ck.file);
      vars.forEach((v, k) => {
        const t = ck.variables[k];
        if (t.shape.join('x') !== v.shape.join('x'))
          throw new ExperimentError(
            'bad-file',
            `variable ${k} has shape [${t.shape}], the "${id}" network expects [${v.shape}] (was the run's spec edited?)`,
            ck.file,
          );
        tf.tidy(() => v.assign(tf.tensor(t.data, t.shape, t.dtype)));
      });
      const sizeBytes = m.evaluations[id]?.sizeBytes ?? net.parameterCount * 4;
      return { net, source: ck.file, epoch: ck.state.epoch, sizeBytes };
    }
    const exported = path.join(runDir, 'artifacts', id);
    if (
      net instanceof Student &&
      (await fs.access(path.join(exported, 'model.json')).then(
        () => true,
        () => false,
      ))
    ) {
      const model = await loadExportedStudent(tf, exported);
      try {
        const w = model.getWeights();
        if (w.length !== net.inferenceModel.getWeights().length)
          throw new ExperimentError(
            'bad-file',
            `exported model has ${w.length} weight tensors, the "${id}" network ${net.inferenceModel.getWeights().length}`,
            exported,
          );
        net.inferenceModel.setWeights(w);
      } finally {
        model.dispose();
      }
      const st = await Promise.all(['model.json', 'weights.bin'].map(f => fs.stat(path.join(exported, f))));
      return { net, source: path.join(exported, 'model.json'), sizeBytes: st[0].size + st[1].size };
    }
    throw new ExperimentError(
      'bad-file',
      `no saved weights for "${id}": neither a checkpoint (${where ? where.checkpointDir : `${pointer} missing`}) nor an exported model (${exported})`,
      runDir,
    );
  } catch (e) {
    net.dispose();
    throw e;
  }
}

export async function evaluateSavedModels(o: EvaluateSavedOptions): Promise<RunResult> {
  const tf = o.tf;
  const emit = (e: RunEvent) => o.onEvent?.(e);
  const evalOf = await readJson<{ sourceRun?: string }>(path.join(o.runDir, 'evaluation.json'), 'evaluation record').catch(() => undefined);
  if (evalOf?.sourceRun)
    throw new ExperimentError(
      'bad-spec',
      `this is an evaluation run, not a trained one: evaluate its source run ${evalOf.sourceRun} instead`,
      o.runDir,
    );
  const spec = parseSpec(await readJson(path.join(o.runDir, 'spec.json'), 'run spec'));
  const setup = await runFeatureSetup(o.runDir);
  const src = setup.metrics,
    classes = setup.classes,
    env = { runner: setup.runner };
  const models = o.models ?? Object.keys(src.evaluations);
  if (!models.length) throw new ExperimentError('bad-spec', 'the run evaluated no model; name the models to evaluate', o.runDir);

  const id = o.runId ?? newRunId(`${src.name}-on-${path.basename(o.folder)}`);
  const paths = await createRun(o.workspace, id);
  const metrics: RunMetrics = {
    id,
    name: `${src.name} on ${path.basename(o.folder)}`,
    status: 'running',
    steps: [],
    evaluations: {},
    table: [],
    chance: 1 / classes.length,
  };
  await writeJsonAtomic(path.join(paths.run, 'evaluation.json'), {
    kind: 'evaluation',
    sourceRun: o.runDir,
    sourceId: src.id,
    folder: path.resolve(o.folder),
    models,
  });
  await writeJsonAtomic(path.join(paths.run, 'environment.json'), {
    engine: o.engineInfo ?? { backend: tf.getBackend(), tfjsVersion: tf.version.tfjs },
    machine: machineFacts(),
    startedAt: new Date().toISOString(),
    runner: RUNNER_CODE_VERSION,
  });
  const save = () => writeJsonAtomic(path.join(paths.run, 'metrics.json'), metrics);
  const nets: Net[] = [];
  return settleRun(
    metrics,
    save,
    () => {
      for (const n of nets) n.dispose();
    },
    async () => {
      // Dataset: every sample of the folder whose class the run knows, labelled in the run's class order.
      let t0 = Date.now();
      emit({ kind: 'step-start', step: 'data', type: 'dataset', index: 0, total: 1 + models.length, hash: '' });
      const index = await indexFolder(path.resolve(o.folder));
      const known = new Map((classes as string[]).map((c, k) => [c, k]));
      const unknown = new Set<string>();
      let samples: DatasetSample[] = index.samples.flatMap(s => {
        const label = known.get(s.className);
        if (label === undefined) {
          unknown.add(s.className);
          return [];
        }
        return [{ ...s, label }];
      });
      if (!samples.length) {
        throw new ExperimentError(
          'step-failed',
          `no sample of ${o.folder} has one of the run's classes (${(classes as string[]).join(', ')}); the folder has ${index.classes.join(', ') || 'no labelled samples'}`,
        );
      }
      if (o.limit) samples = limitSamples(samples, o.limit, spec.seed ?? 1);
      metrics.split = {
        name: 'folder',
        description: `all ${samples.length} samples of ${o.folder} (models trained in run ${src.id})`,
        train: 0,
        val: 0,
        test: samples.length,
      };
      metrics.steps.push({
        id: 'data',
        type: 'dataset',
        hash: '',
        seconds: (Date.now() - t0) / 1000,
        reused: false,
        info: { layout: index.layout, classes, samples: samples.length, split: metrics.split, skippedClasses: [...unknown] },
      });

      // Features with the run's own parameters (the content-addressed cache is shared with the experiments).
      const skipped: string[] = [];
      const data = await featuresForRun(setup, samples, o.folder, {
        cache: new FeatureCache(paths.features),
        signal: o.signal,
        onProgress: (done, total) => emit({ kind: 'features', step: 'data', done, total }),
        onSampleError: (s, e) => {
          skipped.push(`${s.id}: ${e.message}`);
        },
      });
      if (!data.labels.length) throw new ExperimentError('step-failed', `no sample produced features (${skipped[0] ?? 'none given'})`);
      Object.assign(metrics.steps[0].info, { skippedCount: skipped.length, skipped: skipped.slice(0, 20) });
      emit({ kind: 'step-done', step: 'data', seconds: (Date.now() - t0) / 1000, reused: false });
      await save();

      const all = Array.from({ length: data.labels.length }, (_, k) => k);
      const factors = Object.keys(data.domains[0] ?? {}).filter(k => k !== 'repetition' && k !== 'date');
      for (const [k, m] of models.entries()) {
        if (o.signal?.aborted) throw new ExperimentError('cancelled', `cancelled before evaluating "${m}"`);
        t0 = Date.now();
        emit({ kind: 'step-start', step: m, type: 'evaluate', index: 1 + k, total: 1 + models.length, hash: '' });
        const saved = await loadSavedModel(
          tf,
          o.runDir,
          spec,
          src,
          m,
          classes.length,
          { T: data.T, F1: data.F1, F2: data.F2, dopplerBands: data.dopplerBands },
          env?.runner,
        );
        nets.push(saved.net);
        const ev = await evaluate(tf, saved.net, data, all, factors);
        const latencyMs = await batch1LatencyMs(tf, saved.net, data, o.latencyRepeats ?? 20);
        const { pred: _p, logits: _l, ...rest } = ev;
        metrics.evaluations[m] = {
          ...rest,
          latencyMs,
          params: saved.net.parameterCount,
          flops: saved.net.forwardFlopsPerSample(),
          sizeBytes: saved.sizeBytes,
        };
        await writePredictions(paths.run, m, predictionRows(data.ids, data.labels, data.classes, all, ev.pred, ev.logits));
        metrics.table.push({
          model: m,
          kind: saved.net.kind,
          accuracy: ev.accuracy,
          macroF1: ev.macroF1,
          params: saved.net.parameterCount,
          flops: saved.net.forwardFlopsPerSample(),
          sizeBytes: saved.sizeBytes,
          latencyMs,
          epochsRun: 0,
          perDomain: ev.perDomain,
        });
        const seconds = (Date.now() - t0) / 1000;
        metrics.steps.push({
          id: m,
          type: 'evaluate',
          hash: '',
          seconds,
          reused: true,
          info: { weights: saved.source, epoch: saved.epoch },
        });
        emit({
          kind: 'log',
          step: m,
          message: `${m} on ${path.basename(o.folder)}: accuracy ${(100 * ev.accuracy).toFixed(1)} % (${data.labels.length} samples, weights ${saved.source})`,
        });
        emit({ kind: 'step-done', step: m, seconds, reused: true });
        await save();
      }
      return { id, dir: paths.run, metrics };
    },
  );
}
