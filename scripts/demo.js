#!/usr/bin/env node
// `npm run demo`: the example experiment notebook, headless. Generates a synthetic Widar3.0-style dataset with the
// simulator (by default the sample workspace's preset, workbench-sample.js: 108 recordings, 9 gestures × 2 users ×
// 2 locations × 3 orientations), runs the GLSDA template notebook (the one `npm run workbench` opens) with
// the same CLI and runner VS Code uses (`csi-workbench run glsda.csiexp`), and prints the teacher/student table: accuracy, parameters, size on disk, latency.
//   node scripts/demo.js [--workspace DIR] [--preset workbench|default|full] [--epochs N]
// --epochs overrides both models' epochs (the notebook in the workspace is a copy; the template is untouched).
// Re-running reuses the dataset, the feature cache and unchanged trained steps (content-hash cache).
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { parseArgs } = require('util');
const sample = require('./workbench-sample');

const root = path.resolve(__dirname, '..');
const { values: a } = parseArgs({
  options: {
    workspace: { type: 'string', default: path.join(root, 'samples', 'generated', 'demo') },
    preset: { type: 'string', default: sample.PRESET },
    epochs: { type: 'string' },
  },
});
const cli = path.join(root, 'dist', 'cli.js');
const ws = path.resolve(a.workspace);
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(0);

function fail(msg) {
  console.error(`demo: ${msg}`);
  process.exit(1);
}

function run(args) {
  return new Promise(resolve => {
    const p = spawn(process.execPath, [cli, ...args], { cwd: ws, stdio: ['ignore', 'inherit', 'inherit'] });
    process.once('SIGINT', () => p.kill('SIGINT'));
    p.on('exit', code => resolve(code ?? 1));
  });
}

async function main() {
  if (!fs.existsSync(cli)) fail(`${cli} is missing: run \`npm run build\` first (npm run demo does)`);
  fs.mkdirSync(ws, { recursive: true });
  const data = path.join(ws, 'synthetic');
  const have = (() => {
    try {
      return JSON.parse(fs.readFileSync(path.join(data, 'manifest.json'), 'utf8')).preset;
    } catch {
      return undefined;
    }
  })();
  if (have !== a.preset) {
    console.log(`[${secs()} s] generating the synthetic dataset (${a.preset}) in ${data}`);
    fs.rmSync(data, { recursive: true, force: true });
    const code = await run(['simulate', '--out', data, '--seed', String(sample.SEED), '--preset', a.preset, '--quiet']);
    if (code !== 0) fail(`simulate failed (exit ${code})`);
  } else console.log(`[${secs()} s] reusing the dataset in ${data}`);

  const nbFile = path.join(ws, 'glsda.csiexp');
  const nb = JSON.parse(fs.readFileSync(sample.TEMPLATE, 'utf8'));
  if (a.epochs) {
    for (const c of nb.cells) {
      if (c.kind !== 'step') continue;
      const s = JSON.parse(c.source);
      if (s.train) {
        s.train.epochs = Number(a.epochs);
        c.source = JSON.stringify(s, null, 2);
      }
    }
  }
  fs.writeFileSync(nbFile, JSON.stringify(nb, null, 2) + '\n');
  console.log(`[${secs()} s] running ${nbFile}`);
  const before = new Set(listRuns());
  const code = await run(['run', nbFile, '--workspace', ws]);
  const runDir = listRuns()
    .filter(r => !before.has(r))
    .pop();
  if (code !== 0) fail(`the experiment failed (exit ${code})${runDir ? `; see ${path.join(runDir, 'metrics.json')}` : ''}`);
  const m = JSON.parse(fs.readFileSync(path.join(runDir, 'metrics.json'), 'utf8'));
  const env = JSON.parse(fs.readFileSync(path.join(runDir, 'environment.json'), 'utf8'));
  console.log(
    `\nTeacher vs student (${m.split ? m.split.description : 'test split'}), engine ${env.engine?.engine ?? env.engine?.backend ?? '?'}:`,
  );
  const head = ['model', 'accuracy %', 'macro-F1', 'parameters', 'size kB', 'latency ms', 'MFLOPs'];
  const rows = m.table.map(r => [
    r.model,
    (100 * r.accuracy).toFixed(1),
    r.macroF1.toFixed(3),
    String(r.params),
    (r.sizeBytes / 1024).toFixed(1),
    r.latencyMs.toFixed(2),
    (r.flops / 1e6).toFixed(2),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  const line = c => c.map((x, i) => (i ? x.padStart(w[i]) : x.padEnd(w[i]))).join('  ');
  console.log([line(head), w.map(n => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n'));
  if (m.chance !== undefined) console.log(`chance level ${(100 * m.chance).toFixed(1)} %`);
  const t = m.table.find(r => r.kind === 'teacher'),
    s = m.table.find(r => r.kind === 'student');
  if (t && s)
    console.log(
      `student: ${(t.params / s.params).toFixed(1)}× fewer parameters, ${(t.latencyMs / s.latencyMs).toFixed(1)}× lower latency, ${(100 * (s.accuracy - t.accuracy)).toFixed(1)} pt accuracy vs the teacher`,
    );
  console.log(`\nrun store: ${runDir}\ndemo finished in ${secs()} s`);
}

function listRuns() {
  const d = path.join(ws, '.csi-workbench', 'runs');
  try {
    return fs
      .readdirSync(d)
      .sort()
      .map(x => path.join(d, x));
  } catch {
    return [];
  }
}

main().catch(e => fail(e.stack || String(e)));
