// Short-time Fourier power spectrogram of a complex series, defined exactly like the Time-Frequency Toolbox's
// `tfrsp` that Widar3.0 calls: for a column centred at sample t,
//     S(t, f) = |Σ_τ x(t+τ)·h(τ)·e^{−j2πfτ/fs}|² / Σ_τ h(τ)²
// with τ running over the part of the (odd, centred) window that lies inside the signal, so edge columns are
// normalised by the energy of the truncated window, as tfrsp does.
//
// Two exact evaluation strategies, chosen by cost (tests check both against a direct O(N²) sum):
//  • 'fft'  — one FFT per column (fft.js); needs every requested frequency on the grid k·fs/nfft with nfft a
//             power of two. Cheap when columns are sparse (hop ≫ 1).
//  • 'bank' — a filter bank: for each requested frequency, S(·, f) is |x ∗ q_f|² with q_f(m) = h(m)e^{j2πfm/fs};
//             one FFT of the signal plus one inverse FFT per frequency gives every column at once. Works for any
//             frequency (Widar's tfrsp uses N = fs = 1000 bins, i.e. exact 1 Hz bins, which a power-of-two FFT
//             cannot give) and is ~5× cheaper than per-column FFTs when there is a column per sample.
// Deviation from tfrsp: tfrsp also clips τ to ±(N/2 − 1); with Widar's N = 1000 and a 251-sample window this
// never bites, and we always use the whole window.
import { DspError } from './errors';
import { fftPlan, isPow2, nextPow2 } from './fft';

export class SpectrogramError extends DspError {
  constructor(message: string) {
    super('bad-window', message);
  }
}

/**
 * tftb_window(N, 'gauss'): exp(ln(K)·u²) with u = linspace(−1, 1, N); K = 0.005 is tftb's default, so the
 * window falls to 0.5 % at its ends.
 */
export function gaussianWindow(length: number, k = 0.005): Float64Array {
  if (!Number.isInteger(length) || length < 1) throw new SpectrogramError(`window length ${length} must be a positive integer`);
  const w = new Float64Array(length);
  if (length === 1) {
    w[0] = 1;
    return w;
  }
  const lnK = Math.log(k);
  for (let i = 0; i < length; i++) {
    // Centred form of linspace(−1, 1, N): exactly antisymmetric, so the window is exactly symmetric.
    const half = (length - 1) / 2,
      u = (i - half) / half;
    w[i] = Math.exp(lnK * u * u);
  }
  return w;
}

/** Frequencies on the grid k·fs/nfft with |f| ≤ bandHz, ascending (the fftshift order). */
export function bandBins(fs: number, nfft: number, bandHz: number): Float64Array {
  const df = fs / nfft;
  const kMax = Math.min(Math.floor(bandHz / df + 1e-9), Math.floor((nfft - 1) / 2));
  const f = new Float64Array(2 * kMax + 1);
  for (let k = -kMax; k <= kMax; k++) f[k + kMax] = k * df;
  return f;
}

export type SpectrogramMethod = 'auto' | 'fft' | 'bank';

export interface SpectrogramOptions {
  fs: number;
  /** Odd-length window, centred on each column's sample. */
  window: Float64Array;
  /** Samples between column centres (≥ 1). */
  hop: number;
  /** Frequencies to evaluate, Hz (any order; output keeps it). */
  freqsHz: Float64Array;
  /** Sample of the first column centre (default 0, as tfrsp's time instances 1:N). */
  first?: number;
  /** FFT size for the 'fft' method (default: the smallest power of two putting every frequency on the grid). */
  nfft?: number;
  method?: SpectrogramMethod;
}

export interface Spectrogram {
  nCols: number;
  nFreqs: number;
  /** Power, column-major: power[c·nFreqs + k]. */
  power: Float32Array;
  freqsHz: Float64Array;
  /** Sample index of each column centre. */
  colSample: Int32Array;
  method: 'fft' | 'bank';
}

/** Per-column window energy over the part of the window inside the signal. */
function columnNorms(nTime: number, window: Float64Array, cols: Int32Array): Float64Array {
  const lh = (window.length - 1) >> 1;
  const prefix = new Float64Array(window.length + 1);
  for (let i = 0; i < window.length; i++) prefix[i + 1] = prefix[i] + window[i] * window[i];
  const out = new Float64Array(cols.length);
  for (let c = 0; c < cols.length; c++) {
    const t = cols[c];
    const lo = Math.max(-lh, -t),
      hi = Math.min(lh, nTime - 1 - t);
    out[c] = prefix[hi + lh + 1] - prefix[lo + lh];
  }
  return out;
}

/** Smallest power-of-two nfft ≥ minSize with every frequency on the k·fs/nfft grid, or 0 if none ≤ 2^20. */
function gridNfft(freqs: Float64Array, fs: number, minSize: number): number {
  for (let n = nextPow2(minSize); n <= 1 << 20; n *= 2) {
    let ok = true;
    for (const f of freqs) {
      const k = (f * n) / fs;
      if (Math.abs(k - Math.round(k)) > 1e-9 * Math.max(1, Math.abs(k))) {
        ok = false;
        break;
      }
    }
    if (ok) return n;
  }
  return 0;
}

/** Power spectrogram of a complex series x (interleaved [re, im], nTime samples). */
export function spectrogram(x: ArrayLike<number>, nTime: number, opts: SpectrogramOptions): Spectrogram {
  const { fs, window, freqsHz } = opts;
  if (window.length % 2 !== 1) throw new SpectrogramError(`window length ${window.length} must be odd (centred window)`);
  if (!(Number.isInteger(opts.hop) && opts.hop >= 1)) throw new SpectrogramError(`hop ${opts.hop} must be an integer ≥ 1`);
  if (!(fs > 0)) throw new SpectrogramError(`sample rate ${fs} must be positive`);
  if (x.length < 2 * nTime) throw new SpectrogramError(`signal holds ${x.length / 2} complex samples, expected ${nTime}`);
  const first = opts.first ?? 0;
  const nCols = nTime > first ? Math.floor((nTime - 1 - first) / opts.hop) + 1 : 0;
  const cols = new Int32Array(nCols);
  for (let c = 0; c < nCols; c++) cols[c] = first + c * opts.hop;
  let method = opts.method ?? 'auto';
  const nfft = opts.nfft ?? gridNfft(freqsHz, fs, 2);
  if (opts.nfft !== undefined && (!isPow2(opts.nfft) || gridNfft(freqsHz, fs, opts.nfft) !== opts.nfft)) {
    throw new SpectrogramError(`nfft ${opts.nfft} must be a power of two with every requested frequency on its k·fs/nfft grid`);
  }
  if (method === 'auto') {
    // Cost model in FFT butterflies: per-column FFTs vs. one inverse FFT per frequency over the padded signal.
    const lh = (window.length - 1) >> 1;
    const L = bankBlockSize(nTime, window.length);
    const blocks = Math.ceil(nTime / (L - 2 * lh));
    const costFft = nfft ? nCols * nfft * Math.log2(nfft) : Infinity;
    const costBank = blocks * (freqsHz.length + 1) * L * Math.log2(L);
    method = costFft <= costBank ? 'fft' : 'bank';
  }
  if (method === 'fft' && !nfft) throw new SpectrogramError('method "fft" needs frequencies on a power-of-two FFT grid; use "bank"');
  const norms = columnNorms(nTime, window, cols);
  const power =
    method === 'fft'
      ? byColumnFft(x, nTime, window, cols, norms, freqsHz, fs, nfft)
      : byFilterBank(x, nTime, window, cols, norms, freqsHz, fs);
  return { nCols, nFreqs: freqsHz.length, power, freqsHz, colSample: cols, method };
}

function byColumnFft(
  x: ArrayLike<number>,
  nTime: number,
  window: Float64Array,
  cols: Int32Array,
  norms: Float64Array,
  freqs: Float64Array,
  fs: number,
  nfft: number,
): Float32Array {
  const lh = (window.length - 1) >> 1;
  const plan = fftPlan(nfft);
  const buf = new Float64Array(2 * nfft),
    out = new Float64Array(2 * nfft);
  const bin = new Int32Array(freqs.length);
  for (let k = 0; k < freqs.length; k++) bin[k] = ((Math.round((freqs[k] * nfft) / fs) % nfft) + nfft) % nfft;
  const nF = freqs.length;
  const power = new Float32Array(cols.length * nF);
  for (let c = 0; c < cols.length; c++) {
    const t = cols[c];
    buf.fill(0);
    const lo = Math.max(-lh, -t),
      hi = Math.min(lh, nTime - 1 - t);
    for (let tau = lo; tau <= hi; tau++) {
      // τ mod nfft places negative lags at the end (tfrsp's rem(N+τ, N)); windows longer than nfft wrap.
      let idx = tau % nfft;
      if (idx < 0) idx += nfft;
      const w = window[tau + lh],
        s = 2 * (t + tau);
      buf[2 * idx] += x[s] * w;
      buf[2 * idx + 1] += x[s + 1] * w;
    }
    plan.transform(out, buf);
    const inv = 1 / norms[c],
      base = c * nF;
    for (let k = 0; k < nF; k++) {
      const re = out[2 * bin[k]],
        im = out[2 * bin[k] + 1];
      power[base + k] = (re * re + im * im) * inv;
    }
  }
  return power;
}

// Filter-bank spectra Q_f(ν) = Σ_m h(m)·e^{−j2πm(ν/L − f/fs)}, real for a symmetric window. They depend only on
// (L, fs, window, f), so a batch of same-length links (Widar's 6 receivers) computes them once.
const bankCache = new Map<string, Float64Array[]>();

function bankSpectra(L: number, window: Float64Array, freqs: Float64Array, fs: number): Float64Array[] {
  let sig = 0;
  for (let i = 0; i < window.length; i++) sig += window[i] * (i + 1.5);
  const key = `${L}|${fs}|${window.length}|${sig}|${Array.from(freqs).join(',')}`;
  const hit = bankCache.get(key);
  if (hit) return hit;
  const lh = (window.length - 1) >> 1;
  for (let i = 0; i < lh; i++) {
    if (Math.abs(window[i] - window[window.length - 1 - i]) > 1e-12 * Math.abs(window[lh])) {
      throw new SpectrogramError('the filter-bank method needs a symmetric window');
    }
  }
  const plan = fftPlan(L);
  const q = new Float64Array(2 * L),
    Q = new Float64Array(2 * L);
  const list: Float64Array[] = [];
  for (const f of freqs) {
    q.fill(0);
    for (let m = -lh; m <= lh; m++) {
      const idx = m < 0 ? m + L : m;
      const ph = (2 * Math.PI * f * m) / fs;
      q[2 * idx] = window[m + lh] * Math.cos(ph);
      q[2 * idx + 1] = window[m + lh] * Math.sin(ph);
    }
    plan.transform(Q, q);
    const re = new Float64Array(L);
    for (let v = 0; v < L; v++) re[v] = Q[2 * v];
    list.push(re);
  }
  if (bankCache.size >= 8) bankCache.delete(bankCache.keys().next().value as string);
  bankCache.set(key, list);
  return list;
}

/**
 * Overlap-save block size for the filter bank: the power of two in [2·window, 8192] minimising
 * blocks · L·log2(L) (one inverse FFT per frequency per block). For a 2000-sample Widar link and a 251-sample
 * window this is 1024 (3 blocks), ~1.6× fewer butterflies than one 4096-point block.
 */
export function bankBlockSize(nTime: number, windowLength: number): number {
  const lh = (windowLength - 1) >> 1;
  let best = 0,
    bestCost = Infinity;
  for (let L = nextPow2(2 * windowLength); L <= Math.max(8192, nextPow2(2 * windowLength)); L *= 2) {
    const blocks = Math.ceil(nTime / (L - 2 * lh));
    const cost = blocks * L * Math.log2(L);
    if (cost < bestCost) {
      bestCost = cost;
      best = L;
    }
    if (L - 2 * lh >= nTime) break; // one block already covers the signal
  }
  return best;
}

function byFilterBank(
  x: ArrayLike<number>,
  nTime: number,
  window: Float64Array,
  cols: Int32Array,
  norms: Float64Array,
  freqs: Float64Array,
  fs: number,
): Float32Array {
  const lh = (window.length - 1) >> 1;
  // Overlap-save blocks of LB samples: block input x[b0−lh, b0−lh+LB) gives exact outputs for t ∈ [b0, b0+LB−2lh)
  // (no circular wrap). LB is chosen by cost (bankBlockSize); the cached filter spectra stay ≤ 8192 per frequency.
  const LB = bankBlockSize(nTime, window.length);
  const step = LB - 2 * lh;
  const plan = fftPlan(LB);
  const spectra = bankSpectra(LB, window, freqs, fs);
  const nF = freqs.length;
  const power = new Float32Array(cols.length * nF);
  const xin = new Float64Array(2 * LB),
    X = new Float64Array(2 * LB),
    prod = new Float64Array(2 * LB),
    y = new Float64Array(2 * LB);
  let c = 0; // columns are ascending, so each block takes the next run of them
  for (let b0 = 0; b0 < nTime && c < cols.length; b0 += step) {
    const b1 = Math.min(nTime, b0 + step);
    if (cols[c] >= b1) continue;
    xin.fill(0);
    const u0 = b0 - lh;
    for (let u = Math.max(0, -u0); u < LB && u0 + u < nTime; u++) {
      xin[2 * u] = x[2 * (u0 + u)];
      xin[2 * u + 1] = x[2 * (u0 + u) + 1];
    }
    plan.transform(X, xin);
    let cEnd = c;
    while (cEnd < cols.length && cols[cEnd] < b1) cEnd++;
    for (let k = 0; k < nF; k++) {
      const Q = spectra[k];
      for (let v = 0; v < LB; v++) {
        const g = Q[v];
        prod[2 * v] = X[2 * v] * g;
        prod[2 * v + 1] = X[2 * v + 1] * g;
      }
      plan.inverseTransform(y, prod);
      for (let cc = c; cc < cEnd; cc++) {
        const u = cols[cc] - u0;
        const re = y[2 * u],
          im = y[2 * u + 1];
        power[cc * nF + k] = (re * re + im * im) / norms[cc];
      }
    }
    c = cEnd;
  }
  return power;
}
