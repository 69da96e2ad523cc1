// Per-packet helpers of a recording source: display time from NIC clocks (with resets), packets lost from sequence
// numbers, a packet window of a recording, and the packets of a time range.
import type { CsiRecording } from '../../core/formats/types';

/** Monotone display time from raw µs timestamps (see the file header). */
export function displayTime(timestampUs: ArrayLike<number>, n: number): { timeS: Float64Array; clockResets: number } {
  const timeS = new Float64Array(n);
  if (n === 0) return { timeS, clockResets: 0 };
  const steps: number[] = [];
  const stride = Math.max(1, Math.floor(n / 4096));
  for (let i = stride; i < n; i += stride) {
    const d = timestampUs[i] - timestampUs[i - 1];
    if (d > 0 && Number.isFinite(d)) steps.push(d);
  }
  steps.sort((x, y) => x - y);
  // No increasing step at all (e.g. a log whose timestamp field is constant): 1 ms per packet, flagged as resets.
  const median = steps.length ? steps[steps.length >> 1] : 1000;
  let resets = 0;
  for (let i = 1; i < n; i++) {
    const d = timestampUs[i] - timestampUs[i - 1];
    const step = Number.isFinite(d) && (d > 0 || (d === 0 && steps.length > 0)) ? d : (resets++, median);
    timeS[i] = timeS[i - 1] + step / 1e6;
  }
  return { timeS, clockResets: resets };
}

/** Packets lost according to sequence-number gaps (16-bit counters, or 12-bit 802.11 sequence numbers). */
export function lostFromSeq(seq: Int32Array, a = 0, b = seq.length): number | undefined {
  if (b - a < 2 || seq[a] < 0) return undefined;
  let max = 0;
  for (let i = a; i < b; i++) if (seq[i] > max) max = seq[i];
  const mod = max < 4096 ? 4096 : 65536;
  let lost = 0;
  for (let i = a + 1; i < b; i++) {
    if (seq[i] < 0 || seq[i - 1] < 0) continue;
    const d = (seq[i] - seq[i - 1] + mod) % mod;
    // d == 0: a repeated packet; a huge d is a backward jump (reordering or a restart), not a loss.
    if (d > 1 && d < mod / 2) lost += d - 1;
  }
  return lost;
}

/** Zero-copy view of packets [a, b) of a whole recording. */
export function sliceRecording(rec: CsiRecording, a: number, b: number): CsiRecording {
  const block = 2 * rec.nSubcarriers * rec.nRx * rec.nTx;
  // No object spread: `scaled` may be a lazy getter (Intel) and spreading would materialise it for the whole file.
  const out: CsiRecording = {
    format: rec.format,
    file: rec.file,
    device: rec.device,
    nPackets: b - a,
    nSubcarriers: rec.nSubcarriers,
    nRx: rec.nRx,
    nTx: rec.nTx,
    subcarrierIndices: rec.subcarrierIndices,
    bandwidthMHz: rec.bandwidthMHz,
    carrierHz: rec.carrierHz,
    diagnostics: [],
    meta: rec.meta,
    timestampUs: rec.timestampUs.subarray(a, b),
    seq: rec.seq.subarray(a, b),
    nRxPerPacket: rec.nRxPerPacket.subarray(a, b),
    nTxPerPacket: rec.nTxPerPacket.subarray(a, b),
    rssi: rec.rssi.subarray(a * rec.nRx, b * rec.nRx),
    noise: rec.noise.subarray(a, b),
    agc: rec.agc.subarray(a, b),
    rate: rec.rate.subarray(a, b),
    csi: rec.csi.subarray(a * block, b * block),
    offsets: rec.offsets.subarray(a, b),
    scaleFactor: rec.scaleFactor?.subarray(a, b),
  };
  Object.defineProperty(out, 'scaled', { configurable: true, enumerable: true, get: () => rec.scaled?.subarray(a * block, b * block) });
  return out;
}

/** First packet at or after t0 and the end after t1 on the monotone display time axis. */
export function packetRange(timeS: Float64Array, n: number, rangeS?: [number, number]): [number, number] {
  if (!rangeS || n === 0) return [0, n];
  const lower = (t: number) => {
    let lo = 0,
      hi = n;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (timeS[m] < t) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  const upper = (t: number) => {
    let lo = 0,
      hi = n;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (timeS[m] <= t) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  let a = lower(Math.min(rangeS[0], rangeS[1])),
    b = upper(Math.max(rangeS[0], rangeS[1]));
  if (b <= a) {
    a = Math.min(a, n - 1);
    b = a + 1;
  } // a range between two packets shows the nearest one
  return [a, b];
}
