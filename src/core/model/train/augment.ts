// Training-time augmentation of feature blocks [T, F] (both paths of a sample get the same draw):
//   time warp: output step t reads the input at  c + (t − c)·s + δ·T  (c = (T−1)/2), linear interpolation, edges held;
//              s ~ LogUniform[1/(1+stretch), 1+stretch] (the activity done faster or slower, or a motion crop that cut
//              a little more or less), δ ~ Uniform[−shift, shift] (it started earlier or later);
//   channel gain: every feature column multiplied by exp(σ·N(0,1)), σ = gain (a subcarrier faded differently in
//              another room or body position; the Doppler bands' energies split differently between receivers);
//   Doppler scale: each receiver's Doppler bands scaled by a ~ LogUniform[1/(1+doppler), 1+doppler] about zero
//              Doppler: output band q reads band z + (q − z)/a, z the band of zero Doppler
//              (TensorDataset.dopplerZeroBand). A motion done a times faster has every path-length rate, so every
//              Doppler shift f = −(1/λ)·dL/dt, a times larger, and takes 1/a of the time; where the features are
//              cropped to the detected motion (the default at ≥ 250 packets/s) the crop already undoes the time
//              part, so the Doppler scale alone is that motion; without a crop, stretch covers the time part (their
//              draws are independent, so together they span every (duration, Doppler) scaling, e.g. a larger
//              stroke at the same tempo). Measured (bench glsda-augment --doppler 0.2, CE with mixup, over the
//              plain augmentation): simulator −0.8 pt over 4 splits × 3 seeds (ahead on 6 of 12), WiAR Doppler
//              inputs across volunteers 0.0 (2 of 6): no gain; coupled with a time warp by a as well, the first
//              design, −3.4 on the simulator (ahead on 1 of 7 split-seeds before it was stopped). Off by default.
// Why: across users and rooms the same activity changes speed, timing and which subcarriers see it; a model trained on
// two or three people sees few of those variations. Draws are a pure function of the seed and the batch's sample
// indices (as mixPlan's), so a resumed run repeats them exactly. Written here rather than taken from a library: tfjs
// has no time-series augmentation, and the whole thing is a gather with weights.
import { seededRandom } from '../../data/seededRandom';
import { ModelError } from '../errors';
import type { DualInput, Tf } from '../nets/net';
import type { TensorDataset } from '../../features/tensorDataset';

export interface AugmentOptions {
  /** Largest relative speed change (0.2: between 1/1.2× and 1.2×); 0: none. */
  stretch: number;
  /** Largest shift as a fraction of the window (0.1: ±10 % of T); 0: none. */
  shift: number;
  /** Standard deviation of each column's log gain; 0: none. */
  gain: number;
  /** Largest relative scale of the Doppler axis about zero Doppler (0.2: 1/1.2× to 1.2×); absent or 0: none. */
  doppler?: number;
}

export const NO_AUGMENT: AugmentOptions = { stretch: 0, shift: 0, gain: 0 };

export function augmentActive(o: AugmentOptions | undefined): o is AugmentOptions {
  return !!o && (o.stretch > 0 || o.shift > 0 || o.gain > 0 || (o.doppler ?? 0) > 0);
}

export function checkAugment(o: AugmentOptions): void {
  for (const k of ['stretch', 'shift', 'gain', 'doppler'] as const) {
    const v = o[k] ?? 0;
    if (!(Number.isFinite(v) && v >= 0)) throw new ModelError('bad-config', `augment.${k} must be a number ≥ 0, got ${o[k]}`);
  }
  if (o.shift > 0.5) throw new ModelError('bad-config', `augment.shift is a fraction of the window and must be ≤ 0.5, got ${o.shift}`);
}

/** One sample's draw: time scale, shift in steps, a seed for its column gains, and the Doppler-axis scale (1: none). */
export interface WarpDraw {
  scale: number;
  shiftSteps: number;
  gainSeed: string;
  dopplerScale: number;
}

export function augmentPlan(idx: ArrayLike<number>, o: AugmentOptions, seed: number, T: number): WarpDraw[] {
  const batch = Array.from(idx).join(',');
  const rnd = seededRandom(`${seed}/augment/${batch}`);
  const ls = Math.log(1 + o.stretch),
    ld = Math.log(1 + (o.doppler ?? 0));
  // The Doppler scale has its own stream, so the stretch and shift draws are those of a run without it.
  const rndDoppler = seededRandom(`${seed}/augment-doppler/${batch}`);
  return Array.from(idx, (i, b) => ({
    scale: Math.exp((2 * rnd() - 1) * ls),
    shiftSteps: (2 * rnd() - 1) * o.shift * T,
    gainSeed: `${seed}/gain/${batch}/${b}/${i}`,
    dopplerScale: ld > 0 ? Math.exp((2 * rndDoppler() - 1) * ld) : 1,
  }));
}

/** Normal draws by Box–Muller from a seeded uniform generator. */
function normals(n: number, seed: string): Float64Array {
  const rnd = seededRandom(seed),
    out = new Float64Array(n);
  for (let k = 0; k < n; k += 2) {
    const u = Math.max(rnd(), 1e-12),
      v = rnd(),
      r = Math.sqrt(-2 * Math.log(u));
    out[k] = r * Math.cos(2 * Math.PI * v);
    if (k + 1 < n) out[k + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** The Doppler path's band axis: Q bands per receiver, zero Doppler at (fractional) band `zero`. */
export interface BandAxis {
  Q: number;
  zero: number;
}

/**
 * Writes the warped copy of `src` (one sample, row-major [T, F]) into `dst` at `offset`. `gainKey` separates the two
 * paths' gain draws. With `bands` (the Doppler path) and a Doppler scale ≠ 1, each receiver's Q bands are also
 * scaled about zero Doppler: output band q reads band zero + (q − zero)/scale (linear interpolation, edges held).
 */
export function warpInto(
  src: Float32Array,
  T: number,
  F: number,
  d: WarpDraw,
  gain: number,
  gainKey: string,
  dst: Float32Array,
  offset: number,
  bands?: BandAxis,
): void {
  if (F === 0) return;
  const c = (T - 1) / 2;
  const g = new Float64Array(F).fill(1);
  if (gain > 0) {
    const z = normals(F, `${d.gainSeed}/${gainKey}`);
    for (let f = 0; f < F; f++) g[f] = Math.exp(gain * z[f]);
  }
  // Column f reads columns from0[f] and from0[f] + 1 with weight wf[f] on the second (identity without a band warp).
  const from0 = new Int32Array(F),
    wf = new Float64Array(F);
  for (let f = 0; f < F; f++) from0[f] = f;
  if (bands && d.dopplerScale !== 1) {
    const { Q, zero } = bands;
    if (F % Q) throw new ModelError('bad-config', `Doppler path width ${F} is not a multiple of its ${Q} bands`);
    for (let f = 0; f < F; f++) {
      const r = f - (f % Q),
        pos = Math.min(Q - 1, Math.max(0, zero + ((f % Q) - zero) / d.dopplerScale));
      const q0 = Math.min(Q - 2, Math.floor(pos));
      from0[f] = r + Math.max(0, q0);
      wf[f] = Q > 1 ? pos - Math.max(0, q0) : 0;
    }
  }
  for (let t = 0; t < T; t++) {
    const pos = Math.min(T - 1, Math.max(0, c + (t - c) * d.scale + d.shiftSteps));
    const t0 = Math.floor(pos),
      t1 = Math.min(T - 1, t0 + 1),
      w = pos - t0;
    const r0 = t0 * F,
      r1 = t1 * F,
      o = offset + t * F;
    for (let f = 0; f < F; f++) {
      const a = from0[f],
        v = wf[f];
      const x0 = v ? (1 - v) * src[r0 + a] + v * src[r0 + a + 1] : src[r0 + a];
      const x1 = v ? (1 - v) * src[r1 + a] + v * src[r1 + a + 1] : src[r1 + a];
      dst[o + f] = ((1 - w) * x0 + w * x1) * g[f];
    }
  }
}

/** Batch tensors for `idx` with each sample augmented (the augmented form of tensorDataset.batchInput). */
export function augmentedBatchInput(tf: Tf, d: TensorDataset, idx: ArrayLike<number>, o: AugmentOptions, seed: number): DualInput {
  const B = idx.length,
    p = d.T * d.F1,
    q = d.T * d.F2;
  const ph = new Float32Array(B * p),
    dp = new Float32Array(B * q);
  const plan = augmentPlan(idx, o, seed, d.T);
  let bands: BandAxis | undefined;
  if ((o.doppler ?? 0) > 0 && d.F2 > 0) {
    if (d.dopplerZeroBand === undefined)
      throw new ModelError(
        'bad-config',
        "augment.doppler needs to know where zero Doppler lies on the Doppler path's band axis, and this dataset does not say (its receivers mix one and several antennas?)",
      );
    bands = { Q: d.dopplerBands ?? d.F2, zero: d.dopplerZeroBand };
  }
  for (let b = 0; b < B; b++) {
    warpInto(d.phase.subarray(idx[b] * p, idx[b] * p + p), d.T, d.F1, plan[b], o.gain, 'phase', ph, b * p);
    warpInto(d.doppler.subarray(idx[b] * q, idx[b] * q + q), d.T, d.F2, plan[b], o.gain, 'doppler', dp, b * q, bands);
  }
  return { phase: tf.tensor3d(ph, [B, d.T, d.F1]), doppler: tf.tensor3d(dp, [B, d.T, d.F2]) };
}
