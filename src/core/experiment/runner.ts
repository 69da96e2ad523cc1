// Executes an experiment spec step by step, with content-hash caching of upstream results:
//   hash(step) = sha256(code version, canonical JSON of the step's own settings without id/from, experiment seed,
//                       hashes of the upstream steps it reads).
// Model steps train with checkpointDir = cache/steps/<hash>/checkpoints and fingerprint = hash, so an unchanged
// teacher is restored from its final checkpoint (0 epochs run) when only the student step changed, and a run
// killed mid-training resumes from its last complete epoch. Features go through the content-addressed feature
// cache. Every run writes its own run directory (runStore.ts) with metrics, artifacts and TensorBoard scalars.
// The step kinds live in steps/ (data.ts, models.ts, evaluate.ts); this file is the step loop: hashes, upstream
// resolution, reuse and the run's bookkeeping.
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { FeatureCache, canonicalJson } from '../features/cache';
import { DEFAULT_SOFT_LABEL_OPTIONS } from '../semantics/softLabels';
import { FeatureError } from '../features';
import { ModelError } from '../model/errors';
import { ExperimentError } from './errors';
import { createRun, machineFacts, newRunId, writeJsonAtomic, type RunPaths } from './runStore';
import { parseSpec, upstream, type ExperimentSpec, type Step } from './spec';
import { datasetStep, featuresStep, priorStep } from './steps/data';
import { compareStep, evaluateStep } from './steps/evaluate';
import {
  augmentOptions,
  distillSettings,
  objectiveText,
  runStudent,
  runTeacher,
  studentConfig,
  teacherConfig,
  trainOptions,
} from './steps/models';
import type { RunEvent, RunMetrics, RunOptions, RunResult, StepContext } from './steps/types';

export type { ModelRow, RunEvent, RunMetrics, RunOptions, RunResult, StepRecord } from './steps/types';
export { AMPLITUDE_ACROSS_DOMAINS_NOTE, limitSamples } from './steps/data';
export { DISTILL_DEFAULTS, objectiveText, studentConfig, teacherConfig } from './steps/models';

import { modelSeed, RUNNER_CODE_VERSION } from './runnerVersions';
export { EARLIER_RUNNER_DEFAULTS, modelSeed, RUNNER_CODE_VERSION } from './runnerVersions';

/**
 * Runs the body of a run and records how it ended in `metrics` (done; cancelled or failed with the message), saving
 * the metrics and releasing the networks whatever happened, so a cancelled or crashed run keeps its partial results.
 */
export async function settleRun<T>(
  metrics: RunMetrics,
  save: () => Promise<void>,
  release: () => void,
  body: () => Promise<T>,
): Promise<T> {
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
  if (s.type === 'prior')
    return { ...rest, alpha: s.alpha ?? DEFAULT_SOFT_LABEL_OPTIONS.alpha, tau: s.tau ?? DEFAULT_SOFT_LABEL_OPTIONS.tau };
  if (s.type !== 'teacher' && s.type !== 'student') return rest;
  const { seed: _seed, ...train } = trainOptions(s.train, 0);
  const resolved: Record<string, unknown> =
    s.type === 'teacher' ? { ...teacherConfig(s), train } : { ...studentConfig(s), ...distillSettings(s), train };
  // Augmentation counts only when it does something (absent, {} and all zeros are the same step, as before it existed).
  const augment = augmentOptions(s.augment);
  if (augment) resolved.augment = augment;
  // Settings the resolved values cover count once, resolved.
  // (crossAttention: true is the default the resolved config leaves out, so it must not count here either.)
  const own = Object.fromEntries(
    Object.entries(rest).filter(([k, v]) => !(k in resolved) && k !== 'augment' && !(k === 'crossAttention' && v === true)),
  );
  return { ...own, resolved };
}

export async function runExperiment(specJson: unknown, o: RunOptions): Promise<RunResult> {
  const spec: ExperimentSpec = parseSpec(specJson);
  const seed = spec.seed ?? 1;
  const tf = o.tf;
  const id = o.runId ?? newRunId(spec.name);
  const paths: RunPaths = await createRun(o.workspace, id);
  const emit = (e: RunEvent) => o.onEvent?.(e);
  const metrics: RunMetrics = {
    id,
    name: spec.name,
    ...(o.source?.notebook ? { notebook: o.source.notebook } : {}),
    ...(o.source?.upTo ? { upTo: o.source.upTo } : {}),
    status: 'running',
    steps: [],
    evaluations: {},
    table: [],
  };
  await writeJsonAtomic(path.join(paths.run, 'spec.json'), spec);
  await writeJsonAtomic(path.join(paths.run, 'environment.json'), {
    engine: o.engineInfo ?? { backend: tf.getBackend(), tfjsVersion: tf.version.tfjs },
    machine: machineFacts(),
    startedAt: new Date().toISOString(),
    runner: RUNNER_CODE_VERSION,
  });
  const hashes = new Map<string, string>();
  const ctx: StepContext = {
    tf,
    seed,
    paths,
    o,
    emit,
    metrics,
    datasets: new Map(),
    features: new Map(),
    priors: new Map(),
    models: new Map(),
    featureCache: new FeatureCache(paths.features),
  };
  const { features, priors, models } = ctx;
  const save = () => writeJsonAtomic(path.join(paths.run, 'metrics.json'), metrics);

  return settleRun(
    metrics,
    save,
    () => {
      for (const m of models.values()) m.net.dispose();
    },
    async () => {
      for (let i = 0; i < spec.steps.length; i++) {
        const step = spec.steps[i];
        if (o.signal?.aborted) throw new ExperimentError('cancelled', `cancelled before step "${step.id}"`);
        const ups: Step[] = [];
        const need = <T extends Step['type']>(type: T, required = true) => {
          const u = upstream(spec, i, type, required);
          if (u) ups.push(u);
          return u;
        };
        // Resolve upstream first: the hash covers them.
        const upDataset = step.type === 'features' ? need('dataset') : undefined;
        const upFeatures = step.type === 'teacher' || step.type === 'student' ? need('features') : undefined;
        const upPrior = step.type === 'teacher' ? need('prior', false) : step.type === 'prior' ? undefined : undefined;
        const upDataForPrior = step.type === 'prior' ? need('dataset') : undefined;
        const upTeacher = step.type === 'student' && (step.mode ?? 'distill') === 'distill' ? need('teacher') : undefined;
        const hash = sha(
          canonicalJson({ v: RUNNER_CODE_VERSION, seed, settings: stepSettings(step), ups: ups.map(u => hashes.get(u.id)) }) +
            (step.type === 'dataset' ? path.resolve(o.baseDir ?? '.', step.folder) : ''),
        );
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
            case 'dataset':
              produced = await datasetStep(ctx, step, info);
              break;
            case 'features':
              produced = await featuresStep(ctx, step, upDataset!.id, info);
              break;
            case 'prior':
              produced = await priorStep(ctx, step, upDataForPrior!.id, info);
              break;
            case 'teacher': {
              const prior = upPrior ? priors.get(upPrior.id) : undefined;
              const r = await runTeacher(tf, step, features.get(upFeatures!.id)!, prior, modelSeed(seed, i), hash, paths, o, emit);
              models.set(step.id, r.state);
              reused = r.state.epochsRun === 0;
              Object.assign(info, {
                kind: r.state.kind,
                params: r.state.net.parameterCount,
                flops: r.state.net.forwardFlopsPerSample(),
                history: r.state.history,
                supervision: r.supervision,
                epochsRun: r.state.epochsRun,
                objective: objectiveText(step, r.supervision, prior),
              });
              break;
            }
            case 'student': {
              const teacher = upTeacher ? models.get(upTeacher.id) : undefined;
              const r = await runStudent(tf, step, features.get(upFeatures!.id)!, teacher, modelSeed(seed, i), hash, paths, o, emit);
              models.set(step.id, r);
              reused = r.epochsRun === 0;
              Object.assign(info, {
                kind: r.kind,
                params: r.net.parameterCount,
                flops: r.net.forwardFlopsPerSample(),
                history: r.history,
                sizeBytes: r.sizeBytes,
                epochsRun: r.epochsRun,
                objective: objectiveText(step),
              });
              break;
            }
            case 'evaluate':
              await evaluateStep(ctx, step);
              break;
            case 'compare':
              compareStep(ctx, step);
              break;
          }
        } catch (e) {
          if (e instanceof ExperimentError) throw e;
          if ((e instanceof ModelError || e instanceof FeatureError) && e.code === 'cancelled')
            throw new ExperimentError('cancelled', e.message, `step "${step.id}"`);
          throw new ExperimentError('step-failed', (e as Error).message, `step "${step.id}"`);
        }
        const seconds = (Date.now() - t0) / 1000;
        const finalHash = produced ? sha(hash + produced) : hash;
        hashes.set(step.id, finalHash);
        metrics.steps.push({ id: step.id, type: step.type, hash: finalHash, seconds, reused, info });
        await save();
        emit({ kind: 'step-done', step: step.id, seconds, reused, metrics, dir: paths.run });
      }
      return { id, dir: paths.run, metrics };
    },
  );
}

export async function readSpecFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new ExperimentError('bad-spec', `cannot read: ${(e as Error).message}`, file);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ExperimentError('bad-spec', `not valid JSON: ${(e as Error).message}`, file);
  }
}
