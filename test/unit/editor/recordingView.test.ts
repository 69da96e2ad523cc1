// The recording editor's worker side (src/worker/tasks/recording*.ts) without VS Code: view data against
// refdata/expected values (independent numpy reader), the big-file index path against the whole-file reader, and
// the helpers (sequence loss, monotone display time, time → packet range) against hand-computed cases.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readRecording } from '../../../src/core/formats';
import { sanitizedPhase } from '../../../src/core/dsp/phase';
import { CELL_BUDGET, columnBudget, type ViewControls } from '../../../src/shared/recordingView';
import { makeTaskContext } from '../../../src/worker/taskContext';
import { displayTime, lostFromSeq, openRecordingSource, packetRange } from '../../../src/worker/tasks/recordingSource';
import { computeView } from '../../../src/worker/tasks/recordingView';
import { recordingDoppler } from '../../../src/worker/tasks/recordingDoppler';
import { labeled, refdata } from '../../helpers/paths';

const ctx = makeTaskContext(() => {});
const controls = (c: Partial<ViewControls> = {}): ViewControls => ({
  rx: 0,
  tx: 0,
  rx2: 1,
  subcarriers: [0],
  useScaled: false,
  phaseMode: 'raw',
  colorScale: 'Viridis',
  dopplerWindowS: 0.25,
  dopplerBandHz: 60,
  ...c,
});
const expected = (name: string) => JSON.parse(fs.readFileSync(refdata('expected', name + '.json'), 'utf8'));

describe('editor view data (worker)', () => {
  const file = refdata('intel5300', 'example.dat');
  const exp = expected('example.dat');
  const r0 = exp.first_records[0];
  // csi_permuted_sc0[tx][rx] = [re, im] of subcarrier 0 of the first record.
  const H = (tx: number, rx: number): [number, number] => r0.csi_permuted_sc0[tx][rx];

  it('full-resolution columns carry |H|, raw phase, CSI-ratio phase and the packet strip of each packet', async () => {
    const src = await openRecordingSource(file, ctx);
    assert.equal(src.summary.records, exp.num_records);
    const v = computeView(src, { path: file, controls: controls({ rx: 1, rx2: 2 }), maxColumns: 2000 });
    assert.equal(v.resolution, 'full');
    assert.equal(v.timeS.length, exp.num_records);
    const [re, im] = H(0, 1);
    assert.ok(Math.abs(v.amplitude[0][0] - Math.hypot(re, im)) < 1e-5);
    assert.ok(Math.abs(v.phase[0][0] - Math.atan2(im, re)) < 1e-6);
    const [re2, im2] = H(0, 2);
    const ratio = Math.atan2(im * re2 - re * im2, re * re2 + im * im2); // arg(H1·conj(H2))
    assert.ok(Math.abs(v.ratioPhase[0][0] - ratio) < 1e-6);
    assert.deepEqual(
      v.rssi.map(r => r[0]),
      [r0.rssi_a, r0.rssi_b, r0.rssi_c],
    );
    assert.equal(v.agc[0], r0.agc);
    assert.equal(v.timeS[0], 0);
  });

  it('scaled amplitude is get_scaled_csi (refdata first_record_scaled_abs_sc0)', async () => {
    const src = await openRecordingSource(file, ctx);
    for (const [tx, rx] of [
      [0, 0],
      [1, 2],
    ]) {
      const v = computeView(src, { path: file, controls: controls({ rx, tx, useScaled: true }), maxColumns: 2000 });
      const want = exp.first_record_scaled_abs_sc0[tx][rx];
      assert.ok(Math.abs(v.amplitude[0][0] - want) < 1e-4 * want, `tx ${tx} rx ${rx}: ${v.amplitude[0][0]} vs ${want}`);
    }
  });

  it('sanitised phase columns equal the DSP sanitisation of each packet', async () => {
    const src = await openRecordingSource(file, ctx);
    const rec = readRecording(new Uint8Array(fs.readFileSync(file)), { file });
    const v = computeView(src, { path: file, controls: controls({ rx: 2, tx: 1, phaseMode: 'sanitised' }), maxColumns: 2000 });
    const ref = sanitizedPhase(rec, { rx: 2, tx: 1, unwrapTime: false });
    for (let t = 0; t < rec.nPackets; t++)
      for (let sc = 0; sc < 30; sc++) {
        assert.ok(Math.abs(v.phase[sc][t] - ref[t * 30 + sc]) < 1e-5, `packet ${t} subcarrier ${sc}`);
      }
  });

  it('decimated columns average |H| over their packets and cover every packet once', async () => {
    const src = await openRecordingSource(file, ctx);
    const full = computeView(src, { path: file, controls: controls(), maxColumns: 2000 });
    const dec = computeView(src, { path: file, controls: controls(), maxColumns: 5 });
    assert.equal(dec.resolution, 'mean');
    assert.equal(dec.timeS.length, 5);
    const n = exp.num_records as number;
    for (let col = 0; col < 5; col++) {
      const a = Math.floor((col * n) / 5),
        b = Math.floor(((col + 1) * n) / 5);
      const mean = full.amplitude[7].slice(a, b).reduce((s, x) => s + x, 0) / (b - a);
      assert.ok(Math.abs(dec.amplitude[7][col] - mean) < 1e-4, `column ${col}`);
    }
  });

  it('the big-file index path agrees with the whole-file reader packet by packet', async () => {
    // threshold 0 forces the indexed mode on a small real file; the reader itself is the reference.
    for (const name of ['log.all_csi.6.7.6', 'example.dat', '76bpm.dat']) {
      const f = refdata('intel5300', name);
      const rec = readRecording(new Uint8Array(fs.readFileSync(f)), { file: f });
      const idx = await openRecordingSource(f, ctx, 200, 0);
      assert.equal(idx.mode, 'indexed');
      assert.equal(idx.summary.records, rec.nPackets, name);
      assert.equal(idx.summary.nRx, rec.nRx);
      assert.equal(idx.summary.nTx, rec.nTx);
      assert.deepEqual(Array.from(idx.index.seq), Array.from(rec.seq));
      assert.deepEqual(Array.from(idx.index.agc), Array.from(rec.agc));
      const whole = await openRecordingSource(f, ctx);
      assert.deepEqual(Array.from(idx.index.timeS), Array.from(whole.index.timeS));
      // Every second packet decoded on demand equals the whole read.
      const list = Int32Array.from({ length: Math.ceil(rec.nPackets / 2) }, (_, i) => 2 * i);
      const some = idx.packetsAt!(list);
      const block = 2 * 30 * rec.nRx * rec.nTx;
      list.forEach((p, i) => {
        const sb = 2 * 30 * some.nRx * some.nTx;
        for (let sc = 0; sc < 30; sc++)
          for (let rx = 0; rx < rec.nRxPerPacket[p]; rx++)
            for (let tx = 0; tx < rec.nTxPerPacket[p]; tx++) {
              const a = p * block + 2 * ((sc * rec.nRx + rx) * rec.nTx + tx),
                b = i * sb + 2 * ((sc * some.nRx + rx) * some.nTx + tx);
              assert.equal(some.csi[b], rec.csi[a]);
              assert.equal(some.csi[b + 1], rec.csi[a + 1]);
            }
      });
      idx.close();
    }
  });

  it('the index path reports a damaged file exactly as the reader does', async () => {
    // Garbage inside the log and a record cut at the end: both must leave the fast path for the walker.
    const src = fs.readFileSync(refdata('intel5300', 'sample_0x1_ap.dat'));
    const bad = Buffer.concat([src.subarray(0, 5000), Buffer.from('garbage bytes!!'), src.subarray(5000, src.length - 100)]);
    const f = path.join(os.tmpdir(), `csiwb-damaged-${process.pid}.dat`);
    fs.writeFileSync(f, bad);
    try {
      const rec = readRecording(new Uint8Array(bad), { file: f });
      const idx = await openRecordingSource(f, ctx, 200, 0);
      assert.equal(idx.mode, 'indexed');
      assert.equal(idx.summary.records, rec.nPackets);
      assert.deepEqual(
        idx.summary.diagnostics.map(d => [d.code, d.offset]),
        rec.diagnostics.map(d => [d.code, d.offset]),
      );
      assert.ok(rec.diagnostics.length >= 2, 'the damage is reported');
      idx.close();
    } finally {
      fs.rmSync(f, { force: true });
    }
  });

  it('big non-Intel files (frame index) give the same views as the whole-file path', async () => {
    // threshold 0 forces the indexed mode; the whole-file parse of the same file is the reference.
    for (const [dir, name] of [
      ['atheros', 'ath_csi_1.dat'],
      ['nexmon', 'example_4366c0.pcap'],
      ['esp32', 'example_data.csv'],
      ['picoscenes', 'picoscenes_ax200_example.csi'],
    ]) {
      const f = refdata(dir, name);
      const whole = await openRecordingSource(f, ctx);
      const idx = await openRecordingSource(f, ctx, 200, 0);
      try {
        assert.equal(whole.mode, 'whole');
        assert.equal(idx.mode, 'indexed', name);
        const { parseMs: _a, ...sw } = whole.summary,
          { parseMs: _b, ...si } = idx.summary;
        assert.deepEqual(si, sw, `${name}: summary`);
        assert.deepEqual(Array.from(idx.index.timeS), Array.from(whole.index.timeS));
        const c = controls({
          rx: 0,
          rx2: Math.min(1, whole.summary.nRx - 1),
          subcarriers: [0, Math.floor(whole.summary.nSubcarriers / 2)],
        });
        const n = whole.summary.records;
        // Full resolution (a window): identical columns.
        const rangeS: [number, number] = [whole.index.timeS[Math.floor(n / 4)], whole.index.timeS[Math.floor(n / 2)]];
        const vw = computeView(whole, { path: f, controls: c, maxColumns: 100000, rangeS });
        const vi = computeView(idx, { path: f, controls: c, maxColumns: 100000, rangeS });
        assert.equal(vi.resolution, 'full');
        for (const k of [
          'packets',
          'timeS',
          'subcarrierIndices',
          'amplitude',
          'phase',
          'ratioPhase',
          'rssi',
          'agc',
          'rateHz',
          'lost',
          'notes',
        ] as const) {
          assert.deepEqual(vi[k], vw[k], `${name}: ${k}`);
        }
        // Sampled overview: each column is the bucket's first packet (the whole path's full-resolution column).
        const K = Math.max(2, Math.floor(n / 7));
        const vs = computeView(idx, { path: f, controls: c, maxColumns: K });
        const full = computeView(whole, { path: f, controls: c, maxColumns: 100000 });
        assert.equal(vs.resolution, 'sampled');
        for (let col = 0; col < K; col++) {
          const p = Math.floor((col * n) / K);
          for (let sc = 0; sc < whole.summary.nSubcarriers; sc++) {
            assert.ok(Object.is(vs.amplitude[sc][col], full.amplitude[sc][p]), `${name}: amplitude sc ${sc} column ${col}`);
            assert.ok(Object.is(vs.phase[sc][col], full.phase[sc][p]), `${name}: phase sc ${sc} column ${col}`);
          }
        }
      } finally {
        idx.close();
        whole.close();
      }
    }
  });

  it('sampled overview of an indexed file has maxColumns columns and the exact per-packet strip', async () => {
    const f = refdata('intel5300', 'log.all_csi.6.7.6');
    const n = expected('log.all_csi.6.7.6').num_records as number;
    const src = await openRecordingSource(f, ctx, 200, 0);
    const K = Math.floor(n / 5);
    const v = computeView(src, { path: f, controls: controls(), maxColumns: K });
    assert.equal(v.resolution, 'sampled');
    assert.equal(v.timeS.length, K);
    assert.deepEqual(v.packets, [0, n]);
    // AGC of a column = mean over all its packets (from the index, not only the sampled ones).
    const rec = readRecording(new Uint8Array(fs.readFileSync(f)), { file: f });
    const a = Math.floor((3 * n) / K),
      b = Math.floor((4 * n) / K);
    let s = 0,
      r = 0;
    for (let p = a; p < b; p++) {
      s += rec.agc[p];
      r += rec.rssi[p * rec.nRx + 1];
    }
    assert.ok(Math.abs(v.agc[3] - s / (b - a)) < 1e-9);
    assert.ok(Math.abs(v.rssi[1][3] - r / (b - a)) < 1e-4);
    src.close();
  });

  it("lists a capture's transmitters with their frame counts, whole or indexed (Fition: three MACs, 500 packets)", async () => {
    // labeled/fition/manifest.csv: 500 packets, main_tx_mac b8:27:eb:9d:69:92 for user 3's captures.
    const f = labeled('fition', 'walking_user3_rm3', 'walking_user3_rm3_1.pcap');
    for (const src of [await openRecordingSource(f, ctx), await openRecordingSource(f, ctx, 200, 0)]) {
      const t = src.summary.transmitters!;
      assert.equal(t[0].mac, 'b8:27:eb:9d:69:92', src.mode);
      assert.equal(
        t.reduce((a, x) => a + x.frames, 0),
        src.summary.records,
        src.mode,
      );
      assert.equal(src.summary.records, 500, src.mode);
      assert.deepEqual(
        t.map(x => x.mac),
        ['b8:27:eb:9d:69:92', '7c:2a:31:5d:19:66', 'fe:c3:4f:c1:98:a2'],
        src.mode,
      );
      assert.ok(t.every((x, i) => i === 0 || x.frames <= t[i - 1].frames));
      src.close();
    }
    // A format that names no transmitter: none listed.
    assert.equal((await openRecordingSource(file, ctx)).summary.transmitters, undefined);
  });

  it('a non-recording is an answer with the diagnostic, not an exception', async () => {
    const f = path.join(os.tmpdir(), `csiwb-garbage-${process.pid}.dat`);
    fs.writeFileSync(f, Buffer.from('this is not CSI at all, just text\n'.repeat(20)));
    try {
      const src = await openRecordingSource(f, ctx);
      assert.equal(src.summary.records, 0);
      assert.equal(src.summary.diagnostics[0].code, 'unknown-format');
      const v = computeView(src, { path: f, controls: controls(), maxColumns: 100 });
      assert.equal(v.timeS.length, 0);
    } finally {
      fs.rmSync(f, { force: true });
    }
  });

  it('the Doppler task refuses a too-long window with a reason and computes a short one', async () => {
    const d = await recordingDoppler({ path: file, controls: controls(), maxColumns: 200 }, ctx);
    assert.ok(d.unavailable === undefined, d.unavailable);
    assert.ok(d.timeS.length > 0);
    for (let col = 0; col < d.timeS.length; col++) {
      const sum = d.power.reduce((s, row) => s + row[col], 0);
      assert.ok(sum === 0 || Math.abs(sum - 1) < 1e-4, 'columns are normalised to sum 1');
    }
  });
});

describe('editor helpers', () => {
  it('keeps heatmap messages within the cell budget: fewer columns for recordings with many subcarriers', () => {
    assert.equal(columnBudget(2000, 30), 2000, 'Intel 5300 (30 subcarriers): the setting');
    assert.equal(columnBudget(2000, 64), 2000, 'ESP32 (64): exactly at the budget');
    assert.equal(columnBudget(2000, 256), CELL_BUDGET / 256, '80 MHz Nexmon: 500 columns');
    assert.ok(columnBudget(20000, 114) * 114 <= CELL_BUDGET);
    assert.equal(columnBudget(2000, 4096), 100, 'never below 100 columns');
    assert.equal(columnBudget(300, 0), 300, 'nothing known yet: the setting');
  });

  it('counts lost packets from sequence gaps, across wrap-around, ignoring repeats and restarts', () => {
    assert.equal(lostFromSeq(Int32Array.from([0, 1, 2, 5, 6])), 2);
    assert.equal(lostFromSeq(Int32Array.from([65534, 65535, 0, 1])), 0);
    assert.equal(lostFromSeq(Int32Array.from([4094, 4095, 1])), 1, '12-bit 802.11 sequence numbers wrap at 4096');
    assert.equal(lostFromSeq(Int32Array.from([10, 10, 11])), 0);
    assert.equal(lostFromSeq(Int32Array.from([500, 100, 101])), 0, 'a restart is not a loss');
    assert.equal(lostFromSeq(Int32Array.from([-1, -1])), undefined);
  });

  it('display time is monotone: a clock reset continues with the median interval', () => {
    const { timeS, clockResets } = displayTime([1000, 2000, 3000, 500, 1500], 5);
    assert.equal(clockResets, 1);
    assert.deepEqual(Array.from(timeS), [0, 0.001, 0.002, 0.003, 0.004]);
  });

  it('maps a time range to the packets inside it', () => {
    const t = Float64Array.from([0, 0.1, 0.2, 0.3, 0.4]);
    assert.deepEqual(packetRange(t, 5, [0.1, 0.3]), [1, 4]);
    assert.deepEqual(packetRange(t, 5, [0.15, 0.25]), [2, 3]);
    assert.deepEqual(packetRange(t, 5, [0.31, 0.32]), [4, 5], 'between two packets: the nearest following one');
    assert.deepEqual(packetRange(t, 5), [0, 5]);
  });
});
