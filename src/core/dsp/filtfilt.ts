// Zero-phase forward-backward filtering of second-order sections, following scipy.signal.sosfiltfilt:
// odd extension of `padlen` samples at both ends, steady-state initial conditions (sosfilt_zi) scaled by the
// first sample of each pass, filter forward, filter backward, trim.
//
// Why zero-phase: a causal Butterworth delays each Doppler component by its group delay (tens of ms for Widar's
// 2 Hz high-pass), which would shift gesture onsets between frequency bins. Widar3.0's MATLAB code uses the
// causal `filter`; we follow the issue and use forward-backward (squared magnitude, zero phase) instead.
//
// Layout: `x` is time-major with `nCh` interleaved channels, x[t·nCh + c]. A complex series stored as
// interleaved [re, im] is therefore just nCh = 2·streams real channels; no copies are needed.
// State is Float64 and the inner loop runs over channels (contiguous memory, no allocation per sample).
import type { Biquad } from './butterworth';

/** scipy's default pad length for sosfiltfilt: 3 · (2·sections + 1 − trailing zero taps). */
export function defaultPadlen(sections: Biquad[]): number {
  let ntaps = 2 * sections.length + 1;
  const zb = sections.filter(s => s.b2 === 0).length;
  const za = sections.filter(s => s.a2 === 0).length;
  ntaps -= Math.min(zb, za);
  return 3 * ntaps;
}

/**
 * Steady-state section states for a unit-step input (scipy.signal.sosfilt_zi), layout [z1, z2] per section.
 * Each section's state is scaled by the DC gain of the sections before it.
 */
export function sosfiltZi(sections: Biquad[]): Float64Array {
  const zi = new Float64Array(2 * sections.length);
  let scale = 1;
  for (let s = 0; s < sections.length; s++) {
    const { b0, b1, b2, a1, a2 } = sections[s];
    const g = (b0 + b1 + b2) / (1 + a1 + a2);
    zi[2 * s] = scale * (g - b0);
    zi[2 * s + 1] = scale * (b2 - a2 * g);
    scale *= g;
  }
  return zi;
}

/**
 * Filter in place, one section after another over the whole buffer (transposed direct form II, as sosfilt).
 * `init[c]` scales the steady-state states for channel c (null: zero initial state). `reverse` runs time
 * backwards, which is how the backward pass avoids copying a reversed buffer.
 */
function sosfiltInPlace(
  sections: Biquad[],
  buf: Float64Array,
  nTime: number,
  nCh: number,
  init: Float64Array | null,
  reverse: boolean,
): void {
  const ns = sections.length;
  const zi = sosfiltZi(sections);
  const co = new Float64Array(5 * ns);
  sections.forEach((q, i) => {
    co[5 * i] = q.b0;
    co[5 * i + 1] = q.b1;
    co[5 * i + 2] = q.b2;
    co[5 * i + 3] = q.a1;
    co[5 * i + 4] = q.a2;
  });
  // States [z1, z2] per (section, channel), channel-contiguous within a section.
  const z = new Float64Array(2 * ns * nCh);
  for (let q = 0; q < ns; q++) {
    for (let c = 0; c < nCh; c++) {
      const k = init ? init[c] : 0;
      z[2 * (q * nCh + c)] = zi[2 * q] * k;
      z[2 * (q * nCh + c) + 1] = zi[2 * q + 1] * k;
    }
  }
  // Time outermost, all sections per time step: each sample is loaded and stored once instead of once per
  // section (the buffer is ~2 MB for a Widar link and does not stay in cache across section passes).
  const step = reverse ? -nCh : nCh;
  let off = reverse ? (nTime - 1) * nCh : 0;
  for (let t = 0; t < nTime; t++, off += step) {
    for (let q = 0; q < ns; q++) {
      const b0 = co[5 * q],
        b1 = co[5 * q + 1],
        b2 = co[5 * q + 2],
        a1 = co[5 * q + 3],
        a2 = co[5 * q + 4];
      const zo = 2 * q * nCh;
      for (let c = 0; c < nCh; c++) {
        const xv = buf[off + c],
          i = zo + 2 * c;
        const y = b0 * xv + z[i];
        z[i] = b1 * xv - a1 * y + z[i + 1];
        z[i + 1] = b2 * xv - a2 * y;
        buf[off + c] = y;
      }
    }
  }
}

/** Causal filtering with zero initial state (scipy.signal.sosfilt without zi); returns a new buffer. */
export function sosfilt(sections: Biquad[], x: ArrayLike<number>, nTime: number, nCh = 1): Float64Array {
  const buf = Float64Array.from(x as ArrayLike<number>);
  sosfiltInPlace(sections, buf, nTime, nCh, null, false);
  return buf;
}

export interface FiltfiltOptions {
  /** Samples of odd extension at each end; default scipy's 3·(2·sections+1−…). Clamped to nTime − 1. */
  padlen?: number;
}

/**
 * Zero-phase filtering (scipy.signal.sosfiltfilt, padtype 'odd'). Returns a new Float64Array (a view into the
 * padded work buffer) with the same layout as `x`. Signals shorter than scipy's pad length are padded with nTime − 1
 * samples instead of raising.
 */
export function sosfiltfilt(sections: Biquad[], x: ArrayLike<number>, nTime: number, nCh = 1, opts: FiltfiltOptions = {}): Float64Array {
  if (x.length < nTime * nCh) throw new RangeError(`filtfilt: buffer holds ${x.length} values, expected ${nTime}×${nCh}`);
  if (nTime === 0) return new Float64Array(0);
  const pad = Math.max(0, Math.min(opts.padlen ?? defaultPadlen(sections), nTime - 1));
  const n = nTime + 2 * pad;
  const buf = new Float64Array(n * nCh);
  // Odd extension: x[-i] = 2·x[0] − x[i] and x[N−1+i] = 2·x[N−1] − x[N−1−i]; it keeps the value and slope
  // continuous at the ends, so the steady-state start does not ring.
  for (let i = 0; i < pad; i++) {
    const dst = (pad - 1 - i) * nCh,
      src = (i + 1) * nCh;
    for (let c = 0; c < nCh; c++) buf[dst + c] = 2 * x[c] - x[src + c];
  }
  for (let i = 0; i < nTime * nCh; i++) buf[pad * nCh + i] = x[i];
  const last = (nTime - 1) * nCh;
  for (let i = 0; i < pad; i++) {
    const dst = (pad + nTime + i) * nCh,
      src = (nTime - 2 - i) * nCh;
    for (let c = 0; c < nCh; c++) buf[dst + c] = 2 * x[last + c] - x[src + c];
  }
  const init = new Float64Array(nCh);
  for (let c = 0; c < nCh; c++) init[c] = buf[c];
  sosfiltInPlace(sections, buf, n, nCh, init, false);
  const end = (n - 1) * nCh;
  for (let c = 0; c < nCh; c++) init[c] = buf[end + c];
  sosfiltInPlace(sections, buf, n, nCh, init, true);
  // A view, not a copy: the padding stays allocated with it but the copy (and its GC) is avoided.
  return pad === 0 ? buf : buf.subarray(pad * nCh, (pad + nTime) * nCh);
}
