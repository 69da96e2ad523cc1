// The dataset index reads what the simulator really writes (not a hand-made manifest): labels, classes, domains.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { indexFolder } from '../../../src/core/data/indexFolder';
import { generateDataset } from '../../../src/core/sim/dataset';

describe('dataset index on a real simulator folder', function () {
  this.timeout(60000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-index-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('labels every generated sample with its gesture and keeps room and user as domain factors', async () => {
    const manifest = await generateDataset({
      outDir: dir,
      seed: 7,
      preset: 'small',
      workers: 0,
      domains: { gestures: [1, 5], rooms: [1, 2], users: [1], locations: [1], orientations: [3] },
      knobs: { recordingSeconds: [1.0, 1.2] },
    });
    const idx = await indexFolder(dir);
    assert.equal(idx.layout, 'simulator');
    assert.equal(idx.samples.length, manifest.samples.length, JSON.stringify(idx.diagnostics?.slice(0, 3)));
    assert.deepEqual([...idx.classes].sort(), ['Draw-O(H)', 'Push&Pull']);
    for (const s of idx.samples) {
      const m = manifest.samples.find(x => x.id === s.id)!;
      assert.ok(m, `sample ${s.id} is in the manifest`);
      assert.equal(s.className, m.gesture);
      assert.equal(s.domain.room, String(m.room));
      assert.equal(s.files.length, 6, 'one file per receiver');
    }
  });
});
