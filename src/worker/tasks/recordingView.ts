// Worker task: the data of the editor's linked charts (amplitude and phase heatmaps, CSI-ratio phase, per-packet
// strip) for one time window at ≤ maxColumns time columns.
//
// Decimation: a window with at most maxColumns packets comes at full resolution (one column per packet). A longer
// one is cut into maxColumns buckets of consecutive packets: in 'whole' mode every packet contributes (amplitude =
// mean |H| of the bucket, CSI ratio = arg of the summed H_rx·conj(H_rx2), which is the power-weighted mean of the
// ratio's phase); in 'indexed' mode (big files) only the first SAMPLE_PACKETS packet(s) of each bucket are decoded,
// which is what makes a 100 MB overview fast. Phase is the bucket's first packet in both: the mean of wrapped
// phases means nothing. The per-packet strip always uses every packet (it comes from the index, not the CSI).
import type { CsiRecording } from '../../core/formats/types';
import { removeLinearPhase, unwrapSubcarriers } from '../../core/dsp/phase';
import type { ViewControls, ViewData, ViewRequest } from '../../shared/recordingView';
import type { TaskContext } from '../taskContext';
import { cachedSource, lostFromSeq, packetRange, type RecordingSource } from './recordingSource';

const SAMPLE_PACKETS = 1;

/** Float32-level precision is all a chart can show; fewer digits keep the JSON to the webview small. */
const round = (x: number) => (Number.isFinite(x) ? Math.fround(x) : NaN);

interface Accum {
  amp: Float64Array; ampN: Uint32Array;       // nSc × nCols
  phase: Float64Array; phaseSet: Uint8Array;  // nSc × nCols
  ratioRe: Float64Array; ratioIm: Float64Array; // nLines × nCols
  scaled: boolean;
}

function newAccum(nSc: number, nLines: number, nCols: number): Accum {
  return {
    amp: new Float64Array(nSc * nCols), ampN: new Uint32Array(nSc * nCols),
    phase: new Float64Array(nSc * nCols).fill(NaN), phaseSet: new Uint8Array(nCols),
    ratioRe: new Float64Array(nLines * nCols), ratioIm: new Float64Array(nLines * nCols), scaled: false,
  };
}

/** Add packets [p0, p1) of `rec` (all belonging to column `col`) to the accumulators. */
function addPackets(acc: Accum, rec: CsiRecording, p0: number, p1: number, col: number, nCols: number, nScOut: number,
                    c: ViewControls, lines: number[], notes: Set<string>): void {
  const { nSubcarriers: nSc, nRx, nTx } = rec;
  if (c.rx >= nRx || c.tx >= nTx) { notes.add(`antenna rx ${c.rx + 1} / tx ${c.tx + 1} is not in this part of the recording (${nRx}×${nTx})`); return; }
  const src = c.useScaled && rec.scaled ? rec.scaled : rec.csi;
  if (src !== rec.csi) acc.scaled = true;
  const S = Math.min(nSc, nScOut);
  for (let p = p0; p < p1; p++) {
    for (let sc = 0; sc < S; sc++) {
      const i = 2 * (((p * nSc + sc) * nRx + c.rx) * nTx + c.tx);
      const k = sc * nCols + col;
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
    const ph = new Float64Array(S);
    for (let sc = 0; sc < S; sc++) {
      const i = 2 * (((p0 * nSc + sc) * nRx + c.rx) * nTx + c.tx);
      ph[sc] = Math.atan2(rec.csi[i + 1], rec.csi[i]);
    }
    if (c.phaseMode === 'sanitised') {
      // sanitizedPhase (core/dsp/phase.ts) for one packet, on the row directly: unwrap across subcarriers, then
      // remove the least-squares line over the OFDM indices (no time unwrap: columns are independent packets).
      unwrapSubcarriers(ph, 1, S);
      removeLinearPhase(ph, 1, rec.subcarrierIndices.subarray(0, S));
    }
    for (let sc = 0; sc < S; sc++) acc.phase[sc * nCols + col] = ph[sc];
  }
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
  const acc = newAccum(nSc, lines.length, nCols);
  // Column boundaries: packet a + floor(col·nPk/nCols).
  const colStart = (col: number) => a + Math.floor((col * nPk) / nCols);
  let resolution: ViewData['resolution'] = full ? 'full' : 'mean';
  if (nPk > 0) {
    if (full || src.mode === 'whole') {
      const rec = src.packets(a, b);
      for (let col = 0; col < nCols; col++) {
        addPackets(acc, rec, colStart(col) - a, colStart(col + 1) - a, col, nCols, nSc, c, lines, notes);
        if (col % 256 === 0) ctx?.throwIfCancelled();
      }
    } else {
      resolution = 'sampled';
      const starts = new Int32Array(nCols + 1);
      const list: number[] = [];
      for (let col = 0; col < nCols; col++) {
        starts[col] = list.length;
        const s = colStart(col), e = Math.min(colStart(col + 1), s + SAMPLE_PACKETS);
        for (let p = s; p < e; p++) list.push(p);
      }
      starts[nCols] = list.length;
      const rec = src.packetsAt ? src.packetsAt(Int32Array.from(list)) : undefined;
      for (let col = 0; col < nCols; col++) {
        if (rec) addPackets(acc, rec, starts[col], starts[col + 1], col, nCols, nSc, c, lines, notes);
        else { const r = src.packets(list[starts[col]], list[starts[col + 1] - 1] + 1); addPackets(acc, r, 0, r.nPackets, col, nCols, nSc, c, lines, notes); }
        if (col % 256 === 0) ctx?.throwIfCancelled();
      }
    }
  }
  // Per-packet strip and column times from the index (every packet).
  const nCh = Math.min(index.nChains, Math.max(summary.nRx, 1));
  const timeS: number[] = new Array(nCols);
  const rssi: number[][] = Array.from({ length: nCh }, () => new Array<number>(nCols));
  const agc: number[] = new Array(nCols), rateHz: number[] = new Array(nCols), lost: number[] = new Array(nCols);
  for (let col = 0; col < nCols; col++) {
    const s = colStart(col), e = colStart(col + 1);
    let tSum = 0, agcSum = 0, agcN = 0;
    const rs = new Float64Array(nCh), rn = new Uint32Array(nCh);
    for (let p = s; p < e; p++) {
      tSum += index.timeS[p];
      const g = index.agc[p];
      if (Number.isFinite(g)) { agcSum += g; agcN++; }
      for (let ch = 0; ch < nCh; ch++) { const v = index.rssi[p * index.nChains + ch]; if (Number.isFinite(v)) { rs[ch] += v; rn[ch]++; } }
    }
    timeS[col] = tSum / (e - s);
    agc[col] = agcN ? agcSum / agcN : NaN;
    for (let ch = 0; ch < nCh; ch++) rssi[ch][col] = rn[ch] ? round(rs[ch] / rn[ch]) : NaN;
    // Packet rate: packets per second over the bucket, measured from the previous packet so one-packet columns work.
    const tPrev = s > 0 ? index.timeS[s - 1] : NaN, tLast = index.timeS[e - 1];
    const span = Number.isFinite(tPrev) ? tLast - tPrev : e - s > 1 ? tLast - index.timeS[s] : NaN;
    const count = Number.isFinite(tPrev) ? e - s : e - s - 1;
    rateHz[col] = span > 0 ? round(count / span) : NaN;
    lost[col] = lostFromSeq(index.seq, Math.max(0, s - 1), e) ?? NaN;
  }
  const amplitude: number[][] = [], phase: number[][] = [], ratioPhase: number[][] = [];
  for (let sc = 0; sc < nSc; sc++) {
    const ar = new Array<number>(nCols), pr = new Array<number>(nCols);
    for (let col = 0; col < nCols; col++) {
      const k = sc * nCols + col;
      ar[col] = acc.ampN[k] ? round(acc.amp[k] / acc.ampN[k]) : NaN;
      pr[col] = round(acc.phase[k]);
    }
    amplitude.push(ar); phase.push(pr);
  }
  if (c.rx2 !== c.rx && c.rx2 < summary.nRx) {
    for (let l = 0; l < lines.length; l++) {
      const r = new Array<number>(nCols);
      for (let col = 0; col < nCols; col++) {
        const re = acc.ratioRe[l * nCols + col], im = acc.ratioIm[l * nCols + col];
        r[col] = re === 0 && im === 0 ? NaN : round(Math.atan2(im, re));
      }
      ratioPhase.push(r);
    }
  }
  if (index.clockResets > 0) notes.add(`the timestamps do not increase at ${index.clockResets} packet(s) (clock reset or repeated value): the time axis continues with the median packet interval there`);
  return {
    packets: [a, b],
    rangeS: nPk ? [index.timeS[a], index.timeS[b - 1]] : [0, 0],
    resolution, timeS, subcarrierIndices: summary.subcarrierIndices ?? [], amplitude, phase, ratioPhase,
    rssi, agc, rateHz, lost, scaled: acc.scaled, notes: [...notes], computeMs: performance.now() - t0,
  };
}

export async function recordingView(req: ViewRequest, ctx: TaskContext): Promise<ViewData> {
  const src = await cachedSource(req.path, ctx);
  return computeView(src, req, ctx);
}
