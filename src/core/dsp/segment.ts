// Motion energy from a Doppler spectrogram, and motion segmentation (gesture start/end) with hysteresis.
//
// Motion energy is scale-free: the unnormalised Doppler power at |f| ≥ minHz (the high-pass leaves the static
// channel near zero) divided by the link's mean conjugate-product power, so links with different gains, AGC or
// distance compare. Segmentation smooths the per-column energy, estimates the noise floor as a low percentile,
// and switches on above max(onFactor·floor, onRelative·peak) and off below max(offFactor·floor,
// offRelative·peak) (hysteresis: a dip inside a gesture does not split it); segments shorter than minDurationS are
// dropped and those closer than mergeGapS are merged.
import type { DopplerSpectrum } from './doppler';
import { DspError } from './errors';

/** Per-column motion energy: Σ_{|f| ≥ minHz} rawPower / conjPower. */
export function motionProfile(s: DopplerSpectrum, minHz = 2): Float64Array {
  const out = new Float64Array(s.nCols);
  const scale = s.conjPower > 0 ? 1 / s.conjPower : 0;
  for (let c = 0; c < s.nCols; c++) {
    let e = 0;
    for (let k = 0; k < s.nBins; k++) if (Math.abs(s.freqsHz[k]) >= minHz) e += s.rawPower[c * s.nBins + k];
    out[c] = e * scale;
  }
  return out;
}

/** Mean motion energy of a spectrogram (one number per link; average over links for a sample). */
export function motionEnergy(s: DopplerSpectrum, minHz = 2): number {
  const p = motionProfile(s, minHz);
  let m = 0;
  for (const v of p) m += v;
  return p.length ? m / p.length : 0;
}

export interface SegmentOptions {
  minHz?: number;
  /** Moving-average length in seconds (default 0.2). */
  smoothS?: number;
  /** Noise floor percentile of the smoothed profile (default 20). */
  floorPercentile?: number;
  /** Switch on above onFactor·floor (default 4) and off below offFactor·floor (default 2)… */
  onFactor?: number;
  offFactor?: number;
  /**
   * …and never below these fractions of the recording's peak (defaults 0.01 and 0.005, i.e. −20/−23 dB).
   * Why: at high SNR the noise floor is 60 dB under a gesture, and the filter/window skirts of the gesture
   * (±0.5 s of zero-phase high-pass response) would otherwise be counted as motion.
   */
  onRelative?: number;
  offRelative?: number;
  minDurationS?: number;
  mergeGapS?: number;
  /**
   * Seconds at each end where no segment may start (default 0.5). The zero-phase high-pass (2 Hz) starts from
   * an odd extension of the signal; with amplitude noise the extension's level differs from the signal's and
   * the filter rings for ~0.3 s, which would read as motion.
   */
  ignoreEdgesS?: number;
}

export interface MotionSegment {
  startS: number;
  endS: number;
  startCol: number;
  /** Exclusive. */
  endCol: number;
  peak: number;
}

/** Segments of motion in one spectrogram, or across links when several are given (energies summed). */
export function segmentMotion(spec: DopplerSpectrum | DopplerSpectrum[], opts: SegmentOptions = {}): MotionSegment[] {
  const specs = Array.isArray(spec) ? spec : [spec];
  if (specs.length === 0) return [];
  const n = specs[0].nCols;
  if (specs.some(s => s.nCols !== n))
    throw new DspError('bad-argument', 'all links must have the same number of columns to segment together');
  const times = specs[0].timesS;
  const prof = new Float64Array(n);
  for (const s of specs)
    motionProfile(s, opts.minHz ?? 2).forEach((v, i) => {
      prof[i] += v;
    });
  if (n < 2) return [];
  const dt = (times[n - 1] - times[0]) / (n - 1);
  const half = Math.max(0, Math.round((opts.smoothS ?? 0.2) / dt / 2));
  const sm = new Float64Array(n);
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i] + prof[i];
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - half),
      hi = Math.min(n - 1, i + half);
    sm[i] = (cum[hi + 1] - cum[lo]) / (hi - lo + 1);
  }
  const edge = opts.ignoreEdgesS ?? 0.5;
  const interior = sm.filter((_, i) => times[i] - times[0] >= edge && times[n - 1] - times[i] >= edge);
  const sorted = (interior.length ? interior : Float64Array.from(sm)).sort();
  const nS = sorted.length;
  const floor = Math.max(sorted[Math.min(nS - 1, Math.floor(((opts.floorPercentile ?? 20) / 100) * nS))], 1e-300);
  const peakAll = sorted[nS - 1];
  for (let i = 0; i < n; i++) {
    if (times[i] - times[0] < edge || times[n - 1] - times[i] < edge) sm[i] = Math.min(sm[i], floor);
  }
  const on = Math.max((opts.onFactor ?? 4) * floor, (opts.onRelative ?? 0.01) * peakAll);
  const off = Math.max((opts.offFactor ?? 2) * floor, (opts.offRelative ?? 0.005) * peakAll);
  const raw: MotionSegment[] = [];
  let start = -1,
    peak = 0;
  for (let i = 0; i <= n; i++) {
    const v = i < n ? sm[i] : 0;
    if (start < 0) {
      if (i < n && v > on) {
        start = i;
        peak = v;
      }
    } else if (v < off || i === n) {
      raw.push({ startS: times[start], endS: times[i - 1], startCol: start, endCol: i, peak });
      start = -1;
    } else if (v > peak) peak = v;
  }
  const merged: MotionSegment[] = [];
  for (const s of raw) {
    const prev = merged[merged.length - 1];
    if (prev && s.startS - prev.endS <= (opts.mergeGapS ?? 0.3)) {
      prev.endS = s.endS;
      prev.endCol = s.endCol;
      prev.peak = Math.max(prev.peak, s.peak);
    } else merged.push({ ...s });
  }
  return merged.filter(s => s.endS - s.startS >= (opts.minDurationS ?? 0.3));
}

export interface MotionSpanOptions {
  /** Doppler magnitude from which power counts as motion (Hz). */
  minHz: number;
  /** A span of fewer than minSpan + 1 columns is widened… */
  minSpan: number;
  /** …to its middle column ± halfWidth (clipped to the recording). */
  halfWidth: number;
}

/**
 * The one span of columns that holds a sample's motion, over all its links at once: each link's motion profile as a
 * fraction of that link's total (so every link votes equally whatever its gain), summed, smoothed over ±5 columns;
 * the span is where the sum is ≥ 25 % of its peak. Unlike segmentMotion (several gestures, hysteresis, noise floor)
 * this is the crop of one pre-segmented sample: the simulator calibration's features and the model's dual-path
 * features both use it. Columns index the shortest link; undefined when no link has motion energy.
 */
export function dominantMotionSpan(specs: readonly DopplerSpectrum[], o: MotionSpanOptions): [number, number] | undefined {
  if (!specs.length) return undefined;
  return dominantSpan(
    specs.map(s => motionProfile(s, o.minHz)),
    o,
  );
}

/**
 * dominantMotionSpan's rule on any per-column motion profiles (one per link, same column grid; the shortest sets the
 * length): each profile as a fraction of its total, summed, smoothed over ±5 columns, the span ≥ 25 % of the peak,
 * widened to minSpan + 1 columns. Undefined when no profile has energy.
 */
export function dominantSpan(
  profiles: readonly ArrayLike<number>[],
  o: Pick<MotionSpanOptions, 'minSpan' | 'halfWidth'>,
): [number, number] | undefined {
  if (!profiles.length) return undefined;
  const nCols = Math.min(...profiles.map(p => p.length));
  if (nCols < 1) return undefined;
  const energy = new Float64Array(nCols);
  for (const e of profiles) {
    let tot = 0;
    for (let c = 0; c < nCols; c++) tot += e[c];
    if (tot > 0) for (let c = 0; c < nCols; c++) energy[c] += e[c] / tot;
  }
  const sm = new Float64Array(nCols);
  let peak = 0;
  for (let c = 0; c < nCols; c++) {
    let s = 0,
      n = 0;
    for (let j = Math.max(0, c - 5); j <= Math.min(nCols - 1, c + 5); j++) {
      s += energy[j];
      n++;
    }
    sm[c] = s / n;
    peak = Math.max(peak, sm[c]);
  }
  if (!(peak > 0)) return undefined;
  let c0 = 0,
    c1 = nCols - 1;
  while (c0 < nCols - 1 && sm[c0] < 0.25 * peak) c0++;
  while (c1 > c0 && sm[c1] < 0.25 * peak) c1--;
  if (c1 - c0 < o.minSpan) {
    const mid = (c0 + c1) >> 1;
    c0 = Math.max(0, mid - o.halfWidth);
    c1 = Math.min(nCols - 1, mid + o.halfWidth);
  }
  return [c0, c1];
}

/**
 * Motion profile of amplitude series, for receivers with no DFS (one antenna: no antenna pair for a conjugate
 * product): per packet, Σ over series of the variance in a centred window of `halfWindow` packets each side, each
 * series divided by its squared mean (so a strong subcarrier does not outvote a weak one and the profile is
 * scale-free). A moving body changes the multipath sum and so every subcarrier's amplitude within a fraction of a
 * second; a still room leaves only noise, whose variance is flat in time. `x` is [n, W] row-major.
 */
export function amplitudeMotionProfile(x: ArrayLike<number>, n: number, W: number, halfWindow: number): Float64Array {
  if (!(Number.isInteger(halfWindow) && halfWindow >= 1))
    throw new DspError('bad-argument', `halfWindow must be an integer ≥ 1, got ${halfWindow}`);
  const out = new Float64Array(n);
  const c1 = new Float64Array(n + 1),
    c2 = new Float64Array(n + 1);
  for (let w = 0; w < W; w++) {
    let m = 0;
    for (let t = 0; t < n; t++) m += x[t * W + w];
    m /= n || 1;
    const scale = m !== 0 ? 1 / (m * m) : 0;
    for (let t = 0; t < n; t++) {
      const v = x[t * W + w] - m;
      c1[t + 1] = c1[t] + v;
      c2[t + 1] = c2[t] + v * v;
    }
    for (let t = 0; t < n; t++) {
      const a = Math.max(0, t - halfWindow),
        b = Math.min(n, t + halfWindow + 1),
        k = b - a;
      const mu = (c1[b] - c1[a]) / k;
      out[t] += Math.max(0, (c2[b] - c2[a]) / k - mu * mu) * scale;
    }
  }
  return out;
}
