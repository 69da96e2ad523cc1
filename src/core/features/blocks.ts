// The block type both paths are built of, and the pooling and slicing every path shares.
import { packetRateHz } from '../dsp/streams';
import type { CsiRecording } from '../formats/types';

export interface PathBlock {
  width: number;
  data: Float32Array;
}

/** A time window in seconds from a receiver's first packet. */
export interface Segment {
  startS: number;
  endS: number;
}

/** Average rows of an [n, W] row-major block into T rows (nearest row when n < T). */
export function poolRows(src: ArrayLike<number>, n: number, W: number, T: number): Float32Array {
  const out = new Float32Array(T * W);
  for (let t = 0; t < T; t++) {
    let a = Math.floor((t * n) / T),
      b = Math.floor(((t + 1) * n) / T);
    if (b <= a) {
      a = Math.min(n - 1, Math.floor(((t + 0.5) * n) / T));
      b = a + 1;
    }
    for (let r = a; r < b; r++) for (let w = 0; w < W; w++) out[t * W + w] += src[r * W + w];
    for (let w = 0; w < W; w++) out[t * W + w] /= b - a;
  }
  return out;
}

export function concatWidths(blocks: PathBlock[], T: number): PathBlock {
  const W = blocks.reduce((a, b) => a + b.width, 0),
    out = new Float32Array(T * W);
  let off = 0;
  for (const b of blocks) {
    for (let t = 0; t < T; t++) out.set(b.data.subarray(t * b.width, (t + 1) * b.width), t * W + off);
    off += b.width;
  }
  return { width: W, data: out };
}

export function standardise(a: Float32Array): Float32Array {
  let m = 0;
  for (const x of a) m += x;
  m /= a.length || 1;
  let v = 0;
  for (const x of a) v += (x - m) ** 2;
  const s = Math.sqrt(v / (a.length || 1)) || 1;
  return a.map(x => (x - m) / s);
}

/** Packets [a, b) of a uniformly resampled recording that fall in `seg` (the whole recording without one). */
export function packetRange(rec: CsiRecording, seg: Segment | undefined): [number, number] {
  const n = rec.nPackets;
  if (!seg) return [0, n];
  const fs = packetRateHz(rec);
  const a = Math.max(0, Math.min(n - 1, Math.floor(seg.startS * fs))),
    b = Math.max(a + 1, Math.min(n, Math.ceil(seg.endS * fs)));
  return [a, b];
}

/** Columns [c0, c1) whose centre times fall in `seg` (all columns without one; at least one). */
export function columnRange(timesS: ArrayLike<number>, nCols: number, seg: Segment | undefined): [number, number] {
  if (!seg) return [0, nCols];
  let c0 = 0,
    c1 = nCols;
  while (c0 < nCols - 1 && timesS[c0] < seg.startS) c0++;
  while (c1 > c0 + 1 && timesS[c1 - 1] > seg.endS) c1--;
  return [c0, c1];
}
