// The hand-made amplitude baseline that the labelled data's notes quote (shared/labeled/*/README.md, "Sanity check"):
// per (active subcarrier, receive antenna) the amplitude's standard deviation, mean |first difference| and 90th −
// 10th percentile over the recording, plus an 8-bin motion-energy profile; a ridge classifier (ridgeBaseline.ts) on
// them. It is computed from the recordings themselves, not from the dual-path features, so it is the reference the
// issue's numbers come from ("a ridge classifier on simple statistics reaches about 58 % on an unseen Fition user";
// WiAR: about 59 % within a volunteer, 9–19 % across), measured here on the same splits as the models.
// Why no time-mean amplitude among the statistics: the notes' recipe has none, and on WiAR the time-mean profile
// names the recording session (research/results/wiar-leakage.json).
import { amplitudeStreams } from '../dsp/amplitude';
import { activeSubcarriers } from './subcarriers';
import type { CsiRecording } from '../formats/types';

export const MOTION_PROFILE_BINS = 8;

function quantileSorted(s: Float64Array, q: number): number {
  const pos = q * (s.length - 1),
    lo = Math.floor(pos),
    hi = Math.min(s.length - 1, lo + 1);
  return s[lo] + (pos - lo) * (s[hi] - s[lo]);
}

/**
 * Statistics of one receiver's recording (tx 0): [std, mean |Δ|, p90 − p10] for each active subcarrier × antenna,
 * then the motion-energy profile: the per-packet mean |Δ amplitude| over all of them, averaged in 8 equal spans of
 * the recording and normalised to sum 1 (when in the recording the motion is, not how strong: the strength is in
 * the per-subcarrier statistics).
 */
export function amplitudeStatistics(rec: CsiRecording): Float64Array {
  const n = rec.nPackets,
    nSc = rec.nSubcarriers,
    nRx = rec.nRx,
    S = nRx * nSc;
  const amp = amplitudeStreams(rec); // T × (nRx·nSc), stream rx·nSc + sc
  const colMean = new Float64Array(nSc);
  for (let t = 0; t < n; t++) for (let j = 0; j < S; j++) colMean[j % nSc] += amp[t * S + j] / (n * nRx);
  const act = activeSubcarriers(colMean, rec.subcarrierIndices, rec.bandwidthMHz);
  const out = new Float64Array(3 * act.length * nRx + MOTION_PROFILE_BINS);
  const energy = new Float64Array(n);
  let k = 0;
  for (const sc of act) {
    for (let rx = 0; rx < nRx; rx++) {
      const x = new Float64Array(n);
      for (let t = 0; t < n; t++) x[t] = amp[t * S + rx * nSc + sc];
      let m = 0,
        d = 0;
      for (let t = 0; t < n; t++) m += x[t] / n;
      let v = 0;
      for (let t = 0; t < n; t++) v += (x[t] - m) ** 2 / n;
      for (let t = 1; t < n; t++) {
        const e = Math.abs(x[t] - x[t - 1]);
        d += e;
        energy[t] += e;
      }
      const s = x.slice().sort();
      out[k++] = Math.sqrt(v);
      out[k++] = n > 1 ? d / (n - 1) : 0;
      out[k++] = quantileSorted(s, 0.9) - quantileSorted(s, 0.1);
    }
  }
  let total = 0;
  const prof = new Float64Array(MOTION_PROFILE_BINS);
  for (let b = 0; b < MOTION_PROFILE_BINS; b++) {
    const a = Math.max(1, Math.floor((b * n) / MOTION_PROFILE_BINS)),
      e = Math.max(a + 1, Math.floor(((b + 1) * n) / MOTION_PROFILE_BINS));
    let s = 0;
    for (let t = a; t < Math.min(e, n); t++) s += energy[t];
    prof[b] = s / Math.max(1, Math.min(e, n) - a);
    total += prof[b];
  }
  for (let b = 0; b < MOTION_PROFILE_BINS; b++) out[k++] = total > 0 ? prof[b] / total : 1 / MOTION_PROFILE_BINS;
  return out;
}
