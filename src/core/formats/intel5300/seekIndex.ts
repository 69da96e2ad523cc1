// The seek index of a big Intel 5300 log, built in one streaming pass without decoding CSI: where each bfee entry
// starts and how long it is, with the per-packet header fields the editor's overview needs (timestamp, sequence,
// RSSI per chain, AGC). Reading a window back is then a read of whole entries, which the reader parses as a small
// valid log. The framing decisions are the reader's own: a fast path accepts a consistent bfee whose successor is
// consistent too, and at the first entry that is anything else the reader's entry walker takes over, so the index
// holds exactly the frames a whole-file read would keep.
import * as fs from 'fs';
import { readRecording } from '../index';
import type { CsiDiagnostic, CsiRecording } from '../types';
import { GrowArray } from '../growArray';
import { RATE_HT40, SUBCARRIERS_20MHZ, SUBCARRIERS_40MHZ } from './decode';
import { BFEE_HEADER_BYTES, bfeeHeaderConsistent, Intel5300EntryWalker } from './scan';

const READ_CHUNK = 8 * 1024 * 1024;

export interface Intel5300SeekIndex {
  n: number;
  /** Byte offset and length (with its 2-byte length field) of each kept entry. */
  offsets: Float64Array;
  lengths: Uint16Array;
  /** timestamp_low unwrapped across 32-bit wraps (µs). */
  timestampUs: Float64Array;
  seq: Int32Array;
  /** rssi_a, rssi_b, rssi_c per packet (NaN for chains the packet does not have). */
  rssi: Float32Array;
  agc: Float32Array;
  maxRx: number;
  maxTx: number;
  /** From the first packet's rate_n_flags; undefined without packets. */
  bandwidthMHz?: 20 | 40;
  subcarrierIndices: Int16Array;
  diagnostics: CsiDiagnostic[];
}

export interface SeekIndexOptions {
  /** After each chunk, with the bytes consumed and the entries found so far (progress; throw to cancel). */
  onChunk?: (bytesDone: number, entries: number) => void | Promise<void>;
}

/** One streaming pass over `file` (of `size` bytes) → its seek index. */
export async function buildIntel5300SeekIndex(file: string, size: number, o: SeekIndexOptions = {}): Promise<Intel5300SeekIndex> {
  const diagnostics: CsiDiagnostic[] = [];
  const walker = new Intel5300EntryWalker(p => diagnostics.push({ file, ...p }));
  // Start near the final size (entries are 95–1.6 KB; ~300 B on mixed logs) so the arrays rarely regrow.
  const cap = Math.max(1 << 12, Math.min(1 << 24, Math.ceil(size / 300)));
  const offsets = new GrowArray(new Float64Array(cap), n => new Float64Array(n));
  const lens = new GrowArray(new Uint16Array(cap), n => new Uint16Array(n));
  const tsUs = new GrowArray(new Float64Array(cap), n => new Float64Array(n));
  const seq = new GrowArray(new Int32Array(cap), n => new Int32Array(n));
  const agc = new GrowArray(new Float32Array(cap), n => new Float32Array(n));
  const rssi = new GrowArray(new Float32Array(3 * cap), n => new Float32Array(n));
  let maxRx = 0,
    maxTx = 0,
    wraps = 0,
    prevTs = -1,
    ht40 = -1;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = new Uint8Array(READ_CHUNK + 65536);
    let have = 0,
      base = 0,
      pos = 0;
    let walkerMode = false;
    const onBfee = (p: number): boolean => {
      const h = p + 3;
      const ts = (buf[h] | (buf[h + 1] << 8) | (buf[h + 2] << 16) | (buf[h + 3] << 24)) >>> 0;
      if (prevTs >= 0 && ts < prevTs && prevTs - ts > 2 ** 31) wraps++;
      prevTs = ts;
      const nrx = buf[h + 8],
        ntx = buf[h + 9];
      if (nrx > maxRx) maxRx = nrx;
      if (ntx > maxTx) maxTx = ntx;
      if (ht40 < 0) ht40 = (buf[h + 18] | (buf[h + 19] << 8)) & RATE_HT40 ? 1 : 0;
      offsets.push(base + p);
      lens.push(((buf[p] << 8) | buf[p + 1]) + 2);
      tsUs.push(ts + wraps * 2 ** 32);
      seq.push(buf[h + 4] | (buf[h + 5] << 8));
      rssi.push(buf[h + 10]);
      rssi.push(nrx > 1 ? buf[h + 11] : NaN);
      rssi.push(nrx > 2 ? buf[h + 12] : NaN);
      agc.push(buf[h + 14]);
      return true;
    };
    for (;;) {
      const got = fs.readSync(fd, buf, have, buf.length - have, base + have);
      have += got;
      const eof = got === 0 || base + have >= size;
      if (!walkerMode) {
        let p = pos;
        for (;;) {
          if (p + BFEE_HEADER_BYTES > have) break;
          if (!bfeeHeaderConsistent(buf, p)) {
            walkerMode = true;
            break;
          }
          const end = p + 2 + ((buf[p] << 8) | buf[p + 1]);
          if (end > have) break;
          const nextOk = (end === have && eof) || (end + BFEE_HEADER_BYTES <= have && bfeeHeaderConsistent(buf, end));
          if (!nextOk) {
            if (end + BFEE_HEADER_BYTES <= have || eof) walkerMode = true;
            break;
          }
          onBfee(p);
          p = end;
        }
        pos = p;
        if (eof && pos < have) walkerMode = true;
      }
      const keep = walkerMode ? walker.walk(buf, pos, have, eof, base, onBfee) : pos;
      if (eof) break;
      // Keep the unconsumed tail (a partial entry) at the front of the buffer and read on after it.
      buf.copyWithin(0, keep, have);
      base += keep;
      have -= keep;
      pos = 0;
      await o.onChunk?.(base, offsets.n);
    }
  } finally {
    fs.closeSync(fd);
  }
  const n = offsets.n;
  return {
    n,
    offsets: offsets.done(),
    lengths: lens.done(),
    timestampUs: tsUs.done(),
    seq: seq.done(),
    rssi: rssi.done(),
    agc: agc.done(),
    maxRx,
    maxTx,
    bandwidthMHz: n === 0 ? undefined : ht40 === 1 ? 40 : 20,
    subcarrierIndices: n === 0 ? new Int16Array(0) : ht40 === 1 ? SUBCARRIERS_40MHZ : SUBCARRIERS_20MHZ,
    diagnostics,
  };
}

/**
 * Packets `list` (indices into the seek index) read back from the open file `fd` as one recording: whole validated
 * entries back to back form a valid log, so the reader keeps exactly one packet per entry; offsets are the file's.
 */
export function readIndexedPackets(
  fd: number,
  file: string,
  ix: Pick<Intel5300SeekIndex, 'offsets' | 'lengths'>,
  list: ArrayLike<number>,
): CsiRecording {
  let total = 0;
  for (let i = 0; i < list.length; i++) total += ix.lengths[list[i]];
  const bytes = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < list.length; i++) {
    const p = list[i];
    fs.readSync(fd, bytes, at, ix.lengths[p], ix.offsets[p]);
    at += ix.lengths[p];
  }
  const rec = readRecording(bytes, { file });
  if (rec.nPackets !== list.length) throw new Error(`${file}: re-reading ${list.length} indexed packets gave ${rec.nPackets}`);
  for (let i = 0; i < list.length; i++) rec.offsets[i] = ix.offsets[list[i]];
  return rec;
}

/** Packets [a, b) of the seek index as one recording (one contiguous read). */
export function readIndexedRange(
  fd: number,
  file: string,
  ix: Pick<Intel5300SeekIndex, 'offsets' | 'lengths'>,
  a: number,
  b: number,
): CsiRecording {
  const start = ix.offsets[a],
    end = ix.offsets[b - 1] + ix.lengths[b - 1];
  const bytes = new Uint8Array(end - start);
  fs.readSync(fd, bytes, 0, bytes.length, start);
  // The bytes are exactly whole entries, so the reader sees a small valid log; offsets are shifted back.
  const rec = readRecording(bytes, { file });
  for (let i = 0; i < rec.offsets.length; i++) rec.offsets[i] += start;
  return rec;
}
