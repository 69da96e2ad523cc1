// TensorBoard event files written directly (no TensorFlow): TFRecord framing
//   uint64 length (LE) · uint32 masked_crc32c(length bytes) · data · uint32 masked_crc32c(data)
// around serialised tensorflow.Event protos. Only what scalar summaries need is encoded:
//   Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
//   Summary { repeated Value value = 1; }   Value { string tag = 1; float simple_value = 2; }
// The first record is the file_version "brain.Event:2" event TensorBoard expects.
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { maskedCrc32c } from './crc32c';

function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n; // int64 two's complement
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

function lenField(tag: number, payload: Uint8Array): number[] {
  return [tag, ...varint(payload.length), ...payload];
}

function doubleField(tag: number, v: number): number[] {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return [tag, ...b];
}

function floatField(tag: number, v: number): number[] {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  return [tag, ...b];
}

/** Serialised Event proto. */
export function encodeEvent(e: { wallTime: number; step: number; fileVersion?: string; scalars?: Record<string, number> }): Uint8Array {
  const bytes: number[] = [...doubleField(0x09, e.wallTime), 0x10, ...varint(e.step)];
  if (e.fileVersion !== undefined) bytes.push(...lenField(0x1a, Buffer.from(e.fileVersion, 'utf8')));
  if (e.scalars) {
    const summary: number[] = [];
    for (const [tag, v] of Object.entries(e.scalars)) {
      const value = [...lenField(0x0a, Buffer.from(tag, 'utf8')), ...floatField(0x15, v)];
      summary.push(...lenField(0x0a, Uint8Array.from(value)));
    }
    bytes.push(...lenField(0x2a, Uint8Array.from(summary)));
  }
  return Uint8Array.from(bytes);
}

/** One TFRecord frame around `data`. */
export function tfRecord(data: Uint8Array): Buffer {
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(data.length));
  const c1 = Buffer.alloc(4);
  c1.writeUInt32LE(maskedCrc32c(len));
  const c2 = Buffer.alloc(4);
  c2.writeUInt32LE(maskedCrc32c(data));
  return Buffer.concat([len, c1, Buffer.from(data), c2]);
}

/** Appends scalar events to one events.out.tfevents.<time>.<host> file in `dir` (created on first write). */
export class EventFileWriter {
  readonly file: string;
  private started = false;

  constructor(dir: string, now = Date.now()) {
    this.file = path.join(dir, `events.out.tfevents.${Math.floor(now / 1000)}.${os.hostname().replace(/[^\w.-]/g, '_')}`);
  }

  async scalars(step: number, values: Record<string, number>, wallTime = Date.now() / 1000): Promise<void> {
    const frames: Buffer[] = [];
    if (!this.started) {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      frames.push(tfRecord(encodeEvent({ wallTime, step: 0, fileVersion: 'brain.Event:2' })));
      this.started = true;
    }
    const finite = Object.fromEntries(Object.entries(values).filter(([, v]) => Number.isFinite(v)));
    frames.push(tfRecord(encodeEvent({ wallTime, step, scalars: finite })));
    await fs.appendFile(this.file, Buffer.concat(frames));
  }
}

/** Reads back the records of an event file, checking both CRCs (tests, and the run viewer). */
export function readTfRecords(buf: Buffer): { records: Buffer[]; error?: string } {
  const records: Buffer[] = [];
  let o = 0;
  while (o < buf.length) {
    if (o + 12 > buf.length) return { records, error: `truncated record header at byte ${o}` };
    const n = Number(buf.readBigUInt64LE(o));
    if (buf.readUInt32LE(o + 8) !== maskedCrc32c(buf.subarray(o, o + 8))) return { records, error: `length CRC mismatch at byte ${o}` };
    if (o + 12 + n + 4 > buf.length) return { records, error: `record at byte ${o} runs past the end` };
    const data = buf.subarray(o + 12, o + 12 + n);
    if (buf.readUInt32LE(o + 12 + n) !== maskedCrc32c(data)) return { records, error: `data CRC mismatch at byte ${o + 12}` };
    records.push(Buffer.from(data));
    o += 12 + n + 4;
  }
  return { records };
}
