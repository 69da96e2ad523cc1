#!/usr/bin/env node
// Prints the README's GLSDA results table (markdown) from bench/results/glsda.json, so the README never carries
// hand-copied numbers: `node scripts/glsda-table.js`.
'use strict';
const fs = require('fs');
const path = require('path');

const file = process.argv[2] ?? path.join(__dirname, '..', 'bench', 'results', 'glsda.json');
const { results } = JSON.parse(fs.readFileSync(file, 'utf8'));
const cols = [
  ['teacher', 'teacher (GLSDA)'], ['student', 'student (mixup dual KD)'], ['ce-baseline', 'CE baseline'],
  ['ce-baseline-mixup', 'CE + mixup'], ['teacher-no-semantics', 'teacher w/o semantics'],
  ['teacher-uniform-smoothing', 'uniform smoothing'], ['teacher-shuffled-prior', 'shuffled prior'],
];
const pct = x => (typeof x === 'number' && Number.isFinite(x) ? (100 * x).toFixed(1) : '—');
const order = ['wiar', 'fition', 'sim'];
const rows = [...results].sort((a, b) => order.indexOf(a.dataset) - order.indexOf(b.dataset));
const out = [
  `| dataset / split | train/test | chance | ridge | ${cols.map(c => c[1]).join(' | ')} |`,
  `|---|---|---|---|${cols.map(() => '---').join('|')}|`,
];
for (const r of rows) {
  const acc = id => pct(r.rows.find(x => x.model === id)?.accuracy);
  out.push(`| ${r.dataset} ${r.split} | ${r.sizes.train}/${r.sizes.test} | ${pct(r.chance)} | ${pct(r.ridgeBaseline)} | ${cols.map(c => acc(c[0])).join(' | ')} |`);
}
console.log(out.join('\n'));
