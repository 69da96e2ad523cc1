// The worker's comparison task reads both runs' stored per-sample predictions and reports agreement, the
// correct/incorrect contingency and McNemar's test (a constructed run store with known counts); runs without
// predictions keep agreement null; a damaged predictions file is a typed error naming the file.
import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { experimentCompare } from '../../../src/worker/tasks/experimentCompare';
import { PAIRED_EXPECTED, writePairedRunStore } from '../../helpers/pairedRunStore';

describe('experiment: comparison task with stored predictions', () => {
  let root: string;
  let runs: { runA: string; runB: string };
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'paired-'));
    runs = writePairedRunStore(root);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('compares two runs sample by sample', async () => {
    const v = await experimentCompare({ a: { runDir: runs.runA, model: 'teacher' }, b: { runDir: runs.runB, model: 'student' } });
    const p = v.paired!;
    assert.deepEqual(
      { n: p.n, bothRight: p.bothRight, onlyA: p.onlyA, onlyB: p.onlyB, bothWrong: p.bothWrong },
      {
        n: PAIRED_EXPECTED.n,
        bothRight: PAIRED_EXPECTED.bothRight,
        onlyA: PAIRED_EXPECTED.onlyA,
        onlyB: PAIRED_EXPECTED.onlyB,
        bothWrong: PAIRED_EXPECTED.bothWrong,
      },
    );
    assert.ok(Math.abs(v.agreement! - PAIRED_EXPECTED.agreement) < 1e-12);
    assert.equal(p.mcnemar.method, 'exact-binomial');
    assert.ok(Math.abs(p.mcnemar.pValue - PAIRED_EXPECTED.pValue) < 1e-12);
    // The contingency's margins are the two stored accuracies.
    assert.equal((p.bothRight + p.onlyA) / p.n, v.a.accuracy[Object.keys(v.a.accuracy)[0]]);
    assert.equal((p.bothRight + p.onlyB) / p.n, v.b.accuracy[Object.keys(v.b.accuracy)[0]]);
  });

  it('without stored predictions agreement stays null', async () => {
    fs.rmSync(path.join(runs.runB, 'predictions'), { recursive: true });
    const v = await experimentCompare({ a: { runDir: runs.runA, model: 'teacher' }, b: { runDir: runs.runB, model: 'student' } });
    assert.equal(v.paired, null);
    assert.equal(v.agreement, null);
  });

  it('a damaged predictions file is a typed error naming it', async () => {
    const f = path.join(runs.runB, 'predictions', 'student.csv');
    fs.writeFileSync(f, 'sample,true,predicted,top_probability\nx,push\n');
    await assert.rejects(
      experimentCompare({ a: { runDir: runs.runA, model: 'teacher' }, b: { runDir: runs.runB, model: 'student' } }),
      (e: Error & { code?: string }) =>
        e.code === 'bad-input' && e.message.includes(f) && /expected 4 fields in the record at byte 38/.test(e.message),
    );
  });
});
