// Nexmon reader on a real multi-transmitter capture (Fition) and on damaged input.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { nexmonReader } from '../../../src/core/formats/nexmon/reader';
import { labeled } from '../../helpers/paths';
import { FILES, framesOf, load } from './nexmonFixtures';

describe('formats/nexmon: real captures and bad input', () => {
  describe('real multi-transmitter capture (Fition walking_user3_rm3_1.pcap)', () => {
    const file = labeled('fition', 'walking_user3_rm3', 'walking_user3_rm3_1.pcap');
    const bytes = new Uint8Array(fs.readFileSync(file));
    const rec = nexmonReader.read(bytes);

    it('lists the three transmitters and filters the main one (manifest main_tx_mac)', async () => {
      const macs = rec.meta.sourceMacs as Record<string, number>;
      assert.equal(
        Object.values(macs).reduce((a, b) => a + b, 0),
        500,
      ); // manifest: 500 packets
      const main = nexmonReader.read(bytes, { macFilter: 'b8:27:eb:9d:69:92' });
      assert.equal(main.nPackets, macs['b8:27:eb:9d:69:92']);
      // The manifest's packets_main_tx (482) counts main-transmitter packets with exactly 256 words; ours also
      // keeps the ones with 257 words (first 256 used) and 20 MHz ones, each flagged by a diagnostic.
      const frames = await framesOf(bytes, { macFilter: 'b8:27:eb:9d:69:92' });
      const exact256 = frames.filter(f => f.nSubcarriers === 256 && (f.header.nsub as number[])[0] === 256).length;
      assert.equal(exact256, 482);
    });

    it('places a 20 MHz frame on its own band of the 80 MHz grid (channel 36 inside channel 42: columns 0-63)', async () => {
      const frames = await framesOf(bytes);
      // The main transmitter's 20 MHz frames are on channel 36 (chanspec 0xd024, 5180 MHz). (A stray 2.4 GHz frame
      // of another MAC, chanspec 0x1001, lies outside the 80 MHz block and is centred, as the warning says.)
      const p = frames.findIndex(f => f.nSubcarriers === 64 && f.header.chanspec === '0xd024');
      assert.ok(p >= 0);
      assert.equal(frames[p].header.src_mac, 'b8:27:eb:9d:69:92');
      let q = p - 1; // the same transmitter's previous 80 MHz frame
      while (q >= 0 && !(frames[q].nSubcarriers === 256 && frames[q].header.src_mac === frames[p].header.src_mac)) q--;
      assert.ok(q >= 0 && p - q < 5);
      assert.equal(frames[q].header.chanspec, '0xe02a'); // 80 MHz, channel 42 (5210 MHz)
      assert.ok(rec.diagnostics.some(d => d.code === 'mixed-bandwidth'));
      assert.equal(rec.nSubcarriers, 256);
      const row = rec.csi.subarray(p * 512, (p + 1) * 512);
      // (5180 − 5210) MHz / 312.5 kHz = −96 subcarriers: tone k of the 20 MHz frame is subcarrier k − 96 of the grid,
      // column k − 96 + 128, so tones −32..31 are columns 0..63.
      assert.deepEqual(Array.from(row.subarray(0, 2 * 64)), Array.from(frames[p].csi));
      assert.ok(row.subarray(2 * 64).every(v => v === 0));
      // Physics: both frames measure the same 20 MHz channel, so the null at its centre (the DC tone of channel 36)
      // and its occupied tones (±1..±28) must fall on the same columns in both. In the 80 MHz frames the occupied
      // columns are 4–31 and 33–60 and column 32 is the null; the placed 20 MHz frame must agree exactly (a shift of
      // one column would move its null). (The 80 MHz frames also carry a few spurious edge bins, e.g. column 3.)
      const amp = (r: Float32Array, c: number) => Math.hypot(r[2 * c], r[2 * c + 1]);
      const prev = rec.csi.subarray(q * 512, (q + 1) * 512);
      const nullIn = (r: Float32Array) => {
        let best = 4;
        for (let c = 4; c <= 60; c++) if (amp(r, c) < amp(r, best)) best = c;
        return best;
      };
      assert.equal(nullIn(prev), 32);
      assert.equal(nullIn(row), 32);
      const occupied = Array.from({ length: 256 }, (_, c) => c).filter(c => amp(row, c) > 0.5 * amp(row, 20));
      assert.deepEqual(occupied, [...Array.from({ length: 28 }, (_, i) => 4 + i), ...Array.from({ length: 28 }, (_, i) => 33 + i)]);
    });
  });

  describe('bad input', () => {
    const good = load('40mhz_1600085286.pcap');
    const recOffsets = (() => {
      const o: number[] = [];
      let p = 24;
      while (p + 16 <= good.length) {
        o.push(p);
        p += 16 + new DataView(good.buffer, good.byteOffset).getUint32(p + 8, true);
      }
      return o;
    })();

    it('keeps every complete packet of a truncated capture and reports the tail', () => {
      const cut = good.subarray(0, recOffsets[10] + 100);
      const rec = nexmonReader.read(cut, { file: 'cut.pcap' });
      assert.equal(rec.nPackets, 10);
      const d = rec.diagnostics.find(x => x.code === 'truncated-record');
      assert.ok(d);
      assert.equal(d.offset, recOffsets[10]);
      assert.equal(d.file, 'cut.pcap');
    });

    it('an impossible incl_len is reported and the walker resynchronises', () => {
      const bad = good.slice();
      new DataView(bad.buffer).setUint32(recOffsets[5] + 8, 0x7fffffff, true); // incl_len of packet 5
      const rec = nexmonReader.read(bad);
      assert.equal(rec.nPackets, 80); // only the damaged packet is lost
      assert.ok(rec.diagnostics.some(d => d.code === 'bad-length' && d.offset === recOffsets[5]));
      assert.ok(rec.diagnostics.some(d => d.code === 'skipped-bytes' && d.offset === recOffsets[5]));
      const clean = nexmonReader.read(good);
      const per = 2 * clean.nSubcarriers;
      assert.deepEqual(rec.csi.subarray(5 * per, 6 * per), clean.csi.subarray(6 * per, 7 * per));
    });

    it('a wrong nexmon magic skips that packet with a diagnostic', () => {
      const bad = good.slice();
      bad[recOffsets[3] + 16 + 42] = 0x22;
      const rec = nexmonReader.read(bad);
      assert.equal(rec.nPackets, 80);
      assert.ok(rec.diagnostics.some(d => d.code === 'bad-magic' && d.offset === recOffsets[3]));
    });

    it('non-pcap content and empty input give an error diagnostic, not a throw', () => {
      for (const b of [new Uint8Array(0), new TextEncoder().encode('type,role,mac\n'.repeat(5)), load('example.pcap').subarray(0, 20)]) {
        const rec = nexmonReader.read(b, { file: 'x' });
        assert.equal(rec.nPackets, 0);
        assert.ok(
          rec.diagnostics.some(d => d.severity === 'error' && d.file === 'x'),
          JSON.stringify(rec.diagnostics),
        );
      }
    });

    it('sniff recognises the Nexmon captures only', () => {
      for (const name of FILES) assert.equal(nexmonReader.sniff(load(name).subarray(0, 65536)), 0.95, name);
      assert.equal(nexmonReader.sniff(new Uint8Array(100)), 0);
    });
  });
});
