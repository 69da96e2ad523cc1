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
import { buildIntel5300SeekIndex, readIndexedPackets, readIndexedRange } from '../../core/formats/intel5300/seekIndex';
import { parseWidarFileName } from '../../core/data/widarNaming';
import { subcarrierAxis } from '../../core/dsp/tonePlan';
import type { RecordingSummary } from '../../shared/recordingSummary';
import type { TaskContext } from '../taskContext';
import { TaskError } from './taskError';
import { displayTime, lostFromSeq, sliceRecording } from './packetWindow';
export { displayTime, lostFromSeq, packetRange, sliceRecording } from './packetWindow';

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

export function widarOf(file: string): RecordingSummary['widar'] {
  return parseWidarFileName(path.basename(file));
}

function baseSummary(file: string, size: number): RecordingSummary {
  return {
    file,
    sizeBytes: size,
    records: 0,
    nSubcarriers: 0,
    nRx: 0,
    nTx: 0,
    bandwidthMHz: 0,
    durationS: 0,
    meanRateHz: 0,
    diagnostics: [],
    diagnosticCount: 0,
    parseMs: 0,
    widar: widarOf(file),
  };
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
    s.diagnostics = [e.diagnostic];
    s.diagnosticCount = 1;
    s.parseMs = performance.now() - t0;
    const index: PacketIndex = {
      n: 0,
      timeS: new Float64Array(0),
      seq: new Int32Array(0),
      rssi: new Float32Array(0),
      nChains: 0,
      agc: new Float32Array(0),
      clockResets: 0,
    };
    return {
      path: file,
      mode: 'whole',
      summary: s,
      index,
      packets: () => {
        throw new TaskError('bad-input', `${file}: no packets`);
      },
      close() {},
    };
  }
  const parseMs = performance.now() - t0;
  const { timeS, clockResets } = displayTime(rec.timestampUs, rec.nPackets);
  const index: PacketIndex = { n: rec.nPackets, timeS, seq: rec.seq, rssi: rec.rssi, nChains: rec.nRx, agc: rec.agc, clockResets };
  const s = baseSummary(file, bytes.length);
  Object.assign(s, {
    format: rec.format,
    device: rec.device,
    records: rec.nPackets,
    nSubcarriers: rec.nSubcarriers,
    nRx: rec.nRx,
    nTx: rec.nTx,
    bandwidthMHz: rec.bandwidthMHz,
    carrierHz: rec.carrierHz,
    parseMs,
    subcarrierIndices: Array.from(rec.subcarrierIndices),
    transmitters: transmittersOf(rec.meta.sourceMacs),
    scaledAvailable: rec.scaleFactor !== undefined,
    subcarrierAxis: subcarrierAxis(
      rec.subcarrierIndices,
      rec.meta.trainingFields as { name: string; start: number; count: number }[] | undefined,
    ),
  });
  summaryExtras(s, index, maxDiagnostics, rec.diagnostics);
  return { path: file, mode: 'whole', summary: s, index, packets: (a, b) => sliceRecording(rec, a, b), close() {} };
}

/** A big Intel 5300 log through its seek index (core/formats/intel5300/seekIndex.ts): one streaming pass, no CSI decoded. */
async function openIntelIndexed(file: string, size: number, maxDiagnostics: number, ctx: TaskContext): Promise<RecordingSource> {
  const t0 = performance.now();
  const ix = await buildIntel5300SeekIndex(file, size, {
    onChunk: async (done, entries) => {
      ctx.progress({ fraction: done / size, message: `indexing ${(done / 1048576).toFixed(0)} MiB` });
      if (entries % 64 === 0) await ctx.checkpoint();
      else ctx.throwIfCancelled();
    },
  });
  const n = ix.n;
  const { timeS, clockResets } = displayTime(ix.timestampUs, n);
  const index: PacketIndex = { n, timeS, seq: ix.seq, rssi: ix.rssi, nChains: 3, agc: ix.agc, clockResets };
  const s = baseSummary(file, size);
  Object.assign(s, {
    format: 'intel5300',
    device: 'Intel 5300',
    records: n,
    nSubcarriers: n ? 30 : 0,
    nRx: ix.maxRx,
    nTx: ix.maxTx,
    bandwidthMHz: ix.bandwidthMHz ?? 0,
    carrierHz: 0,
    parseMs: performance.now() - t0,
    subcarrierIndices: Array.from(ix.subcarrierIndices),
  });
  summaryExtras(s, index, maxDiagnostics, ix.diagnostics);
  let fdRead: number | undefined;
  const packets = (a: number, b: number): CsiRecording => {
    if (!(a >= 0 && b <= n && a < b)) throw new TaskError('bad-input', `${file}: packet range [${a}, ${b}) outside 0..${n}`);
    fdRead ??= fs.openSync(file, 'r');
    return readIndexedRange(fdRead, file, ix, a, b);
  };
  const packetsAt = (list: Int32Array): CsiRecording => {
    fdRead ??= fs.openSync(file, 'r');
    try {
      return readIndexedPackets(fdRead, file, ix, list);
    } catch (e) {
      throw new TaskError('internal', (e as Error).message);
    }
  };
  return {
    path: file,
    mode: 'indexed',
    summary: s,
    index,
    packets,
    packetsAt,
    close: () => {
      if (fdRead !== undefined) fs.closeSync(fdRead);
      fdRead = undefined;
    },
  };
}

/** Streaming index of a big Atheros / Nexmon / ESP32 / PicoScenes file (see the file header). */
async function openFramesIndexed(file: string, size: number, maxDiagnostics: number, ctx: TaskContext): Promise<RecordingSource> {
  const t0 = performance.now();
  let ix;
  try {
    ix = await buildFrameIndex(file, {
      onChunk: async read => {
        ctx.progress({ fraction: read / size, message: `indexing ${(read / 1048576).toFixed(0)} MiB` });
        await ctx.checkpoint();
      },
    });
  } catch (e) {
    if (e instanceof CsiFormatError) throw new TaskError('bad-input', `${file}: ${e.message}`);
    throw e;
  }
  const L = ix.layout;
  const { timeS, clockResets } = displayTime(ix.timestampUs, ix.n);
  const index: PacketIndex = { n: ix.n, timeS, seq: ix.seq, rssi: ix.rssi, nChains: INDEX_CHAINS, agc: ix.agc, clockResets };
  const s = baseSummary(file, size);
  Object.assign(s, {
    format: ix.format,
    device: L.device,
    records: ix.n,
    nSubcarriers: L.nSubcarriers,
    nRx: L.nRx,
    nTx: L.nTx,
    bandwidthMHz: L.bandwidthMHz,
    carrierHz: L.carrierHz,
    parseMs: performance.now() - t0,
    subcarrierIndices: Array.from(L.subcarrierIndices),
    transmitters: transmittersOf(ix.sourceMacs),
  });
  summaryExtras(s, index, maxDiagnostics, ix.diagnostics);
  const frames = new IndexedFrames(file, ix);
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof RangeError || e instanceof CsiFormatError) throw new TaskError('bad-input', `${file}: ${e.message}`);
      throw e;
    }
  };
  return {
    path: file,
    mode: 'indexed',
    summary: s,
    index,
    packets: (a, b) => guard(() => frames.range(a, b)),
    packetsAt: list => guard(() => frames.at(list)),
    close: () => frames.close(),
  };
}

/** Open `file` in the mode its size and format call for. */
export async function openRecordingSource(
  file: string,
  ctx: TaskContext,
  maxDiagnostics = 200,
  threshold = INDEX_THRESHOLD_BYTES,
): Promise<RecordingSource> {
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
  try {
    const st = await fs.promises.stat(file);
    key = `${st.size}:${st.mtimeMs}`;
  } catch {
    /* reported by open */
  }
  const hit = cache.get(file);
  if (hit && hit.key === key) {
    cache.delete(file);
    cache.set(file, hit);
    return hit.source;
  }
  if (hit) {
    cache.delete(file);
    void hit.source.then(
      s => s.close(),
      () => {},
    );
  }
  const source = openRecordingSource(file, ctx, maxDiagnostics);
  cache.set(file, { key, source });
  source.catch(() => cache.delete(file));
  while (cache.size > CACHE_SIZE) {
    const [oldest, entry] = cache.entries().next().value as [string, { source: Promise<RecordingSource> }];
    cache.delete(oldest);
    void entry.source.then(
      s => s.close(),
      () => {},
    );
  }
  return source;
}
