// The multipath channel of one receiver: every path is a phasor g·e^{−j2π f_k L/c} on each reported subcarrier
// (csi-simulator.md §5). Doppler is never added explicitly: it is the rate of change of the path length L of the
// moving scatterers, evaluated with exact 3-D distances to every antenna element (so angle of arrival and the
// per-antenna phase differences the CSI ratio relies on come from the geometry too).
//
// Speed: phasors across subcarriers use the recurrence e^{−j2π(f+Δ)L/c} = e^{−j2π f L/c}·e^{−j2πΔL/c}, and those two
// phasors are carried from one packet to the next by the (small) path-length change, so a moving path costs no trig
// call at all on most packets (exact recomputation every ANCHOR packets bounds the rounding drift).
import { SPEED_OF_LIGHT } from './widarLayout';
import { mirror, type Room } from './room';
import type { Vec3 } from './vec3';

const FOUR_PI = 4 * Math.PI;
const FOUR_PI_15 = Math.pow(4 * Math.PI, 1.5);
/** Packets between exact recomputations of the carried phasors (see synthesizeChannel). */
const ANCHOR = 64;

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
    const ph = (-2 * Math.PI * freqs[k] * L) / SPEED_OF_LIGHT + extraPhase;
    const i = (k * nAnt + a) * 2;
    out[i] += amp * Math.cos(ph);
    out[i + 1] += amp * Math.sin(ph);
  }
}

/** Static channel (LoS, wall/floor/ceiling images, furniture), layout subcarriers × antennas × [re, im]. */
export function staticChannel(o: StaticOptions): Float64Array {
  const nAnt = o.antennas.length,
    nSc = o.freqs.length;
  const out = new Float64Array(nSc * nAnt * 2);
  const lambda = SPEED_OF_LIGHT / o.freqs[Math.floor(nSc / 2)];
  for (let a = 0; a < nAnt; a++) {
    const rx = o.antennas[a];
    const dLos = Math.hypot(rx[0] - o.tx[0], rx[1] - o.tx[1], rx[2] - o.tx[2]);
    const shadow = Math.pow(10, -(o.losAttenuationDb?.[a] ?? 0) / 20);
    addPath(out, o.freqs, nAnt, a, dLos, (shadow * lambda) / (FOUR_PI * dLos), 0);
    for (const pl of o.room.planes) {
      const img = mirror(o.tx, pl);
      const L = Math.hypot(rx[0] - img[0], rx[1] - img[1], rx[2] - img[2]);
      addPath(out, o.freqs, nAnt, a, L, (pl.gamma * lambda) / (FOUR_PI * L), pl.phase);
    }
    for (const f of o.room.furniture) {
      const d1 = Math.hypot(f.pos[0] - o.tx[0], f.pos[1] - o.tx[1], f.pos[2] - o.tx[2]);
      const d2 = Math.hypot(f.pos[0] - rx[0], f.pos[1] - rx[1], f.pos[2] - rx[2]);
      addPath(out, o.freqs, nAnt, a, d1 + d2, (f.rho * lambda) / (FOUR_PI_15 * d1 * d2), 0);
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
  /**
   * Strong reflectors near the sensing area (room-specific: a wall, a metal cabinet, a whiteboard). The echo of every
   * scatterer flagged in `reflects` also arrives via each of them, on both sides of the bounce: Tx → reflector →
   * scatterer → Rx (the Tx's image) and Tx → scatterer → reflector → Rx (the antenna's image).
   */
  reflectors?: Room['planes'];
  reflects?: Uint8Array;
  /** Buffer to write into (at least packets × subcarriers × antennas × 2 long), to spare the allocation. */
  out?: Float64Array;
}

/**
 * Channel of every packet, layout packets × subcarriers × antennas × [re, im] (the Intel 5300 payload order with
 * Ntx = 1). Scatterers that never move are folded into the static part once.
 */
export function synthesizeChannel(o: DynamicOptions): Float64Array {
  const nAnt = o.antennas.length,
    nSc = o.freqs.length,
    nQ = o.weights.length;
  const nPkt = o.positions.length / (nQ * 3);
  const per = nSc * nAnt * 2;
  const lambda = SPEED_OF_LIGHT / o.freqs[Math.floor(nSc / 2)];
  const base = Float64Array.from(o.staticH);

  // Subcarrier steps as integer multiples of the smallest one, so one sin/cos gives every step's phasor.
  const steps = new Int32Array(nSc);
  let minStep = Infinity;
  for (let k = 1; k < nSc; k++) minStep = Math.min(minStep, o.freqs[k] - o.freqs[k - 1]);
  for (let k = 1; k < nSc; k++) {
    steps[k] = Math.round((o.freqs[k] - o.freqs[k - 1]) / minStep);
    if (steps[k] !== 1 && steps[k] !== 2)
      throw new RangeError(
        `synthesizeChannel: subcarrier gap ${steps[k]}× the smallest; only 1× and 2× (the Intel 5300 grouping) are supported`,
      );
  }
  const f0 = o.freqs[0];
  // The same steps as runs (step, length): the hot loop then picks its step phasor once per run, not per subcarrier.
  const runStep: number[] = [],
    runLen: number[] = [];
  for (let k = 1; k < nSc; k++) {
    if (runStep.length && runStep[runStep.length - 1] === steps[k]) runLen[runLen.length - 1]++;
    else {
      runStep.push(steps[k]);
      runLen.push(1);
    }
  }
  const nRuns = runStep.length,
    RUN_STEP = Int32Array.from(runStep),
    RUN_LEN = Int32Array.from(runLen);

  // Virtual links (transmitter or its image, antenna or its image) as flat typed arrays, so the hot loop below touches
  // no objects (Math.hypot is avoided for the same reason: it is slow). Scope: 0 every scatterer, 1 palms only (wall
  // bounces), 2 scatterers flagged in `reflects` (near reflectors).
  const txs: Vec3[] = [o.tx, ...(o.reflectors ?? []).map(pl => mirror(o.tx, pl))];
  const vT: number[] = [],
    vx: number[] = [],
    vy: number[] = [],
    vz: number[] = [],
    vAnt: number[] = [],
    vGain: number[] = [],
    vPh: number[] = [],
    vScope: number[] = [];
  const addLink = (txIdx: number, pos: Vec3, ant: number, gain: number, phase: number, scope: number) => {
    vT.push(txIdx);
    vx.push(pos[0]);
    vy.push(pos[1]);
    vz.push(pos[2]);
    vAnt.push(ant);
    vGain.push(gain);
    vPh.push(phase);
    vScope.push(scope);
  };
  o.antennas.forEach((pos, ant) => addLink(0, pos, ant, 1, 0, 0));
  for (const pl of o.bouncePlanes ?? []) {
    if (pl.axis === 2) continue;
    o.antennas.forEach((pos, ant) => addLink(0, mirror(pos, pl), ant, pl.gamma, pl.phase, 1));
  }
  (o.reflectors ?? []).forEach((pl, r) =>
    o.antennas.forEach((pos, ant) => {
      addLink(0, mirror(pos, pl), ant, pl.gamma, pl.phase, 2);
      addLink(1 + r, pos, ant, pl.gamma, pl.phase, 2);
    }),
  );
  const nV = vx.length,
    nT = txs.length;
  const RX = Float64Array.from(vx),
    RY = Float64Array.from(vy),
    RZ = Float64Array.from(vz),
    RG = Float64Array.from(vGain),
    RP = Float64Array.from(vPh);
  const RA = Int32Array.from(vAnt),
    RS = Uint8Array.from(vScope),
    RT = Int32Array.from(vT);
  const TX = Float64Array.from(txs.flat());
  const isHand = o.isHand ?? new Uint8Array(nQ);
  const reflects = o.reflects ?? new Uint8Array(nQ);
  const d1s = new Float64Array(nT);

  const moving = new Uint8Array(nQ);
  for (let q = 0; q < nQ; q++) {
    for (let p = 1; p < nPkt && !moving[q]; p++) {
      for (let c = 0; c < 3; c++)
        if (Math.abs(o.positions[(p * nQ + q) * 3 + c] - o.positions[q * 3 + c]) > 1e-6) {
          moving[q] = 1;
          break;
        }
    }
  }

  if (o.out && o.out.length < nPkt * per) throw new RangeError(`synthesizeChannel: out has ${o.out.length} values, needs ${nPkt * per}`);
  const out = o.out ? o.out.subarray(0, nPkt * per) : new Float64Array(nPkt * per);
  const kPhase0 = (-2 * Math.PI * f0) / SPEED_OF_LIGHT,
    kStep = (-2 * Math.PI * minStep) / SPEED_OF_LIGHT;
  const ampBase = (o.bodyGain * lambda) / FOUR_PI_15;
  const stride = nAnt * 2;
  // Per (scatterer, virtual antenna): the unit phasor e^{−j k0 L} at the first subcarrier and the unit step phasor
  // e^{−j kΔ L}, carried from packet to packet by rotating with the path-length change (a short Taylor series of a
  // small angle instead of four trig calls), and recomputed exactly every ANCHOR packets so rounding cannot drift.
  const nState = nQ * nV;
  const bR = new Float64Array(nState),
    bI = new Float64Array(nState),
    sR = new Float64Array(nState),
    sI = new Float64Array(nState);
  const lPrev = new Float64Array(nState);
  const accumulate = (dst: Float64Array, off: number, q: number, px: number, py: number, pz: number, exact: boolean): void => {
    for (let t = 0; t < nT; t++) {
      const ax = px - TX[3 * t],
        ay = py - TX[3 * t + 1],
        az = pz - TX[3 * t + 2];
      d1s[t] = Math.sqrt(ax * ax + ay * ay + az * az);
    }
    const wq = ampBase * o.weights[q];
    const hand = isHand[q],
      refl = reflects[q];
    for (let v = 0; v < nV; v++) {
      const scope = RS[v];
      if ((scope === 1 && !hand) || (scope === 2 && !refl)) continue;
      const d1 = d1s[RT[v]];
      const bx = px - RX[v],
        by = py - RY[v],
        bz = pz - RZ[v];
      const d2 = Math.sqrt(bx * bx + by * by + bz * bz);
      const L = d1 + d2;
      const amp = (RG[v] * wq) / (d1 * d2);
      const st = q * nV + v;
      let pr: number, pi: number, w1r: number, w1i: number;
      const x = kPhase0 * (L - lPrev[st]);
      if (exact || x > 0.5 || x < -0.5) {
        const ph = kPhase0 * L + RP[v],
          dph = kStep * L;
        pr = Math.cos(ph);
        pi = Math.sin(ph);
        w1r = Math.cos(dph);
        w1i = Math.sin(dph);
      } else {
        // e^{jx} to 7th order (|x| ≤ 0.5: error < 3e-9), then the step phasor by its (tiny) angle kΔ·ΔL to 2nd order.
        const x2 = x * x;
        const c = 1 - (x2 / 2) * (1 - (x2 / 12) * (1 - (x2 / 30) * (1 - x2 / 56)));
        const sn = x * (1 - (x2 / 6) * (1 - (x2 / 20) * (1 - x2 / 42)));
        const r0 = bR[st],
          i0 = bI[st];
        pr = r0 * c - i0 * sn;
        pi = r0 * sn + i0 * c;
        const y = kStep * (L - lPrev[st]),
          cy = 1 - (y * y) / 2;
        const s0 = sR[st],
          t0 = sI[st];
        w1r = s0 * cy - t0 * y;
        w1i = s0 * y + t0 * cy;
      }
      bR[st] = pr;
      bI[st] = pi;
      sR[st] = w1r;
      sI[st] = w1i;
      lPrev[st] = L;
      const w2r = w1r * w1r - w1i * w1i,
        w2i = 2 * w1r * w1i;
      let cr = amp * pr,
        ci = amp * pi;
      let i = off + RA[v] * 2;
      dst[i] += cr;
      dst[i + 1] += ci;
      for (let run = 0; run < nRuns; run++) {
        const two = RUN_STEP[run] === 2;
        const w0 = two ? w2r : w1r,
          w1 = two ? w2i : w1i;
        for (let n = RUN_LEN[run]; n > 0; n--) {
          const nr = cr * w0 - ci * w1;
          ci = cr * w1 + ci * w0;
          cr = nr;
          i += stride;
          dst[i] += cr;
          dst[i + 1] += ci;
        }
      }
    }
  };
  for (let q = 0; q < nQ; q++)
    if (!moving[q]) accumulate(base, 0, q, o.positions[q * 3], o.positions[q * 3 + 1], o.positions[q * 3 + 2], true);
  for (let p = 0; p < nPkt; p++) {
    const off = p * per;
    out.set(base, off);
    const exact = p % ANCHOR === 0;
    for (let q = 0; q < nQ; q++) {
      if (!moving[q]) continue;
      const j = (p * nQ + q) * 3;
      accumulate(out, off, q, o.positions[j], o.positions[j + 1], o.positions[j + 2], exact);
    }
  }
  return out;
}
