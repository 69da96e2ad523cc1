// Issue 23, items 5 and 8: what the editor's Doppler chart is told. Expectations from the recordings' own
// timestamps (Nyquist = half the median packet rate) and antenna counts.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { readRecording } from '../../../src/core/formats';
import type { ViewControls } from '../../../src/shared/recordingView';
import { makeTaskContext } from '../../../src/worker/taskContext';
import { recordingDoppler } from '../../../src/worker/tasks/recordingDoppler';
import { refdata } from '../../helpers/paths';

const ctx = makeTaskContext(() => {});
const controls: ViewControls = {
  rx: 0,
  tx: 0,
  rx2: 1,
  subcarriers: [0],
  useScaled: false,
  phaseMode: 'raw',
  colorScale: 'Viridis',
  dopplerWindowS: 0.25,
  dopplerBandHz: 60,
};

describe('editor Doppler data (issue 23)', () => {
  for (const file of [refdata('nexmon', 'example_4366c0.pcap'), refdata('esp32', 'log.console_test.20210205155636.csv')]) {
    it(`a one-antenna recording (${file.split(/[\\/]/).pop()}) gets one short line, without the file's path`, async () => {
      const d = await recordingDoppler({ path: file, controls, maxColumns: 400 }, ctx);
      assert.ok(d.unavailable);
      assert.ok(!d.unavailable.includes('/') && !d.unavailable.includes('\\'), d.unavailable);
      assert.ok(!d.unavailable.includes(file.split(/[\\/]/).pop()!), d.unavailable);
      assert.ok(d.unavailable.length <= 70, `${d.unavailable.length} characters: ${d.unavailable}`);
      assert.match(d.unavailable, /two receive antennas/);
    });
  }

  it('the band is cut to the Nyquist frequency of the packet rate (csiread AP sample, ~10 packets/s)', async () => {
    const file = refdata('intel5300', 'sample_0x1_ap.dat');
    const rec = readRecording(new Uint8Array(fs.readFileSync(file)), { file });
    const dt = Array.from(rec.timestampUs)
      .slice(1)
      .map((x, i) => x - rec.timestampUs[i])
      .filter(x => x > 0)
      .sort((a, b) => a - b);
    const med = dt.length % 2 ? dt[(dt.length - 1) / 2] : (dt[dt.length / 2 - 1] + dt[dt.length / 2]) / 2;
    const nyquist = 1e6 / med / 2;
    assert.ok(nyquist > 4 && nyquist < 6, `~10 packets/s (MANIFEST): Nyquist ${nyquist}`);
    const d = await recordingDoppler({ path: file, controls, maxColumns: 400 }, ctx);
    assert.ok(!d.unavailable, d.unavailable);
    assert.ok(Math.abs(d.maxBandHz! - nyquist) < 1e-9, `${d.maxBandHz} vs ${nyquist}`);
    assert.equal(d.bandHz, d.maxBandHz, 'asked ±60 Hz, computed at most ±Nyquist');
    assert.ok(Math.max(...d.freqsHz.map(Math.abs)) <= nyquist);
  });
});
