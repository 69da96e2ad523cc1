// Atheros CSI Tool log reader (`recv_csi` output, `.dat`; ath9k QCA/AR93xx NICs). Layout: FORMATS.md §2.
//
// Choices where public readers disagree (we follow the original tool, read_csi.c / csi_fun.c, and the file):
// * Byte order: the header (including the u16 record length) is in the recording host's byte order. It is detected
//   from the first record — `L == 25 + csi_len + payload_len` with sane nr/nc/tones holds in only one order —
//   never assumed (MATLAB read_log_file.m hard-codes big-endian, CSIKit little-endian).
// * A stray leading byte (example_bigEndian.dat starts with one 0xFF, once used by CSIKit as an endianness marker)
//   is tolerated by trying offsets 0 and 1; any longer run of garbage is skipped by resynchronising on the next
//   self-consistent header, with a diagnostic giving its offset and length.
// * CSI: little-endian 16-bit words as an LSB-first bit stream even in big-endian files (atherosCsi.ts); 10-bit
//   two's complement, imaginary part first. Stored without CSIKit's +1 offset. Upstream places values at
//   csi(rx, tx, k) walking tx outside rx; we keep that placement in our [sc][rx][tx] layout.
// * Every complete record is kept (MATLAB drops the last one or two). A truncated tail is reported.
// * Records with csi_len == 0 carry no channel estimate: they are skipped (not turned into all-zero frames that
//   would look like a measured null channel), with one info diagnostic for the first and the total in
//   `meta.recordsWithoutCsi`.
// * Header fields keep the reference names: timestamp, csi_len, channel, phyerr, noise, rate, bandwidth,
//   num_tones, nr, nc, rssi, rssi_0..2, payload_len (header values as stored). Frame noise: `noise` 0 means "not
//   filled in" (NaN); any other value is the u8 read as a signed dBm.
//   `timestamp` is the NIC's receive timestamp; the tool does not document its unit, it is used as µs.
import { athCsiBytes, athSubcarrierIndices, decodeAth10 } from './csi';
import { buildRecording, u64 } from '../frameTable';
import { NO_CSI, ParseSink, runChunks, runChunksTo, runWhole, type PushParser } from '../pushParser';
import type { CsiReader, StreamOptions } from '../reader';
import type { CsiDiagnostic, CsiFrame, CsiRecording, ReadOptions } from '../types';

/** Bytes of the status header after the u16 length. */
const STATUS = 25;
/** Length field + status: what is needed to judge whether a record starts at some offset. */
const HEAD = 2 + STATUS;

interface Status {
  L: number;
  timestamp: number;
  csiLen: number;
  channel: number;
  phyerr: number;
  noise: number;
  rate: number;
  bandwidth: number;
  tones: number;
  nr: number;
  nc: number;
  rssi: number;
  rssi0: number;
  rssi1: number;
  rssi2: number;
  payloadLen: number;
}

function readStatus(b: Uint8Array, p: number, le: boolean): Status {
  const dv = new DataView(b.buffer, b.byteOffset + p, HEAD);
  const o = 2;
  return {
    L: dv.getUint16(0, le),
    timestamp: u64(dv, o, le),
    csiLen: dv.getUint16(o + 8, le),
    channel: dv.getUint16(o + 10, le),
    phyerr: b[p + o + 12],
    noise: b[p + o + 13],
    rate: b[p + o + 14],
    bandwidth: b[p + o + 15],
    tones: b[p + o + 16],
    nr: b[p + o + 17],
    nc: b[p + o + 18],
    rssi: b[p + o + 19],
    rssi0: b[p + o + 20],
    rssi1: b[p + o + 21],
    rssi2: b[p + o + 22],
    payloadLen: dv.getUint16(o + 23, le),
  };
}

/** CSI dimensions the hardware can produce and a csi_len that matches them exactly. */
function csiShapeValid(s: Status): boolean {
  return (
    s.nr >= 1 && s.nr <= 3 && s.nc >= 1 && s.nc <= 3 && (s.tones === 56 || s.tones === 114) && s.csiLen === athCsiBytes(s.tones, s.nr, s.nc)
  );
}

/** A record that can start a file or end a resync: self-consistent length AND a plausible CSI block. */
function strongHeader(b: Uint8Array, p: number, le: boolean): boolean {
  // Cheap byte tests first: resynchronisation calls this at every offset of a damaged region.
  const tones = b[p + 2 + 16],
    nr = b[p + 2 + 17],
    nc = b[p + 2 + 18];
  if ((tones !== 56 && tones !== 114) || nr < 1 || nr > 3 || nc < 1 || nc > 3) return false;
  const s = readStatus(b, p, le);
  return s.L === STATUS + s.csiLen + s.payloadLen && s.csiLen > 0 && csiShapeValid(s);
}

/** Which byte order makes the record at p consistent (little-endian preferred if both, which needs symmetry). */
function detectAt(b: Uint8Array, p: number): boolean | null {
  if (strongHeader(b, p, true)) return true;
  if (strongHeader(b, p, false)) return false;
  return null;
}

/**
 * A csi_len 0 record at p (L == 25 + payload_len) whose successor is a full record in the same byte order: that
 * byte order, null if not, 'need' when the successor is not in the window yet.
 */
function headerOnlyThenStrong(b: Uint8Array, p: number, end: number, known: boolean | null): boolean | null | 'need' {
  let need = false;
  for (const le of known === null ? [true, false] : [known]) {
    const s = readStatus(b, p, le);
    if (s.csiLen !== 0 || s.L !== STATUS + s.payloadLen) continue;
    const next = p + 2 + s.L;
    if (next + HEAD > end) {
      need = true;
      continue;
    }
    if (strongHeader(b, next, le)) return le;
  }
  return need ? 'need' : null;
}

class AtherosParser implements PushParser {
  private le: boolean | null = null;
  private leadingSkipped = -1;
  private skipStart = -1;
  private skipFirstByte = 0;
  private noCsi = 0;
  private nFrames = 0;
  constructor(
    private readonly sink: ParseSink,
    private readonly meta: Record<string, unknown>,
    private readonly skipCsi = false,
  ) {}

  private endSkip(at: number): void {
    if (this.skipStart < 0) return;
    const n = at - this.skipStart;
    if (this.skipStart === 0 && n === 1 && this.skipFirstByte === 0xff) {
      this.sink.diag('info', 'leading-byte', 0, 'skipped one leading 0xFF byte before the first record', 'first record at offset 0 or 1');
    } else {
      this.sink.diag(
        'warning',
        'skipped-bytes',
        this.skipStart,
        `skipped ${n} byte(s) that do not form an Atheros record`,
        'u16 length L == 25 + csi_len + payload_len, nr/nc in 1..3, num_tones 56/114',
      );
    }
    if (this.skipStart === 0) this.leadingSkipped = n;
    this.skipStart = -1;
  }

  /** Skip one byte while looking for the next consistent record header. */
  private skipByte(b: Uint8Array, pos: number, base: number): number {
    if (this.skipStart < 0) {
      this.skipStart = base + pos;
      this.skipFirstByte = b[pos];
    }
    return 1;
  }

  step(b: Uint8Array, pos: number, end: number, base: number, eof: boolean): number {
    const avail = end - pos;
    if (this.le === null || this.skipStart >= 0) {
      // Synchronising: at file start (byte order unknown) or after garbage.
      if (avail < HEAD) {
        if (!eof) return 0;
        if (this.skipStart < 0) {
          this.skipStart = base + pos;
          this.skipFirstByte = b[pos];
        }
        this.endSkip(base + end);
        return avail;
      }
      let order = this.le === null ? detectAt(b, pos) : strongHeader(b, pos, this.le) ? this.le : null;
      if (order === null) {
        // A record without CSI (csi_len 0) is also a valid place to (re)start when a full record follows it.
        const w = headerOnlyThenStrong(b, pos, end, this.le);
        if (w === 'need') {
          if (!eof) return 0;
        } else order = w;
      }
      if (order === null) return this.skipByte(b, pos, base);
      if (this.le === null) {
        this.le = order;
        this.meta.endian = order ? 'little' : 'big';
      }
      this.endSkip(base + pos);
    }
    const le = this.le;
    if (avail < 2) {
      if (!eof) return 0;
      this.sink.diag(
        'warning',
        'truncated-record',
        base + pos,
        `file ends inside a record length field (${avail} byte)`,
        '2-byte record length',
      );
      return avail;
    }
    const L = le ? b[pos] | (b[pos + 1] << 8) : (b[pos] << 8) | b[pos + 1];
    if (L < STATUS) {
      this.sink.diag('warning', 'bad-length', base + pos, `record length ${L} is shorter than the 25-byte status`, 'L >= 25');
      return this.skipByte(b, pos, base);
    }
    if (avail < 2 + L) {
      if (!eof) return 0;
      this.sink.diag(
        'warning',
        'truncated-record',
        base + pos,
        `file ends inside a record: ${avail} of ${2 + L} bytes present`,
        `${2 + L} bytes`,
      );
      return avail;
    }
    const s = readStatus(b, pos, le);
    if (L !== STATUS + s.csiLen + s.payloadLen) {
      this.sink.diag(
        'warning',
        'bad-length',
        base + pos,
        `record length ${L} != 25 + csi_len ${s.csiLen} + payload_len ${s.payloadLen}`,
        `L == ${STATUS + s.csiLen + s.payloadLen}`,
      );
      return this.skipByte(b, pos, base);
    }
    if (s.csiLen === 0) {
      if (this.noCsi++ === 0) {
        this.sink.diag(
          'info',
          'no-csi',
          base + pos,
          'record with csi_len 0 (no CSI for this packet) skipped',
          'csi_len > 0; further such records are only counted in meta.recordsWithoutCsi',
        );
      }
      this.meta.recordsWithoutCsi = this.noCsi;
      return 2 + L;
    }
    if (!csiShapeValid(s)) {
      this.sink.diag(
        'warning',
        'bad-csi-shape',
        base + pos,
        `csi_len ${s.csiLen} does not fit num_tones ${s.tones} x nr ${s.nr} x nc ${s.nc} (record skipped)`,
        'nr, nc in 1..3, num_tones 56 or 114, csi_len == num_tones*nr*nc*20/8',
      );
      return 2 + L;
    }
    const rssi = [s.rssi0, s.rssi1, s.rssi2].slice(0, s.nr),
      noise = s.noise === 0 ? NaN : (s.noise << 24) >> 24;
    if (this.skipCsi) {
      // Index pass: no values, and of the header only what decides the column layout (ReadOptions.skipCsi).
      this.nFrames++;
      this.sink.frame({
        offset: base + pos,
        timestampUs: s.timestamp,
        seq: -1,
        nRx: s.nr,
        nTx: s.nc,
        nSubcarriers: s.tones,
        rssi,
        noise,
        agc: NaN,
        csi: NO_CSI,
        header: { bandwidth: s.bandwidth },
      });
      return 2 + L;
    }
    const csi = new Float32Array(2 * s.tones * s.nr * s.nc);
    decodeAth10(b, pos + HEAD, s.csiLen, s.tones, s.nr, s.nc, csi);
    const frame: Omit<CsiFrame, 'index'> = {
      offset: base + pos,
      timestampUs: s.timestamp,
      seq: -1,
      nRx: s.nr,
      nTx: s.nc,
      nSubcarriers: s.tones,
      rssi,
      noise,
      agc: NaN,
      csi,
      header: {
        timestamp: s.timestamp,
        csi_len: s.csiLen,
        channel: s.channel,
        phyerr: s.phyerr,
        noise: s.noise,
        rate: s.rate,
        bandwidth: s.bandwidth,
        num_tones: s.tones,
        nr: s.nr,
        nc: s.nc,
        rssi: s.rssi,
        rssi_0: s.rssi0,
        rssi_1: s.rssi1,
        rssi_2: s.rssi2,
        payload_len: s.payloadLen,
      },
    };
    this.nFrames++;
    this.sink.frame(frame);
    return 2 + L;
  }

  finish(): void {
    this.meta.leadingBytesSkipped = Math.max(0, this.leadingSkipped);
    if (this.le === null) {
      this.sink.diag(
        'error',
        'not-atheros',
        0,
        'no Atheros CSI Tool record found',
        'records: u16 L (LE or BE) + 25-byte status with L == 25 + csi_len + payload_len',
      );
    }
  }
}

export const atherosReader: CsiReader = {
  format: 'atheros',

  sniff(head: Uint8Array): number {
    try {
      for (const start of [0, 1]) {
        if (head.length < start + HEAD) continue;
        const le = detectAt(head, start);
        if (le === null) continue;
        // A second consistent record right after the first makes it near certain.
        const s = readStatus(head, start, le);
        const next = start + 2 + s.L;
        if (next + HEAD <= head.length) return strongHeader(head, next, le) ? 0.95 : 0.4;
        return 0.8;
      }
    } catch {
      /* sniff never throws */
    }
    return 0;
  },

  read(bytes: Uint8Array, opts: ReadOptions = {}): CsiRecording {
    const file = opts.file ?? '<buffer>';
    const sink = new ParseSink(file, opts.maxFrames ?? Infinity, undefined, ['rate']);
    const meta: Record<string, unknown> = { tool: 'Atheros CSI Tool' };
    runWhole(new AtherosParser(sink, meta), bytes, sink);
    return toRecording(sink.frames, sink.diagnostics, file, meta);
  },

  frames(chunks: AsyncIterable<Uint8Array>, opts: StreamOptions = {}) {
    const sink = new ParseSink(opts.file ?? '<buffer>', opts.maxFrames ?? Infinity, opts.onDiagnostic);
    return runChunks(new AtherosParser(sink, {}, opts.skipCsi === true), chunks, sink);
  },

  scan(chunks: AsyncIterable<Uint8Array>, onFrame: (f: CsiFrame) => void, opts: StreamOptions = {}) {
    const sink = new ParseSink(opts.file ?? '<buffer>', opts.maxFrames ?? Infinity, opts.onDiagnostic, undefined, onFrame);
    return runChunksTo(new AtherosParser(sink, {}, opts.skipCsi === true), chunks, sink);
  },
};

function toRecording(frames: CsiFrame[], diagnostics: CsiDiagnostic[], file: string, meta: Record<string, unknown>): CsiRecording {
  const first = frames[0];
  const tones = first ? first.nSubcarriers : 56;
  const bw = first ? ((first.header.bandwidth as number) === 1 ? 40 : 20) : 0;
  const channel = first ? (first.header.channel as number) : 0;
  for (const f of frames) {
    if (f.nSubcarriers !== tones) {
      diagnostics.push({
        file,
        offset: f.offset,
        severity: 'warning',
        code: 'mixed-bandwidth',
        message: `record has ${f.nSubcarriers} tones while the first has ${tones}; subcarrierIndices follow the first`,
        expected: `${tones} tones`,
      });
      break;
    }
  }
  return buildRecording(frames, {
    format: 'atheros',
    file,
    device: 'Atheros ath9k (Atheros CSI Tool)',
    subcarrierIndices: athSubcarrierIndices(tones),
    bandwidthMHz: bw,
    carrierHz: channel * 1e6,
    diagnostics,
    meta,
    rateOf: f => f.header.rate as number,
    timestampModulus: 0,
  });
}
