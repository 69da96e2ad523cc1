// Big recordings for the editor benchmark, made from real refdata records repeated to a target size: an Intel 5300
// log (whole bfee entries) and a Nexmon capture (pcap header + UDP records), with per-copy patches so no two records
// are identical.
import * as fs from 'fs';
import * as path from 'path';
import { REFDATA } from '../test/helpers/paths';

/** Whole bfee entries (u16 BE length + body) of the refdata Intel logs. */
export function realEntries(): Buffer[] {
  const out: Buffer[] = [];
  for (const f of ['log.all_csi.6.7.6', '76bpm.dat', 'example.dat']) {
    const b = fs.readFileSync(path.join(REFDATA, 'intel5300', f));
    for (let p = 0; p + 3 <= b.length;) {
      const len = b.readUInt16BE(p);
      if (p + 2 + len > b.length) break;
      if (b[p + 2] === 0xbb) out.push(Buffer.from(b.subarray(p, p + 2 + len)));
      p += 2 + len;
    }
  }
  return out;
}

/**
 * Writes `header`, then `records` over and over (record i patched in place by `patch(chunk, offset, i)`) until the
 * file reaches `bytes`, through an 8 MiB buffer; returns the number of records written.
 */
export function writeRepeated(
  file: string,
  bytes: number,
  header: Buffer,
  records: Buffer[],
  patch: (chunk: Buffer, at: number, i: number) => void,
): number {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, header);
  const chunk = Buffer.alloc(8 << 20);
  let used = 0,
    written = header.length,
    i = 0;
  while (written + used < bytes) {
    const r = records[i % records.length];
    if (used + r.length > chunk.length) {
      fs.writeSync(fd, chunk, 0, used);
      written += used;
      used = 0;
    }
    r.copy(chunk, used);
    patch(chunk, used, i);
    used += r.length;
    i++;
  }
  fs.writeSync(fd, chunk, 0, used);
  fs.closeSync(fd);
  return i;
}

export function generate(file: string, bytes: number): number {
  return writeRepeated(file, bytes, Buffer.alloc(0), realEntries(), (chunk, at, i) => {
    chunk.writeUInt32LE((i * 1000) >>> 0, at + 3); // timestamp_low: 1 kHz, wraps like the real 32-bit counter
    chunk.writeUInt16LE(i & 0xffff, at + 7); // bfee_count: gap-free
  });
}

/**
 * A big Nexmon capture: the pcap header and UDP records of refdata/nexmon/example_4366c0.pcap (bcm4366c0, 80 MHz,
 * one CSI packet per frame) repeated, with the record timestamps rewritten to a monotone 4 kHz clock. Returns the
 * number of records written (= frames: every record of that file is a frame of its own).
 */
export function generateNexmon(file: string, bytes: number): number {
  const b = fs.readFileSync(path.join(REFDATA, 'nexmon', 'example_4366c0.pcap'));
  if (b.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('example_4366c0.pcap: expected a little-endian µs pcap');
  const recs: Buffer[] = [];
  for (let p = 24; p + 16 <= b.length;) {
    const len = b.readUInt32LE(p + 8);
    if (p + 16 + len > b.length) break;
    recs.push(b.subarray(p, p + 16 + len));
    p += 16 + len;
  }
  return writeRepeated(file, bytes, b.subarray(0, 24), recs, (chunk, at, i) => {
    const us = i * 250;
    chunk.writeUInt32LE(Math.floor(us / 1e6), at);
    chunk.writeUInt32LE(us % 1e6, at + 4);
  });
}
