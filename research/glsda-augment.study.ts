// npm run research -- glsda-augment [--only sim,wiar] [--splits LABEL,…] [--sim DIR] [--wiar-inputs doppler|both]
//                                [--seeds 1,2,3] [--augment '{"stretch":0.2,"shift":0.1,"gain":0.3}'] [--out FILE]
//                                [--doppler 0.2] [--models ID,…]
//
// Does training-time augmentation (src/core/model/augment.ts: time warp, shift, per-column gain) help across domains,
// and does distillation still add to it? On the GLSDA bench's splits and training settings (bench/glsdaSteps.ts),
// one run per (split, seed) holding:
//   ce-mixup                     the equal-size CE baseline with mixup (the main table's "CE + mixup")
//   ce-mixup-aug                 the same with augmentation
//   teacher                      the GLSDA teacher
//   student                      the runner's default student (feature matching on mixup inputs) of that teacher
//   student-aug                  the same student trained on augmented inputs (its teacher run on them online)
//   teacher-aug                  the GLSDA teacher trained on augmented inputs
//   student-aug-of-teacher-aug   the augmented student of the augmented teacher
//   with --doppler a (augment.ts: the Doppler bands scaled about zero Doppler by up to a, a faster or slower motion):
//   ce-mixup-aug-doppler         ce-mixup-aug with the Doppler scale added
//   student-aug-doppler          student-aug with the Doppler scale added
// --models keeps only the listed model ids (and the contrasts between them); a student keeps its teacher.
// Models of one architecture share initial weights and batch order under a seed, so differences are paired.
// The augmentation settings were fixed before any of these runs (±20 % speed, ±10 % shift, 0.3 log-gain σ).
// Defaults: the simulator's room, orientation and location splits (not the user split the student recipe was chosen
// on), seeds 1–3. Writes research/results/glsda-augment.json.
import * as path from 'path';
import { REPO } from '../test/helpers/paths';
import { glsdaSplits, keepSplits } from './glsdaSteps';
import { runPairedVariants, type Contrast } from './pairedVariants';

const argv = process.argv.slice(2);
const arg = (name: string, dflt?: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const only = (arg('--only', 'sim') ?? '').split(',');
const seeds = (arg('--seeds', '1,2,3') ?? '').split(',').map(Number);
if (!seeds.every(Number.isInteger)) throw new Error(`--seeds must be comma-separated integers, got "${arg('--seeds')}"`);
const augment = ((text: string) => {
  try {
    return JSON.parse(text) as Record<string, number>;
  } catch (e) {
    throw new Error(`--augment must be a JSON object such as {"stretch":0.2,"shift":0.1,"gain":0.3}: ${(e as Error).message}`);
  }
})(arg('--augment', '{"stretch":0.2,"shift":0.1,"gain":0.3}') ?? '{}');
const doppler = Number(arg('--doppler', '0'));
if (!(Number.isFinite(doppler) && doppler >= 0)) throw new Error(`--doppler must be a number ≥ 0, got "${arg('--doppler')}"`);
const keep = arg('--models')?.split(',');
const outFile = path.resolve(arg('--out', path.join(REPO, 'research', 'results', 'glsda-augment.json')) ?? '');
const workspace = path.join(REPO, 'bench', 'tmp', 'glsda-augment');
// The main table's settings (research/glsda.study.ts EPOCHS, bench/glsdaSteps.ts learning rates).
const EPOCHS: Record<string, { teacher: number; student: number }> = {
  sim: { teacher: 40, student: 160 },
  wiar: { teacher: 40, student: 60 },
  fition: { teacher: 150, student: 200 },
};
const train = (epochs: number, lr: number) => ({ epochs, batchSize: 32, learningRate: lr });
function models(dataset: string): Record<string, unknown>[] {
  const all = allModels(dataset);
  if (!keep) return all;
  const ids = new Set(keep);
  for (const m of all) if (ids.has(m.id as string)) for (const f of (m.from as string[] | undefined) ?? []) ids.add(f);
  const unknown = keep.filter(k => !all.some(m => m.id === k));
  if (unknown.length) throw new Error(`--models: no model ${unknown.join(', ')} (have ${all.map(m => m.id).join(', ')})`);
  return all.filter(m => ids.has(m.id as string));
}
function allModels(dataset: string): Record<string, unknown>[] {
  const e = EPOCHS[dataset],
    st = train(e.student, 3e-3),
    tt = train(e.teacher, 1e-3);
  const withDoppler = { ...augment, doppler };
  const dopplerModels =
    doppler > 0
      ? [
          { id: 'ce-mixup-aug-doppler', type: 'student', mode: 'ce', mixup: 1, augment: withDoppler, train: st },
          {
            id: 'student-aug-doppler',
            type: 'student',
            mode: 'distill',
            from: ['teacher'],
            kdWeight: 0,
            featWeight: 1,
            mixup: 1,
            augment: withDoppler,
            train: st,
          },
        ]
      : [];
  return [
    { id: 'ce-mixup', type: 'student', mode: 'ce', mixup: 1, train: st },
    { id: 'ce-mixup-aug', type: 'student', mode: 'ce', mixup: 1, augment, train: st },
    { id: 'teacher', type: 'teacher', semantic: true, supervision: 'semantic', train: tt },
    { id: 'student', type: 'student', mode: 'distill', from: ['teacher'], kdWeight: 0, featWeight: 1, mixup: 1, train: st },
    { id: 'student-aug', type: 'student', mode: 'distill', from: ['teacher'], kdWeight: 0, featWeight: 1, mixup: 1, augment, train: st },
    { id: 'teacher-aug', type: 'teacher', semantic: true, supervision: 'semantic', augment, train: tt },
    {
      id: 'student-aug-of-teacher-aug',
      type: 'student',
      mode: 'distill',
      from: ['teacher-aug'],
      kdWeight: 0,
      featWeight: 1,
      mixup: 1,
      augment,
      train: st,
    },
    ...dopplerModels,
  ];
}
const CONTRASTS: Contrast[] = [
  ['augmentation, CE with mixup', 'ce-mixup-aug', 'ce-mixup'],
  ['augmentation, teacher', 'teacher-aug', 'teacher'],
  ['augmentation, student only', 'student-aug', 'student'],
  ['augmentation, teacher and student', 'student-aug-of-teacher-aug', 'student'],
  ['distillation over CE, both augmented', 'student-aug-of-teacher-aug', 'ce-mixup-aug'],
  ['distillation over CE, neither augmented', 'student', 'ce-mixup'],
  ['Doppler scale, CE with mixup (both augmented)', 'ce-mixup-aug-doppler', 'ce-mixup-aug'],
  ['Doppler scale, student (both augmented)', 'student-aug-doppler', 'student-aug'],
  ['distillation over CE, both with the Doppler scale', 'student-aug-doppler', 'ce-mixup-aug-doppler'],
];

async function main(): Promise<void> {
  const split = glsdaSplits({
    only,
    simDir: arg('--sim', '/tmp/glsda-sim') ?? '',
    wiarInputs: arg('--wiar-inputs'),
    wiarFolds: ['7', '8', '9'],
  });
  const splitsArg = arg(
    '--splits',
    only.includes('sim') && only.length === 1 ? 'leave-room-3-out,leave-orientation-5-out,leave-location-5-out' : undefined,
  );
  const runIds = new Set(models('sim').map(m => m.id as string));
  await runPairedVariants({
    benchmark: 'glsda-augment',
    outFile,
    workspace,
    seeds,
    simProvenance: split.simProvenance,
    defs: splitsArg ? keepSplits(split.defs, splitsArg.split(',')) : split.defs,
    models: d => models(d.dataset),
    header: { augment, ...(doppler > 0 ? { doppler } : {}), epochs: EPOCHS },
    // Only the contrasts whose two models run (--models, --doppler); the model ids are the same for every dataset.
    contrasts: CONTRASTS.filter(([, a, b]) => [a, b].every(id => runIds.has(id))),
  });
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
