// CRC-32C against published check values, the TFRecord framing and Event protobuf bytes against hand-assembled ones.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { crc32c, maskedCrc32c } from '../../../src/core/experiment/crc32c';
import { EventFileWriter, encodeEvent, readTfRecords, tfRecord } from '../../../src/core/experiment/tfevents';

describe('experiment: TensorBoard event files', () => {
  it('CRC-32C matches the standard check values', () => {
    // "123456789" → 0xE3069283 (the CRC catalogue's check value for CRC-32/ISCSI).
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
    // RFC 3720 appendix B.4: 32 bytes of zeros → aa 36 91 8a (transmitted LSB first), 32 × 0xFF → 43 ab a8 62.
    assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
    assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
    // Ascending bytes 0..31 → 4e 79 dd 46.
    assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
    assert.equal(crc32c(new Uint8Array(0)), 0);
  });

  it('masked CRC is rotate-right-15 plus 0xa282ead8', () => {
    const c = 0xe3069283;
    assert.equal(maskedCrc32c(Buffer.from('123456789')), ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0);
  });

  it('Event protobuf bytes equal a hand-assembled encoding', () => {
    const ev = encodeEvent({ wallTime: 1, step: 2, scalars: { a: 1 } });
    const expected = [0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x10, 0x02, 0x2a, 0x0a, 0x0a, 0x08, 0x0a, 0x01, 0x61, 0x15, 0, 0, 0x80, 0x3f];
    assert.deepEqual(Array.from(ev), expected);
    const fv = encodeEvent({ wallTime: 0, step: 300, fileVersion: 'brain.Event:2' });
    // step 300 = varint ac 02; file_version field 3, length 13.
    assert.deepEqual(Array.from(fv.subarray(9, 14)), [0x10, 0xac, 0x02, 0x1a, 13]);
  });

  it('frames records with length + masked CRCs and a writer file reads back intact', async () => {
    const rec = tfRecord(Buffer.from('hello'));
    assert.equal(rec.length, 8 + 4 + 5 + 4);
    assert.equal(rec.readBigUInt64LE(0), 5n);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tfev-'));
    const w = new EventFileWriter(dir);
    await w.scalars(1, { 'train/loss': 0.5 });
    await w.scalars(2, { 'train/loss': 0.25, bad: NaN });
    const r = readTfRecords(await fs.readFile(w.file));
    assert.equal(r.error, undefined);
    assert.equal(r.records.length, 3);
    assert.ok(r.records[0].includes(Buffer.from('brain.Event:2')));
    assert.ok(!r.records[2].includes(Buffer.from('bad')));
    const damaged = Buffer.from(await fs.readFile(w.file));
    damaged[damaged.length - 6] ^= 1;
    assert.match(readTfRecords(damaged).error ?? '', /CRC mismatch/);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
