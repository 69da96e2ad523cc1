// What each training run minimises, as one interface the loop drives:
//   teacherObjective:      softCE(targets, z) + λ_align · InfoNCE(u, class embeddings)  (semantic teacher)
//                          softCE(targets, z)                                            (teacher w/o semantics)
//                          where targets = table[y] (one-hot, semantic soft labels, uniform smoothing or the
//                          shuffled-similarity control: the table is chosen by the caller)
//   distillationObjective: λ_ce · softCE(targets, z_S) + λ_kd · T²·KL(p_T^τ ‖ p_S^τ) + λ_feat · MSE(P·f_S, f_T)
//                          with the teacher's logits/features precomputed once when the inputs are neither mixed
//                          nor augmented (the teacher is frozen, so recomputing them would only cost time) and P a
//                          learned linear projection trained with the student (not exported).
//   λ_kd = λ_feat = 0 with one-hot targets is the equal-size CE baseline.
//   mixup (α > 0, optional, for the student and the CE baseline alike): each batch is replaced by convex mixes
//   λ·x_i + (1−λ)·x_π(i) of its samples (λ ~ Beta(α, α) per sample, π a permutation of the batch) with mixed
//   targets; the teacher is then run on the mixed inputs (online, frozen) instead of its precomputed outputs. Why:
//   a teacher that fits its training set (WiAR: 100 % after 25 epochs) gives the student nearly one-hot targets on
//   those very samples, so KD adds little over CE; on mixes between samples the teacher's outputs carry the
//   inter-class structure that distillation is meant to transfer (Beyer et al. 2022, "Knowledge distillation: a good
//   teacher is patient and consistent": function matching on mixup inputs). The mixes are a pure function of the
//   seed and the batch's sample indices, so training stays deterministic and resumes exactly. With mixup the
//   training loop's running accuracy compares predictions on the mixes with the unmixed labels (a rough signal).
//   augment (optional, teacher, student and CE baseline alike; augment.ts): each batch is time-warped, shifted,
//   column-gained and (optionally) Doppler-scaled before any mixing, a pure function of the seed and the batch's
//   indices like the mixes; a student
//   then gets its teacher's outputs on the same augmented inputs (online, as with mixup).
import { cosineLogits, distillationKL, featureMSE, infoNCE, softCrossEntropy } from './losses';
import { ModelError } from '../errors';
import { ParamFactory } from '../nets/init';
import type { Net, Scalar, Tensor2D, Tf, Variable } from '../nets/net';
import type { Student } from '../nets/student';
import type { Teacher } from '../nets/teacher';
import { seededRandom, type Rng } from '../../data/seededRandom';
import { batchInput, gatherRows, oneHotRows, type TensorDataset } from '../../features/tensorDataset';
import type { DualInput } from '../nets/net';
import { augmentActive, augmentedBatchInput, checkAugment, type AugmentOptions } from '../train/augment';

export interface StepResult {
  loss: Scalar;
  logits: Tensor2D;
  parts: Record<string, Scalar>;
}

export interface Objective {
  readonly net: Net;
  /** Variables the optimiser updates (net variables plus any auxiliary ones), fixed order. */
  readonly variables: Variable[];
  step(data: TensorDataset, idx: ArrayLike<number>): StepResult;
  dispose(): void;
}

function tableTensor(tf: Tf, table: readonly (readonly number[])[], C: number): Tensor2D {
  if (table.length !== C || table.some(r => r.length !== C)) throw new ModelError('bad-config', `target table must be ${C} × ${C}`);
  return tf.tensor2d(
    table.map(r => Array.from(r)),
    [C, C],
  );
}

export interface TeacherLossOptions {
  /** C × C target table (row y = target for class y). */
  targets: readonly (readonly number[])[];
  alignWeight: number;
  alignTau: number;
  /** Training-time augmentation of each batch (augment.ts); absent: none. */
  augment?: AugmentOptions;
  /** Seeds the augmentation draws (needed with augment). */
  seed?: number;
}

export function teacherObjective(tf: Tf, teacher: Teacher, o: TeacherLossOptions): Objective {
  const C = teacher.shape.classes;
  const table = tableTensor(tf, o.targets, C);
  const aug = augmentActive(o.augment) ? o.augment : undefined;
  if (aug) checkAugment(aug);
  return {
    net: teacher,
    variables: teacher.variables,
    step(data, idx) {
      const out = teacher.forward(aug ? augmentedBatchInput(tf, data, idx, aug, o.seed ?? 0) : batchInput(tf, data, idx));
      const oh = oneHotRows(tf, data.labels, C, idx);
      const ce = softCrossEntropy(tf, tf.matMul(oh, table), out.logits);
      const parts: Record<string, Scalar> = { ce };
      let loss = ce;
      if (out.semantic && teacher.classEmbeddings && o.alignWeight > 0) {
        parts.align = infoNCE(tf, out.semantic, teacher.classEmbeddings, oh, o.alignTau);
        loss = tf.add(loss, tf.mul(parts.align, o.alignWeight)) as Scalar;
      }
      return { loss, logits: out.logits, parts };
    },
    dispose() {
      table.dispose();
    },
  };
}

export interface DistillOptions {
  targets: readonly (readonly number[])[];
  ceWeight: number;
  kdWeight: number;
  featWeight: number;
  temperature: number;
  /** Teacher outputs on every sample of the dataset, row-major [N, C] and [N, D] (absent for the CE baseline). */
  teacherLogits?: Float32Array;
  teacherFeatures?: Float32Array;
  teacherFeatureDims?: number;
  seed: number;
  /** Mixup Beta(α, α) concentration; 0 or absent: off. With KD or feature matching it needs `teacher`. */
  mixup?: number;
  /** The frozen teacher, run on mixed or augmented inputs when mixup or augmentation is on. */
  teacher?: Net;
  /** Training-time augmentation of each batch (augment.ts), applied before mixup; absent: none. */
  augment?: AugmentOptions;
}

/** Gamma(k, 1) by Marsaglia–Tsang (k ≥ 1; boosted for k < 1). */
function gammaSample(k: number, rnd: Rng): number {
  if (k < 1) return gammaSample(k + 1, rnd) * Math.pow(Math.max(rnd(), 1e-12), 1 / k);
  const d = k - 1 / 3,
    c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      const u1 = Math.max(rnd(), 1e-12),
        u2 = rnd();
      x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = Math.max(rnd(), 1e-12);
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Beta(α, α) draw. */
export function betaSample(alpha: number, rnd: Rng): number {
  const a = gammaSample(alpha, rnd),
    b = gammaSample(alpha, rnd);
  return a + b > 0 ? a / (a + b) : 0.5;
}

/**
 * Mixing plan for a batch: partner index π(i) and weight λ_i, a pure function of the seed and the sample indices
 * (so a resumed run draws the same mixes).
 */
export function mixPlan(idx: ArrayLike<number>, alpha: number, seed: number): { partner: number[]; lambda: number[] } {
  const rnd = seededRandom(`${seed}/mixup/${Array.from(idx).join(',')}`);
  const B = idx.length,
    partner = Array.from({ length: B }, (_, i) => i);
  for (let i = B - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [partner[i], partner[j]] = [partner[j], partner[i]];
  }
  return { partner, lambda: Array.from({ length: B }, () => betaSample(alpha, rnd)) };
}

/** Row-wise mix of a [B, …] tensor: λ_i·x_i + (1−λ_i)·x_π(i). */
function mixRows<T extends Tensor2D | DualInput['phase']>(tf: Tf, x: T, plan: { partner: number[]; lambda: number[] }): T {
  if (x.size === 0) return x; // an empty path (Doppler-only inputs): gather on a size-0 tensor returns a wrong shape
  const B = plan.lambda.length,
    shape = [B, ...x.shape.slice(1).map(() => 1)];
  const lam = tf.tensor(plan.lambda, shape),
    other = tf.gather(x, plan.partner);
  return tf.add(tf.mul(x, lam), tf.mul(other, tf.sub(1, lam))) as T;
}

export function distillationObjective(tf: Tf, student: Student, o: DistillOptions): Objective {
  const C = student.shape.classes;
  const table = tableTensor(tf, o.targets, C);
  if (o.kdWeight > 0 && !o.teacherLogits) throw new ModelError('bad-config', 'kdWeight > 0 needs the teacher logits');
  if (o.featWeight > 0 && !(o.teacherFeatures && o.teacherFeatureDims))
    throw new ModelError('bad-config', 'featWeight > 0 needs the teacher features');
  if (!(o.temperature > 0)) throw new ModelError('bad-config', `temperature must be > 0, got ${o.temperature}`);
  const pf = new ParamFactory(tf, o.seed + 7919);
  const D = o.teacherFeatureDims ?? 0;
  const proj = o.featWeight > 0 ? { w: pf.glorot([student.featureDims, D], student.featureDims, D), b: pf.constant([D], 0) } : undefined;
  const mix = (o.mixup ?? 0) > 0;
  const aug = augmentActive(o.augment) ? o.augment : undefined;
  if (aug) checkAugment(aug);
  if ((mix || aug) && (o.kdWeight > 0 || o.featWeight > 0) && !o.teacher)
    throw new ModelError('bad-config', 'mixup or augmentation with KD or feature matching needs the teacher network');
  return {
    net: student,
    variables: [...student.variables, ...pf.variables],
    step(data, idx) {
      let x = aug ? augmentedBatchInput(tf, data, idx, aug, o.seed) : batchInput(tf, data, idx);
      let targets = tf.matMul(oneHotRows(tf, data.labels, C, idx), table) as Tensor2D;
      let tLogits: Tensor2D | undefined, tFeat: Tensor2D | undefined;
      if (mix || aug) {
        if (mix) {
          const plan = mixPlan(idx, o.mixup!, o.seed);
          x = { phase: mixRows(tf, x.phase, plan), doppler: mixRows(tf, x.doppler, plan) };
          targets = mixRows(tf, targets, plan);
        }
        if (o.teacher && (o.kdWeight > 0 || o.featWeight > 0)) {
          // The teacher is frozen: its variables are not in this objective's list, and its outputs do not depend
          // on the student's, so the tape prunes it from the gradient.
          const t = o.teacher.forward(x);
          tLogits = t.logits;
          tFeat = t.features;
        }
      } else {
        if (o.kdWeight > 0 && o.teacherLogits) tLogits = gatherRows(tf, o.teacherLogits, C, idx);
        if (proj && o.teacherFeatures) tFeat = gatherRows(tf, o.teacherFeatures, D, idx);
      }
      const out = student.forward(x);
      const ce = softCrossEntropy(tf, targets, out.logits);
      const parts: Record<string, Scalar> = { ce };
      let loss = tf.mul(ce, o.ceWeight) as Scalar;
      if (o.kdWeight > 0 && tLogits) {
        parts.kd = distillationKL(tf, tLogits, out.logits, o.temperature);
        loss = tf.add(loss, tf.mul(parts.kd, o.kdWeight)) as Scalar;
      }
      if (proj && tFeat) {
        const mapped = tf.add(tf.matMul(out.features, proj.w), proj.b);
        parts.feat = featureMSE(tf, mapped, tFeat);
        loss = tf.add(loss, tf.mul(parts.feat, o.featWeight)) as Scalar;
      }
      return { loss, logits: out.logits, parts };
    },
    dispose() {
      table.dispose();
      for (const v of pf.variables) v.dispose();
    },
  };
}

/** Semantic-space logits of a teacher's embeddings (zero-shot style readout; used by evaluation when present). */
export function semanticLogits(tf: Tf, teacher: Teacher, u: Tensor2D, tau: number): Tensor2D | undefined {
  return teacher.classEmbeddings ? cosineLogits(tf, u, teacher.classEmbeddings, tau) : undefined;
}
