// Writer for Intel 5300 logs (log_to_file format, FORMATS.md §1), used by the simulator to produce recordings any
// 5300 tool can read. Output is byte-identical to the tool's for the same fields: the 3 unused bits before each
// subcarrier group, the bits after the last group and the reserved header field are zero, as in every recording
// we have (checked on all refdata and WiAR files), so read → records → write reproduces real files exactly.
//
// Invalid records (counts outside 1..3, wrong CSI length, fields out of their byte range) throw a RangeError
// naming the record index and field: writing them would produce a file no reader accepts.
import { bfeePayloadLength, BFEE_CODE, BFEE_HEADER_BYTES } from './scan';
import type { Intel5300Record } from './records';

export type { Intel5300Record } from './records';

function check(cond: boolean, index: number, what: string): void {
  if (!cond) throw new RangeError(`Intel 5300 record ${index}: ${what}`);
}

function isInt(v: number, lo: number, hi: number): boolean {
  return Number.isInteger(v) && v >= lo && v <= hi;
}

/** Bytes one record takes in the file: 2 (length) + 1 (code) + 20 (header) + payload. */
export function intel5300RecordSize(nrx: number, ntx: number): number {
  return BFEE_HEADER_BYTES + bfeePayloadLength(nrx, ntx);
}

function validate(r: Intel5300Record, i: number): void {
  check(isInt(r.Nrx, 1, 3), i, `Nrx=${r.Nrx}, expected 1..3`);
  check(isInt(r.Ntx, 1, 3), i, `Ntx=${r.Ntx}, expected 1..3`);
  check(
    r.csi instanceof Int8Array && r.csi.length === 60 * r.Nrx * r.Ntx,
    i,
    `csi has ${r.csi?.length} values, expected Int8Array of 30*Nrx*Ntx*2 = ${60 * r.Nrx * r.Ntx}`,
  );
  check(isInt(r.timestamp_low, 0, 0xffffffff), i, `timestamp_low=${r.timestamp_low}, expected u32`);
  check(isInt(r.bfee_count, 0, 0xffff), i, `bfee_count=${r.bfee_count}, expected u16`);
  for (const k of ['rssi_a', 'rssi_b', 'rssi_c', 'agc', 'antenna_sel'] as const) {
    check(isInt(r[k], 0, 255), i, `${k}=${r[k]}, expected u8`);
  }
  check(isInt(r.noise, -128, 127), i, `noise=${r.noise}, expected s8 (dBm, -127 = unknown)`);
  check(isInt(r.fake_rate_n_flags, 0, 0xffff), i, `fake_rate_n_flags=${r.fake_rate_n_flags}, expected u16`);
}

/** Encode one record into out[at…]; returns the offset after it. `out` must have intel5300RecordSize bytes free. */
export function encodeIntel5300Record(r: Intel5300Record, out: Uint8Array, at: number, index = 0): number {
  validate(r, index);
  const len = bfeePayloadLength(r.Nrx, r.Ntx);
  const L = 21 + len;
  out[at] = L >> 8;
  out[at + 1] = L & 0xff;
  out[at + 2] = BFEE_CODE;
  const o = at + 3;
  const ts = r.timestamp_low >>> 0;
  out[o] = ts & 0xff;
  out[o + 1] = (ts >>> 8) & 0xff;
  out[o + 2] = (ts >>> 16) & 0xff;
  out[o + 3] = ts >>> 24;
  out[o + 4] = r.bfee_count & 0xff;
  out[o + 5] = r.bfee_count >> 8;
  out[o + 6] = 0;
  out[o + 7] = 0; // reserved
  out[o + 8] = r.Nrx;
  out[o + 9] = r.Ntx;
  out[o + 10] = r.rssi_a;
  out[o + 11] = r.rssi_b;
  out[o + 12] = r.rssi_c;
  out[o + 13] = r.noise & 0xff;
  out[o + 14] = r.agc;
  out[o + 15] = r.antenna_sel;
  out[o + 16] = len & 0xff;
  out[o + 17] = len >> 8;
  out[o + 18] = r.fake_rate_n_flags & 0xff;
  out[o + 19] = r.fake_rate_n_flags >> 8;
  const p = o + 20;
  out.fill(0, p, p + len);
  const nk = r.Nrx * r.Ntx;
  let bit = 0,
    j = 0;
  for (let sc = 0; sc < 30; sc++) {
    bit += 3;
    for (let k = 0; k < 2 * nk; k++) {
      // re then im, each 8 bits, LSB-first
      const v = r.csi[j++] & 0xff;
      const i = p + (bit >> 3),
        s = bit & 7;
      out[i] |= (v << s) & 0xff;
      if (s) out[i + 1] |= v >> (8 - s);
      bit += 8;
    }
  }
  return p + len;
}

/** A whole log file for these records. */
export function writeIntel5300(records: Intel5300Record[]): Uint8Array {
  let size = 0;
  records.forEach((r, i) => {
    validate(r, i);
    size += intel5300RecordSize(r.Nrx, r.Ntx);
  });
  const out = new Uint8Array(size);
  let at = 0;
  records.forEach((r, i) => {
    at = encodeIntel5300Record(r, out, at, i);
  });
  return out;
}

/**
 * Streaming variant: encodes records as they come and yields chunks of about `chunkBytes` (default 1 MiB), so a
 * long simulated recording never has to exist in memory at once. Concatenated, the chunks equal writeIntel5300.
 */
export async function* writeIntel5300Stream(
  records: Iterable<Intel5300Record> | AsyncIterable<Intel5300Record>,
  chunkBytes = 1 << 20,
): AsyncIterable<Uint8Array> {
  const buf = new Uint8Array(Math.max(chunkBytes, intel5300RecordSize(3, 3)));
  let at = 0,
    index = 0;
  for await (const r of records as AsyncIterable<Intel5300Record>) {
    validate(r, index);
    const size = intel5300RecordSize(r.Nrx, r.Ntx);
    if (at + size > buf.length) {
      yield buf.slice(0, at); // a copy, so buf can be reused
      at = 0;
    }
    at = encodeIntel5300Record(r, buf, at, index++);
  }
  if (at > 0) yield buf.slice(0, at);
}
