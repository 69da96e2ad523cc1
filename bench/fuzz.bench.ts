// npm run bench -- fuzz [--cases N] [--seed S]
//
// The long fuzz campaign of issue 3: ≥ 10 000 mutated real recordings of every format (whole files, not the
// 64 KiB prefixes of the unit test) through readRecording, each case in a watchdog-guarded worker. Reports verdict
// counts, cases per second, the slowest case and every failure with its (seed, index) for reproduction. Writes
// bench/results/fuzz.json. Exit code 1 when any case crashed, hung or broke an invariant.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REFDATA, REPO } from '../test/helpers/paths';
import { runFuzzCampaign } from '../test/fuzz/runner';
import { READERS } from '../src/core/formats/registry';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

async function main(): Promise<void> {
  const cases = arg('--cases', 10_000);
  const seed = arg('--seed', 1_000_003);
  const dirs = ['intel5300', 'atheros', 'nexmon', 'esp32', 'picoscenes'];
  const files = dirs.flatMap(d =>
    fs
      .readdirSync(path.join(REFDATA, d))
      .sort()
      .map(f => path.join(REFDATA, d, f)),
  );
  const loadAtStart = os.loadavg();
  const s = await runFuzzCampaign({ seed, cases, files, hangMs: 20_000 });
  const out = {
    benchmark: 'fuzz',
    date: new Date().toISOString(),
    machine: {
      cpu: os.cpus()[0]?.model,
      cores: os.cpus().length,
      node: process.version,
      loadAvgAtStart: loadAtStart.map(x => Math.round(x * 100) / 100),
    },
    readersRegistered: READERS.map(r => r.format),
    seed: s.seed,
    cases: s.cases,
    verdicts: s.verdicts,
    casesPerSec: Math.round(s.cases / (s.totalMs / 1000)),
    maxCaseMs: Math.round(s.maxCaseMs),
    totalSec: Math.round(s.totalMs / 100) / 10,
    sourceBytes: s.sources,
    casesPerSource: s.bySource,
    failures: s.failures,
    reproduce: 'makeCase(seed, index, sources) in src/core/formats/fuzz.ts rebuilds any case; sources = the files above, whole',
  };
  fs.writeFileSync(path.join(REPO, 'bench', 'results', 'fuzz.json'), JSON.stringify(out, null, 1) + '\n');
  console.log(`fuzz: ${s.cases} cases, ${JSON.stringify(s.verdicts)}, max case ${out.maxCaseMs} ms, ${out.totalSec} s`);
  if (s.verdicts.crash || s.verdicts.hang || s.verdicts.invariant) {
    console.log(JSON.stringify(s.failures.slice(0, 5), null, 1));
    process.exitCode = 1;
  }
}

main().catch(err => {
  console.error(err);
  process.exitCode = 1;
});
