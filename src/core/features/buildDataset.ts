// Recordings → the dense TensorDataset a model trains on: every sample's features (sampleFeatures.ts), one width for
// the whole dataset, a sample that fails named and skipped (or rethrown), the column layout recorded for the models.
import type { DatasetIndex, DatasetSample } from '../data/sample';
import type { CsiRecording } from '../formats/types';
import type { FeatureCache } from './cache';
import { FeatureError } from './errors';
import { amplitudeGroupsFor, checkFeatureParams, resolveInputs, type FeatureParams } from './params';
import { readSampleRecordings, sampleFeatures } from './sampleFeatures';
import type { TensorDataset } from './tensorDataset';

export interface BuildOptions {
  cache?: FeatureCache;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Called for a sample whose features failed; the sample is skipped (default: rethrow). */
  onSampleError?: (s: DatasetSample, e: Error) => void;
}

/** TensorDataset for `samples` (in order). Widths must agree across samples; a mismatch names the sample. */
export async function buildTensorDataset(
  index: Pick<DatasetIndex, 'classes'>,
  samples: readonly DatasetSample[],
  pIn: FeatureParams,
  o: BuildOptions = {},
): Promise<TensorDataset> {
  let p = pIn;
  checkFeatureParams(p);
  // 'auto' inputs: one decision for the dataset (widths must agree), from the first sample whose files read. Its
  // recordings are kept for its features, so no file is read twice.
  let firstRead: { sample: DatasetSample; recs: CsiRecording[] } | undefined;
  if (p.inputs === 'auto') {
    for (const s of samples) {
      try {
        const recs = await readSampleRecordings(s);
        p = { ...p, inputs: resolveInputs(recs, p) };
        firstRead = { sample: s, recs };
        break;
      } catch {
        /* that sample is reported below, through the normal path */
      }
    }
  }
  const kept: DatasetSample[] = [],
    ph: Float32Array[] = [],
    dp: Float32Array[] = [];
  let F1 = -1,
    F2 = -1,
    nRx: number[] = [];
  const skip = (s: DatasetSample, err: Error) => {
    if (!o.onSampleError) throw err;
    o.onSampleError(s, err);
  };
  for (let i = 0; i < samples.length; i++) {
    if (o.signal?.aborted) throw new FeatureError('cancelled', `feature extraction cancelled after ${i} of ${samples.length} samples`);
    const s = samples[i];
    let r;
    try {
      r = await sampleFeatures(s, p, o.cache, firstRead?.sample === s ? firstRead.recs : undefined);
    } catch (e) {
      skip(s, e as Error);
      continue;
    }
    if (firstRead?.sample === s) firstRead = undefined; // let its recordings be collected
    const bad = [r.phase.data, r.doppler.data].findIndex(a => a.some(x => !Number.isFinite(x)));
    if (bad >= 0) {
      skip(s, new FeatureError('bad-data', `${bad ? 'Doppler' : 'phase'} features contain non-finite values`, s.files[0]));
      continue;
    }
    if (F1 < 0) {
      F1 = r.phase.width;
      F2 = r.doppler.width;
      nRx = r.nRx;
    }
    if (r.phase.width !== F1 || r.doppler.width !== F2) {
      skip(
        s,
        new FeatureError(
          'bad-data',
          `feature widths ${r.phase.width}/${r.doppler.width} differ from the first sample's ${F1}/${F2} (different receiver or antenna count?)`,
          s.files[0],
        ),
      );
      continue;
    }
    kept.push(s);
    ph.push(r.phase.data);
    dp.push(r.doppler.data);
    o.onProgress?.(i + 1, samples.length);
  }
  const T = p.timeSteps,
    N = kept.length;
  let amplitudeColumns = 0,
    dopplerZeroBand: number | undefined;
  if (N) {
    // From the first kept sample's antenna counts: which of path A's columns are amplitude (the rest is ratio phase),
    // and which Doppler path its receivers have (signed DFS with ≥ 2 antennas, else the 0…fs/2 amplitude
    // spectrogram; dopplerPath.ts).
    if (p.inputs !== 'doppler') amplitudeColumns = nRx.reduce((a, n) => a + n * amplitudeGroupsFor(n, p), 0);
    if (F2 > 0) dopplerZeroBand = nRx.every(n => n >= 2) ? (p.dopplerBands - 1) / 2 : nRx.every(n => n === 1) ? -0.5 : undefined;
  }
  const phase = new Float32Array(N * T * Math.max(F1, 0)),
    dop = new Float32Array(N * T * Math.max(F2, 0));
  ph.forEach((a, i) => phase.set(a, i * T * F1));
  dp.forEach((a, i) => dop.set(a, i * T * F2));
  return {
    T,
    F1: Math.max(F1, 0),
    F2: Math.max(F2, 0),
    dopplerBands: p.dopplerBands,
    dopplerZeroBand,
    amplitudeColumns,
    classes: [...index.classes],
    ids: kept.map(s => s.id),
    phase,
    doppler: dop,
    labels: Int32Array.from(kept, s => s.label),
    domains: kept.map(s => ({ ...s.domain })),
  };
}
