// The main link of a capture: the dominant transmitter's frames of its most common bandwidth. Checked on a real
// Fition capture against the upstream dataset's own count of main-transmitter packets and independently of the
// filter (per-frame MAC and width from the streaming pass), on a synthetic two-transmitter copy of a real capture,
// and for captures with one source, which must come back as read.
import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import { readRecording, readRecordingFile } from '../../../src/core/formats/index';
import { dominantSourceMac, readMainLink, readMainLinkFile, selectPackets, type MainLinkInfo } from '../../../src/core/formats/mainLink';
import { READERS } from '../../../src/core/formats/registry';
import type { CsiFrame } from '../../../src/core/formats/types';
import { labeled, refdata } from '../../helpers/paths';

const nexmon = READERS.find(r => r.format === 'nexmon')!;
async function framesOf(bytes: Uint8Array): Promise<CsiFrame[]> {
  async function* one() {
    yield bytes;
  }
  const out: CsiFrame[] = [];
  for await (const f of nexmon.frames(one())) out.push(f);
  return out;
}

describe('formats: main link', () => {
  it('keeps the dominant transmitter of a real capture and only its 80 MHz frames (Fition walking_user3_rm3_1)', async () => {
    const file = labeled('fition', 'walking_user3_rm3', 'walking_user3_rm3_1.pcap');
    const bytes = new Uint8Array(fs.readFileSync(file));
    const frames = await framesOf(bytes);
    const main = 'b8:27:eb:9d:69:92'; // manifest.csv main_tx_mac
    const want = frames.map((f, i) => [f, i] as const).filter(([f]) => f.header.src_mac === main && f.nSubcarriers === 256);
    // The dataset's manifest counts 482 main-transmitter packets with exactly 256 words; ours also keeps the ones
    // with 257 words (the first 256 used, nexmon/reader.ts).
    assert.equal(want.filter(([f]) => (f.header.nsub as number[])[0] === 256).length, 482);
    const rec = await readMainLinkFile(file);
    const info = rec.meta.mainLink as MainLinkInfo;
    assert.equal(info.mac, main);
    assert.equal(info.sources, 3);
    assert.equal(info.subcarriers, 256);
    assert.equal(rec.nPackets, want.length);
    assert.equal(info.otherTransmitterFrames + info.otherBandwidthFrames + rec.nPackets, frames.length);
    assert.ok(info.otherBandwidthFrames > 0, 'the capture holds 20 MHz frames of the main transmitter');
    // Exactly those frames, in order: timestamps and CSI match the streaming pass frame for frame.
    const whole = readRecording(bytes);
    want.forEach(([f, i], k) => {
      assert.equal(rec.offsets[k], f.offset);
      assert.equal(rec.timestampUs[k], whole.timestampUs[i]);
    });
    const per = 2 * 256;
    const k = 137; // one frame deep in the file
    assert.deepEqual(rec.csi.subarray(k * per, (k + 1) * per), whole.csi.subarray(want[k][1] * per, (want[k][1] + 1) * per));
    // No packet left without signal on the occupied sub-band (columns 4–60).
    for (let p = 0; p < rec.nPackets; p++)
      assert.ok(Math.hypot(rec.csi[p * per + 2 * 20], rec.csi[p * per + 2 * 20 + 1]) > 0, `packet ${p}`);
  });

  it('picks the transmitter with more frames of a two-transmitter capture, as an explicit macFilter would', async () => {
    // A real one-transmitter capture with the source MAC of every odd packet rewritten (payload bytes 4–9).
    const bytes = new Uint8Array(fs.readFileSync(refdata('nexmon', '40mhz_1600085286.pcap')));
    let pos = 24,
      k = 0;
    while (pos + 16 <= bytes.length) {
      const incl = new DataView(bytes.buffer).getUint32(pos + 8, true);
      if (k++ % 2 === 1) bytes.set([0xaa, 0xbb, 0xcc, 0x00, 0x11, 0x22], pos + 16 + 42 + 4);
      pos += 16 + incl;
    }
    const rec = await readMainLink(bytes);
    const filtered = readRecording(bytes, { macFilter: '24:a7:dc:06:df:5d' });
    assert.equal((rec.meta.mainLink as MainLinkInfo).mac, '24:a7:dc:06:df:5d'); // 41 frames against 40
    assert.equal(rec.nPackets, 41);
    assert.deepEqual(rec.csi, filtered.csi);
    assert.deepEqual(rec.timestampUs, filtered.timestampUs);
    // An explicit filter wins.
    assert.equal((await readMainLink(bytes, { macFilter: 'aa:bb:cc:00:11:22' })).nPackets, 40);
  });

  it('returns a one-source capture as read (Intel 5300, one-transmitter Nexmon)', async () => {
    for (const file of [refdata('intel5300', 'example.dat'), refdata('nexmon', '40mhz_1600085286.pcap')]) {
      const a = await readRecordingFile(file),
        b = await readMainLinkFile(file);
      assert.equal(b.nPackets, a.nPackets, file);
      assert.deepEqual(b.csi, a.csi, file);
      assert.equal(b.meta.mainLink, undefined, file);
    }
  });

  it('dominantSourceMac breaks ties by the smaller MAC and needs two sources', () => {
    assert.equal(
      dominantSourceMac({ meta: { sourceMacs: { 'bb:00:00:00:00:01': 5, 'aa:00:00:00:00:02': 5, 'cc:00:00:00:00:03': 1 } } }),
      'aa:00:00:00:00:02',
    );
    assert.equal(dominantSourceMac({ meta: { sourceMacs: { 'bb:00:00:00:00:01': 5 } } }), undefined);
    assert.equal(dominantSourceMac({ meta: {} }), undefined);
  });

  it('selectPackets copies exactly the chosen packets of every per-packet array', async () => {
    const rec = await readRecordingFile(refdata('intel5300', 'example.dat'));
    const keep = [0, 3, 4, rec.nPackets - 1];
    const s = selectPackets(rec, keep);
    const per = 2 * rec.nSubcarriers * rec.nRx * rec.nTx;
    assert.equal(s.nPackets, 4);
    keep.forEach((p, i) => {
      assert.deepEqual(s.csi.subarray(i * per, (i + 1) * per), rec.csi.subarray(p * per, (p + 1) * per));
      assert.deepEqual(s.scaled!.subarray(i * per, (i + 1) * per), rec.scaled!.subarray(p * per, (p + 1) * per));
      assert.equal(s.timestampUs[i], rec.timestampUs[p]);
      assert.equal(s.offsets[i], rec.offsets[p]);
      assert.deepEqual(
        Array.from(s.rssi.subarray(i * rec.nRx, (i + 1) * rec.nRx)),
        Array.from(rec.rssi.subarray(p * rec.nRx, (p + 1) * rec.nRx)),
      );
      assert.equal(s.scaleFactor![i], rec.scaleFactor![p]);
    });
  });
});
