// One sample's features: each of its recordings (one per receiver) read once as its main link, both paths of every
// receiver computed, stacked along features in receiver order, and standardised per sample (absolute CSI scale
// differs across NICs and rooms and carries no gesture information). Results go through the content-addressed
// feature cache when one is given.
import type { DatasetSample } from '../data/sample';
import type { CsiRecording } from '../formats/types';
import { readMainLinkFile } from '../formats/mainLink';
import { amplitudeBlock } from './amplitudePath';
import { concatWidths, standardise, type PathBlock, type Segment } from './blocks';
import type { FeatureCache, FeatureTensor } from './cache';
import { cropSegment, prepareReceiver, type PreparedReceiver } from './crop';
import { dopplerPath } from './dopplerPath';
import { amplitudeGroupsFor, FEATURE_CODE_VERSION, resolveInputs, type FeatureParams } from './params';
import { phasePath } from './phasePath';

/** One receiver's path-A parts (amplitude, ratio phase), path B, before normalisation. */
export interface ReceiverFeatures {
  amplitude: PathBlock;
  phase: PathBlock;
  doppler: PathBlock;
}

/** Both paths of one receiver's recording (resampled to its median packet rate first), within `seg` if given. */
export function receiverFeatures(recIn: CsiRecording | PreparedReceiver, p: FeatureParams, seg?: Segment): ReceiverFeatures {
  const { rec, dfs: d } = 'nPackets' in recIn ? prepareReceiver(recIn) : recIn;
  const empty = { width: 0, data: new Float32Array(0) };
  if (p.inputs === 'doppler') return { amplitude: empty, phase: empty, doppler: dopplerPath(rec, p, d, seg) };
  const groups = amplitudeGroupsFor(rec.nRx, p);
  const amplitude = groups > 0 ? amplitudeBlock(rec, groups, p.timeSteps, seg, p.despike, p.amplitudeMean) : empty;
  return { amplitude, phase: phasePath(rec, p, d?.referenceAntenna, seg), doppler: dopplerPath(rec, p, d, seg) };
}

/** A sample's recordings, one per receiver file, each read as its main link (formats/mainLink.ts). */
export async function readSampleRecordings(s: DatasetSample): Promise<CsiRecording[]> {
  const recs: CsiRecording[] = [];
  for (const f of s.files) recs.push(await readMainLinkFile(f));
  return recs;
}

/** A sample's two paths, and the antenna count of each receiver (what the dataset's column layout depends on). */
export interface SampleFeatures {
  phase: PathBlock;
  doppler: PathBlock;
  nRx: number[];
}

/** Features of already-read recordings of one sample (all receivers stacked). */
export function recordingFeatures(recs: readonly CsiRecording[], p: FeatureParams): SampleFeatures {
  const prepared = recs.map(prepareReceiver);
  const seg = cropSegment(prepared, p);
  const q = {
    ...p,
    inputs: resolveInputs(
      prepared.map(r => r.rec),
      p,
    ),
  };
  const per = prepared.map(r => receiverFeatures(r, q, seg));
  const T = p.timeSteps,
    norm = (b: PathBlock) => (p.normalize === 'sample' && b.width ? { width: b.width, data: standardise(b.data) } : b);
  const amp = norm(
      concatWidths(
        per.map(r => r.amplitude),
        T,
      ),
    ),
    ratio = norm(
      concatWidths(
        per.map(r => r.phase),
        T,
      ),
    );
  return {
    phase: concatWidths([amp, ratio], T),
    doppler: norm(
      concatWidths(
        per.map(r => r.doppler),
        T,
      ),
    ),
    nRx: recs.map(r => r.nRx),
  };
}

/**
 * Features of one sample, via the cache when given. `recs`, when the caller has already read the sample's
 * recordings, saves reading them again on a cache miss.
 */
export async function sampleFeatures(
  s: DatasetSample,
  p: FeatureParams,
  cache?: FeatureCache,
  recs?: readonly CsiRecording[],
): Promise<SampleFeatures> {
  const compute = async () => recordingFeatures(recs ?? (await readSampleRecordings(s)), p);
  if (!cache) return compute();
  const kp = await cache.key(s.files, { ...p, path: 'phase' }, FEATURE_CODE_VERSION);
  const kd = await cache.key(s.files, { ...p, path: 'doppler' }, FEATURE_CODE_VERSION);
  const kr = await cache.key(s.files, { ...p, path: 'receivers' }, FEATURE_CODE_VERSION);
  const [hp, hd, hr] = [await cache.get(kp), await cache.get(kd), await cache.get(kr)];
  if (hp && hd) {
    // A cache written before the receivers' antenna counts were stored has no entry for them: read them then.
    const nRx = hr ? Array.from(hr.data) : (await readSampleRecordings(s)).map(r => r.nRx);
    return { phase: { width: hp.shape[1], data: hp.data }, doppler: { width: hd.shape[1], data: hd.data }, nRx };
  }
  const r = await compute();
  const asT = (b: PathBlock): FeatureTensor => ({ shape: [p.timeSteps, b.width], data: b.data });
  await cache.put(kp, asT(r.phase));
  await cache.put(kd, asT(r.doppler));
  await cache.put(kr, { shape: [1, r.nRx.length], data: Float32Array.from(r.nRx) });
  return r;
}
