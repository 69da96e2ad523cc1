// Reader for the Intel 5300 "Linux 802.11n CSI Tool" log (log_to_file output; Widar3.0, SignFi, WiAR data).
// Byte layout: FORMATS.md §1. Framing and resynchronisation: intel5300Scan.ts. Bit unpacking, permutation and
// scaling: intel5300Decode.ts.
//
// Choices where public readers disagree (FORMATS.md §1.4), each following the original MATLAB tool:
// - Permutation: applied only when Nrx > 1 and sum(perm) == [1 3 6](Nrx), as read_bf_file.m (csiread always
//   permutes; CSIKit permutes whenever Nrx == 3). A perm naming an antenna > Nrx is left unapplied (MATLAB would
//   grow the matrix) with a warning. `csi` holds the permuted values, i.e. what read_bf_file.m returns; the
//   payload-order values are available through readIntel5300Records (intel5300Records.ts).
// - Tail: every complete record is kept (MATLAB, csiread), including a final 95-byte 1×1 record that CSIKit drops.
//   A truncated final record is dropped with a 'truncated-record' warning.
// - Entries with codes other than 0xBB (e.g. 0xC1 rx MPDUs) are skipped by their length, reported once per code.
// - A 0xBB entry whose own fields disagree (len vs Nrx·Ntx, entry length vs len, antenna counts outside 1..3) is
//   skipped when its length leads to a valid next entry; otherwise the bytes are treated as garbage and the reader
//   resynchronises on the next consistent bfee header ('resync' error with the number of bytes skipped).
// Recording conventions: timestamps unwrapped from the 32-bit µs counter (a backward jump of more than 2^31 µs is
// a wrap; a smaller one is kept as a genuine clock reset); rssi columns are rssi_a, rssi_b, rssi_c (first nRx of
// them) in the tool's dB units, 0 = antenna unused, as stored; noise -127 (unknown) becomes NaN; `rate` is
// fake_rate_n_flags; `scaled` is get_scaled_csi of the permuted CSI (materialised on first access, see
// defineLazyScaled) and `scaleFactor` its per-packet float64 factor; dims are the maxima over the file and smaller
// records are zero-padded (per-packet counts kept).
import type { CsiReader } from '../reader';
import type { CsiDiagnostic, CsiFrame, CsiRecording, ReadOptions } from '../types';
import { BFEE_HEADER_BYTES, Intel5300EntryWalker, readBfeeHeader, type WalkProblem } from './scan';
import {
  decodePayload,
  decodeTable,
  permFromAntennaSel,
  type PermDecision,
  RATE_HT40,
  scaleFactor,
  SUBCARRIERS_20MHZ,
  SUBCARRIERS_40MHZ,
} from './decode';

const WRAP = 4294967296;
const NSC = 30;

function toDiag(file: string, p: WalkProblem): CsiDiagnostic {
  return { file, offset: p.offset, severity: p.severity, code: p.code, message: p.message, expected: p.expected };
}

/** Reports each per-record oddity once per file (MATLAB's "WARN ONCE"), not once per record. */
class OnceWarnings {
  private seen = new Set<string>();
  constructor(
    private readonly file: string,
    private readonly emit: (d: CsiDiagnostic) => void,
  ) {}

  perm(offset: number, nrx: number, sel: number, d: PermDecision): void {
    if (d !== 'invalid-sum' && d !== 'out-of-range') return;
    if (this.seen.has(d)) return;
    this.seen.add(d);
    const perm = permFromAntennaSel(sel);
    this.emit({
      file: this.file,
      offset,
      severity: 'warning',
      code: 'invalid-perm',
      message:
        d === 'invalid-sum'
          ? `record with Nrx=${nrx} and invalid perm=[${perm.join(' ')}] (antenna_sel=${sel}); receive antennas left in the order read (warned once per file)`
          : `record with Nrx=${nrx} and perm=[${perm.join(' ')}] naming an antenna > Nrx; receive antennas left in the order read (warned once per file)`,
      expected: `perm, a permutation of 1..${nrx} (sum ${[1, 3, 6][nrx - 1]})`,
    });
  }

  unscalable(offset: number, factor: number): void {
    if (Number.isFinite(factor) || this.seen.has('unscalable')) return;
    this.seen.add('unscalable');
    this.emit({
      file: this.file,
      offset,
      severity: 'warning',
      code: 'unscalable-record',
      message: `get_scaled_csi factor is ${factor} (zero CSI power or all RSSI 0); scaled CSI is NaN/Inf as in MATLAB (warned once per file)`,
      expected: 'non-zero CSI and at least one non-zero rssi',
    });
  }
}

/** Confidence that `head` is an Intel 5300 log: consistent bfee entries from the first byte (or after a resync). */
function sniff(head: Uint8Array): number {
  try {
    let bfees = 0,
      problems = 0,
      firstAt = -1;
    const walker = new Intel5300EntryWalker(p => {
      if (p.severity !== 'info') problems++;
    });
    walker.walk(head, 0, head.length, false, 0, p => {
      if (firstAt < 0) firstAt = p;
      return ++bfees < 8;
    });
    if (bfees === 0) return 0;
    if (firstAt === 0 && problems === 0) return bfees >= 2 ? 0.95 : 0.8;
    // Garbage before or between records (a stray leading byte, a corrupt entry): still this format, less sure.
    return bfees >= 2 ? 0.6 : 0.3;
  } catch {
    return 0;
  }
}

/** Whole-file read. Two passes: frame and validate every entry (cheap), then decode into exact-size arrays. */
function read(bytes: Uint8Array, opts: ReadOptions = {}): CsiRecording {
  const file = opts.file ?? '<buffer>';
  const maxFrames = opts.maxFrames ?? Infinity;
  const diagnostics: CsiDiagnostic[] = [];
  const n = bytes.length;

  let offsets = new Float64Array(1024);
  let count = 0,
    maxRx = 0,
    maxTx = 0;
  const walker = new Intel5300EntryWalker(p => diagnostics.push(toDiag(file, p)));
  if (maxFrames > 0) {
    walker.walk(bytes, 0, n, true, 0, p => {
      if (count === offsets.length) {
        const o = new Float64Array(count * 2);
        o.set(offsets);
        offsets = o;
      }
      offsets[count++] = p;
      const nrx = bytes[p + 11],
        ntx = bytes[p + 12];
      if (nrx > maxRx) maxRx = nrx;
      if (ntx > maxTx) maxTx = ntx;
      return count < maxFrames;
    });
  }
  const nRx = Math.max(maxRx, 1),
    nTx = Math.max(maxTx, 1);
  const block = NSC * nRx * nTx * 2;
  const csi = new Float32Array(count * block);
  const factors = new Float64Array(count);
  const timestampUs = new Float64Array(count);
  const seq = new Int32Array(count);
  const nRxPerPacket = new Uint8Array(count),
    nTxPerPacket = new Uint8Array(count);
  const rssi = new Float32Array(count * nRx);
  const noise = new Float32Array(count),
    agc = new Float32Array(count),
    rate = new Float32Array(count);
  const once = new OnceWarnings(file, d => diagnostics.push(d));

  let wraps = 0,
    prevTs = -1,
    ht40 = -1,
    mixedBw = false;
  for (let i = 0; i < count; i++) {
    const h = offsets[i];
    const o = h + 3;
    const tsLow = (bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24)) >>> 0;
    const nrx = bytes[o + 8],
      ntx = bytes[o + 9];
    const ra = bytes[o + 10],
      rb = bytes[o + 11],
      rc = bytes[o + 12];
    const nz = (bytes[o + 13] << 24) >> 24;
    const ag = bytes[o + 14],
      sel = bytes[o + 15];
    const rt = bytes[o + 18] | (bytes[o + 19] << 8);

    if (prevTs >= 0 && tsLow < prevTs && prevTs - tsLow > WRAP / 2) wraps++;
    prevTs = tsLow;
    timestampUs[i] = tsLow + wraps * WRAP;
    seq[i] = bytes[o + 4] | (bytes[o + 5] << 8);
    nRxPerPacket[i] = nrx;
    nTxPerPacket[i] = ntx;
    const rb0 = i * nRx;
    rssi[rb0] = ra;
    if (nRx > 1) rssi[rb0 + 1] = rb;
    if (nRx > 2) rssi[rb0 + 2] = rc;
    noise[i] = nz === -127 ? NaN : nz;
    agc[i] = ag;
    rate[i] = rt;
    const isHt40 = rt & RATE_HT40 ? 1 : 0;
    if (ht40 < 0) ht40 = isHt40;
    else if (ht40 !== isHt40) mixedBw = true;

    const t = decodeTable(nrx, ntx, sel, nRx, nTx);
    if (t.decision !== 'applied') once.perm(h, nrx, sel, t.decision);
    const base = i * block;
    const pwr = decodePayload(bytes, h + BFEE_HEADER_BYTES, t, csi, base);
    const f = scaleFactor(ra, rb, rc, ag, nz, nrx, ntx, pwr);
    factors[i] = f;
    if (!Number.isFinite(f)) once.unscalable(h, f);
  }
  if (mixedBw) {
    diagnostics.push({
      file,
      offset: 0,
      severity: 'warning',
      code: 'mixed-bandwidth',
      message: 'the file mixes 20 MHz and 40 MHz (HT40) records; subcarrier indices are those of the first record',
      expected: 'one channel width per recording',
    });
  }
  const codes: Record<string, number> = {};
  for (const [c, k] of walker.codeCounts) codes[`0x${c.toString(16).padStart(2, '0')}`] = k;

  const rec: CsiRecording = {
    format: 'intel5300',
    file,
    device: 'Intel 5300',
    nPackets: count,
    nSubcarriers: NSC,
    nRx,
    nTx,
    subcarrierIndices: (ht40 === 1 ? SUBCARRIERS_40MHZ : SUBCARRIERS_20MHZ).slice(),
    bandwidthMHz: count === 0 ? 0 : ht40 === 1 ? 40 : 20,
    carrierHz: 0,
    timestampUs,
    seq,
    nRxPerPacket,
    nTxPerPacket,
    rssi,
    noise,
    agc,
    rate,
    csi,
    scaleFactor: factors,
    offsets: offsets.slice(0, count),
    diagnostics,
    meta: { entryCodes: codes, timestampWraps: wraps },
  };
  defineLazyScaled(rec, csi, factors, block);
  return rec;
}

/**
 * `scaled` is csi × scaleFactor[packet], exactly, so it is materialised on first access instead of during the
 * parse. Why: the output arrays, not the bit unpacking, dominate parse time and memory (each 215-byte 3x1 record
 * becomes 720 bytes of Float32 CSI); many consumers (phase/amplitude DSP, the viewer's raw mode) never read
 * `scaled`. The getter replaces itself with a plain data property, so after the first access it behaves like any
 * field (writable, enumerable, structured-clone and spread copy it).
 */
function defineLazyScaled(rec: CsiRecording, csi: Float32Array, factors: Float64Array, block: number): void {
  Object.defineProperty(rec, 'scaled', {
    configurable: true,
    enumerable: true,
    get(): Float32Array {
      const scaled = new Float32Array(csi.length);
      for (let p = 0, n = factors.length; p < n; p++) {
        const f = factors[p];
        for (let j = p * block, end = j + block; j < end; j++) scaled[j] = csi[j] * f;
      }
      Object.defineProperty(rec, 'scaled', { value: scaled, writable: true, enumerable: true, configurable: true });
      return scaled;
    },
    set(v: Float32Array | undefined): void {
      Object.defineProperty(rec, 'scaled', { value: v, writable: true, enumerable: true, configurable: true });
    },
  });
}

/** Decode the bfee entry at b[h] (window position) into a self-contained frame. */
function frameAt(b: Uint8Array, h: number, index: number, fileOffset: number, once: OnceWarnings): CsiFrame {
  const hd = readBfeeHeader(b, h);
  const t = decodeTable(hd.Nrx, hd.Ntx, hd.antenna_sel, hd.Nrx, hd.Ntx);
  const len = NSC * hd.Nrx * hd.Ntx * 2;
  // One allocation for raw and scaled: per-frame allocations dominate the streaming path's cost.
  const both = new Float32Array(2 * len);
  const csi = both.subarray(0, len);
  const scaled = both.subarray(len);
  const pwr = decodePayload(b, h + BFEE_HEADER_BYTES, t, csi, 0);
  const f = scaleFactor(hd.rssi_a, hd.rssi_b, hd.rssi_c, hd.agc, hd.noise, hd.Nrx, hd.Ntx, pwr);
  once.perm(fileOffset, hd.Nrx, hd.antenna_sel, t.decision);
  once.unscalable(fileOffset, f);
  for (let e = 0; e < len; e++) scaled[e] = csi[e] * f;
  return {
    index,
    offset: fileOffset,
    timestampUs: hd.timestamp_low,
    seq: hd.bfee_count,
    nRx: hd.Nrx,
    nTx: hd.Ntx,
    nSubcarriers: NSC,
    rssi: [hd.rssi_a, hd.rssi_b, hd.rssi_c],
    noise: hd.noise === -127 ? NaN : hd.noise,
    agc: hd.agc,
    csi,
    scaled,
    header: {
      timestamp_low: hd.timestamp_low,
      bfee_count: hd.bfee_count,
      Nrx: hd.Nrx,
      Ntx: hd.Ntx,
      rssi_a: hd.rssi_a,
      rssi_b: hd.rssi_b,
      rssi_c: hd.rssi_c,
      noise: hd.noise,
      agc: hd.agc,
      antenna_sel: hd.antenna_sel,
      perm: permFromAntennaSel(hd.antenna_sel),
      rate: hd.rate,
      len: hd.len,
      perm_applied: t.permApplied,
      scale_factor: f,
    },
  };
}

/**
 * Streaming read: memory is bounded by the chunk size plus one entry (≤ 64 KiB + 2), whatever the file size.
 * A record may straddle any number of chunks.
 */
async function* frames(
  chunks: AsyncIterable<Uint8Array>,
  opts: ReadOptions & { onDiagnostic?: (d: CsiDiagnostic) => void } = {},
): AsyncIterable<CsiFrame> {
  const file = opts.file ?? '<buffer>';
  const maxFrames = opts.maxFrames ?? Infinity;
  if (maxFrames <= 0) return;
  const emit = opts.onDiagnostic ?? (() => undefined);
  const walker = new Intel5300EntryWalker(p => emit(toDiag(file, p)));
  const once = new OnceWarnings(file, emit);
  let buf = new Uint8Array(0);
  let base = 0; // file offset of buf[0]
  let pos = 0;
  let index = 0;
  const ready: CsiFrame[] = [];
  const collect = (p: number): boolean => {
    ready.push(frameAt(buf, p, index++, base + p, once));
    return index < maxFrames;
  };
  for await (const chunk of chunks) {
    // Keep only the unconsumed tail, then append: the window never holds more than one partial entry + a chunk.
    const tail = buf.length - pos;
    const next = new Uint8Array(tail + chunk.length);
    next.set(buf.subarray(pos), 0);
    next.set(chunk, tail);
    base += pos;
    buf = next;
    pos = walker.walk(buf, 0, buf.length, false, base, collect);
    // splice empties `ready` in O(n); shift() per frame would be O(n²) over the ~5000 frames of a 1 MiB chunk.
    for (const f of ready.splice(0)) yield f;
    if (walker.stopped) return;
  }
  walker.walk(buf, pos, buf.length, true, base, collect);
  for (const f of ready.splice(0)) yield f;
}

export const intel5300Reader: CsiReader = { format: 'intel5300', sniff, read, frames };
