// Path B: the Widar DFS spectrogram (dsp/doppler.ts, training config) pooled to Q bands and T steps, scaled so a flat
// column averages 1, then compressed (x^dopplerCompress: DFS power is heavy-tailed). A single-antenna receiver has no
// DFS: its path B is a spectrogram of its amplitudes (FeatureParams.amplitudeSpectrum), 0…fs/2 in Q bands.
import type { DopplerSpectrum } from '../dsp/doppler';
import { hampel } from '../dsp/hampel';
import { pcaReal } from '../dsp/pca';
import { gaussianWindow, spectrogram } from '../dsp/stft';
import { csiStreams, packetRateHz } from '../dsp/streams';
import type { CsiRecording } from '../formats/types';
import { bridgeZeroRows, amplitudeGroupSeries } from './amplitudePath';
import { columnRange, poolRows, type PathBlock, type Segment } from './blocks';
import { SINGLE_ANTENNA_PCS, type FeatureParams } from './params';
import { activeSubcarriers } from './subcarriers';

export function poolBins(power: ArrayLike<number>, nCols: number, nBins: number, Q: number): Float64Array {
  const out = new Float64Array(nCols * Q);
  for (let c = 0; c < nCols; c++) {
    for (let q = 0; q < Q; q++) {
      const a = Math.floor((q * nBins) / Q),
        b = Math.max(a + 1, Math.floor(((q + 1) * nBins) / Q));
      let s = 0;
      for (let k = a; k < b && k < nBins; k++) s += power[c * nBins + k];
      // ×nBins/(b−a)·… : a flat normalised column (each bin 1/nBins) becomes 1 in every band.
      out[c * Q + q] = (s * nBins) / (b - a);
    }
  }
  return out;
}

/** Pool [nCols, nBins] power to Q bands and columns [c0, c1) to T steps, then compress (x^e). */
export function poolSpectrum(power: ArrayLike<number>, nCols: number, nBins: number, c0: number, c1: number, p: FeatureParams): PathBlock {
  const Q = p.dopplerBands;
  const bands = poolBins(power, nCols, nBins, Q);
  const out = poolRows(bands.subarray(c0 * Q, c1 * Q), c1 - c0, Q, p.timeSteps);
  if (p.dopplerCompress !== 1) for (let i = 0; i < out.length; i++) out[i] = Math.pow(Math.max(0, out[i]), p.dopplerCompress);
  return { width: Q, data: out };
}

export function dopplerPath(rec: CsiRecording, p: FeatureParams, d: DopplerSpectrum | undefined, seg?: Segment): PathBlock {
  if (d) {
    const [c0, c1] = columnRange(d.timesS, d.nCols, seg);
    return poolSpectrum(d.power, d.nCols, d.nBins, c0, c1, p);
  }
  // Single antenna: a spectrogram of the amplitudes (FeatureParams.amplitudeSpectrum), 0…fs/2 in Q bands.
  const fs = packetRateHz(rec);
  const sg = p.amplitudeSpectrum === 'pca' ? pcaAmplitudeSpectrogram(rec, p) : meanAmplitudeSpectrogram(rec, p);
  // hop 1: column c is centred on packet c (packet times are c/fs after resampling).
  const [c0, c1] = columnRange(
    Float64Array.from({ length: sg.nCols }, (_, c) => c / fs),
    sg.nCols,
    seg,
  );
  return poolSpectrum(sg.power, sg.nCols, sg.nFreqs, c0, c1, p);
}

/** The single-antenna spectrogram's settings: 0…fs/2 in 2·Q bins, a Gaussian window of about 0.5 s, hop 1. */
export function amplitudeSpectrogramOf(x: Float64Array, T: number, fs: number, Q: number) {
  let wl = Math.max(15, Math.round(fs / 2) | 1);
  if (wl % 2 === 0) wl++;
  const freqs = Float64Array.from({ length: 2 * Q }, (_, i) => (i * fs) / 2 / (2 * Q));
  return spectrogram(x, T, { fs, window: gaussianWindow(wl), hop: 1, freqsHz: freqs, method: 'bank' });
}

/** 'mean': spectrogram of the mean amplitude over active subcarriers (mean removed), each column normalised to sum 1. */
export function meanAmplitudeSpectrogram(rec: CsiRecording, p: FeatureParams): { power: Float64Array; nCols: number; nFreqs: number } {
  const fs = packetRateHz(rec),
    T = rec.nPackets,
    nSc = rec.nSubcarriers;
  const streams = csiStreams(rec);
  const x = new Float64Array(2 * T),
    colMean = new Float64Array(nSc);
  for (let t = 0; t < T; t++)
    for (let sc = 0; sc < nSc; sc++) colMean[sc] += Math.hypot(streams[2 * (t * nSc + sc)], streams[2 * (t * nSc + sc) + 1]);
  // Noise-floor bins would only dilute the body's modulation.
  const act = activeSubcarriers(colMean, rec.subcarrierIndices, rec.bandwidthMHz);
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
export function pcaAmplitudeSpectrogram(rec: CsiRecording, p: FeatureParams): { power: Float64Array; nCols: number; nFreqs: number } {
  const fs = packetRateHz(rec),
    T = rec.nPackets;
  const { g, W } = amplitudeGroupSeries(rec, 30, p.despike);
  const k = Math.min(SINGLE_ANTENNA_PCS, W);
  const { scores } = pcaReal(g, T, W, k);
  let power: Float64Array | undefined,
    nCols = 0,
    nFreqs = 0;
  for (const sc of scores) {
    const x = new Float64Array(2 * T);
    for (let t = 0; t < T; t++) x[2 * t] = sc[t];
    const sg = amplitudeSpectrogramOf(x, T, fs, p.dopplerBands);
    if (!power) {
      power = new Float64Array(sg.power.length);
      nCols = sg.nCols;
      nFreqs = sg.nFreqs;
    }
    for (let i = 0; i < power.length; i++) power[i] += sg.power[i];
  }
  const pw = power ?? new Float64Array(0);
  let total = 0;
  for (const v of pw) total += v;
  if (total > 0) for (let i = 0; i < pw.length; i++) pw[i] *= nCols / total;
  return { power: pw, nCols, nFreqs };
}
