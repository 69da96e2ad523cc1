// Real Nexmon captures and container variants of them for the reader tests: the refdata files, their frames, and
// big-endian / nanosecond / pcapng rewrites.
import * as fs from 'fs';
import { nexmonReader } from '../../../src/core/formats/nexmon/reader';
import type { CsiFrame } from '../../../src/core/formats/types';
import { refdata } from '../../helpers/paths';
import { collect } from './streamCompare';

export const FILES = ['example.pcap', 'example_43455c0.pcap', 'example_4366c0.pcap', '40mhz_1600085286.pcap'];
export const load = (name: string) => new Uint8Array(fs.readFileSync(refdata('nexmon', name)));

/** The frames of a capture through the streaming interface. */
export async function framesOf(bytes: Uint8Array, opts = {}): Promise<CsiFrame[]> {
  return (await collect(nexmonReader, bytes, [1 << 20], opts)).frames;
}

export function toBigEndianNs(src: Uint8Array): Uint8Array {
  const out = src.slice();
  const s = new DataView(src.buffer, src.byteOffset, src.length);
  const d = new DataView(out.buffer);
  d.setUint32(0, 0xa1b23c4d, false);
  d.setUint16(4, s.getUint16(4, true), false);
  d.setUint16(6, s.getUint16(6, true), false);
  for (const o of [8, 12, 16, 20]) d.setUint32(o, s.getUint32(o, true), false);
  let p = 24;
  while (p + 16 <= src.length) {
    const incl = s.getUint32(p + 8, true);
    d.setUint32(p, s.getUint32(p, true), false);
    d.setUint32(p + 4, s.getUint32(p + 4, true) * 1000, false);
    d.setUint32(p + 8, incl, false);
    d.setUint32(p + 12, s.getUint32(p + 12, true), false);
    p += 16 + incl;
  }
  return out;
}

/** Re-wrap the packets of a little-endian µs classic pcap as pcapng (default µs resolution). */
export function toPcapng(src: Uint8Array): Uint8Array {
  const s = new DataView(src.buffer, src.byteOffset, src.length);
  const parts: Uint8Array[] = [];
  const block = (type: number, body: Uint8Array) => {
    const len = 12 + ((body.length + 3) & ~3);
    const b = new Uint8Array(len);
    const v = new DataView(b.buffer);
    v.setUint32(0, type, true);
    v.setUint32(4, len, true);
    b.set(body, 8);
    v.setUint32(len - 4, len, true);
    parts.push(b);
  };
  const shb = new Uint8Array(16);
  new DataView(shb.buffer).setUint32(0, 0x1a2b3c4d, true);
  new DataView(shb.buffer).setUint16(4, 1, true);
  new DataView(shb.buffer).setInt32(8, -1, true);
  new DataView(shb.buffer).setInt32(12, -1, true);
  block(0x0a0d0d0a, shb);
  const idb = new Uint8Array(8);
  new DataView(idb.buffer).setUint16(0, s.getUint32(20, true), true);
  new DataView(idb.buffer).setUint32(4, 262144, true);
  block(1, idb);
  let p = 24;
  while (p + 16 <= src.length) {
    const incl = s.getUint32(p + 8, true);
    const ts = s.getUint32(p, true) * 1e6 + s.getUint32(p + 4, true);
    const body = new Uint8Array(20 + incl);
    const v = new DataView(body.buffer);
    v.setUint32(0, 0, true);
    v.setUint32(4, Math.floor(ts / 4294967296), true);
    v.setUint32(8, ts % 4294967296, true);
    v.setUint32(12, incl, true);
    v.setUint32(16, s.getUint32(p + 12, true), true);
    body.set(src.subarray(p + 16, p + 16 + incl), 20);
    block(6, body);
    p += 16 + incl;
  }
  const total = parts.reduce((a, b) => a + b.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of parts) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}
