import * as assert from 'node:assert/strict';
import { DataError } from '../../../src/core/data/errors';
import type { DatasetIndex, DatasetSample } from '../../../src/core/data/sample';
import { leaveOneOutFolds, leaveOutSplit, randomSplit } from '../../../src/core/data/splits';

/** Synthetic Widar-like index: classes × users × locations × orientations × reps. */
function synthetic(users: number[], classes = 3, locs = 5, oris = 5, reps = 2): DatasetIndex {
  const samples: DatasetSample[] = [];
  for (const u of users)
    for (let c = 0; c < classes; c++)
      for (let l = 1; l <= locs; l++)
        for (let o = 1; o <= oris; o++)
          for (let r = 1; r <= reps; r++) {
            samples.push({
              id: `u${u}-${c}-${l}-${o}-${r}`,
              files: [`/x/u${u}-${c}-${l}-${o}-${r}-r1.dat`],
              receivers: ['r1'],
              label: c,
              className: `g${c}`,
              domain: { user: String(u), location: String(l), orientation: String(o), repetition: String(r), room: u < 3 ? '1' : '2' },
            });
          }
  return {
    root: '/x',
    layout: 'widar',
    classes: Array.from({ length: classes }, (_, c) => `g${c}`),
    samples,
    diagnostics: [],
    labelSource: 'test',
  };
}

const impossible =
  (re: RegExp) =>
  (e: unknown): boolean =>
    e instanceof DataError && e.code === 'impossible-split' && re.test(e.message);

describe('data/splits', () => {
  const idx = synthetic([1, 2, 3, 4]);

  it('leave-one-{location, orientation, user, room}-out partition the data without leakage', () => {
    const byId = new Map(idx.samples.map(s => [s.id, s]));
    for (const factor of ['location', 'orientation', 'user', 'room']) {
      const folds = leaveOneOutFolds(idx, factor, { seed: 9 });
      const values = [...new Set(idx.samples.map(s => s.domain[factor]))];
      assert.equal(folds.length, values.length);
      const tested = new Set<string>();
      for (const f of folds) {
        const all = [...f.train, ...f.val, ...f.test];
        assert.equal(new Set(all).size, idx.samples.length);
        assert.equal(all.length, idx.samples.length);
        const held = f.heldOut!.values[0];
        assert.ok(f.test.every(i => byId.get(i)!.domain[factor] === held));
        assert.ok([...f.train, ...f.val].every(i => byId.get(i)!.domain[factor] !== held));
        f.test.forEach(i => tested.add(i));
        assert.match(f.description, new RegExp(`cross-${factor}`));
      }
      assert.equal(tested.size, idx.samples.length, `every sample is tested exactly once over the ${factor} folds`);
    }
  });

  it('val is a class-stratified fraction of the training domains', () => {
    const f = leaveOutSplit(idx, { factor: 'user', heldOut: '4', val: 0.2, seed: 1 });
    // 3 users × 50 per class = 150 per class → 30 val per class.
    const byId = new Map(idx.samples.map(s => [s.id, s]));
    const perClass = [0, 0, 0];
    for (const i of f.val) perClass[byId.get(i)!.label]++;
    assert.deepEqual(perClass, [30, 30, 30]);
  });

  it('random split: stratified, seeded, fractions respected', () => {
    const r = randomSplit(idx, { seed: 'a', val: 0.1, test: 0.2 });
    assert.equal(r.test.length, 3 * Math.round(200 * 0.2));
    assert.equal(r.val.length, 3 * Math.round(200 * 0.1));
    assert.equal(new Set([...r.train, ...r.val, ...r.test]).size, idx.samples.length);
    assert.deepEqual(randomSplit(idx, { seed: 'a', val: 0.1, test: 0.2 }), r);
    // Independent of the order of samples in the index.
    const shuffled = { ...idx, samples: [...idx.samples].reverse() };
    assert.deepEqual(randomSplit(shuffled, { seed: 'a', val: 0.1, test: 0.2 }).test.sort(), [...r.test].sort());
  });

  it('impossible splits give clear errors', () => {
    const one = synthetic([5]);
    assert.throws(() => leaveOneOutFolds(one, 'user'), impossible(/at least 2 distinct user values; this dataset has only "5"/));
    assert.throws(() => leaveOutSplit(idx, { factor: 'user', heldOut: '9' }), impossible(/"9" not in the dataset; available: 1, 2, 3, 4/));
    assert.throws(() => leaveOutSplit(idx, { factor: 'user', heldOut: ['1', '2', '3', '4'] }), impossible(/leaves nothing to train/));
    assert.throws(() => leaveOutSplit(idx, { factor: 'session', heldOut: '1' }), impossible(/have no "session"/));
    const tiny = synthetic([1], 2, 1, 1, 1);
    assert.throws(() => randomSplit(tiny, { test: 0.2 }), impossible(/too few samples/));
    assert.throws(
      () => randomSplit(idx, { val: 0.6, test: 0.5 }),
      (e: unknown) => e instanceof DataError && e.code === 'bad-params',
    );
  });

  it('warns when a class is missing from train', () => {
    const idx2 = synthetic([1, 2]);
    idx2.samples = idx2.samples.filter(s => !(s.label === 2 && s.domain.user === '1'));
    const f = leaveOutSplit(idx2, { factor: 'user', heldOut: '2' });
    assert.deepEqual(f.warnings, ['train has no sample of class(es): g2']);
  });
});
