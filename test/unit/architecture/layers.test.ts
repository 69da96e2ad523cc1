// The data flow the tree promises, checked on the source: bytes → frames → signals → features → tensors → models →
// results. A layer of src/core may import only the layers below it; src/core imports nothing of the host, worker,
// CLI or webviews; only src/extension imports `vscode`; a webview imports src/shared and webview/common, never
// another webview. Each rule is also checked to fire on a made-up violation, so the check cannot pass vacuously.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { REPO } from '../../helpers/paths';

/** What each layer of src/core may import (besides itself and node/npm packages). */
export const CORE_LAYERS: Record<string, readonly string[]> = {
  formats: [],
  engine: [],
  dsp: ['formats'],
  data: ['formats'],
  live: ['formats', 'dsp'],
  sim: ['formats', 'dsp', 'data'],
  semantics: ['data'],
  features: ['formats', 'dsp', 'data', 'engine'],
  model: ['formats', 'dsp', 'data', 'engine', 'features', 'semantics'],
  experiment: ['formats', 'dsp', 'data', 'engine', 'features', 'semantics', 'model', 'sim'],
};

const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;

export function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT_RE)].map(m => m[2]);
}

/** Where a repo-relative file sits: ['core', layer], ['extension'], ['webview', name], … */
function placeOf(rel: string): string[] {
  const p = rel.split('/');
  if (p[0] === 'src' && p[1] === 'core') return ['core', p[2]];
  if (p[0] === 'src') return [p[1]];
  if (p[0] === 'webview') return ['webview', p[1]];
  return [p[0]];
}

/** The rule broken by `file` (repo-relative) importing `spec`, or undefined. */
export function violation(file: string, spec: string): string | undefined {
  const from = placeOf(file);
  if (spec === 'vscode' && from[0] !== 'extension') return `${file} imports vscode (only src/extension may)`;
  if (!spec.startsWith('.')) return undefined;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
  const to = placeOf(target);
  if (from[0] === 'core') {
    if (to[0] !== 'core') return `${file} (src/core) imports ${target}, outside src/core`;
    if (to[1] === from[1]) return undefined;
    const allowed = CORE_LAYERS[from[1]];
    if (!allowed) return `${file}: src/core/${from[1]} is not a known layer (add it to CORE_LAYERS with its README)`;
    if (!allowed.includes(to[1])) return `${file} (${from[1]}) imports ${target} (${to[1]}), which ${from[1]} may not import`;
  }
  if (from[0] === 'shared' && !['shared', 'core'].includes(to[0])) return `${file} (src/shared) imports ${target}`;
  if (from[0] === 'webview') {
    if (to[0] === 'webview' && to[1] !== from[1] && to[1] !== 'common')
      return `${file} imports another webview's ${target} (shared code goes in webview/common)`;
    if (to[0] !== 'webview' && to[0] !== 'shared')
      return `${file} (webview) imports ${target}; webviews import only src/shared and webview/common`;
  }
  return undefined;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(path.join(REPO, d), { withFileTypes: true })) {
      const rel = `${d}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts')) out.push(rel);
    }
  };
  walk(dir);
  return out;
}

describe('architecture: layers import only downwards', () => {
  it('fires on made-up violations of every rule', () => {
    assert.match(violation('src/core/formats/esp32/reader.ts', '../../dsp/phase') ?? '', /formats.*may not import/);
    assert.match(violation('src/core/features/params.ts', '../model/errors') ?? '', /features.*may not import/);
    assert.match(violation('src/core/model/nets/teacher.ts', '../../experiment/spec') ?? '', /model.*may not import/);
    assert.match(violation('src/core/sim/dataset.ts', '../model/train') ?? '', /sim.*may not import/);
    assert.match(violation('src/core/dsp/doppler.ts', '../../worker/taskContext') ?? '', /outside src\/core/);
    assert.match(violation('src/core/dsp/doppler.ts', 'vscode') ?? '', /only src\/extension/);
    assert.match(violation('webview/compare/main.ts', '../editor/theme') ?? '', /another webview/);
    assert.equal(violation('src/core/model/train/train.ts', '../../features/tensorDataset'), undefined);
    assert.equal(violation('src/extension/extension.ts', 'vscode'), undefined);
    assert.equal(violation('webview/compare/main.ts', '../common/theme'), undefined);
    assert.deepEqual(
      importsOf("import type { A } from './a';\nconst b = require('../b');\nexport * from \"./c\";\nimport './d';\nawait import('../e');"),
      ['./a', '../b', './c', './d', '../e'],
    );
  });

  it('every src/core layer is known and has a README naming what it owns and may import', () => {
    for (const d of fs.readdirSync(path.join(REPO, 'src', 'core'), { withFileTypes: true }).filter(e => e.isDirectory())) {
      assert.ok(CORE_LAYERS[d.name], `src/core/${d.name} is not in CORE_LAYERS`);
      assert.ok(fs.existsSync(path.join(REPO, 'src', 'core', d.name, 'README.md')), `src/core/${d.name}/README.md is missing`);
    }
  });

  it('no source file breaks a rule', () => {
    const broken: string[] = [];
    for (const f of [...sources('src'), ...sources('webview')]) {
      for (const spec of importsOf(fs.readFileSync(path.join(REPO, f), 'utf8'))) {
        const v = violation(f, spec);
        if (v) broken.push(v);
      }
    }
    assert.deepEqual(broken, []);
  });
});
