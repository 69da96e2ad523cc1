// CSI amplitude streams and a running median filter (amplitude denoising options next to hampel.ts).
import type { CsiRecording } from '../formats/types';
import { DspError } from './errors';
import { medianOf } from './hampel';
import { csiStreams, type StreamOptions } from './streams';

/** |H| as a T × (nRx·nSc) row-major matrix (streams grouped by antenna, as csiStreams). */
export function amplitudeStreams(rec: CsiRecording, opts: StreamOptions = {}): Float64Array {
  const s = csiStreams(rec, opts);
  const out = new Float64Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(s[2 * i] * s[2 * i] + s[2 * i + 1] * s[2 * i + 1]);
  return out;
}

/**
 * Running median of odd length `size` over each column of a T × S matrix. At the ends the window is truncated
 * (MATLAB medfilt1 'truncate'), not zero-padded like scipy.signal.medfilt: zero padding would drag the first
 * and last samples of a positive amplitude series towards 0.
 */
export function medianFilter(x: ArrayLike<number>, nTime: number, nStreams = 1, size = 5): Float64Array {
  if (!(Number.isInteger(size) && size >= 1 && size % 2 === 1))
    throw new DspError('bad-argument', `median filter size ${size} must be a positive odd integer`);
  const h = (size - 1) >> 1;
  const out = new Float64Array(nTime * nStreams);
  const win = new Float64Array(size);
  for (let s = 0; s < nStreams; s++) {
    for (let t = 0; t < nTime; t++) {
      const lo = Math.max(0, t - h),
        hi = Math.min(nTime - 1, t + h);
      for (let j = lo; j <= hi; j++) win[j - lo] = x[j * nStreams + s];
      out[t * nStreams + s] = medianOf(win, hi - lo + 1);
    }
  }
  return out;
}
