// A compact Doppler representation of one simulated sample for the calibration baseline: the project's Widar DFS
// pipeline (src/core/dsp/doppler.ts, WIDAR_TRAINING) on each of the six receivers' `.dat` bytes as read by the
// project's reader, cropped to the motion, resampled to a fixed number of frames (Widar's BVP likewise normalises
// time to a standard length) and pooled into coarse frequency bands. The same reader → DSP path runs on real data.
import { readRecording } from '../../formats/index';
import { doppler, WIDAR_TRAINING } from '../../dsp/doppler';

export const FEATURE_FRAMES = 12;
export const FEATURE_BANDS = 20; // ±60 Hz in 6 Hz bands
export const FEATURE_LENGTH = 6 * FEATURE_BANDS * FEATURE_FRAMES;

export interface DopplerFeatures {
  /** receivers × bands × frames, each receiver's block scaled to sum 1. */
  values: Float32Array;
  /** Seconds of detected motion (the "active segment"), for the duration-only baseline. */
  activeS: number;
  /** Recording length in seconds. */
  recordingS: number;
}

/** Features from the six receiver files of one sample. */
export function dopplerFeatures(files: Uint8Array[]): DopplerFeatures {
  const specs = files.map((bytes, r) => doppler(readRecording(bytes, { file: `r${r + 1}` }), { ...WIDAR_TRAINING, fs: 1000, normalize: true }));
  const nCols = Math.min(...specs.map(s => s.nCols));
  // Motion energy per column, summed over links: band |f| ≥ 5 Hz of the unnormalised power, relative per link.
  const energy = new Float64Array(nCols);
  for (const s of specs) {
    let tot = 0;
    const e = new Float64Array(nCols);
    for (let c = 0; c < nCols; c++) for (let k = 0; k < s.nBins; k++) if (Math.abs(s.freqsHz[k]) >= 5) e[c] += s.rawPower[c * s.nBins + k];
    for (let c = 0; c < nCols; c++) tot += e[c];
    for (let c = 0; c < nCols; c++) energy[c] += tot > 0 ? e[c] / tot : 0;
  }
  // Active segment: columns above 25% of the (10-column smoothed) peak energy.
  const sm = new Float64Array(nCols);
  for (let c = 0; c < nCols; c++) { let s = 0, n = 0; for (let j = Math.max(0, c - 5); j <= Math.min(nCols - 1, c + 5); j++) { s += energy[j]; n++; } sm[c] = s / n; }
  const peak = Math.max(...sm);
  let c0 = 0, c1 = nCols - 1;
  while (c0 < nCols - 1 && sm[c0] < 0.25 * peak) c0++;
  while (c1 > c0 && sm[c1] < 0.25 * peak) c1--;
  if (c1 - c0 < FEATURE_FRAMES) { const mid = (c0 + c1) >> 1; c0 = Math.max(0, mid - FEATURE_FRAMES); c1 = Math.min(nCols - 1, mid + FEATURE_FRAMES); }
  const values = new Float32Array(FEATURE_LENGTH);
  specs.forEach((s, r) => {
    const base = r * FEATURE_BANDS * FEATURE_FRAMES;
    let tot = 0;
    for (let c = c0; c <= c1; c++) {
      const frame = Math.min(FEATURE_FRAMES - 1, Math.floor((c - c0) / (c1 - c0 + 1) * FEATURE_FRAMES));
      for (let k = 0; k < s.nBins; k++) {
        const band = Math.min(FEATURE_BANDS - 1, Math.max(0, Math.floor((s.freqsHz[k] + 60) / 120 * FEATURE_BANDS)));
        const v = s.power[c * s.nBins + k];
        values[base + band * FEATURE_FRAMES + frame] += v; tot += v;
      }
    }
    if (tot > 0) for (let i = 0; i < FEATURE_BANDS * FEATURE_FRAMES; i++) values[base + i] /= tot;
  });
  const dt = nCols > 1 ? specs[0].timesS[1] - specs[0].timesS[0] : 0.01;
  return { values, activeS: (c1 - c0 + 1) * dt, recordingS: Math.max(...files.map((_, r) => specs[r].timesS[specs[r].nCols - 1] ?? 0)) };
}
