#!/usr/bin/env node
// npm run bench -- <name> [args…]: compile, then run out/bench/<name>.bench.js (writes bench/results/<name>.json).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '..');
const [name, ...args] = process.argv.slice(2);
const list = fs.readdirSync(path.join(root, 'bench')).filter(f => f.endsWith('.bench.ts')).map(f => f.replace(/\.bench\.ts$/, ''));
if (!name || !list.includes(name)) {
  console.error(`usage: npm run bench -- <name> [args]\n  benchmarks: ${list.join(', ') || '(none yet)'}`);
  process.exit(2);
}
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });
if (tsc.status !== 0) console.error('tsc reported type errors; running the benchmark anyway');
const r = spawnSync(process.execPath, ['--expose-gc', path.join(root, 'out', 'bench', `${name}.bench.js`), ...args], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
