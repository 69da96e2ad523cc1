#!/usr/bin/env node
// Does the semantic prior describe which classes the sensor confuses? For every split of the GLSDA benchmark, the
// rank correlation (Spearman) between the prior's class similarities S_ij (i < j) and how often a model that never
// saw the prior (the teacher without semantics) confuses the two classes on the test set, (c_ij + c_ji) / (n_i + n_j),
// summed over the split's seeds. A prior whose similarities track the sensor's confusions has something to teach
// through soft labels; one that does not can only act as label smoothing. The p-value is a one-sided Mantel test
// (src/core/experiment/rankCorrelation.ts), 9,999 seeded class relabellings.
//   node research/scripts/glsda-prior-check.js [research/results/glsda.json] [workspace]   → research/results/glsda-prior.json
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..', '..');
const file = process.argv[2] ?? path.join(root, 'research', 'results', 'glsda.json');
const workspace = process.argv[3] ?? path.join(root, 'bench', 'tmp', 'glsda');
const MODEL = 'teacher-no-semantics';
const fail = msg => {
  console.error(`glsda-prior-check: ${msg}`);
  process.exit(2);
};
/** A JSON file, or a one-line error naming it and what was wrong. */
function readJson(f, what) {
  let text;
  try {
    text = fs.readFileSync(f, 'utf8');
  } catch (e) {
    fail(`cannot read the ${what} ${f}: ${e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(`the ${what} ${f} is not valid JSON: ${e.message}`);
  }
}
// The statistics live in src (unit-tested); this script reads their compiled form.
const compiled = path.join(root, 'out', 'src', 'core', 'experiment', 'rankCorrelation.js');
if (!fs.existsSync(compiled)) fail(`${compiled} is missing: compile first (npm run compile-tests)`);
const { mantelTest } = require(compiled);

const { results } = readJson(file, 'benchmark results');
if (!Array.isArray(results)) fail(`${file} has no "results" list: is it research/results/glsda.json?`);
const out = [];
for (const r of results) {
  let sim, classes, conf;
  for (const run of r.runs ?? []) {
    const dir = path.join(workspace, '.csi-workbench', 'runs', run.runId);
    if (!fs.existsSync(dir)) continue;
    const prior = readJson(path.join(dir, 'artifacts', 'prior.prior.json'), 'run prior');
    const ev = readJson(path.join(dir, 'metrics.json'), 'run metrics').evaluations?.[MODEL];
    if (!ev) continue;
    if (classes && prior.classes.join('\u0000') !== classes.join('\u0000')) fail(`${dir}: its classes differ from the split's other runs`);
    sim = prior.similarity;
    classes = prior.classes;
    conf = conf ? conf.map((row, i) => row.map((v, j) => v + ev.confusion[i][j])) : ev.confusion.map(row => row.slice());
  }
  if (!conf) {
    console.warn(`${r.dataset} ${r.split}: no runs of ${MODEL} found under ${workspace}`);
    continue;
  }
  const C = classes.length,
    c = [],
    pairs = [];
  const n = conf.map(row => row.reduce((a, v) => a + v, 0));
  for (let i = 0; i < C; i++)
    for (let j = i + 1; j < C; j++) {
      c.push((conf[i][j] + conf[j][i]) / Math.max(1, n[i] + n[j]));
      pairs.push({ a: classes[i], b: classes[j], similarity: +sim[i][j].toFixed(3), confusion: +c[c.length - 1].toFixed(3) });
    }
  const top = key =>
    [...pairs]
      .sort((x, y) => y[key] - x[key])
      .slice(0, 3)
      .map(p => `${p.a} / ${p.b}`);
  const m = mantelTest(sim, c, 9999, `${r.dataset}/${r.split}`);
  const row = {
    dataset: r.dataset,
    split: r.split,
    model: MODEL,
    seeds: (r.runs ?? []).length,
    pairs: pairs.length,
    spearman: +m.rho.toFixed(3),
    mantelP: +m.pValue.toFixed(4),
    mostSimilar: top('similarity'),
    mostConfused: top('confusion'),
  };
  out.push(row);
  console.log(
    `${r.dataset} ${r.split}: Spearman(similarity, confusion) = ${row.spearman} (Mantel p = ${row.mantelP}) over ${row.pairs} class pairs; most similar ${row.mostSimilar.join(', ')}; most confused ${row.mostConfused.join(', ')}`,
  );
}
const target = path.join(root, 'research', 'results', 'glsda-prior.json');
fs.writeFileSync(
  target,
  JSON.stringify(
    { benchmark: 'glsda-prior', source: path.relative(root, file), model: MODEL, date: new Date().toISOString(), results: out },
    null,
    1,
  ) + '\n',
);
console.log(`wrote ${path.relative(root, target)}`);
