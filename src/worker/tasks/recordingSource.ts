// How the worker holds a recording open for the editor, so that zooming does not re-read the file.
//
// Two modes:
//  • 'whole': small files (and every format without a cheap framing pass) are parsed once with readRecording and
//    kept in memory; any packet range is a zero-copy slice of the columnar recording.
//  • 'indexed': big files. Intel 5300 logs: Parsing 100 MB whole takes ~2 s and needs the CSI in memory (more than the
//    file itself), so instead one streaming pass frames the entries (intel5300Scan's walker, the same decision
//    procedure as the reader) and keeps only a per-packet index: file offset, entry length, time, sequence, RSSI,
//    AGC. CSI is decoded on demand by handing the reader the exact bytes of the packets asked for. Memory: ~40 bytes
//    per packet plus one 8 MiB read buffer, whatever the file size.
//
// Every source also exposes a monotone "display time" axis (seconds from the first packet): recordings with clock
// resets (e.g. logs appended to one another) would otherwise fold back on themselves in a time-axis chart. A
// backward step is replaced by the median packet interval and counted in `clockResets`.
import * as fs from 'fs';
import * as path from 'path';
import { CsiFormatError, detectFormat, readRecording } from '../../core/formats';
import { buildFrameIndex, FRAME_INDEX_FORMATS, INDEX_CHAINS, IndexedFrames } from '../../core/formats/frameIndex';
import { transmittersByFrames } from '../../core/formats/mainLink';
import type { CsiDiagnostic, CsiRecording } from '../../core/formats/types';
import { SUBCARRIERS_20MHZ } from '../../core/formats/intel5300/decode';
import { BFEE_HEADER_BYTES, bfeeHeaderConsistent, Intel5300EntryWalker } from '../../core/formats/intel5300/scan';
import { parseWidarFileName } from '../../core/data/widarNaming';
import { subcarrierAxis } from '../../core/dsp/tonePlan';
import type { RecordingSummary } from '../../shared/recordingSummary';
import type { TaskContext } from '../taskContext';
import { TaskError } from './taskError';

/** Per-packet facts for the whole file, cheap enough to keep for a 1 GB recording. */
export interface PacketIndex {
  n: number;
  /** Monotone display time, seconds from the first packet. */
  timeS: Float64Array;
  /** Sequence field per packet, -1 when the format has none. */
  seq: Int32Array;
  /** RSSI per chain, n × nChains (NaN where absent). */
  rssi: Float32Array;
  nChains: number;
  agc: Float32Array;
  clockResets: number;
}

export interface RecordingSource {
  path: string;
  mode: 'whole' | 'indexed';
  summary: RecordingSummary;
  index: PacketIndex;
  /** Contiguous packets [a, b) as a recording (a slice in 'whole' mode, a fresh parse of those bytes otherwise). */
  packets(a: number, b: number): CsiRecording;
  /** Indexed mode: the listed packets (ascending) as one recording, packet i of the result = list[i]. One parse
   *  for all of them: the reader's fixed cost per call (~0.3 ms) would dominate 2000 separate small parses. */
  packetsAt?(list: Int32Array): CsiRecording;
  close(): void;
}

/** Files at least this big, in a format with an index pass, are opened in 'indexed' mode. */
export const INDEX_THRESHOLD_BYTES = 32 * 1024 * 1024;
const READ_CHUNK = 8 * 1024 * 1024;

/** Monotone display time from raw µs timestamps (see the file header). */
export function displayTime(timestampUs: ArrayLike<number>, n: number): { timeS: Float64Array; clockResets: number } {
  const timeS = new Float64Array(n);
  if (n === 0) return { timeS, clockResets: 0 };
  const steps: number[] = [];
  const stride = Math.max(1, Math.floor(n / 4096));
  for (let i = stride; i < n; i += stride) { const d = timestampUs[i] - timestampUs[i - 1]; if (d > 0 && Number.isFinite(d)) steps.push(d); }
  steps.sort((x, y) => x - y);
  // No increasing step at all (e.g. a log whose timestamp field is constant): 1 ms per packet, flagged as resets.
  const median = steps.length ? steps[steps.length >> 1] : 1000;
  let resets = 0;
  for (let i = 1; i < n; i++) {
    const d = timestampUs[i] - timestampUs[i - 1];
    const step = Number.isFinite(d) && (d > 0 || (d === 0 && steps.length > 0)) ? d : (resets++, median);
    timeS[i] = timeS[i - 1] + step / 1e6;
  }
  return { timeS, clockResets: resets };
}

/** Packets lost according to sequence-number gaps (16-bit counters, or 12-bit 802.11 sequence numbers). */
export function lostFromSeq(seq: Int32Array, a = 0, b = seq.length): number | undefined {
  if (b - a < 2 || seq[a] < 0) return undefined;
  let max = 0;
  for (let i = a; i < b; i++) if (seq[i] > max) max = seq[i];
  const mod = max < 4096 ? 4096 : 65536;
  let lost = 0;
  for (let i = a + 1; i < b; i++) {
    if (seq[i] < 0 || seq[i - 1] < 0) continue;
    const d = (seq[i] - seq[i - 1] + mod) % mod;
    // d == 0: a repeated packet; a huge d is a backward jump (reordering or a restart), not a loss.
    if (d > 1 && d < mod / 2) lost += d - 1;
  }
  return lost;
}

export function widarOf(file: string): RecordingSummary['widar'] {
  return parseWidarFileName(path.basename(file));
}

/** Zero-copy view of packets [a, b) of a whole recording. */
export function sliceRecording(rec: CsiRecording, a: number, b: number): CsiRecording {
  const block = 2 * rec.nSubcarriers * rec.nRx * rec.nTx;
  // No object spread: `scaled` may be a lazy getter (Intel) and spreading would materialise it for the whole file.
  const out: CsiRecording = {
    format: rec.format, file: rec.file, device: rec.device, nPackets: b - a, nSubcarriers: rec.nSubcarriers,
    nRx: rec.nRx, nTx: rec.nTx, subcarrierIndices: rec.subcarrierIndices, bandwidthMHz: rec.bandwidthMHz,
    carrierHz: rec.carrierHz, diagnostics: [], meta: rec.meta,
    timestampUs: rec.timestampUs.subarray(a, b),
    seq: rec.seq.subarray(a, b),
    nRxPerPacket: rec.nRxPerPacket.subarray(a, b),
    nTxPerPacket: rec.nTxPerPacket.subarray(a, b),
    rssi: rec.rssi.subarray(a * rec.nRx, b * rec.nRx),
    noise: rec.noise.subarray(a, b), agc: rec.agc.subarray(a, b), rate: rec.rate.subarray(a, b),
    csi: rec.csi.subarray(a * block, b * block),
    offsets: rec.offsets.subarray(a, b),
    scaleFactor: rec.scaleFactor?.subarray(a, b),
  };
  Object.defineProperty(out, 'scaled', { configurable: true, enumerable: true,
    get: () => rec.scaled?.subarray(a * block, b * block) });
  return out;
}

function baseSummary(file: string, size: number): RecordingSummary {
  return { file, sizeBytes: size, records: 0, nSubcarriers: 0, nRx: 0, nTx: 0, bandwidthMHz: 0, durationS: 0, meanRateHz: 0,
           diagnostics: [], diagnosticCount: 0, parseMs: 0, widar: widarOf(file) };
}

/** Transmitters by frame count (formats/mainLink.ts order: the first is the one training reads), or undefined. */
export function transmittersOf(sourceMacs: unknown): RecordingSummary['transmitters'] {
  const list = transmittersByFrames(sourceMacs);
  return list.length ? list : undefined;
}

function summaryExtras(s: RecordingSummary, index: PacketIndex, maxDiagnostics: number, diagnostics: CsiDiagnostic[]): RecordingSummary {
  const n = index.n;
  s.durationS = n > 1 ? index.timeS[n - 1] : 0;
  s.meanRateHz = s.durationS > 0 ? (n - 1) / s.durationS : 0;
  s.lostPackets = lostFromSeq(index.seq);
  s.diagnostics = diagnostics.slice(0, maxDiagnostics);
  s.diagnosticCount = diagnostics.length;
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  s.severityCounts = counts;
  // Indexed files have no training-field names: the axis splits the columns where an index repeats.
  s.subcarrierAxis ??= subcarrierAxis(s.subcarrierIndices ?? []);
  s.scaledAvailable ??= s.format === 'intel5300';
  return s;
}

function openWhole(file: string, bytes: Uint8Array, maxDiagnostics: number): RecordingSource {
  const t0 = performance.now();
  let rec: CsiRecording;
  try {
    rec = readRecording(bytes, { file });
  } catch (e) {
    if (!(e instanceof CsiFormatError)) throw e;
    // Not a recording: still an answer the editor shows (with the diagnostic), never a blank page.
    const s = baseSummary(file, bytes.length);
    s.diagnostics = [e.diagnostic]; s.diagnosticCount = 1; s.parseMs = performance.now() - t0;
    const index: PacketIndex = { n: 0, timeS: new Float64Array(0), seq: new Int32Array(0), rssi: new Float32Array(0), nChains: 0, agc: new Float32Array(0), clockResets: 0 };
    return { path: file, mode: 'whole', summary: s, index, packets: () => { throw new TaskError('bad-input', `${file}: no packets`); }, close() {} };
  }
  const parseMs = performance.now() - t0;
  const { timeS, clockResets } = displayTime(rec.timestampUs, rec.nPackets);
  const index: PacketIndex = { n: rec.nPackets, timeS, seq: rec.seq, rssi: rec.rssi, nChains: rec.nRx, agc: rec.agc, clockResets };
  const s = baseSummary(file, bytes.length);
  Object.assign(s, { format: rec.format, device: rec.device, records: rec.nPackets, nSubcarriers: rec.nSubcarriers, nRx: rec.nRx,
    nTx: rec.nTx, bandwidthMHz: rec.bandwidthMHz, carrierHz: rec.carrierHz, parseMs, subcarrierIndices: Array.from(rec.subcarrierIndices),
    transmitters: transmittersOf(rec.meta.sourceMacs), scaledAvailable: rec.scaleFactor !== undefined,
    subcarrierAxis: subcarrierAxis(rec.subcarrierIndices, rec.meta.trainingFields as { name: string; start: number; count: number }[] | undefined) });
  summaryExtras(s, index, maxDiagnostics, rec.diagnostics);
  return { path: file, mode: 'whole', summary: s, index, packets: (a, b) => sliceRecording(rec, a, b), close() {} };
}

class Grow<T extends Float64Array | Float32Array | Int32Array | Uint16Array> {
  n = 0;
  constructor(public a: T, private readonly make: (n: number) => T) {}
  push(v: number) {
    if (this.n === this.a.length) { const b = this.make(this.a.length * 2); b.set(this.a as never); this.a = b; }
    this.a[this.n++] = v;
  }
  done(): T { return this.a.subarray(0, this.n) as T; }
}

/** Streaming framing pass over a big Intel 5300 log (see the file header). */
async function openIntelIndexed(file: string, size: number, maxDiagnostics: number, ctx: TaskContext): Promise<RecordingSource> {
  const t0 = performance.now();
  const diagnostics: CsiDiagnostic[] = [];
  const walker = new Intel5300EntryWalker(p => diagnostics.push({ file, ...p }));
  // Start near the final size (entries are 95–1.6 KB; ~300 B on mixed logs) so the arrays rarely regrow.
  const cap = Math.max(1 << 12, Math.min(1 << 24, Math.ceil(size / 300)));
  const offsets = new Grow(new Float64Array(cap), n => new Float64Array(n));
  const lens = new Grow(new Uint16Array(cap), n => new Uint16Array(n));
  const tsUs = new Grow(new Float64Array(cap), n => new Float64Array(n));
  const seq = new Grow(new Int32Array(cap), n => new Int32Array(n));
  const agc = new Grow(new Float32Array(cap), n => new Float32Array(n));
  const rssi = new Grow(new Float32Array(3 * cap), n => new Float32Array(n));
  let maxRx = 0, maxTx = 0, wraps = 0, prevTs = -1, ht40 = -1;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = new Uint8Array(READ_CHUNK + 65536);
    let have = 0, base = 0, pos = 0;
    let walkerMode = false;
    const onBfee = (p: number): boolean => {
      const o = p + 3;
      const ts = (buf[o] | (buf[o + 1] << 8) | (buf[o + 2] << 16) | (buf[o + 3] << 24)) >>> 0;
      if (prevTs >= 0 && ts < prevTs && prevTs - ts > 2 ** 31) wraps++;
      prevTs = ts;
      const nrx = buf[o + 8], ntx = buf[o + 9];
      if (nrx > maxRx) maxRx = nrx;
      if (ntx > maxTx) maxTx = ntx;
      if (ht40 < 0) ht40 = (buf[o + 18] | (buf[o + 19] << 8)) & 0x800 ? 1 : 0;
      offsets.push(base + p);
      lens.push(((buf[p] << 8) | buf[p + 1]) + 2);
      tsUs.push(ts + wraps * 2 ** 32);
      seq.push(buf[o + 4] | (buf[o + 5] << 8));
      rssi.push(buf[o + 10]); rssi.push(nrx > 1 ? buf[o + 11] : NaN); rssi.push(nrx > 2 ? buf[o + 12] : NaN);
      agc.push(buf[o + 14]);
      return true;
    };
    for (;;) {
      const got = fs.readSync(fd, buf, have, buf.length - have, base + have);
      have += got;
      const eof = got === 0 || base + have >= size;
      // Fast path for the well-formed run of a log: a consistent bfee whose successor is a consistent bfee (or
      // the end of the file) is exactly what the walker would accept too. At the first entry that is anything
      // else, the walker (the reader's own decision procedure) takes over for the rest of the file.
      if (!walkerMode) {
        let p = pos;
        for (;;) {
          if (p + BFEE_HEADER_BYTES > have) break;
          if (!bfeeHeaderConsistent(buf, p)) { walkerMode = true; break; }
          const end = p + 2 + ((buf[p] << 8) | buf[p + 1]);
          if (end > have) break;
          const nextOk = (end === have && eof) || (end + BFEE_HEADER_BYTES <= have && bfeeHeaderConsistent(buf, end));
          if (!nextOk) { if (end + BFEE_HEADER_BYTES <= have || eof) walkerMode = true; break; }
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
      base += keep; have -= keep; pos = 0;
      ctx.progress({ fraction: base / size, message: `indexing ${(base / 1048576).toFixed(0)} MiB` });
      if (offsets.n % 64 === 0) await ctx.checkpoint(); else ctx.throwIfCancelled();
    }
  } finally {
    fs.closeSync(fd);
  }
  const n = offsets.n;
  const off = offsets.done(), len = lens.done();
  const { timeS, clockResets } = displayTime(tsUs.done(), n);
  const nChains = 3;
  const index: PacketIndex = { n, timeS, seq: seq.done(), rssi: rssi.done(), nChains, agc: agc.done(), clockResets };
  const s = baseSummary(file, size);
  Object.assign(s, { format: 'intel5300', device: 'Intel 5300', records: n, nSubcarriers: n ? 30 : 0, nRx: maxRx, nTx: maxTx,
    bandwidthMHz: n === 0 ? 0 : ht40 === 1 ? 40 : 20, carrierHz: 0, parseMs: performance.now() - t0,
    subcarrierIndices: n ? Array.from(ht40 === 1 ? [-58, -54, -50, -46, -42, -38, -34, -30, -26, -22, -18, -14, -10, -6, -2, 2, 6, 10, 14, 18, 22, 26, 30, 34, 38, 42, 46, 50, 54, 58] : SUBCARRIERS_20MHZ) : [] });
  summaryExtras(s, index, maxDiagnostics, diagnostics);
  let fdRead: number | undefined;
  const packets = (a: number, b: number): CsiRecording => {
    if (!(a >= 0 && b <= n && a < b)) throw new TaskError('bad-input', `${file}: packet range [${a}, ${b}) outside 0..${n}`);
    fdRead ??= fs.openSync(file, 'r');
    const start = off[a], end = off[b - 1] + len[b - 1];
    const bytes = new Uint8Array(end - start);
    fs.readSync(fdRead, bytes, 0, bytes.length, start);
    // The bytes are exactly whole entries, so the reader sees a small valid log; offsets are shifted back.
    const rec = readRecording(bytes, { file });
    for (let i = 0; i < rec.offsets.length; i++) rec.offsets[i] += start;
    return rec;
  };
  const packetsAt = (list: Int32Array): CsiRecording => {
    fdRead ??= fs.openSync(file, 'r');
    let total = 0;
    for (let i = 0; i < list.length; i++) total += len[list[i]];
    const bytes = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < list.length; i++) { const p = list[i]; fs.readSync(fdRead, bytes, at, len[p], off[p]); at += len[p]; }
    // Whole validated entries back to back form a valid log: the reader keeps exactly one packet per entry.
    const rec = readRecording(bytes, { file });
    if (rec.nPackets !== list.length) throw new TaskError('internal', `${file}: re-reading ${list.length} indexed packets gave ${rec.nPackets}`);
    for (let i = 0; i < list.length; i++) rec.offsets[i] = off[list[i]];
    return rec;
  };
  return { path: file, mode: 'indexed', summary: s, index, packets, packetsAt,
           close: () => { if (fdRead !== undefined) fs.closeSync(fdRead); fdRead = undefined; } };
}

/** Streaming index of a big Atheros / Nexmon / ESP32 / PicoScenes file (see the file header). */
async function openFramesIndexed(file: string, size: number, maxDiagnostics: number, ctx: TaskContext): Promise<RecordingSource> {
  const t0 = performance.now();
  let ix;
  try {
    ix = await buildFrameIndex(file, { onChunk: async read => {
      ctx.progress({ fraction: read / size, message: `indexing ${(read / 1048576).toFixed(0)} MiB` });
      await ctx.checkpoint();
    } });
  } catch (e) {
    if (e instanceof CsiFormatError) throw new TaskError('bad-input', `${file}: ${e.message}`);
    throw e;
  }
  const L = ix.layout;
  const { timeS, clockResets } = displayTime(ix.timestampUs, ix.n);
  const index: PacketIndex = { n: ix.n, timeS, seq: ix.seq, rssi: ix.rssi, nChains: INDEX_CHAINS, agc: ix.agc, clockResets };
  const s = baseSummary(file, size);
  Object.assign(s, { format: ix.format, device: L.device, records: ix.n, nSubcarriers: L.nSubcarriers, nRx: L.nRx, nTx: L.nTx,
    bandwidthMHz: L.bandwidthMHz, carrierHz: L.carrierHz, parseMs: performance.now() - t0, subcarrierIndices: Array.from(L.subcarrierIndices),
    transmitters: transmittersOf(ix.sourceMacs) });
  summaryExtras(s, index, maxDiagnostics, ix.diagnostics);
  const frames = new IndexedFrames(file, ix);
  const guard = <T>(f: () => T): T => {
    try { return f(); } catch (e) {
      if (e instanceof RangeError || e instanceof CsiFormatError) throw new TaskError('bad-input', `${file}: ${e.message}`);
      throw e;
    }
  };
  return { path: file, mode: 'indexed', summary: s, index,
           packets: (a, b) => guard(() => frames.range(a, b)), packetsAt: list => guard(() => frames.at(list)), close: () => frames.close() };
}

/** Open `file` in the mode its size and format call for. */
export async function openRecordingSource(file: string, ctx: TaskContext, maxDiagnostics = 200,
                                          threshold = INDEX_THRESHOLD_BYTES): Promise<RecordingSource> {
  let size: number;
  try {
    size = (await fs.promises.stat(file)).size;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new TaskError(err.code === 'ENOENT' ? 'not-found' : 'bad-input', `${file}: cannot read the file (${err.code ?? err.message})`);
  }
  if (size >= threshold) {
    const head = new Uint8Array(65536);
    const fd = fs.openSync(file, 'r');
    const got = fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    const format = detectFormat(head.subarray(0, got))?.reader.format;
    if (format === 'intel5300') return openIntelIndexed(file, size, maxDiagnostics, ctx);
    if (format && FRAME_INDEX_FORMATS.includes(format)) return openFramesIndexed(file, size, maxDiagnostics, ctx);
  }
  const bytes = await fs.promises.readFile(file);
  await ctx.checkpoint();
  return openWhole(file, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), maxDiagnostics);
}

/** Sources kept open by the worker, keyed by path and invalidated when the file changes (size or mtime). */
const cache = new Map<string, { key: string; source: Promise<RecordingSource> }>();
const CACHE_SIZE = 3;

export async function cachedSource(file: string, ctx: TaskContext, maxDiagnostics?: number): Promise<RecordingSource> {
  let key = '';
  try { const st = await fs.promises.stat(file); key = `${st.size}:${st.mtimeMs}`; } catch { /* reported by open */ }
  const hit = cache.get(file);
  if (hit && hit.key === key) { cache.delete(file); cache.set(file, hit); return hit.source; }
  if (hit) { cache.delete(file); void hit.source.then(s => s.close(), () => {}); }
  const source = openRecordingSource(file, ctx, maxDiagnostics);
  cache.set(file, { key, source });
  source.catch(() => cache.delete(file));
  while (cache.size > CACHE_SIZE) {
    const [oldest, entry] = cache.entries().next().value as [string, { source: Promise<RecordingSource> }];
    cache.delete(oldest);
    void entry.source.then(s => s.close(), () => {});
  }
  return source;
}

/** First packet at or after t0 and the end after t1 on the monotone display time axis. */
export function packetRange(timeS: Float64Array, n: number, rangeS?: [number, number]): [number, number] {
  if (!rangeS || n === 0) return [0, n];
  const lower = (t: number) => { let lo = 0, hi = n; while (lo < hi) { const m = (lo + hi) >> 1; if (timeS[m] < t) lo = m + 1; else hi = m; } return lo; };
  const upper = (t: number) => { let lo = 0, hi = n; while (lo < hi) { const m = (lo + hi) >> 1; if (timeS[m] <= t) lo = m + 1; else hi = m; } return lo; };
  let a = lower(Math.min(rangeS[0], rangeS[1])), b = upper(Math.max(rangeS[0], rangeS[1]));
  if (b <= a) { a = Math.min(a, n - 1); b = a + 1; } // a range between two packets shows the nearest one
  return [a, b];
}
