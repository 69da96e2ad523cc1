// The Intel 5300 receive chain of one NIC: everything between the physical channel and the int8 numbers in the
// log (csi-simulator.md §6). Applied per receiver, in this order: packet loss (Gilbert–Elliott over the air, plus
// netlink drops that still advance bfee_count), thermal noise, fixed per-chain gain/phase and a smooth per-NIC
// subcarrier ripple, the per-packet phase error common to all antennas of the NIC (random offset from CFO and the
// initial phase, plus a slope across subcarriers from packet-detection delay and SFO), AGC on a 1 dB grid with
// hysteresis and occasional spurious re-gains, and 8-bit quantisation. Header fields (rssi, agc, noise,
// antenna_sel, rate) are set so get_scaled_csi / get_total_rss give the simulated SNR.
//
// Departure from the design note: the subcarrier ripple is a sum of two random low-order cosines rather than a
// 5-knot cubic spline; both are smooth over the 30 groups, and the cosine form needs no spline code.
import { stream, type Rng } from './rng';
import { GilbertElliott, type GilbertElliottParams } from './packetLoss';
import { INTEL5300_SUBCARRIERS_20MHZ, SUBCARRIER_SPACING_HZ } from './widarLayout';
import type { SimRecord } from './simRecord';

export interface NicSession {
  clockOffsetUs: number;
  clockSkewPpm: number;
  /** Mean packet-detection delay + SFO offset (s) and its drift (s per s). */
  delayMeanS: number;
  delayDriftSPerS: number;
  delayJitterS: number;
  chainGainDb: number[];
  chainPhaseRad: number[];
  rippleAmpDb: [number, number, number, number];
  ripplePhaseRad: [number, number, number, number];
  agcOffset: number;
  loss: GilbertElliottParams;
  netlinkDrop: number;
  mcs: number;
  /** Whether this NIC reports its noise floor (else −127, "unknown"). */
  reportsNoise: boolean;
  /** Spurious AGC re-gains per second. */
  spuriousRegainPerS: number;
}

/** Draw the NIC/session parameters of receiver `rx` in session `session`. */
export function makeNicSession(seed: number, session: string, rx: number): NicSession {
  const r = stream(seed, 'nic', session, rx);
  return {
    clockOffsetUs: Math.floor(r.uniform(0, 4294967296)),
    clockSkewPpm: r.uniform(-20, 20),
    delayMeanS: r.uniform(50e-9, 250e-9),
    delayDriftSPerS: r.uniform(-5e-9, 5e-9),
    delayJitterS: 15e-9,
    chainGainDb: [r.uniform(-1, 1), r.uniform(-1, 1), r.uniform(-1, 1)],
    chainPhaseRad: [r.uniform(0, 2 * Math.PI), r.uniform(0, 2 * Math.PI), r.uniform(0, 2 * Math.PI)],
    rippleAmpDb: [r.uniform(-0.9, 0.9), r.uniform(-0.6, 0.6), r.uniform(-0.09, 0.09), r.uniform(-0.06, 0.06)],
    ripplePhaseRad: [r.uniform(0, 2 * Math.PI), r.uniform(0, 2 * Math.PI), r.uniform(0, 2 * Math.PI), r.uniform(0, 2 * Math.PI)],
    agcOffset: r.uniform(25, 45),
    loss: { pGoodToBad: r.uniform(0.002, 0.01), pBadToGood: r.uniform(0.3, 0.6), lossInBad: 0.9 },
    netlinkDrop: r.uniform(0.002, 0.01),
    mcs: r.int(0, 1),
    reportsNoise: r.bool(0.5),
    spuriousRegainPerS: 0.2,
  };
}

export interface ReceiveOptions {
  /** Channel of every packet, packets × 30 × 3 × [re, im] (physical antenna order). */
  channel: Float64Array;
  /** Packet send times in seconds from the recording start (with Tx jitter). */
  times: Float64Array;
  nic: NicSession;
  /** Transmit power in dBm (P_rx = P_tx + 10 log10 |H|²). */
  txPowerDbm: number;
  /** Thermal noise floor of this receiver, dBm. */
  noiseFloorDbm: number;
  /** Randomness for this recording's per-packet draws. */
  rng: Rng;
  /** When false: no loss, no noise, no phase errors, no AGC steps (for physics tests). Default true. */
  impairments?: boolean;
  /** First bfee_count value. */
  firstCount?: number;
}

export interface ReceiveResult {
  records: SimRecord[];
  /** Indices (into the nominal packets) of the packets that produced a record. */
  kept: Int32Array;
  clippedValues: number;
  totalValues: number;
  lostOverAir: number;
  droppedNetlink: number;
  agcChanges: number;
}

const N_SC = 30,
  N_ANT = 3;
const A_TARGET = 20; // target RMS per component, LSB

export function receive(o: ReceiveOptions): ReceiveResult {
  const { nic, rng } = o;
  const imp = o.impairments !== false;
  const nPkt = o.times.length;
  const idx = INTEL5300_SUBCARRIERS_20MHZ;
  // Fixed per-(subcarrier, antenna) complex multiplier: chain gain/phase × ripple.
  const mr = new Float64Array(N_SC * N_ANT),
    mi = new Float64Array(N_SC * N_ANT);
  for (let k = 0; k < N_SC; k++) {
    const x = ((idx[k] + 28) / 56) * Math.PI;
    const rippleDb = imp
      ? nic.rippleAmpDb[0] * Math.cos(x + nic.ripplePhaseRad[0]) + nic.rippleAmpDb[1] * Math.cos(2 * x + nic.ripplePhaseRad[1])
      : 0;
    const ripplePh = imp
      ? nic.rippleAmpDb[2] * 10 * Math.cos(x + nic.ripplePhaseRad[2]) + nic.rippleAmpDb[3] * 10 * Math.cos(2 * x + nic.ripplePhaseRad[3])
      : 0;
    for (let a = 0; a < N_ANT; a++) {
      const g = imp ? Math.pow(10, (nic.chainGainDb[a] + rippleDb) / 20) : 1;
      const ph = imp ? nic.chainPhaseRad[a] + ripplePh : 0;
      mr[k * N_ANT + a] = g * Math.cos(ph);
      mi[k * N_ANT + a] = g * Math.sin(ph);
    }
  }
  // Noise variance in channel units: P_noise = P_tx + 10 log10(σ²).
  const noiseVar = imp ? Math.pow(10, (o.noiseFloorDbm - o.txPowerDbm) / 10) : 0;
  const noiseSd = Math.sqrt(noiseVar / 2);

  // Antenna permutation: by descending mean received power over the recording, as the NIC typically reports.
  const antPow = [0, 0, 0];
  const per = N_SC * N_ANT * 2;
  for (let p = 0; p < nPkt; p += 10) {
    for (let k = 0; k < N_SC; k++)
      for (let a = 0; a < N_ANT; a++) {
        const i = p * per + (k * N_ANT + a) * 2;
        antPow[a] += o.channel[i] ** 2 + o.channel[i + 1] ** 2;
      }
  }
  const perm = [0, 1, 2].sort((x, y) => antPow[y] - antPow[x] || x - y); // perm[i] = physical antenna in column i
  const antennaSel = perm[0] | (perm[1] << 2) | (perm[2] << 4);
  const permOff = Int32Array.from(perm, a => 2 * a); // value offset of the physical antenna stored in column i

  // Initial AGC gain from the first 50 ms.
  let p0 = 0,
    n0 = 0;
  for (let p = 0; p < Math.min(nPkt, 50); p++)
    for (let j = 0; j < per; j++) {
      p0 += o.channel[p * per + j] ** 2;
      n0++;
    }
  const meanPow0 = (p0 / Math.max(1, n0)) * 2 + noiseVar; // mean |z|² per complex value
  const idealDb = (pw: number) => 10 * Math.log10((2 * A_TARGET * A_TARGET) / Math.max(pw, 1e-30));
  const gain0Db = Math.round(idealDb(meanPow0));
  let gainDb = gain0Db;
  let powEma = meanPow0;
  const emaAlpha = 1 / 50;

  const ge = new GilbertElliott(nic.loss, rng);
  const records: SimRecord[] = [];
  const kept: number[] = [];
  let count = (o.firstCount ?? 0) & 0xffff;
  let clipped = 0,
    lostAir = 0,
    dropped = 0,
    agcChanges = 0;
  const z = new Float64Array(per);
  const nz = new Float64Array(per); // zeros when the NIC is ideal
  const noiseReport = nic.reportsNoise ? Math.max(-127, Math.min(127, Math.round(o.noiseFloorDbm))) : -127;
  const rate = 0x0100 | nic.mcs;
  const spuriousP = nic.spuriousRegainPerS / 1000;
  // One buffer for all records' CSI (records view into it): far less garbage than an array per packet.
  const csiAll = new Int8Array(nPkt * N_SC * N_ANT * 2);
  let gainCachedDb = NaN,
    gainLin = 1;
  // Mean power at which the ideal gain is `db` (inverse of idealDb); the AGC holds its gain between powLo and powHi.
  const agcPow = (db: number) => 2 * A_TARGET * A_TARGET * Math.pow(10, -db / 10);
  let bandGainDb = NaN,
    powLo = 0,
    powHi = Infinity;

  for (let p = 0; p < nPkt; p++) {
    const t = o.times[p];
    // Per-packet draws happen in a fixed order whether or not the packet is kept, so streams stay aligned.
    const lostAir_ = imp && ge.lost();
    const droppedNl = imp && rng.bool(nic.netlinkDrop);
    const phi = imp ? rng.uniform(0, 2 * Math.PI) : 0;
    const delay = imp ? nic.delayMeanS + nic.delayDriftSPerS * t + rng.normal(0, nic.delayJitterS) : 0;
    if (imp && rng.bool(spuriousP)) {
      gainDb += (rng.bool(0.5) ? 1 : -1) * rng.int(1, 3);
      agcChanges++;
    }
    if (lostAir_) {
      lostAir++;
      continue;
    } // never reached the NIC: no record, no count
    count = (count + 1) & 0xffff;
    // Channel + noise, × fixed chain response; power tracked for the AGC before the common phase error.
    let pw = 0;
    const off = p * per;
    if (imp) rng.fillNormals(nz, per);
    for (let j = 0, m = 0; j < per; j += 2, m++) {
      const re = o.channel[off + j] + noiseSd * nz[j],
        im = o.channel[off + j + 1] + noiseSd * nz[j + 1];
      const a = mr[m],
        b = mi[m];
      const r2 = re * a - im * b,
        i2 = re * b + im * a;
      z[j] = r2;
      z[j + 1] = i2;
      pw += r2 * r2 + i2 * i2;
    }
    pw /= N_SC * N_ANT;
    powEma += emaAlpha * (pw - powEma);
    if (imp) {
      // |idealDb(powEma) − gainDb| > 1.5 dB, tested in the linear domain (no logarithm per packet).
      if (gainDb !== bandGainDb) {
        bandGainDb = gainDb;
        powLo = agcPow(gainDb + 1.5);
        powHi = agcPow(gainDb - 1.5);
      }
      if (powEma < powLo || powEma > powHi) {
        gainDb = Math.round(idealDb(powEma));
        agcChanges++;
      }
    }
    if (droppedNl) {
      dropped++;
      continue;
    } // measured (count advanced) but lost in the kernel→user pipe
    if (gainDb !== gainCachedDb) {
      gainCachedDb = gainDb;
      gainLin = Math.pow(10, gainDb / 20);
    }
    // Common phase error e^{j(φ − 2π·idx_k·Δf·δ)}, same for all antennas; stepped across subcarriers by recurrence.
    const slope = -2 * Math.PI * SUBCARRIER_SPACING_HZ * delay;
    const csi = csiAll.subarray(records.length * N_SC * N_ANT * 2, (records.length + 1) * N_SC * N_ANT * 2);
    let rp0 = 0,
      rp1 = 0,
      rp2 = 0;
    const ph0 = phi + slope * idx[0];
    let cr = gainLin * Math.cos(ph0),
      ci = gainLin * Math.sin(ph0);
    const s1r = Math.cos(slope),
      s1i = Math.sin(slope);
    const s2r = s1r * s1r - s1i * s1i,
      s2i = 2 * s1r * s1i;
    for (let k = 0; k < N_SC; k++) {
      if (k > 0) {
        const two = idx[k] - idx[k - 1] === 2;
        const a = two ? s2r : s1r,
          b = two ? s2i : s1i;
        const nr = cr * a - ci * b;
        ci = cr * b + ci * a;
        cr = nr;
      }
      const jb = k * N_ANT * 2;
      const h = o.channel;
      rp0 += h[off + jb] * h[off + jb] + h[off + jb + 1] * h[off + jb + 1];
      rp1 += h[off + jb + 2] * h[off + jb + 2] + h[off + jb + 3] * h[off + jb + 3];
      rp2 += h[off + jb + 4] * h[off + jb + 4] + h[off + jb + 5] * h[off + jb + 5];
      for (let col = 0; col < N_ANT; col++) {
        const j = jb + permOff[col];
        const xr = z[j] * cr - z[j + 1] * ci,
          xi = z[j] * ci + z[j + 1] * cr;
        // Round half up and clip to int8: floor(x + 0.5) through an integer truncation of a non-negative number,
        // cheaper than Math.round on this hot path; x ≥ 127.5 / x < −128.5 are exactly the values that would clip.
        const w = jb + col * 2;
        if (xr >= 127.5) {
          csi[w] = 127;
          clipped++;
        } else if (xr < -128.5) {
          csi[w] = -128;
          clipped++;
        } else csi[w] = ((xr + 128.5) | 0) - 128;
        if (xi >= 127.5) {
          csi[w + 1] = 127;
          clipped++;
        } else if (xi < -128.5) {
          csi[w + 1] = -128;
          clipped++;
        } else csi[w + 1] = ((xi + 128.5) | 0) - 128;
      }
    }
    const agc = Math.max(0, Math.min(255, Math.round(nic.agcOffset + gainDb - gain0Db)));
    const rssiBase = o.txPowerDbm + 44 + agc;
    const rssi = (s: number) => Math.max(1, Math.min(255, Math.round(rssiBase + 10 * Math.log10(s / N_SC))));
    records.push({
      timestamp_low: Math.floor(nic.clockOffsetUs + t * (1 + nic.clockSkewPpm * 1e-6) * 1e6) % 4294967296,
      bfee_count: count,
      Nrx: N_ANT,
      Ntx: 1,
      rssi_a: rssi(rp0),
      rssi_b: rssi(rp1),
      rssi_c: rssi(rp2),
      noise: noiseReport,
      agc,
      antenna_sel: antennaSel,
      fake_rate_n_flags: rate,
      csi,
    });
    kept.push(p);
  }
  return {
    records,
    kept: Int32Array.from(kept),
    clippedValues: clipped,
    totalValues: records.length * N_SC * N_ANT * 2,
    lostOverAir: lostAir,
    droppedNetlink: dropped,
    agcChanges,
  };
}
