// Phase unwrapping and linear phase sanitisation.
//
// The raw Intel 5300 phase is the channel phase plus a per-packet random offset (CFO, initial phase) and a
// per-packet slope across subcarriers (sampling-frequency offset, packet-detection delay) [see
// docs/csi-simulator.md §1.3]. Sanitisation (as in SpotFi / Sen et al.) unwraps the phase across subcarriers
// and removes the least-squares line φ ≈ a·k + b over the *real* OFDM subcarrier indices k (for the Intel
// 5300's 20 MHz grouping −28, −26, …, −2, −1, 1, …, 28 the spacing is not uniform, so using 0..29 would bend
// the fit). What remains is invariant to any per-packet offset and slope.
import type { CsiRecording } from '../formats/types';
import { DspError } from './errors';

/** numpy.unwrap on a strided view: adds multiples of 2π so successive samples differ by at most π. */
export function unwrapInPlace(x: Float64Array | Float32Array, n: number, stride = 1, offset = 0): void {
  let correction = 0;
  let prev = x[offset];
  for (let i = 1; i < n; i++) {
    const idx = offset + i * stride;
    const raw = x[idx];
    const d = raw - prev;
    // numpy: ddmod = mod(d + π, 2π) − π, with +π kept for d > 0 at the boundary.
    let dm = ((d + Math.PI) % (2 * Math.PI) + 2 * Math.PI) % (2 * Math.PI) - Math.PI;
    if (dm === -Math.PI && d > 0) dm = Math.PI;
    if (Math.abs(d) >= Math.PI) correction += dm - d;
    prev = raw;
    x[idx] = raw + correction;
  }
}

/** Unwrap each column of a T × S row-major matrix along time. */
export function unwrapTime(phase: Float64Array, nTime: number, nStreams: number): void {
  for (let s = 0; s < nStreams; s++) unwrapInPlace(phase, nTime, nStreams, s);
}

/** Unwrap each row of a T × S row-major matrix across streams (subcarriers). */
export function unwrapSubcarriers(phase: Float64Array, nTime: number, nStreams: number): void {
  for (let t = 0; t < nTime; t++) unwrapInPlace(phase, nStreams, 1, t * nStreams);
}

/**
 * Remove, per row, the least-squares line a·k + b over subcarrier indices `k` (phase already unwrapped across
 * subcarriers). In place.
 */
export function removeLinearPhase(phase: Float64Array, nTime: number, k: ArrayLike<number>): void {
  const S = k.length;
  let km = 0;
  for (let i = 0; i < S; i++) km += k[i];
  km /= S;
  let skk = 0;
  for (let i = 0; i < S; i++) skk += (k[i] - km) ** 2;
  for (let t = 0; t < nTime; t++) {
    const o = t * S;
    let pm = 0;
    for (let i = 0; i < S; i++) pm += phase[o + i];
    pm /= S;
    let skp = 0;
    for (let i = 0; i < S; i++) skp += (k[i] - km) * (phase[o + i] - pm);
    const a = skk > 0 ? skp / skk : 0;
    for (let i = 0; i < S; i++) phase[o + i] -= pm + a * (k[i] - km);
  }
}

export interface SanitizeOptions {
  rx?: number;
  tx?: number;
  /** Unwrap the sanitised phase along time as well (default true). */
  unwrapTime?: boolean;
}

/** Sanitised phase of one rx/tx pair: T × nSubcarriers (row-major), slope and offset removed per packet. */
export function sanitizedPhase(rec: CsiRecording, opts: SanitizeOptions = {}): Float64Array {
  const rx = opts.rx ?? 0, tx = opts.tx ?? 0;
  if (rx < 0 || rx >= rec.nRx || tx < 0 || tx >= rec.nTx) {
    throw new DspError('bad-argument', `antenna rx ${rx} / tx ${tx} outside ${rec.nRx}×${rec.nTx}`, rec.file);
  }
  const T = rec.nPackets, S = rec.nSubcarriers;
  const ph = new Float64Array(T * S);
  for (let t = 0; t < T; t++) {
    for (let sc = 0; sc < S; sc++) {
      const i = 2 * (((t * S + sc) * rec.nRx + rx) * rec.nTx + tx);
      ph[t * S + sc] = Math.atan2(rec.csi[i + 1], rec.csi[i]);
    }
  }
  unwrapSubcarriers(ph, T, S);
  removeLinearPhase(ph, T, rec.subcarrierIndices);
  if (opts.unwrapTime ?? true) unwrapTime(ph, T, S);
  return ph;
}
