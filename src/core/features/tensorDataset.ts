// Samples as dense Float32 blocks, the form the training loop slices batches from: phase [N,T,F1], Doppler
// [N,T,F2], integer labels and per-sample domain factors (for per-domain accuracy). Building it from recordings is
// buildDataset.ts; tests build it directly.
import type { DomainFactors } from '../data/sample';
import type { Tensor2D, Tensor3D, Tf } from '../engine/tfTypes';
import { FeatureError } from './errors';

/** One batch of dual-path inputs: CSI-ratio phase [B, T, F1] and Doppler spectrogram [B, T, F2] (same T). */
export interface DualInput {
  phase: Tensor3D;
  doppler: Tensor3D;
}

export interface TensorDataset {
  T: number;
  F1: number;
  F2: number;
  /** Bands per receiver in the Doppler path (F2 = receivers × bands); absent: one receiver. */
  dopplerBands?: number;
  /**
   * Where zero Doppler lies on each receiver's band axis, in (fractional) bands: (Q − 1)/2 for the signed DFS of
   * multi-antenna receivers, −0.5 for the one-antenna amplitude spectrogram (0 Hz at the lower edge of band 0);
   * absent: unknown (receivers of both kinds). Needed by Doppler-scale augmentation (augment.ts).
   */
  dopplerZeroBand?: number;
  /** How many of path A's F1 columns (the first ones) are amplitude rather than ratio phase; absent: unknown. */
  amplitudeColumns?: number;
  classes: string[];
  ids: string[];
  phase: Float32Array;
  doppler: Float32Array;
  labels: Int32Array;
  domains: DomainFactors[];
}

export function datasetSize(d: TensorDataset): number {
  return d.labels.length;
}

/** Throws a typed error naming the first inconsistency (sizes, labels out of range, non-finite values). */
export function checkDataset(d: TensorDataset): void {
  const N = d.labels.length;
  if (d.phase.length !== N * d.T * d.F1)
    throw new FeatureError('bad-data', `phase has ${d.phase.length} values, expected N·T·F1 = ${N}·${d.T}·${d.F1}`);
  if (d.doppler.length !== N * d.T * d.F2)
    throw new FeatureError('bad-data', `doppler has ${d.doppler.length} values, expected N·T·F2 = ${N}·${d.T}·${d.F2}`);
  if (d.ids.length !== N || d.domains.length !== N) throw new FeatureError('bad-data', `ids/domains must have ${N} entries`);
  for (let i = 0; i < N; i++) {
    if (!(d.labels[i] >= 0 && d.labels[i] < d.classes.length))
      throw new FeatureError('bad-data', `label ${d.labels[i]} of sample ${d.ids[i]} outside 0..${d.classes.length - 1}`);
  }
  for (const [name, a] of [
    ['phase', d.phase],
    ['doppler', d.doppler],
  ] as const) {
    for (let i = 0; i < a.length; i++)
      if (!Number.isFinite(a[i]))
        throw new FeatureError('bad-data', `${name} value ${i} of sample ${d.ids[Math.floor(i / (a.length / N))]} is not finite`);
  }
}

/** Batch tensors for sample indices `idx` (caller disposes, normally inside tf.tidy). */
export function batchInput(tf: Tf, d: TensorDataset, idx: ArrayLike<number>): DualInput {
  const B = idx.length,
    p = d.T * d.F1,
    q = d.T * d.F2;
  const ph = new Float32Array(B * p),
    dp = new Float32Array(B * q);
  for (let b = 0; b < B; b++) {
    ph.set(d.phase.subarray(idx[b] * p, idx[b] * p + p), b * p);
    dp.set(d.doppler.subarray(idx[b] * q, idx[b] * q + q), b * q);
  }
  return { phase: tf.tensor3d(ph, [B, d.T, d.F1]), doppler: tf.tensor3d(dp, [B, d.T, d.F2]) };
}

/** Rows of a row-major [N, W] table for `idx`, as a [B, W] tensor. */
export function gatherRows(tf: Tf, table: Float32Array, width: number, idx: ArrayLike<number>): Tensor2D {
  const out = new Float32Array(idx.length * width);
  for (let b = 0; b < idx.length; b++) out.set(table.subarray(idx[b] * width, idx[b] * width + width), b * width);
  return tf.tensor2d(out, [idx.length, width]);
}

export function oneHotRows(tf: Tf, labels: Int32Array, C: number, idx: ArrayLike<number>): Tensor2D {
  const out = new Float32Array(idx.length * C);
  for (let b = 0; b < idx.length; b++) out[b * C + labels[idx[b]]] = 1;
  return tf.tensor2d(out, [idx.length, C]);
}
