// The feature parameters of the dual-path input, their defaults and their checks. Each default is a measured
// choice; the measurements are in docs/decisions.md (§ features).
import type { CsiRecording } from '../formats/types';
import { packetRateHz } from '../dsp/streams';
import { FeatureError } from './errors';

export interface FeatureParams {
  timeSteps: number;
  phaseSubcarrierStride: number;
  dopplerBands: number;
  /** Amplitude subcarrier groups per receive antenna in path A (0: ratio phase only; single-antenna recordings use 30). */
  amplitudeGroups: number;
  normalize: 'sample' | 'none';
  /**
   * 'motion': crop both paths to the detected motion segment (crop.ts: from the DFS, or from the amplitudes when a
   * receiver has one antenna and so no DFS); 'none': the whole recording; 'auto': 'motion' when every receiver has a
   * DFS at ≥ DOPPLER_ONLY_MIN_RATE_HZ packets/s, else 'none' (why: docs/decisions.md, "motion crop").
   */
  crop: 'auto' | 'motion' | 'none';
  /** Power-law exponent on the pooled Doppler bands (1: none; 0.5: square root, as Widar-style CNN baselines). */
  dopplerCompress: number;
  /** Which paths to compute: both, Doppler only (path A empty), or 'auto' (resolveInputs). */
  inputs: 'auto' | 'both' | 'doppler';
  /**
   * Amplitude outliers: 'hampel' replaces isolated spikes and dips of each amplitude series by their local median
   * (dsp/hampel.ts, ±3 packets, 3 robust σ) before pooling; 'none' keeps them. The DFS path is not touched: a Widar
   * DFS already drops static power and spreads a single bad packet over its window. Why on by default:
   * docs/decisions.md, "despike".
   */
  despike: 'hampel' | 'none';
  /**
   * The amplitude series' level: 'keep' it, or 'remove' each series' own mean over the sample's span before pooling,
   * so path A's amplitude carries only how the channel changes (the static multipath of a recording session
   * identifies the session, not the motion: docs/decisions.md, "amplitude mean").
   */
  amplitudeMean: 'keep' | 'remove';
  /**
   * Path B of a single-antenna receiver (no antenna pair, so no DFS): 'mean' is the spectrogram of the mean amplitude
   * over the active subcarriers, each column normalised to sum 1; 'pca' is CARM's (Wang et al., MobiCom 2015): the
   * 30 subcarrier-group amplitude series centred, the spectrograms of their first SINGLE_ANTENNA_PCS principal
   * components summed, the whole sample scaled so a column averages 1. Why PCA: the body moves each subcarrier's
   * amplitude with its own phase, so their plain mean partly cancels it.
   */
  amplitudeSpectrum: 'mean' | 'pca';
}

/** 'auto' inputs and crop treat a sample as Doppler-grade at this packet rate and above (docs/decisions.md). */
export const DOPPLER_ONLY_MIN_RATE_HZ = 250;

/** Principal components summed in the single-antenna 'pca' spectrum (CARM keeps a handful). */
export const SINGLE_ANTENNA_PCS = 5;

/** Every receiver has ≥ 2 antennas (so a DFS) at ≥ DOPPLER_ONLY_MIN_RATE_HZ: where 'auto' crops and drops path A. */
export function dopplerGrade(recs: readonly CsiRecording[]): boolean {
  return recs.every(r => r.nRx >= 2 && packetRateHz(r) >= DOPPLER_ONLY_MIN_RATE_HZ);
}

/**
 * 'auto' → Doppler only when the sample is Doppler-grade, else both paths: at Widar-like rates the DFS carries the
 * motion and path A carries the user and the room; at tens of packets per second the DFS is nearly empty and path A
 * is what a model learns from (docs/decisions.md, "inputs"). Decided once per dataset, from its first sample, so
 * every sample has the same widths.
 */
export function resolveInputs(recs: readonly CsiRecording[], p: Pick<FeatureParams, 'inputs'>): 'both' | 'doppler' {
  if (p.inputs !== 'auto') return p.inputs;
  return dopplerGrade(recs) ? 'doppler' : 'both';
}

/** Amplitude groups per antenna of a receiver: amplitudeGroups, or for 0 none (30 on a one-antenna receiver). */
export function amplitudeGroupsFor(nRx: number, p: Pick<FeatureParams, 'amplitudeGroups'>): number {
  return p.amplitudeGroups > 0 ? p.amplitudeGroups : nRx >= 2 ? 0 : 30;
}

// 32 steps: a step stays ≤ 0.1 s for 1–3 s gestures (docs/decisions.md, "time steps").
export const DEFAULT_FEATURES: FeatureParams = {
  timeSteps: 32,
  phaseSubcarrierStride: 6,
  dopplerBands: 30,
  amplitudeGroups: 30,
  normalize: 'sample',
  crop: 'auto',
  dopplerCompress: 0.5,
  inputs: 'auto',
  despike: 'hampel',
  amplitudeMean: 'keep',
  amplitudeSpectrum: 'mean',
};

/** Bump when the computation changes: it is part of every cache key. */
export const FEATURE_CODE_VERSION = 'dual-path@7';

const oneOf = (name: string, v: unknown, allowed: readonly string[]) => {
  if (!allowed.includes(v as string))
    throw new FeatureError(
      'bad-config',
      `${name} must be ${allowed
        .map(a => `'${a}'`)
        .join(', ')
        .replace(/, ([^,]*)$/, ' or $1')}, got ${JSON.stringify(v)}`,
    );
};

/** Throws a FeatureError naming the first parameter that cannot work. */
export function checkFeatureParams(p: FeatureParams): void {
  if (!(Number.isInteger(p.timeSteps) && p.timeSteps >= 2))
    throw new FeatureError('bad-config', `timeSteps must be an integer ≥ 2, got ${p.timeSteps}`);
  if (!(Number.isInteger(p.phaseSubcarrierStride) && p.phaseSubcarrierStride >= 1))
    throw new FeatureError('bad-config', `phaseSubcarrierStride must be an integer ≥ 1`);
  if (!(Number.isInteger(p.dopplerBands) && p.dopplerBands >= 1))
    throw new FeatureError('bad-config', `dopplerBands must be an integer ≥ 1`);
  oneOf('crop', p.crop, ['auto', 'motion', 'none']);
  oneOf('inputs', p.inputs, ['auto', 'both', 'doppler']);
  oneOf('amplitudeSpectrum', p.amplitudeSpectrum, ['mean', 'pca']);
  oneOf('amplitudeMean', p.amplitudeMean, ['keep', 'remove']);
  oneOf('despike', p.despike, ['hampel', 'none']);
  if (!(p.dopplerCompress > 0 && p.dopplerCompress <= 1))
    throw new FeatureError('bad-config', `dopplerCompress must be in (0, 1], got ${p.dopplerCompress}`);
  if (!(Number.isInteger(p.amplitudeGroups) && p.amplitudeGroups >= 0))
    throw new FeatureError('bad-config', `amplitudeGroups must be an integer ≥ 0, got ${p.amplitudeGroups}`);
}
