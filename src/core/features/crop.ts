// Each receiver's recording on a uniform packet grid with its DFS, and the motion segment both paths are cropped to
// (why crop: docs/decisions.md, "motion crop").
import { WIDAR_TRAINING, doppler, type DopplerSpectrum } from '../dsp/doppler';
import { resampleUniform } from '../dsp/resample';
import { amplitudeMotionProfile, dominantMotionSpan, dominantSpan } from '../dsp/segment';
import { packetRateHz } from '../dsp/streams';
import type { CsiRecording } from '../formats/types';
import { amplitudeGroupSeries } from './amplitudePath';
import type { Segment } from './blocks';
import { FeatureError } from './errors';
import { dopplerGrade, type FeatureParams } from './params';

/**
 * Lost-packet holes up to this long are bridged (coherently) before the DFS; the resampler's default (5 packet
 * intervals) leaves longer holes as zero CSI, and a run of zeros inside a recording is a step the DFS turns into
 * broadband "motion" (docs/decisions.md, "bridged gaps"). 0.25 s is the DFS window: a longer hole cannot be bridged
 * by anything the spectrogram would trust.
 */
export const MAX_BRIDGED_GAP_S = 0.25;

/** A receiver's recording resampled to its median packet rate, with its Widar DFS when it has ≥ 2 antennas. */
export interface PreparedReceiver {
  rec: CsiRecording;
  dfs?: DopplerSpectrum;
}

export function prepareReceiver(recIn: CsiRecording): PreparedReceiver {
  if (recIn.nPackets < 8) throw new FeatureError('bad-data', `only ${recIn.nPackets} packets; need at least 8 for features`, recIn.file);
  // Coherent interpolation: a plain blend of two packets' CSI mixes their random phase offsets, which the ratio phase
  // and the DFS's conjugate product would turn into noise (dsp/resample.ts, ResampleOptions).
  const rec = resampleUniform(recIn, { interpolation: 'coherent', maxGapS: MAX_BRIDGED_GAP_S }).recording;
  return { rec, dfs: rec.nRx >= 2 ? doppler(rec, { ...WIDAR_TRAINING, fs: packetRateHz(rec) }) : undefined };
}

/**
 * The motion segment of one sample, from its receivers' DFS (dsp/segment.ts dominantMotionSpan, |f| ≥ 5 Hz), widened
 * to at least `minCols` columns. Why crop (a documented choice): recordings hold quiet lead-in and tail of varying
 * length, and each DFS column is normalised to sum 1, so a quiet column is as loud as a moving one; cropping to the
 * motion and resampling it to T steps removes when the gesture started and how long it lasted, as Widar3.0's BVP
 * time normalisation does. The rule is the pooled-DFS baseline's (pooledDfs.ts; measured: docs/decisions.md).
 * Returns undefined when there is no motion energy at all (the whole recording is then used).
 */
export function motionSegment(dfs: readonly DopplerSpectrum[], minCols: number): Segment | undefined {
  const span = dominantMotionSpan(dfs, { minHz: 5, minSpan: minCols - 1, halfWidth: Math.ceil(minCols / 2) });
  if (!span) return undefined;
  const [c0, c1] = span,
    t = dfs[0].timesS,
    hop = dfs[0].nCols > 1 ? t[1] - t[0] : 0;
  return { startS: Math.max(0, t[c0] - hop / 2), endS: t[c1] + hop / 2 };
}

/**
 * The motion segment of one sample from its receivers' amplitudes (dsp/segment.ts amplitudeMotionProfile over 30
 * subcarrier groups per antenna, ±0.25 s windows, then dominantSpan's rule), for receivers with no DFS, widened to at
 * least `minCols` packets of the first receiver. Each receiver's profile is read on the first receiver's packet grid.
 */
export function amplitudeMotionSegment(
  recs: readonly CsiRecording[],
  minCols: number,
  despike: FeatureParams['despike'],
): Segment | undefined {
  if (!recs.length) return undefined;
  const fs0 = packetRateHz(recs[0]),
    n0 = recs[0].nPackets;
  const profiles = recs.map(rec => {
    const fs = packetRateHz(rec),
      { g, W } = amplitudeGroupSeries(rec, 30, despike);
    const prof = amplitudeMotionProfile(g, rec.nPackets, W, Math.max(1, Math.round(0.25 * fs)));
    return Float64Array.from({ length: n0 }, (_, i) => prof[Math.min(rec.nPackets - 1, Math.round((i * fs) / fs0))]);
  });
  const span = dominantSpan(profiles, { minSpan: minCols - 1, halfWidth: Math.ceil(minCols / 2) });
  return span ? { startS: span[0] / fs0, endS: (span[1] + 1) / fs0 } : undefined;
}

/**
 * The segment `p.crop` asks for: from the DFS when every receiver has one, else from the amplitudes
 * (amplitudeMotionSegment). 'auto' crops only Doppler-grade recordings (see FeatureParams.crop).
 */
export function cropSegment(prepared: readonly PreparedReceiver[], p: FeatureParams): Segment | undefined {
  if (p.crop === 'none') return undefined;
  if (p.crop === 'auto' && !dopplerGrade(prepared.map(r => r.rec))) return undefined;
  if (prepared.every(r => r.dfs))
    return motionSegment(
      prepared.map(r => r.dfs!),
      p.timeSteps,
    );
  return amplitudeMotionSegment(
    prepared.map(r => r.rec),
    p.timeSteps,
    p.despike,
  );
}
