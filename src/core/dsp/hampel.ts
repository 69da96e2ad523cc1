// Hampel filter: replace samples further than nSigma robust standard deviations (1.4826·MAD) from the median of
// their window by that median. Why Hampel for CSI amplitude: the Intel 5300's AGC and occasional corrupt
// packets produce isolated spikes that a median filter would also remove, but a median filter also flattens
// genuine peaks; Hampel leaves every sample that is not an outlier untouched.
import { DspError } from './errors';

export interface HampelResult {
  y: Float64Array;
  /** Indices that were replaced. */
  outliers: number[];
}

/** Hampel filter of a strided series (window 2·halfWindow+1, truncated at the ends). */
export function hampel(x: ArrayLike<number>, halfWindow = 3, nSigma = 3, n = x.length, stride = 1, offset = 0): HampelResult {
  if (!(Number.isInteger(halfWindow) && halfWindow >= 1))
    throw new DspError('bad-argument', `Hampel half-window ${halfWindow} must be an integer ≥ 1`);
  const y = new Float64Array(n);
  const win = new Float64Array(2 * halfWindow + 1),
    dev = new Float64Array(2 * halfWindow + 1);
  const outliers: number[] = [];
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - halfWindow),
      hi = Math.min(n - 1, i + halfWindow),
      m = hi - lo + 1;
    for (let j = 0; j < m; j++) win[j] = x[offset + (lo + j) * stride];
    const med = medianOf(win, m);
    for (let j = 0; j < m; j++) dev[j] = Math.abs(win[j] - med);
    const mad = 1.4826 * medianOf(dev, m);
    const v = x[offset + i * stride];
    if (Math.abs(v - med) > nSigma * mad) {
      y[i] = med;
      outliers.push(i);
    } else y[i] = v;
  }
  return { y, outliers };
}

/** Median of the first m entries (sorts that prefix in place; windows are small). */
export function medianOf(a: Float64Array, m: number): number {
  const v = a.subarray(0, m).sort();
  return m % 2 ? v[(m - 1) >> 1] : (v[m / 2 - 1] + v[m / 2]) / 2;
}
