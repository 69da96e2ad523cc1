#!/usr/bin/env node
// Writes the GLSDA results table (with the pooled-DFS CNN and softmax baseline columns, and the teacher's and the
// student's paired differences to the pooled-DFS CNN) (markdown) from research/results/glsda.json, with the amplitude-statistics
// ridge from research/results/simple-baselines.json beside it (the "simple baseline"; the same split's test
// set; "-doppler-inputs" rows share their split's value) into research/RESULTS.md between its table markers, so no
// page carries hand-copied numbers: `node research/scripts/glsda-table.js [glsda.json] [--print]`.
'use strict';
const { writeTable } = require('./resultsPage');
const fs = require('fs');
const path = require('path');

const argv = process.argv.slice(2),
  print = argv.includes('--print');
const file = argv.find(a => !a.startsWith('--')) ?? path.join(__dirname, '..', 'results', 'glsda.json');
const { results } = JSON.parse(fs.readFileSync(file, 'utf8'));
const simpleFile = path.join(__dirname, '..', 'results', 'simple-baselines.json');
const simple = fs.existsSync(simpleFile) ? JSON.parse(fs.readFileSync(simpleFile, 'utf8')).results : [];
const statsRidge = r => {
  const s = simple.find(x => x.dataset === r.dataset && x.split === r.split.replace(/-(doppler|both)-inputs$/, ''));
  return s ? s.amplitudeStatisticsRidge : undefined;
};
const cols = [
  ['teacher', 'teacher (GLSDA)'],
  ['student', 'student (dual distillation)'],
  ['student-feature-only', 'student, features only'],
  ['ce-baseline', 'CE baseline'],
  ['ce-baseline-mixup', 'CE + mixup'],
  ['teacher-no-semantics', 'teacher w/o semantics'],
  ['student-from-no-semantics', 'student of teacher w/o semantics'],
  ['teacher-uniform-smoothing', 'uniform smoothing'],
  ['teacher-shuffled-prior', 'shuffled prior'],
  // The simulator calibration's pooled-DFS baselines (issue 22), same split and test set; '—' where a dataset has none.
  ['pooled-dfs-cnn', 'pooled-DFS CNN'],
  ['pooled-dfs-softmax', 'pooled-DFS softmax'],
];
const pct = x => (typeof x === 'number' && Number.isFinite(x) ? (100 * x).toFixed(1) : '—');
// Mean over seeds ± their standard deviation (results from one seed carry no ±).
const cell = row =>
  !row ? '—' : row.accuracyPerSeed && row.accuracyPerSeed.length > 1 ? `${pct(row.accuracy)} ± ${pct(row.accuracySd)}` : pct(row.accuracy);
// A paired (same run seed) difference of two models' accuracies: mean, and on how many seeds the first was ahead.
const diff = (r, a, b) => {
  const x = r.rows.find(m => m.model === a),
    y = r.rows.find(m => m.model === b);
  if (!x || !y) return '—';
  const xa = x.accuracyPerSeed ?? [x.accuracy],
    ya = y.accuracyPerSeed ?? [y.accuracy];
  const d = xa.map((v, i) => v - ya[i]),
    mean = d.reduce((s, v) => s + v, 0) / d.length;
  return `${mean >= 0 ? '+' : ''}${pct(mean)} (${d.filter(v => v > 0).length}/${d.length})`;
};
const diffs = [
  ['student', 'ce-baseline', 'student − CE'],
  ['student-feature-only', 'ce-baseline', 'features only − CE'],
  ['teacher', 'student-feature-only', 'teacher − features only'],
  ['student-feature-only', 'student-from-no-semantics', 'features only − its w/o-semantics twin'],
  ['teacher', 'pooled-dfs-cnn', 'teacher − pooled-DFS CNN'],
  ['student', 'pooled-dfs-cnn', 'student − pooled-DFS CNN'],
];
const order = ['wiar', 'fition', 'sim'];
// Dataset, then in-domain splits before leave-outs, then by name (so folds added by a later bench run sort in).
const splitKey = r => `${r.split.startsWith('leave-') ? 1 : 0}${r.split}`;
const rows = [...results].sort(
  (a, b) => order.indexOf(a.dataset) - order.indexOf(b.dataset) || (splitKey(a) < splitKey(b) ? -1 : splitKey(a) > splitKey(b) ? 1 : 0),
);
const out = [
  `| dataset / split | train/test | seeds | chance | ridge, amplitude statistics | ridge, feature statistics | ${cols.map(c => c[1]).join(' | ')} | ${diffs.map(d => d[2]).join(' | ')} |`,
  `|---|---|---|---|---|---|${cols.map(() => '---').join('|')}|${diffs.map(() => '---').join('|')}|`,
];
for (const r of rows) {
  const acc = id => cell(r.rows.find(x => x.model === id));
  out.push(
    `| ${r.dataset} ${r.split} | ${r.sizes.train}/${r.sizes.test} | ${(r.seeds ?? [1]).length} | ${pct(r.chance)} | ${pct(statsRidge(r))} | ${pct(r.ridgeBaseline)} | ${cols.map(c => acc(c[0])).join(' | ')} | ${diffs.map(d => diff(r, d[0], d[1])).join(' | ')} |`,
  );
}
writeTable('glsda-table', out.join('\n'), rows.length, print);
