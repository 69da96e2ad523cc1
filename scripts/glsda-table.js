#!/usr/bin/env node
// Prints the README's GLSDA results table (markdown) from bench/results/glsda.json, so the README never carries
// hand-copied numbers: `node scripts/glsda-table.js`.
'use strict';
const fs = require('fs');
const path = require('path');

const file = process.argv[2] ?? path.join(__dirname, '..', 'bench', 'results', 'glsda.json');
const { results } = JSON.parse(fs.readFileSync(file, 'utf8'));
const cols = [
  ['teacher', 'teacher (GLSDA)'], ['student', 'student (dual distillation)'], ['student-feature-only', 'student, features only'], ['ce-baseline', 'CE baseline'],
  ['ce-baseline-mixup', 'CE + mixup'], ['teacher-no-semantics', 'teacher w/o semantics'],
  ['teacher-uniform-smoothing', 'uniform smoothing'], ['teacher-shuffled-prior', 'shuffled prior'],
];
const pct = x => (typeof x === 'number' && Number.isFinite(x) ? (100 * x).toFixed(1) : '—');
// Mean over seeds ± their standard deviation (results from one seed carry no ±).
const cell = row => !row ? '—' : row.accuracyPerSeed && row.accuracyPerSeed.length > 1 ? `${pct(row.accuracy)} ± ${pct(row.accuracySd)}` : pct(row.accuracy);
// A paired per-seed difference: mean, and how many seeds it won of all.
const diff = p => !p ? '—' : `${p.mean >= 0 ? '+' : ''}${pct(p.mean)} (${p.wins}/${p.perSeed.length})`;
const order = ['wiar', 'fition', 'sim'];
const rows = [...results].sort((a, b) => order.indexOf(a.dataset) - order.indexOf(b.dataset));
const out = [
  `| dataset / split | train/test | seeds | chance | ridge | ${cols.map(c => c[1]).join(' | ')} | student − CE | teacher − student |`,
  `|---|---|---|---|---|${cols.map(() => '---').join('|')}|---|---|`,
];
for (const r of rows) {
  const acc = id => cell(r.rows.find(x => x.model === id));
  const paired = r.paired ?? {};
  out.push(`| ${r.dataset} ${r.split} | ${r.sizes.train}/${r.sizes.test} | ${(r.seeds ?? [1]).length} | ${pct(r.chance)} | ${pct(r.ridgeBaseline)} | ${cols.map(c => acc(c[0])).join(' | ')} | ${diff(paired['student - ce-baseline'])} | ${diff(paired['teacher - student'])} |`);
}
console.log(out.join('\n'));
