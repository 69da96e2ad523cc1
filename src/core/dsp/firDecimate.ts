// Zero-phase FIR low-pass with decimation, for the fast training configuration of the Doppler pipeline.
//
// Why: the Widar band-pass (2–60 Hz) runs five biquads forward and backward over 60 complex streams at
// 1000 packets/s, which dominates a 10 ms-hop spectrogram's cost. When the output only needs |f| ≤ 60 Hz,
// the streams can first be low-passed by a symmetric (zero-phase) FIR and kept every D-th sample, and the
// Butterworth stages run at fs/D. The FIR is scipy.signal.firwin's Hamming-windowed sinc (DC gain 1), evaluated
// only at the kept samples (polyphase: cost taps·T/D, halved again by the tap symmetry). Edges use the same odd
// extension as filtfilt so the first and last samples are not pulled towards zero.
import { DspError } from './errors';

/** scipy.signal.firwin(numTaps, cutoffHz, window='hamming', fs=fs): odd length, unit DC gain. */
export function firLowpass(numTaps: number, cutoffHz: number, fs: number): Float64Array {
  if (!(Number.isInteger(numTaps) && numTaps >= 1 && numTaps % 2 === 1))
    throw new DspError('bad-filter', `FIR length ${numTaps} must be a positive odd integer`);
  if (!(cutoffHz > 0 && cutoffHz < fs / 2)) throw new DspError('bad-filter', `FIR cut-off ${cutoffHz} Hz must lie in (0, ${fs / 2}) Hz`);
  const h = new Float64Array(numTaps);
  const m = (numTaps - 1) / 2,
    fc = cutoffHz / (fs / 2); // relative to Nyquist, as firwin
  let sum = 0;
  for (let i = 0; i < numTaps; i++) {
    const x = i - m;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * fc * x) / (Math.PI * fc * x);
    const w = numTaps === 1 ? 1 : 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (numTaps - 1));
    h[i] = fc * sinc * w;
    sum += h[i];
  }
  for (let i = 0; i < numTaps; i++) h[i] /= sum;
  return h;
}

/**
 * y[i] = Σ_k h[k]·x[i·D + k − m] for i = 0 … ceil(nTime/D) − 1, per channel (time-major, nCh interleaved),
 * with the signal odd-extended by m = (taps−1)/2 samples at both ends. Returns ceil(nTime/D) × nCh.
 */
export function firDecimate(x: ArrayLike<number>, nTime: number, nCh: number, h: Float64Array, D: number): Float64Array {
  if (!(Number.isInteger(D) && D >= 1)) throw new DspError('bad-argument', `decimation ${D} must be an integer ≥ 1`);
  if (nTime < 2) throw new DspError('too-few-packets', `FIR decimation needs at least 2 samples (have ${nTime})`);
  const m = (h.length - 1) >> 1;
  const ext = Math.min(m, nTime - 1);
  // Padded copy with m rows each side: odd extension for the first `ext` rows, then (only for signals shorter
  // than the filter) the outermost extension value repeated. The main loop then needs no bounds logic.
  const n = nTime + 2 * m;
  const buf = new Float64Array(n * nCh);
  for (let i = 0; i < m; i++) {
    const e = Math.min(i, ext - 1);
    const dst = (m - 1 - i) * nCh,
      src = (e + 1) * nCh;
    for (let c = 0; c < nCh; c++) buf[dst + c] = ext > 0 ? 2 * x[c] - x[src + c] : x[c];
  }
  for (let i = 0; i < nTime * nCh; i++) buf[m * nCh + i] = x[i];
  const last = (nTime - 1) * nCh;
  for (let i = 0; i < m; i++) {
    const e = Math.min(i, ext - 1);
    const dst = (m + nTime + i) * nCh,
      src = (nTime - 2 - e) * nCh;
    for (let c = 0; c < nCh; c++) buf[dst + c] = ext > 0 ? 2 * x[last + c] - x[src + c] : x[last + c];
  }
  const nOut = Math.ceil(nTime / D);
  const out = new Float64Array(nOut * nCh);
  for (let i = 0; i < nOut; i++) {
    const t = i * D + m,
      o = i * nCh;
    const c0 = t * nCh,
      hc = h[m];
    for (let c = 0; c < nCh; c++) out[o + c] = hc * buf[c0 + c];
    // Tap-outer, channel-inner: the channel loop streams through contiguous rows (symmetric taps paired).
    for (let k = 1; k <= m; k++) {
      const hk = h[m - k],
        lo = (t - k) * nCh,
        hi = (t + k) * nCh;
      for (let c = 0; c < nCh; c++) out[o + c] += hk * (buf[lo + c] + buf[hi + c]);
    }
  }
  return out;
}
