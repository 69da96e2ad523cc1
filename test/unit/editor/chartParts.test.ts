// Issue 23, items 8 and 9: the editor's chart parts and metadata text (webview/editor/chartParts.ts) on real
// recordings. Expectations: physics (v = f·c/f_c), the MANIFEST's descriptions of the files, the Linux 802.11n CSI
// Tool's log format (0xC1 entries carry no CSI).
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ViewControls } from '../../../src/shared/recordingView';
import { makeTaskContext } from '../../../src/worker/taskContext';
import { openRecordingSource } from '../../../src/worker/tasks/recordingSource';
import { computeView } from '../../../src/worker/tasks/recordingView';
import { bandText, colorbarTitle, groupDiagnostics, statusText, stripAxes, velocityAxis } from '../../../webview/editor/chartParts';
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

/** A round tick step: 1, 2 or 5 × 10^k. */
function roundStep(step: number): boolean {
  const m = step / 10 ** Math.floor(Math.log10(step) + 1e-12);
  return [1, 2, 5, 10].some(x => Math.abs(m - x) < 1e-9);
}

describe('editor chart parts and metadata text (issue 23)', () => {
  for (const [fmt, name] of [
    ['nexmon', 'example_43455c0.pcap'],
    ['intel5300', 'sample_0x1_ap.dat'],
  ]) {
    it(`per-packet strip ticks are round numbers on both axes (${name})`, async () => {
      const file = refdata(fmt, name);
      const v = computeView(await openRecordingSource(file, ctx), { path: file, controls, maxColumns: 2000 });
      const ax = stripAxes([...v.rssi, v.agc], v.rateHz);
      for (const [label, a] of [
        ['dB', ax.y],
        ['packets/s', ax.y2],
      ] as const) {
        assert.equal(a.tickmode, 'array', `${label}: explicit ticks, not plotly's 'sync' of the overlaying axis`);
        const ticks = a.tickvals as number[];
        const [lo, hi] = a.range as [number, number];
        assert.ok(ticks.length >= 2 && ticks.length <= 8, `${label}: ${ticks}`);
        const step = ticks[1] - ticks[0];
        assert.ok(roundStep(step), `${label}: step ${step}`);
        for (const x of ticks) {
          assert.ok(x >= lo && x <= hi);
          assert.ok(Math.abs(x / step - Math.round(x / step)) < 1e-9, `${label}: ${x}`);
        }
        assert.ok(
          (a.ticktext as string[]).every(t => !/\.\d{3,}/.test(t)),
          `${label}: ${a.ticktext}`,
        );
      }
    });
  }

  it('the Doppler velocity axis is f·c/f_c (Widar: 5.825 GHz, 10 Hz ↔ 0.515 m/s path-length change)', () => {
    const v = velocityAxis([-10, 10], 5.825e9)!;
    assert.ok(Math.abs(v.range[1] - (10 * 299792458) / 5.825e9) < 1e-12);
    assert.ok(Math.abs(v.range[1] - 0.51467) < 1e-4);
    assert.equal(v.range[0], -v.range[1]);
    assert.match(v.title, /m\/s/);
    assert.equal(velocityAxis([-10, 10], 0), undefined, 'no carrier (Intel 5300 logs): no axis');
    assert.match(bandText({ bandHz: 4.96, maxBandHz: 4.96 }, 60), /±5\.0 Hz.*Nyquist.*±60 Hz asked/);
  });

  it('colour bars say their units', () => {
    assert.match(colorbarTitle('amplitude', false), /raw/);
    assert.match(colorbarTitle('amplitude', true), /scaled/);
    assert.match(colorbarTitle('phase'), /rad/);
    assert.match(colorbarTitle('doppler'), /normalised|dB/);
  });

  it('18 identical "257 CSI words" notes are one group with a count (MANIFEST: 18 such packets)', async () => {
    const file = refdata('nexmon', 'example_43455c0.pcap');
    const s = (await openRecordingSource(file, ctx)).summary;
    assert.equal(s.diagnostics.length, 18);
    const g = groupDiagnostics(s.diagnostics);
    assert.equal(g.length, 1);
    assert.equal(g[0].count, 18);
    assert.equal(g[0].code, 'odd-csi-size');
    assert.deepEqual(
      g[0].first.map(o => o.offset),
      s.diagnostics.slice(0, 3).map(d => d.offset),
    );
    assert.equal(statusText(s), '566 records read, 18 notes');
    assert.equal(s.scaledAvailable, false, 'Nexmon defines no scaled CSI');
  });

  it('a 0xC1 entry (a non-CSI record of the CSI Tool) is a note, not a problem; Intel offers scaled CSI', async () => {
    const bytes = fs.readFileSync(refdata('intel5300', 'example.dat'));
    // An entry: 2-byte big-endian length (code + body), code 0xC1, body — as log_to_file writes rx MPDUs.
    const body = Buffer.alloc(40, 7);
    const entry = Buffer.concat([Buffer.from([0, body.length + 1, 0xc1]), body]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'csi-c1-')), 'with-c1.dat');
    fs.writeFileSync(file, Buffer.concat([entry, bytes]));
    const s = (await openRecordingSource(file, ctx)).summary;
    assert.equal(s.records, 26, 'MANIFEST: 26 records');
    assert.deepEqual(s.severityCounts, { error: 0, warning: 0, info: 1 });
    assert.equal(statusText(s), '26 records read, 1 note');
    assert.equal(s.scaledAvailable, true);
  });
});
