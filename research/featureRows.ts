// Row tables (baselines/classifier.ts Row: one feature vector per recording with its label and domain factors) for
// the studies that score the pooled-DFS baselines next to the GLSDA models: the simulator calibration's pooled DFS
// (src/core/features/pooledDfs.ts, through the FeatureCache so it runs once per recording) and today's dual-path
// Doppler block (buildTensorDataset) flattened to the same receivers × bands × frames layout, so the same softmax
// regression and the same CNN (pooledDfsCnn.ts cnnClassifier) read either.
import * as fs from 'fs';
import type { DatasetSample } from '../src/core/data/sample';
import type { FeatureCache } from '../src/core/features/cache';
import { dopplerFeatures, FEATURE_BANDS, FEATURE_FRAMES, FEATURE_LENGTH } from '../src/core/features/pooledDfs';
import type { TensorDataset } from '../src/core/features/tensorDataset';
import type { Row } from '../src/core/model/baselines/classifier';

/** Bump when pooledDfs.ts's computation changes (part of the cache key). */
export const POOLED_DFS_VERSION = 'pooled-dfs@1';

const num = (v: string | undefined) => (v === undefined || v === '' ? NaN : Number(v));

export function rowOf(x: Float32Array, label: number, domain: DatasetSample['domain']): Row {
  return { x, label, user: num(domain.user), room: num(domain.room), location: num(domain.location), orientation: num(domain.orientation) };
}

/** Pooled DFS (6 links × 20 bands × 12 frames, receiver-major, frames fastest) of each sample, cached. */
export async function pooledDfsRows(
  samples: readonly DatasetSample[],
  cache?: FeatureCache,
  onProgress?: (done: number, total: number) => void,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [i, s] of samples.entries()) {
    const key = cache
      ? await cache.key(s.files, { path: 'pooledDfs', bands: FEATURE_BANDS, frames: FEATURE_FRAMES }, POOLED_DFS_VERSION)
      : '';
    let x = cache ? (await cache.get(key))?.data : undefined;
    if (!x || x.length !== FEATURE_LENGTH) {
      x = dopplerFeatures(s.files.map(f => new Uint8Array(fs.readFileSync(f)))).values;
      if (cache) await cache.put(key, { shape: [FEATURE_LENGTH], data: x });
    }
    rows.push(rowOf(x, s.label, s.domain));
    onProgress?.(i + 1, samples.length);
  }
  return rows;
}

/**
 * A TensorDataset's Doppler block [N, T, R·Q] (time-major, receivers then bands within a step) as rows in the
 * pooled-DFS layout (receiver-major, then band, frames fastest), which cnnClassifier expects.
 */
export function dopplerRows(d: TensorDataset): Row[] {
  const T = d.T,
    F = d.F2,
    Q = d.dopplerBands ?? F,
    R = F / Q;
  return d.ids.map((_, n) => {
    const x = new Float32Array(T * F);
    for (let t = 0; t < T; t++)
      for (let r = 0; r < R; r++) for (let k = 0; k < Q; k++) x[(r * Q + k) * T + t] = d.doppler[(n * T + t) * F + r * Q + k];
    return rowOf(x, d.labels[n], d.domains[n]);
  });
}
