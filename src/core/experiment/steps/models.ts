// The model step kinds of a run: a teacher (semantic prior, soft labels, alignment) and a student (distilled from
// the teacher, or a plain CE baseline), each trained with per-epoch checkpoints in the content-addressed step cache
// (cache/steps/<hash>/checkpoints) and scalars in TensorBoard event files, validated on the split's val samples.
// The settings resolve here (teacherConfig, studentConfig, distillSettings), and so does the description of the
// objective each model is trained with (objectiveText), so what the notebook says about a model is its settings.
import * as path from 'path';
import { DEFAULT_SOFT_LABEL_OPTIONS, semanticSoftLabels, shuffledSimilarity, uniformSmoothing } from '../../semantics/softLabels';
import { predict } from '../../model/evaluate';
import { exportStudent } from '../../model/export/exportStudent';
import type { Net, Tf } from '../../model/nets/net';
import { augmentActive, type AugmentOptions } from '../../model/train/augment';
import { distillationObjective, teacherObjective } from '../../model/objectives/objectives';
import { DEFAULT_STUDENT, Student, type StudentConfig } from '../../model/nets/student';
import { DEFAULT_TEACHER, Teacher, type TeacherConfig } from '../../model/nets/teacher';
import { train, type TrainOptions } from '../../model/train/train';
import { ExperimentError } from '../errors';
import { writeJsonAtomic, type RunPaths } from '../runStore';
import type { AugmentSpec, StudentStep, TeacherStep, TrainSpec } from '../spec';
import { EventFileWriter } from '../tfevents';
import type { FeatureState, ModelState, PriorState, RunEvent, RunOptions } from './types';

/** A step's augmentation with its zeros filled in; undefined when it would do nothing. */
export function augmentOptions(a: AugmentSpec | undefined): AugmentOptions | undefined {
  // doppler counts only when set, so steps from before it existed keep their hashes.
  const o: AugmentOptions = {
    stretch: a?.stretch ?? 0,
    shift: a?.shift ?? 0,
    gain: a?.gain ?? 0,
    ...(a?.doppler ? { doppler: a.doppler } : {}),
  };
  return augmentActive(o) ? o : undefined;
}

export function trainOptions(t: TrainSpec | undefined, seed: number): Omit<TrainOptions, 'checkpointDir' | 'fingerprint'> {
  // weightDecay counts only when set, so steps from before it existed keep their hashes.
  return {
    epochs: t?.epochs ?? 20,
    batchSize: t?.batchSize ?? 32,
    learningRate: t?.learningRate ?? 1e-3,
    schedule: t?.schedule ?? 'cosine',
    warmupEpochs: t?.warmupEpochs ?? 1,
    ...(t?.weightDecay ? { weightDecay: t.weightDecay } : {}),
    seed,
  };
}

/** Mean cross-entropy and accuracy of a network on some samples (the validation curve of a training step). */
export async function lossAndAccuracy(tf: Tf, net: Net, f: FeatureState, idx: readonly number[]): Promise<{ loss: number; acc: number }> {
  const C = f.data.classes.length;
  const p = await predict(tf, net, f.data, idx);
  let loss = 0,
    correct = 0;
  idx.forEach((k, i) => {
    const row = p.logits.subarray(i * C, (i + 1) * C);
    const max = Math.max(...row);
    let z = 0;
    for (const v of row) z += Math.exp(v - max);
    loss += Math.log(z) + max - row[f.data.labels[k]];
    if (p.pred[i] === f.data.labels[k]) correct++;
  });
  return { loss: loss / Math.max(1, idx.length), acc: correct / Math.max(1, idx.length) };
}

async function trainWithLogging(
  tf: Tf,
  objective: Parameters<typeof train>[1],
  net: Net,
  fs_: FeatureState,
  opts: TrainOptions,
  stepId: string,
  paths: RunPaths,
  emit: (e: RunEvent) => void,
) {
  const tb = new EventFileWriter(path.join(paths.tb, stepId));
  const pending: Promise<void>[] = [];
  const r = await train(tf, objective, fs_.data, fs_.train, {
    ...opts,
    ...(fs_.val.length ? { validate: () => lossAndAccuracy(tf, net, fs_, fs_.val) } : {}),
    onProgress: p => {
      emit({ kind: 'train', step: stepId, progress: p });
      if (p.kind === 'epoch')
        pending.push(
          tb.scalars(p.epoch, {
            'train/loss': p.loss,
            'train/accuracy': p.acc,
            'train/lr': p.lr,
            'train/samples_per_s': p.samplesPerS,
            ...(p.valLoss !== undefined ? { 'val/loss': p.valLoss, 'val/accuracy': p.valAcc! } : {}),
          }),
        );
    },
  });
  await Promise.all(pending);
  await writeJsonAtomic(path.join(paths.checkpoints, `${stepId}.json`), {
    checkpointDir: opts.checkpointDir,
    fingerprint: opts.fingerprint,
  });
  return r;
}

export function teacherConfig(s: TeacherStep): TeacherConfig {
  return {
    kernels: s.kernels ?? DEFAULT_TEACHER.kernels,
    branchFilters: s.branchFilters ?? DEFAULT_TEACHER.branchFilters,
    stride: s.stride ?? DEFAULT_TEACHER.stride,
    dModel: s.dModel ?? DEFAULT_TEACHER.dModel,
    heads: s.heads ?? DEFAULT_TEACHER.heads,
    ffn: s.ffn ?? DEFAULT_TEACHER.ffn,
    blocks: s.blocks ?? DEFAULT_TEACHER.blocks,
    semantic: s.semantic ?? true,
    dopplerStem: s.dopplerStem ?? DEFAULT_TEACHER.dopplerStem,
    // Only when off: the resolved config is part of every teacher step's hash, and the default must keep old ones.
    ...(s.crossAttention === false ? { crossAttention: false } : {}),
  };
}

export function studentConfig(s: StudentStep): StudentConfig {
  return {
    filters: s.filters ?? DEFAULT_STUDENT.filters,
    kernels: s.kernels ?? DEFAULT_STUDENT.kernels,
    strides: s.strides ?? DEFAULT_STUDENT.strides,
    dopplerStem: s.dopplerStem ?? DEFAULT_STUDENT.dopplerStem,
  };
}

export async function runTeacher(
  tf: Tf,
  s: TeacherStep,
  f: FeatureState,
  soft: PriorState | undefined,
  seed: number,
  hash: string,
  paths: RunPaths,
  o: RunOptions,
  emit: (e: RunEvent) => void,
) {
  const C = f.data.classes.length;
  const cfg = teacherConfig(s);
  const prior = soft?.prior;
  if (cfg.crossAttention === false && !cfg.semantic)
    throw new ExperimentError(
      'bad-spec',
      `teacher "${s.id}": crossAttention false drops the attention of a semantic teacher, but this one has semantic false (no attention to drop)`,
    );
  const supervision = s.supervision ?? (prior ? 'semantic' : 'onehot');
  if ((cfg.semantic || supervision === 'semantic' || supervision === 'shuffled') && !prior) {
    throw new ExperimentError(
      'bad-spec',
      `teacher "${s.id}" (semantic ${cfg.semantic}, supervision ${supervision}) needs an earlier "prior" step`,
    );
  }
  if (prior && prior.classes.join('\u0000') !== f.data.classes.join('\u0000'))
    throw new ExperimentError(
      'bad-spec',
      `prior classes (${prior.classes.join(', ')}) differ from the dataset's (${f.data.classes.join(', ')})`,
    );
  let embeddings = prior?.embeddings,
    similarity = prior?.similarity;
  // The shuffled-similarity control permutes the whole prior (embeddings and similarity) with one cyclic
  // permutation, so cross-attention and soft labels see the same wrong class identities.
  if (supervision === 'shuffled' && prior) {
    const sh = shuffledSimilarity(prior.similarity, `${seed}/shuffle`);
    similarity = sh.similarity;
    embeddings = sh.permutation.map(p => prior.embeddings[p]);
  }
  const alpha = soft?.alpha ?? DEFAULT_SOFT_LABEL_OPTIONS.alpha,
    tau = soft?.tau ?? DEFAULT_SOFT_LABEL_OPTIONS.tau;
  const targets =
    supervision === 'semantic' || supervision === 'shuffled'
      ? semanticSoftLabels(similarity!, { alpha, tau })
      : supervision === 'uniform'
        ? uniformSmoothing(C, alpha)
        : uniformSmoothing(C, 0);
  const teacher = new Teacher(
    tf,
    { timeSteps: f.data.T, phaseFeatures: f.data.F1, dopplerFeatures: f.data.F2, dopplerBands: f.data.dopplerBands, classes: C },
    cfg,
    seed,
    cfg.semantic ? embeddings : undefined,
  );
  const obj = teacherObjective(tf, teacher, {
    targets,
    alignWeight: cfg.semantic ? (s.alignWeight ?? 0.5) : 0,
    alignTau: s.alignTau ?? 0.1,
    augment: augmentOptions(s.augment),
    seed,
  });
  try {
    const r = await trainWithLogging(
      tf,
      obj,
      teacher,
      f,
      { ...trainOptions(s.train, seed), checkpointDir: path.join(paths.cache, hash, 'checkpoints'), fingerprint: hash, signal: o.signal },
      s.id,
      paths,
      emit,
    );
    return {
      state: {
        net: teacher,
        history: r.history,
        epochsRun: r.epochsRun,
        sizeBytes: teacher.parameterCount * 4,
        kind: teacher.kind,
      } as ModelState,
      supervision,
    };
  } catch (e) {
    teacher.dispose();
    throw e;
  } finally {
    obj.dispose();
  }
}

/**
 * Defaults of a distilled student's objective (every one is a spec setting): feature matching at weight 1 on mixup
 * inputs, the KL term off (it measured below feature matching alone: docs/decisions.md, "distillation defaults") but
 * available (kdWeight, temperature).
 */
export const DISTILL_DEFAULTS = { kdWeight: 0, featWeight: 1, temperature: 4, mixup: 1 } as const;

/** A student step's objective weights with the defaults filled in (a CE baseline has no teacher terms and no mixup by default). */
export function distillSettings(s: StudentStep): {
  ceWeight: number;
  kdWeight: number;
  featWeight: number;
  temperature: number;
  mixup: number;
} {
  const distill = (s.mode ?? 'distill') === 'distill';
  return {
    ceWeight: s.ceWeight ?? 1,
    kdWeight: distill ? (s.kdWeight ?? DISTILL_DEFAULTS.kdWeight) : 0,
    featWeight: distill ? (s.featWeight ?? DISTILL_DEFAULTS.featWeight) : 0,
    temperature: s.temperature ?? DISTILL_DEFAULTS.temperature,
    mixup: s.mixup ?? (distill ? DISTILL_DEFAULTS.mixup : 0),
  };
}

export async function runStudent(
  tf: Tf,
  s: StudentStep,
  f: FeatureState,
  teacher: ModelState | undefined,
  seed: number,
  hash: string,
  paths: RunPaths,
  o: RunOptions,
  emit: (e: RunEvent) => void,
): Promise<ModelState> {
  const C = f.data.classes.length;
  const cfg = studentConfig(s);
  const distill = (s.mode ?? 'distill') === 'distill';
  const student = new Student(
    tf,
    { timeSteps: f.data.T, phaseFeatures: f.data.F1, dopplerFeatures: f.data.F2, dopplerBands: f.data.dopplerBands, classes: C },
    cfg,
    seed,
    distill ? 'student' : 'ce-baseline',
  );
  let tl: Float32Array | undefined,
    tfeat: Float32Array | undefined,
    D = 0;
  if (distill && teacher) {
    const all = Array.from({ length: f.data.labels.length }, (_, k) => k);
    const p = await predict(tf, teacher.net, f.data, all);
    tl = p.logits;
    tfeat = p.features;
    D = p.featureDims;
  }
  const obj = distillationObjective(tf, student, {
    targets: uniformSmoothing(C, 0),
    ...distillSettings(s),
    teacherLogits: tl,
    teacherFeatures: tfeat,
    teacherFeatureDims: D,
    seed,
    teacher: distill ? teacher?.net : undefined,
    augment: augmentOptions(s.augment),
  });
  try {
    const r = await trainWithLogging(
      tf,
      obj,
      student,
      f,
      { ...trainOptions(s.train, seed), checkpointDir: path.join(paths.cache, hash, 'checkpoints'), fingerprint: hash, signal: o.signal },
      s.id,
      paths,
      emit,
    );
    let sizeBytes = student.parameterCount * 4;
    if (s.export ?? true) {
      const ex = await exportStudent(tf, student, path.join(paths.artifacts, s.id), { step: s.id, classes: f.data.classes });
      sizeBytes = ex.bytes;
      if (ex.onnxError) emit({ kind: 'log', step: s.id, message: `exported as a tfjs model only: ${ex.onnxError}` });
    }
    return { net: student, history: r.history, epochsRun: r.epochsRun, sizeBytes, kind: student.kind };
  } catch (e) {
    student.dispose();
    throw e;
  } finally {
    obj.dispose();
  }
}

const num = (x: number) => String(Number(x.toPrecision(3)));

/**
 * What a model step is trained with, in words, worked out from its resolved settings (shown in the step's result,
 * so the notebook never describes an objective the settings do not give: a KL term only when kdWeight > 0).
 */
export function objectiveText(s: TeacherStep | StudentStep, supervision?: string, soft?: { alpha: number; tau: number }): string {
  const aug = augmentOptions(s.augment) ? ', with augmentation' : '';
  if (s.type === 'teacher') {
    const cfg = teacherConfig(s);
    const sup = supervision ?? 'onehot';
    const a = soft?.alpha ?? DEFAULT_SOFT_LABEL_OPTIONS.alpha,
      t = soft?.tau ?? DEFAULT_SOFT_LABEL_OPTIONS.tau;
    const base =
      sup === 'semantic'
        ? `cross-entropy to semantic soft labels (α = ${num(a)}, τ = ${num(t)})`
        : sup === 'shuffled'
          ? `cross-entropy to soft labels of a shuffled prior (control; α = ${num(a)}, τ = ${num(t)})`
          : sup === 'uniform'
            ? `cross-entropy with uniform label smoothing (α = ${num(a)})`
            : 'cross-entropy to one-hot labels';
    const align = cfg.semantic ? (s.alignWeight ?? 0.5) : 0;
    return `${base}${align > 0 ? ` + alignment to the class embeddings (weight ${num(align)}, τ = ${num(s.alignTau ?? 0.1)})` : ''}${aug}`;
  }
  const d = distillSettings(s);
  if ((s.mode ?? 'distill') !== 'distill')
    return `cross-entropy (weight ${num(d.ceWeight)}), no teacher (CE baseline)${d.mixup > 0 ? ` on mixup inputs (α = ${num(d.mixup)})` : ''}${aug}`;
  const terms = [`cross-entropy (weight ${num(d.ceWeight)})`];
  if (d.kdWeight > 0) terms.push(`KL to the teacher's outputs softened at T = ${num(d.temperature)} (weight ${num(d.kdWeight)})`);
  if (d.featWeight > 0) terms.push(`feature matching to the teacher (weight ${num(d.featWeight)})`);
  return `${terms.join(' + ')}${d.mixup > 0 ? ` on mixup inputs (α = ${num(d.mixup)})` : ''}${aug}`;
}
