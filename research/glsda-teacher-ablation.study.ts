// npm run research -- glsda-teacher-ablation [--only wiar,sim] [--splits LABEL,…] [--sim DIR] [--wiar-inputs doppler|both]
//                                         [--seeds 1,2] [--out FILE]
//
// Which of the teacher's semantic parts earns its place? The GLSDA teacher has three: cross-modal attention to the
// class embeddings, a contrastive alignment of its pooled feature with them, and semantic soft labels. The main table
// (glsda.bench.ts) compares the whole teacher with the one without any (and with uniform / shuffled soft labels);
// this bench switches them on one at a time, on the same splits, seeds and training settings (bench/glsdaSteps.ts):
//   full            attention + alignment (weight 0.5) + semantic soft labels  (the GLSDA teacher)
//   attention+soft  attention + semantic soft labels, no alignment
//   alignment+soft  alignment + semantic soft labels, no attention (crossAttention: false)
//   attention-only  attention, one-hot labels, no alignment
//   soft-only       no attention or alignment (the architecture of the control), semantic soft labels
//   none            no attention, no alignment, one-hot labels                  (the control, "teacher w/o semantics")
// The three with attention share an architecture, as do the two without either part: under one seed each pair starts
// from the same weights and sees the same batches, so their per-seed differences are paired (all see the same batches).
// Defaults: WiAR with Doppler inputs (where the main table has the teacher without semantics ahead in-domain) and the
// simulator, two seeds each. Writes research/results/glsda-teacher-ablation.json.
import * as path from 'path';
import { REPO } from '../test/helpers/paths';
import { glsdaSplits, keepSplits } from './glsdaSteps';
import { runPairedVariants, type Contrast } from './pairedVariants';

const argv = process.argv.slice(2);
const arg = (name: string, dflt?: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const only = (arg('--only', 'wiar,sim') ?? '').split(',');
const seeds = (arg('--seeds', '1,2') ?? '').split(',').map(Number);
if (!seeds.every(Number.isInteger)) throw new Error(`--seeds must be comma-separated integers, got "${arg('--seeds')}"`);
const outFile = path.resolve(arg('--out', path.join(REPO, 'research', 'results', 'glsda-teacher-ablation.json')) ?? '');
const workspace = path.join(REPO, 'bench', 'tmp', 'glsda-teacher-ablation');
// The main table's teacher settings (bench/glsdaSteps.ts): 40 epochs at 1e-3, batch 32.
const TRAIN = { epochs: 40, batchSize: 32, learningRate: 1e-3 };
const VARIANTS: Record<string, Record<string, unknown>> = {
  full: { semantic: true, supervision: 'semantic' },
  'attention+soft': { semantic: true, alignWeight: 0, supervision: 'semantic' },
  'alignment+soft': { semantic: true, crossAttention: false, supervision: 'semantic' },
  'attention-only': { semantic: true, alignWeight: 0, supervision: 'onehot' },
  'soft-only': { semantic: false, supervision: 'semantic' },
  none: { semantic: false, supervision: 'onehot' },
};
// Paired differences reported: each part's effect with everything else held (same architecture where possible).
const CONTRASTS: Contrast[] = [
  ['attention (one-hot labels)', 'attention-only', 'none'],
  ['semantic soft labels (no attention)', 'soft-only', 'none'],
  ['alignment (with attention and soft labels)', 'full', 'attention+soft'],
  ['attention (with alignment and soft labels)', 'full', 'alignment+soft'],
  ['whole semantic part', 'full', 'none'],
];

async function main(): Promise<void> {
  const split = glsdaSplits({
    only,
    simDir: arg('--sim', '/tmp/glsda-sim') ?? '',
    wiarInputs: arg('--wiar-inputs', 'doppler'),
    wiarFolds: ['7', '8', '9'],
  });
  const splitsArg = arg('--splits');
  await runPairedVariants({
    benchmark: 'glsda-teacher-ablation',
    outFile,
    workspace,
    seeds,
    simProvenance: split.simProvenance,
    defs: splitsArg ? keepSplits(split.defs, splitsArg.split(',')) : split.defs,
    models: () => Object.entries(VARIANTS).map(([id, v]) => ({ id, type: 'teacher', ...v, train: TRAIN })),
    rowExtra: m => VARIANTS[m.id as string],
    contrasts: CONTRASTS,
    header: { train: TRAIN },
  });
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
