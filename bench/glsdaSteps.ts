// The GLSDA benchmark's experiment: one step list (data, features, prior, the teacher and its controls, the students,
// evaluation) shared by the main table (glsda.bench.ts) and the soft-label probes (glsda-softlabels.bench.ts), so a
// probe trains exactly the teacher the table reports.
import * as fs from 'fs';
import * as path from 'path';

/**
 * A CSV manifest (path, label, domains) for a simulator folder, derived from its manifest.csv: the data layer's
 * simulator-manifest reader does not accept this simulator version's gesture names yet. Written into the folder.
 */
export function simCsv(dir: string): string {
  const out = path.join(dir, 'glsda-index.csv');
  const lines = fs.readFileSync(path.join(dir, 'manifest.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const col = (n: string) => head.indexOf(n);
  const rows = lines.slice(1).map(l => l.split(',')).map(c => [c[col('files')], c[col('gesture')], c[col('user')], c[col('room')], c[col('location')], c[col('orientation')]].join(','));
  fs.writeFileSync(out, ['path,label,user,room,location,orientation', ...rows].join('\n') + '\n');
  return out;
}

export function glsdaSteps(folder: string, split: Record<string, unknown>, factors: string[], teacherEpochs: number, studentEpochs: number, features: Record<string, unknown> = {}) {
  const train = (epochs: number, lr: number) => ({ epochs, batchSize: 32, learningRate: lr });
  return [
    { id: 'data', type: 'dataset', folder, split },
    { id: 'features', type: 'features', timeSteps: 32, phaseSubcarrierStride: 6, dopplerBands: 30, amplitudeGroups: 30, ...features },
    { id: 'prior', type: 'prior', alpha: 0.15, tau: 1 },
    { id: 'teacher', type: 'teacher', semantic: true, supervision: 'semantic', train: train(teacherEpochs, 1e-3) },
    // The student's recipe was chosen on the simulator's leave-user-3-out split, paired seeds 1–3 (kdWeight 1 at
    // temperature 4 with featWeight 0.5, the earlier recipe, was 38.1 % there, level with the CE baseline's 38.1;
    // feature matching at weight 1 on mixup inputs 41.1; a T = 1 KD term at 0.5 beside it 41.0 over seeds 1–2),
    // so that split is not an unbiased test of it; the room and orientation splits are.
    { id: 'student', type: 'student', mode: 'distill', from: ['teacher'], kdWeight: 0.5, featWeight: 1, temperature: 1, mixup: 1, train: train(studentEpochs, 3e-3) },
    // Control for the logit term: the same student with feature matching only (is the KL to the teacher worth it?).
    { id: 'student-feature-only', type: 'student', mode: 'distill', from: ['teacher'], kdWeight: 0, featWeight: 1, mixup: 1, train: train(studentEpochs, 3e-3) },
    { id: 'ce-baseline', type: 'student', mode: 'ce', train: train(studentEpochs, 3e-3) },
    // Control for the student's mixup: the same mixes without a teacher (is the gain distillation or mixup?).
    { id: 'ce-baseline-mixup', type: 'student', mode: 'ce', mixup: 1, train: train(studentEpochs, 3e-3) },
    { id: 'teacher-no-semantics', type: 'teacher', semantic: false, supervision: 'onehot', train: train(teacherEpochs, 1e-3) },
    // Control for what the semantics give the student: the default student recipe distilled from the teacher without
    // semantics (same architecture, seed and batches as "student-feature-only"; only the teacher differs).
    { id: 'student-from-no-semantics', type: 'student', mode: 'distill', from: ['teacher-no-semantics'], kdWeight: 0, featWeight: 1, mixup: 1, train: train(studentEpochs, 3e-3) },
    { id: 'teacher-uniform-smoothing', type: 'teacher', semantic: true, supervision: 'uniform', train: train(teacherEpochs, 1e-3) },
    { id: 'teacher-shuffled-prior', type: 'teacher', semantic: true, supervision: 'shuffled', train: train(teacherEpochs, 1e-3) },
    { id: 'eval', type: 'evaluate', factors, latencyRepeats: 20 },
    { id: 'compare', type: 'compare' },
  ];
}
