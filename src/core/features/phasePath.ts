// Path A's ratio-phase part: the phase of H_rx·conj(H_ref) (the CSI ratio's phase, which cancels the per-packet
// CFO/SFO common to all antennas of a NIC), every `phaseSubcarrierStride`-th subcarrier of each non-reference
// antenna, unwrapped along time, mean-removed over the sample's span, pooled to T steps.
import { unwrapInPlace } from '../dsp/phase';
import type { CsiRecording } from '../formats/types';
import { packetRange, poolRows, type PathBlock, type Segment } from './blocks';
import type { FeatureParams } from './params';

/**
 * Path A's ratio-phase part. `ref` is the reference antenna Widar's rule chose for the Doppler path of the same
 * recording, so both paths use one reference. The ratio phase is ∠(H_rx·conj(H_ref)) computed directly from the CSI
 * (tx 0). A single-antenna recording has no ratio: the part is empty (width 0) and path A is its amplitude alone.
 */
export function phasePath(rec: CsiRecording, p: FeatureParams, ref: number | undefined, seg?: Segment): PathBlock {
  const T = rec.nPackets,
    [a0, b0] = packetRange(rec, seg),
    nSc = rec.nSubcarriers,
    nRx = rec.nRx,
    nTx = rec.nTx;
  const keep: number[] = [];
  for (let sc = 0; sc < nSc; sc += p.phaseSubcarrierStride) keep.push(sc);
  if (nRx >= 2 && ref !== undefined) {
    const W = (nRx - 1) * keep.length;
    const ph = new Float64Array(T * W);
    const csi = rec.csi;
    let a = 0;
    for (let rx = 0; rx < nRx; rx++) {
      if (rx === ref) continue;
      keep.forEach((sc, k) => {
        const col = a * keep.length + k;
        for (let t = 0; t < T; t++) {
          const i = 2 * ((t * nSc + sc) * nRx * nTx + rx * nTx),
            r = 2 * ((t * nSc + sc) * nRx * nTx + ref * nTx);
          // H·conj(H_ref): re = hr·rr + hi·ri, im = hi·rr − hr·ri
          ph[t * W + col] = Math.atan2(csi[i + 1] * csi[r] - csi[i] * csi[r + 1], csi[i] * csi[r] + csi[i + 1] * csi[r + 1]);
        }
        unwrapInPlace(ph, T, W, col);
        let m = 0;
        for (let t = a0; t < b0; t++) m += ph[t * W + col];
        m /= b0 - a0;
        for (let t = 0; t < T; t++) ph[t * W + col] -= m;
      });
      a++;
    }
    return { width: W, data: poolRows(ph.subarray(a0 * W, b0 * W), b0 - a0, W, p.timeSteps) };
  }
  return { width: 0, data: new Float32Array(0) };
}
