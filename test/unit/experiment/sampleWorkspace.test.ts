// The sample workspace of `npm run workbench` / `npm run demo` (scripts/workbench-sample.js): its simulator preset
// must give the bundled notebook's dataset step a split with train and test samples of every gesture (the 'small'
// preset's 9 recordings failed at once: "9 train / 0 test"), and preparing the workspace must bring an unedited
// copy of an earlier template up to date while keeping a user's edits.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { notebookToSpec, parseNotebook } from '../../../src/core/experiment/notebookFile';
import type { DatasetIndex } from '../../../src/core/data/sample';
import { randomSplit } from '../../../src/core/data/splits';
import { enumerateSamples, PRESETS, type SimPreset } from '../../../src/core/sim/dataset';
import { REPO } from '../../helpers/paths';

const sample = require(path.join(REPO, 'scripts', 'workbench-sample.js')) as {
  PRESET: SimPreset;
  SEED: number;
  TEMPLATE: string;
  EARLIER_TEMPLATES: string[];
};
const steps = require(path.join(REPO, 'scripts', 'workbench-steps.js')) as ((o: {
  root: string;
  ws: string;
  sh: () => void;
}) => Promise<void>)[];

function presetIndex(preset: SimPreset): DatasetIndex {
  const specs = enumerateSamples(PRESETS[preset]);
  const classes = [...new Set(specs.map(s => s.gesture))].sort((a, b) => a - b).map(String);
  return {
    root: '/sim',
    layout: 'simulator',
    classes,
    diagnostics: [],
    labelSource: 'manifest.csv',
    samples: specs.map(s => ({
      id: `user${s.user}-${s.gesture}-${s.location}-${s.orientation}-${s.repetition}`,
      files: [],
      receivers: [],
      label: classes.indexOf(String(s.gesture)),
      className: String(s.gesture),
      domain: { user: String(s.user), room: String(s.room), location: String(s.location), orientation: String(s.orientation) },
    })),
  };
}

describe('sample workspace (npm run workbench / npm run demo)', () => {
  it("the preset gives the bundled notebook's split train and test samples of every class", () => {
    const spec = notebookToSpec(parseNotebook(fs.readFileSync(sample.TEMPLATE, 'utf8')), 'glsda.csiexp');
    const ds = spec.steps.find(s => s.type === 'dataset') as { split?: { val?: number; test?: number } } | undefined;
    assert.ok(ds, 'the notebook has a dataset step');
    const index = presetIndex(sample.PRESET);
    const split = randomSplit(index, { seed: spec.seed ?? 1, val: ds.split?.val, test: ds.split?.test });
    const label = new Map(index.samples.map(s => [s.id, s.label]));
    for (const part of ['train', 'test'] as const) {
      const have = new Set(split[part].map(id => label.get(id)));
      assert.equal(have.size, index.classes.length, `${part} holds every class (${split[part].length} samples)`);
    }
    assert.ok(split.test.length >= 3 * index.classes.length, `at least 3 test samples per class (${split.test.length})`);
  });

  it('replaces an unedited copy of an earlier template and keeps an edited one', async () => {
    const notebookStep = steps[steps.length - 1];
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'csiwb-sample-'));
    try {
      const nb = path.join(ws, 'glsda.csiexp');
      const { execFileSync } = await import('child_process');
      // The version of the template the 9-recording workbench shipped (a copy a user never edited).
      const old = execFileSync('git', ['show', 'ed6d853:experiments/templates/glsda.csiexp'], { cwd: REPO });
      fs.writeFileSync(nb, old);
      await notebookStep({ root: REPO, ws, sh: () => undefined });
      assert.equal(fs.readFileSync(nb, 'utf8'), fs.readFileSync(sample.TEMPLATE, 'utf8'), 'the old copy is replaced');
      fs.writeFileSync(nb, old.toString().replace('# GLSDA experiment', '# GLSDA experiment, mine'));
      await notebookStep({ root: REPO, ws, sh: () => undefined });
      assert.match(fs.readFileSync(nb, 'utf8'), /GLSDA experiment, mine/, 'an edited notebook is kept');
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });
});
