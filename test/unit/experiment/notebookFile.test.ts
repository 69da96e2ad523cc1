import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import {
  canonicalJson, NOTEBOOK_FORMAT, NotebookFormatError, notebookSteps, notebookToSpec, parseNotebook, parseStepCell,
  RESULT_MIME, serializeNotebook, stepKey, type ExperimentNotebook, type ExperimentStep,
} from '../../../src/core/experiment/notebookFile';
import { REPO } from '../../helpers/paths';

const nb = (cells: ExperimentNotebook['cells']): ExperimentNotebook => ({ format: NOTEBOOK_FORMAT, metadata: {}, cells });
const step = (o: Record<string, unknown>) => ({ kind: 'step' as const, source: JSON.stringify(o, null, 2), outputs: [] });

describe('experiment notebook file', () => {
  it('round-trips cells, outputs (as JSON, not base64) and execution info', () => {
    const src = nb([
      { kind: 'markdown', source: '# Title\nsome *text*' },
      { kind: 'step', source: '{ "step": "teacher", "epochs": 2 }', outputs: [[{ mime: RESULT_MIME, data: { table: [[1, 2]] } }]],
        execution: { success: true, executionOrder: 3 } },
      { kind: 'step', source: '{ "step": "stud', outputs: [] }, // half-typed source must survive a save
    ]);
    const text = serializeNotebook(src);
    assert.ok(text.includes('"table"'), 'output data is stored as readable JSON');
    assert.deepEqual(parseNotebook(text, 'x.csiexp'), src);
    assert.equal(serializeNotebook(parseNotebook(text)), text, 'save of an unchanged notebook is byte-identical');
  });

  it('reads an empty file as an empty notebook', () => {
    assert.deepEqual(parseNotebook('  \n').cells, []);
  });

  it('names the file and the offset on bad JSON', () => {
    const text = '{ "format": x }';
    assert.throws(() => parseNotebook(text, 'bad.csiexp'), (e: unknown) =>
      e instanceof NotebookFormatError && e.file === 'bad.csiexp' && e.offset === text.indexOf('x') && /bad\.csiexp: at character 12/.test(e.message));
    const text2 = '{\n  "format": "a",\n  "cells": [1,,2]\n}';
    assert.throws(() => parseNotebook(text2, 'b'), (e: unknown) => e instanceof NotebookFormatError && e.offset === text2.indexOf(',,') + 1);
  });

  it('rejects a wrong format tag, a non-array cells and an unknown cell kind, naming the cell', () => {
    assert.throws(() => parseNotebook('{"format":"ipynb","cells":[]}', 'f'), /expected "format": "csi-workbench\/experiment-notebook@1"/);
    assert.throws(() => parseNotebook(`{"format":"${NOTEBOOK_FORMAT}","cells":{}}`, 'f'), /"cells" to be an array/);
    assert.throws(() => parseNotebook(`{"format":"${NOTEBOOK_FORMAT}","cells":[{"kind":"markdown","source":""},{"kind":"code","source":""}]}`, 'f'),
      (e: unknown) => e instanceof NotebookFormatError && e.file === 'f cell 2' && /"kind" "markdown" or "step"/.test(e.message));
    assert.throws(() => parseNotebook(`{"format":"${NOTEBOOK_FORMAT}","cells":[{"kind":"step","source":"{}","outputs":[{}]}]}`, 'f'),
      /f cell 1 output 0/);
  });

  it('parses a step cell and points at the "step" key when its kind is unknown', () => {
    assert.deepEqual(parseStepCell('{"step":"dataset","folder":"synthetic"}', 'c'), { step: 'dataset', folder: 'synthetic' });
    const src = '{\n  "epochs": 1,\n  "step": "teachr"\n}';
    assert.throws(() => parseStepCell(src, 'exp cell 4'), (e: unknown) =>
      e instanceof NotebookFormatError && e.offset === src.indexOf('"step"') && /one of dataset, features, prior, teacher, student, evaluate, compare/.test(e.message));
    assert.throws(() => parseStepCell('[1]', 'c'), /a JSON object/);
  });

  it('rejects two steps of one kind, naming both cells', () => {
    const n = nb([step({ step: 'teacher' }), { kind: 'markdown', source: '' }, step({ step: 'teacher', epochs: 3 })]);
    assert.throws(() => notebookSteps(n, 'e'), /e cell 3: .*cell 1 has one already/);
  });

  it('canonical JSON ignores key order at every level but not array order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [2, 1], c: null } }), canonicalJson({ a: { c: null, d: [2, 1] }, b: 1 }));
    assert.notEqual(canonicalJson({ d: [1, 2] }), canonicalJson({ d: [2, 1] }));
  });

  describe('step keys (what the cache is addressed by)', () => {
    const base: ExperimentStep[] = [
      { step: 'dataset', folder: 'synthetic', split: 'leave-one-user-out' },
      { step: 'features', timeSteps: 64 },
      { step: 'teacher', epochs: 2 },
      { step: 'student', epochs: 2, temperature: 4 },
      { step: 'evaluate' },
    ];
    const keys = (s: ExperimentStep[]) => Object.fromEntries(s.map(x => [x.step, stepKey(s, x.step)]));
    const edit = (kind: string, patch: Record<string, unknown>) => base.map(s => s.step === kind ? { ...s, ...patch } : s);

    it('editing the student leaves the dataset, features and teacher keys alone and changes student and evaluate', () => {
      const a = keys(base), b = keys(edit('student', { temperature: 2 }));
      for (const k of ['dataset', 'features', 'teacher']) assert.equal(a[k], b[k], k);
      for (const k of ['student', 'evaluate']) assert.notEqual(a[k], b[k], k);
    });

    it('editing the dataset changes every key', () => {
      const a = keys(base), b = keys(edit('dataset', { split: 'random' }));
      for (const s of base) assert.notEqual(a[s.step], b[s.step], s.step);
    });

    it('does not depend on cell order or key order', () => {
      const shuffled = [base[3], base[0], base[4], base[2], base[1]].map(s => Object.fromEntries(Object.entries(s).reverse()) as ExperimentStep);
      assert.deepEqual(keys(shuffled), keys(base));
    });
  });

  it('builds one spec object from the steps', () => {
    assert.deepEqual(notebookToSpec([{ step: 'dataset', folder: 'x' }, { step: 'teacher', epochs: 1 }]),
      { dataset: { folder: 'x' }, teacher: { epochs: 1 } });
  });

  it('the bundled templates parse and have valid steps', () => {
    const dir = path.join(REPO, 'experiments', 'templates');
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => f.endsWith('.csiexp')) : [];
    assert.ok(files.length >= 1, 'at least one template');
    for (const f of files) {
      const n = parseNotebook(fs.readFileSync(path.join(dir, f), 'utf8'), f);
      const steps = notebookSteps(n, f).map(s => s.step.step);
      for (const k of ['dataset', 'teacher', 'student', 'evaluate']) assert.ok(steps.includes(k as never), `${f} has a ${k} step`);
    }
  });
});
