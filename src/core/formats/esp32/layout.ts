// ESP32 CSI buffer layout (which subcarrier each (imag, real) pair belongs to) and the CSV field splitter used by
// the ESP32 reader.
//
// The layout follows ESP-IDF's "Wi-Fi Channel State Information" table (classic MAC: ESP32, -S2, -S3, -C3). The
// buffer is a run of int8 pairs grouped by training field (LLTF, then HT-LTF, then STBC-HT-LTF); which fields exist
// and which subcarrier indices they cover depend on secondary channel (0 none, 1 above, 2 below), signal mode
// (0 non-HT, 1 HT), bandwidth (0 20 MHz, 1 40 MHz) and STBC — none of which the buffer itself records:
//
//   secondary  mode  cbw  stbc | LLTF          HT-LTF                STBC-HT-LTF           bytes
//   none       nonHT 20   -    | 0~31,-32~-1   -                     -                     128
//   none       HT    20   no   | 0~31,-32~-1   0~31,-32~-1           -                     256
//   none       HT    20   yes  | 0~31,-32~-1   0~31,-32~-1           0~31,-32~-1           384
//   below      nonHT 20   -    | 0~63          -                     -                     128
//   below      HT    20   no   | 0~63          0~63                  -                     256
//   below      HT    20   yes  | 0~63          0~62                  0~62                  380
//   below      HT    40   no   | 0~63          0~63,-64~-1           -                     384
//   below      HT    40   yes  | 0~63          0~60,-60~-1           0~60,-60~-1           612
//   above      nonHT 20   -    | -64~-1        -                     -                     128
//   above      HT    20   no   | -64~-1        -64~-1                -                     256
//   above      HT    20   yes  | -64~-1        -62~-1                -62~-1                376
//   above      HT    40   no   | -64~-1        0~63,-64~-1           -                     384
//   above      HT    40   yes  | -64~-1        0~60,-60~-1           0~60,-60~-1           612
//
// Indices are OFDM subcarrier indices relative to the centre of the (up to 40 MHz) channel, as ESP-IDF gives them.

export interface TrainingField {
  name: 'LLTF' | 'HT-LTF' | 'STBC-HT-LTF';
  start: number;
  count: number;
}

export interface Esp32Layout {
  /** Stable key of the table row, e.g. 'below/HT/40/non-STBC', or 'unknown'. */
  key: string;
  /** Subcarrier index of each pair, in buffer order. */
  indices: number[];
  fields: TrainingField[];
}

const range = (lo: number, hi: number): number[] => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
const FFT64 = [...range(0, 31), ...range(-32, -1)];

const cache = new Map<string, Esp32Layout | null>();

/** The table row for these rx_ctrl fields, or null when the table has none. Memoised: called once per CSV row. */
export function esp32Layout(secondary: number, sigMode: number, cbw: number, stbc: number): Esp32Layout | null {
  // Only table-shaped keys are cached, so hostile files cannot grow the cache.
  if (![0, 1, 2].includes(secondary) || (sigMode !== 0 && sigMode !== 1) || (cbw !== 0 && cbw !== 1)) return null;
  const k = `${secondary},${sigMode},${cbw},${stbc ? 1 : 0}`;
  let v = cache.get(k);
  if (v === undefined) {
    v = computeLayout(secondary, sigMode, cbw, stbc);
    cache.set(k, v);
  }
  return v;
}

function computeLayout(secondary: number, sigMode: number, cbw: number, stbc: number): Esp32Layout | null {
  const sec = ['none', 'above', 'below'][secondary];
  if (sec === undefined || (sigMode !== 0 && sigMode !== 1) || (cbw !== 0 && cbw !== 1)) return null;
  const lltf = sec === 'none' ? FFT64 : sec === 'below' ? range(0, 63) : range(-64, -1);
  const parts: [TrainingField['name'], number[]][] = [['LLTF', lltf]];
  let key = `${sec}/${sigMode ? 'HT' : 'nonHT'}`;
  if (sigMode === 1) {
    const st = stbc ? 'STBC' : 'non-STBC';
    key += `/${cbw ? 40 : 20}/${st}`;
    let ht: number[];
    if (cbw === 1) {
      if (sec === 'none') return null; // 40 MHz needs a secondary channel
      ht = stbc ? [...range(0, 60), ...range(-60, -1)] : [...range(0, 63), ...range(-64, -1)];
    } else if (sec === 'none') ht = FFT64;
    else if (sec === 'below') ht = stbc ? range(0, 62) : range(0, 63);
    else ht = stbc ? range(-62, -1) : range(-64, -1);
    parts.push(['HT-LTF', ht]);
    if (stbc) parts.push(['STBC-HT-LTF', ht]);
  }
  const indices: number[] = [];
  const fields: TrainingField[] = [];
  for (const [name, idx] of parts) {
    fields.push({ name, start: indices.length, count: idx.length });
    indices.push(...idx);
  }
  return { key, indices, fields };
}

/**
 * Split one CSV line into fields: comma separated, a field may be double-quoted (esp-csi quotes its comma-separated
 * data array), "" inside quotes is a literal quote. `unterminated` is true when a quote is still open at the end
 * of the line (a truncated line).
 */
export function splitCsvLine(line: string): { fields: string[]; unterminated: boolean } {
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (i < n && line.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const q = line.indexOf('"', j);
        if (q < 0) {
          value += line.slice(j);
          j = n;
          break;
        }
        value += line.slice(j, q);
        if (q + 1 < n && line.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        closed = true;
        break;
      }
      if (!closed) {
        fields.push(value);
        return { fields, unterminated: true };
      }
      // Anything between the closing quote and the next comma is kept (lenient, like Python's csv module).
      const c = line.indexOf(',', j);
      fields.push(value + (c < 0 ? line.slice(j) : line.slice(j, c)));
      if (c < 0) return { fields, unterminated: false };
      i = c + 1;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        fields.push(line.slice(i));
        return { fields, unterminated: false };
      }
      fields.push(line.slice(i, c));
      i = c + 1;
    }
  }
}
