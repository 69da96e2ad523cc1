// Synthetic recordings with known physics for the feature tests: a 3-antenna Intel-like receiver and a
// single-antenna Nexmon-like one.
import type { CsiRecording } from '../../../src/core/formats/types';
import { seededRandom } from '../../../src/core/data/seededRandom';
export const FS = 1000;

/** 3 rx × 30 sc, 1 tx. Antenna 0 static (the reference by Widar's rule); antennas 1, 2 carry `rx(t)`. */
export function synth(T: number, rx: (t: number, sc: number) => [number, number], seed = 1): CsiRecording {
  const nSc = 30,
    nRx = 3,
    rng = seededRandom(seed);
  const csi = new Float32Array(2 * T * nSc * nRx);
  for (let p = 0; p < T; p++) {
    const theta = 2 * Math.PI * rng(); // random per-packet phase (CFO / initial phase), common to all antennas
    const t = p / FS;
    for (let sc = 0; sc < nSc; sc++) {
      for (let r = 0; r < nRx; r++) {
        const [re0, im0] = r === 0 ? [10, 0] : rx(t, sc);
        const c = Math.cos(theta),
          s = Math.sin(theta);
        const i = 2 * ((p * nSc + sc) * nRx + r);
        csi[i] = re0 * c - im0 * s;
        csi[i + 1] = re0 * s + im0 * c;
      }
    }
  }
  return {
    format: 'intel5300',
    file: 'synthetic',
    device: 'synthetic',
    nPackets: T,
    nSubcarriers: nSc,
    nRx,
    nTx: 1,
    subcarrierIndices: Int16Array.from({ length: nSc }, (_, i) => i),
    bandwidthMHz: 20,
    carrierHz: 5.825e9,
    timestampUs: Float64Array.from({ length: T }, (_, p) => (p * 1e6) / FS),
    seq: new Int32Array(T).fill(-1),
    nRxPerPacket: new Uint8Array(T).fill(nRx),
    nTxPerPacket: new Uint8Array(T).fill(1),
    rssi: new Float32Array(T * nRx),
    noise: new Float32Array(T),
    agc: new Float32Array(T),
    rate: new Float32Array(T),
    csi,
    offsets: new Float64Array(T),
    diagnostics: [],
    meta: {},
  } as CsiRecording;
}

/** Nexmon-like single-antenna recording: 50 packets/s, 56 subcarriers, amplitude amp(t, sc) (real CSI) plus noise. */
export function nexmonLike(seconds: number, amp: (t: number, sc: number) => number, seed = 3): CsiRecording {
  const fs = 50,
    T = Math.round(seconds * fs),
    nSc = 56,
    rng = seededRandom(seed);
  const csi = new Float32Array(2 * T * nSc);
  for (let p = 0; p < T; p++)
    for (let sc = 0; sc < nSc; sc++) {
      csi[2 * (p * nSc + sc)] = amp(p / fs, sc) + 2 * (rng() - 0.5);
      csi[2 * (p * nSc + sc) + 1] = 2 * (rng() - 0.5);
    }
  return singleAntenna(csi, T, fs, nSc);
}

/** Time-mean of each band of a [T, Q] block. */
export function bandProfile(b: { width: number; data: Float32Array }): number[] {
  const T = b.data.length / b.width;
  return Array.from({ length: b.width }, (_, q) => {
    let m = 0;
    for (let t = 0; t < T; t++) m += b.data[t * b.width + q] / T;
    return m;
  });
}

/** A one-antenna Nexmon-like recording (56 HT20 tones, −28 … 27) of `T` packets at `fs` holding `csi`. */
export function singleAntenna(csi: Float32Array, T: number, fs: number, nSc: number): CsiRecording {
  return {
    ...synth(8, () => [1, 0]),
    format: 'nexmon',
    nPackets: T,
    nSubcarriers: nSc,
    nRx: 1,
    nTx: 1,
    subcarrierIndices: Int16Array.from({ length: nSc }, (_, i) => i - 28),
    timestampUs: Float64Array.from({ length: T }, (_, p) => (p * 1e6) / fs),
    seq: new Int32Array(T).fill(-1),
    nRxPerPacket: new Uint8Array(T).fill(1),
    nTxPerPacket: new Uint8Array(T).fill(1),
    rssi: new Float32Array(T),
    noise: new Float32Array(T),
    agc: new Float32Array(T),
    rate: new Float32Array(T),
    csi,
    offsets: new Float64Array(T),
  } as CsiRecording;
}
