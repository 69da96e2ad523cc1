// Which CSI columns are which OFDM subcarriers, and which of those carry a channel estimate.
//
// Readers keep columns as the device delivers them (formats/*): Intel, Atheros and PicoScenes give only the
// occupied tones, in order; Nexmon dumps the whole FFT (fftshifted by our reader, so −N/2 … N/2−1) including the
// DC null and the guard bands; ESP32 gives one run of pairs per training field (LLTF, HT-LTF, STBC-HT-LTF), each
// in ESP-IDF order (0…63 then −64…−1 for HT40), so the same index appears once per field.
//
// This module answers, from the indices alone (and ESP32's named training fields where the reader gives them):
//  • segments: runs of columns with distinct indices (a repeated index starts a new run: a new training field);
//  • tone kinds per IEEE 802.11-2020 tone plans, for a run that is a whole FFT grid (N = 64/128/256/512
//    consecutive indices, centred on the grid's middle): data, pilot, null (DC) or guard (band edges). A run
//    that lists only some tones (Intel's 30 groups, the 56 occupied tones of Atheros) is all data: the device
//    already left nulls and guards out;
//  • the display axis of a heatmap: one segment (ESP32: HT-LTF where present, else LLTF), its columns sorted by
//    subcarrier index, so every row of the chart is one distinct subcarrier in frequency order.

export type ToneKind = 'data' | 'pilot' | 'null' | 'guard';

export interface ToneSegment {
  /** Training-field name where the format names it (ESP32), else undefined. */
  name?: string;
  /** CSI columns of the segment, in buffer order. */
  columns: number[];
}

/** 802.11 tone plan of an N-point grid, index k relative to the channel centre. */
function planKind(k: number, n: number): ToneKind {
  const a = Math.abs(k);
  switch (n) {
    case 64: // 20 MHz HT/VHT: ±1…±28, DC null, pilots ±7, ±21 (802.11-2020 19.3.7.2)
      return a === 0 ? 'null' : a > 28 ? 'guard' : a === 7 || a === 21 ? 'pilot' : 'data';
    case 128: // 40 MHz: ±2…±58, nulls −1, 0, 1, pilots ±11, ±25, ±53
      return a <= 1 ? 'null' : a > 58 ? 'guard' : a === 11 || a === 25 || a === 53 ? 'pilot' : 'data';
    case 256: // 80 MHz VHT: ±2…±122, pilots ±11, ±39, ±75, ±103 (21.3.7.2)
      return a <= 1 ? 'null' : a > 122 ? 'guard' : [11, 39, 75, 103].includes(a) ? 'pilot' : 'data';
    case 512: // 160 MHz VHT: ±6…±126 and ±130…±250, pilots ±25, ±53, ±89, ±117, ±139, ±167, ±203, ±231
      return a <= 5 || (a >= 127 && a <= 129)
        ? 'null'
        : a > 250
          ? 'guard'
          : [25, 53, 89, 117, 139, 167, 203, 231].includes(a)
            ? 'pilot'
            : 'data';
    default:
      return 'data';
  }
}

/** Split columns into runs of distinct indices; with `fields` (ESP32 meta.trainingFields) those runs are used. */
export function toneSegments(indices: ArrayLike<number>, fields?: { name: string; start: number; count: number }[]): ToneSegment[] {
  const n = indices.length;
  if (fields?.length) {
    const out: ToneSegment[] = [];
    for (const f of fields) {
      const cols: number[] = [];
      for (let c = f.start; c < Math.min(n, f.start + f.count); c++) cols.push(c);
      if (cols.length) out.push({ name: f.name, columns: cols });
    }
    if (out.length) return out;
  }
  const out: ToneSegment[] = [];
  let cur: number[] = [];
  let seen = new Set<number>();
  for (let c = 0; c < n; c++) {
    if (seen.has(indices[c])) {
      out.push({ columns: cur });
      cur = [];
      seen = new Set();
    }
    seen.add(indices[c]);
    cur.push(c);
  }
  if (cur.length) out.push({ columns: cur });
  return out;
}

/** Tone kind of each column of one segment (columns with distinct indices). */
export function segmentKinds(indices: ArrayLike<number>, columns: number[]): ToneKind[] {
  const ks = columns.map(c => indices[c]);
  const lo = Math.min(...ks),
    hi = Math.max(...ks);
  const n = ks.length;
  const fullGrid = [64, 128, 256, 512].includes(n) && hi - lo + 1 === n;
  if (!fullGrid) return ks.map(() => 'data');
  const centre = lo + n / 2;
  return ks.map(k => planKind(k - centre, n));
}

/** Tone kind of every column of a recording (each segment classified on its own). */
export function toneKinds(indices: ArrayLike<number>, fields?: { name: string; start: number; count: number }[]): ToneKind[] {
  const out: ToneKind[] = Array.from({ length: indices.length }, () => 'data');
  for (const s of toneSegments(indices, fields))
    segmentKinds(indices, s.columns).forEach((k, i) => {
      out[s.columns[i]] = k;
    });
  return out;
}

export interface SubcarrierAxis {
  /** CSI column of each heatmap row, rows in increasing subcarrier index. */
  columns: number[];
  /** Subcarrier index of each row (sorted, distinct). */
  indices: number[];
  kinds: ToneKind[];
  /** The segment shown when the recording has several (ESP32 training fields), e.g. 'HT-LTF'. */
  segment?: string;
  /** One line for the metadata panel, e.g. "−64 … 63 (128 subcarriers; HT-LTF, 128 of 192 columns)". */
  description: string;
}

/** Counts of each tone kind, as text ("234 data, 8 pilot, 3 null, 11 guard"); empty when all are data. */
function kindCounts(kinds: ToneKind[]): string {
  const c: Record<ToneKind, number> = { data: 0, pilot: 0, null: 0, guard: 0 };
  for (const k of kinds) c[k]++;
  if (c.data === kinds.length) return '';
  return (['data', 'pilot', 'null', 'guard'] as ToneKind[])
    .filter(k => c[k])
    .map(k => `${c[k]} ${k}`)
    .join(', ');
}

/** The heatmap axis of a recording (see the file header). */
export function subcarrierAxis(indices: ArrayLike<number>, fields?: { name: string; start: number; count: number }[]): SubcarrierAxis {
  const n = indices.length;
  if (n === 0) return { columns: [], indices: [], kinds: [], description: '—' };
  const segs = toneSegments(indices, fields);
  let seg = segs[0];
  if (segs.length > 1) {
    // ESP32: the HT-LTF (the HT frame's own channel estimate, all subcarriers of an HT40 frame), else the LLTF.
    seg =
      segs.find(s => s.name === 'HT-LTF') ??
      segs.find(s => s.name === 'LLTF') ??
      segs.reduce((best, s) => (s.columns.length > best.columns.length ? s : best), segs[0]);
  }
  const kindsBuf = segmentKinds(indices, seg.columns);
  const order = seg.columns.map((c, i) => i).sort((a, b) => indices[seg.columns[a]] - indices[seg.columns[b]]);
  const columns = order.map(i => seg.columns[i]);
  const ks = columns.map(c => indices[c]);
  const kinds = order.map(i => kindsBuf[i]);
  const counts = kindCounts(kinds);
  const parts = [`${ks.length} subcarriers`];
  if (counts) parts.push(counts);
  if (segs.length > 1) {
    const others = segs
      .filter(s => s !== seg)
      .map((s, i) => s.name ?? `run ${i + 2}`)
      .join(', ');
    parts.push(
      `${seg.name ?? 'first run'} shown: columns ${seg.columns[0] + 1}–${seg.columns[seg.columns.length - 1] + 1} of ${n}; not shown: ${others}`,
    );
  }
  const contiguous = ks[ks.length - 1] - ks[0] + 1 === ks.length;
  const range = `${ks[0]} … ${ks[ks.length - 1]}${contiguous ? '' : ' (not contiguous)'}`;
  return { columns, indices: ks, kinds, segment: segs.length > 1 ? seg.name : undefined, description: `${range} (${parts.join('; ')})` };
}

/** Rows that describe the channel (data and pilot tones): the ones a colour scale or a phase fit may use. */
export const carriesChannel = (k: ToneKind): boolean => k === 'data' || k === 'pilot';
