// Decoding one Intel 5300 bfee payload (FORMATS.md §1.1–1.3): bit unpacking, the read_bf_file.m receive-antenna
// permutation and the get_scaled_csi factor.
//
// Why tables: the hot loop runs ~36 M times per second at the target speed. For a given (Nrx, Ntx, antenna_sel,
// output dims) every value's byte offset, bit shift and destination index are fixed, so they are computed once
// and cached (at most 3·3·256 keys), and the loop is two byte loads, shifts and two typed-array stores per value.
// The permutation is folded into the table as a gather (destination slot ← source antenna), which reproduces
// MATLAB's `csi(:, perm(1:Nrx), :) = csi(:, 1:Nrx, :)` exactly, including its odd cases: with a repeated index
// the last assignment wins and slots nobody is assigned to keep their unpermuted value.

/** 1-based permutation from antenna_sel bits (1:0), (3:2), (5:4), as read_bf_file.m. */
export function permFromAntennaSel(sel: number): [number, number, number] {
  return [(sel & 3) + 1, ((sel >> 2) & 3) + 1, ((sel >> 4) & 3) + 1];
}

/** Outcome of read_bf_file.m's permutation rule for one record. */
export type PermDecision = 'applied' | 'single-antenna' | 'invalid-sum' | 'out-of-range';

/**
 * read_bf_file.m permutes only when Nrx > 1 and sum(perm) == [1 3 6](Nrx). A perm that passes that test but
 * names antenna 4 (e.g. [1,1,4]) would make MATLAB grow the matrix to 4 receive antennas; we cannot represent
 * that, so we leave the order as read and say so ('out-of-range').
 */
export function permDecision(nrx: number, sel: number): PermDecision {
  if (nrx <= 1) return 'single-antenna';
  const p = permFromAntennaSel(sel);
  if (p[0] + p[1] + p[2] !== [1, 3, 6][nrx - 1]) return 'invalid-sum';
  for (let i = 0; i < nrx; i++) if (p[i] > nrx) return 'out-of-range';
  return 'applied';
}

/** For each destination element (sc, slot, tx) of one record: source byte, shift and destination index. */
export interface DecodeTable {
  count: number;
  byteOff: Int32Array;
  shift: Int32Array;
  dest: Int32Array;
  permApplied: boolean;
  /** read_bf_file.m's verdict for this (Nrx, antenna_sel), cached so the hot loop does not recompute it. */
  decision: PermDecision;
}

const tableCache = new Map<number, DecodeTable>();

/**
 * Table for a record with nrx × ntx streams and antenna_sel, written into a packet block whose dims are
 * outRx × outTx (the recording maxima, or the record's own for frames). Layout of the block: sc × rx × tx × [re,im].
 */
export function decodeTable(nrx: number, ntx: number, sel: number, outRx: number, outTx: number): DecodeTable {
  const key = (((nrx * 4 + ntx) * 256 + (sel & 0x3f)) * 4 + outRx) * 4 + outTx;
  let t = tableCache.get(key);
  if (t) return t;
  const decision = permDecision(nrx, sel);
  const applied = decision === 'applied';
  const srcForSlot = [0, 1, 2].slice(0, nrx);
  if (applied) {
    const p = permFromAntennaSel(sel);
    for (let i = 0; i < nrx; i++) srcForSlot[p[i] - 1] = i;
  }
  const nk = nrx * ntx;
  const count = 30 * nk;
  const byteOff = new Int32Array(count),
    shift = new Int32Array(count),
    dest = new Int32Array(count);
  let e = 0;
  for (let sc = 0; sc < 30; sc++) {
    for (let slot = 0; slot < nrx; slot++) {
      for (let tx = 0; tx < ntx; tx++) {
        const k = srcForSlot[slot] * ntx + tx; // k = rx*Ntx + tx in payload order (tx fastest)
        const bit = 3 * (sc + 1) + (sc * nk + k) * 16;
        byteOff[e] = bit >> 3;
        shift[e] = bit & 7;
        dest[e] = ((sc * outRx + slot) * outTx + tx) * 2;
        e++;
      }
    }
  }
  t = { count, byteOff, shift, dest, permApplied: applied, decision };
  tableCache.set(key, t);
  return t;
}

/**
 * Unpack one payload starting at b[payload] into out[base + dest…] (re, im) and return Σ|H|² of what was written
 * (the permuted CSI, as get_scaled_csi sees it). Never reads past payload + len - 1 (FORMATS.md §1.2).
 */
export function decodePayload(b: Uint8Array, payload: number, t: DecodeTable, out: Float32Array, base: number): number {
  const { count, byteOff, shift, dest } = t;
  let pwr = 0;
  for (let e = 0; e < count; e++) {
    const i = payload + byteOff[e];
    const r = shift[e];
    const b1 = b[i + 1];
    const re = (((b[i] >> r) | (b1 << (8 - r))) << 24) >> 24;
    const im = (((b1 >> r) | (b[i + 2] << (8 - r))) << 24) >> 24;
    const d = base + dest[e];
    out[d] = re;
    out[d + 1] = im;
    pwr += re * re + im * im;
  }
  return pwr;
}

/** Raw payload-order values (interleaved re, im; k = rx*Ntx + tx fastest, 30 groups), no permutation. */
export function unpackPayloadRaw(b: Uint8Array, payload: number, nrx: number, ntx: number): Int8Array {
  const nk = nrx * ntx;
  const out = new Int8Array(60 * nk);
  let bit = 0,
    j = 0;
  for (let sc = 0; sc < 30; sc++) {
    bit += 3;
    for (let k = 0; k < nk; k++) {
      const i = payload + (bit >> 3),
        r = bit & 7;
      out[j++] = (b[i] >> r) | (b[i + 1] << (8 - r));
      out[j++] = (b[i + 1] >> r) | (b[i + 2] << (8 - r));
      bit += 16;
    }
  }
  return out;
}

const DBINV_U8 = new Float64Array(256).map((_, x) => Math.pow(10, x / 10));
const SQRT2 = Math.sqrt(2);
const SQRT_DBINV_4_5 = Math.sqrt(Math.pow(10, 4.5 / 10));

/**
 * get_scaled_csi's factor for one record (FORMATS.md §1.3): scaled = H · factor. Pure float64, in MATLAB's order
 * of operations. Returns NaN/Infinity where MATLAB would (no CSI power, no RSSI).
 */
export function scaleFactor(
  rssiA: number,
  rssiB: number,
  rssiC: number,
  agc: number,
  noise: number,
  nrx: number,
  ntx: number,
  csiPwr: number,
): number {
  const rssiPwr = rssiPower(rssiA, rssiB, rssiC, agc);
  const scale = rssiPwr / (csiPwr / 30);
  const thermal = THERMAL_S8[noise & 0xff];
  const quant = scale * (nrx * ntx);
  let f = Math.sqrt(scale / (thermal + quant));
  if (ntx === 2) f *= SQRT2;
  else if (ntx === 3) f *= SQRT_DBINV_4_5;
  return f;
}

/** thermal noise power 10^(noise_db/10) for every s8 noise byte, with -127 (unknown) read as -92 dBm. */
const THERMAL_S8 = new Float64Array(256).map((_, u) => {
  const noise = (u << 24) >> 24;
  return Math.pow(10, (noise === -127 ? -92 : noise) / 10);
});

// rssi_pwr depends only on (rssi_a, rssi_b, rssi_c, agc), which take few distinct values in a recording; caching
// it saves a log10 and a pow per record. Bounded so a fuzzed file cannot grow it without limit.
const rssiPwrCache = new Map<number, number>();

/** rssi_pwr = dbinv(total_rss) in mW (FORMATS.md §1.3 steps 2–3), in MATLAB's order of operations. */
function rssiPower(rssiA: number, rssiB: number, rssiC: number, agc: number): number {
  const key = ((rssiA << 24) | (rssiB << 16) | (rssiC << 8) | agc) >>> 0;
  let v = rssiPwrCache.get(key);
  if (v === undefined) {
    v = Math.pow(10, totalRssDbm(rssiA, rssiB, rssiC, agc) / 10);
    if (rssiPwrCache.size >= 4096) rssiPwrCache.clear();
    rssiPwrCache.set(key, v);
  }
  return v;
}

/** total_rss in dBm (FORMATS.md §1.3 step 2), exposed for tests and the inspector. */
export function totalRssDbm(rssiA: number, rssiB: number, rssiC: number, agc: number): number {
  let mag = 0;
  if (rssiA !== 0) mag += DBINV_U8[rssiA];
  if (rssiB !== 0) mag += DBINV_U8[rssiB];
  if (rssiC !== 0) mag += DBINV_U8[rssiC];
  return 10 * Math.log10(mag) - 44 - agc;
}

/** OFDM subcarrier indices of the 30 reported groups (FORMATS.md §1.2). */
export const SUBCARRIERS_20MHZ = Int16Array.from([
  -28, -26, -24, -22, -20, -18, -16, -14, -12, -10, -8, -6, -4, -2, -1, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 28,
]);
export const SUBCARRIERS_40MHZ = Int16Array.from([
  -58, -54, -50, -46, -42, -38, -34, -30, -26, -22, -18, -14, -10, -6, -2, 2, 6, 10, 14, 18, 22, 26, 30, 34, 38, 42, 46, 50, 54, 58,
]);
/** rate_n_flags bit for a 40 MHz (HT40) packet. */
export const RATE_HT40 = 0x800;
