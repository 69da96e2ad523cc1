// The multipath channel of one receiver: every path is a phasor g·e^{−j2π f_k L/c} on each reported subcarrier
// (csi-simulator.md §5). Doppler is never added explicitly: it is the rate of change of the path length L of the
// moving scatterers, evaluated with exact 3-D distances to every antenna element (so angle of arrival and the
// per-antenna phase differences the CSI ratio relies on come from the geometry too).
//
// Speed: phasors across subcarriers use the recurrence e^{−j2π(f+Δ)L/c} = e^{−j2π f L/c}·e^{−j2πΔL/c}, so each path
// costs two sin/cos pairs per antenna and packet instead of thirty.
import { SPEED_OF_LIGHT } from './widarLayout';
import { mirror, type Room } from './room';
import type { Vec3 } from './vec3';

const FOUR_PI = 4 * Math.PI;
const FOUR_PI_15 = Math.pow(4 * Math.PI, 1.5);

export interface StaticOptions {
  room: Room;
  tx: Vec3;
  antennas: Vec3[];
  freqs: Float64Array;
  /** Extra LoS attenuation in dB (body shadowing), per antenna. */
  losAttenuationDb?: number[];
}

/** Add amplitude·e^{−j(2π f_k L/c) + jφ} over subcarriers into out[(k·nAnt + a)·2]. */
function addPath(out: Float64Array, freqs: Float64Array, nAnt: number, a: number, L: number, amp: number, extraPhase: number): void {
  for (let k = 0; k < freqs.length; k++) {
    const ph = -2 * Math.PI * freqs[k] * L / SPEED_OF_LIGHT + extraPhase;
    const i = (k * nAnt + a) * 2;
    out[i] += amp * Math.cos(ph); out[i + 1] += amp * Math.sin(ph);
  }
}

/** Static channel (LoS, wall/floor/ceiling images, furniture), layout subcarriers × antennas × [re, im]. */
export function staticChannel(o: StaticOptions): Float64Array {
  const nAnt = o.antennas.length, nSc = o.freqs.length;
  const out = new Float64Array(nSc * nAnt * 2);
  const lambda = SPEED_OF_LIGHT / o.freqs[Math.floor(nSc / 2)];
  for (let a = 0; a < nAnt; a++) {
    const rx = o.antennas[a];
    const dLos = Math.hypot(rx[0] - o.tx[0], rx[1] - o.tx[1], rx[2] - o.tx[2]);
    const shadow = Math.pow(10, -(o.losAttenuationDb?.[a] ?? 0) / 20);
    addPath(out, o.freqs, nAnt, a, dLos, shadow * lambda / (FOUR_PI * dLos), 0);
    for (const pl of o.room.planes) {
      const img = mirror(o.tx, pl);
      const L = Math.hypot(rx[0] - img[0], rx[1] - img[1], rx[2] - img[2]);
      addPath(out, o.freqs, nAnt, a, L, pl.gamma * lambda / (FOUR_PI * L), pl.phase);
    }
    for (const f of o.room.furniture) {
      const d1 = Math.hypot(f.pos[0] - o.tx[0], f.pos[1] - o.tx[1], f.pos[2] - o.tx[2]);
      const d2 = Math.hypot(f.pos[0] - rx[0], f.pos[1] - rx[1], f.pos[2] - rx[2]);
      addPath(out, o.freqs, nAnt, a, d1 + d2, f.rho * lambda / (FOUR_PI_15 * d1 * d2), 0);
    }
  }
  return out;
}

export interface DynamicOptions {
  tx: Vec3;
  antennas: Vec3[];
  freqs: Float64Array;
  /** Channel without the body, subcarriers × antennas × [re, im] (from staticChannel, or zeros). */
  staticH: Float64Array;
  /** Scatterer positions, packets × scatterers × 3. */
  positions: Float64Array;
  weights: Float64Array;
  /** Linear amplitude gain of body reflections (see SimKnobs.bodyGainDb). */
  bodyGain: number;
  /** Scatterers whose bounce off `bouncePlanes` is also modelled (the palms). */
  isHand?: Uint8Array;
  bouncePlanes?: Room['planes'];
}

/**
 * Channel of every packet, layout packets × subcarriers × antennas × [re, im] (the Intel 5300 payload order with
 * Ntx = 1). Scatterers that never move are folded into the static part once.
 */
export function synthesizeChannel(o: DynamicOptions): Float64Array {
  const nAnt = o.antennas.length, nSc = o.freqs.length, nQ = o.weights.length;
  const nPkt = o.positions.length / (nQ * 3);
  const per = nSc * nAnt * 2;
  const lambda = SPEED_OF_LIGHT / o.freqs[Math.floor(nSc / 2)];
  const base = Float64Array.from(o.staticH);

  // Subcarrier steps as integer multiples of the smallest one, so one sin/cos gives every step's phasor.
  const steps = new Int32Array(nSc);
  let minStep = Infinity;
  for (let k = 1; k < nSc; k++) minStep = Math.min(minStep, o.freqs[k] - o.freqs[k - 1]);
  let maxMult = 1;
  for (let k = 1; k < nSc; k++) { steps[k] = Math.round((o.freqs[k] - o.freqs[k - 1]) / minStep); maxMult = Math.max(maxMult, steps[k]); }
  const f0 = o.freqs[0];

  // Virtual receive antennas: the real ones plus their images in the vertical walls (hand bounces only), as flat
  // typed arrays so the hot loop below touches no objects (Math.hypot is avoided for the same reason: it is slow).
  const vx: number[] = [], vy: number[] = [], vz: number[] = [], vAnt: number[] = [], vGain: number[] = [], vPh: number[] = [], vHand: number[] = [];
  const addRx = (pos: Vec3, ant: number, gain: number, phase: number, handOnly: number) => {
    vx.push(pos[0]); vy.push(pos[1]); vz.push(pos[2]); vAnt.push(ant); vGain.push(gain); vPh.push(phase); vHand.push(handOnly);
  };
  o.antennas.forEach((pos, ant) => addRx(pos, ant, 1, 0, 0));
  for (const pl of o.bouncePlanes ?? []) {
    if (pl.axis === 2) continue;
    o.antennas.forEach((pos, ant) => addRx(mirror(pos, pl), ant, pl.gamma, pl.phase, 1));
  }
  const nV = vx.length;
  const RX = Float64Array.from(vx), RY = Float64Array.from(vy), RZ = Float64Array.from(vz), RG = Float64Array.from(vGain), RP = Float64Array.from(vPh);
  const RA = Int32Array.from(vAnt), RH = Uint8Array.from(vHand);
  const isHand = o.isHand ?? new Uint8Array(nQ);
  const [tx0, tx1, tx2] = o.tx;

  const moving = new Uint8Array(nQ);
  for (let q = 0; q < nQ; q++) {
    for (let p = 1; p < nPkt && !moving[q]; p++) {
      for (let c = 0; c < 3; c++) if (Math.abs(o.positions[(p * nQ + q) * 3 + c] - o.positions[q * 3 + c]) > 1e-6) { moving[q] = 1; break; }
    }
  }

  const wr = new Float64Array(maxMult + 1), wi = new Float64Array(maxMult + 1);
  const out = new Float64Array(nPkt * per);
  const kPhase0 = -2 * Math.PI * f0 / SPEED_OF_LIGHT, kStep = -2 * Math.PI * minStep / SPEED_OF_LIGHT;
  const ampBase = o.bodyGain * lambda / FOUR_PI_15;
  const stride = nAnt * 2;
  const accumulate = (dst: Float64Array, off: number, q: number, px: number, py: number, pz: number): void => {
    const ax = px - tx0, ay = py - tx1, az = pz - tx2;
    const d1 = Math.sqrt(ax * ax + ay * ay + az * az);
    const wq = ampBase * o.weights[q] / d1;
    const hand = isHand[q];
    for (let v = 0; v < nV; v++) {
      if (RH[v] && !hand) continue;
      const bx = px - RX[v], by = py - RY[v], bz = pz - RZ[v];
      const d2 = Math.sqrt(bx * bx + by * by + bz * bz);
      const L = d1 + d2;
      const amp = RG[v] * wq / d2;
      const ph = kPhase0 * L + RP[v];
      let cr = amp * Math.cos(ph), ci = amp * Math.sin(ph);
      const dph = kStep * L;
      wr[1] = Math.cos(dph); wi[1] = Math.sin(dph);
      for (let m = 2; m <= maxMult; m++) { wr[m] = wr[m - 1] * wr[1] - wi[m - 1] * wi[1]; wi[m] = wr[m - 1] * wi[1] + wi[m - 1] * wr[1]; }
      let i = off + RA[v] * 2;
      dst[i] += cr; dst[i + 1] += ci;
      for (let k = 1; k < nSc; k++) {
        const s = steps[k];
        const w0 = wr[s], w1 = wi[s];
        const nr = cr * w0 - ci * w1;
        ci = cr * w1 + ci * w0; cr = nr;
        i += stride;
        dst[i] += cr; dst[i + 1] += ci;
      }
    }
  };
  for (let q = 0; q < nQ; q++) if (!moving[q]) accumulate(base, 0, q, o.positions[q * 3], o.positions[q * 3 + 1], o.positions[q * 3 + 2]);
  for (let p = 0; p < nPkt; p++) {
    const off = p * per;
    out.set(base, off);
    for (let q = 0; q < nQ; q++) {
      if (!moving[q]) continue;
      const j = (p * nQ + q) * 3;
      accumulate(out, off, q, o.positions[j], o.positions[j + 1], o.positions[j + 2]);
    }
  }
  return out;
}
