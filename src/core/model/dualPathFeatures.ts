// Recordings → the teacher's two input paths, per sample (one file per receiver), deterministic:
//   path A "phase"   [T, R·(A·G + P)]  per receiver: the amplitude |H| of each of the A receive antennas in G
//                    subcarrier groups, then the CSI-ratio phase: the phase of H_rx·conj(H_ref) (= ∠(H_rx / H_ref),
//                    the CSI ratio's phase, which cancels the per-packet CFO/SFO common to all antennas of a NIC),
//                    every `phaseSubcarrierStride`-th subcarrier of each non-reference antenna, unwrapped along
//                    time, mean-removed; both pooled to T steps.
//                    Why amplitude joins the phase path (a documented choice; the paper's body is unknown): on WiAR
//                    (real Intel 5300, 30 packets/s) the semantic teacher reached 52 % on unseen repetitions from
//                    ratio phase + Doppler alone and 85–88 % with amplitude added (bench/results/glsda.json; the
//                    plain-CNN reference on amplitude is ~87 %): at tens of packets per second the ratio phase is
//                    short and noisy, while amplitude carries the body's slow shadowing of the link. But much of
//                    that accuracy is the recording session, not the motion: a ridge on the time-mean amplitude
//                    profile alone names the activity of an unseen WiAR repetition 42–46 % of the time (chance 6 %),
//                    and across volunteers models with the amplitude score at chance, Doppler alone ~3× chance
//                    (bench/results/wiar-leakage.json; `amplitudeMean: 'remove'` keeps only the amplitude's change).
//                    `amplitudeGroups: 0` restores the phase-only path.
//                    Amplitude uses only *active* subcarriers (activeSubcarriers below): an 80 MHz Nexmon capture
//                    carries one occupied 20 MHz sub-band among 256 bins, and guard/null bins are noise; the active
//                    ones (@7: the frame's 802.11 tone plan, not every bin above a threshold) are averaged into G
//                    contiguous groups so every recording of a dataset has the same width whatever its bin count.
//                    Each group's series is despiked (Hampel, `despike`) before pooling. The Fition numbers quoted
//                    in the option comments below were measured before @7, when stray bins whose level is a
//                    property of the recording session (Fition's out-of-band SNR: ≈ 20 dB in the 'falling' sessions
//                    of users 1 and 2, 7–15 dB in their other sessions) still entered the amplitude groups.
//   path B "doppler" [T, R·Q]  the Widar DFS spectrogram (dsp/doppler.ts, training config), bins pooled to Q bands,
//                    columns pooled to T steps, scaled so a flat column averages 1, then compressed (x^0.5 by
//                    default: DFS power is heavy-tailed, and the square root is what the simulator calibration's
//                    Doppler CNN trains on).
// Time axis: by default (at ≥ 250 packets/s) both paths cover only the detected motion segment (motionSegment),
// resampled to T steps.
// Each file is read as its main link (formats/mainLink.ts): a capture with several transmitters keeps the one with
// the most frames, and of those the most common bandwidth (Fition: up to 4 % stray frames per file).
// Before anything, each recording is put on a uniform packet grid with coherent interpolation and holes up to
// 0.25 s bridged (prepareReceiver): both matter for the DFS of commodity-NIC CSI (see there). Longer holes are zero
// CSI there; the amplitude series bridge them with a straight line (bridgeZeroRows).
// R receivers are stacked along features in receiver order. Single-antenna recordings (Nexmon/Fition) have no
// antenna pair, so path A falls back to subcarrier amplitudes and path B to the spectrogram of the mean amplitude
// (documented fallback; the paths are then "amplitude" and "amplitude spectrogram").
// Each path is finally standardised per sample (zero mean, unit variance over the whole block) unless
// normalize = 'none': absolute CSI scale differs across NICs and rooms, and carries no gesture information.
// Results go through the content-addressed FeatureCache (data/featureCache.ts) when one is given.
import { FeatureCache, type FeatureTensor } from '../data/featureCache';
import type { DatasetIndex, DatasetSample } from '../data/sample';
import { WIDAR_TRAINING, doppler, type DopplerSpectrum } from '../dsp/doppler';
import { amplitudeMotionProfile, dominantMotionSpan, dominantSpan } from '../dsp/segment';
import { hampel } from '../dsp/hampel';
import { pcaReal } from '../dsp/pca';
import { unwrapInPlace } from '../dsp/phase';
import { resampleUniform } from '../dsp/resample';
import { gaussianWindow, spectrogram } from '../dsp/stft';
import { csiStreams, packetRateHz } from '../dsp/streams';
import type { CsiRecording } from '../formats/index';
import { readMainLinkFile } from '../formats/mainLink';
import { ModelError } from './errors';
import type { TensorDataset } from './tensorDataset';

export interface FeatureParams {
  timeSteps: number;
  phaseSubcarrierStride: number;
  dopplerBands: number;
  /** Amplitude subcarrier groups per receive antenna in path A (0: ratio phase only; single-antenna recordings use 30). */
  amplitudeGroups: number;
  normalize: 'sample' | 'none';
  /**
   * 'motion': crop both paths to the detected motion segment (motionSegment below, from the DFS; from the amplitudes,
   * amplitudeMotionSegment, when a receiver has one antenna and so no DFS); 'none': the whole recording;
   * 'auto': 'motion' when every receiver has a DFS at ≥ DOPPLER_ONLY_MIN_RATE_HZ packets/s, else 'none' (at WiAR's
   * 30 packets/s the ±15 Hz DFS finds the motion poorly: a teacher without semantics lost 4 pts on unseen
   * repetitions with the crop, 86.9 vs 91.0 %; on Fition's single-antenna captures, leave-one-user-out, the amplitude
   * crop moved a CE student (200 epochs, seeds 1–2) from 37.5 / 33.3 / 22.9 % to 45.8 / 33.3 / 18.8 % and the ridge
   * baseline from 58.3 / 41.7 / 12.5 % to 37.5 / 41.7 / 12.5 %: no consistent gain, so 'auto' leaves them whole).
   */
  crop: 'auto' | 'motion' | 'none';
  /** Power-law exponent on the pooled Doppler bands (1: none; 0.5: square root, as Widar-style CNN baselines). */
  dopplerCompress: number;
  /** Which paths to compute: both, Doppler only (path A empty), or 'auto' (resolveInputs). */
  inputs: 'auto' | 'both' | 'doppler';
  /**
   * Amplitude outliers: 'hampel' replaces isolated spikes and dips of each amplitude series (every subcarrier group, and
   * the single-antenna spectrogram's mean amplitude) by their local median (dsp/hampel.ts, ±3 packets, 3 robust σ)
   * before pooling; 'none' keeps them. Why on by default (measured, 2 seeds, CE student): on Fition's Nexmon captures,
   * which hold 0–38 such packets per 500 regardless of activity, leave-one-user-out accuracy went 29.2 → 37.5 %
   * (user 1: 31 → 50 %; ridge 37.5 → 58.3 %); on WiAR it is within noise (unseen repetitions 81.6 → 79.9 %,
   * leave-volunteer-9-out 8.6 → 8.4 %). Part of those packets were other stations' frames, which the main-link read
   * (@6) now drops; the rest remain: with it, ridge is still 62.5 / 41.7 / 8.3 % with 'hampel' against 37.5 / 37.5 /
   * 8.3 % with 'none' (CE students: means 32.9 / 31.0 %, with mixup 34.7 / 35.6 %, seeds 1–3, within a capture).
   * The DFS path is not touched: a Widar DFS already drops static power and spreads a single bad packet over its
   * window.
   */
  despike: 'hampel' | 'none';
  /**
   * The amplitude series' level: 'keep' it, or 'remove' each series' own mean over the sample's span (the crop when
   * there is one) before pooling, so path A's amplitude carries only how the channel *changes*. Why it exists
   * (measured, bench/results/wiar-leakage.json): on WiAR the time-mean amplitude profile alone (90 numbers per
   * capture, no motion in them) lets a ridge classifier name the activity of a later repetition of the same
   * volunteer 42 % of the time (chance 6 %; two-hands wave 92 %): each activity's captures were recorded as one
   * session, and the static multipath of that session identifies it. Such a fingerprint cannot transfer to another
   * volunteer. Measured there with CE + mixup: 'remove' costs 25 / 15 pt within a volunteer (random / later
   * repetitions) and gains 1–5 pt across volunteers, still near chance; on Fition (a probe, README) it lost 10–21 pt, so not a default.
   */
  amplitudeMean: 'keep' | 'remove';
  /**
   * Path B of a single-antenna receiver (no antenna pair, so no DFS): 'mean' is the spectrogram of the mean amplitude
   * over the active subcarriers, each column normalised to sum 1 (only the spectrum's shape per instant); 'pca' is
   * CARM's (Wang et al., MobiCom 2015): the 30 subcarrier-group amplitude series centred, their first
   * SINGLE_ANTENNA_PCS principal components' spectrograms summed, and the whole sample scaled so a column averages 1,
   * so when and how strongly the body moved survives next to the spectrum's shape. Why PCA: the body's reflection
   * moves each subcarrier's amplitude with its own phase (frequency-selective fading), so their plain mean partly
   * cancels it; the components are the directions along which the subcarriers change together.
   */
  amplitudeSpectrum: 'mean' | 'pca';
}

/**
 * 'auto' → Doppler only when every receiver has a DFS (≥ 2 antennas) at ≥ 250 packets/s, else both paths. Why (a
 * documented choice, measured): at Widar-like rates the DFS carries the motion and path A carries the user and the
 * room. On the simulator, leaving a user out, a teacher on Doppler alone reached 58 %; adding path A (amplitude +
 * ratio phase) dropped it to 32 %, and the ratio phase alone to 14 %, though every model fits its training data; at
 * tens of packets per second (WiAR, 30/s) the DFS is nearly empty and path A is what the model learns from
 * (88 % with it, 52 % without, unseen repetitions). Decided once per dataset, from its first sample, so every
 * sample has the same widths.
 */
export const DOPPLER_ONLY_MIN_RATE_HZ = 250;

/** Every receiver has ≥ 2 antennas (so a DFS) at ≥ DOPPLER_ONLY_MIN_RATE_HZ: where 'auto' crops and drops path A. */
function dopplerGrade(recs: readonly CsiRecording[]): boolean {
  return recs.every(r => r.nRx >= 2 && packetRateHz(r) >= DOPPLER_ONLY_MIN_RATE_HZ);
}

export function resolveInputs(recs: readonly CsiRecording[], p: Pick<FeatureParams, 'inputs'>): 'both' | 'doppler' {
  if (p.inputs !== 'auto') return p.inputs;
  return dopplerGrade(recs) ? 'doppler' : 'both';
}

// 32 steps: on WiAR (≈ 290 packets) and on the simulator (1.6–2.6 s) the teacher is as accurate at 32 steps as at
// 64 and twice as fast; gestures last 1–3 s, so a step is still ≤ 0.1 s.
export const DEFAULT_FEATURES: FeatureParams = { timeSteps: 32, phaseSubcarrierStride: 6, dopplerBands: 30, amplitudeGroups: 30, normalize: 'sample', crop: 'auto', dopplerCompress: 0.5, inputs: 'auto', despike: 'hampel', amplitudeMean: 'keep', amplitudeSpectrum: 'mean' };

/** Bump when the computation changes: it is part of every cache key. */
export const FEATURE_CODE_VERSION = 'dual-path@7';

export interface PathBlock { width: number; data: Float32Array }

/** Average rows of an [n, W] row-major block into T rows (nearest row when n < T). */
export function poolRows(src: ArrayLike<number>, n: number, W: number, T: number): Float32Array {
  const out = new Float32Array(T * W);
  for (let t = 0; t < T; t++) {
    let a = Math.floor(t * n / T), b = Math.floor((t + 1) * n / T);
    if (b <= a) { a = Math.min(n - 1, Math.floor((t + 0.5) * n / T)); b = a + 1; }
    for (let r = a; r < b; r++) for (let w = 0; w < W; w++) out[t * W + w] += src[r * W + w];
    for (let w = 0; w < W; w++) out[t * W + w] /= b - a;
  }
  return out;
}

/**
 * Indices of the active subcarriers. When the 90th-percentile subcarrier's time-mean amplitude is at least 10× the
 * 10th percentile's (20 dB: more than frequency-selective fading produces across an occupied band), the band is
 * partly empty and the active ones are those above the geometric mean of the two, which sits between an occupied
 * band (≈ 1000 on Nexmon) and the noise floor (≈ 15–60); otherwise (Intel's 30 groups) every subcarrier is active.
 *
 * With the columns' OFDM subcarrier indices (at 312.5 kHz spacing, as `bandwidthMHz` confirms), the threshold only
 * finds *which* 20 MHz sub-bands carry the frame; the 802.11 tone plan then says which of their subcarriers are
 * occupied (occupiedToneRange), and the active set is the threshold's set inside that plan. Why: a few guard and
 * out-of-band bins pass the threshold in some captures and not in others (Fition: bins 0–3 of the sub-band's guard,
 * and bins 88, 129, 253–255 of the idle 60 MHz, varying from one recording session to the next), and each one shifts
 * which subcarriers fall in which amplitude group — a per-session signature in the features, not motion.
 */
export function activeSubcarriers(meanAmp: ArrayLike<number>, indices?: ArrayLike<number>, bandwidthMHz?: number): number[] {
  const n = meanAmp.length;
  const sorted = Array.from(meanAmp).sort((a, b) => b - a);
  const hi = Math.max(0, sorted[Math.floor(0.1 * n)]), lo = Math.max(0, sorted[Math.min(n - 1, Math.floor(0.9 * n))]);
  const all = Array.from({ length: n }, (_, i) => i);
  if (!(hi >= 10 * lo)) return all;
  const thr = Math.sqrt(hi * lo), out: number[] = [];
  for (let i = 0; i < n; i++) if (meanAmp[i] >= thr && meanAmp[i] > 0) out.push(i);
  if (!out.length) return all;
  if (!indices || indices.length !== n) return out;
  const range = occupiedToneRange(indices, out, bandwidthMHz);
  if (!range) return out;
  const inPlan = out.filter(i => indices[i] >= range[0] && indices[i] <= range[1]);
  return inPlan.length >= out.length / 2 ? inPlan : out;
}

/**
 * The tone range [lo, hi] (subcarrier indices) of the frame in a capture wider than it, or undefined when the
 * indices are not a 312.5 kHz grid matching `bandwidthMHz`. The capture is cut into 20 MHz sub-bands of 64 tones;
 * a sub-band carries the frame when at least half of its 56 HT20 tones are in `above`. One such sub-band: its
 * centre ± 28 (HT/VHT 20 MHz); several adjacent ones (a 40/80/160 MHz frame): from the first centre − 26 to the last
 * centre + 26 (VHT40 ±58, VHT80 ±122 around the channel centre, IEEE 802.11-2020 21.3.7.2); non-adjacent ones:
 * undefined (not a frame the standard makes; keep the threshold's set).
 */
export function occupiedToneRange(indices: ArrayLike<number>, above: readonly number[], bandwidthMHz?: number): [number, number] | undefined {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < indices.length; i++) { min = Math.min(min, indices[i]); max = Math.max(max, indices[i]); }
  const width = max - min + 1, k = Math.round(width / 64);
  if (k < 1 || Math.abs(width - 64 * k) > 2 || (bandwidthMHz !== undefined && bandwidthMHz > 0 && Math.abs(bandwidthMHz - 20 * k) > 1)) return undefined;
  const base = Math.round((min + max + 1) / 2) - 32 * k; // first sub-band's lowest tone
  const present = new Set(above.map(i => indices[i]));
  const occupied: number[] = [];
  for (let j = 0; j < k; j++) {
    const c = base + 64 * j + 32;
    let hit = 0;
    for (let d = 1; d <= 28; d++) hit += (present.has(c - d) ? 1 : 0) + (present.has(c + d) ? 1 : 0);
    if (hit >= 28) occupied.push(c);
  }
  if (!occupied.length) return undefined;
  for (let j = 1; j < occupied.length; j++) if (occupied[j] - occupied[j - 1] !== 64) return undefined;
  if (occupied.length === 1) return [occupied[0] - 28, occupied[0] + 28];
  return [occupied[0] - 26, occupied[occupied.length - 1] + 26];
}

/** Packets [a, b) of a uniformly resampled recording that fall in `seg` (the whole recording without one). */
function packetRange(rec: CsiRecording, seg: Segment | undefined): [number, number] {
  const n = rec.nPackets;
  if (!seg) return [0, n];
  const fs = packetRateHz(rec);
  const a = Math.max(0, Math.min(n - 1, Math.floor(seg.startS * fs))), b = Math.max(a + 1, Math.min(n, Math.ceil(seg.endS * fs)));
  return [a, b];
}

/**
 * Rows of an [n, W] amplitude block that are exactly zero in every column (no measured packet is) replaced by the
 * straight line between the rows on either side (the nearest row at the ends). Such rows are packets with no CSI on
 * the active subcarriers: the zeros the resampler writes inside a hole longer than MAX_BRIDGED_GAP_S
 * (dsp/resample.ts), and a narrower frame whose band misses the active subcarriers (the main-link read drops other
 * bandwidths; a recording handed in directly may still hold them). Why bridge:
 * a drop to nothing and back is what every amplitude feature reads as the strongest motion of the recording (Fition
 * has 2.3 s holes in three of its 72 captures); a straight line says "no evidence of motion". Returns how many
 * rows were bridged.
 */
export function bridgeZeroRows(g: Float64Array, n: number, W: number): number {
  const zero = (t: number) => { for (let w = 0; w < W; w++) if (g[t * W + w] !== 0) return false; return true; };
  let bridged = 0;
  for (let t = 0; t < n; t++) {
    if (!zero(t)) continue;
    let e = t + 1;
    while (e < n && zero(e)) e++;
    const a = t - 1, b = e; // last measured row before, first after (either may be out of range)
    if (a < 0 && b >= n) return 0; // nothing measured at all: leave as is
    for (let r = t; r < e; r++) {
      const u = a < 0 ? 1 : b >= n ? 0 : (r - a) / (b - a);
      for (let w = 0; w < W; w++) g[r * W + w] = (a < 0 ? 0 : (1 - u) * g[a * W + w]) + (b >= n ? 0 : u * g[b * W + w]);
    }
    bridged += e - t;
    t = e - 1;
  }
  return bridged;
}

/**
 * Amplitude of every receive antenna (tx 0) in G groups of its active subcarriers, one row per packet: [n, nRx·G],
 * each series despiked when asked.
 */
function amplitudeGroupSeries(rec: CsiRecording, G: number, despike: FeatureParams['despike']): { g: Float64Array; W: number } {
  const n = rec.nPackets, nSc = rec.nSubcarriers, nRx = rec.nRx, nTx = rec.nTx, csi = rec.csi;
  const amp = new Float64Array(n * nRx * nSc), mean = new Float64Array(nSc);
  for (let t = 0; t < n; t++) {
    for (let sc = 0; sc < nSc; sc++) {
      for (let rx = 0; rx < nRx; rx++) {
        const i = 2 * ((t * nSc + sc) * nRx * nTx + rx * nTx);
        const a = Math.hypot(csi[i], csi[i + 1]);
        amp[(t * nRx + rx) * nSc + sc] = a;
        mean[sc] += a;
      }
    }
  }
  const act = activeSubcarriers(mean, rec.subcarrierIndices, rec.bandwidthMHz);
  const W = nRx * G, g = new Float64Array(n * W);
  for (let k = 0; k < G; k++) {
    // Groups cover the active list in order; with fewer active subcarriers than groups some repeat (nearest).
    let a = Math.floor(k * act.length / G), b = Math.floor((k + 1) * act.length / G);
    if (b <= a) { a = Math.min(act.length - 1, Math.floor((k + 0.5) * act.length / G)); b = a + 1; }
    for (let t = 0; t < n; t++) {
      for (let rx = 0; rx < nRx; rx++) {
        let s = 0;
        for (let j = a; j < b; j++) s += amp[(t * nRx + rx) * nSc + act[j]];
        g[t * W + rx * G + k] = s / (b - a);
      }
    }
  }
  bridgeZeroRows(g, n, W);
  if (despike === 'hampel') for (let w = 0; w < W; w++) { const y = hampel(g, 3, 3, n, W, w).y; for (let t = 0; t < n; t++) g[t * W + w] = y[t]; }
  return { g, W };
}

/** Amplitude of every receive antenna (tx 0) in G groups of its active subcarriers: [T, nRx·G] pooled to T steps. */
function amplitudeBlock(rec: CsiRecording, G: number, T: number, seg?: Segment, despike: FeatureParams['despike'] = 'none', mean: FeatureParams['amplitudeMean'] = 'keep'): PathBlock {
  const { g, W } = amplitudeGroupSeries(rec, G, despike);
  const [a0, b0] = packetRange(rec, seg);
  const span = g.subarray(a0 * W, b0 * W), n = b0 - a0;
  if (mean === 'remove') {
    for (let w = 0; w < W; w++) {
      let m = 0;
      for (let t = 0; t < n; t++) m += span[t * W + w];
      m /= n;
      for (let t = 0; t < n; t++) span[t * W + w] -= m;
    }
  }
  return { width: W, data: poolRows(span, n, W, T) };
}

function standardise(a: Float32Array): Float32Array {
  let m = 0;
  for (const x of a) m += x;
  m /= a.length || 1;
  let v = 0;
  for (const x of a) v += (x - m) ** 2;
  const s = Math.sqrt(v / (a.length || 1)) || 1;
  return a.map(x => (x - m) / s);
}

/**
 * Path A's ratio-phase part. `ref` is the reference antenna Widar's rule chose for the Doppler path of the same
 * recording, so both paths use one reference. The ratio phase is ∠(H_rx·conj(H_ref)) computed directly from the CSI
 * (tx 0). A single-antenna recording has no ratio: the part is empty (width 0) and path A is its amplitude alone.
 */
function phasePath(rec: CsiRecording, p: FeatureParams, ref: number | undefined, seg?: Segment): PathBlock {
  const T = rec.nPackets, [a0, b0] = packetRange(rec, seg), nSc = rec.nSubcarriers, nRx = rec.nRx, nTx = rec.nTx;
  const keep: number[] = [];
  for (let sc = 0; sc < nSc; sc += p.phaseSubcarrierStride) keep.push(sc);
  if (nRx >= 2 && ref !== undefined) {
    const W = (nRx - 1) * keep.length;
    const ph = new Float64Array(T * W);
    const csi = rec.csi;
    let a = 0;
    for (let rx = 0; rx < nRx; rx++) {
      if (rx === ref) continue;
      keep.forEach((sc, k) => {
        const col = a * keep.length + k;
        for (let t = 0; t < T; t++) {
          const i = 2 * ((t * nSc + sc) * nRx * nTx + rx * nTx), r = 2 * ((t * nSc + sc) * nRx * nTx + ref * nTx);
          // H·conj(H_ref): re = hr·rr + hi·ri, im = hi·rr − hr·ri
          ph[t * W + col] = Math.atan2(csi[i + 1] * csi[r] - csi[i] * csi[r + 1], csi[i] * csi[r] + csi[i + 1] * csi[r + 1]);
        }
        unwrapInPlace(ph, T, W, col);
        let m = 0;
        for (let t = a0; t < b0; t++) m += ph[t * W + col];
        m /= b0 - a0;
        for (let t = 0; t < T; t++) ph[t * W + col] -= m;
      });
      a++;
    }
    return { width: W, data: poolRows(ph.subarray(a0 * W, b0 * W), b0 - a0, W, p.timeSteps) };
  }
  return { width: 0, data: new Float32Array(0) };
}

function poolBins(power: ArrayLike<number>, nCols: number, nBins: number, Q: number): Float64Array {
  const out = new Float64Array(nCols * Q);
  for (let c = 0; c < nCols; c++) {
    for (let q = 0; q < Q; q++) {
      const a = Math.floor(q * nBins / Q), b = Math.max(a + 1, Math.floor((q + 1) * nBins / Q));
      let s = 0;
      for (let k = a; k < b && k < nBins; k++) s += power[c * nBins + k];
      // ×nBins/(b−a)·… : a flat normalised column (each bin 1/nBins) becomes 1 in every band.
      out[c * Q + q] = s * nBins / (b - a);
    }
  }
  return out;
}

/** Pool [nCols, nBins] power to Q bands and columns [c0, c1) to T steps, then compress (x^e). */
function poolSpectrum(power: ArrayLike<number>, nCols: number, nBins: number, c0: number, c1: number, p: FeatureParams): PathBlock {
  const Q = p.dopplerBands;
  const bands = poolBins(power, nCols, nBins, Q);
  const out = poolRows(bands.subarray(c0 * Q, c1 * Q), c1 - c0, Q, p.timeSteps);
  if (p.dopplerCompress !== 1) for (let i = 0; i < out.length; i++) out[i] = Math.pow(Math.max(0, out[i]), p.dopplerCompress);
  return { width: Q, data: out };
}

/** Columns [c0, c1) whose centre times fall in `seg` (all columns without one; at least one). */
function columnRange(timesS: ArrayLike<number>, nCols: number, seg: Segment | undefined): [number, number] {
  if (!seg) return [0, nCols];
  let c0 = 0, c1 = nCols;
  while (c0 < nCols - 1 && timesS[c0] < seg.startS) c0++;
  while (c1 > c0 + 1 && timesS[c1 - 1] > seg.endS) c1--;
  return [c0, c1];
}

function dopplerPath(rec: CsiRecording, p: FeatureParams, d: DopplerSpectrum | undefined, seg?: Segment): PathBlock {
  if (d) {
    const [c0, c1] = columnRange(d.timesS, d.nCols, seg);
    return poolSpectrum(d.power, d.nCols, d.nBins, c0, c1, p);
  }
  // Single antenna: a spectrogram of the amplitudes (FeatureParams.amplitudeSpectrum), 0…fs/2 in Q bands.
  const fs = packetRateHz(rec);
  const sg = p.amplitudeSpectrum === 'pca' ? pcaAmplitudeSpectrogram(rec, p) : meanAmplitudeSpectrogram(rec, p);
  // hop 1: column c is centred on packet c (packet times are c/fs after resampling).
  const [c0, c1] = columnRange(Float64Array.from({ length: sg.nCols }, (_, c) => c / fs), sg.nCols, seg);
  return poolSpectrum(sg.power, sg.nCols, sg.nFreqs, c0, c1, p);
}

/** Principal components summed in the single-antenna 'pca' spectrum (CARM keeps a handful; see FeatureParams). */
export const SINGLE_ANTENNA_PCS = 5;

/** The single-antenna spectrogram's settings: 0…fs/2 in 2·Q bins, a Gaussian window of about 0.5 s, hop 1. */
function amplitudeSpectrogramOf(x: Float64Array, T: number, fs: number, Q: number) {
  let wl = Math.max(15, Math.round(fs / 2) | 1);
  if (wl % 2 === 0) wl++;
  const freqs = Float64Array.from({ length: 2 * Q }, (_, i) => (i * fs / 2) / (2 * Q));
  return spectrogram(x, T, { fs, window: gaussianWindow(wl), hop: 1, freqsHz: freqs, method: 'bank' });
}

/** 'mean': spectrogram of the mean amplitude over active subcarriers (mean removed), each column normalised to sum 1. */
function meanAmplitudeSpectrogram(rec: CsiRecording, p: FeatureParams): { power: Float64Array; nCols: number; nFreqs: number } {
  const fs = packetRateHz(rec), T = rec.nPackets, nSc = rec.nSubcarriers;
  const streams = csiStreams(rec);
  const x = new Float64Array(2 * T), colMean = new Float64Array(nSc);
  for (let t = 0; t < T; t++) for (let sc = 0; sc < nSc; sc++) colMean[sc] += Math.hypot(streams[2 * (t * nSc + sc)], streams[2 * (t * nSc + sc) + 1]);
  const act = activeSubcarriers(colMean, rec.subcarrierIndices, rec.bandwidthMHz); // noise-floor bins would only dilute the body's modulation
  let series: Float64Array = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let a = 0;
    for (const sc of act) a += Math.hypot(streams[2 * (t * nSc + sc)], streams[2 * (t * nSc + sc) + 1]);
    series[t] = a / act.length;
  }
  bridgeZeroRows(series, T, 1);
  if (p.despike === 'hampel') series = hampel(series, 3, 3, T, 1, 0).y;
  let m = 0;
  for (let t = 0; t < T; t++) m += series[t];
  for (let t = 0; t < T; t++) x[2 * t] = series[t] - m / T;
  const sg = amplitudeSpectrogramOf(x, T, fs, p.dopplerBands);
  const pw = new Float64Array(sg.power.length);
  for (let c = 0; c < sg.nCols; c++) {
    let s = 0;
    for (let k = 0; k < sg.nFreqs; k++) s += sg.power[c * sg.nFreqs + k];
    for (let k = 0; k < sg.nFreqs; k++) pw[c * sg.nFreqs + k] = s > 0 ? sg.power[c * sg.nFreqs + k] / s : 0;
  }
  return { power: pw, nCols: sg.nCols, nFreqs: sg.nFreqs };
}

/**
 * 'pca' (CARM): the 30 group amplitude series of the (single) antenna, despiked as path A's, centred; the power
 * spectrograms of their first SINGLE_ANTENNA_PCS principal components' scores summed; the sum scaled so its columns
 * average 1 over the sample (not each column: a quiet column stays quiet).
 */
function pcaAmplitudeSpectrogram(rec: CsiRecording, p: FeatureParams): { power: Float64Array; nCols: number; nFreqs: number } {
  const fs = packetRateHz(rec), T = rec.nPackets;
  const { g, W } = amplitudeGroupSeries(rec, 30, p.despike);
  const k = Math.min(SINGLE_ANTENNA_PCS, W);
  const { scores } = pcaReal(g, T, W, k);
  let power: Float64Array | undefined, nCols = 0, nFreqs = 0;
  for (const sc of scores) {
    const x = new Float64Array(2 * T);
    for (let t = 0; t < T; t++) x[2 * t] = sc[t];
    const sg = amplitudeSpectrogramOf(x, T, fs, p.dopplerBands);
    if (!power) { power = new Float64Array(sg.power.length); nCols = sg.nCols; nFreqs = sg.nFreqs; }
    for (let i = 0; i < power.length; i++) power[i] += sg.power[i];
  }
  const pw = power ?? new Float64Array(0);
  let total = 0;
  for (const v of pw) total += v;
  if (total > 0) for (let i = 0; i < pw.length; i++) pw[i] *= nCols / total;
  return { power: pw, nCols, nFreqs };
}

/** Amplitude groups per antenna of a receiver: amplitudeGroups, or for 0 none (30 on a one-antenna receiver, whose path A has no ratio phase). */
function amplitudeGroupsFor(nRx: number, p: Pick<FeatureParams, 'amplitudeGroups'>): number {
  return p.amplitudeGroups > 0 ? p.amplitudeGroups : nRx >= 2 ? 0 : 30;
}

/** One receiver's path-A parts (amplitude, ratio phase), path B, before normalisation. */
export interface ReceiverFeatures { amplitude: PathBlock; phase: PathBlock; doppler: PathBlock }

/**
 * Lost-packet holes up to this long are bridged (coherently) before the DFS; the resampler's default (5 packet
 * intervals) leaves longer holes as zero CSI, and a run of zeros inside a recording is a step the DFS turns into
 * broadband "motion" (on the simulator's bursty 1 kHz loss, cross-user accuracy of the Doppler CNN fell from 73 % to
 * 58 %). 0.25 s is the DFS window: a longer hole cannot be bridged by anything the spectrogram would trust.
 */
export const MAX_BRIDGED_GAP_S = 0.25;

/** A receiver's recording resampled to its median packet rate, with its Widar DFS when it has ≥ 2 antennas. */
export interface PreparedReceiver { rec: CsiRecording; dfs?: DopplerSpectrum }

export function prepareReceiver(recIn: CsiRecording): PreparedReceiver {
  if (recIn.nPackets < 8) throw new ModelError('bad-data', `only ${recIn.nPackets} packets; need at least 8 for features`, recIn.file);
  // Coherent interpolation: a plain blend of two packets' CSI mixes their random phase offsets, which the ratio phase
  // and the DFS's conjugate product would turn into noise (dsp/resample.ts, ResampleOptions).
  const rec = resampleUniform(recIn, { interpolation: 'coherent', maxGapS: MAX_BRIDGED_GAP_S }).recording;
  return { rec, dfs: rec.nRx >= 2 ? doppler(rec, { ...WIDAR_TRAINING, fs: packetRateHz(rec) }) : undefined };
}

/** A time window in seconds from a receiver's first packet. */
export interface Segment { startS: number; endS: number }

/**
 * The motion segment of one sample, from its receivers' DFS (dsp/segment.ts dominantMotionSpan, |f| ≥ 5 Hz), widened
 * to at least `minCols` columns. Why crop (a documented choice): recordings hold quiet lead-in and tail of varying
 * length, and each DFS column is normalised to sum 1, so a quiet column is as loud as a moving one; cropping to the
 * motion and resampling it to T steps removes when the gesture started and how long it lasted, as Widar3.0's BVP
 * time normalisation does. The rule is the simulator calibration's (sim/calibration/dopplerFeatures.ts), where a
 * Doppler CNN leaving user 3 out went from 34 % uncropped to 67 % with this crop and the resampling fixes.
 * Returns undefined when there is no motion energy at all (the whole recording is then used).
 */
export function motionSegment(dfs: readonly DopplerSpectrum[], minCols: number): Segment | undefined {
  const span = dominantMotionSpan(dfs, { minHz: 5, minSpan: minCols - 1, halfWidth: Math.ceil(minCols / 2) });
  if (!span) return undefined;
  const [c0, c1] = span, t = dfs[0].timesS, hop = dfs[0].nCols > 1 ? t[1] - t[0] : 0;
  return { startS: Math.max(0, t[c0] - hop / 2), endS: t[c1] + hop / 2 };
}

/** Both paths of one receiver's recording (resampled to its median packet rate first), within `seg` if given. */
export function receiverFeatures(recIn: CsiRecording | PreparedReceiver, p: FeatureParams, seg?: Segment): ReceiverFeatures {
  const { rec, dfs: d } = 'nPackets' in recIn ? prepareReceiver(recIn) : recIn;
  const empty = { width: 0, data: new Float32Array(0) };
  if (p.inputs === 'doppler') return { amplitude: empty, phase: empty, doppler: dopplerPath(rec, p, d, seg) };
  const groups = amplitudeGroupsFor(rec.nRx, p);
  const amplitude = groups > 0 ? amplitudeBlock(rec, groups, p.timeSteps, seg, p.despike, p.amplitudeMean) : { width: 0, data: new Float32Array(0) };
  return { amplitude, phase: phasePath(rec, p, d?.referenceAntenna, seg), doppler: dopplerPath(rec, p, d, seg) };
}

/**
 * The motion segment of one sample from its receivers' amplitudes (dsp/segment.ts amplitudeMotionProfile over 30
 * subcarrier groups per antenna, ±0.25 s windows, then dominantSpan's rule), for receivers with no DFS, widened to at
 * least `minCols` packets of the first receiver. Each receiver's profile is read on the first receiver's packet grid.
 */
export function amplitudeMotionSegment(recs: readonly CsiRecording[], minCols: number, despike: FeatureParams['despike']): Segment | undefined {
  if (!recs.length) return undefined;
  const fs0 = packetRateHz(recs[0]), n0 = recs[0].nPackets;
  const profiles = recs.map(rec => {
    const fs = packetRateHz(rec), { g, W } = amplitudeGroupSeries(rec, 30, despike);
    const prof = amplitudeMotionProfile(g, rec.nPackets, W, Math.max(1, Math.round(0.25 * fs)));
    return Float64Array.from({ length: n0 }, (_, i) => prof[Math.min(rec.nPackets - 1, Math.round(i * fs / fs0))]);
  });
  const span = dominantSpan(profiles, { minSpan: minCols - 1, halfWidth: Math.ceil(minCols / 2) });
  return span ? { startS: span[0] / fs0, endS: (span[1] + 1) / fs0 } : undefined;
}

/**
 * The segment `p.crop` asks for: from the DFS when every receiver has one, else from the amplitudes
 * (amplitudeMotionSegment). 'auto' crops only Doppler-grade recordings (see FeatureParams.crop).
 */
export function cropSegment(prepared: readonly PreparedReceiver[], p: FeatureParams): Segment | undefined {
  if (p.crop === 'none') return undefined;
  if (p.crop === 'auto' && !dopplerGrade(prepared.map(r => r.rec))) return undefined;
  if (prepared.every(r => r.dfs)) return motionSegment(prepared.map(r => r.dfs!), p.timeSteps);
  return amplitudeMotionSegment(prepared.map(r => r.rec), p.timeSteps, p.despike);
}

function concatWidths(blocks: PathBlock[], T: number): PathBlock {
  const W = blocks.reduce((a, b) => a + b.width, 0), out = new Float32Array(T * W);
  let off = 0;
  for (const b of blocks) {
    for (let t = 0; t < T; t++) out.set(b.data.subarray(t * b.width, (t + 1) * b.width), t * W + off);
    off += b.width;
  }
  return { width: W, data: out };
}

/** Features of one sample (all receivers stacked), via the cache when given. */
export async function sampleFeatures(s: DatasetSample, p: FeatureParams, cache?: FeatureCache): Promise<{ phase: PathBlock; doppler: PathBlock }> {
  const compute = async () => {
    const prepared: PreparedReceiver[] = [];
    for (const f of s.files) prepared.push(prepareReceiver(await readMainLinkFile(f)));
    const seg = cropSegment(prepared, p);
    const q = { ...p, inputs: resolveInputs(prepared.map(r => r.rec), p) };
    const per = prepared.map(r => receiverFeatures(r, q, seg));
    const T = p.timeSteps, norm = (b: PathBlock) => (p.normalize === 'sample' && b.width ? { width: b.width, data: standardise(b.data) } : b);
    const amp = norm(concatWidths(per.map(r => r.amplitude), T)), ratio = norm(concatWidths(per.map(r => r.phase), T));
    return { phase: concatWidths([amp, ratio], T), doppler: norm(concatWidths(per.map(r => r.doppler), T)) };
  };
  if (!cache) return compute();
  const kp = await cache.key(s.files, { ...p, path: 'phase' }, FEATURE_CODE_VERSION);
  const kd = await cache.key(s.files, { ...p, path: 'doppler' }, FEATURE_CODE_VERSION);
  const [hp, hd] = [await cache.get(kp), await cache.get(kd)];
  if (hp && hd) return { phase: { width: hp.shape[1], data: hp.data }, doppler: { width: hd.shape[1], data: hd.data } };
  const r = await compute();
  const asT = (b: PathBlock): FeatureTensor => ({ shape: [p.timeSteps, b.width], data: b.data });
  await cache.put(kp, asT(r.phase));
  await cache.put(kd, asT(r.doppler));
  return r;
}

export interface BuildOptions {
  cache?: FeatureCache;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Called for a sample whose features failed; the sample is skipped (default: rethrow). */
  onSampleError?: (s: DatasetSample, e: Error) => void;
}

/** TensorDataset for `samples` (in order). Widths must agree across samples; a mismatch names the sample. */
export async function buildTensorDataset(index: Pick<DatasetIndex, 'classes'>, samples: readonly DatasetSample[], pIn: FeatureParams, o: BuildOptions = {}): Promise<TensorDataset> {
  let p = pIn;
  if (!(Number.isInteger(p.timeSteps) && p.timeSteps >= 2)) throw new ModelError('bad-config', `timeSteps must be an integer ≥ 2, got ${p.timeSteps}`);
  if (!(Number.isInteger(p.phaseSubcarrierStride) && p.phaseSubcarrierStride >= 1)) throw new ModelError('bad-config', `phaseSubcarrierStride must be an integer ≥ 1`);
  if (!(Number.isInteger(p.dopplerBands) && p.dopplerBands >= 1)) throw new ModelError('bad-config', `dopplerBands must be an integer ≥ 1`);
  if (!['auto', 'motion', 'none'].includes(p.crop)) throw new ModelError('bad-config', `crop must be 'auto', 'motion' or 'none', got ${JSON.stringify(p.crop)}`);
  if (!['auto', 'both', 'doppler'].includes(p.inputs)) throw new ModelError('bad-config', `inputs must be 'auto', 'both' or 'doppler', got ${JSON.stringify(p.inputs)}`);
  if (!['mean', 'pca'].includes(p.amplitudeSpectrum)) throw new ModelError('bad-config', `amplitudeSpectrum must be 'mean' or 'pca', got ${JSON.stringify(p.amplitudeSpectrum)}`);
  if (!['keep', 'remove'].includes(p.amplitudeMean)) throw new ModelError('bad-config', `amplitudeMean must be 'keep' or 'remove', got ${JSON.stringify(p.amplitudeMean)}`);
  if (!['hampel', 'none'].includes(p.despike)) throw new ModelError('bad-config', `despike must be 'hampel' or 'none', got ${JSON.stringify(p.despike)}`);
  if (!(p.dopplerCompress > 0 && p.dopplerCompress <= 1)) throw new ModelError('bad-config', `dopplerCompress must be in (0, 1], got ${p.dopplerCompress}`);
  if (!(Number.isInteger(p.amplitudeGroups) && p.amplitudeGroups >= 0)) throw new ModelError('bad-config', `amplitudeGroups must be an integer ≥ 0, got ${p.amplitudeGroups}`);
  if (p.inputs === 'auto' && samples.length) {
    // One decision for the dataset (widths must agree): from the first sample whose files read (only their antenna
    // counts and packet rates are needed, no DSP).
    for (const s of samples) {
      try {
        const recs: CsiRecording[] = [];
        for (const f of s.files) recs.push(await readMainLinkFile(f));
        p = { ...p, inputs: resolveInputs(recs, p) };
        break;
      } catch { /* that sample is reported below, through the normal path */ }
    }
  }
  const kept: DatasetSample[] = [], ph: Float32Array[] = [], dp: Float32Array[] = [];
  let F1 = -1, F2 = -1;
  for (let i = 0; i < samples.length; i++) {
    if (o.signal?.aborted) throw new ModelError('cancelled', `feature extraction cancelled after ${i} of ${samples.length} samples`);
    const s = samples[i];
    let r;
    try { r = await sampleFeatures(s, p, o.cache); } catch (e) {
      if (o.onSampleError) { o.onSampleError(s, e as Error); continue; }
      throw e;
    }
    const bad = [r.phase.data, r.doppler.data].findIndex(a => a.some(x => !Number.isFinite(x)));
    if (bad >= 0) {
      const err = new ModelError('bad-data', `${bad ? 'Doppler' : 'phase'} features contain non-finite values`, s.files[0]);
      if (o.onSampleError) { o.onSampleError(s, err); continue; }
      throw err;
    }
    if (F1 < 0) { F1 = r.phase.width; F2 = r.doppler.width; }
    if (r.phase.width !== F1 || r.doppler.width !== F2) {
      const err = new ModelError('bad-data', `feature widths ${r.phase.width}/${r.doppler.width} differ from the first sample's ${F1}/${F2} (different receiver or antenna count?)`, s.files[0]);
      if (o.onSampleError) { o.onSampleError(s, err); continue; }
      throw err;
    }
    kept.push(s); ph.push(r.phase.data); dp.push(r.doppler.data);
    o.onProgress?.(i + 1, samples.length);
  }
  const T = p.timeSteps, N = kept.length;
  let amplitudeColumns = 0, dopplerZeroBand: number | undefined;
  if (N) {
    // From the first kept sample's antenna counts: which of path A's columns are amplitude (the rest is ratio
    // phase), and which Doppler path its receivers have (signed DFS with ≥ 2 antennas, else 0…fs/2 amplitude
    // spectrogram; see dopplerPath).
    const nRx: number[] = [];
    for (const f of kept[0].files) nRx.push((await readMainLinkFile(f)).nRx);
    if (p.inputs !== 'doppler') amplitudeColumns = nRx.reduce((a, n) => a + n * amplitudeGroupsFor(n, p), 0);
    if (F2 > 0) dopplerZeroBand = nRx.every(n => n >= 2) ? (p.dopplerBands - 1) / 2 : nRx.every(n => n === 1) ? -0.5 : undefined;
  }
  const phase = new Float32Array(N * T * Math.max(F1, 0)), dop = new Float32Array(N * T * Math.max(F2, 0));
  ph.forEach((a, i) => phase.set(a, i * T * F1));
  dp.forEach((a, i) => dop.set(a, i * T * F2));
  return {
    T, F1: Math.max(F1, 0), F2: Math.max(F2, 0), dopplerBands: p.dopplerBands, dopplerZeroBand, amplitudeColumns, classes: [...index.classes], ids: kept.map(s => s.id), phase, doppler: dop,
    labels: Int32Array.from(kept, s => s.label), domains: kept.map(s => ({ ...s.domain })),
  };
}
