// Test-only synthetic Intel 5300-shaped recordings built from first principles: per antenna a and subcarrier k
// (frequency f_k = 5.825 GHz + idx_k·312.5 kHz, wavelength λ_k = c/f_k),
//   H_a,k(t) = g(t)·e^{jθ(t) + jκ(t)·idx_k} · ( S_a,k + A_d·e^{−j2π d_a(t)/λ_k} ) + noise
// with a static multipath sum S, one reflector whose path length is d_a(t), a per-packet random phase θ and
// timing slope κ common to the NIC's antennas, and an optional common gain g(t). Independent of src/core/dsp.
import type { CsiRecording } from '../../../src/core/formats/types';

export const C = 299_792_458;
export const FC = 5.825e9;
export const INTEL_20MHZ = [
  -28, -26, -24, -22, -20, -18, -16, -14, -12, -10, -8, -6, -4, -2, -1, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 28,
];

/** Small seeded PRNG (mulberry32) so tests are deterministic: the one the fuzz harness uses. */
import { prng as rng } from '../../fuzz/mutate';
export { rng };

export interface SynthOptions {
  fs?: number;
  nPackets?: number;
  nRx?: number;
  seed?: number;
  /** Path length of the reflector (m) at time t (s) for antenna a. Omit for a static channel. */
  pathLength?: (t: number, antenna: number) => number;
  /** Reflector amplitude relative to the static paths' typical amplitude (~1). */
  dynamicAmp?: number;
  /** Per-packet random common phase and timing slope (default true). */
  randomPhase?: boolean;
  /** Common gain per packet (AGC). */
  gain?: (packet: number) => number;
  /** Complex white noise standard deviation per component. */
  noise?: number;
  /** Scale applied before storing (Intel raw CSI is int8-ish, so ~10–40). */
  scale?: number;
  /** Packet timestamps in µs (default uniform at fs). */
  timestampsUs?: Float64Array;
}

export function synthRecording(o: SynthOptions = {}): CsiRecording {
  const fs = o.fs ?? 1000,
    T = o.nPackets ?? 2000,
    nRx = o.nRx ?? 3,
    nSc = 30;
  const r = rng(o.seed ?? 1);
  const gauss = (): number => Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
  // Static channel: 5 paths with random delays (10–60 ns) and gains, each antenna with its own phases.
  const stat = new Float64Array(2 * nRx * nSc);
  for (let p = 0; p < 5; p++) {
    const tau = 10e-9 + 50e-9 * r(),
      amp = 0.3 + 0.7 * r();
    for (let a = 0; a < nRx; a++) {
      const ph0 = 2 * Math.PI * r();
      for (let k = 0; k < nSc; k++) {
        const ph = ph0 - 2 * Math.PI * INTEL_20MHZ[k] * 312.5e3 * tau;
        stat[2 * (a * nSc + k)] += amp * Math.cos(ph);
        stat[2 * (a * nSc + k) + 1] += amp * Math.sin(ph);
      }
    }
  }
  const csi = new Float32Array(2 * T * nSc * nRx);
  const scale = o.scale ?? 20,
    Ad = o.dynamicAmp ?? 0.3,
    noise = o.noise ?? 0;
  const ts = o.timestampsUs ?? Float64Array.from({ length: T }, (_, i) => (1e6 * i) / fs);
  for (let t = 0; t < T; t++) {
    const time = (ts[t] - ts[0]) / 1e6;
    const theta = o.randomPhase === false ? 0 : 2 * Math.PI * r();
    const kappa = o.randomPhase === false ? 0 : 0.3 * (r() - 0.5);
    const g = o.gain ? o.gain(t) : 1;
    for (let k = 0; k < nSc; k++) {
      const lambda = C / (FC + INTEL_20MHZ[k] * 312.5e3);
      const common = theta + kappa * INTEL_20MHZ[k];
      for (let a = 0; a < nRx; a++) {
        let re = stat[2 * (a * nSc + k)],
          im = stat[2 * (a * nSc + k) + 1];
        if (o.pathLength) {
          const ph = (-2 * Math.PI * o.pathLength(time, a)) / lambda;
          re += Ad * Math.cos(ph);
          im += Ad * Math.sin(ph);
        }
        const cr = Math.cos(common),
          ci = Math.sin(common);
        const i = 2 * ((t * nSc + k) * nRx + a);
        csi[i] = scale * g * (re * cr - im * ci) + noise * gauss();
        csi[i + 1] = scale * g * (re * ci + im * cr) + noise * gauss();
      }
    }
  }
  return {
    format: 'intel5300',
    file: 'synthetic',
    device: 'synthetic Intel 5300',
    nPackets: T,
    nSubcarriers: nSc,
    nRx,
    nTx: 1,
    subcarrierIndices: Int16Array.from(INTEL_20MHZ),
    bandwidthMHz: 20,
    carrierHz: FC,
    timestampUs: ts,
    seq: Int32Array.from({ length: T }, (_, i) => i),
    nRxPerPacket: new Uint8Array(T).fill(nRx),
    nTxPerPacket: new Uint8Array(T).fill(1),
    rssi: new Float32Array(T * nRx).fill(NaN),
    noise: new Float32Array(T).fill(NaN),
    agc: new Float32Array(T).fill(NaN),
    rate: new Float32Array(T).fill(NaN),
    csi,
    offsets: new Float64Array(T),
    diagnostics: [],
    meta: {},
  };
}
