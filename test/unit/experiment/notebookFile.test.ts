import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import {
  NOTEBOOK_FORMAT,
  NotebookFormatError,
  notebookSteps,
  notebookToSpec,
  parseNotebook,
  parseStepCell,
  stepCellProblems,
  RESULT_MIME,
  serializeNotebook,
  type ExperimentNotebook,
} from '../../../src/core/experiment/notebookFile';
import { EXPERIMENT_SCHEMA, parseSpec } from '../../../src/core/experiment/spec';
import { checkSchema } from '../../../src/core/experiment/schemaCheck';
import { REPO } from '../../helpers/paths';

const nb = (cells: ExperimentNotebook['cells']): ExperimentNotebook => ({ format: NOTEBOOK_FORMAT, metadata: {}, cells });
const step = (o: Record<string, unknown>) => ({ kind: 'step' as const, source: JSON.stringify(o, null, 2), outputs: [] });

describe('experiment notebook file', () => {
  it('round-trips cells, outputs (as JSON, not base64) and execution info', () => {
    const src = nb([
      { kind: 'markdown', source: '# Title\nsome *text*' },
      {
        kind: 'step',
        source: '{ "step": "teacher", "epochs": 2 }',
        outputs: [[{ mime: RESULT_MIME, data: { table: [[1, 2]] } }]],
        execution: { success: true, executionOrder: 3 },
      },
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
    assert.throws(
      () => parseNotebook(text, 'bad.csiexp'),
      (e: unknown) =>
        e instanceof NotebookFormatError &&
        e.file === 'bad.csiexp' &&
        e.offset === text.indexOf('x') &&
        /bad\.csiexp: at character 12/.test(e.message),
    );
    const text2 = '{\n  "format": "a",\n  "cells": [1,,2]\n}';
    assert.throws(
      () => parseNotebook(text2, 'b'),
      (e: unknown) => e instanceof NotebookFormatError && e.offset === text2.indexOf(',,') + 1,
    );
  });

  it('rejects a wrong format tag, a non-array cells and an unknown cell kind, naming the cell', () => {
    assert.throws(() => parseNotebook('{"format":"ipynb","cells":[]}', 'f'), /expected "format": "csi-workbench\/experiment-notebook@1"/);
    assert.throws(() => parseNotebook(`{"format":"${NOTEBOOK_FORMAT}","cells":{}}`, 'f'), /"cells" to be an array/);
    assert.throws(
      () => parseNotebook(`{"format":"${NOTEBOOK_FORMAT}","cells":[{"kind":"markdown","source":""},{"kind":"code","source":""}]}`, 'f'),
      (e: unknown) => e instanceof NotebookFormatError && e.file === 'f cell 2' && /"kind" "markdown" or "step"/.test(e.message),
    );
    assert.throws(
      () => parseNotebook(`{"format":"${NOTEBOOK_FORMAT}","cells":[{"kind":"step","source":"{}","outputs":[{}]}]}`, 'f'),
      /f cell 1 output 0/,
    );
  });

  it('parses a step cell and points at the "type" key when its type is unknown', () => {
    assert.deepEqual(parseStepCell('{"id":"d","type":"dataset","folder":"synthetic"}', 'c'), {
      id: 'd',
      type: 'dataset',
      folder: 'synthetic',
    });
    const src = '{\n  "id": "t",\n  "type": "teachr"\n}';
    assert.throws(
      () => parseStepCell(src, 'exp cell 4'),
      (e: unknown) =>
        e instanceof NotebookFormatError &&
        e.file === 'exp cell 4' &&
        e.offset === src.indexOf('"type"') &&
        /one of dataset, features, prior, teacher, student, evaluate, compare/.test(e.message),
    );
    assert.throws(() => parseStepCell('{"type":"teacher"}', 'c'), /"id": a non-empty string/);
    assert.throws(() => parseStepCell('[1]', 'c'), /a JSON object/);
  });

  it('rejects a step id used twice, naming both cells', () => {
    const n = nb([step({ id: 't', type: 'teacher' }), { kind: 'markdown', source: '' }, step({ id: 't', type: 'student' })]);
    assert.throws(() => notebookSteps(n, 'e'), /e cell 3: .*cell 1 is "t" already/);
  });

  describe('notebook → experiment spec', () => {
    const cells = nb([
      { kind: 'markdown', source: '# x' },
      step({ id: 'data', type: 'dataset', folder: 'synthetic' }),
      step({ id: 'features', type: 'features' }),
      step({ id: 'teacher', type: 'teacher', semantic: false, train: { epochs: 1 } }),
      step({ id: 'student', type: 'student', train: { epochs: 1 } }),
    ]);

    it('takes every step in cell order; name from the file, seed from metadata', () => {
      const spec = notebookToSpec({ ...cells, metadata: { seed: 7 } }, '/a/b/my-exp.csiexp');
      assert.equal(spec.name, 'my-exp');
      assert.equal(spec.seed, 7);
      assert.deepEqual(
        spec.steps.map(s => s.id),
        ['data', 'features', 'teacher', 'student'],
      );
      assert.doesNotThrow(() => parseSpec(spec), 'the result is a valid experiment spec');
    });

    it('running a cell runs the steps up to that cell only', () => {
      assert.deepEqual(
        notebookToSpec(cells, 'x.csiexp', 3).steps.map(s => s.id),
        ['data', 'features', 'teacher'],
      );
    });
  });

  it('the bundled templates are valid experiment specs with a teacher, a student, evaluate and compare', () => {
    const dir = path.join(REPO, 'experiments', 'templates');
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.csiexp'));
    assert.ok(files.length >= 1, 'at least one template');
    for (const f of files) {
      const spec = notebookToSpec(parseNotebook(fs.readFileSync(path.join(dir, f), 'utf8'), f), f);
      assert.doesNotThrow(() => parseSpec(spec, f));
      const types = spec.steps.map(s => s.type);
      for (const k of ['dataset', 'features', 'prior', 'teacher', 'student', 'evaluate', 'compare'])
        assert.ok(types.includes(k as never), `${f} has a ${k} step`);
    }
  });

  describe('step cell problems (editor diagnostics)', () => {
    const problems = (src: string) => stepCellProblems(src, EXPERIMENT_SCHEMA, checkSchema);
    it('a valid step has none', () => {
      assert.deepEqual(problems('{ "id": "t", "type": "teacher", "train": { "epochs": 3 } }'), []);
    });
    it('an unknown key is underlined where it is written', () => {
      const src = '{\n  "id": "c",\n  "type": "compare",\n  "bogus": 1\n}';
      const p = problems(src);
      assert.equal(p.length, 1);
      assert.match(p[0].message, /unknown property "bogus"/);
      assert.equal(src.slice(p[0].offset, p[0].offset + p[0].length), '"bogus"');
    });
    it('a bad nested value points at its key', () => {
      const src = '{ "id": "t", "type": "teacher", "train": { "epochs": 0 } }';
      const p = problems(src);
      assert.ok(
        p.some(x => /epochs: must be ≥ 1/.test(x.message) && src.slice(x.offset, x.offset + x.length) === '"epochs"'),
        JSON.stringify(p),
      );
    });
    it('broken JSON gives the parse position', () => {
      const p = problems('{ "id": "t", "type": }');
      assert.equal(p.length, 1);
      assert.equal(p[0].offset, '{ "id": "t", "type": '.length);
    });
  });
});
