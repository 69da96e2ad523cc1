// The frame index of big non-Intel recordings (src/core/formats/frameIndex.ts) against whole-file parsing of every
// Atheros / Nexmon / ESP32 / PicoScenes refdata file: the index's per-packet fields equal the whole read's, and any
// range or scattered list of frames decoded through the index equals the same packets of the whole read (CSI,
// columns, offsets), including files that mix layouts (PicoScenes AX200: HT 56 + non-HT 52 tones) and damaged
// copies. Frame counts are also checked against refdata/expected (the independent numpy readers).
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readRecording } from '../../../src/core/formats/index';
import { CsiFormatError } from '../../../src/core/formats/errors';
import { buildFrameIndex, INDEX_CHAINS, IndexedFrames, type FrameIndex } from '../../../src/core/formats/frameIndex';
import type { CsiRecording } from '../../../src/core/formats/types';
import { labeled, refdata } from '../../helpers/paths';

const FILES: [string, string, (e: Record<string, unknown>) => number | undefined][] = [
  ['atheros', 'ath_csi_1.dat', e => e.num_records as number],
  ['atheros', 'example_bigEndian.dat', e => e.num_records as number],
  ['nexmon', 'example.pcap', () => undefined],
  ['nexmon', 'example_43455c0.pcap', () => undefined],
  ['nexmon', 'example_4366c0.pcap', () => undefined],
  ['nexmon', '40mhz_1600085286.pcap', () => undefined],
  ['esp32', 'example_csi.csv', e => e.num_rows as number],
  ['esp32', 'example_data.csv', e => e.num_rows as number],
  ['esp32', 'log.console_test.20210205155636.csv', e => e.num_rows as number],
  ['picoscenes', 'rx_by_iwl5300.csi', e => e.num_frames as number],
  ['picoscenes', 'picoscenes_iwl5300_example.csi', e => e.num_frames as number],
  ['picoscenes', 'rx_by_qca9300.csi', e => e.num_frames as number],
  ['picoscenes', 'picoscenes_ax200_example.csi', e => e.num_frames as number],
];

const same = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    if (!(Object.is(a[i], b[i]) || a[i] === b[i])) assert.fail(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
};

/** Packets `list` of the whole recording `w` equal packets 0.. of `r` (CSI in the whole file's columns). */
function assertPackets(r: CsiRecording, w: CsiRecording, list: number[], what: string): void {
  assert.equal(r.nPackets, list.length, `${what}: packets`);
  assert.equal(r.nSubcarriers, w.nSubcarriers, `${what}: columns`);
  assert.equal(r.nRx, w.nRx);
  assert.equal(r.nTx, w.nTx);
  same(r.subcarrierIndices, w.subcarrierIndices, `${what}: subcarrier indices`);
  const per = 2 * w.nSubcarriers * w.nRx * w.nTx;
  list.forEach((p, i) => {
    assert.equal(r.offsets[i], w.offsets[p], `${what}: offset of packet ${p}`);
    assert.equal(r.timestampUs[i], w.timestampUs[p], `${what}: timestamp of packet ${p}`);
    assert.equal(r.seq[i], w.seq[p]);
    same(r.csi.subarray(i * per, (i + 1) * per), w.csi.subarray(p * per, (p + 1) * per), `${what}: csi of packet ${p}`);
  });
}

function assertIndexMatches(ix: FrameIndex, w: CsiRecording): void {
  assert.equal(ix.format, w.format);
  assert.equal(ix.n, w.nPackets, 'frames');
  same(ix.offsets, w.offsets, 'offsets');
  same(ix.timestampUs, w.timestampUs, 'timestamps (unwrapped)');
  same(ix.seq, w.seq, 'seq');
  same(ix.agc, w.agc, 'agc');
  same(ix.nRxPerPacket, w.nRxPerPacket, 'nRx per packet');
  same(ix.nTxPerPacket, w.nTxPerPacket, 'nTx per packet');
  for (let p = 0; p < w.nPackets; p++)
    for (let r = 0; r < Math.min(w.nRx, INDEX_CHAINS); r++)
      assert.ok(Object.is(ix.rssi[p * INDEX_CHAINS + r], w.rssi[p * w.nRx + r]), `rssi of packet ${p} chain ${r}`);
  const L = ix.layout;
  assert.deepEqual(
    [L.nSubcarriers, L.nRx, L.nTx, L.device, L.bandwidthMHz, L.carrierHz],
    [w.nSubcarriers, w.nRx, w.nTx, w.device, w.bandwidthMHz, w.carrierHz],
  );
  same(L.subcarrierIndices, w.subcarrierIndices, 'layout subcarrier indices');
  const keys = (d: CsiRecording['diagnostics']) => d.map(x => `${x.severity}:${x.code}@${x.offset}`).sort();
  assert.deepEqual(keys(ix.diagnostics), keys(w.diagnostics), 'diagnostics (code, offset)');
}

async function check(file: string, chunkSize: number): Promise<void> {
  const w = readRecording(new Uint8Array(fs.readFileSync(file)), { file });
  const ix = await buildFrameIndex(file, { chunkSize });
  assertIndexMatches(ix, w);
  const frames = new IndexedFrames(file, ix);
  try {
    const n = w.nPackets;
    if (n === 0) return;
    const ranges: [number, number][] = [
      [0, n],
      [0, Math.min(3, n)],
      [Math.max(0, n - 3), n],
      [Math.floor(n / 3), Math.floor(n / 3) + 1],
    ];
    // Single frames spread over the file: a slice holding one layout of a mixed file must still land on the whole
    // file's columns (PicoScenes AX200: a lone non-HT 52-tone frame among the union of 56 + 52 subcarriers).
    for (let p = 0; p < n; p += Math.max(1, Math.floor(n / 60))) ranges.push([p, p + 1]);
    for (const [a, b] of ranges)
      assertPackets(
        frames.range(a, b),
        w,
        Array.from({ length: b - a }, (_, i) => a + i),
        `range ${a}-${b}`,
      );
    const list = Array.from({ length: n }, (_, i) => i).filter(i => i % 7 === 3 || i === n - 1);
    assertPackets(frames.at(Int32Array.from(list)), w, list, 'every 7th frame');
  } finally {
    frames.close();
  }
}

describe('frame index of big non-Intel recordings (indexed = whole-file parse)', function () {
  this.timeout(20000);
  for (const [dir, name, count] of FILES) {
    it(`${dir}/${name}`, async () => {
      const exp = JSON.parse(fs.readFileSync(refdata('expected', `${name}.json`), 'utf8')) as Record<string, unknown>;
      const ix = await buildFrameIndex(refdata(dir, name));
      const n = count(exp);
      if (n !== undefined) assert.equal(ix.n, n, 'frame count of the independent reader');
      // Small chunks: records and lines straddle chunk boundaries.
      await check(refdata(dir, name), 4093);
    });
  }

  // A real 80 MHz capture holding 20 MHz frames of the same transmitter on its primary channel (and other MACs'
  // frames): single-frame slices of the narrow frames must land on the whole read's columns (their own band).
  it('fition walking_user3_rm3_1.pcap (20 MHz frames inside an 80 MHz capture)', async () => {
    await check(labeled('fition', 'walking_user3_rm3', 'walking_user3_rm3_1.pcap'), 8191);
  });

  describe('damaged copies', () => {
    let tmp: string;
    before(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csiwb-frameindex-'));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    for (const [dir, name] of [
      ['nexmon', 'example_4366c0.pcap'],
      ['picoscenes', 'picoscenes_ax200_example.csi'],
      ['atheros', 'ath_csi_1.dat'],
      ['esp32', 'example_data.csv'],
    ]) {
      it(`${dir}/${name} with garbage in the middle and a truncated tail`, async () => {
        const src = fs.readFileSync(refdata(dir, name));
        const mid = Math.floor(src.length / 2);
        const junk = Buffer.alloc(777);
        let x = 99;
        for (let i = 0; i < junk.length; i++) {
          x = (x * 1103515245 + 12345) >>> 0;
          junk[i] = x >>> 24;
        }
        const file = path.join(tmp, name);
        fs.writeFileSync(file, Buffer.concat([src.subarray(0, mid), junk, src.subarray(mid, src.length - 50)]));
        await check(file, 65536);
      });
    }
  });

  it('refuses Intel 5300 logs (they have their own index) and unknown content with typed errors', async () => {
    await assert.rejects(
      buildFrameIndex(refdata('intel5300', 'example.dat')),
      (e: unknown) => e instanceof CsiFormatError && e.diagnostic.code === 'no-frame-index',
    );
    await assert.rejects(
      buildFrameIndex(refdata('expected', 'example.dat.json')),
      (e: unknown) => e instanceof CsiFormatError && e.diagnostic.code === 'unknown-format',
    );
    await assert.rejects(
      buildFrameIndex('/nonexistent/file.pcap'),
      (e: unknown) => e instanceof CsiFormatError && e.diagnostic.code === 'io-error',
    );
  });

  it('rejects frame ranges and lists outside the index', async () => {
    const file = refdata('atheros', 'ath_csi_1.dat');
    const frames = new IndexedFrames(file, await buildFrameIndex(file));
    try {
      assert.throws(() => frames.range(0, frames.index.n + 1), RangeError);
      assert.throws(() => frames.range(2, 2), RangeError);
      assert.throws(() => frames.at(Int32Array.from([3, 1])), RangeError);
    } finally {
      frames.close();
    }
  });
});
