#!/usr/bin/env node
// npm run bench -- <name> [args…]: compile, then run out/bench/<name>.bench.js (speed and memory; writes
// bench/results/<name>.json). npm run research -- <name> [args…]: the same for research/<name>.study.ts (accuracy
// studies; writes research/results/<name>.json).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '..');
const research = process.argv[2] === '--research';
const [name, ...args] = process.argv.slice(research ? 3 : 2);
const dir = research ? 'research' : 'bench',
  suffix = research ? '.study' : '.bench';
const list = fs
  .readdirSync(path.join(root, dir))
  .filter(f => f.endsWith(`${suffix}.ts`))
  .map(f => f.slice(0, -`${suffix}.ts`.length));
if (!name || !list.includes(name)) {
  console.error(`usage: npm run ${dir} -- <name> [args]\n  ${research ? 'studies' : 'benchmarks'}: ${list.join(', ') || '(none yet)'}`);
  process.exit(2);
}
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });
if (tsc.status !== 0) console.error('tsc reported type errors; running anyway');
const r = spawnSync(process.execPath, ['--expose-gc', path.join(root, 'out', dir, `${name}${suffix}.js`), ...args], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(r.status ?? 1);
