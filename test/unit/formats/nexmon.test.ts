// Nexmon pcap reader against refdata/expected (independent numpy reader, cross-checked with csiread / MATLAB), plus
// container variants (big-endian, ns, pcapng) built from the real files, multi-transmitter filtering, streaming and
// bad input.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { nexmonReader } from '../../../src/core/formats/nexmon/reader';
import type { CsiFrame, CsiRecording } from '../../../src/core/formats/types';
import { refdata } from '../../helpers/paths';
import { readMat } from './matV5';
import { LAYOUT_KEYS } from '../../../src/core/formats/frameIndex';
import { assertFramesMatchRecording, assertSkipCsiPass, collect, damaged, diagKeys } from './streamCompare';
import { FILES, framesOf, load, toBigEndianNs, toPcapng } from './nexmonFixtures';

interface ExpPacket {
  ts_sec: number;
  ts_frac: number;
  magic: string;
  rssi: number | null;
  frame_control: number | null;
  src_mac: string;
  seq: number;
  core: number;
  spatial_stream: number;
  chanspec: string;
  chip_field: string;
  chip: string | null;
  nsub: number;
  raw_words: Record<string, string>;
  csi?: Record<string, [number, number]>;
}
interface Expected {
  num_frames: number;
  nsub_histogram: Record<string, number>;
  first_frames: ExpPacket[];
  last_frame_index: number;
  last_frame: ExpPacket;
}

const expected = (name: string): Expected => JSON.parse(fs.readFileSync(refdata('expected', `${name}.json`), 'utf8')) as Expected;

/** One UDP packet as the reference reader sees it: which frame holds it and at which (core, stream). */
interface PacketRef {
  frame: number;
  j: number;
  f: CsiFrame;
}
function packetsOf(frames: CsiFrame[]): PacketRef[] {
  const out: PacketRef[] = [];
  frames.forEach((f, i) => (f.header.core as number[]).forEach((_c, j) => out.push({ frame: i, j, f })));
  return out;
}

/** CSI value of OFDM subcarrier at FFT-order position k (what nexmon sends) for one packet. */
function csiAt(rec: CsiRecording, ref: PacketRef, k: number): [number, number] {
  const n = ref.f.nSubcarriers;
  const col = (k + n / 2) % n; // stored fftshifted: column c = FFT index (c + N/2) mod N
  const rx = (ref.f.header.core as number[])[ref.j];
  const tx = (ref.f.header.spatial_stream as number[])[ref.j];
  const i = 2 * (((ref.frame * rec.nSubcarriers + col) * rec.nRx + rx) * rec.nTx + tx);
  return [rec.csi[i], rec.csi[i + 1]];
}

function checkPacket(rec: CsiRecording, ref: PacketRef, e: ExpPacket, what: string): void {
  const h = ref.f.header;
  const j = ref.j;
  assert.equal(h.src_mac, e.src_mac, what);
  assert.equal(h.seq, e.seq, what);
  assert.equal((h.core as number[])[j], e.core, what);
  assert.equal((h.spatial_stream as number[])[j], e.spatial_stream, what);
  assert.equal(h.chanspec, e.chanspec, what);
  assert.equal(h.chip_field, e.chip_field, what);
  assert.equal(h.magic, e.magic, what);
  assert.equal((h.nsub as number[])[j], e.nsub, what);
  const rssi = (h.rssi as number[])[j];
  if (e.rssi === null) assert.ok(Number.isNaN(rssi), what);
  else assert.equal(rssi, e.rssi, what);
  assert.equal(h.frame_control, e.frame_control ?? -1, what);
  if (j === 0) {
    assert.equal(h.ts_sec, e.ts_sec, what);
    assert.equal(h.ts_frac, e.ts_frac, what);
    assert.equal(ref.f.timestampUs, e.ts_sec * 1e6 + e.ts_frac, what);
  }
  if (e.csi) {
    // Exact values (int16 as stored; packed floats as sign·mantissa·2^exponent).
    for (const [k, v] of Object.entries(e.csi)) assert.deepEqual(csiAt(rec, ref, +k), v, `${what} subcarrier ${k}`);
  }
}

describe('formats/nexmon', () => {
  for (const name of FILES) {
    describe(name, () => {
      const bytes = load(name);
      const exp = expected(name);
      const rec = nexmonReader.read(bytes, { file: name });

      it('reads every CSI packet and assembles frames by sequence number and core/stream', async () => {
        // The reference counts UDP packets; we count them in meta.csiPackets. Frames group the packets of one
        // received 802.11 frame: example.pcap holds 1 frame × 2 cores × 2 streams (MANIFEST), the other files one
        // packet per frame (single core/stream; 43455c0 firmware leaves the sequence number constant).
        assert.equal(rec.meta.csiPackets, exp.num_frames);
        const packets = packetsOf(await framesOf(bytes));
        assert.equal(packets.length, exp.num_frames);
        if (name === 'example.pcap') {
          assert.equal(rec.nPackets, 1);
          assert.equal(rec.nRx, 2);
          assert.equal(rec.nTx, 2);
        } else {
          assert.equal(rec.nPackets, exp.num_frames);
        }
        // Packets with 257 words (example_43455c0.pcap) keep their first 256 (csiread's choice; MATLAB drops them,
        // see cross_checked) and are flagged.
        const odd = Object.entries(exp.nsub_histogram)
          .filter(([n]) => +n !== rec.nSubcarriers)
          .reduce((a, [, c]) => a + c, 0);
        assert.equal(rec.diagnostics.filter(d => d.code === 'odd-csi-size').length, odd);
        assert.ok(
          rec.diagnostics.every(d => d.severity === 'info'),
          JSON.stringify(rec.diagnostics.slice(0, 3)),
        );
      });

      it('matches the reference header fields and exact CSI values (first packets and last packet)', async () => {
        const packets = packetsOf(await framesOf(bytes));
        exp.first_frames.forEach((e, i) => checkPacket(rec, packets[i], e, `packet ${i}`));
        checkPacket(rec, packets[exp.last_frame_index], exp.last_frame, 'last packet');
      });

      it('derives bandwidth, fftshifted subcarrier indices and carrier from the chanspec', () => {
        const cs = parseInt(exp.first_frames[0].chanspec, 16);
        const bw = { 2: 20, 3: 40, 4: 80 }[(cs >> 11) & 7]!;
        assert.equal(rec.bandwidthMHz, bw);
        assert.equal(rec.nSubcarriers, bw * 3.2);
        assert.equal(rec.subcarrierIndices[0], -bw * 1.6);
        assert.equal(rec.subcarrierIndices[rec.nSubcarriers / 2], 0);
        assert.equal(rec.subcarrierIndices[rec.nSubcarriers - 1], bw * 1.6 - 1);
        // 5 GHz band: f = 5000 + 5·channel MHz (channel = low byte of the chanspec).
        assert.equal(rec.carrierHz, (5000 + 5 * (cs & 0xff)) * 1e6);
      });

      it('frames() over 7-byte and odd-sized chunks gives the same frames as read()', async () => {
        for (const sizes of [[7], [1, 3, 5, 11, 4099]]) {
          const { frames, diagnostics } = await collect(nexmonReader, bytes, sizes, { file: name });
          assertFramesMatchRecording(frames, rec);
          assert.deepEqual(diagKeys(diagnostics), diagKeys(rec.diagnostics));
        }
      });
    });
  }

  describe('against MATLAB csireader.m output (refdata/matlab, saved by CSIKit)', () => {
    /** Packets in file order, each as 256 [re, im] values in FFT order (what csireader.m returns per row). */
    async function packetRows(name: string): Promise<{ rows: number[][][]; nsub: number[] }> {
      const rows: number[][][] = [];
      const nsub: number[] = [];
      for (const f of await framesOf(load(name))) {
        const n = f.nSubcarriers;
        (f.header.core as number[]).forEach((core, j) => {
          const ss = (f.header.spatial_stream as number[])[j];
          const row: number[][] = [];
          for (let k = 0; k < n; k++) {
            const i = 2 * ((((k + n / 2) % n) * f.nRx + core) * f.nTx + ss);
            row.push([f.csi[i], f.csi[i + 1]]);
          }
          rows.push(row);
          nsub.push((f.header.nsub as number[])[j]);
        });
      }
      return { rows, nsub };
    }

    for (const [name, mat, k] of [
      ['example.pcap', 'example_4358.mat', 9],
      ['example_4366c0.pcap', 'example_4366c0.mat', 8],
    ] as const) {
      it(`${name}: MATLAB's integers are our exact values × 2^${k} truncated toward zero, for every value`, async () => {
        // FORMATS.md §3 / cross_checked: unpack_float_acphy scales by a power of two and truncates.
        const m = readMat(fs.readFileSync(refdata('matlab', mat))).csi_buff;
        const [nr, nc] = m.dims;
        const { rows } = await packetRows(name);
        assert.equal(rows.length, nr);
        for (let r = 0; r < nr; r++)
          for (let c = 0; c < nc; c++) {
            const [re, im] = rows[r][c];
            const want = [m.re[r + nr * c], m.im![r + nr * c]];
            if (Math.trunc(re * 2 ** k) !== want[0] || Math.trunc(im * 2 ** k) !== want[1]) {
              assert.fail(`packet ${r} subcarrier ${c}: ours [${re}, ${im}] × 2^${k} vs MATLAB [${want}]`);
            }
          }
      });
    }

    it('example_43455c0.pcap: int16 values equal MATLAB for every packet MATLAB keeps (it drops the 257-word ones)', async () => {
      const m = readMat(fs.readFileSync(refdata('matlab', 'example_43455c0.mat'))).csi_buff;
      const [nr, nc] = m.dims;
      const { rows, nsub } = await packetRows('example_43455c0.pcap');
      const kept = rows.filter((_, i) => nsub[i] === 256);
      assert.equal(kept.length, 548);
      for (let r = 0; r < nr; r++)
        for (let c = 0; c < nc; c++) {
          const want: number[] = r < kept.length ? kept[r][c] : [0, 0]; // MATLAB leaves its last 18 rows zero
          if (m.re[r + nr * c] !== want[0] || (m.im?.[r + nr * c] ?? 0) !== want[1]) {
            assert.fail(`row ${r} subcarrier ${c}: MATLAB [${m.re[r + nr * c]}, ${m.im?.[r + nr * c]}] vs ours [${want}]`);
          }
        }
    });
  });

  it('decodes bcm4358 packed floats (example.pcap, chip field 0xdead) to their exact value', () => {
    // Word 0 of packet 0 is 0x004fd031 (expected JSON raw_words). bcm4358 layout (nman 9, nexp 5), by hand:
    // exponent = bits 0-4 = 0b10001 = 17 → 17 - 32 = -15; imag magnitude = bits 5-12 = 0x81 = 129, imag sign
    // bit 13 = 0; real magnitude = bits 14-21 = 0x3f = 63, real sign bit 22 = 1. Value = (-63 + 129j)·2^-15.
    // Word 255 = 0x007fcbf3: exp 0b10011 = 19 → -13; imag bits 5-12 = 0x5f = 95, bit 13 = 0;
    // real bits 14-21 = 0xff = 255, bit 22 = 1 → (-255 + 95j)·2^-13.
    const rec = nexmonReader.read(load('example.pcap'));
    const at = (k: number) => {
      const c = (k + 128) % 256;
      const i = 2 * (c * rec.nRx * rec.nTx);
      return [rec.csi[i], rec.csi[i + 1]];
    };
    assert.deepEqual(at(0), [-63 * 2 ** -15, 129 * 2 ** -15]);
    assert.deepEqual(at(255), [-255 * 2 ** -13, 95 * 2 ** -13]);
    assert.ok(rec.diagnostics.some(d => d.code === 'chip-inferred'));
    assert.equal(rec.device, 'Broadcom bcm4358 (nexmon_csi)');
  });

  it('frames() over 1-byte chunks matches read() (example.pcap)', async () => {
    const bytes = load('example.pcap');
    const rec = nexmonReader.read(bytes);
    assertFramesMatchRecording((await collect(nexmonReader, bytes, [1])).frames, rec);
  });

  it('the index pass (skipCsi, scan()) frames exactly as a normal pass, without CSI values; read() ignores the option', async () => {
    for (const name of ['example_4366c0.pcap', 'example_43455c0.pcap', 'example.pcap', '40mhz_1600085286.pcap']) {
      await assertSkipCsiPass(nexmonReader, load(name), [65536], LAYOUT_KEYS, name);
      await assertSkipCsiPass(nexmonReader, load(name), [997], LAYOUT_KEYS, `${name} (small chunks)`);
      await assertSkipCsiPass(nexmonReader, damaged(load(name)), [4093], LAYOUT_KEYS, `${name} damaged`);
    }
  });

  describe('containers', () => {
    const bytes = load('example_4366c0.pcap');
    const ref = nexmonReader.read(bytes);

    it('big-endian pcap with nanosecond timestamps gives the same frames and times', () => {
      const be = toBigEndianNs(bytes);
      const rec = nexmonReader.read(be);
      assert.equal(rec.meta.container, 'pcap (big-endian, ns)');
      assert.deepEqual(rec.csi, ref.csi);
      assert.deepEqual(rec.timestampUs, ref.timestampUs);
    });

    it('pcapng (SHB + IDB + EPB) gives the same frames and times', async () => {
      const ng = toPcapng(bytes);
      const rec = nexmonReader.read(ng);
      assert.equal(rec.meta.container, 'pcapng');
      assert.equal(rec.nPackets, ref.nPackets);
      assert.deepEqual(rec.csi, ref.csi);
      assert.deepEqual(rec.timestampUs, ref.timestampUs);
      assertFramesMatchRecording((await collect(nexmonReader, ng, [7])).frames, rec);
    });
  });

  describe('multiple transmitters', () => {
    // Real captures with one transmitter only; make a second one by rewriting the nexmon source MAC of every odd
    // packet (payload bytes 4-9; classic pcap, Ethernet/IPv4/UDP, so payload at frame offset 42).
    const bytes = load('40mhz_1600085286.pcap').slice();
    let pos = 24,
      k = 0;
    while (pos + 16 <= bytes.length) {
      const incl = new DataView(bytes.buffer).getUint32(pos + 8, true);
      if (k++ % 2 === 1) bytes.set([0xaa, 0xbb, 0xcc, 0x00, 0x11, 0x22], pos + 16 + 42 + 4);
      pos += 16 + incl;
    }

    it('lists each source MAC in meta and keeps only the filtered one', () => {
      const all = nexmonReader.read(bytes);
      assert.deepEqual(all.meta.sourceMacs, { '24:a7:dc:06:df:5d': 41, 'aa:bb:cc:00:11:22': 40 });
      assert.equal(all.nPackets, 81);
      const one = nexmonReader.read(bytes, { macFilter: 'AA:BB:CC:00:11:22' });
      assert.equal(one.nPackets, 40);
      assert.equal(one.meta.filteredPackets, 41);
      const other = nexmonReader.read(bytes, { macFilter: '24:a7:dc:06:df:5d' });
      assert.equal(other.nPackets, 41);
      // The filtered frames are exactly the even packets of the unfiltered read.
      const per = 2 * all.nSubcarriers;
      for (let i = 0; i < other.nPackets; i++)
        assert.deepEqual(other.csi.subarray(i * per, (i + 1) * per), all.csi.subarray(2 * i * per, (2 * i + 1) * per));
    });

    it('honours macFilter in frames() too', async () => {
      const frames = await framesOf(bytes, { macFilter: 'aa:bb:cc:00:11:22' });
      assert.equal(frames.length, 40);
      assert.ok(frames.every(f => f.header.src_mac === 'aa:bb:cc:00:11:22'));
    });
  });
});
