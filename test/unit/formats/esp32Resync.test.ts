// ESP32 CSV: a line longer than the 64 KiB row limit is skipped and the reader resynchronises at the next newline,
// keeping every valid row after it, whole-file and streamed alike for any chunking (issue 24: one 70 KB line used to
// drop the rest of a 1,684-record file).
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { seededRandom } from '../../../src/core/data/seededRandom';
import { esp32Reader } from '../../../src/core/formats/esp32/reader';
import { refdata } from '../../helpers/paths';
import { assertFramesMatchRecording, collect } from './streamCompare';

const original = fs.readFileSync(refdata('esp32', 'log.console_test.20210205155636.csv'));

/** The file with data line `at` (0 = the header) lengthened past 64 KiB by a run of junk bytes. */
function withLongLine(at: number, extra: number): Uint8Array {
  const lines = original.toString('latin1').split('\n');
  lines[at] += ' ' + 'x'.repeat(extra);
  return new Uint8Array(Buffer.from(lines.join('\n'), 'latin1'));
}

describe('formats/esp32: resynchronising after a line over the row limit', () => {
  const base = esp32Reader.read(new Uint8Array(original), { file: 'orig.csv' });

  it('keeps every other record, and says which line it skipped', () => {
    const rec = esp32Reader.read(withLongLine(3, 70_000), { file: 'long.csv' });
    assert.equal(base.nPackets, 1684);
    assert.equal(rec.nPackets, base.nPackets - 1, 'one row lost: the long one');
    const d = rec.diagnostics.filter(x => x.code === 'line-too-long');
    assert.equal(d.length, 1);
    assert.match(d[0].message, /line 4 exceeds 65536 bytes/);
    // The rows after the long one are the original's, in order.
    assert.deepEqual(Array.from(rec.seq.subarray(2, 12)), Array.from(base.seq.subarray(3, 13)));
  });

  it('streams to the same records as the whole-file read for random chunkings', async () => {
    const bytes = withLongLine(3, 200_000);
    const whole = esp32Reader.read(bytes, { file: 'long.csv' });
    const rng = seededRandom('esp32-resync');
    for (let trial = 0; trial < 6; trial++) {
      const sizes = Array.from({ length: 7 }, () => 1 + Math.floor(rng() * (trial < 3 ? 97 : 150_000)));
      const { frames, diagnostics } = await collect(esp32Reader, bytes, sizes, { file: 'long.csv' });
      assertFramesMatchRecording(frames, whole);
      assert.deepEqual(
        diagnostics.filter(x => x.code === 'line-too-long').map(x => x.offset),
        whole.diagnostics.filter(x => x.code === 'line-too-long').map(x => x.offset),
        `chunks ${sizes}`,
      );
    }
  });
});
