// Path A's amplitude part: |H| of each receive antenna (tx 0) in G contiguous groups of the active subcarriers, so
// every recording of a dataset has the same width whatever its bin count; holes bridged, spikes removed, pooled to
// T steps. Why amplitude joins the phase path: docs/decisions.md, "amplitude in path A".
import { hampel } from '../dsp/hampel';
import type { CsiRecording } from '../formats/types';
import { packetRange, poolRows, type PathBlock, type Segment } from './blocks';
import type { FeatureParams } from './params';
import { activeSubcarriers } from './subcarriers';

/**
 * Rows of an [n, W] amplitude block that are exactly zero in every column (no measured packet is) replaced by the
 * straight line between the rows on either side (the nearest row at the ends). Such rows are packets with no CSI on
 * the active subcarriers: the zeros the resampler writes inside a hole longer than MAX_BRIDGED_GAP_S
 * (dsp/resample.ts), and a narrower frame whose band misses the active subcarriers (the main-link read drops other
 * bandwidths; a recording handed in directly may still hold them). Why bridge:
 * a drop to nothing and back is what every amplitude feature reads as the strongest motion of the recording (Fition
 * has 2.3 s holes in three of its 72 captures); a straight line says "no evidence of motion". Returns how many
 * rows were bridged.
 */
export function bridgeZeroRows(g: Float64Array, n: number, W: number): number {
  const zero = (t: number) => {
    for (let w = 0; w < W; w++) if (g[t * W + w] !== 0) return false;
    return true;
  };
  let bridged = 0;
  for (let t = 0; t < n; t++) {
    if (!zero(t)) continue;
    let e = t + 1;
    while (e < n && zero(e)) e++;
    const a = t - 1,
      b = e; // last measured row before, first after (either may be out of range)
    if (a < 0 && b >= n) return 0; // nothing measured at all: leave as is
    for (let r = t; r < e; r++) {
      const u = a < 0 ? 1 : b >= n ? 0 : (r - a) / (b - a);
      for (let w = 0; w < W; w++) g[r * W + w] = (a < 0 ? 0 : (1 - u) * g[a * W + w]) + (b >= n ? 0 : u * g[b * W + w]);
    }
    bridged += e - t;
    t = e - 1;
  }
  return bridged;
}

/**
 * Amplitude of every receive antenna (tx 0) in G groups of its active subcarriers, one row per packet: [n, nRx·G],
 * each series despiked when asked.
 */
export function amplitudeGroupSeries(rec: CsiRecording, G: number, despike: FeatureParams['despike']): { g: Float64Array; W: number } {
  const n = rec.nPackets,
    nSc = rec.nSubcarriers,
    nRx = rec.nRx,
    nTx = rec.nTx,
    csi = rec.csi;
  const amp = new Float64Array(n * nRx * nSc),
    mean = new Float64Array(nSc);
  for (let t = 0; t < n; t++) {
    for (let sc = 0; sc < nSc; sc++) {
      for (let rx = 0; rx < nRx; rx++) {
        const i = 2 * ((t * nSc + sc) * nRx * nTx + rx * nTx);
        const a = Math.hypot(csi[i], csi[i + 1]);
        amp[(t * nRx + rx) * nSc + sc] = a;
        mean[sc] += a;
      }
    }
  }
  const act = activeSubcarriers(mean, rec.subcarrierIndices, rec.bandwidthMHz);
  const W = nRx * G,
    g = new Float64Array(n * W);
  for (let k = 0; k < G; k++) {
    // Groups cover the active list in order; with fewer active subcarriers than groups some repeat (nearest).
    let a = Math.floor((k * act.length) / G),
      b = Math.floor(((k + 1) * act.length) / G);
    if (b <= a) {
      a = Math.min(act.length - 1, Math.floor(((k + 0.5) * act.length) / G));
      b = a + 1;
    }
    for (let t = 0; t < n; t++) {
      for (let rx = 0; rx < nRx; rx++) {
        let s = 0;
        for (let j = a; j < b; j++) s += amp[(t * nRx + rx) * nSc + act[j]];
        g[t * W + rx * G + k] = s / (b - a);
      }
    }
  }
  bridgeZeroRows(g, n, W);
  if (despike === 'hampel')
    for (let w = 0; w < W; w++) {
      const y = hampel(g, 3, 3, n, W, w).y;
      for (let t = 0; t < n; t++) g[t * W + w] = y[t];
    }
  return { g, W };
}

/** Amplitude of every receive antenna (tx 0) in G groups of its active subcarriers: [T, nRx·G] pooled to T steps. */
export function amplitudeBlock(
  rec: CsiRecording,
  G: number,
  T: number,
  seg?: Segment,
  despike: FeatureParams['despike'] = 'none',
  mean: FeatureParams['amplitudeMean'] = 'keep',
): PathBlock {
  const { g, W } = amplitudeGroupSeries(rec, G, despike);
  const [a0, b0] = packetRange(rec, seg);
  const span = g.subarray(a0 * W, b0 * W),
    n = b0 - a0;
  if (mean === 'remove') {
    for (let w = 0; w < W; w++) {
      let m = 0;
      for (let t = 0; t < n; t++) m += span[t * W + w];
      m /= n;
      for (let t = 0; t < n; t++) span[t * W + w] -= m;
    }
  }
  return { width: W, data: poolRows(span, n, W, T) };
}
