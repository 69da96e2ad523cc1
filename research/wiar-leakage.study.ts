// npm run research -- wiar-leakage [--seeds 1,2] [--student-epochs 60] [--inputs keep,remove,doppler]
//
// How much of WiAR's within-volunteer accuracy is the recording session rather than the activity? In WiAR each
// activity of a volunteer was recorded as one run of repetitions, so everything that stays constant over a run (where
// the laptop and the person stood, the static multipath) labels the activity as well as the motion does, within that
// volunteer, and not at all for another volunteer. Two measurements on the same splits (shared/labeled/wiar):
//   static  a ridge classifier on the *time-mean* amplitude of each antenna and subcarrier group (90 numbers per
//           capture, each divided by the capture's overall mean so the NIC's gain drops out). It sees no motion at
//           all: whatever it gets above chance (6.25 %) is the session's static channel.
//   inputs  the GLSDA bench's "CE with mixup" student (bench/glsdaSteps.ts ce-baseline-mixup, 60 epochs) and the
//           ridge on summary statistics of the same features, for three feature settings: the default path A
//           (amplitude level kept), `amplitudeMean: 'remove'` (each amplitude series minus its own mean: only change
//           is left), and Doppler alone (`inputs: 'doppler'`).
// Splits: within-volunteer (the GLSDA bench's random 70/10/20 split, stratified by volunteer and class, seeded),
// later repetitions (12–15 held out, 1–11 for training: the dataset README's in-domain split, so test captures
// come after every training capture of their run), and each volunteer held out.
// Writes research/results/wiar-leakage.json.
import * as fs from 'fs';
import * as path from 'path';
import { REPO, labeled } from '../test/helpers/paths';
import { indexFolder } from '../src/core/data/indexFolder';
import { runExperiment } from '../src/core/experiment/runner';
import { machineFacts } from '../src/core/experiment/runStore';
import { readRecordingFile } from '../src/core/formats/index';
import { selectEngine } from '../src/core/engine/selectEngine';
import { fitRidge, predictRidge, summaryFeatures } from '../src/core/model/baselines/ridge';
import type { TensorDataset } from '../src/core/features/tensorDataset';

const argv = process.argv.slice(2);
const arg = (name: string, dflt?: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const seeds = (arg('--seeds', '1,2') ?? '').split(',').map(Number);
const studentEpochs = Number(arg('--student-epochs', '60'));
const INPUTS: Record<string, Record<string, unknown>> = { keep: {}, remove: { amplitudeMean: 'remove' }, doppler: { inputs: 'doppler' } };
const inputs = (arg('--inputs', 'keep,remove,doppler') ?? '').split(',');
if (!seeds.every(Number.isInteger) || !(studentEpochs > 0))
  throw new Error('--seeds must be integers and --student-epochs a positive number');
if (inputs.some(i => !(i in INPUTS))) throw new Error(`--inputs takes ${Object.keys(INPUTS).join(', ')}, got "${inputs.join(',')}"`);

const SPLITS: Record<string, Record<string, unknown>> = {
  'within-volunteer': { protocol: 'random', stratifyBy: ['user'], val: 0.1, test: 0.2 },
  'later-repetitions': { protocol: 'leave-out', factor: 'repetition', heldOut: ['12', '13', '14', '15'] },
  'leave-volunteer-7-out': { protocol: 'leave-out', factor: 'user', heldOut: ['7'] },
  'leave-volunteer-8-out': { protocol: 'leave-out', factor: 'user', heldOut: ['8'] },
  'leave-volunteer-9-out': { protocol: 'leave-out', factor: 'user', heldOut: ['9'] },
};

/** Time-mean amplitude of every (rx, subcarrier) of the first transmit antenna, over the capture's overall mean. */
async function staticProfile(file: string): Promise<Float64Array> {
  const rec = await readRecordingFile(file);
  const { nPackets: n, nSubcarriers: nSc, nRx, nTx, csi } = rec;
  const m = new Float64Array(nRx * nSc);
  for (let t = 0; t < n; t++)
    for (let sc = 0; sc < nSc; sc++)
      for (let rx = 0; rx < nRx; rx++) {
        const i = 2 * ((t * nSc + sc) * nRx * nTx + rx * nTx);
        m[rx * nSc + sc] += Math.hypot(csi[i], csi[i + 1]) / n;
      }
  const all = m.reduce((a, b) => a + b, 0) / m.length || 1;
  return m.map(v => v / all);
}

/** Ridge accuracy (and per-class recall) training on `tr`, testing on `te`; λ = 10 as the GLSDA bench's baseline. */
function ridge(X: (i: number) => Float64Array, y: ArrayLike<number>, classes: number, tr: number[], te: number[]) {
  const m = fitRidge(
    tr.map(X),
    tr.map(i => y[i]),
    classes,
    10,
  );
  const p = predictRidge(m, te.map(X));
  const hit = new Array(classes).fill(0),
    tot = new Array(classes).fill(0);
  te.forEach((i, k) => {
    tot[y[i]]++;
    if (p[k] === y[i]) hit[y[i]]++;
  });
  return { accuracy: hit.reduce((a, b) => a + b, 0) / te.length, recall: hit.map((h, c) => (tot[c] ? h / tot[c] : NaN)) };
}

const r4 = (x: number) => +x.toFixed(4);

async function main(): Promise<void> {
  const engine = await selectEngine({ prefer: 'wasm' });
  const folder = labeled('wiar');
  if (!fs.existsSync(folder)) throw new Error(`WiAR is not at ${folder} (shared/labeled/wiar)`);
  const index = await indexFolder(folder);
  const profiles = new Map<string, Float64Array>();
  for (const s of index.samples) profiles.set(s.id, await staticProfile(s.files[0]));
  const workspace = path.join(REPO, 'bench', 'tmp', 'wiar-leakage');
  const outFile = path.join(REPO, 'research', 'results', 'wiar-leakage.json');
  type Row = { split: string; inputs: string; ceMixup: number[]; ridgeSummary: number[] };
  const rows: Row[] = [];
  const stat: Record<string, { accuracyPerSeed: number[]; recallPerClass?: number[] }> = {};
  const save = () =>
    fs.writeFileSync(
      outFile,
      JSON.stringify(
        {
          benchmark: 'wiar-leakage',
          date: new Date().toISOString(),
          machine: machineFacts(),
          engine: engine.info,
          seeds,
          studentEpochs,
          chance: 1 / index.classes.length,
          classes: index.classes,
          staticProfile: stat,
          rows,
        },
        null,
        1,
      ),
    );
  for (const inp of inputs) {
    for (const [split, sp] of Object.entries(SPLITS)) {
      const row: Row = { split, inputs: inp, ceMixup: [], ridgeSummary: [] };
      for (const seed of seeds) {
        let fromFeatures: { d: TensorDataset; tr: number[]; te: number[] } | undefined;
        const steps = [
          { id: 'data', type: 'dataset', folder, split: sp },
          {
            id: 'features',
            type: 'features',
            timeSteps: 32,
            phaseSubcarrierStride: 6,
            dopplerBands: 30,
            amplitudeGroups: 30,
            ...INPUTS[inp],
          },
          {
            id: 'ce-baseline-mixup',
            type: 'student',
            mode: 'ce',
            mixup: 1,
            train: { epochs: studentEpochs, batchSize: 32, learningRate: 3e-3 },
          },
          { id: 'eval', type: 'evaluate', factors: ['user'], latencyRepeats: 1 },
          { id: 'compare', type: 'compare' },
        ];
        const r = await runExperiment(
          { name: `wiar-leakage-${inp}-${split}`, seed, steps },
          {
            workspace,
            tf: engine.tf,
            engineInfo: engine.info,
            onFeatures: (_s, d, s) => {
              fromFeatures = { d, tr: [...s.train, ...s.val], te: s.test };
            },
          },
        );
        if (!fromFeatures) throw new Error(`the run for ${inp} ${split} seed ${seed} reported no features`);
        const { d, tr, te } = fromFeatures;
        const summ = summaryFeatures(
          d,
          d.ids.map((_, i) => i),
        );
        row.ridgeSummary.push(r4(ridge(i => summ[i], d.labels, d.classes.length, tr, te).accuracy));
        row.ceMixup.push(r4(r.metrics.table.find(m => m.model === 'ce-baseline-mixup')!.accuracy));
        if (inp === inputs[0]) {
          const st = ridge(i => profiles.get(d.ids[i])!, d.labels, d.classes.length, tr, te);
          (stat[split] ??= { accuracyPerSeed: [] }).accuracyPerSeed.push(r4(st.accuracy));
          // The split does not depend on the seed for leave-out protocols; one per-class row is enough there.
          if (seed === seeds[0]) stat[split].recallPerClass = st.recall.map(r4);
        }
        console.log(
          `${inp} ${split} seed ${seed}: CE+mixup ${(100 * row.ceMixup.at(-1)!).toFixed(1)} | ridge (summary) ${(100 * row.ridgeSummary.at(-1)!).toFixed(1)}${inp === inputs[0] ? ` | ridge (static profile) ${(100 * stat[split].accuracyPerSeed.at(-1)!).toFixed(1)}` : ''}`,
        );
      }
      rows.push(row);
      save();
    }
  }
  console.log(`wrote ${outFile}`);
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
