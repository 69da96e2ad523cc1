// Frames → columnar CsiRecording, shared by the Atheros, Nexmon, ESP32 and PicoScenes readers (whose whole-file path
// collects frames with the same parser as the streaming path, then lays them out once here).
//
// Dimensions are the maxima over the file; a frame with fewer subcarriers / chains is zero-padded in place (its
// true counts stay in nRxPerPacket / nTxPerPacket and in the frame header), as types.ts specifies.
import type { CsiDiagnostic, CsiFormat, CsiFrame, CsiRecording } from './types';

export interface TableInfo {
  format: CsiFormat;
  file: string;
  device: string;
  subcarrierIndices: Int16Array;
  bandwidthMHz: number;
  carrierHz: number;
  diagnostics: CsiDiagnostic[];
  meta: Record<string, unknown>;
  /** Per-frame rate / MCS code as stored (NaN where absent). */
  rateOf: (f: CsiFrame) => number;
  /** Counter modulus of the timestamp field (e.g. 2^32 for a u32 µs clock), for unwrapping; 0 = never wraps. */
  timestampModulus: number;
}

export function buildRecording(frames: readonly CsiFrame[], info: TableInfo): CsiRecording {
  const n = frames.length;
  let nSub = 0,
    nRx = 0,
    nTx = 0;
  for (const f of frames) {
    if (f.nSubcarriers > nSub) nSub = f.nSubcarriers;
    if (f.nRx > nRx) nRx = f.nRx;
    if (f.nTx > nTx) nTx = f.nTx;
  }
  if (n === 0) {
    nSub = info.subcarrierIndices.length;
    nRx = 0;
    nTx = 0;
  }
  const per = nSub * nRx * nTx * 2;
  const csi = new Float32Array(n * per);
  const timestampUs = new Float64Array(n);
  const seq = new Int32Array(n);
  const nRxPer = new Uint8Array(n);
  const nTxPer = new Uint8Array(n);
  const rssi = new Float32Array(n * nRx).fill(NaN);
  const noise = new Float32Array(n);
  const agc = new Float32Array(n);
  const rate = new Float32Array(n);
  const offsets = new Float64Array(n);

  const mod = info.timestampModulus;
  let wraps = 0;
  let prev = NaN;
  for (let p = 0; p < n; p++) {
    const f = frames[p];
    let t = f.timestampUs;
    if (mod > 0) {
      // A backwards jump of more than half the counter range is a wrap, not a reordering.
      if (!Number.isNaN(prev) && t < prev && prev - t > mod / 2) wraps++;
      prev = t;
      t += wraps * mod;
    }
    timestampUs[p] = t;
    seq[p] = f.seq;
    nRxPer[p] = f.nRx;
    nTxPer[p] = f.nTx;
    for (let r = 0; r < nRx && r < f.rssi.length; r++) rssi[p * nRx + r] = f.rssi[r];
    noise[p] = f.noise;
    agc[p] = f.agc;
    rate[p] = info.rateOf(f);
    offsets[p] = f.offset;
    const dst = p * per;
    if (f.nSubcarriers === nSub && f.nRx === nRx && f.nTx === nTx) {
      csi.set(f.csi.subarray(0, per), dst);
    } else {
      for (let s = 0; s < f.nSubcarriers; s++)
        for (let r = 0; r < f.nRx; r++)
          for (let t2 = 0; t2 < f.nTx; t2++) {
            const src = 2 * ((s * f.nRx + r) * f.nTx + t2);
            const d = dst + 2 * ((s * nRx + r) * nTx + t2);
            csi[d] = f.csi[src];
            csi[d + 1] = f.csi[src + 1];
          }
    }
  }
  return {
    format: info.format,
    file: info.file,
    device: info.device,
    nPackets: n,
    nSubcarriers: nSub,
    nRx,
    nTx,
    subcarrierIndices: info.subcarrierIndices,
    bandwidthMHz: info.bandwidthMHz,
    carrierHz: info.carrierHz,
    timestampUs,
    seq,
    nRxPerPacket: nRxPer,
    nTxPerPacket: nTxPer,
    rssi,
    noise,
    agc,
    rate,
    csi,
    offsets,
    diagnostics: info.diagnostics,
    meta: info.meta,
  };
}

/** Read an unsigned 64-bit integer as a JS number (exact up to 2^53, which covers µs/ns clocks for centuries). */
export function u64(dv: DataView, off: number, le: boolean): number {
  const lo = dv.getUint32(off + (le ? 0 : 4), le);
  const hi = dv.getUint32(off + (le ? 4 : 0), le);
  return hi * 4294967296 + lo;
}

export function macString(b: Uint8Array, off: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + b[off + i].toString(16).padStart(2, '0');
  return s;
}
