// What the recording editor's charts show, computed in the worker (src/worker/tasks/recordingView.ts,
// recordingDoppler.ts) and forwarded by the host to the webview. Small and JSON-safe: the webview gets plain
// number arrays (VS Code serialises webview messages as JSON; see bench/editor.bench.ts for the sizes).
import type { ToneKind } from '../core/dsp/tonePlan';
import type { RecordingSummary } from './recordingSummary';

/** The user's view settings; persisted per file, defaults from `csiWorkbench.editor.*` settings. */
export interface ViewControls {
  rx: number;
  tx: number;
  /** Second receive antenna of the CSI-ratio pair (H_rx / H_rx2). */
  rx2: number;
  /** Subcarrier columns (0-based) plotted as lines in the CSI-ratio view. */
  subcarriers: number[];
  /** Scaled CSI (get_scaled_csi) where the format defines it, else raw. */
  useScaled: boolean;
  phaseMode: 'raw' | 'sanitised';
  colorScale: string;
  /** Doppler window (s) and band (±Hz). */
  dopplerWindowS: number;
  dopplerBandHz: number;
}

export interface ViewRequest {
  path: string;
  controls: ViewControls;
  /** Visible time range, seconds from the first packet; undefined = whole recording. */
  rangeS?: [number, number];
  /** At most this many time columns (the decimated overview); a window with fewer packets comes at full resolution. */
  maxColumns: number;
}

/** Time columns of a view: either one per packet (full resolution) or buckets of several packets. */
export interface ViewData {
  /** Packet range [first, end) of the recording covered. */
  packets: [number, number];
  /** Time range actually covered (s from the first packet of the recording). */
  rangeS: [number, number];
  /** 'full': one column per packet; 'mean': each column averages the packets of its bucket; 'sampled': each
   *  column is computed from a few packets read at the bucket's start (big files, see recordingSource.ts). */
  resolution: 'full' | 'mean' | 'sampled';
  /** Column centre times (s). */
  timeS: number[];
  /** Subcarrier index of each heatmap row (OFDM index, e.g. -28…28): sorted and distinct (summary.subcarrierAxis). */
  subcarrierIndices: number[];
  /** CSI column (0-based) of each heatmap row; tone kind of each row (802.11 tone plan, core/dsp/tonePlan.ts). */
  subcarrierColumns: number[];
  toneKinds: ToneKind[];
  /** Colour range of the amplitude heatmap: 1st / 99th percentile of the data and pilot rows (null, guard and
   *  firmware-overwritten tones would otherwise set it: one DC word made a Nexmon heatmap dark). */
  ampRange?: [number, number];
  /** |H| per [subcarrier][column] for the chosen rx/tx (mean over the bucket). */
  amplitude: number[][];
  /** Phase per [subcarrier][column] (rad), raw (wrapped) or sanitised, of the bucket's first packet. */
  phase: number[][];
  /** arg(H_rx / H_rx2) per chosen subcarrier [line][column] (rad); empty when rx === rx2 or nRx < 2. */
  ratioPhase: number[][];
  /** Per-packet strip, per column: RSSI per chain [chain][column], AGC, packet rate (Hz: packets within
   *  RATE_WINDOW_S, or the column's bucket if longer, around the column, so coincident timestamps make no spike)
   *  and lost packets. */
  rssi: number[][];
  agc: number[];
  rateHz: number[];
  lost: number[];
  /** True when the amplitude is scaled CSI (asked for, and the format defines a scaling). */
  scaled: boolean;
  /** Which parts could not be computed and why (e.g. "antenna rx 2 does not exist"). */
  notes: string[];
  computeMs: number;
}

export interface DopplerRequest {
  path: string;
  controls: ViewControls;
  rangeS?: [number, number];
  maxColumns: number;
}

export interface DopplerData {
  rangeS: [number, number];
  timeS: number[];
  freqsHz: number[];
  /** Normalised power per [frequency bin][column]. */
  power: number[][];
  referenceAntenna: number;
  /** Largest band the packet rate allows (Nyquist: half the median packet rate), Hz; the band asked for is cut to it. */
  maxBandHz?: number;
  /** Band actually computed (± Hz). */
  bandHz?: number;
  /** Carrier frequency (Hz) where the format records it: Doppler f ↔ path-length change rate f·c/f_c (m/s). */
  carrierHz?: number;
  /** Set when no spectrogram could be computed (too few packets, window too long for the range …): one short line. */
  unavailable?: string;
  computeMs: number;
}

/** Everything the editor's first view needs about the file (besides the view data). */
export interface RecordingOpened {
  summary: RecordingSummary;
  /** How the worker holds the file: parsed whole, or indexed (framing only) with CSI decoded on demand. */
  mode: 'whole' | 'indexed';
  openMs: number;
}

/**
 * Heatmap cells per view message: 2000 columns × 64 subcarriers. An 80 MHz Nexmon recording (256 subcarriers) at
 * 2000 columns made a 20 MB overview message and cost the webview ~260 MB; its columns are cut to fit instead.
 */
export const CELL_BUDGET = 128000;

/** Packet-rate window of the per-packet strip (s). */
export const RATE_WINDOW_S = 0.1;

/** Time columns for a recording with `nSubcarriers` columns: the setting, within CELL_BUDGET, at least 100. */
export function columnBudget(maxColumns: number, nSubcarriers: number): number {
  return nSubcarriers > 0 ? Math.max(100, Math.min(maxColumns, Math.floor(CELL_BUDGET / nSubcarriers))) : maxColumns;
}
