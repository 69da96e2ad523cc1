// A compact Doppler representation of one simulated sample for the calibration baseline: the project's Widar DFS
// pipeline (src/core/dsp/doppler.ts, WIDAR_TRAINING) on each of the six receivers' `.dat` bytes as read by the
// project's reader, cropped to the motion, resampled to a fixed number of frames (Widar's BVP likewise normalises
// time to a standard length) and pooled into coarse frequency bands. The same reader → DSP path runs on real data.
import { readRecording } from '../formats/index';
import { doppler, WIDAR_TRAINING } from '../dsp/doppler';
import { dominantMotionSpan } from '../dsp/segment';

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
  const specs = files.map((bytes, r) =>
    doppler(readRecording(bytes, { file: `r${r + 1}` }), { ...WIDAR_TRAINING, fs: 1000, normalize: true }),
  );
  const nCols = Math.min(...specs.map(s => s.nCols));
  // Active segment (dsp/segment.ts): links' motion energy at |f| ≥ 5 Hz, each relative to its own total, summed;
  // columns above 25 % of the smoothed peak, at least mid ± FEATURE_FRAMES.
  const [c0, c1] = dominantMotionSpan(specs, { minHz: 5, minSpan: FEATURE_FRAMES, halfWidth: FEATURE_FRAMES }) ?? [0, nCols - 1];
  const values = new Float32Array(FEATURE_LENGTH);
  specs.forEach((s, r) => {
    const base = r * FEATURE_BANDS * FEATURE_FRAMES;
    let tot = 0;
    for (let c = c0; c <= c1; c++) {
      const frame = Math.min(FEATURE_FRAMES - 1, Math.floor(((c - c0) / (c1 - c0 + 1)) * FEATURE_FRAMES));
      for (let k = 0; k < s.nBins; k++) {
        const band = Math.min(FEATURE_BANDS - 1, Math.max(0, Math.floor(((s.freqsHz[k] + 60) / 120) * FEATURE_BANDS)));
        const v = s.power[c * s.nBins + k];
        values[base + band * FEATURE_FRAMES + frame] += v;
        tot += v;
      }
    }
    if (tot > 0) for (let i = 0; i < FEATURE_BANDS * FEATURE_FRAMES; i++) values[base + i] /= tot;
  });
  const dt = nCols > 1 ? specs[0].timesS[1] - specs[0].timesS[0] : 0.01;
  return { values, activeS: (c1 - c0 + 1) * dt, recordingS: Math.max(...files.map((_, r) => specs[r].timesS[specs[r].nCols - 1] ?? 0)) };
}
