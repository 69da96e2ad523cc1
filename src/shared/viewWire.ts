// The editor's chart data on the wire between the extension host and the webview. VS Code sends the typed arrays
// of a webview message as binary buffers (for extensions whose engine is ≥ 1.57) and the rest as JSON. A
// 2000-column overview of a 30-subcarrier recording was 2.5 MB of JSON: stringified in the host, parsed in the
// workbench, cloned twice on its way into the iframe (~240 ms between the host's post and the page's receipt on
// the benchmark machine, bench/results/editor.json). As Float32 matrices it is ~0.5 MB and needs no parsing.
// The worker keeps producing plain ViewData / DopplerData (recordingView.ts); the host packs, the page unpacks.
import type { DopplerData, ViewData } from './recordingView';

/** A row-major matrix: row r is data[r·cols … (r+1)·cols). */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

type Packed<T, M extends keyof T, V extends keyof T> = Omit<T, M | V> & { [K in M]: Matrix } & { [K in V]: Float64Array };

export type PackedViewData = Packed<ViewData, 'amplitude' | 'phase' | 'ratioPhase' | 'rssi', 'timeS' | 'agc' | 'rateHz' | 'lost'>;
export type PackedDopplerData = Packed<DopplerData, 'power', 'timeS' | 'freqsHz'>;

/** Rows of equal length → one Float32 matrix. The worker already rounds these values to float32 (recordingView.ts
 *  `round`, recordingDoppler.ts), so nothing is lost; NaN stays NaN (JSON turned it into null). */
export function packMatrix(rows: ArrayLike<number>[], cols = rows[0]?.length ?? 0): Matrix {
  const data = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => {
    for (let j = 0; j < cols; j++) {
      const x = r[j];
      data[i * cols + j] = typeof x === 'number' ? x : NaN;
    }
  });
  return { rows: rows.length, cols, data };
}

const f64 = (a: ArrayLike<number>) => Float64Array.from(a, x => (typeof x === 'number' ? x : NaN));

export function packView(v: ViewData): PackedViewData {
  const n = v.timeS.length;
  return {
    ...v,
    timeS: f64(v.timeS),
    agc: f64(v.agc),
    rateHz: f64(v.rateHz),
    lost: f64(v.lost),
    amplitude: packMatrix(v.amplitude, n),
    phase: packMatrix(v.phase, n),
    ratioPhase: packMatrix(v.ratioPhase, n),
    rssi: packMatrix(v.rssi, n),
  };
}

export function packDoppler(d: DopplerData): PackedDopplerData {
  return { ...d, timeS: f64(d.timeS), freqsHz: f64(d.freqsHz), power: packMatrix(d.power, d.timeS.length) };
}

/** A typed array as it arrived: binary from VS Code, or (a host that sends JSON only) an array or index-keyed object. */
function floats<T extends Float32Array | Float64Array>(x: unknown, make: (a: ArrayLike<number>) => T): T {
  if (ArrayBuffer.isView(x)) return x as T;
  if (Array.isArray(x)) return make(x.map(v => (typeof v === 'number' ? v : NaN)));
  if (x && typeof x === 'object') return make(Object.values(x as Record<string, number>).map(v => (typeof v === 'number' ? v : NaN)));
  return make([]);
}

/** The matrix as it arrived, its data as a Float32Array whatever the transport. */
export function receivedMatrix(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: floats(m.data, a => Float32Array.from(a)) };
}

/** Plain arrays for plotly, NaN as null: exactly what the JSON transport used to deliver (null = a gap). */
function plain(a: ArrayLike<number>): number[] {
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Number.isNaN(a[i]) ? (null as unknown as number) : a[i];
  return out;
}

export function unpackMatrix(m: Matrix): number[][] {
  const { rows, cols, data } = receivedMatrix(m);
  return Array.from({ length: rows }, (_, r) => plain(data.subarray(r * cols, (r + 1) * cols)));
}

export function unpackView(p: PackedViewData): ViewData {
  const v64 = (x: unknown) => plain(floats(x, a => Float64Array.from(a)));
  return {
    ...p,
    timeS: v64(p.timeS),
    agc: v64(p.agc),
    rateHz: v64(p.rateHz),
    lost: v64(p.lost),
    amplitude: unpackMatrix(p.amplitude),
    phase: unpackMatrix(p.phase),
    ratioPhase: unpackMatrix(p.ratioPhase),
    rssi: unpackMatrix(p.rssi),
  };
}

export function unpackDoppler(p: PackedDopplerData): DopplerData {
  const v64 = (x: unknown) => plain(floats(x, a => Float64Array.from(a)));
  return { ...p, timeS: v64(p.timeS), freqsHz: v64(p.freqsHz), power: unpackMatrix(p.power) };
}
