// CSI ratio between receive antennas of one NIC (FarSense, Zeng et al. IMWUT 2019):
//     R_a(t, k) = H_a(t, k) / H_ref(t, k)
// Antennas of one NIC share the oscillator and AGC, so the per-packet random phase (CFO, initial phase), the
// timing slope across subcarriers (SFO, PDD) and any gain common to the chains multiply numerator and
// denominator alike and cancel exactly. A moving reflector turns R into a Möbius transform of e^{−j2πd/λ}:
// its phase sequence rotates as the path length changes, which is GLSDA's "CSI-ratio phase" input.
//
// The division is computed as H_a·conj(H_ref)/|H_ref|². A packet whose reference CSI is exactly zero
// (a dropped chain) has no ratio; it holds the previous packet's value and is counted in `zeroDenominators`.
import type { CsiRecording } from '../formats/types';
import { DspError } from './errors';
import { hampel } from './hampel';
import { pcaReal } from './pca';
import { unwrapTime } from './phase';
import { csiStreams, type StreamOptions } from './streams';

export interface CsiRatioOptions extends StreamOptions {
  /** Denominator antenna (0-based). Default: the one with the smallest Σ_sc var(|H|) (the steadiest chain). */
  reference?: number;
  /** Numerator antennas; default every other antenna. */
  antennas?: number[];
  /** Hampel filter on the unwrapped phase, half-window in packets (0 = off, default). */
  hampelHalfWindow?: number;
  /** Reduce the phase sequences to this many principal components over streams (0 = off, default). */
  pcaComponents?: number;
}

export interface CsiRatioResult {
  file: string;
  nTime: number;
  /** antennas.length × nSubcarriers streams, grouped by numerator antenna. */
  nStreams: number;
  reference: number;
  antennas: number[];
  /** Complex ratio, T × S interleaved. */
  ratio: Float64Array;
  /** Phase of the ratio, unwrapped along time per stream (then Hampel-filtered if asked), T × S. */
  phase: Float64Array;
  /** |ratio|, T × S. */
  amplitude: Float64Array;
  zeroDenominators: number;
  /** First principal components of the phase sequences over streams (scores: one length-T series each). */
  pca?: { components: Float64Array[]; eigenvalues: number[]; scores: Float64Array[] };
}

/** The steadiest antenna: smallest sum over subcarriers of the amplitude variance. */
export function steadiestAntenna(streams: Float64Array, T: number, nRx: number, nSc: number): number {
  let best = 0,
    bestV = Infinity;
  for (let rx = 0; rx < nRx; rx++) {
    let v = 0;
    for (let sc = 0; sc < nSc; sc++) {
      let s = 0,
        s2 = 0;
      for (let t = 0; t < T; t++) {
        const i = 2 * (t * nRx * nSc + rx * nSc + sc);
        const a = Math.sqrt(streams[i] * streams[i] + streams[i + 1] * streams[i + 1]);
        s += a;
        s2 += a * a;
      }
      const m = s / T;
      v += s2 / T - m * m;
    }
    // A dead (all-zero) antenna has zero variance but cannot be a denominator.
    let energy = 0;
    for (let t = 0; t < T && energy === 0; t++) {
      const i = 2 * (t * nRx * nSc + rx * nSc);
      energy += Math.abs(streams[i]) + Math.abs(streams[i + 1]);
    }
    if (energy > 0 && v < bestV) {
      bestV = v;
      best = rx;
    }
  }
  return best;
}

export function csiRatio(rec: CsiRecording, opts: CsiRatioOptions = {}): CsiRatioResult {
  if (rec.nRx < 2)
    throw new DspError('too-few-antennas', `the CSI ratio needs ≥ 2 receive antennas on one NIC (recording has ${rec.nRx})`, rec.file);
  const T = rec.nPackets,
    nSc = rec.nSubcarriers,
    nRx = rec.nRx;
  const streams = csiStreams(rec, opts);
  const reference = opts.reference ?? steadiestAntenna(streams, T, nRx, nSc);
  if (!(Number.isInteger(reference) && reference >= 0 && reference < nRx)) {
    throw new DspError('bad-argument', `reference antenna ${reference} outside 0..${nRx - 1}`, rec.file);
  }
  const antennas = opts.antennas ?? Array.from({ length: nRx }, (_, i) => i).filter(i => i !== reference);
  for (const a of antennas) {
    if (!(Number.isInteger(a) && a >= 0 && a < nRx) || a === reference) {
      throw new DspError(
        'bad-argument',
        `numerator antenna ${a} must be in 0..${nRx - 1} and differ from the reference ${reference}`,
        rec.file,
      );
    }
  }
  const S = antennas.length * nSc,
    Sin = nRx * nSc;
  const ratio = new Float64Array(2 * T * S);
  let zeroDenominators = 0;
  for (let t = 0; t < T; t++) {
    for (let ai = 0; ai < antennas.length; ai++) {
      for (let sc = 0; sc < nSc; sc++) {
        const n = 2 * (t * Sin + antennas[ai] * nSc + sc),
          d = 2 * (t * Sin + reference * nSc + sc);
        const o = 2 * (t * S + ai * nSc + sc);
        const nr = streams[n],
          ni = streams[n + 1],
          dr = streams[d],
          di = streams[d + 1];
        const den = dr * dr + di * di;
        if (den > 0) {
          ratio[o] = (nr * dr + ni * di) / den;
          ratio[o + 1] = (ni * dr - nr * di) / den;
        } else {
          zeroDenominators++;
          if (t > 0) {
            ratio[o] = ratio[o - 2 * S];
            ratio[o + 1] = ratio[o + 1 - 2 * S];
          }
        }
      }
    }
  }
  const phase = new Float64Array(T * S),
    amplitude = new Float64Array(T * S);
  for (let i = 0; i < T * S; i++) {
    phase[i] = Math.atan2(ratio[2 * i + 1], ratio[2 * i]);
    const re = ratio[2 * i],
      im = ratio[2 * i + 1];
    amplitude[i] = Math.sqrt(re * re + im * im);
  }
  unwrapTime(phase, T, S);
  const hw = opts.hampelHalfWindow ?? 0;
  if (hw > 0) {
    for (let s = 0; s < S; s++) {
      const { y } = hampel(phase, hw, 3, T, S, s);
      for (let t = 0; t < T; t++) phase[t * S + s] = y[t];
    }
  }
  const result: CsiRatioResult = { file: rec.file, nTime: T, nStreams: S, reference, antennas, ratio, phase, amplitude, zeroDenominators };
  const k = opts.pcaComponents ?? 0;
  if (k > 0) result.pca = pcaReal(phase, T, S, k);
  return result;
}

/** CSI ratio of every receiver (one NIC per recording). */
export function csiRatioMulti(recs: CsiRecording[], opts: CsiRatioOptions = {}): CsiRatioResult[] {
  return recs.map(r => csiRatio(r, opts));
}
