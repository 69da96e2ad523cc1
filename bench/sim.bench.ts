// Speed of the simulator (issue 5: the default preset, 486 samples × 6 receivers, must generate in < 60 s on the
// 2-core dev machine). Generates the preset into a temporary folder with worker threads, then, as the reference
// measured in the same run, reads every file back with the project's reader (readRecording) from memory-cached
// bytes. Writes bench/results/sim.json.
//
//   npm run bench -- sim [--preset small|default|full] [--workers K]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execSync } from 'child_process';
import { generateDataset, type SimPreset } from '../src/core/sim/dataset';
import { readRecording } from '../src/core/formats/index';

const arg = (name: string, def?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};

async function main(): Promise<void> {
  const preset = arg('preset', 'default') as SimPreset;
  const workers = arg('workers') === undefined ? undefined : Number(arg('workers'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-bench-'));
  const load0 = os.loadavg();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const m = await generateDataset({
    outDir: dir,
    seed: 1,
    preset,
    workers,
    onProgress: p => {
      if (p.done % 50 === 0) process.stderr.write(`\r${p.done}/${p.total}`);
    },
  });
  const genS = (performance.now() - t0) / 1000;
  // CPU time of the whole process (getrusage: every thread, workers included). On a shared, overloaded machine the
  // wall time above mostly measures the other tenants; CPU seconds / cores is what an idle machine would take.
  const cpu = process.cpuUsage(cpu0);
  const processCpuS = (cpu.user + cpu.system) / 1e6;
  process.stderr.write('\n');
  let bytes = 0,
    packets = 0;
  const files = m.samples.flatMap(s => s.files.map(f => path.join(dir, f)));
  const contents = files.map(f => fs.readFileSync(f));
  const t1 = performance.now();
  for (const c of contents) {
    const r = readRecording(c);
    packets += r.nPackets;
    bytes += c.length;
  }
  const readS = (performance.now() - t1) / 1000;
  fs.rmSync(dir, { recursive: true, force: true });
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    /* not a checkout */
  }
  const json = {
    benchmark: 'sim',
    preset,
    samples: m.samples.length,
    files: files.length,
    bytes,
    packets,
    generateS: genS,
    targetS: preset === 'default' ? 60 : undefined,
    withinTargetWall: preset === 'default' ? genS < 60 : undefined,
    perSampleMs: (1000 * genS) / m.samples.length,
    reference: { what: 'readRecording of every generated file (bytes already in memory), same run', seconds: readS },
    ratioGenerateToRead: genS / readS,
    processCpuS,
    idleMachineEstimateS: processCpuS / Math.min(os.cpus().length, workers ?? Math.min(8, os.cpus().length)),
    machine: {
      cpu: os.cpus()[0]?.model,
      cores: os.cpus().length,
      workers: workers ?? Math.min(8, os.cpus().length),
      node: process.version,
      loadavgBefore: load0,
      loadavgAfter: os.loadavg(),
      commit,
      date: new Date().toISOString(),
    },
  };
  console.log(JSON.stringify(json, null, 1));
  const out = path.join(__dirname, '..', '..', 'bench', 'results', 'sim.json');
  fs.writeFileSync(out, JSON.stringify(json, null, 1) + '\n');
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
