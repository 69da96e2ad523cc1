// Doppler (DFS) spectrogram of one receiver, the Widar3.0 pipeline (`get_doppler_spectrum.m`):
//   1. reference antenna = argmax over antennas of mean_sc( mean_t|H| / std_t|H| )            [WiDance rule]
//   2. amplitude adjustment: H_adj = ||H| − α|·e^{j∠H} with α = min non-zero |H| per stream;
//      H_ref_adj = (|H_ref| + β)·e^{j∠H_ref} with β = 1000·Σα / (streams)                    [IndoTrack]
//   3. conjugate multiplication H_adj·conj(H_ref_adj), reference antenna's streams dropped — cancels the
//      per-packet random phase common to the NIC's antennas
//   4. Butterworth high-pass (order 3, 2 Hz) + low-pass (order 6, 60 Hz)
//   5. first principal component over the remaining streams
//   6. STFT, Gaussian window of round(fs/4 + 1) samples (made odd), keep |f| ≤ 60 Hz (1 Hz bins → 121 bins)
//   7. each column normalised to sum 1
//
// Where we deviate from Widar, and why:
//   • Filtering is zero-phase (forward-backward, filtfilt.ts) instead of MATLAB's causal `filter`, as the issue
//     asks; high- and low-pass are cascaded into one section list and run in a single forward-backward pass
//     (same response as running them one after the other, edge padding applied once).
//   • Frequencies are ascending (−60…60, the fftshift order), not Widar's [0:60, −60:−1]; Widar's BVP code
//     circshifts to this order anyway.
//   • Low packet rates (WiAR ~30 Hz, Fition ~50 Hz): the band is clipped to below Nyquist (±(fs/2 − bin)), a
//     low-pass at or above 0.45·fs is skipped (the STFT band already limits it), and the window is at least
//     `minWindowSamples` (31) long: Widar's 0.25 s would be 9 samples at 30 Hz, a ~6 Hz-wide Gaussian that
//     smears the whole ±15 Hz band; 31 samples (~1 s) gives ~1 Hz resolution for gestures lasting seconds.
//   • The fast training configuration (WIDAR_TRAINING): a column every 10 ms. The conjugate products are first
//     low-passed by a zero-phase FIR and decimated by the largest divisor D of the hop with fs/D ≥ 3·band
//     (1000 Hz → 200 Hz; firDecimate.ts), then the same Butterworth stages, PCA and STFT run at fs/D; each
//     column is one power-of-two FFT, so bins are fs/(D·nfft) (0.78 Hz at 200 Hz/256) rather than exactly 1 Hz,
//     and the PCA covariance sums every 2nd decimated sample (an unbiased estimate from half the rows; on the
//     benchmark's synthetic links the normalised spectrogram moves by ≤ 5e-5, and it halves the PCA cost).
//     It also uses every 2nd subcarrier (15 of Intel's 30 groups, 1.25 MHz apart): indoor coherence bandwidth
//     is several MHz, so neighbouring groups carry nearly the same Doppler (cosine similarity of the spectrogram
//     with all 30 groups ≥ 0.999 on the benchmark's synthetic links, see doppler.test.ts); this halves the work.
//     WIDAR_EXACT keeps every packet, a column per packet, exact 1 Hz bins and the full covariance.
import type { CsiRecording } from '../formats/types';
import { butterworth, type Biquad } from './butterworth';
import { DspError } from './errors';
import { sosfiltfilt } from './filtfilt';
import { nextPow2 } from './fft';
import { firDecimate, firLowpass } from './firDecimate';
import { pcaComplex, projectComplex } from './pca';
import { packetRateHz, type StreamOptions } from './streams';
import { bandBins, gaussianWindow, spectrogram, type SpectrogramMethod } from './stft';
import { CsiLayout, csiLayout, StreamAmplitudes, streamAmplitudes, chooseReferenceAntenna } from './dopplerStreams';

export interface DopplerConfig extends StreamOptions {
  /** Packet rate in Hz; default estimated from timestamps. Input must be uniformly sampled (resample.ts). */
  fs?: number;
  highPassHz: number;
  highPassOrder: number;
  lowPassHz: number;
  lowPassOrder: number;
  /** Window duration; the length is round(windowS·fs + 1), made odd (Widar: round(fs/4 + 1)). */
  windowS: number;
  /** Lower bound on the window length in samples (odd), for low packet rates. */
  minWindowSamples: number;
  /** Seconds between spectrogram columns; 0 = one column per packet (Widar). */
  hopS: number;
  /** Keep |f| ≤ bandHz (clipped below Nyquist). */
  bandHz: number;
  /** Bin spacing (Widar: fs/N with N = fs → 1 Hz). */
  binHz: number;
  /** true: bins exactly at k·binHz; false: nearest power-of-two FFT grid (faster). */
  exactBins: boolean;
  /** Allow decimating the first principal component before the STFT (only with a low-pass). */
  decimate: boolean;
  /** Sample stride for the PCA covariance (1 = exact). */
  covarianceStride: number;
  /** Use every n-th subcarrier (1 = all, Widar). */
  subcarrierStride: number;
  /** Normalise each column to sum 1 (Widar). */
  normalize: boolean;
  method?: SpectrogramMethod;
}

/** Widar3.0's exact configuration: a column per packet, 1 Hz bins within ±60 Hz (121 bins). */
export const WIDAR_EXACT: Readonly<DopplerConfig> = Object.freeze({
  highPassHz: 2,
  highPassOrder: 3,
  lowPassHz: 60,
  lowPassOrder: 6,
  windowS: 0.25,
  minWindowSamples: 31,
  hopS: 0,
  bandHz: 60,
  binHz: 1,
  exactBins: true,
  decimate: false,
  covarianceStride: 1,
  subcarrierStride: 1,
  normalize: true,
});

/** Fast training configuration: a column every 10 ms, ~0.8 Hz bins, FIR-decimated to 200 Hz, strided covariance. */
export const WIDAR_TRAINING: Readonly<DopplerConfig> = Object.freeze({
  ...WIDAR_EXACT,
  hopS: 0.01,
  exactBins: false,
  decimate: true,
  covarianceStride: 2,
  subcarrierStride: 2,
});

/** Everything the configuration resolves to at a given packet rate. */
export interface DopplerPlan {
  fs: number;
  /** Rate after decimation (= fs when not decimating); filters, window, hop and bins refer to this rate. */
  fsProcessed: number;
  /** Band-pass sections actually applied (high-pass and/or low-pass; either may be skipped at low rates). */
  sections: Biquad[];
  highPass: boolean;
  lowPass: boolean;
  /** Window length in samples at fsProcessed (odd). */
  windowLength: number;
  /** Samples (at fsProcessed) between columns. */
  hop: number;
  /** Decimation of the conjugate products before the band-pass (1 = none). */
  decimation: number;
  /** Zero-phase anti-alias FIR used for the decimation (null when not decimating). */
  fir: Float64Array | null;
  freqsHz: Float64Array;
  /** FFT size when bins are on a power-of-two grid (exactBins false), else 0. */
  nfft: number;
}

export function planDoppler(fs: number, cfg: DopplerConfig = WIDAR_EXACT): DopplerPlan {
  if (!(Number.isFinite(fs) && fs > 0)) throw new DspError('bad-rate', `packet rate ${fs} Hz is not usable`);
  if (!(cfg.binHz > 0 && cfg.bandHz > 0 && cfg.windowS > 0))
    throw new DspError('bad-argument', 'binHz, bandHz and windowS must be positive');
  const hopIn = cfg.hopS > 0 ? Math.max(1, Math.round(cfg.hopS * fs)) : 1;
  const bandIn = Math.min(cfg.bandHz, fs / 2 - cfg.binHz);
  // Decimation before the band-pass: the largest divisor D of the hop that leaves room for an FIR transition
  // band between the kept band and its first alias (fs/D ≥ 3·band), and only when a low-pass is wanted anyway.
  let decimation = 1;
  if (cfg.decimate && cfg.lowPassHz > 0 && cfg.lowPassHz < 0.45 * fs) {
    for (let d = hopIn; d >= 2; d--) {
      if (hopIn % d === 0 && fs / d >= 3 * bandIn && cfg.lowPassHz < (0.45 * fs) / d) {
        decimation = d;
        break;
      }
    }
  }
  let fir: Float64Array | null = null;
  if (decimation > 1) {
    const fsD = fs / decimation,
      transition = fsD - 2 * bandIn;
    let taps = Math.ceil((3.3 * fs) / transition);
    if (taps % 2 === 0) taps++;
    fir = firLowpass(taps, fsD / 2, fs);
  }
  const fsD = fs / decimation;
  const sections: Biquad[] = [];
  const highPass = cfg.highPassHz > 0 && cfg.highPassHz < 0.45 * fsD;
  const lowPass = cfg.lowPassHz > 0 && cfg.lowPassHz < 0.45 * fsD;
  if (highPass) sections.push(...butterworth('highpass', cfg.highPassOrder, cfg.highPassHz, fsD).sections);
  if (lowPass) sections.push(...butterworth('lowpass', cfg.lowPassOrder, cfg.lowPassHz, fsD).sections);
  let windowLength = Math.round(cfg.windowS * fsD + 1);
  if (windowLength % 2 === 0) windowLength++;
  const minW = cfg.minWindowSamples % 2 ? cfg.minWindowSamples : cfg.minWindowSamples + 1;
  windowLength = Math.max(windowLength, minW);
  const hop = hopIn / decimation;
  const band = Math.min(cfg.bandHz, fsD / 2 - cfg.binHz);
  let nfft = 0;
  let freqsHz: Float64Array;
  if (cfg.exactBins) {
    const k = Math.floor(band / cfg.binHz + 1e-9);
    freqsHz = Float64Array.from({ length: 2 * k + 1 }, (_, i) => (i - k) * cfg.binHz);
  } else {
    // The power-of-two grid closest to binHz (in ratio), so each column is one fft.js transform.
    const base = nextPow2(fsD / cfg.binHz);
    nfft = Math.abs(Math.log(fsD / (base / 2) / cfg.binHz)) < Math.abs(Math.log(fsD / base / cfg.binHz)) && base >= 8 ? base / 2 : base;
    freqsHz = bandBins(fsD, nfft, band);
  }
  return { fs, fsProcessed: fsD, sections, highPass, lowPass, windowLength, hop, decimation, fir, freqsHz, nfft };
}

export interface DopplerSpectrum {
  file: string;
  plan: DopplerPlan;
  nCols: number;
  nBins: number;
  freqsHz: Float64Array;
  /** Centre time of each column, seconds from the first packet. */
  timesS: Float64Array;
  /** Spectrogram, column-major power[c·nBins + k]; each column sums to 1 when cfg.normalize (all-zero stays 0). */
  power: Float32Array;
  /** The same before column normalisation (absolute power of the first component). */
  rawPower: Float32Array;
  /** Mean |H·conj(H_ref)|² over packets and non-reference streams (unadjusted): the scale of the link. */
  conjPower: number;
  /** Reference antenna (0-based rx index) chosen by the mean/std amplitude rule. */
  referenceAntenna: number;
}

/**
 * Amplitude adjustment + conjugate multiplication (steps 2–3). Returns T × ((nRx−1)·nSc) complex and the mean
 * of |H|²·|H_ref|² (the unadjusted product's power, a scale for scale-free energies).
 */
export function conjugateProducts(
  l: CsiLayout,
  st: StreamAmplitudes,
  ref: number,
): { data: Float64Array; nStreams: number; power: number } {
  const { csi, T, nScAll, nSc, nRx, nTx, tx } = l;
  const S = nRx * nSc,
    amp = st.amp;
  const alpha = new Float64Array(S);
  let alphaSum = 0;
  for (let s = 0; s < S; s++) {
    // An all-zero stream has no α (MATLAB skips it in Σα but still divides by all streams).
    alpha[s] = Number.isFinite(st.minNonZero[s]) ? st.minNonZero[s] : 0;
    alphaSum += alpha[s];
  }
  const beta = (1000 * alphaSum) / S;
  const nOut = (nRx - 1) * nSc;
  const out = new Float64Array(2 * T * nOut);
  // Output stream index of each non-reference antenna.
  const slot = new Int32Array(nRx).fill(-1);
  for (let rx = 0, k = 0; rx < nRx; rx++) if (rx !== ref) slot[rx] = k++;
  let power = 0;
  for (let t = 0; t < T; t++) {
    const base = S * t,
      obase = 2 * nOut * t;
    for (let sc = 0; sc < nSc; sc++) {
      const row = 2 * ((t * nScAll + l.sc[sc]) * nRx * nTx + tx);
      // Reference, once per (packet, subcarrier): (|H_ref| + β)·e^{j∠H_ref}; angle(0) = 0 → β.
      const cr = row + 2 * nTx * ref,
        ra = amp[base + ref * nSc + sc];
      let br = beta,
        bi = 0;
      if (ra > 0) {
        const g = (ra + beta) / ra;
        br = csi[cr] * g;
        bi = csi[cr + 1] * g;
      }
      const ra2 = ra * ra;
      for (let rx = 0; rx < nRx; rx++) {
        if (rx === ref) continue;
        const s = rx * nSc + sc,
          a = amp[base + s],
          cs = row + 2 * nTx * rx;
        // ||H| − α|·e^{j∠H}; angle(0) = 0, so a zero sample becomes the real value α.
        let ar = alpha[s],
          ai = 0;
        if (a > 0) {
          const g = Math.abs(a - alpha[s]) / a;
          ar = csi[cs] * g;
          ai = csi[cs + 1] * g;
        }
        const o = obase + 2 * (slot[rx] * nSc + sc);
        out[o] = ar * br + ai * bi; // a · conj(b)
        out[o + 1] = ai * br - ar * bi;
        // The link's scale is the unadjusted |H|²·|H_ref|²: after subtracting α a static stream is ~0, so the
        // adjusted power would be noise over noise.
        power += a * a * ra2;
      }
    }
  }
  return { data: out, nStreams: nOut, power: T * nOut > 0 ? power / (T * nOut) : 0 };
}

/** Doppler spectrogram of one receiver (one NIC with ≥ 2 receive antennas). */
export function doppler(rec: CsiRecording, cfg: DopplerConfig = WIDAR_EXACT): DopplerSpectrum {
  if (rec.nRx < 2)
    throw new DspError('too-few-antennas', `conjugate multiplication needs ≥ 2 receive antennas (recording has ${rec.nRx})`, rec.file);
  const T = rec.nPackets;
  if (T < 2) throw new DspError('too-few-packets', `need at least 2 packets (have ${T})`, rec.file);
  const fs = cfg.fs ?? packetRateHz(rec);
  const plan = planDoppler(fs, cfg);
  const layout = csiLayout(rec, cfg);
  const st = streamAmplitudes(layout);
  const ref = chooseReferenceAntenna(st, T, rec.nRx, layout.nSc);
  const cm = conjugateProducts(layout, st, ref);
  const D = plan.decimation;
  const nT = D > 1 ? Math.ceil(T / D) : T;
  const input = plan.fir ? firDecimate(cm.data, T, 2 * cm.nStreams, plan.fir, D) : cm.data;
  const filtered = plan.sections.length ? sosfiltfilt(plan.sections, input, nT, 2 * cm.nStreams) : input;
  const pca = pcaComplex(filtered, nT, cm.nStreams, 1, { stride: cfg.covarianceStride });
  const pc = projectComplex(filtered, nT, cm.nStreams, pca.components[0]);
  const sg = spectrogram(pc, nT, {
    fs: plan.fsProcessed,
    window: gaussianWindow(plan.windowLength),
    hop: plan.hop,
    freqsHz: plan.freqsHz,
    nfft: plan.nfft || undefined,
    method: cfg.method ?? (plan.nfft ? 'fft' : 'auto'),
  });
  const rawPower = sg.power;
  const power = cfg.normalize ? normaliseColumns(rawPower, sg.nCols, sg.nFreqs) : rawPower;
  const timesS = Float64Array.from(sg.colSample, c => (c * D) / fs);
  return {
    file: rec.file,
    plan,
    nCols: sg.nCols,
    nBins: sg.nFreqs,
    freqsHz: plan.freqsHz,
    timesS,
    power,
    rawPower,
    conjPower: cm.power,
    referenceAntenna: ref,
  };
}

/** Each column divided by its sum (Widar's per-snapshot normalisation); all-zero columns stay zero. */
export function normaliseColumns(p: Float32Array, nCols: number, nBins: number): Float32Array {
  const out = new Float32Array(p.length);
  for (let c = 0; c < nCols; c++) {
    let s = 0;
    for (let k = 0; k < nBins; k++) s += p[c * nBins + k];
    if (s > 0) for (let k = 0; k < nBins; k++) out[c * nBins + k] = p[c * nBins + k] / s;
  }
  return out;
}

/** One spectrogram per receiver (Widar: 6 links per sample); same-length links share the STFT filter bank. */
export function dopplerMulti(recs: CsiRecording[], cfg: DopplerConfig = WIDAR_EXACT): DopplerSpectrum[] {
  return recs.map(r => doppler(r, cfg));
}
