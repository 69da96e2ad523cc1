// npm run research -- glsda-softlabels --sim DIR [--seeds 1,2,3] [--alphas 0.4,0.7] [--only alpha,oracle]
//
// Can semantic soft labels beat uniform label smoothing on the simulator at all? Two probes on the GLSDA bench's three
// simulator splits, with the bench's own teacher (bench/glsdaSteps.ts; every teacher of one run seed starts from the
// same weights and sees the same batches, so columns pair by seed with the bench's rows):
//   alpha  the semantic teacher and the uniform-smoothing teacher at each α (the bench itself runs α = 0.15);
//   oracle a semantic teacher whose prior similarity is the log of the test-domain confusions of the bench's teacher
//          without semantics on the same split, summed over these seeds: S_ij = log((c_ij + c_ji)/2 + 0.5), so at
//          τ = 1 the smoothing mass goes to the classes that model actually confuses. It leaks the test domain, which
//          no real prior could know: an upper bound for what any class-similarity prior can give through soft labels.
//          The GloVe embeddings (cross-modal attention, alignment) are kept; only the similarity changes. It reads
//          the bench's runs (research/results/glsda.json and its workspace), so run `npm run research -- glsda` first.
// Writes research/results/glsda-softlabels.json.
import * as fs from 'fs';
import * as path from 'path';
import { REPO } from '../test/helpers/paths';
import { runExperiment } from '../src/core/experiment/runner';
import { machineFacts } from '../src/core/experiment/runStore';
import { selectEngine } from '../src/core/engine/selectEngine';
import { priorContentHash, type SemanticPrior } from '../src/core/semantics/prior';
import { glsdaSteps, simCsv } from './glsdaSteps';

const argv = process.argv.slice(2);
const arg = (name: string, dflt?: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const seeds = (arg('--seeds', '1,2,3') ?? '').split(',').map(Number);
const alphas = (arg('--alphas', '0.4,0.7') ?? '').split(',').map(Number);
const only = (arg('--only', 'alpha,oracle') ?? '').split(',');
if (!seeds.every(Number.isInteger) || !alphas.every(a => a >= 0 && a <= 1))
  throw new Error('--seeds must be integers and --alphas numbers in [0, 1]');
if (!only.length || only.some(o => o !== 'alpha' && o !== 'oracle'))
  throw new Error(`--only takes alpha and/or oracle, got "${only.join(',')}"`);
const benchWorkspace = path.join(REPO, 'bench', 'tmp', 'glsda');
const workspace = path.join(REPO, 'bench', 'tmp', 'glsda-softlabels');
const TEACHER_EPOCHS = 40; // the bench's simulator teacher
const SPLITS = [
  ['user', '3'],
  ['room', '3'],
  ['orientation', '5'],
] as const;

type BenchRun = { seed: number; runId: string };
type BenchResult = {
  dataset: string;
  split: string;
  runs: BenchRun[];
  rows: { model: string; accuracyPerSeed: number[] }[];
  seeds: number[];
};

const readJson = <T>(f: string, what: string): T => {
  if (!fs.existsSync(f)) throw new Error(`${what} ${f} is missing: run \`npm run research -- glsda --only sim\` first`);
  return JSON.parse(fs.readFileSync(f, 'utf8')) as T;
};

/** The oracle prior file for one split: the bench prior with its similarity replaced by log confusions. */
function oraclePrior(bench: BenchResult, file: string): void {
  let conf: number[][] | undefined, base: SemanticPrior | undefined;
  for (const run of bench.runs.filter(r => seeds.includes(r.seed))) {
    const dir = path.join(benchWorkspace, '.csi-workbench', 'runs', run.runId);
    const ev = readJson<{ evaluations: Record<string, { confusion: number[][] }> }>(path.join(dir, 'metrics.json'), 'bench run')
      .evaluations['teacher-no-semantics'];
    conf = conf ? conf.map((row, i) => row.map((v, j) => v + ev.confusion[i][j])) : ev.confusion.map(r => r.slice());
    base ??= readJson<SemanticPrior>(path.join(dir, 'artifacts', 'prior.prior.json'), 'bench prior');
  }
  if (!conf || !base) throw new Error(`no bench runs of seeds ${seeds} for sim ${bench.split}`);
  const c = conf;
  const { sha256: _old, ...rest } = base;
  const body: Omit<SemanticPrior, 'sha256'> = {
    ...rest,
    provider: 'oracle-confusions',
    model: `teacher-no-semantics test confusions, sim ${bench.split}, seeds ${seeds}`,
    similarity: c.map((row, i) => row.map((_, j) => (i === j ? 1 : Math.fround(Math.log((c[i][j] + c[j][i]) / 2 + 0.5))))),
    provenance: {
      ...base.provenance,
      warnings: [...base.provenance.warnings, 'similarity replaced by log test-domain confusions (oracle control)'],
    },
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...body, sha256: priorContentHash(body) }));
}

async function main(): Promise<void> {
  const engine = await selectEngine({ prefer: 'wasm' });
  const simDir = path.resolve(arg('--sim', '/tmp/glsda-sim') ?? '');
  if (!fs.existsSync(path.join(simDir, 'manifest.csv')))
    throw new Error(
      `no simulator dataset at ${simDir}: generate one with 'csi-workbench simulate --out ${simDir} --preset default --seed 7'`,
    );
  const csv = simCsv(simDir);
  const bench = readJson<{ results: BenchResult[] }>(path.join(REPO, 'research', 'results', 'glsda.json'), 'GLSDA results');
  const outFile = path.join(REPO, 'research', 'results', 'glsda-softlabels.json');
  const rows: Record<string, unknown>[] = [];
  const save = () =>
    fs.writeFileSync(
      outFile,
      JSON.stringify(
        { benchmark: 'glsda-softlabels', date: new Date().toISOString(), machine: machineFacts(), engine: engine.info, seeds, rows },
        null,
        1,
      ),
    );
  for (const [factor, held] of SPLITS) {
    const label = `leave-${factor}-${held}-out`;
    const b = bench.results.find(r => r.dataset === 'sim' && r.split === label);
    if (!b) throw new Error(`research/results/glsda.json has no sim ${label}`);
    const missing = seeds.filter(s => !b.seeds.includes(s));
    if (missing.length)
      throw new Error(
        `research/results/glsda.json has sim ${label} for seeds ${b.seeds} only, not ${missing}: run the glsda bench with those seeds first`,
      );
    const benchAcc = (model: string) => seeds.map(s => b.rows.find(r => r.model === model)!.accuracyPerSeed[b.seeds.indexOf(s)]);
    const base = glsdaSteps(csv, { protocol: 'leave-out', factor, heldOut: [held] }, [factor], TEACHER_EPOCHS, 1);
    const pick = (ids: string[]) => base.filter(s => ids.includes(s.id));
    const variants: { probe: string; alpha: number; steps: Record<string, unknown>[] }[] = [];
    if (only.includes('alpha'))
      for (const alpha of alphas) {
        variants.push({
          probe: 'alpha',
          alpha,
          steps: pick(['data', 'features', 'prior', 'teacher', 'teacher-uniform-smoothing', 'eval', 'compare']).map(s =>
            s.id === 'prior' ? { ...s, alpha } : s,
          ),
        });
      }
    if (only.includes('oracle')) {
      const file = path.join(workspace, `oracle-${label}.prior.json`);
      oraclePrior(b, file);
      variants.push({
        probe: 'oracle',
        alpha: 0.15,
        steps: pick(['data', 'features', 'prior', 'teacher', 'eval', 'compare']).map(s =>
          s.id === 'prior' ? { id: 'prior', type: 'prior', file, alpha: 0.15, tau: 1 } : s,
        ),
      });
    }
    for (const v of variants) {
      const acc: Record<string, number[]> = {};
      for (const seed of seeds) {
        const r = await runExperiment(
          { name: `softlabels-${v.probe}-${label}`, seed, steps: v.steps },
          { workspace, tf: engine.tf, engineInfo: engine.info },
        );
        for (const m of r.metrics.table) (acc[m.model] ??= []).push(+m.accuracy.toFixed(4));
        console.log(
          `${label} ${v.probe} α ${v.alpha} seed ${seed}: ${r.metrics.table.map(m => `${m.model} ${(100 * m.accuracy).toFixed(1)}`).join(' | ')}`,
        );
      }
      const row = {
        split: label,
        probe: v.probe,
        alpha: v.alpha,
        accuracyPerSeed: acc,
        // The bench's α = 0.15 teachers on the same seeds, for pairing.
        bench: { teacher: benchAcc('teacher'), 'teacher-uniform-smoothing': benchAcc('teacher-uniform-smoothing') },
      };
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
