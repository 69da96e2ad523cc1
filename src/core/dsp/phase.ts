// Phase unwrapping and linear phase sanitisation.
//
// The raw Intel 5300 phase is the channel phase plus a per-packet random offset (CFO, initial phase) and a
// per-packet slope across subcarriers (sampling-frequency offset, packet-detection delay) [see
// docs/csi-simulator.md §1.3]. Sanitisation (as in SpotFi / Sen et al.) unwraps the phase across subcarriers
// and removes the least-squares line φ ≈ a·k + b over the *real* OFDM subcarrier indices k (for the Intel
// 5300's 20 MHz grouping −28, −26, …, −2, −1, 1, …, 28 the spacing is not uniform, so using 0..29 would bend
// the fit). What remains is invariant to any per-packet offset and slope.
//
// Devices that dump the whole FFT (Nexmon, ESP32) also deliver tones without a channel estimate: the DC null, the
// guard bands, sub-channels a narrower frame did not occupy (a 20 MHz frame in an 80 MHz capture leaves 3/4 of the
// columns as noise), and a few words the firmware overwrote (bcm43455c0: huge values next to DC). Their phase is
// noise, and one of them inside a numpy-style unwrap chain shifts every later tone by 2π: "sanitised" phase then
// reached ±40 rad on Nexmon. sanitizeRow therefore fits only tones that carry the channel (tonePlan.ts: data and
// pilot tones; of those, the ones whose |H| is within −20 dB … +12 dB of the packet's 90th-percentile |H|),
// unwraps along increasing subcarrier index, bridges gaps (DC, a skipped tone) with the packet's own phase slope,
// fits each occupied block (sub-channel) on its own, and leaves every other tone NaN.
import type { CsiRecording } from '../formats/types';
import { DspError } from './errors';
import { carriesChannel, toneKinds, toneSegments } from './tonePlan';

/** numpy.unwrap on a strided view: adds multiples of 2π so successive samples differ by at most π. */
export function unwrapInPlace(x: Float64Array | Float32Array, n: number, stride = 1, offset = 0): void {
  let correction = 0;
  let prev = x[offset];
  for (let i = 1; i < n; i++) {
    const idx = offset + i * stride;
    const raw = x[idx];
    // NaN (a tone without a channel estimate in that packet) is left as it is and does not break the chain.
    if (raw !== raw) continue;
    if (prev !== prev) {
      prev = raw;
      continue;
    }
    const d = raw - prev;
    // numpy: ddmod = mod(d + π, 2π) − π, with +π kept for d > 0 at the boundary.
    let dm = ((((d + Math.PI) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)) - Math.PI;
    if (dm === -Math.PI && d > 0) dm = Math.PI;
    if (Math.abs(d) >= Math.PI) correction += dm - d;
    prev = raw;
    x[idx] = raw + correction;
  }
}

/** Unwrap each column of a T × S row-major matrix along time. */
export function unwrapTime(phase: Float64Array, nTime: number, nStreams: number): void {
  for (let s = 0; s < nStreams; s++) unwrapInPlace(phase, nTime, nStreams, s);
}

/** Unwrap each row of a T × S row-major matrix across streams (subcarriers). */
export function unwrapSubcarriers(phase: Float64Array, nTime: number, nStreams: number): void {
  for (let t = 0; t < nTime; t++) unwrapInPlace(phase, nStreams, 1, t * nStreams);
}

/**
 * Remove, per row, the least-squares line a·k + b over subcarrier indices `k` (phase already unwrapped across
 * subcarriers). In place.
 */
export function removeLinearPhase(phase: Float64Array, nTime: number, k: ArrayLike<number>): void {
  const S = k.length;
  let km = 0;
  for (let i = 0; i < S; i++) km += k[i];
  km /= S;
  let skk = 0;
  for (let i = 0; i < S; i++) skk += (k[i] - km) ** 2;
  for (let t = 0; t < nTime; t++) {
    const o = t * S;
    let pm = 0;
    for (let i = 0; i < S; i++) pm += phase[o + i];
    pm /= S;
    let skp = 0;
    for (let i = 0; i < S; i++) skp += (k[i] - km) * (phase[o + i] - pm);
    const a = skk > 0 ? skp / skk : 0;
    for (let i = 0; i < S; i++) phase[o + i] -= pm + a * (k[i] - km);
  }
}

export interface SanitizeOptions {
  rx?: number;
  tx?: number;
  /** Unwrap the sanitised phase along time as well (default true). */
  unwrapTime?: boolean;
}

/** |H| within these factors of the packet's 90th-percentile |H| counts as carrying the channel. */
const LOW = 0.1,
  HIGH = 4;

/**
 * Sanitised phase of one packet (see the file header): `re`, `im` and subcarrier index `k` per tone (any order,
 * distinct indices), `usable` = the tone plan allows it (undefined: all). Writes the residual after removing the
 * least-squares line over k to `out` (same order), NaN for tones left out. Returns how many tones were fitted.
 */
export function sanitizeRow(
  re: ArrayLike<number>,
  im: ArrayLike<number>,
  k: ArrayLike<number>,
  usable: ArrayLike<boolean> | undefined,
  out: Float64Array,
): number {
  const n = k.length;
  out.fill(NaN, 0, n);
  const amp = new Float64Array(n);
  const cand: number[] = [];
  for (let i = 0; i < n; i++) {
    amp[i] = Math.hypot(re[i], im[i]);
    if ((!usable || usable[i]) && amp[i] > 0 && Number.isFinite(amp[i])) cand.push(i);
  }
  if (cand.length < 3) return 0;
  const sorted = cand.map(i => amp[i]).sort((a, b) => a - b);
  const ref = sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))];
  const use = cand.filter(i => amp[i] >= LOW * ref && amp[i] <= HIGH * ref).sort((a, b) => k[a] - k[b]);
  if (use.length < 4) return 0;
  let gMin = Infinity;
  for (let j = 1; j < use.length; j++) gMin = Math.min(gMin, k[use[j]] - k[use[j - 1]]);
  // Blocks: a gap wider than max(4, 2 × the tone spacing) (a missing sub-channel, not the DC null or one faded
  // tone) ends one. Each block gets its own line: Broadcom chips estimate a non-HT duplicate frame per 20 MHz
  // sub-channel, each with its own phase offset and slope (example_43455c0.pcap: −0.75 vs +0.1 rad per tone).
  const split = Math.max(4, 2 * gMin);
  let fitted = 0;
  for (let j0 = 0; j0 < use.length;) {
    let j1 = j0 + 1;
    while (j1 < use.length && k[use[j1]] - k[use[j1 - 1]] <= split) j1++;
    if (j1 - j0 >= 4) {
      fitBlock(re, im, k, use.slice(j0, j1), gMin, out);
      fitted += j1 - j0;
    }
    j0 = j1;
  }
  return fitted;
}

/** One block of sanitizeRow: unwrap along k bridging gaps with the block's phase step, remove the LSQ line. */
function fitBlock(
  re: ArrayLike<number>,
  im: ArrayLike<number>,
  k: ArrayLike<number>,
  use: number[],
  gMin: number,
  out: Float64Array,
): void {
  // The block's phase step per tone: circular mean over neighbours at the smallest spacing (no unwrapping needed).
  let sr = 0,
    si = 0;
  for (let j = 1; j < use.length; j++) {
    const a = use[j],
      b = use[j - 1];
    if (k[a] - k[b] !== gMin) continue;
    sr += re[a] * re[b] + im[a] * im[b];
    si += im[a] * re[b] - re[a] * im[b];
  }
  const step = sr === 0 && si === 0 ? 0 : Math.atan2(si, sr) / gMin;
  const ph = new Float64Array(use.length);
  for (let j = 0; j < use.length; j++) {
    const i = use[j],
      raw = Math.atan2(im[i], re[i]);
    if (j === 0) {
      ph[0] = raw;
      continue;
    }
    const pred = ph[j - 1] + step * (k[i] - k[use[j - 1]]);
    ph[j] = raw + 2 * Math.PI * Math.round((pred - raw) / (2 * Math.PI));
  }
  // Least-squares line; a tone the chain put a whole turn off the line (a bad edge tone, where the chain starts)
  // is moved onto it and the line fitted again.
  let [pm, a, km] = lsqLine(k, use, ph);
  for (let j = 0; j < use.length; j++) ph[j] -= 2 * Math.PI * Math.round((ph[j] - pm - a * (k[use[j]] - km)) / (2 * Math.PI));
  [pm, a, km] = lsqLine(k, use, ph);
  for (let j = 0; j < use.length; j++) out[use[j]] = ph[j] - pm - a * (k[use[j]] - km);
}

/** φ ≈ pm + a·(k − km) over the tones `use` (ph in the order of `use`): [pm, a, km]. */
function lsqLine(k: ArrayLike<number>, use: number[], ph: Float64Array): [number, number, number] {
  let km = 0,
    pm = 0;
  for (let j = 0; j < use.length; j++) {
    km += k[use[j]];
    pm += ph[j];
  }
  km /= use.length;
  pm /= use.length;
  let skk = 0,
    skp = 0;
  for (let j = 0; j < use.length; j++) {
    const d = k[use[j]] - km;
    skk += d * d;
    skp += d * (ph[j] - pm);
  }
  return [pm, skk > 0 ? skp / skk : 0, km];
}

/**
 * Sanitised phase of one rx/tx pair: T × nSubcarriers (row-major, column order of the recording), slope and offset
 * removed per packet and per segment (ESP32 training fields are fitted separately), NaN on tones without a channel
 * estimate (see sanitizeRow).
 */
export function sanitizedPhase(rec: CsiRecording, opts: SanitizeOptions = {}): Float64Array {
  const rx = opts.rx ?? 0,
    tx = opts.tx ?? 0;
  if (rx < 0 || rx >= rec.nRx || tx < 0 || tx >= rec.nTx) {
    throw new DspError('bad-argument', `antenna rx ${rx} / tx ${tx} outside ${rec.nRx}×${rec.nTx}`, rec.file);
  }
  const T = rec.nPackets,
    S = rec.nSubcarriers;
  const ph = new Float64Array(T * S);
  const fields = rec.meta.trainingFields as { name: string; start: number; count: number }[] | undefined;
  const kinds = toneKinds(rec.subcarrierIndices, fields);
  for (const seg of toneSegments(rec.subcarrierIndices, fields)) {
    const m = seg.columns.length;
    const re = new Float64Array(m),
      im = new Float64Array(m),
      out = new Float64Array(m);
    const k = seg.columns.map(c => rec.subcarrierIndices[c]),
      usable = seg.columns.map(c => carriesChannel(kinds[c]));
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < m; j++) {
        const i = 2 * (((t * S + seg.columns[j]) * rec.nRx + rx) * rec.nTx + tx);
        re[j] = rec.csi[i];
        im[j] = rec.csi[i + 1];
      }
      sanitizeRow(re, im, k, usable, out);
      for (let j = 0; j < m; j++) ph[t * S + seg.columns[j]] = out[j];
    }
  }
  if (opts.unwrapTime ?? true) unwrapTime(ph, T, S);
  return ph;
}
