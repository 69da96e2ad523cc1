// Resampling a recording onto a uniform packet grid from its recorded timestamps.
//
// Why: every later stage (Butterworth cut-offs, STFT bins) assumes a constant packet rate, but real captures
// have jitter (Widar's 1 kHz injection drifts by tens of µs), lost packets (the CSI tool's netlink pipe drops
// records: gaps in bfee_count) and occasionally long holes. Short holes are bridged by linear interpolation
// of the complex CSI (real and imaginary parts separately), or phase-aligned first (`interpolation: 'coherent'`,
// for ratio/conjugate processing, see ResampleOptions); holes longer than `maxGapS` are NOT bridged:
//
// Fill policy for long gaps: grid samples strictly inside a long gap are set to zero CSI with `valid[i] = 0`,
// and the gap is listed in `gaps` as {startUs, endUs} (the timestamps of the packets on either side). Zeros
// (rather than holding the last value) make the hole impossible to mistake for a static channel, and the mask
// lets callers cut the recording at gaps or weight them out.
//
// Packets whose timestamp does not increase (duplicates, clock resets) are dropped and counted in `dropped`:
// there is no way to place them on the time axis. Per-packet metadata (RSSI, AGC, seq, …) is taken from the
// nearest kept packet; `offsets` too, so a viewer can still seek to the source record.
import type { CsiRecording } from '../formats/types';
import { DspError } from './errors';
import { packetRateHz } from './streams';

export interface ResampleOptions {
  /** Target rate in Hz (default: the recording's median packet rate). */
  rateHz?: number;
  /** Longest hole that is interpolated, in seconds (default: 5 nominal packet intervals). */
  maxGapS?: number;
  /**
   * 'linear' (default): blend the two packets around each grid time as they are. 'coherent': first rotate the later
   * packet, per subcarrier, by the phase common to its antennas that best aligns it with the earlier one
   * (θ_k = ∠Σ_antennas H_a·conj(H_b)), then blend. Use 'coherent' for commodity-NIC CSI before antenna-ratio or conjugate-product
   * processing: every packet carries its own random phase offset (CFO, SFO, PLL), common to its antennas, so a plain
   * blend of two packets mixes two offsets and H_a·conj(H_b) of the blend gains cross terms that are pure noise; with
   * jitter almost every grid time falls between packets, so this is not a rare case (on the simulator's 1 kHz Intel
   * recordings the DFS motion energy became mostly noise). The rotation is common to all antennas, so ratios between
   * antennas are those of the measured packets, and a bridged gap is a smooth blend rather than a step.
   */
  interpolation?: 'linear' | 'coherent';
}

export interface Gap {
  startUs: number;
  endUs: number;
}

export interface ResampledRecording {
  recording: CsiRecording;
  /** Per grid sample: 1 = measured or interpolated, 0 = inside a long gap (CSI set to zero). */
  valid: Uint8Array;
  gaps: Gap[];
  rateHz: number;
  /** Packets dropped because their timestamp did not increase. */
  dropped: number;
  /** Grid samples that fell between two packets more than one interval apart (bridged lost packets). */
  interpolatedAcrossLoss: number;
}

/** dst[o+k] = (1−w)·a + w·b·(c + j·sn) for the complex values k ∈ [s0, s1) of packets a (offset oa), b (ob). */
function blendRotated(
  src: Float32Array,
  dst: Float32Array,
  oa: number,
  ob: number,
  o: number,
  s0: number,
  s1: number,
  w: number,
  c: number,
  sn: number,
): void {
  for (let k = s0; k < s1; k += 2) {
    const br = src[ob + k] * c - src[ob + k + 1] * sn,
      bi = src[ob + k] * sn + src[ob + k + 1] * c;
    dst[o + k] = (1 - w) * src[oa + k] + w * br;
    dst[o + k + 1] = (1 - w) * src[oa + k + 1] + w * bi;
  }
}

export function resampleUniform(rec: CsiRecording, opts: ResampleOptions = {}): ResampledRecording {
  if (rec.nPackets < 2) throw new DspError('too-few-packets', `resampling needs at least 2 packets (have ${rec.nPackets})`, rec.file);
  // Keep a strictly increasing subsequence (greedy: drop any packet not later than the last kept one).
  const keep: number[] = [];
  let last = -Infinity;
  for (let i = 0; i < rec.nPackets; i++) {
    const t = rec.timestampUs[i];
    if (Number.isFinite(t) && t > last) {
      keep.push(i);
      last = t;
    }
  }
  const dropped = rec.nPackets - keep.length;
  if (keep.length < 2) throw new DspError('bad-rate', 'fewer than 2 packets with increasing timestamps', rec.file);
  const rate =
    opts.rateHz ?? packetRateHz({ timestampUs: Float64Array.from(keep, i => rec.timestampUs[i]), nPackets: keep.length, file: rec.file });
  if (!(Number.isFinite(rate) && rate > 0)) throw new DspError('bad-rate', `resampling rate ${rate} Hz is not usable`, rec.file);
  const periodUs = 1e6 / rate;
  const maxGapUs = (opts.maxGapS ?? 5 / rate) * 1e6;
  const t0 = rec.timestampUs[keep[0]],
    tEnd = rec.timestampUs[keep[keep.length - 1]];
  const n = Math.floor((tEnd - t0) / periodUs + 1e-9) + 1;
  if (n > 50_000_000) throw new DspError('bad-rate', `resampling would create ${n} samples; check the timestamps`, rec.file);

  const block = 2 * rec.nSubcarriers * rec.nRx * rec.nTx;
  const csi = new Float32Array(n * block);
  const scaled = rec.scaled ? new Float32Array(n * block) : undefined;
  const valid = new Uint8Array(n);
  const nearest = new Int32Array(n);
  const gaps: Gap[] = [];
  for (let j = 1; j < keep.length; j++) {
    const a = rec.timestampUs[keep[j - 1]],
      b = rec.timestampUs[keep[j]];
    if (b - a > maxGapUs) gaps.push({ startUs: a, endUs: b });
  }
  let interpolatedAcrossLoss = 0;
  const coherent = opts.interpolation === 'coherent',
    antennas = rec.nRx * rec.nTx;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const g = t0 + i * periodUs;
    while (j + 1 < keep.length - 1 && rec.timestampUs[keep[j + 1]] <= g) j++;
    const ia = keep[j],
      ib = keep[Math.min(j + 1, keep.length - 1)];
    const ta = rec.timestampUs[ia],
      tb = rec.timestampUs[ib];
    nearest[i] = g - ta <= tb - g ? ia : ib;
    if (tb - ta > maxGapUs && g > ta && g < tb) continue; // inside a long hole: zeros, valid = 0
    valid[i] = 1;
    if (tb - ta > 1.5 * periodUs) interpolatedAcrossLoss++;
    const w = tb > ta ? Math.min(1, Math.max(0, (g - ta) / (tb - ta))) : 0;
    const oa = ia * block,
      ob = ib * block,
      o = i * block;
    if (coherent && w > 0 && ia !== ib) {
      // Per subcarrier: b·e^{jθ} with e^{jθ} = Σ_antennas a·conj(b) / |…|, the phase common to that subcarrier's
      // antennas that aligns b with a (per subcarrier, because the packet-detection delay adds a random slope
      // across subcarriers on top of the common offset).
      for (let sc = 0; sc < rec.nSubcarriers; sc++) {
        const s0 = 2 * sc * antennas,
          s1 = s0 + 2 * antennas;
        let re = 0,
          im = 0;
        for (let k = s0; k < s1; k += 2) {
          const ar = rec.csi[oa + k],
            ai = rec.csi[oa + k + 1],
            br = rec.csi[ob + k],
            bi = rec.csi[ob + k + 1];
          re += ar * br + ai * bi;
          im += ai * br - ar * bi;
        }
        const mag = Math.hypot(re, im),
          c = mag > 0 ? re / mag : 1,
          sn = mag > 0 ? im / mag : 0;
        blendRotated(rec.csi, csi, oa, ob, o, s0, s1, w, c, sn);
        if (scaled && rec.scaled) blendRotated(rec.scaled, scaled, oa, ob, o, s0, s1, w, c, sn);
      }
      continue;
    }
    for (let k = 0; k < block; k++) csi[o + k] = (1 - w) * rec.csi[oa + k] + w * rec.csi[ob + k];
    if (scaled && rec.scaled) for (let k = 0; k < block; k++) scaled[o + k] = (1 - w) * rec.scaled[oa + k] + w * rec.scaled[ob + k];
  }
  const pick = <A extends Float32Array | Int32Array | Uint8Array | Float64Array>(src: A, ctor: new (len: number) => A, per = 1): A => {
    const out = new ctor(n * per);
    for (let i = 0; i < n; i++) for (let k = 0; k < per; k++) out[i * per + k] = src[nearest[i] * per + k];
    return out;
  };
  const recording: CsiRecording = {
    ...rec,
    nPackets: n,
    timestampUs: Float64Array.from({ length: n }, (_, i) => t0 + i * periodUs),
    seq: pick(rec.seq, Int32Array),
    nRxPerPacket: pick(rec.nRxPerPacket, Uint8Array),
    nTxPerPacket: pick(rec.nTxPerPacket, Uint8Array),
    rssi: pick(rec.rssi, Float32Array, rec.nRx),
    noise: pick(rec.noise, Float32Array),
    agc: pick(rec.agc, Float32Array),
    rate: pick(rec.rate, Float32Array),
    offsets: pick(rec.offsets, Float64Array),
    csi,
    scaled,
    diagnostics: [...rec.diagnostics],
    meta: { ...rec.meta, resampledHz: rate },
  };
  return { recording, valid, gaps, rateHz: rate, dropped, interpolatedAcrossLoss };
}
