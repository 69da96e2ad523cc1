#!/usr/bin/env node
// Writes the feature-ladder table (markdown) from research/results/feature-ladder.json into research/RESULTS.md
// between its <!-- feature-ladder:start --> … <!-- feature-ladder:end --> markers: per rung and classifier, the mean
// over all leave-one-out folds ('all') and the GLSDA table's held-out fold (location 5, user 3, room 3,
// orientation 5). `node research/scripts/ladder-table.js [--print]`.
'use strict';
const { writeTable } = require('./resultsPage');
const fs = require('fs');
const path = require('path');

const print = process.argv.includes('--print');
const { rungs } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'results', 'feature-ladder.json'), 'utf8'));
const FACTORS = ['location', 'user', 'room', 'orientation'];
const GLSDA = { location: 5, user: 3, room: 3, orientation: 5 };
const pct = x => (typeof x === 'number' && Number.isFinite(x) ? (100 * x).toFixed(1) : '—');
const out = [
  '| rung | change | classifier | folds | ' +
    FACTORS.map(f => `leave-${f} (mean of folds)`).join(' | ') +
    ' | ' +
    FACTORS.map(f => `${f} ${GLSDA[f]} (GLSDA fold)`).join(' | ') +
    ' |',
  '|---|---|---|---|' + FACTORS.map(() => '---').join('|') + '|' + FACTORS.map(() => '---').join('|') + '|',
];
for (const r of rungs) {
  for (const [c, res] of Object.entries(r.results)) {
    const mean = f => (r.folds === 'all' && res[f] ? pct(res[f].mean) : '—');
    const fold = f => {
      const s = res[f];
      if (!s || r.folds === 'inner') return '—';
      const i = (s.values ?? []).indexOf(GLSDA[f]);
      return i >= 0 ? pct(s.folds[i]) : '—';
    };
    const inner = f => (r.folds === 'inner' && res[f] ? pct(res[f].mean) : undefined);
    const cells =
      r.folds === 'inner'
        ? FACTORS.map(f => inner(f) ?? '—').join(' | ') + ' | ' + FACTORS.map(() => '—').join(' | ')
        : FACTORS.map(mean).join(' | ') + ' | ' + FACTORS.map(fold).join(' | ');
    out.push(
      `| ${r.id} | ${r.change} | ${c}${(r.cnnSeeds ?? [1]).length > 1 && c !== 'softmax' ? ` (${r.cnnSeeds.length} seeds)` : ''} | ${r.folds} | ${cells} |`,
    );
  }
}
writeTable('feature-ladder', out.join('\n'), out.length - 2, print);
