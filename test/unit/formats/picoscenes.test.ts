// PicoScenes reader against refdata/expected (frame and segment walk of the independent numpy reader; csiread and
// CSIKit agree on the counts), the Intel 5300 reader for the IWL5300 payloads, physical channel coherence for the
// decoded CSI, and streaming / bad input.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { intel5300Reader } from '../../../src/core/formats/intel5300/reader';
import { picoscenesReader } from '../../../src/core/formats/picoscenes/reader';
import type { CsiFrame, CsiRecording } from '../../../src/core/formats/types';
import { refdata } from '../../helpers/paths';
import { LAYOUT_KEYS } from '../../../src/core/formats/frameIndex';
import { assertFramesMatchRecording, assertSkipCsiPass, collect, damaged, diagKeys } from './streamCompare';

interface ExpFrame {
  offset: number;
  frame_length: number;
  version: number;
  mpdu_bytes: number;
  segments: { name: string; version: number; length: number }[];
}
interface Expected {
  num_frames: number;
  trailing_bytes: number;
  segment_layouts: Record<string, number>;
  first_frame: ExpFrame;
  last_frame?: ExpFrame;
}

const FILES = ['rx_by_iwl5300.csi', 'picoscenes_iwl5300_example.csi', 'rx_by_qca9300.csi', 'picoscenes_ax200_example.csi'];
const load = (name: string) => new Uint8Array(fs.readFileSync(refdata('picoscenes', name)));
const expected = (name: string): Expected => JSON.parse(fs.readFileSync(refdata('expected', `${name}.json`), 'utf8')) as Expected;
const framesOf = async (b: Uint8Array) => (await collect(picoscenesReader, b, [1 << 20])).frames;

function checkFrame(f: CsiFrame, e: ExpFrame): void {
  assert.equal(f.offset, e.offset);
  assert.equal(f.header.frameLength, e.frame_length);
  assert.equal(f.header.frameVersion, e.version);
  assert.equal(f.header.mpdu_bytes, e.mpdu_bytes);
  assert.equal(f.header.segments, e.segments.map(s => `${s.name}.v${s.version}:${s.length}`).join(','));
}

/**
 * Channel coherence: mean |(|H[k+1]| − |H[k]|)| / mean |H| over neighbouring tones of every (rx, tx) stream of the
 * first `n` packets. A real channel changes little between neighbouring subcarriers; a wrong bit offset, value
 * order or byte order gives independent-looking values (≈0.5 or more for this statistic).
 */
function roughness(rec: CsiRecording, n = 50): number {
  let d = 0,
    m = 0;
  const S = rec.nSubcarriers,
    R = rec.nRx,
    T = rec.nTx;
  for (let p = 0; p < Math.min(n, rec.nPackets); p++)
    for (let r = 0; r < rec.nRxPerPacket[p]; r++)
      for (let t = 0; t < rec.nTxPerPacket[p]; t++) {
        let prev = NaN;
        for (let k = 0; k < S; k++) {
          const i = 2 * (((p * S + k) * R + r) * T + t);
          const a = Math.hypot(rec.csi[i], rec.csi[i + 1]);
          if (a === 0) {
            prev = NaN;
            continue;
          } // absent subcarrier (alignment zeros)
          m += a;
          if (!Number.isNaN(prev)) d += Math.abs(a - prev);
          prev = a;
        }
      }
  return d / m;
}

describe('formats/picoscenes', () => {
  for (const name of FILES) {
    describe(name, () => {
      const bytes = load(name);
      const exp = expected(name);
      const rec = picoscenesReader.read(bytes, { file: name });

      it('walks every frame and segment like the reference reader', async () => {
        assert.equal(rec.nPackets, exp.num_frames);
        assert.equal(rec.meta.framesWithoutCsi, 0);
        assert.deepEqual(rec.diagnostics, []); // trailing_bytes 0, nothing odd
        const frames = await framesOf(bytes);
        const layouts: Record<string, number> = {};
        for (const f of frames) {
          const key = (f.header.segments as string)
            .split(',')
            .map(s => s.split(':')[0])
            .join(',');
          layouts[key] = (layouts[key] ?? 0) + 1;
        }
        assert.deepEqual(layouts, exp.segment_layouts);
        checkFrame(frames[0], exp.first_frame);
        if (exp.last_frame) checkFrame(frames[frames.length - 1], exp.last_frame);
      });

      it('decodes CSI that is coherent across neighbouring subcarriers', () => {
        const r = roughness(rec);
        assert.ok(r < 0.3, `roughness ${r}`);
        // The same statistic on byte-shuffled CSI payloads is far larger, so the test can tell right from wrong.
        const junk = { ...rec, csi: rec.csi.map((_, i) => rec.csi[(i * 7919) % rec.csi.length]) };
        assert.ok(roughness(junk) > 2 * r, `shuffled ${roughness(junk)} vs ${r}`);
      });

      it('frames() over 7-byte and odd chunks gives the same frames as read()', async () => {
        for (const sizes of [[7], [1, 2, 3, 5, 4093]]) {
          const { frames, diagnostics } = await collect(picoscenesReader, bytes, sizes, { file: name });
          if (name.includes('ax200')) assertAlignedFramesMatch(frames, rec);
          else assertFramesMatchRecording(frames, rec);
          assert.deepEqual(diagKeys(diagnostics), diagKeys(rec.diagnostics));
        }
      });
    });
  }

  it('frames() over 1-byte chunks matches read()', async () => {
    const bytes = load('picoscenes_iwl5300_example.csi');
    assertFramesMatchRecording((await collect(picoscenesReader, bytes, [1])).frames, picoscenesReader.read(bytes));
  });

  describe('devices', () => {
    it('IWL5300 payloads decode exactly as the Intel 5300 reader decodes the same bytes in a .dat record', async () => {
      const bytes = load('picoscenes_iwl5300_example.csi');
      const frames = await framesOf(bytes);
      const rec = picoscenesReader.read(bytes);
      assert.equal(rec.device, 'Intel 5300 (PicoScenes)');
      for (const p of [0, 1, 57, frames.length - 1]) {
        const f = frames[p];
        const len = (f.header.segments as string).includes('CSI.v2:175') ? 132 : -1;
        assert.equal(len, 132, 'Nrx 2 × Ntx 1 payload');
        // The CSI buffer is the last `len` bytes of the CSI segment, which ends where the MPDU begins.
        const frameEnd = f.offset + 4 + (f.header.frameLength as number);
        const payloadStart = frameEnd - (f.header.mpdu_bytes as number) - len;
        const dat = bfeeRecord(bytes.subarray(payloadStart, payloadStart + len), f.nRx, f.nTx, f.header.antSel as number);
        const intel = intel5300Reader.read(dat);
        assert.equal(intel.nPackets, 1);
        const per = 2 * 30 * f.nRx * f.nTx;
        assert.deepEqual(Array.from(f.csi.subarray(0, per)), Array.from(intel.csi.subarray(0, per)), `frame ${p}`);
      }
      assert.deepEqual(Array.from(rec.subcarrierIndices.slice(0, 3)), [-28, -26, -24]);
      assert.equal(rec.carrierHz, 2437e6);
    });

    it('RxSBasic v1 and v3 fields decode as the bytes say', async () => {
      // picoscenes_iwl5300_example.csi, frame 0, RxSBasic v1 body at offset 0x1b (xxd):
      // 0053 | 2b16787346000000 | 8509 | 01 | 1400 | 2003 | 03 01 00 02 | a7 | 14 00 1b 22
      // = deviceType 0x5300, centre 2437 MHz, HT, CBW 20, GI 800, MCS 3, 1 STS, 0 ESS, 2 rx, noise floor -89,
      // RSSI stored relative to the noise floor: 20, 0, 27, 34 → -69, -89, -62, -55 dBm (the toolbox's values).
      const v1 = (await framesOf(load('picoscenes_iwl5300_example.csi')))[0].header;
      assert.deepEqual(
        [
          v1.rxsbasic_version,
          v1.deviceType,
          v1.centerFreq,
          v1.packetFormat,
          v1.cbw,
          v1.guardInterval,
          v1.mcs,
          v1.numSTS,
          v1.numESS,
          v1.numRx,
          v1.noiseFloor,
          v1.rssi,
          v1.rssi_ctl0,
          v1.rssi_ctl1,
          v1.rssi_ctl2,
        ],
        [1, 0x5300, 2437, 1, 20, 800, 3, 1, 0, 2, -89, -69, -89, -62, -55],
      );
      assert.equal(v1.tstamp, 0x467378162b);
      // Its CSI v2 header at 0x73: 0053 | 01 | 1400 | 40ab419100000000 | 002d310100000000 | b4c40400 | 1e00 |
      // 01 02 00 06 | 0000 | 84000000 = IWL5300, HT, CBW 20, 2437 MHz, 20 MHz sampling, 312.5 kHz spacing,
      // 30 tones, 1 STS, 2 rx, 0 ESS, antSel 6, offset 0, 132 bytes of CSI.
      assert.deepEqual(
        [
          v1.csi_deviceType,
          v1.csi_packetFormat,
          v1.csi_cbw,
          v1.carrierFreq,
          v1.samplingRate,
          v1.subcarrierBandwidth,
          v1.numTones,
          v1.numTx,
          v1.csi_numRx,
          v1.numESS_csi,
          v1.antSel,
          v1.subcarrierOffset,
        ],
        [0x5300, 1, 20, 2437e6, 20e6, 312500, 30, 1, 2, 0, 6, 0],
      );
      // picoscenes_ax200_example.csi, frame 0, RxSBasic v3 body at offset 0x1c:
      // 0020 | 0000000000000000 | 6c09 | 6c09 | 1400 | 01 | 1400 | 2003 | 04 01 00 02 01 00 | 80 | df dd e0 80
      const v3 = (await framesOf(load('picoscenes_ax200_example.csi')))[0].header;
      assert.deepEqual(
        [
          v3.rxsbasic_version,
          v3.deviceType,
          v3.tstamp,
          v3.centerFreq,
          v3.controlFreq,
          v3.cbw,
          v3.packetFormat,
          v3.pkt_cbw,
          v3.guardInterval,
          v3.mcs,
          v3.numSTS,
          v3.numESS,
          v3.numRx,
          v3.numUser,
          v3.userIndex,
          v3.noiseFloor,
          v3.rssi,
          v3.rssi_ctl0,
          v3.rssi_ctl1,
          v3.rssi_ctl2,
        ],
        [3, 0x2000, 0, 2412, 2412, 20, 1, 20, 800, 4, 1, 0, 2, 1, 0, -128, -33, -35, -32, -128],
      );
    });

    it('QCA9300: 56 HT20 tones, 3 rx chains, carrier from the CSI segment', () => {
      const rec = picoscenesReader.read(load('rx_by_qca9300.csi'));
      assert.equal(rec.device, 'QCA9300 (PicoScenes)');
      assert.equal(rec.nSubcarriers, 56);
      assert.equal(rec.nRx, 3);
      assert.equal(rec.bandwidthMHz, 20);
      assert.ok(!rec.subcarrierIndices.includes(0));
      assert.equal(rec.carrierHz, 5200e6);
      // Noise floor and RSSI per chain come from RxSBasic v1 (RSSI relative to the noise floor, reported in dBm).
      assert.ok(rec.noise.every(v => v < -50 && v > -110));
    });

    it('AX200: HT (56 tones) and non-HT (52 tones) frames share columns by subcarrier index', async () => {
      const bytes = load('picoscenes_ax200_example.csi');
      const rec = picoscenesReader.read(bytes);
      const frames = await framesOf(bytes);
      // Union of the 802.11 HT20 (±1..±28) and non-HT (±1..±26) data+pilot subcarriers is the HT20 set.
      const ht20 = [...Array.from({ length: 28 }, (_, i) => i - 28), ...Array.from({ length: 28 }, (_, i) => i + 1)];
      assert.deepEqual(Array.from(rec.subcarrierIndices), ht20);
      const p = frames.findIndex(f => f.nSubcarriers === 52);
      assert.ok(p > 0);
      assert.equal(frames[p].header.packetFormat, 0);
      const per = 2 * rec.nRx * rec.nTx;
      const at = (k: number) => Array.from(rec.csi.subarray((p * 56 + k) * per, (p * 56 + k) * per + 2));
      assert.deepEqual(at(0), [0, 0]); // -28 absent in non-HT
      assert.deepEqual(at(1), [0, 0]); // -27
      assert.deepEqual(at(2), Array.from(frames[p].csi.subarray(0, 2))); // -26 = first non-HT tone
      assert.deepEqual(at(55), [0, 0]); // +28
      // Timestamps come from the MVMExtra MAC clock (RxSBasic tstamp is 0): ~5 s of packets. The driver reports
      // some CSI out of order (66 of 884 steps go back by a few ms), so only require mostly-increasing times.
      assert.equal(rec.meta.timestampSource, 'MVMExtra MAC time (u32 µs, unwrapped)');
      const dur = rec.timestampUs[rec.nPackets - 1] - rec.timestampUs[0];
      assert.ok(dur > 1e6 && dur < 60e6, `duration ${dur} µs`);
      let back = 0;
      for (let i = 1; i < rec.nPackets; i++) if (rec.timestampUs[i] < rec.timestampUs[i - 1]) back++;
      assert.ok(back < rec.nPackets / 10, `${back} backward steps`);
    });
  });

  it('counts transmitters (MPDU addr2) and honours macFilter', async () => {
    // The AX200 sample hears three transmitters; 96 of its frames carry an MPDU shorter than a 24-byte data
    // header (control frames), so they have no addr2 and are not counted.
    const bytes = load('picoscenes_ax200_example.csi');
    const all = picoscenesReader.read(bytes);
    const macs = all.meta.sourceMacs as Record<string, number>;
    assert.equal(Object.keys(macs).length, 3);
    const [mac, n] = Object.entries(macs).sort((a, b) => b[1] - a[1])[0];
    const one = picoscenesReader.read(bytes, { macFilter: mac.toUpperCase() });
    assert.equal(one.nPackets, n);
    assert.equal(one.meta.filteredFrames, 885 - n);
    const streamed = (await collect(picoscenesReader, bytes, [4096], { macFilter: mac })).frames;
    assert.equal(streamed.length, n);
    assert.ok(streamed.every(f => f.header.addr2 === mac));
  });

  it('the index pass (skipCsi, scan()) frames exactly as a normal pass, without CSI values; read() ignores the option', async () => {
    for (const name of ['rx_by_iwl5300.csi', 'picoscenes_iwl5300_example.csi', 'rx_by_qca9300.csi', 'picoscenes_ax200_example.csi']) {
      await assertSkipCsiPass(picoscenesReader, load(name), [65536], LAYOUT_KEYS, name);
      await assertSkipCsiPass(picoscenesReader, load(name), [997], LAYOUT_KEYS, `${name} (small chunks)`);
      await assertSkipCsiPass(picoscenesReader, damaged(load(name)), [4093], LAYOUT_KEYS, `${name} damaged`);
    }
  });

  describe('bad input', () => {
    const good = load('picoscenes_iwl5300_example.csi');
    const flen = (b: Uint8Array, p: number) => new DataView(b.buffer, b.byteOffset).getUint32(p, true);
    const starts: number[] = [];
    for (let p = 0; p + 4 <= good.length; p += 4 + flen(good, p)) starts.push(p);

    it('keeps the complete frames of a truncated file and reports the tail', () => {
      const rec = picoscenesReader.read(good.subarray(0, starts[5] + 50), { file: 'cut.csi' });
      assert.equal(rec.nPackets, 5);
      const d = rec.diagnostics.find(x => x.code === 'truncated-record');
      assert.ok(d);
      assert.equal(d.offset, starts[5]);
      assert.equal(d.file, 'cut.csi');
    });

    it('garbage between frames is skipped and reported; a huge frame length is rejected without allocating', () => {
      const b = new Uint8Array(good.length + 100);
      b.set(good.subarray(0, starts[3]));
      b.fill(0xee, starts[3], starts[3] + 100);
      b.set(good.subarray(starts[3]), starts[3] + 100);
      const rec = picoscenesReader.read(b);
      assert.equal(rec.nPackets, 112);
      assert.ok(rec.diagnostics.some(d => d.code === 'bad-magic' && d.offset === starts[3]));
      const skip = rec.diagnostics.find(d => d.code === 'skipped-bytes');
      assert.ok(skip && skip.offset === starts[3] && /100 byte/.test(skip.message));

      const huge = good.slice();
      new DataView(huge.buffer).setUint32(starts[2], 0xfffffff0, true);
      const r2 = picoscenesReader.read(huge);
      assert.equal(r2.nPackets, 111);
      assert.ok(r2.diagnostics.some(d => d.code === 'bad-length' && d.offset === starts[2]));

      // A plausible but wrong length (frame 2 claims 5000 more bytes) would swallow the next frames: the frame
      // headers inside it give it away; only frame 2 is lost.
      const longer = good.slice();
      new DataView(longer.buffer).setUint32(starts[2], flen(good, starts[2]) + 5000, true);
      const r3 = picoscenesReader.read(longer);
      assert.equal(r3.nPackets, 111);
      assert.deepEqual(Array.from(r3.offsets.slice(2, 4)), [starts[3], starts[4]]);
      assert.ok(r3.diagnostics.some(d => d.code === 'bad-length' && d.offset === starts[2]));
    });

    it('a segment length past its frame is reported; unknown segments are skipped', () => {
      const b = good.slice();
      // Frame 4: first segment (RxSBasic) at +11; claim it is 1 MB long.
      new DataView(b.buffer).setUint32(starts[4] + 11, 1 << 20, true);
      // Frame 6: rename ExtraInfo to an unknown segment name of the same length.
      const p6 = starts[6] + 11 + 4 + 37;
      assert.equal(String.fromCharCode(...b.subarray(p6 + 5, p6 + 14)), 'ExtraInfo');
      b.set(new TextEncoder().encode('Unknown99'), p6 + 5);
      const rec = picoscenesReader.read(b);
      assert.equal(rec.nPackets, 111);
      assert.ok(rec.diagnostics.some(d => d.code === 'bad-segment' && d.offset === starts[4] + 11));
      assert.equal((rec.meta.segments as Record<string, number>)['Unknown99.v1'], 1);
      assert.equal(rec.meta.framesWithoutCsi, 1);
    });

    it('non-PicoScenes content gives an error diagnostic, no throw', () => {
      for (const b of [new Uint8Array(0), new Uint8Array(5000).fill(7), load('rx_by_qca9300.csi').subarray(0, 9)]) {
        const rec = picoscenesReader.read(b, { file: 'x' });
        assert.equal(rec.nPackets, 0);
        assert.ok(rec.diagnostics.length > 0 && rec.diagnostics.every(d => d.file === 'x'));
      }
      assert.equal(picoscenesReader.sniff(new Uint8Array(5000).fill(7)), 0);
      for (const name of FILES) assert.ok(picoscenesReader.sniff(load(name).subarray(0, 65536)) > 0.9);
    });
  });
});

/** Streamed AX200 frames keep their own tones; read() aligns them by subcarrier index (HT20 ⊇ non-HT). */
function assertAlignedFramesMatch(frames: CsiFrame[], rec: CsiRecording): void {
  assert.equal(frames.length, rec.nPackets);
  const idx = Array.from(rec.subcarrierIndices);
  frames.forEach((f, p) => {
    const own =
      f.nSubcarriers === 52 ? [...Array.from({ length: 26 }, (_, i) => i - 26), ...Array.from({ length: 26 }, (_, i) => i + 1)] : idx;
    const per = 2 * f.nRx * f.nTx;
    own.forEach((sc, k) => {
      const c = idx.indexOf(sc);
      assert.deepEqual(
        Array.from(rec.csi.subarray((p * rec.nSubcarriers + c) * per, (p * rec.nSubcarriers + c + 1) * per)),
        Array.from(f.csi.subarray(k * per, (k + 1) * per)),
        `frame ${p} subcarrier ${sc}`,
      );
    });
  });
}

/** One Intel 5300 log entry (FORMATS.md §1.1) around a CSI payload, for cross-checking with the Intel reader. */
function bfeeRecord(payload: Uint8Array, nrx: number, ntx: number, antSel: number): Uint8Array {
  const b = new Uint8Array(3 + 20 + payload.length);
  const L = 1 + 20 + payload.length;
  b[0] = L >> 8;
  b[1] = L & 0xff;
  b[2] = 0xbb;
  b[3 + 8] = nrx;
  b[3 + 9] = ntx;
  b[3 + 10] = 30;
  b[3 + 11] = 30;
  b[3 + 12] = 30; // rssi a, b, c
  b[3 + 13] = 0x81; // noise -127
  b[3 + 15] = antSel;
  b[3 + 16] = payload.length & 0xff;
  b[3 + 17] = payload.length >> 8;
  b.set(payload, 23);
  return b;
}
