// Atheros CSI Tool reader against the independent reference values in refdata/expected (produced by
// refdata/tools/ref_other_formats.py, cross-checked with csiread and CSIKit), plus streaming and bad-input checks.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { atherosReader } from '../../../src/core/formats/atheros/reader';
import type { CsiRecording } from '../../../src/core/formats/types';
import { refdata } from '../../helpers/paths';
import { LAYOUT_KEYS } from '../../../src/core/formats/frameIndex';
import { assertFramesMatchRecording, assertSkipCsiPass, collect, damaged, diagKeys } from './streamCompare';

interface ExpRecord {
  [k: string]: unknown;
  offset: number;
  csi_tone0?: number[][][];
  csi_tone_last?: number[][][];
}
interface Expected {
  endian: string;
  leading_bytes_skipped: number;
  trailing_bytes: number;
  num_records: number;
  num_records_with_csi: number;
  first_records: ExpRecord[];
  last_record_index: number;
  last_record: ExpRecord;
}

const FILES = ['ath_csi_1.dat', 'example_bigEndian.dat'];
const load = (name: string) => new Uint8Array(fs.readFileSync(refdata('atheros', name)));
const expected = (name: string): Expected => JSON.parse(fs.readFileSync(refdata('expected', `${name}.json`), 'utf8')) as Expected;

const HEADER_FIELDS = [
  'timestamp',
  'csi_len',
  'channel',
  'phyerr',
  'noise',
  'rate',
  'bandwidth',
  'num_tones',
  'nr',
  'nc',
  'rssi',
  'rssi_0',
  'rssi_1',
  'rssi_2',
  'payload_len',
];

function checkRecord(rec: CsiRecording, p: number, exp: ExpRecord, frameHeader: Record<string, unknown>): void {
  assert.equal(rec.offsets[p], exp.offset, `offset of record ${p}`);
  for (const k of HEADER_FIELDS) assert.equal(frameHeader[k], exp[k], `record ${p} field ${k}`);
  assert.equal(rec.timestampUs[p], exp.timestamp);
  const tones = exp.num_tones as number;
  for (const [tone, key] of [
    [0, 'csi_tone0'],
    [tones - 1, 'csi_tone_last'],
  ] as const) {
    const m = exp[key] as number[][][];
    for (let rx = 0; rx < m.length; rx++)
      for (let tx = 0; tx < m[rx].length; tx++) {
        const i = 2 * (((p * rec.nSubcarriers + tone) * rec.nRx + rx) * rec.nTx + tx);
        assert.deepEqual([rec.csi[i], rec.csi[i + 1]], m[rx][tx], `record ${p} tone ${tone} rx ${rx} tx ${tx}`);
      }
  }
}

describe('formats/atheros', () => {
  for (const name of FILES) {
    describe(name, () => {
      const bytes = load(name);
      const exp = expected(name);
      const rec = atherosReader.read(bytes, { file: name });

      it('finds every record, the byte order and the leading-byte skip of the reference reader', () => {
        assert.equal(rec.format, 'atheros');
        // Counts equal the reference: every complete record is kept (MATLAB read_log_file.m drops the last one or
        // two, see FORMATS.md §2; csiread and CSIKit agree with the reference count).
        assert.equal(rec.nPackets, exp.num_records);
        assert.equal(rec.nPackets, exp.num_records_with_csi);
        assert.equal(rec.meta.endian, exp.endian);
        assert.equal(rec.meta.leadingBytesSkipped, exp.leading_bytes_skipped);
        assert.ok(
          rec.diagnostics.every(d => d.severity === 'info'),
          JSON.stringify(rec.diagnostics),
        );
      });

      it('decodes header fields and raw CSI exactly (first records and last record)', async () => {
        // The recording is columnar; per-frame header fields come from the streaming path (same parser).
        const { frames } = await collect(atherosReader, bytes, [65536]);
        exp.first_records.forEach((e, p) => checkRecord(rec, p, e, frames[p].header));
        checkRecord(rec, exp.last_record_index, exp.last_record, frames[exp.last_record_index].header);
      });

      it('has the HT subcarrier indices, bandwidth and carrier of the header', () => {
        const tones = exp.first_records[0].num_tones as number;
        assert.equal(rec.nSubcarriers, tones);
        assert.equal(rec.subcarrierIndices.length, tones);
        assert.equal(rec.subcarrierIndices[0], -28);
        assert.equal(rec.subcarrierIndices[tones - 1], 28);
        assert.ok(!rec.subcarrierIndices.includes(0), 'DC is not reported');
        assert.equal(rec.bandwidthMHz, 20);
        assert.equal(rec.carrierHz, (exp.first_records[0].channel as number) * 1e6);
      });

      for (const sizes of [[7], [1, 2, 3, 5, 8, 13, 4093]]) {
        it(`frames() over chunks of ${sizes.join('/')} bytes gives the same frames as read()`, async () => {
          const { frames, diagnostics } = await collect(atherosReader, bytes, sizes, { file: name });
          assertFramesMatchRecording(frames, rec);
          assert.deepEqual(diagKeys(diagnostics), diagKeys(rec.diagnostics));
          // Frame headers stream too.
          assert.equal(frames[0].header.timestamp, exp.first_records[0].timestamp);
        });
      }
    });
  }

  it('frames() over 1-byte chunks matches read() (big-endian file)', async () => {
    const bytes = load('example_bigEndian.dat');
    const rec = atherosReader.read(bytes);
    const { frames } = await collect(atherosReader, bytes, [1]);
    assertFramesMatchRecording(frames, rec);
  });

  it('frames() keeps memory bounded on a long stream (30 MB of records, frames dropped as they come)', async () => {
    const one = load('ath_csi_1.dat');
    const copies = 40; // 40 × 765 KB ≈ 30 MB, produced lazily in 64 KiB chunks
    async function* stream(): AsyncGenerator<Uint8Array> {
      for (let c = 0; c < copies; c++) for (let p = 0; p < one.length; p += 65536) yield one.subarray(p, p + 65536);
    }
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let n = 0;
    let peak = 0;
    for await (const f of atherosReader.frames(stream())) {
      n++;
      if ((n & 1023) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      assert.equal(f.nSubcarriers, 56);
    }
    assert.equal(n, 401 * copies);
    // Holding the frames would take ≈ 86 MB of Float32 CSI alone (16 040 × 56·3·2·2·4 B); streaming must not.
    assert.ok(peak < 40e6, `heap grew by ${(peak / 1e6).toFixed(1)} MB`);
  });

  it('sniffs both sample files and rejects other content', () => {
    for (const name of FILES) assert.ok(atherosReader.sniff(load(name).subarray(0, 65536)) >= 0.9, name);
    assert.equal(atherosReader.sniff(new Uint8Array(0)), 0);
    assert.equal(atherosReader.sniff(new TextEncoder().encode('CSI_DATA,AP,3C:71:BF:6D:2A:78,-73,11,1,0,1,1,1,0')), 0);
    assert.equal(atherosReader.sniff(new Uint8Array(4096).fill(0xab)), 0);
  });

  it('the index pass (skipCsi, scan()) frames exactly as a normal pass, without CSI values; read() ignores the option', async () => {
    for (const name of ['ath_csi_1.dat', 'example_bigEndian.dat']) {
      await assertSkipCsiPass(atherosReader, load(name), [65536], LAYOUT_KEYS, name);
      await assertSkipCsiPass(atherosReader, load(name), [997], LAYOUT_KEYS, `${name} (small chunks)`);
      await assertSkipCsiPass(atherosReader, damaged(load(name)), [4093], LAYOUT_KEYS, `${name} damaged`);
    }
  });

  describe('bad input', () => {
    const good = load('ath_csi_1.dat');
    const recLen = 1907; // record 1 starts at 1907 (reference offsets)

    it('keeps every complete record of a truncated file and reports the tail', () => {
      const cut = good.subarray(0, 3 * recLen + 100);
      const rec = atherosReader.read(cut, { file: 'cut.dat' });
      assert.equal(rec.nPackets, 3);
      const d = rec.diagnostics.find(x => x.code === 'truncated-record');
      assert.ok(d, 'truncation diagnostic');
      assert.equal(d.offset, 3 * recLen);
      assert.equal(d.file, 'cut.dat');
      assert.match(d.expected ?? '', /1907 bytes/);
    });

    it('resynchronises after garbage in the middle and reports where', () => {
      const junk = new Uint8Array(333).fill(0x5a);
      const spliced = new Uint8Array(good.length + junk.length);
      spliced.set(good.subarray(0, 2 * recLen));
      spliced.set(junk, 2 * recLen);
      spliced.set(good.subarray(2 * recLen), 2 * recLen + junk.length);
      const rec = atherosReader.read(spliced);
      assert.equal(rec.nPackets, 401);
      assert.ok(rec.diagnostics.some(d => d.code === 'bad-length' && d.offset === 2 * recLen));
      const skip = rec.diagnostics.find(d => d.code === 'skipped-bytes');
      assert.ok(skip);
      assert.equal(skip.offset, 2 * recLen);
      assert.match(skip.message, /333 byte/);
      // Later records keep their CSI: record 2 equals record 2 of the clean file.
      const clean = atherosReader.read(good);
      const per = 2 * clean.nSubcarriers * clean.nRx * clean.nTx;
      assert.deepEqual(rec.csi.subarray(2 * per, 3 * per), clean.csi.subarray(2 * per, 3 * per));
    });

    it('a huge length field does not allocate or hang; the record is reported', () => {
      const bad = good.slice(0, 2 * recLen);
      bad[recLen] = 0xff;
      bad[recLen + 1] = 0xff; // record 1: L = 65535 (LE) while the file has 1907 bytes left
      const rec = atherosReader.read(bad);
      assert.equal(rec.nPackets, 1);
      assert.ok(rec.diagnostics.some(d => d.offset === recLen && d.code === 'truncated-record'));
    });

    it('garbage and empty input give a typed diagnostic, no frames, no throw', () => {
      const rnd = new Uint8Array(5000);
      let x = 12345;
      for (let i = 0; i < rnd.length; i++) {
        x = (x * 1103515245 + 12345) >>> 0;
        rnd[i] = x >>> 24;
      }
      for (const b of [rnd, new Uint8Array(0), new Uint8Array(3)]) {
        const rec = atherosReader.read(b, { file: 'junk' });
        assert.equal(rec.nPackets, 0);
        assert.ok(rec.diagnostics.some(d => d.code === 'not-atheros' && d.severity === 'error' && d.file === 'junk'));
      }
    });

    it('a file that starts with a csi_len 0 record still detects its byte order and keeps the rest', async () => {
      for (const name of FILES) {
        const src = load(name);
        const exp = expected(name);
        const le = exp.endian === 'little';
        const hdr = new Uint8Array(2 + 25 + 4); // L = 29: status + 4 payload bytes, csi_len 0
        new DataView(hdr.buffer).setUint16(0, 29, le);
        new DataView(hdr.buffer).setUint16(2 + 23, 4, le);
        const body = src.subarray(exp.leading_bytes_skipped);
        const b = new Uint8Array(hdr.length + body.length);
        b.set(hdr);
        b.set(body, hdr.length);
        const rec = atherosReader.read(b);
        assert.equal(rec.nPackets, exp.num_records, name);
        assert.equal(rec.meta.endian, exp.endian);
        assert.deepEqual(
          rec.diagnostics.map(d => d.code),
          ['no-csi'],
          name,
        );
        const { frames } = await collect(atherosReader, b, [1]);
        assertFramesMatchRecording(frames, rec);
      }
    });

    it('a record with csi_len 0 is skipped with an info diagnostic', () => {
      // Build a header-only record in front of the real file: L = 25, csi_len = 0, payload_len = 0 (little-endian).
      const hdr = new Uint8Array(27);
      hdr[0] = 25;
      const b = new Uint8Array(good.length + 27);
      b.set(good.subarray(0, recLen));
      b.set(hdr, recLen);
      b.set(good.subarray(recLen), recLen + 27);
      const rec = atherosReader.read(b);
      assert.equal(rec.nPackets, 401);
      assert.equal(rec.meta.recordsWithoutCsi, 1);
      assert.ok(rec.diagnostics.some(d => d.code === 'no-csi' && d.offset === recLen && d.severity === 'info'));
    });
  });
});
