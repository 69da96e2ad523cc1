// Spec validation against the JSON schema: good specs pass (including the committed examples), bad ones name the
// JSON path and what was expected.
import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import * as path from 'path';
import { ExperimentError } from '../../../src/core/experiment/errors';
import { parseSpec } from '../../../src/core/experiment/spec';
import { REPO } from '../../helpers/paths';

const ok = {
  name: 'x',
  steps: [
    { id: 'd', type: 'dataset', folder: 'f' },
    { id: 'f', type: 'features', from: ['d'] },
    { id: 't', type: 'teacher', train: { epochs: 2 } },
  ],
};

describe('experiment: spec and schema', () => {
  it('accepts a valid spec and the committed example experiments', () => {
    assert.equal(parseSpec(ok).steps.length, 3);
    for (const f of fs.readdirSync(path.join(REPO, 'experiments')).filter(n => n.endsWith('.csiexp.json'))) {
      parseSpec(JSON.parse(fs.readFileSync(path.join(REPO, 'experiments', f), 'utf8')), f);
    }
  });

  const bad = (spec: unknown, re: RegExp) =>
    assert.throws(
      () => parseSpec(spec, 'e.json'),
      (e: unknown) => e instanceof ExperimentError && e.code === 'bad-spec' && re.test(e.message),
    );

  it('names the path of a wrong value, an unknown property and a missing field', () => {
    bad(
      { ...ok, steps: [ok.steps[0], ok.steps[1], { id: 't', type: 'teacher', train: { epochs: 0 } }] },
      /steps\[2\]\.train\.epochs: must be ≥ 1/,
    );
    bad({ ...ok, steps: [{ id: 'd', type: 'dataset', folder: 'f', colour: 1 }] }, /steps\[0\]: unknown property "colour"/);
    bad({ ...ok, steps: [{ id: 'd', type: 'dataset' }] }, /missing required property "folder"/);
    bad({ name: 'x', steps: [{ id: 's', type: 'student', mode: 'magic' }] }, /steps\[0\]\.mode: expected one of/);
    bad({ steps: [] }, /missing required property "name"/);
  });

  it('rejects duplicate ids and `from` pointing forward', () => {
    bad(
      {
        name: 'x',
        steps: [
          { id: 'a', type: 'dataset', folder: 'f' },
          { id: 'a', type: 'compare' },
        ],
      },
      /duplicate step id "a"/,
    );
    bad(
      {
        name: 'x',
        steps: [
          { id: 'f', type: 'features', from: ['d'] },
          { id: 'd', type: 'dataset', folder: 'f' },
        ],
      },
      /"d" is not an earlier step/,
    );
  });
});
