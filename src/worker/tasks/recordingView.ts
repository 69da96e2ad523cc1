// Worker task: the data of the editor's linked charts (amplitude and phase heatmaps, CSI-ratio phase, per-packet
// strip) for one time window at ≤ maxColumns time columns.
//
// Decimation: a window with at most maxColumns packets comes at full resolution (one column per packet). A longer
// one is cut into maxColumns buckets of consecutive packets: in 'whole' mode every packet contributes (amplitude =
// mean |H| of the bucket, CSI ratio = arg of the summed H_rx·conj(H_rx2), which is the power-weighted mean of the
// ratio's phase); in 'indexed' mode (big files) only the first SAMPLE_PACKETS packet(s) of each bucket are decoded,
// which is what makes a 100 MB overview fast. Phase is the bucket's first packet in both: the mean of wrapped
// phases means nothing. The per-packet strip always uses every packet (it comes from the index, not the CSI).
//
// Rows: one per distinct subcarrier in increasing index (summary.subcarrierAxis, core/dsp/tonePlan.ts), so ESP32's
// repeated training fields and any device order become a proper frequency axis.
import type { CsiRecording } from '../../core/formats/types';
import { sanitizeRow } from '../../core/dsp/phase';
import { carriesChannel, subcarrierAxis, type SubcarrierAxis } from '../../core/dsp/tonePlan';
import { RATE_WINDOW_S, type ViewControls, type ViewData, type ViewRequest } from '../../shared/recordingView';
import type { TaskContext } from '../taskContext';
import { cachedSource, lostFromSeq, packetRange, type RecordingSource } from './recordingSource';

const SAMPLE_PACKETS = 1;

/** Float32-level precision is all a chart can show; fewer digits keep the JSON to the webview small. */
const round = (x: number) => (Number.isFinite(x) ? Math.fround(x) : NaN);

interface Accum {
  amp: Float64Array;
  ampN: Uint32Array; // nSc × nCols
  phase: Float64Array;
  phaseSet: Uint8Array; // nSc × nCols
  ratioRe: Float64Array;
  ratioIm: Float64Array; // nLines × nCols
  scaled: boolean;
}

function newAccum(nSc: number, nLines: number, nCols: number): Accum {
  return {
    amp: new Float64Array(nSc * nCols),
    ampN: new Uint32Array(nSc * nCols),
    phase: new Float64Array(nSc * nCols).fill(NaN),
    phaseSet: new Uint8Array(nCols),
    ratioRe: new Float64Array(nLines * nCols),
    ratioIm: new Float64Array(nLines * nCols),
    scaled: false,
  };
}

/** Add packets [p0, p1) of `rec` (all belonging to column `col`) to the accumulators (rows = axis rows). */
function addPackets(
  acc: Accum,
  rec: CsiRecording,
  p0: number,
  p1: number,
  col: number,
  nCols: number,
  axis: RowAxis,
  c: ViewControls,
  lines: number[],
  notes: Set<string>,
): void {
  const { nSubcarriers: nSc, nRx, nTx } = rec;
  if (c.rx >= nRx || c.tx >= nTx) {
    notes.add(`antenna rx ${c.rx + 1} / tx ${c.tx + 1} is not in this part of the recording (${nRx}×${nTx})`);
    return;
  }
  const src = c.useScaled && rec.scaled ? rec.scaled : rec.csi;
  if (src !== rec.csi) acc.scaled = true;
  const R = axis.columns.length;
  for (let p = p0; p < p1; p++) {
    for (let r = 0; r < R; r++) {
      const sc = axis.columns[r];
      if (sc >= nSc) continue;
      const i = 2 * (((p * nSc + sc) * nRx + c.rx) * nTx + c.tx);
      const k = r * nCols + col;
      acc.amp[k] += Math.hypot(src[i], src[i + 1]);
      acc.ampN[k]++;
    }
    if (c.rx2 !== c.rx && c.rx2 < nRx) {
      for (let l = 0; l < lines.length; l++) {
        const sc = lines[l];
        if (sc >= nSc) continue;
        const i = 2 * (((p * nSc + sc) * nRx + c.rx) * nTx + c.tx);
        const j = 2 * (((p * nSc + sc) * nRx + c.rx2) * nTx + c.tx);
        // H1·conj(H2): same phase as H1/H2, and summing it weights each packet by its power (no division by ~0).
        acc.ratioRe[l * nCols + col] += src[i] * src[j] + src[i + 1] * src[j + 1];
        acc.ratioIm[l * nCols + col] += src[i + 1] * src[j] - src[i] * src[j + 1];
      }
    }
  }
  if (!acc.phaseSet[col] && p1 > p0) {
    acc.phaseSet[col] = 1;
    const re = new Float64Array(R),
      im = new Float64Array(R),
      ph = new Float64Array(R).fill(NaN);
    for (let r = 0; r < R; r++) {
      const sc = axis.columns[r];
      if (sc >= nSc) {
        re[r] = im[r] = NaN;
        continue;
      }
      const i = 2 * (((p0 * nSc + sc) * nRx + c.rx) * nTx + c.tx);
      re[r] = rec.csi[i];
      im[r] = rec.csi[i + 1];
      ph[r] = Math.atan2(im[r], re[r]);
    }
    // sanitizedPhase (core/dsp/phase.ts) for one packet, on the sorted rows directly: tones that carry the channel,
    // unwrapped along the index, line removed per occupied block, NaN elsewhere (no time unwrap: columns are
    // independent packets).
    if (c.phaseMode === 'sanitised') sanitizeRow(re, im, axis.indices, axis.usable, ph);
    for (let r = 0; r < R; r++) acc.phase[r * nCols + col] = ph[r];
  }
}

interface RowAxis {
  columns: number[];
  indices: number[];
  usable: boolean[];
}

/** The q-quantile (0…1) of the finite values of `v` (sorted in place). */
function quantile(v: Float64Array, q: number): number {
  if (v.length === 0) return NaN;
  v.sort();
  return v[Math.min(v.length - 1, Math.max(0, Math.round(q * (v.length - 1))))];
}

/**
 * Colour range of the amplitude heatmap: the 1st and 99th percentile of the rows that carry the channel, leaving
 * out rows whose median is more than 4× the 90th percentile of the row medians (words a firmware wrote over a
 * tone: bcm43455c0 puts values ~30× the channel's next to DC). At most ~200 k cells are sampled.
 */
export function amplitudeRange(amplitude: number[][], axis: Pick<SubcarrierAxis, 'kinds'>): [number, number] | undefined {
  const rows = amplitude.map((_, r) => r).filter(r => carriesChannel(axis.kinds[r] ?? 'data'));
  const finite = (row: number[]) => Float64Array.from(row.filter(Number.isFinite));
  const medians = rows.map(r => quantile(finite(amplitude[r]), 0.5));
  const ref = quantile(Float64Array.from(medians.filter(Number.isFinite)), 0.9);
  const keep = rows.filter((_, i) => !(medians[i] > 4 * ref));
  const cols = amplitude[0]?.length ?? 0;
  const stride = Math.max(1, Math.ceil((keep.length * cols) / 200000));
  const vals: number[] = [];
  for (const r of keep)
    for (let j = 0; j < cols; j += stride) {
      const x = amplitude[r][j];
      if (Number.isFinite(x)) vals.push(x);
    }
  if (vals.length === 0) return undefined;
  const v = Float64Array.from(vals);
  const lo = quantile(v, 0.01),
    hi = quantile(v, 0.99);
  return hi > lo ? [round(lo), round(hi)] : undefined;
}

/** Packets per second around each column: packets within max(RATE_WINDOW_S, the column's span) centred on it. */
export function windowedRate(timeS: Float64Array, n: number, centres: number[], spans: number[]): number[] {
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
  const t0 = n ? timeS[0] : 0,
    t1 = n ? timeS[n - 1] : 0;
  return centres.map((tc, i) => {
    const w = Math.max(RATE_WINDOW_S, spans[i]);
    const a = Math.max(t0, tc - w / 2),
      b = Math.min(t1, tc + w / 2);
    // The window clipped to the recording; a recording shorter than the window is measured over its duration.
    const width = b - a;
    if (!(width > 0) || !Number.isFinite(tc)) return NaN;
    const count = lower(b + 1e-12) - lower(a);
    return round(count / width);
  });
}

export function computeView(src: RecordingSource, req: ViewRequest, ctx?: TaskContext): ViewData {
  const t0 = performance.now();
  const { index, summary } = src;
  const c = req.controls;
  const notes = new Set<string>();
  const [a, b] = packetRange(index.timeS, index.n, req.rangeS);
  const nPk = b - a;
  const maxCols = Math.max(1, Math.floor(req.maxColumns));
  const full = nPk <= maxCols;
  const nCols = full ? nPk : maxCols;
  const nSc = summary.nSubcarriers;
  const lines = c.subcarriers.filter(s => Number.isInteger(s) && s >= 0 && s < nSc);
  if (c.subcarriers.length !== lines.length) notes.add(`subcarriers outside 1..${nSc} were ignored`);
  // A one-antenna recording says so in the ratio chart itself; a note is for a choice the user can change.
  if (summary.nRx >= 2 && c.rx2 === c.rx) notes.add('CSI ratio needs two different receive antennas');
  else if (c.rx2 >= summary.nRx) notes.add(`CSI ratio: antenna rx ${c.rx2 + 1} does not exist (${summary.nRx} receive antennas)`);
  const ax = summary.subcarrierAxis ?? subcarrierAxis(summary.subcarrierIndices ?? []);
  const axis: RowAxis = { columns: ax.columns, indices: ax.indices, usable: ax.kinds.map(carriesChannel) };
  const nRows = axis.columns.length;
  const acc = newAccum(nRows, lines.length, nCols);
  // Column boundaries: packet a + floor(col·nPk/nCols).
  const colStart = (col: number) => a + Math.floor((col * nPk) / nCols);
  let resolution: ViewData['resolution'] = full ? 'full' : 'mean';
  if (nPk > 0) {
    if (full || src.mode === 'whole') {
      const rec = src.packets(a, b);
      for (let col = 0; col < nCols; col++) {
        addPackets(acc, rec, colStart(col) - a, colStart(col + 1) - a, col, nCols, axis, c, lines, notes);
        if (col % 256 === 0) ctx?.throwIfCancelled();
      }
    } else {
      resolution = 'sampled';
      const starts = new Int32Array(nCols + 1);
      const list: number[] = [];
      for (let col = 0; col < nCols; col++) {
        starts[col] = list.length;
        const s = colStart(col),
          e = Math.min(colStart(col + 1), s + SAMPLE_PACKETS);
        for (let p = s; p < e; p++) list.push(p);
      }
      starts[nCols] = list.length;
      const rec = src.packetsAt ? src.packetsAt(Int32Array.from(list)) : undefined;
      for (let col = 0; col < nCols; col++) {
        if (rec) addPackets(acc, rec, starts[col], starts[col + 1], col, nCols, axis, c, lines, notes);
        else {
          const r = src.packets(list[starts[col]], list[starts[col + 1] - 1] + 1);
          addPackets(acc, r, 0, r.nPackets, col, nCols, axis, c, lines, notes);
        }
        if (col % 256 === 0) ctx?.throwIfCancelled();
      }
    }
  }
  // Per-packet strip and column times from the index (every packet).
  const nCh = Math.min(index.nChains, Math.max(summary.nRx, 1));
  const timeS: number[] = new Array(nCols);
  const rssi: number[][] = Array.from({ length: nCh }, () => new Array<number>(nCols));
  const agc: number[] = new Array(nCols),
    lost: number[] = new Array(nCols),
    spans: number[] = new Array(nCols);
  for (let col = 0; col < nCols; col++) {
    const s = colStart(col),
      e = colStart(col + 1);
    let tSum = 0,
      agcSum = 0,
      agcN = 0;
    const rs = new Float64Array(nCh),
      rn = new Uint32Array(nCh);
    for (let p = s; p < e; p++) {
      tSum += index.timeS[p];
      const g = index.agc[p];
      if (Number.isFinite(g)) {
        agcSum += g;
        agcN++;
      }
      for (let ch = 0; ch < nCh; ch++) {
        const v = index.rssi[p * index.nChains + ch];
        if (Number.isFinite(v)) {
          rs[ch] += v;
          rn[ch]++;
        }
      }
    }
    timeS[col] = tSum / (e - s);
    agc[col] = agcN ? agcSum / agcN : NaN;
    for (let ch = 0; ch < nCh; ch++) rssi[ch][col] = rn[ch] ? round(rs[ch] / rn[ch]) : NaN;
    spans[col] = index.timeS[e - 1] - index.timeS[s];
    lost[col] = lostFromSeq(index.seq, Math.max(0, s - 1), e) ?? NaN;
  }
  // Packet rate over a window, not 1/Δt: Nexmon writes several packets within microseconds (43 k packets/s spikes).
  const rateHz = windowedRate(index.timeS, index.n, timeS, spans);
  const amplitude: number[][] = [],
    phase: number[][] = [],
    ratioPhase: number[][] = [];
  for (let sc = 0; sc < nRows; sc++) {
    const ar = new Array<number>(nCols),
      pr = new Array<number>(nCols);
    for (let col = 0; col < nCols; col++) {
      const k = sc * nCols + col;
      ar[col] = acc.ampN[k] ? round(acc.amp[k] / acc.ampN[k]) : NaN;
      pr[col] = round(acc.phase[k]);
    }
    amplitude.push(ar);
    phase.push(pr);
  }
  if (c.rx2 !== c.rx && c.rx2 < summary.nRx) {
    for (let l = 0; l < lines.length; l++) {
      const r = new Array<number>(nCols);
      for (let col = 0; col < nCols; col++) {
        const re = acc.ratioRe[l * nCols + col],
          im = acc.ratioIm[l * nCols + col];
        r[col] = re === 0 && im === 0 ? NaN : round(Math.atan2(im, re));
      }
      ratioPhase.push(r);
    }
  }
  if (index.clockResets > 0)
    notes.add(
      `the timestamps do not increase at ${index.clockResets} packet(s) (clock reset or repeated value): the time axis continues with the median packet interval there`,
    );
  return {
    packets: [a, b],
    rangeS: nPk ? [index.timeS[a], index.timeS[b - 1]] : [0, 0],
    resolution,
    timeS,
    subcarrierIndices: ax.indices,
    subcarrierColumns: ax.columns,
    toneKinds: ax.kinds,
    ampRange: amplitudeRange(amplitude, ax),
    amplitude,
    phase,
    ratioPhase,
    rssi,
    agc,
    rateHz,
    lost,
    scaled: acc.scaled,
    notes: [...notes],
    computeMs: performance.now() - t0,
  };
}

export async function recordingView(req: ViewRequest, ctx: TaskContext): Promise<ViewData> {
  const src = await cachedSource(req.path, ctx);
  return computeView(src, req, ctx);
}
