// What each training run minimises, as one interface the loop drives:
//   teacherObjective:      softCE(targets, z) + λ_align · InfoNCE(u, class embeddings)  (semantic teacher)
//                          softCE(targets, z)                                            (teacher w/o semantics)
//                          where targets = table[y] (one-hot, semantic soft labels, uniform smoothing or the
//                          shuffled-similarity control: the table is chosen by the caller)
//   distillationObjective: λ_ce · softCE(targets, z_S) + λ_kd · T²·KL(p_T^τ ‖ p_S^τ) + λ_feat · MSE(P·f_S, f_T)
//                          with the teacher's logits/features precomputed once (the teacher is frozen and the
//                          data is not augmented, so recomputing them every epoch would only cost time) and P a
//                          learned linear projection trained with the student (not exported).
//   λ_kd = λ_feat = 0 with one-hot targets is the equal-size CE baseline.
import { cosineLogits, distillationKL, featureMSE, infoNCE, softCrossEntropy } from './losses';
import { ModelError } from './errors';
import { ParamFactory } from './init';
import type { Net, Scalar, Tensor2D, Tf, Variable } from './net';
import type { Student } from './student';
import type { Teacher } from './teacher';
import { batchInput, gatherRows, oneHotRows, type TensorDataset } from './tensorDataset';

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
  return tf.tensor2d(table.map(r => Array.from(r)), [C, C]);
}

export interface TeacherLossOptions {
  /** C × C target table (row y = target for class y). */
  targets: readonly (readonly number[])[];
  alignWeight: number;
  alignTau: number;
}

export function teacherObjective(tf: Tf, teacher: Teacher, o: TeacherLossOptions): Objective {
  const C = teacher.shape.classes;
  const table = tableTensor(tf, o.targets, C);
  return {
    net: teacher,
    variables: teacher.variables,
    step(data, idx) {
      const out = teacher.forward(batchInput(tf, data, idx));
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
    dispose() { table.dispose(); },
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
}

export function distillationObjective(tf: Tf, student: Student, o: DistillOptions): Objective {
  const C = student.shape.classes;
  const table = tableTensor(tf, o.targets, C);
  if (o.kdWeight > 0 && !o.teacherLogits) throw new ModelError('bad-config', 'kdWeight > 0 needs the teacher logits');
  if (o.featWeight > 0 && !(o.teacherFeatures && o.teacherFeatureDims)) throw new ModelError('bad-config', 'featWeight > 0 needs the teacher features');
  if (!(o.temperature > 0)) throw new ModelError('bad-config', `temperature must be > 0, got ${o.temperature}`);
  const pf = new ParamFactory(tf, o.seed + 7919);
  const D = o.teacherFeatureDims ?? 0;
  const proj = o.featWeight > 0 ? { w: pf.glorot([student.featureDims, D], student.featureDims, D), b: pf.constant([D], 0) } : undefined;
  return {
    net: student,
    variables: [...student.variables, ...pf.variables],
    step(data, idx) {
      const out = student.forward(batchInput(tf, data, idx));
      const oh = oneHotRows(tf, data.labels, C, idx);
      const ce = softCrossEntropy(tf, tf.matMul(oh, table), out.logits);
      const parts: Record<string, Scalar> = { ce };
      let loss = tf.mul(ce, o.ceWeight) as Scalar;
      if (o.kdWeight > 0 && o.teacherLogits) {
        parts.kd = distillationKL(tf, gatherRows(tf, o.teacherLogits, C, idx), out.logits, o.temperature);
        loss = tf.add(loss, tf.mul(parts.kd, o.kdWeight)) as Scalar;
      }
      if (proj && o.teacherFeatures) {
        const mapped = tf.add(tf.matMul(out.features, proj.w), proj.b);
        parts.feat = featureMSE(tf, mapped, gatherRows(tf, o.teacherFeatures, D, idx));
        loss = tf.add(loss, tf.mul(parts.feat, o.featWeight)) as Scalar;
      }
      return { loss, logits: out.logits, parts };
    },
    dispose() { table.dispose(); for (const v of pf.variables) v.dispose(); },
  };
}

/** Semantic-space logits of a teacher's embeddings (zero-shot style readout; used by evaluation when present). */
export function semanticLogits(tf: Tf, teacher: Teacher, u: Tensor2D, tau: number): Tensor2D | undefined {
  return teacher.classEmbeddings ? cosineLogits(tf, u, teacher.classEmbeddings, tau) : undefined;
}
