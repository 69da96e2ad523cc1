// Training-time augmentation of feature blocks [T, F] (both paths of a sample get the same draw):
//   time warp: output step t reads the input at  c + (t − c)·s + δ·T  (c = (T−1)/2), linear interpolation, edges held;
//              s ~ LogUniform[1/(1+stretch), 1+stretch] (the activity done faster or slower, or a motion crop that cut
//              a little more or less), δ ~ Uniform[−shift, shift] (it started earlier or later);
//   channel gain: every feature column multiplied by exp(σ·N(0,1)), σ = gain (a subcarrier faded differently in
//              another room or body position; the Doppler bands' energies split differently between receivers).
// Why: across users and rooms the same activity changes speed, timing and which subcarriers see it; a model trained on
// two or three people sees few of those variations. Draws are a pure function of the seed and the batch's sample
// indices (as mixPlan's), so a resumed run repeats them exactly. Written here rather than taken from a library: tfjs
// has no time-series augmentation, and the whole thing is a gather with weights.
import { seededRandom } from '../data/seededRandom';
import { ModelError } from './errors';
import type { DualInput, Tf } from './net';
import type { TensorDataset } from './tensorDataset';

export interface AugmentOptions {
  /** Largest relative speed change (0.2: between 1/1.2× and 1.2×); 0: none. */
  stretch: number;
  /** Largest shift as a fraction of the window (0.1: ±10 % of T); 0: none. */
  shift: number;
  /** Standard deviation of each column's log gain; 0: none. */
  gain: number;
}

export const NO_AUGMENT: AugmentOptions = { stretch: 0, shift: 0, gain: 0 };

export function augmentActive(o: AugmentOptions | undefined): o is AugmentOptions {
  return !!o && (o.stretch > 0 || o.shift > 0 || o.gain > 0);
}

export function checkAugment(o: AugmentOptions): void {
  for (const k of ['stretch', 'shift', 'gain'] as const) {
    if (!(Number.isFinite(o[k]) && o[k] >= 0)) throw new ModelError('bad-config', `augment.${k} must be a number ≥ 0, got ${o[k]}`);
  }
  if (o.shift > 0.5) throw new ModelError('bad-config', `augment.shift is a fraction of the window and must be ≤ 0.5, got ${o.shift}`);
}

/** One sample's draw: time scale, shift in steps, and a seed for its column gains. */
export interface WarpDraw { scale: number; shiftSteps: number; gainSeed: string }

export function augmentPlan(idx: ArrayLike<number>, o: AugmentOptions, seed: number, T: number): WarpDraw[] {
  const batch = Array.from(idx).join(',');
  const rnd = seededRandom(`${seed}/augment/${batch}`);
  const ls = Math.log(1 + o.stretch);
  return Array.from(idx, (i, b) => ({
    scale: Math.exp((2 * rnd() - 1) * ls),
    shiftSteps: (2 * rnd() - 1) * o.shift * T,
    gainSeed: `${seed}/gain/${batch}/${b}/${i}`,
  }));
}

/** Normal draws by Box–Muller from a seeded uniform generator. */
function normals(n: number, seed: string): Float64Array {
  const rnd = seededRandom(seed), out = new Float64Array(n);
  for (let k = 0; k < n; k += 2) {
    const u = Math.max(rnd(), 1e-12), v = rnd(), r = Math.sqrt(-2 * Math.log(u));
    out[k] = r * Math.cos(2 * Math.PI * v);
    if (k + 1 < n) out[k + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/**
 * Writes the warped copy of `src` (one sample, row-major [T, F]) into `dst` at `offset`. `gainKey` separates the two
 * paths' gain draws.
 */
export function warpInto(src: Float32Array, T: number, F: number, d: WarpDraw, gain: number, gainKey: string, dst: Float32Array, offset: number): void {
  if (F === 0) return;
  const c = (T - 1) / 2;
  const g = new Float64Array(F).fill(1);
  if (gain > 0) { const z = normals(F, `${d.gainSeed}/${gainKey}`); for (let f = 0; f < F; f++) g[f] = Math.exp(gain * z[f]); }
  for (let t = 0; t < T; t++) {
    const pos = Math.min(T - 1, Math.max(0, c + (t - c) * d.scale + d.shiftSteps));
    const t0 = Math.floor(pos), t1 = Math.min(T - 1, t0 + 1), w = pos - t0;
    const r0 = t0 * F, r1 = t1 * F, o = offset + t * F;
    for (let f = 0; f < F; f++) dst[o + f] = ((1 - w) * src[r0 + f] + w * src[r1 + f]) * g[f];
  }
}

/** Batch tensors for `idx` with each sample augmented (the augmented form of tensorDataset.batchInput). */
export function augmentedBatchInput(tf: Tf, d: TensorDataset, idx: ArrayLike<number>, o: AugmentOptions, seed: number): DualInput {
  const B = idx.length, p = d.T * d.F1, q = d.T * d.F2;
  const ph = new Float32Array(B * p), dp = new Float32Array(B * q);
  const plan = augmentPlan(idx, o, seed, d.T);
  for (let b = 0; b < B; b++) {
    warpInto(d.phase.subarray(idx[b] * p, idx[b] * p + p), d.T, d.F1, plan[b], o.gain, 'phase', ph, b * p);
    warpInto(d.doppler.subarray(idx[b] * q, idx[b] * q + q), d.T, d.F2, plan[b], o.gain, 'doppler', dp, b * q);
  }
  return { phase: tf.tensor3d(ph, [B, d.T, d.F1]), doppler: tf.tensor3d(dp, [B, d.T, d.F2]) };
}
