// A seek index for big recordings of the formats read by a PushParser (Atheros, Nexmon, ESP32, PicoScenes), so a
// viewer can open a multi-GB file without holding its CSI in memory (Node only).
//
// One streaming pass (the reader's own `frames()`, i.e. the very parser `read()` runs) keeps, per kept frame, only
// its byte offset and the cheap per-packet fields (timestamp, sequence, RSSI, AGC, antenna counts): ~40 bytes a
// frame. Any run or list of frames is later decoded on demand by handing the reader `prefix + the frames' bytes`,
// where `prefix` is everything before the first frame (pcap / pcapng file header, CSV header line) and a frame's
// bytes run from its offset to the next kept frame's offset (so a Nexmon frame's packets, other traffic in between,
// or a skipped record all come along, as in the file).
//
// Why the decoded columns need re-aligning: a reader lays a recording's columns out from the frames it sees
// (PicoScenes: the union of the frames' subcarrier lists; Nexmon: narrower frames on their own band of the widest), so a
// slice that holds only some layouts would come back with other columns than the whole file. The index fixes the
// whole-file layout once, from one frame of each distinct layout (read together, in file order, so the reader makes
// the same choices as for the whole file), and every decoded slice is mapped onto it by subcarrier index.
import * as fs from 'fs';
import { detectFormat, SNIFF_BYTES } from './detect';
import { CsiFormatError } from './errors';
import { READERS } from './registry';
import type { CsiReader } from './reader';
import type { CsiDiagnostic, CsiFormat, CsiFrame, CsiRecording } from './types';
import { GrowArray } from './growArray';

/** Formats whose whole-file reader is the streaming parser (Intel 5300 has its own index in the editor). */
export const FRAME_INDEX_FORMATS: readonly CsiFormat[] = ['atheros', 'nexmon', 'esp32', 'picoscenes'];

/** At most this many bytes before the first frame are kept as the prefix of every decode. */
const MAX_PREFIX = 1 << 20;
/** RSSI chains kept per frame (every supported format has at most 4 receive chains in practice; more are NaN). */
export const INDEX_CHAINS = 4;

export interface FrameIndex {
  file: string;
  format: CsiFormat;
  sizeBytes: number;
  n: number;
  /** Byte offset of each kept frame (CsiRecording.offsets of the whole-file read). */
  offsets: Float64Array;
  /** Timestamps in µs, unwrapped like the whole-file read (CsiRecording.timestampUs). */
  timestampUs: Float64Array;
  seq: Int32Array;
  /** RSSI per chain, n × INDEX_CHAINS (NaN where absent). */
  rssi: Float32Array;
  agc: Float32Array;
  nRxPerPacket: Uint8Array;
  nTxPerPacket: Uint8Array;
  /**
   * The whole-file column layout and file-level facts (format, device, nSubcarriers, subcarrierIndices, bandwidth,
   * carrier, nRx/nTx maxima), as a recording of one frame per distinct layout. Its CSI is not the file's.
   */
  layout: CsiRecording;
  /** Diagnostics of the pass (what read() reports, offsets in the file). */
  diagnostics: CsiDiagnostic[];
  /**
   * Kept frames per transmitter MAC where the format names one (Nexmon src_mac, PicoScenes addr2, ESP32 mac: the
   * whole-file read's meta.sourceMacs); empty otherwise.
   */
  sourceMacs: Record<string, number>;
  /** Bytes before the first frame, prepended to every decode. */
  prefix: Uint8Array;
}

export interface FrameIndexOptions {
  file?: string;
  chunkSize?: number;
  /** Called after each chunk with the bytes read so far (progress, cancellation: throw to stop). */
  onChunk?: (bytesRead: number) => void | Promise<void>;
}

/** Header fields that decide a frame's column layout in some reader (see the file header). */
export const LAYOUT_KEYS = ['chanspec', 'csi_deviceType', 'csi_packetFormat', 'csi_cbw', 'subcarrierOffset', 'bandwidth'] as const;
const layoutKey = (f: CsiFrame) => `${f.nSubcarriers}|${f.nRx}|${f.nTx}|${LAYOUT_KEYS.map(k => String(f.header[k])).join('|')}`;

/** Whether two frames have the same layout fields (the common case of consecutive frames: no key string built). */
function sameLayout(a: CsiFrame, b: CsiFrame): boolean {
  if (a.nSubcarriers !== b.nSubcarriers || a.nRx !== b.nRx || a.nTx !== b.nTx) return false;
  for (const k of LAYOUT_KEYS) if (a.header[k] !== b.header[k]) return false;
  return true;
}

/** The whole-file reader's timestamp unwrapping (buildRecording's `timestampModulus`, per format). */
function timestampModulus(layout: CsiRecording): number {
  if (layout.format === 'esp32') return 2 ** 32;
  if (layout.format === 'picoscenes') return String(layout.meta.timestampSource ?? '').startsWith('MVMExtra') ? 2 ** 32 : 0;
  return 0;
}

function readerFor(head: Uint8Array, file: string): CsiReader {
  const det = detectFormat(head.subarray(0, SNIFF_BYTES));
  if (!det) {
    throw new CsiFormatError({
      file,
      offset: 0,
      severity: 'error',
      code: 'unknown-format',
      message: 'no reader recognises this content',
      expected: `one of: ${READERS.map(r => r.format).join(', ')} (detected by content, not extension)`,
    });
  }
  if (!FRAME_INDEX_FORMATS.includes(det.reader.format)) {
    throw new CsiFormatError({
      file,
      offset: 0,
      severity: 'error',
      code: 'no-frame-index',
      message: `${det.reader.format} files are not indexed by frameIndex`,
      expected: FRAME_INDEX_FORMATS.join(', '),
    });
  }
  return det.reader;
}

function readAt(fd: number, pos: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let got = 0;
  while (got < len) {
    const r = fs.readSync(fd, out, got, len - got, pos + got);
    if (r === 0) break;
    got += r;
  }
  return got === len ? out : out.subarray(0, got);
}

/** One streaming pass over `path` (see the file header). Memory: the index arrays plus one chunk and one record. */
export async function buildFrameIndex(path: string, opts: FrameIndexOptions = {}): Promise<FrameIndex> {
  const file = opts.file ?? path;
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    throw new CsiFormatError({
      file,
      offset: 0,
      severity: 'error',
      code: 'io-error',
      message: `cannot read file: ${e instanceof Error ? e.message : String(e)}`,
      expected: 'a readable file',
    });
  }
  try {
    const sizeBytes = fs.fstatSync(fd).size;
    const reader = readerFor(readAt(fd, 0, SNIFF_BYTES), file);
    const cap = Math.max(1024, Math.min(1 << 22, Math.ceil(sizeBytes / 512)));
    const offsets = new GrowArray(new Float64Array(cap), k => new Float64Array(k));
    const ts = new GrowArray(new Float64Array(cap), k => new Float64Array(k));
    const seq = new GrowArray(new Int32Array(cap), k => new Int32Array(k));
    const agc = new GrowArray(new Float32Array(cap), k => new Float32Array(k));
    const rssi = new GrowArray(new Float32Array(cap * INDEX_CHAINS), k => new Float32Array(k));
    const nRx = new GrowArray(new Uint8Array(cap), k => new Uint8Array(k));
    const nTx = new GrowArray(new Uint8Array(cap), k => new Uint8Array(k));
    const diagnostics: CsiDiagnostic[] = [];
    const reps = new Map<string, number>();
    const chunkSize = opts.chunkSize ?? 4 << 20;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let pos = 0; pos < sizeBytes; pos += chunkSize) {
        // A fresh buffer per chunk: the streaming driver copies what it keeps, but never rely on that here.
        const c = readAt(fd, pos, Math.min(chunkSize, sizeBytes - pos));
        if (c.length === 0) return;
        yield c;
        await opts.onChunk?.(Math.min(sizeBytes, pos + c.length));
      }
    }
    let prev: CsiFrame | undefined;
    const sourceMacs: Record<string, number> = {};
    const onFrame = (f: CsiFrame) => {
      if (!prev || !sameLayout(prev, f)) {
        const key = layoutKey(f);
        if (!reps.has(key)) reps.set(key, offsets.n);
      }
      prev = f;
      const mac = f.header.src_mac ?? f.header.addr2 ?? f.header.mac;
      if (typeof mac === 'string' && mac) sourceMacs[mac] = (sourceMacs[mac] ?? 0) + 1;
      offsets.push(f.offset);
      ts.push(f.timestampUs);
      seq.push(f.seq);
      agc.push(f.agc);
      for (let c = 0; c < INDEX_CHAINS; c++) rssi.push(c < f.rssi.length ? f.rssi[c] : NaN);
      nRx.push(f.nRx);
      nTx.push(f.nTx);
    };
    // skipCsi: the index needs no CSI values and of the header only the layout fields (ReadOptions.skipCsi).
    const scanOpts = { file, skipCsi: true, onDiagnostic: (d: CsiDiagnostic) => diagnostics.push(d) };
    if (reader.scan) await reader.scan(chunks(), onFrame, scanOpts);
    else for await (const f of reader.frames(chunks(), scanOpts)) onFrame(f);
    const n = offsets.n;
    const off = offsets.done();
    const prefix = readAt(fd, 0, Math.min(n ? off[0] : sizeBytes, MAX_PREFIX));
    const base: Omit<FrameIndex, 'layout'> = {
      file,
      format: reader.format,
      sizeBytes,
      n,
      offsets: off,
      timestampUs: ts.done(),
      seq: seq.done(),
      rssi: rssi.done(),
      agc: agc.done(),
      nRxPerPacket: nRx.done(),
      nTxPerPacket: nTx.done(),
      diagnostics,
      sourceMacs,
      prefix,
    };
    // The whole-file layout from one frame of each layout, in file order (see the file header).
    const repList = Int32Array.from([...reps.values()].sort((x, y) => x - y));
    const layout = decode(fd, { ...base, layout: undefined as unknown as CsiRecording }, reader, repList, true);
    // File-level diagnostics only the whole-file read gives (mixed-bandwidth, no-csi, unknown-indices …); the
    // per-record ones of the representative frames are already in the pass's list.
    const seen = new Set(diagnostics.map(d => `${d.code}@${d.offset}`));
    for (const d of layout.diagnostics) if (!seen.has(`${d.code}@${d.offset}`)) diagnostics.push(d);
    const mod = timestampModulus(layout);
    if (mod > 0) {
      const t = base.timestampUs;
      let wraps = 0,
        prev = NaN;
      for (let p = 0; p < n; p++) {
        const raw = t[p];
        if (!Number.isNaN(prev) && raw < prev && prev - raw > mod / 2) wraps++;
        prev = raw;
        t[p] = raw + wraps * mod;
      }
    }
    return { ...base, layout };
  } finally {
    fs.closeSync(fd);
  }
}

/** Byte span [start, end) of frame p: from its offset to the next kept frame's (or the end of the file). */
function span(ix: FrameIndex, p: number): [number, number] {
  return [ix.offsets[p], p + 1 < ix.n ? ix.offsets[p + 1] : ix.sizeBytes];
}

/**
 * Decode the frames `list` (ascending frame numbers) with `reader` from prefix + their byte spans. Runs of
 * consecutive frames are read as one span. Offsets and diagnostic offsets are mapped back to the file.
 */
function decode(fd: number, ix: FrameIndex, reader: CsiReader, list: Int32Array, raw = false): CsiRecording {
  const pieces: { file: number; at: number; len: number }[] = [];
  let total = ix.prefix.length;
  for (let i = 0; i < list.length;) {
    let j = i;
    while (j + 1 < list.length && list[j + 1] === list[j] + 1) j++;
    const [s] = span(ix, list[i]),
      [, e] = span(ix, list[j]);
    pieces.push({ file: s, at: total, len: e - s });
    total += e - s;
    i = j + 1;
  }
  const bytes = new Uint8Array(total);
  bytes.set(ix.prefix, 0);
  for (const p of pieces) bytes.set(readAt(fd, p.file, p.len), p.at);
  const toFile = (o: number) => {
    if (o < ix.prefix.length) return o;
    let lo = 0,
      hi = pieces.length - 1;
    while (lo < hi) {
      const m = (lo + hi + 1) >> 1;
      if (pieces[m].at <= o) lo = m;
      else hi = m - 1;
    }
    return pieces[lo].file + (o - pieces[lo].at);
  };
  const rec = reader.read(bytes, { file: ix.file });
  if (rec.nPackets !== list.length) {
    throw new CsiFormatError({
      file: ix.file,
      offset: list.length ? ix.offsets[list[0]] : 0,
      severity: 'error',
      code: 'index-mismatch',
      message: `re-reading ${list.length} indexed frame(s) gave ${rec.nPackets} (the file changed since it was indexed?)`,
      expected: `${list.length} frames`,
    });
  }
  for (let p = 0; p < rec.nPackets; p++) rec.offsets[p] = toFile(rec.offsets[p]);
  for (const d of rec.diagnostics) d.offset = toFile(d.offset);
  return raw ? rec : alignTo(rec, ix, list);
}

/**
 * `rec` with the index's whole-file columns: column c of the result is the subcarrier layout.subcarrierIndices[c]
 * (absent subcarriers are 0, as the readers pad), nRx/nTx are the file's maxima, and per-packet timestamps are the
 * index's (unwrapped over the whole file).
 */
function alignTo(rec: CsiRecording, ix: FrameIndex, list: Int32Array): CsiRecording {
  const L = ix.layout;
  const want = L.subcarrierIndices;
  for (let p = 0; p < rec.nPackets; p++) rec.timestampUs[p] = ix.timestampUs[list[p]];
  const same =
    rec.nSubcarriers === L.nSubcarriers &&
    rec.nRx === L.nRx &&
    rec.nTx === L.nTx &&
    rec.subcarrierIndices.length === want.length &&
    rec.subcarrierIndices.every((v, i) => v === want[i]);
  if (same) {
    rec.subcarrierIndices = want;
    return rec;
  }
  // A Nexmon slice of narrow frames only is laid out around its own carrier (nexmon/reader.ts placeFrames): its indices are
  // offset from the whole file's grid by the carriers' difference in 312.5 kHz subcarriers.
  const shift = rec.format === 'nexmon' && rec.carrierHz > 0 && L.carrierHz > 0 ? Math.round((rec.carrierHz - L.carrierHz) / 312.5e3) : 0;
  const col = new Map<number, number>();
  rec.subcarrierIndices.forEach((v, i) => {
    if (i < rec.nSubcarriers && !col.has(v + shift)) col.set(v + shift, i);
  });
  const nSc = L.nSubcarriers,
    nRx = L.nRx,
    nTx = L.nTx;
  const map = (csi: Float32Array) => {
    const out = new Float32Array(rec.nPackets * nSc * nRx * nTx * 2);
    for (let p = 0; p < rec.nPackets; p++)
      for (let s = 0; s < nSc; s++) {
        const from = col.get(want[s]);
        if (from === undefined) continue;
        for (let r = 0; r < Math.min(nRx, rec.nRx); r++)
          for (let t = 0; t < Math.min(nTx, rec.nTx); t++) {
            const d = 2 * (((p * nSc + s) * nRx + r) * nTx + t),
              q = 2 * (((p * rec.nSubcarriers + from) * rec.nRx + r) * rec.nTx + t);
            out[d] = csi[q];
            out[d + 1] = csi[q + 1];
          }
      }
    return out;
  };
  const rssi = new Float32Array(rec.nPackets * nRx).fill(NaN);
  for (let p = 0; p < rec.nPackets; p++) for (let r = 0; r < Math.min(nRx, rec.nRx); r++) rssi[p * nRx + r] = rec.rssi[p * rec.nRx + r];
  return {
    ...rec,
    nSubcarriers: nSc,
    nRx,
    nTx,
    subcarrierIndices: want,
    csi: map(rec.csi),
    scaled: rec.scaled ? map(rec.scaled) : undefined,
    rssi,
  };
}

/** Random access to an indexed file's frames. Keeps one file descriptor open until close(). */
export class IndexedFrames {
  private fd: number | undefined;
  private readonly reader: CsiReader;

  constructor(
    private readonly path: string,
    readonly index: FrameIndex,
  ) {
    this.reader = READERS.find(r => r.format === index.format)!;
  }

  private handle(): number {
    this.fd ??= fs.openSync(this.path, 'r');
    return this.fd;
  }

  /** Frames [a, b) as a recording with the whole file's columns. */
  range(a: number, b: number): CsiRecording {
    if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b <= this.index.n && a < b)) {
      throw new RangeError(`${this.index.file}: frame range [${a}, ${b}) outside 0..${this.index.n}`);
    }
    const list = new Int32Array(b - a);
    for (let i = 0; i < list.length; i++) list[i] = a + i;
    return decode(this.handle(), this.index, this.reader, list);
  }

  /** The listed frames (ascending) as one recording: packet i of the result is frame list[i]. */
  at(list: Int32Array): CsiRecording {
    for (let i = 0; i < list.length; i++) {
      if (!(list[i] >= 0 && list[i] < this.index.n) || (i > 0 && list[i] <= list[i - 1])) {
        throw new RangeError(`${this.index.file}: frame list must be ascending within 0..${this.index.n - 1} (item ${i} = ${list[i]})`);
      }
    }
    return decode(this.handle(), this.index, this.reader, list);
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
