// npm run research -- simple-baselines [--only wiar,fition,sim] [--sim DIR] [--seeds-wiar 1,2] [--lambda 10]
//
// The reference numbers come from a ridge classifier on hand-made amplitude statistics of the recordings
// (shared/labeled/*/README.md "Sanity check": per subcarrier and antenna the amplitude's std, mean |Δ| and p90 − p10,
// plus an 8-bin motion-energy profile; src/core/model/amplitudeStatistics.ts). This bench measures that baseline on
// the GLSDA bench's own splits (bench/glsdaSteps.ts: same folders, same split rules, same seeds, so the same test
// sets), beside chance, so the results table can put the "simple baseline" next to the models rather than
// quoting numbers from another copy of the data. Leave-out splits do not depend on the seed; the random
// within-volunteer split does (one row per seed, averaged). λ = 10 on standardised statistics, as the table's other
// ridge. Writes research/results/simple-baselines.json.
import * as fs from 'fs';
import * as path from 'path';
import { REPO } from '../test/helpers/paths';
import { indexFolder } from '../src/core/data/indexFolder';
import { leaveOutSplit, randomSplit } from '../src/core/data/splits';
import { machineFacts } from '../src/core/experiment/runStore';
import { readMainLinkFile } from '../src/core/formats/mainLink';
import { amplitudeStatistics } from '../src/core/features/amplitudeStatistics';
import { fitRidge, predictRidge } from '../src/core/model/baselines/ridge';
import { glsdaSplits } from './glsdaSteps';

const argv = process.argv.slice(2);
const arg = (name: string, dflt?: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const only = (arg('--only', 'wiar,fition,sim') ?? '').split(',');
const lambda = Number(arg('--lambda', '10'));
if (!(lambda > 0)) throw new Error(`--lambda must be a positive number, got "${arg('--lambda')}"`);
// The GLSDA bench's seeds per dataset (glsda.bench.ts SEEDS): only the random split's draw depends on them.
const SEEDS: Record<string, number[]> = { sim: [1, 2, 3, 4, 5], wiar: [1, 2], fition: [1, 2, 3] };

const r4 = (x: number) => +x.toFixed(4);

async function main(): Promise<void> {
  const { defs, simProvenance } = glsdaSplits({ only, simDir: arg('--sim', '/tmp/glsda-sim') ?? '', wiarFolds: ['7', '8', '9'] });
  const features = new Map<string, Float64Array>(); // sample id → statistics (all receivers)
  const results: Record<string, unknown>[] = [];
  const t0 = Date.now();
  for (const d of defs) {
    const index = await indexFolder(d.folder);
    const byId = new Map(index.samples.map(s => [s.id, s]));
    const stats = async (id: string) => {
      const key = `${d.folder}\n${id}`;
      let x = features.get(key);
      if (!x) {
        const parts: Float64Array[] = [];
        for (const f of byId.get(id)!.files) parts.push(amplitudeStatistics(await readMainLinkFile(f)));
        x = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
        let o = 0;
        for (const p of parts) {
          x.set(p, o);
          o += p.length;
        }
        features.set(key, x);
      }
      return x;
    };
    const seeds = d.split.protocol === 'random' ? SEEDS[d.dataset] : [SEEDS[d.dataset][0]];
    const perSeed: { seed: number; accuracy: number; train: number; test: number; recall: number[] }[] = [];
    for (const seed of seeds) {
      const sp = d.split as { protocol?: string; factor?: string; heldOut?: string[]; val?: number; test?: number; stratifyBy?: string[] };
      const split =
        sp.protocol === 'leave-out'
          ? leaveOutSplit(index, { factor: sp.factor ?? 'user', heldOut: sp.heldOut ?? [], val: sp.val, seed })
          : randomSplit(index, { seed, val: sp.val, test: sp.test, stratifyBy: sp.stratifyBy });
      const train = [...split.train, ...split.val],
        test = split.test;
      const X = await Promise.all(train.map(stats)),
        Xt = await Promise.all(test.map(stats));
      const y = train.map(id => byId.get(id)!.label),
        yt = test.map(id => byId.get(id)!.label);
      const m = fitRidge(X, y, index.classes.length, lambda);
      const p = predictRidge(m, Xt);
      const hit = new Array(index.classes.length).fill(0),
        tot = new Array(index.classes.length).fill(0);
      yt.forEach((c, k) => {
        tot[c]++;
        if (p[k] === c) hit[c]++;
      });
      const accuracy = hit.reduce((a, b) => a + b, 0) / Math.max(1, yt.length);
      perSeed.push({
        seed,
        accuracy: r4(accuracy),
        train: train.length,
        test: test.length,
        recall: hit.map((h, c) => r4(tot[c] ? h / tot[c] : NaN)),
      });
      console.log(
        `${d.dataset} ${d.label} seed ${seed}: amplitude-statistics ridge ${(100 * accuracy).toFixed(1)} % (chance ${(100 / index.classes.length).toFixed(1)}), ${X[0].length} statistics, ${train.length}/${test.length}`,
      );
    }
    results.push({
      dataset: d.dataset,
      split: d.label,
      chance: r4(1 / index.classes.length),
      classes: index.classes,
      amplitudeStatisticsRidge: r4(perSeed.reduce((a, r) => a + r.accuracy, 0) / perSeed.length),
      perSeed,
    });
  }
  const outFile = path.join(REPO, 'research', 'results', 'simple-baselines.json');
  const prev = fs.existsSync(outFile) ? (JSON.parse(fs.readFileSync(outFile, 'utf8')) as { results?: Record<string, unknown>[] }) : {};
  const kept = (prev.results ?? []).filter(x => !results.some(y => y.dataset === x.dataset && y.split === x.split));
  fs.writeFileSync(
    outFile,
    JSON.stringify(
      {
        benchmark: 'simple-baselines',
        date: new Date().toISOString(),
        machine: machineFacts(),
        lambda,
        seconds: Math.round((Date.now() - t0) / 1000),
        baseline:
          'ridge (one-vs-rest least squares, standardised inputs) on per-(subcarrier, antenna) amplitude std, mean |Δ|, p90 − p10 and an 8-bin motion-energy profile (src/core/model/amplitudeStatistics.ts)',
        ...(simProvenance ? { simulator: simProvenance } : {}),
        results: [...kept, ...results],
      },
      null,
      1,
    ) + '\n',
  );
  console.log(`wrote ${outFile}`);
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
