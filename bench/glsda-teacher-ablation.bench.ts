// npm run bench -- glsda-teacher-ablation [--only wiar,sim] [--splits LABEL,…] [--sim DIR] [--wiar-inputs doppler|both]
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
// simulator, two seeds each. Writes bench/results/glsda-teacher-ablation.json.
import * as fs from 'fs';
import * as path from 'path';
import { REPO } from '../test/helpers/paths';
import { glsdaSplits, keepSplits } from './glsdaSteps';
import { runExperiment } from '../src/core/experiment/runner';
import { machineFacts } from '../src/core/experiment/runStore';
import { selectEngine } from '../src/core/model/engine/selectEngine';

const argv = process.argv.slice(2);
const arg = (name: string, dflt?: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
const only = (arg('--only', 'wiar,sim') ?? '').split(',');
const seeds = (arg('--seeds', '1,2') ?? '').split(',').map(Number);
if (!seeds.every(Number.isInteger)) throw new Error(`--seeds must be comma-separated integers, got "${arg('--seeds')}"`);
const outFile = path.resolve(arg('--out', path.join(REPO, 'bench', 'results', 'glsda-teacher-ablation.json')) ?? '');
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
const CONTRASTS: [string, string, string][] = [
  ['attention (one-hot labels)', 'attention-only', 'none'],
  ['semantic soft labels (no attention)', 'soft-only', 'none'],
  ['alignment (with attention and soft labels)', 'full', 'attention+soft'],
  ['attention (with alignment and soft labels)', 'full', 'alignment+soft'],
  ['whole semantic part', 'full', 'none'],
];

const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const r4 = (x: number) => +x.toFixed(4);

async function main(): Promise<void> {
  const engine = await selectEngine({ prefer: 'wasm' });
  const split = glsdaSplits({ only, simDir: arg('--sim', '/tmp/glsda-sim') ?? '', wiarInputs: arg('--wiar-inputs', 'doppler'), wiarFolds: ['7', '8', '9'] });
  const splitsArg = arg('--splits');
  const defs = splitsArg ? keepSplits(split.defs, splitsArg.split(',')) : split.defs;
  const results: Record<string, unknown>[] = [];
  const t0 = Date.now();
  for (const d of defs) {
    const perSeed: Record<string, number[]> = {};
    const runIds: string[] = [];
    for (const seed of seeds) {
      console.log(`\n== ${d.dataset} ${d.label} seed ${seed}`);
      const steps = [
        { id: 'data', type: 'dataset', folder: d.folder, split: d.split },
        { id: 'features', type: 'features', timeSteps: 32, phaseSubcarrierStride: 6, dopplerBands: 30, amplitudeGroups: 30, ...d.features },
        { id: 'prior', type: 'prior', alpha: 0.15, tau: 1 },
        ...Object.entries(VARIANTS).map(([id, v]) => ({ id, type: 'teacher', ...v, train: TRAIN })),
        { id: 'eval', type: 'evaluate', factors: d.factors, latencyRepeats: 1 },
        { id: 'compare', type: 'compare' }, // fills metrics.table
      ];
      const r = await runExperiment({ name: `ablation-${d.dataset}-${d.label}-s${seed}`, seed, steps }, {
        workspace, tf: engine.tf, engineInfo: engine.info,
        onEvent: e => { if (e.kind === 'step-start') console.log(`  ${e.step}…`); },
      });
      if (r.metrics.table.length !== Object.keys(VARIANTS).length) throw new Error(`${d.label} seed ${seed}: expected ${Object.keys(VARIANTS).length} models in the run's table, got ${r.metrics.table.length} (${r.metrics.status})`);
      runIds.push(r.id);
      for (const x of r.metrics.table) (perSeed[x.model] ??= []).push(r4(x.accuracy));
      console.log('  ' + r.metrics.table.map(x => `${x.model} ${(100 * x.accuracy).toFixed(1)}`).join(' | '));
    }
    const rows = Object.keys(VARIANTS).map(m => ({ model: m, ...VARIANTS[m], accuracy: r4(mean(perSeed[m])), accuracyPerSeed: perSeed[m] }));
    const contrasts = CONTRASTS.map(([what, a, b]) => {
      const diff = perSeed[a].map((x, i) => x - perSeed[b][i]);
      return { what, a, b, meanDiff: r4(mean(diff)), perSeed: diff.map(r4), aAhead: diff.filter(x => x > 0).length, seeds: diff.length };
    });
    results.push({ dataset: d.dataset, split: d.label, seeds, rows, contrasts, runIds, ...(d.dataset === 'sim' ? { simulator: split.simProvenance } : {}) });
    fs.writeFileSync(outFile, JSON.stringify({
      benchmark: 'glsda-teacher-ablation', date: new Date().toISOString(), machine: machineFacts(), engine: engine.info,
      train: TRAIN, totalSeconds: (Date.now() - t0) / 1000, results,
    }, null, 1));
  }
  // Over every split: each contrast's mean paired difference and on how many (split, seed) pairs the part helped.
  const all = CONTRASTS.map(([what]) => {
    const d = results.flatMap(r => (r.contrasts as { what: string; perSeed: number[] }[]).find(c => c.what === what)!.perSeed);
    return `${what}: ${(100 * mean(d)).toFixed(1)} pt (ahead on ${d.filter(x => x > 0).length} of ${d.length})`;
  });
  console.log(`\n${all.join('\n')}\nwrote ${outFile}`);
}

main().then(() => process.exit(0), e => { console.error(e); process.exit(1); });
