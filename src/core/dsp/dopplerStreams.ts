// The Widar DFS pipeline's per-stream inputs: the CSI layout of a recording's (rx, subcarrier) streams, their
// amplitudes, and Widar's reference-antenna rule (the antenna with the largest ratio of mean to standard deviation).
import type { CsiRecording } from '../formats/types';
import { DspError } from './errors';
import { type StreamOptions } from './streams';

/**
 * Where one transmit antenna's CSI lives in a recording's packets × subcarriers × rx × tx array, and which
 * subcarriers are used (nSc of them, source columns `sc`, of the recording's nScAll).
 */
export interface CsiLayout {
  csi: Float32Array | Float64Array;
  T: number;
  nScAll: number;
  nSc: number;
  sc: Int32Array;
  nRx: number;
  nTx: number;
  tx: number;
}

export function csiLayout(rec: CsiRecording, cfg: StreamOptions & { subcarrierStride?: number } = {}): CsiLayout {
  const tx = cfg.tx ?? 0;
  if (!(Number.isInteger(tx) && tx >= 0 && tx < rec.nTx)) {
    throw new DspError('bad-argument', `transmit antenna ${tx} does not exist (recording has ${rec.nTx})`, rec.file);
  }
  const stride = cfg.subcarrierStride ?? 1;
  if (!(Number.isInteger(stride) && stride >= 1))
    throw new DspError('bad-argument', `subcarrier stride ${stride} must be an integer ≥ 1`, rec.file);
  const sc = Int32Array.from({ length: Math.ceil(rec.nSubcarriers / stride) }, (_, i) => i * stride);
  const csi = cfg.useScaled && rec.scaled ? rec.scaled : rec.csi;
  return { csi, T: rec.nPackets, nScAll: rec.nSubcarriers, nSc: sc.length, sc, nRx: rec.nRx, nTx: rec.nTx, tx };
}

/** Per-stream amplitude statistics gathered in the same pass as the amplitudes. */
export interface StreamAmplitudes {
  /** |H|, T × (nRx·nSc), streams grouped by antenna (rx·nSc + sc). */
  amp: Float64Array;
  /** Σ_t |H| and Σ_t |H|² per stream (for the reference rule). */
  sum: Float64Array;
  sum2: Float64Array;
  /** Smallest non-zero |H| per stream (Infinity for an all-zero stream): Widar's α. */
  minNonZero: Float64Array;
}

/**
 * |H| of every stream plus the statistics the reference rule and the amplitude adjustment need, in one pass
 * over the recording's own layout (no reordered copy).
 */
export function streamAmplitudes(l: CsiLayout): StreamAmplitudes {
  const { csi, T, nScAll, nSc, nRx, nTx, tx } = l;
  const S = nRx * nSc;
  const amp = new Float64Array(T * S);
  const sum = new Float64Array(S),
    sum2 = new Float64Array(S),
    minNonZero = new Float64Array(S).fill(Infinity);
  for (let t = 0; t < T; t++) {
    for (let sc = 0; sc < nSc; sc++) {
      let i = 2 * ((t * nScAll + l.sc[sc]) * nRx * nTx + tx);
      for (let rx = 0; rx < nRx; rx++, i += 2 * nTx) {
        const re = csi[i],
          im = csi[i + 1];
        const a = Math.sqrt(re * re + im * im),
          s = rx * nSc + sc;
        amp[t * S + s] = a;
        sum[s] += a;
        sum2[s] += a * a;
        if (a > 0 && a < minNonZero[s]) minNonZero[s] = a;
      }
    }
  }
  return { amp, sum, sum2, minNonZero };
}

/** Widar's reference-antenna rule: largest mean over subcarriers of mean|H|/std|H| (std with N−1, as MATLAB). */
export function chooseReferenceAntenna(st: StreamAmplitudes, T: number, nRx: number, nSc: number): number {
  let best = 0,
    bestScore = -Infinity;
  for (let rx = 0; rx < nRx; rx++) {
    let score = 0;
    for (let sc = 0; sc < nSc; sc++) {
      const s = rx * nSc + sc;
      const mean = st.sum[s] / T;
      const v = T > 1 ? Math.max(0, (st.sum2[s] - T * mean * mean) / (T - 1)) : 0;
      const std = Math.sqrt(v);
      // A dead stream (all zero) scores 0; a perfectly constant non-zero one is maximally stable.
      score += mean === 0 ? 0 : std === 0 ? 1e12 : mean / std;
    }
    score /= nSc;
    if (score > bestScore) {
      bestScore = score;
      best = rx;
    }
  }
  return best;
}
