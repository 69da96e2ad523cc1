// The editor's chart data on the wire (src/shared/viewWire.ts) and the canvas first view's helpers
// (webview/editor/preview.ts). The reference for the packing is the JSON transport it replaces: a packed view
// unpacked in the page must equal JSON.parse(JSON.stringify(view)) of the worker's view (NaN arriving as null),
// whether VS Code delivered the typed arrays as binary or (a host without that) as JSON. The colour tables are
// checked against plotly's own scale definitions, read from the plotly bundle the webviews load.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { ViewControls } from '../../../src/shared/recordingView';
import { packDoppler, packView, unpackDoppler, unpackView } from '../../../src/shared/viewWire';
import { makeTaskContext } from '../../../src/worker/taskContext';
import { openRecordingSource } from '../../../src/worker/tasks/recordingSource';
import { computeView } from '../../../src/worker/tasks/recordingView';
import { recordingDoppler } from '../../../src/worker/tasks/recordingDoppler';
import { cellBounds, colorTable, niceTicks } from '../../../webview/editor/preview';
import { REPO, refdata } from '../../helpers/paths';

const ctx = makeTaskContext(() => {});
const controls: ViewControls = {
  rx: 0,
  tx: 0,
  rx2: 1,
  subcarriers: [0, 15],
  useScaled: true,
  phaseMode: 'sanitised',
  colorScale: 'Viridis',
  dopplerWindowS: 0.25,
  dopplerBandHz: 60,
};
const viaJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('editor view data on the wire (packed Float32 matrices)', () => {
  it('a packed view unpacks to exactly what the JSON transport delivered (full, bucketed, zoomed; NaN as null)', async () => {
    const file = refdata('intel5300', 'log.all_csi.6.7.6');
    const src = await openRecordingSource(file, ctx);
    for (const req of [{ maxColumns: 2000 }, { maxColumns: 100 }, { maxColumns: 2000, rangeS: [0.2, 0.4] as [number, number] }]) {
      const v = computeView(src, { path: file, controls, ...req });
      assert.ok(v.amplitude.length > 0 && v.timeS.length > 0);
      const want = viaJson(v);
      const packed = packView(v);
      assert.ok(packed.amplitude.data instanceof Float32Array && packed.timeS instanceof Float64Array);
      assert.equal(packed.amplitude.rows * packed.amplitude.cols, packed.amplitude.data.length);
      // Binary transport (structured clone keeps typed arrays), and a JSON-only host (typed arrays become objects).
      assert.deepEqual(unpackView(structuredClone(packed)), want);
      assert.deepEqual(unpackView(viaJson(packed)), want);
    }
  });

  it('keeps NaN gaps (a missing RSSI chain, an undefined packet rate) as nulls, as before', async () => {
    // nexmon_csi's own example: one frame (no packet rate), old firmware (no RSSI).
    const file = refdata('nexmon', 'example.pcap');
    const src = await openRecordingSource(file, ctx);
    const v = computeView(src, { path: file, controls, maxColumns: 2000 });
    const nanRate = v.rateHz.findIndex(x => Number.isNaN(x));
    assert.ok(nanRate >= 0, 'a single packet has no packet rate');
    assert.ok(
      v.rssi.every(r => r.every(x => Number.isNaN(x))),
      "no RSSI in the old firmware's packets",
    );
    const u = unpackView(packView(v));
    assert.equal(u.rateHz[nanRate], null);
    assert.deepEqual(u.rateHz, viaJson(v).rateHz);
  });

  it("a packed Doppler spectrogram unpacks to the JSON transport's", async () => {
    const file = refdata('intel5300', '76bpm.dat');
    const d = await recordingDoppler({ path: file, controls, maxColumns: 400 }, ctx);
    assert.ok(!d.unavailable && d.power.length > 0, d.unavailable);
    assert.deepEqual(unpackDoppler(structuredClone(packDoppler(d))), viaJson(d));
    assert.deepEqual(unpackDoppler(viaJson(packDoppler(d))), viaJson(d));
  });
});

describe('canvas first view helpers (webview/editor/preview.ts)', () => {
  const plotly = fs.readFileSync(path.join(REPO, 'node_modules', 'plotly.js-cartesian-dist-min', 'plotly-cartesian.min.js'), 'utf8');
  /** plotly's stops for a named scale, as the bundle defines them. */
  const stops = (name: string): [number, [number, number, number]][] => {
    const i = plotly.indexOf(`${name}:[[`);
    assert.ok(i >= 0, `${name} in the plotly bundle`);
    const list = JSON.parse(plotly.slice(i + name.length + 1, plotly.indexOf(']]', i) + 2).replace(/(\[)\./g, '$10.')) as [
      number,
      string,
    ][];
    return list.map(([f, c]) => {
      const m = /^#(..)(..)(..)$/.exec(c);
      const rgb = m ? [m[1], m[2], m[3]].map(h => parseInt(h, 16)) : c.match(/\d+/g)!.map(Number);
      return [f, rgb as [number, number, number]];
    });
  };

  for (const name of ['Viridis', 'Cividis', 'Jet', 'Hot', 'Greys', 'RdBu']) {
    it(`${name}: the lookup table hits plotly's stop colours at the stops`, () => {
      const lut = colorTable(name);
      for (const [f, rgb] of stops(name)) {
        const i = Math.round(f * 255);
        // A stop that falls between two table entries is within the colour step of one entry.
        const tol = Math.abs(f * 255 - i) < 1e-6 ? 1 : 12;
        for (let k = 0; k < 3; k++)
          assert.ok(Math.abs(lut[3 * i + k] - rgb[k]) <= tol, `${name} at ${f}: ${[...lut.subarray(3 * i, 3 * i + 3)]} vs ${rgb}`);
      }
    });
  }

  it('cell boundaries are the midpoints between centres, the ends half a step out (plotly heatmap bricks)', () => {
    assert.deepEqual([...cellBounds([0, 1, 3])], [-0.5, 0.5, 2, 4]);
    assert.deepEqual([...cellBounds([-28, -26, -2, -1, 1])], [-29, -27, -14, -1.5, 0, 2]);
    assert.deepEqual([...cellBounds([5])], [4.5, 5.5]);
  });

  it('ticks are round values 1, 2 or 5 × 10^k apart inside the range', () => {
    assert.deepEqual(niceTicks(0, 253.167, 7), [0, 50, 100, 150, 200, 250]);
    assert.deepEqual(niceTicks(-29, 29, 6), [-20, -10, 0, 10, 20]);
    assert.deepEqual(niceTicks(-4.2, 4.2, 5), [-4, -2, 0, 2, 4]);
    assert.deepEqual(niceTicks(1, 1, 5), []);
  });
});
