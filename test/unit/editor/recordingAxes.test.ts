// Issue 23, items 2, 3 and 8: the editor's heatmap axes and scales on real recordings. Expectations come from the
// format definitions (ESP-IDF's CSI buffer table, FORMATS.md §4; the 802.11 tone plans) and from the recordings'
// own timestamps, never from the code under test.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { readRecording } from '../../../src/core/formats';
import type { ViewControls } from '../../../src/shared/recordingView';
import { makeTaskContext } from '../../../src/worker/taskContext';
import { openRecordingSource } from '../../../src/worker/tasks/recordingSource';
import { computeView } from '../../../src/worker/tasks/recordingView';
import { refdata } from '../../helpers/paths';

const ctx = makeTaskContext(() => {});
const controls = (c: Partial<ViewControls> = {}): ViewControls => ({
  rx: 0,
  tx: 0,
  rx2: 0,
  subcarriers: [0],
  useScaled: false,
  phaseMode: 'raw',
  colorScale: 'Viridis',
  dopplerWindowS: 0.25,
  dopplerBandHz: 60,
  ...c,
});
const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

describe('editor heatmap axes and scales (issue 23)', () => {
  it('ESP32 HT40: one row per subcarrier −64…63 from the HT-LTF, in frequency order (esp-csi reference log)', async () => {
    const file = refdata('esp32', 'log.console_test.20210205155636.csv');
    const src = await openRecordingSource(file, ctx);
    const v = computeView(src, { path: file, controls: controls(), maxColumns: 2000 });
    // MANIFEST: channel 13 HT40, secondary below, len 384 = LLTF (64 pairs, 0…63) + HT-LTF (128 pairs: 0…63, −64…−1).
    assert.deepEqual(v.subcarrierIndices, range(-64, 63));
    // The HT-LTF occupies pairs 64…191 of the buffer: index k ≥ 0 is pair 64 + k, k < 0 is pair 192 + k.
    assert.deepEqual(
      v.subcarrierColumns,
      range(-64, 63).map(k => (k >= 0 ? 64 + k : 192 + k)),
    );
    assert.equal(v.amplitude.length, 128);
    // HT40 tone plan: DC nulls −1, 0, 1; guards beyond ±58; pilots ±11, ±25, ±53.
    const kind = (k: number) => v.toneKinds[k + 64];
    for (const k of [-1, 0, 1]) assert.equal(kind(k), 'null');
    for (const k of [-64, -59, 59, 63]) assert.equal(kind(k), 'guard');
    for (const k of [-53, -25, -11, 11, 25, 53]) assert.equal(kind(k), 'pilot');
    assert.equal(v.toneKinds.filter(k => k === 'data').length, 108, 'HT40 has 108 data tones');
    // The metadata says what the rows are, not "0 … −1".
    const d = src.summary.subcarrierAxis!.description;
    assert.match(d, /^-64 … 63 \(128 subcarriers/);
    assert.match(d, /HT-LTF shown/);
    assert.match(d, /LLTF/);
  });

  it('ESP32 HT20 (secondary none): the LLTF/HT-LTF buffer order 0…31, −32…−1 is drawn as −32…31', async () => {
    const file = refdata('esp32', 'example_data.csv');
    const src = await openRecordingSource(file, ctx);
    const v = computeView(src, { path: file, controls: controls(), maxColumns: 2000 });
    assert.deepEqual(v.subcarrierIndices, range(-32, 31));
    assert.deepEqual(
      v.subcarrierColumns,
      range(-32, 31).map(k => (k >= 0 ? k : 64 + k)),
    );
    for (let i = 1; i < v.timeS.length; i++) assert.ok(v.timeS[i] >= v.timeS[i - 1]);
  });

  it('Nexmon bcm43455c0 80 MHz: null, guard and overwritten tones do not set the amplitude colour scale', async () => {
    const file = refdata('nexmon', 'example_43455c0.pcap');
    const src = await openRecordingSource(file, ctx);
    const v = computeView(src, { path: file, controls: controls(), maxColumns: 2000 });
    assert.deepEqual(v.subcarrierIndices, range(-128, 127));
    const z = v.ampRange;
    assert.ok(z, 'a colour range');
    const all = v.amplitude.flat().filter(Number.isFinite);
    const max = all.reduce((m, x) => Math.max(m, x), -Infinity);
    // Occupied tones (independently: |H| above a tenth of the strongest tone's median over packets).
    const med = (a: number[]) => {
      const s = a.filter(Number.isFinite).sort((x, y) => x - y);
      return s[s.length >> 1];
    };
    const rowMed = v.amplitude.map(med);
    const typical = [...rowMed].sort((x, y) => x - y)[Math.floor(0.9 * rowMed.length)];
    const occupied = v.amplitude
      .filter((_, r) => rowMed[r] > typical / 10 && rowMed[r] < 4 * typical)
      .flat()
      .filter(Number.isFinite);
    const occMed = med(occupied);
    // plotly's default (the data's max, ~36 k, a DC-adjacent word) made the occupied tones (median ~1 k) dark.
    assert.ok(max > 20 * occMed, `the file has the outlier this test is about (max ${max}, occupied median ${occMed})`);
    assert.ok(z[1] < 4 * occMed, `colour max ${z[1]} within the occupied tones' range (median ${occMed})`);
    assert.ok(occMed > z[0] + 0.2 * (z[1] - z[0]), 'the occupied tones use the colour scale, not its dark end');
    // Most occupied cells are inside the scale (≤ 5 % clipped at the top).
    const above = occupied.filter(x => x > z[1]).length / occupied.length;
    assert.ok(above < 0.05, `${(100 * above).toFixed(1)} % of occupied cells above the colour max`);
  });

  it('packet rate is measured over a 100 ms window: no 43 k packets/s spike from coincident Nexmon timestamps', async () => {
    const file = refdata('nexmon', 'example_43455c0.pcap');
    const rec = readRecording(new Uint8Array(fs.readFileSync(file)), { file });
    const t = Array.from(rec.timestampUs, x => (x - rec.timestampUs[0]) / 1e6);
    // The busiest 100 ms of the capture, from its own timestamps: no window of ≥ 50 ms (the shortest a window
    // clipped at either end of the recording can be) can hold more than that many packets.
    let busiest = 0;
    for (let i = 0, j = 0; i < t.length; i++) {
      while (t[i] - t[j] > 0.1) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    const bound = busiest / 0.05;
    const minGap = Math.min(
      ...t
        .slice(1)
        .map((x, i) => x - t[i])
        .filter(d => d > 0),
    );
    assert.ok(1 / minGap > 10 * bound, `the capture has coincident packets (1/Δt = ${(1 / minGap).toFixed(0)} /s)`);
    const src = await openRecordingSource(file, ctx);
    const v = computeView(src, { path: file, controls: controls(), maxColumns: 2000 });
    assert.equal(v.resolution, 'full');
    const rates = v.rateHz.filter(Number.isFinite);
    assert.equal(rates.length, rec.nPackets, 'every packet has a rate, the first one too');
    assert.ok(Math.max(...rates) <= bound, `max ${Math.max(...rates).toFixed(0)} /s ≤ ${bound.toFixed(0)} /s`);
    // A steady capture (bcm4366c0, ~10 packets/s) reads its own rate: 1 / median interval, within 10 %.
    const f2 = refdata('nexmon', 'example_4366c0.pcap');
    const r2 = readRecording(new Uint8Array(fs.readFileSync(f2)), { file: f2 });
    const d = Array.from(r2.timestampUs)
      .slice(1)
      .map((x, i) => x - r2.timestampUs[i])
      .sort((a, b) => a - b);
    const want = 1e6 / d[d.length >> 1];
    const v2 = computeView(await openRecordingSource(f2, ctx), { path: f2, controls: controls(), maxColumns: 2000 });
    const inner = v2.rateHz.slice(5, -5);
    const m = [...inner].sort((a, b) => a - b)[inner.length >> 1];
    assert.ok(Math.abs(m - want) < 0.1 * want, `median rate ${m} vs ${want}`);
  });
});
