// Indexes of the real labelled folders, checked against counts stated in their READMEs and against the
// manifest rows read here independently (plain line splitting, not the project's CSV reader).
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { indexFolder } from '../../../src/core/data/indexFolder';
import { countBy, type DatasetIndex } from '../../../src/core/data/sample';
import { leaveOneOutFolds, leaveOutSplit, randomSplit, type Split } from '../../../src/core/data/splits';
import { labeled } from '../../helpers/paths';

function manifestRows(dir: string): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(labeled(dir, 'manifest.csv'), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map(l => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

function assertPartition(index: DatasetIndex, s: Split): void {
  const all = [...s.train, ...s.val, ...s.test];
  assert.equal(new Set(all).size, all.length, `${s.name}: sides are disjoint`);
  assert.deepEqual([...all].sort(), index.samples.map(x => x.id).sort(), `${s.name}: covers every sample`);
}

/** A copy of a labelled folder made of symlinks, without its manifest, so labels must come from paths. */
function linkedCopyWithoutManifest(dir: string): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `idx-${dir}-`));
  for (const sub of fs.readdirSync(labeled(dir))) {
    const p = labeled(dir, sub);
    if (fs.statSync(p).isDirectory()) fs.symlinkSync(p, path.join(tmp, sub));
  }
  return tmp;
}

describe('data/index on ../shared/labeled', () => {
  let wiar: DatasetIndex, fition: DatasetIndex;
  before(async () => {
    wiar = await indexFolder(labeled('wiar'));
    fition = await indexFolder(labeled('fition'));
  });

  it('WiAR: 720 samples, 16 classes × 45, 3 volunteers × 240, 15 per (class, volunteer) (README)', () => {
    assert.equal(wiar.layout, 'wiar');
    assert.equal(wiar.labelSource, 'manifest.csv');
    assert.deepEqual(wiar.diagnostics, []);
    assert.equal(wiar.samples.length, 720);
    assert.equal(wiar.classes.length, 16);
    assert.deepEqual([...countBy(wiar.samples, s => s.className).values()], new Array(16).fill(45));
    assert.deepEqual(Object.fromEntries(countBy(wiar.samples, s => s.domain.user)), { 7: 240, 8: 240, 9: 240 });
    for (const n of countBy(wiar.samples, s => `${s.label}/${s.domain.user}`).values()) assert.equal(n, 15);
    // README table: id 1 horizontal arm wave … id 11 hand clap, id 16 squat.
    assert.equal(wiar.classes[0], 'horizontal_arm_wave');
    assert.equal(wiar.classes[10], 'hand_clap');
    assert.equal(wiar.classes[15], 'squat');
  });

  it('WiAR: every sample agrees with its manifest row; path-only indexing gives the same labels', async () => {
    const rows = manifestRows('wiar');
    const byFile = new Map(wiar.samples.map(s => [path.relative(labeled('wiar'), s.files[0]), s]));
    for (const r of rows) {
      const s = byFile.get(r.file)!;
      assert.equal(s.label, Number(r.activity_id) - 1);
      assert.equal(s.className, r.activity);
      assert.equal(s.domain.user, r.volunteer);
      assert.equal(s.domain.repetition, r.sample);
      assert.ok(fs.existsSync(s.files[0]));
    }
    const tmp = linkedCopyWithoutManifest('wiar');
    try {
      const byPath = await indexFolder(tmp);
      assert.equal(byPath.labelSource, 'file names');
      const m = new Map(byPath.samples.map(s => [s.id, s]));
      for (const s of wiar.samples) {
        const t = m.get(s.id)!;
        assert.equal(t.className, s.className);
        assert.deepEqual(t.domain, s.domain);
      }
      assert.equal(byPath.samples.length, 720);
    } finally {
      fs.rmSync(tmp, { recursive: true });
    }
  });

  it('Fition: 72 samples, 6 classes × 12, 3 users × 24, env A = users 1–2, env B = user 3 (README)', async () => {
    assert.equal(fition.layout, 'fition');
    assert.deepEqual(fition.diagnostics, []);
    assert.equal(fition.samples.length, 72);
    assert.deepEqual([...countBy(fition.samples, s => s.className).values()], new Array(6).fill(12));
    assert.deepEqual(Object.fromEntries(countBy(fition.samples, s => s.domain.user)), { 1: 24, 2: 24, 3: 24 });
    assert.deepEqual(Object.fromEntries(countBy(fition.samples, s => s.domain.environment)), { A: 48, B: 24 });
    for (const s of fition.samples) assert.equal(s.domain.room, s.domain.user, 'user U = room R');
    const rows = manifestRows('fition');
    const byFile = new Map(fition.samples.map(s => [path.relative(labeled('fition'), s.files[0]), s]));
    for (const r of rows) assert.equal(byFile.get(r.file)!.className, r.activity);
    const tmp = linkedCopyWithoutManifest('fition');
    try {
      const byPath = await indexFolder(tmp);
      assert.equal(byPath.layout, 'fition');
      assert.deepEqual(
        byPath.samples.map(s => [s.id, s.className, s.domain.user, s.domain.environment]).sort(),
        fition.samples.map(s => [s.id, s.className, s.domain.user, s.domain.environment]).sort(),
      );
    } finally {
      fs.rmSync(tmp, { recursive: true });
    }
  });

  it('leave-one-volunteer-out on WiAR: 3 folds, no user leakage, partitions, 240 test each', () => {
    const folds = leaveOneOutFolds(wiar, 'user', { seed: 1 });
    assert.equal(folds.length, 3);
    const byId = new Map(wiar.samples.map(s => [s.id, s]));
    for (const f of folds) {
      assertPartition(wiar, f);
      assert.equal(f.test.length, 240);
      const testUsers = new Set(f.test.map(i => byId.get(i)!.domain.user));
      const trainUsers = new Set([...f.train, ...f.val].map(i => byId.get(i)!.domain.user));
      assert.deepEqual([...testUsers], f.heldOut!.values);
      for (const u of testUsers) assert.ok(!trainUsers.has(u), 'no user leakage');
      assert.deepEqual(f.warnings, []);
    }
  });

  it('WiAR within-volunteer: repetitions 12–15 held out (README protocol) and a stratified random split', () => {
    const byRep = leaveOutSplit(wiar, { factor: 'repetition', heldOut: ['12', '13', '14', '15'], val: 0 });
    assertPartition(wiar, byRep);
    assert.equal(byRep.test.length, 3 * 16 * 4);
    assert.equal(byRep.train.length, 3 * 16 * 11);
    const r = randomSplit(wiar, { seed: 3, val: 0.2, test: 0.2, stratifyBy: ['user'] });
    assertPartition(wiar, r);
    const byId = new Map(wiar.samples.map(s => [s.id, s]));
    // 15 per (class, user): round(15·0.2) = 3 test and 3 val in every stratum.
    for (const n of countBy(
      r.test.map(i => byId.get(i)!),
      s => `${s.label}/${s.domain.user}`,
    ).values())
      assert.equal(n, 3);
    assert.equal(r.test.length, 16 * 3 * 3);
    assert.deepEqual(randomSplit(wiar, { seed: 3, val: 0.2, test: 0.2, stratifyBy: ['user'] }), r, 'deterministic');
    assert.notDeepEqual(randomSplit(wiar, { seed: 4, val: 0.2, test: 0.2, stratifyBy: ['user'] }).test, r.test);
  });

  it('Fition cross-user / cross-environment', () => {
    const byId = new Map(fition.samples.map(s => [s.id, s]));
    for (const f of leaveOneOutFolds(fition, 'user')) {
      assertPartition(fition, f);
      assert.equal(f.test.length, 24);
      assert.ok(f.test.every(i => byId.get(i)!.domain.user === f.heldOut!.values[0]));
      assert.ok([...f.train, ...f.val].every(i => byId.get(i)!.domain.user !== f.heldOut!.values[0]));
    }
    const env = leaveOutSplit(fition, { factor: 'environment', heldOut: 'B' });
    assert.equal(env.test.length, 24);
    assert.throws(() => leaveOutSplit(fition, { factor: 'orientation', heldOut: '1' }), /no "orientation"/);
  });
});

describe('data/index → semantic prior', () => {
  it('every class an index can produce has built-in prompts, and the prior follows the index class order', async () => {
    const { priorForDataset } = await import('../../../src/core/semantics/datasetPrior');
    const { WIDAR_ALL_CLASSES } = await import('../../../src/core/data/widarGestures');
    for (const dir of ['wiar', 'fition']) {
      const idx = await indexFolder(labeled(dir));
      const p = await priorForDataset(idx);
      assert.deepEqual(p.classes, idx.classes);
      assert.equal(p.similarity.length, idx.classes.length);
    }
    const widar = await priorForDataset({ layout: 'widar', classes: [...WIDAR_ALL_CLASSES] });
    assert.equal(widar.classes.length, 22);
  });
});
