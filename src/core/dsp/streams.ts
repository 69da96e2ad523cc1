// Rearranging a recording's CSI into per-stream time series. The recording is packets × subcarriers × rx × tx
// (one packet contiguous); the DSP stages want, for one transmit antenna, a T × S complex matrix whose streams
// are grouped antenna by antenna (stream = rx·nSubcarriers + sc), the column order Widar3.0's MATLAB uses
// (30 subcarriers of antenna 1, then antenna 2, …). Float64 because the conjugate products and filter states
// that follow lose precision in Float32.
import type { CsiRecording } from '../formats/types';
import { DspError } from './errors';

export interface StreamOptions {
  /** Transmit antenna to use (default 0; Widar3.0 has one). */
  tx?: number;
  /** Use `scaled` CSI where the format defines it (default false: raw, as Widar's DFS code). */
  useScaled?: boolean;
}

/** T × (nRx·nSc) complex matrix (interleaved, time-major) for one transmit antenna. */
export function csiStreams(rec: CsiRecording, opts: StreamOptions = {}): Float64Array {
  const tx = opts.tx ?? 0;
  if (!(Number.isInteger(tx) && tx >= 0 && tx < rec.nTx)) {
    throw new DspError('bad-argument', `transmit antenna ${tx} does not exist (recording has ${rec.nTx})`, rec.file);
  }
  const src = opts.useScaled && rec.scaled ? rec.scaled : rec.csi;
  const { nPackets: T, nSubcarriers: nSc, nRx, nTx } = rec;
  const S = nRx * nSc;
  const out = new Float64Array(2 * T * S);
  for (let t = 0; t < T; t++) {
    for (let sc = 0; sc < nSc; sc++) {
      for (let rx = 0; rx < nRx; rx++) {
        const i = 2 * (((t * nSc + sc) * nRx + rx) * nTx + tx);
        const o = 2 * (t * S + rx * nSc + sc);
        out[o] = src[i];
        out[o + 1] = src[i + 1];
      }
    }
  }
  return out;
}

/** Packet rate from timestamps: 1e6 / median inter-packet interval (robust to gaps and jitter). */
export function packetRateHz(rec: Pick<CsiRecording, 'timestampUs' | 'nPackets' | 'file'>): number {
  const n = rec.nPackets;
  if (n < 2) throw new DspError('too-few-packets', `need at least 2 packets to estimate a packet rate (have ${n})`, rec.file);
  const d: number[] = [];
  for (let i = 1; i < n; i++) {
    const v = rec.timestampUs[i] - rec.timestampUs[i - 1];
    if (v > 0) d.push(v);
  }
  if (d.length === 0) throw new DspError('bad-rate', 'timestamps never increase; cannot estimate a packet rate', rec.file);
  d.sort((a, b) => a - b);
  const med = d.length % 2 ? d[(d.length - 1) / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
  return 1e6 / med;
}
