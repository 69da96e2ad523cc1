// ESP32 CSI CSV reader (serial-console captures of ESP32-CSI-Tool and espressif/esp-csi). Layout: FORMATS.md §4.
//
// Column sets (chosen by the header line when its field count matches the row, else by the row's field count):
// * ESP32-CSI-Tool (StevenMHernandez), 26 fields, last one `[v0 v1 … ]` space-separated, unquoted.
// * esp-csi csi_recv (ESP32/S3/C3), 25 fields, last one `"[v0,v1,…]"` double-quoted, comma-separated.
// * esp-csi ESP32-C5/C6 builds, 15 fields (seq, fft_gain, agc_gain; no sig_mode/bandwidth).
// Choices (original = ESP-IDF's wifi_csi_info_t and the tools' printers):
// * Values are int8 pairs in ESP-IDF order (IMAGINARY, real): pair i = values[2i+1] + j·values[2i] (csiread agrees;
//   CSIKit pairs them real-first). Stored raw, including the often-invalid first 4 bytes (`first_word` = 1 in
//   esp-csi): dropping them is a DSP decision, and keeping them keeps column i = pair i of the buffer.
// * Columns keep buffer order. subcarrierIndices give the ESP-IDF table index of each column (esp32Layout.ts),
//   which repeats across training fields (LLTF, HT-LTF, STBC-HT-LTF); meta.trainingFields says which columns form
//   which field. Rows whose (secondary channel, signal mode, bandwidth, STBC) has no table entry, and the C5/C6
//   variant, get column numbers 0..n-1 instead, with an info diagnostic.
// * ESP32-CSI-Tool prints only the first 128 bytes whatever `len` says (its examples: len 384, 128 values); such
//   rows are kept as they are (the LLTF), with one info diagnostic and a count in meta.rowsShorterThanLen.
// * Lines are split on '\n' (a trailing '\r' is dropped) before CSV parsing: the tools never put a newline inside a
//   field, and this way a truncated quoted line cannot swallow the rows after it. Lines not starting with
//   `CSI_DATA` are console output and are skipped (counted in meta.skippedLines; one info diagnostic).
// * A truncated row (open quote, no closing ']', too few fields, non-integer value) is skipped with a diagnostic
//   giving its line number and byte offset. An odd value count keeps the complete pairs (warning).
// * local_timestamp (µs since boot, u32) is unwrapped at 2^32 in the recording; frame.seq is esp-csi's id / seq
//   (-1 for ESP32-CSI-Tool, which has none).
// * Transmitters: meta.sourceMacs counts rows per `mac` column (an ESP32 in promiscuous mode logs every station it
//   hears); ReadOptions.macFilter keeps only that MAC's rows (case-insensitive), as for Nexmon and PicoScenes.
import { esp32Layout, splitCsvLine, type Esp32Layout } from './layout';
import { buildRecording } from '../frameTable';
import { NO_CSI, ParseSink, runChunks, runChunksTo, runWhole, type PushParser } from '../pushParser';
import type { CsiReader, StreamOptions } from '../reader';
import type { CsiDiagnostic, CsiFrame, CsiRecording, ReadOptions } from '../types';
import { ESP32_CSI_TOOL_COLUMNS, ESP_CSI_COLUMNS, ESP_CSI_C5_COLUMNS, indexOfColumns, flavourOf } from './columns';
import { parseIntList, samePrefix, latin1 } from './csvText';

/** Longest line accepted (a 612-value row is ~3 KB); longer runs without a newline are not CSI rows. */
const MAX_LINE = 65536;
const NUM = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

class Esp32Parser implements PushParser {
  private line = 0;
  /** File offset up to which the current line is known to have no newline. */
  private scannedTo = 0;
  private header: string[] | null = null;
  private skippingLong = false;
  private skippedLines = 0;
  private shortRows = 0;
  private unknownLayoutNoted = false;
  private firstLayout: string | null = null;
  private firstIndices: number[] | null = null;
  private mixedNoted = false;
  readonly layouts: Record<string, number> = {};

  /** CSI rows per transmitter (the `mac` column), before filtering. */
  readonly sourceMacs: Record<string, number> = {};
  filtered = 0;

  constructor(
    private readonly sink: ParseSink,
    private readonly meta: Record<string, unknown>,
    private readonly skipCsi = false,
    private readonly macFilter?: string,
  ) {}

  step(b: Uint8Array, pos: number, end: number, base: number, eof: boolean): number {
    const limit = Math.min(end, pos + MAX_LINE + 1);
    // Resume the newline search where the previous (incomplete) attempt stopped: with tiny chunks, rescanning the
    // line from its start on every chunk would be quadratic.
    const from = Math.max(pos, this.scannedTo - base);
    // Search only the window: beyond `end` the streaming buffer holds stale bytes (and indexOf would scan them all).
    let nl = from < limit ? b.subarray(from, limit).indexOf(10) : -1;
    if (nl >= 0) nl += from;
    if (nl < 0) {
      this.scannedTo = base + limit;
      if (end - pos <= MAX_LINE && !eof) return 0;
      if (end - pos > MAX_LINE) {
        // A run of MAX_LINE bytes without a newline: not a CSI row. Skip to the next newline.
        if (!this.skippingLong) {
          this.line++;
          this.sink.diag(
            'warning',
            'line-too-long',
            base + pos,
            `line ${this.line} exceeds ${MAX_LINE} bytes; skipped`,
            `a CSV row under ${MAX_LINE} bytes`,
            this.line,
          );
        }
        this.skippingLong = true;
        return MAX_LINE;
      }
      // eof: last line without a newline.
      if (this.skippingLong) {
        this.skippingLong = false;
        return end - pos;
      }
      this.line++;
      this.handleLine(b, pos, end, base, true);
      return end - pos;
    }
    if (this.skippingLong) {
      this.skippingLong = false;
      return nl + 1 - pos;
    }
    this.line++;
    this.handleLine(b, pos, nl, base, false);
    return nl + 1 - pos;
  }

  finish(): void {
    this.meta.skippedLines = this.skippedLines;
    this.meta.rowsShorterThanLen = this.shortRows;
    this.meta.layouts = this.layouts;
    if (this.header) this.meta.headerColumns = this.header;
    if (Object.keys(this.sourceMacs).length) this.meta.sourceMacs = this.sourceMacs;
    if (this.macFilter !== undefined) {
      this.meta.macFilter = this.macFilter;
      this.meta.filteredPackets = this.filtered;
    }
  }

  private handleLine(b: Uint8Array, start: number, stop: number, base: number, atEof: boolean): void {
    let e = stop;
    if (e > start && b[e - 1] === 13) e--;
    if (e === start) return;
    const text = latin1(b, start, e);
    const off = base + start;
    const ln = this.line;
    if (text.startsWith('type,')) {
      this.header = splitCsvLine(text).fields.map(s => s.trim());
      return;
    }
    if (!text.startsWith('CSI_DATA')) {
      if (this.skippedLines++ === 0) {
        this.sink.diag(
          'info',
          'skipped-line',
          off,
          `line ${ln} is not a CSI_DATA row (console output?); skipped`,
          'CSI_DATA,… or a type,… header; further skipped lines are counted in meta.skippedLines',
          ln,
        );
      }
      return;
    }
    const { fields, unterminated } = splitCsvLine(text);
    const bad = (code: string, message: string, expected: string) =>
      this.sink.diag('warning', code, off, `line ${ln}: ${message}; row skipped`, expected, ln);
    if (unterminated) {
      bad('truncated-line', 'quoted field not closed' + (atEof ? ' at end of file' : ''), 'closing "');
      return;
    }
    let cols: readonly string[] | null = null;
    if (this.header && this.header.length === fields.length) cols = this.header;
    else if (fields.length === 26) cols = ESP32_CSI_TOOL_COLUMNS;
    else if (fields.length === 25) cols = ESP_CSI_COLUMNS;
    else if (fields.length === 15) cols = ESP_CSI_C5_COLUMNS;
    const arr = fields[fields.length - 1].trim();
    if (!arr.startsWith('[') || !arr.endsWith(']')) {
      bad(
        'truncated-line',
        `CSI array ${arr.startsWith('[') ? 'has no closing ]' : 'missing'} (${fields.length} fields)`,
        '[v0 v1 …] as the last field',
      );
      return;
    }
    if (cols === null) {
      bad('bad-field-count', `${fields.length} fields`, this.header ? `${this.header.length} (header) or 26/25/15` : '26, 25 or 15');
      return;
    }
    // The index pass (skipCsi) checks the values as strictly but keeps only their count.
    const values = parseIntList(arr, 1, arr.length - 1, !this.skipCsi);
    if (typeof values === 'string') {
      bad('bad-value', values, 'integers separated by spaces or commas');
      return;
    }
    const nValues = values.count;
    if (nValues % 2 === 1) {
      this.sink.diag(
        'warning',
        'odd-value-count',
        off,
        `line ${ln}: ${nValues} CSI values; the last one is unpaired and dropped`,
        'an even number of values (imag, real pairs)',
        ln,
      );
    }
    // Header fields: numbers where they are numbers (NUM), else the text. The index pass reads only the fields it
    // needs, straight from the row.
    const colIx = indexOfColumns(cols);
    const field = (k: string): string | undefined => {
      const i = colIx.get(k);
      return i === undefined ? undefined : fields[i].trim();
    };
    const num = (k: string): number => {
      const v = field(k);
      return v !== undefined && NUM.test(v) ? +v : NaN;
    };
    // The transmitter (as Nexmon's src_mac): counted for meta.sourceMacs, matched by ReadOptions.macFilter.
    const mac = field('mac')?.toLowerCase();
    if (mac && MAC.test(mac)) this.sourceMacs[mac] = (this.sourceMacs[mac] ?? 0) + 1;
    if (this.macFilter !== undefined && mac !== this.macFilter) {
      this.filtered++;
      return;
    }
    const header: Record<string, number | string> = {};
    if (this.skipCsi) {
      const bw = field('bandwidth');
      if (bw !== undefined) header.bandwidth = NUM.test(bw) ? +bw : bw;
      if (mac && MAC.test(mac)) header.mac = mac;
    } else {
      for (let i = 0; i < cols.length - 1; i++) {
        const v = fields[i].trim();
        header[cols[i]] = NUM.test(v) ? +v : v;
      }
    }
    const nPairs = nValues >> 1;
    const len = num('len');
    if (!Number.isNaN(len) && len !== nValues) {
      if (len > nValues) {
        if (this.shortRows++ === 0) {
          this.sink.diag(
            'info',
            'len-mismatch',
            off,
            `line ${ln}: len ${len} but ${nValues} values printed ` + '(ESP32-CSI-Tool prints the first 128 bytes); rows kept as printed',
            `${len} values`,
            ln,
          );
        }
      } else {
        this.sink.diag('warning', 'len-mismatch', off, `line ${ln}: ${nValues} values exceed len ${len}; all kept`, `${len} values`, ln);
      }
    }
    // Layout of the full buffer this row came from; the printed values are a prefix of it.
    const layout = esp32Layout(num('secondary_channel'), num('sig_mode'), num('bandwidth'), num('stbc'));
    const key = layout ? layout.key : 'unknown';
    this.layouts[key] = (this.layouts[key] ?? 0) + 1;
    if (!layout && !this.unknownLayoutNoted) {
      this.unknownLayoutNoted = true;
      this.sink.diag(
        'info',
        'unknown-layout',
        off,
        `line ${ln}: no ESP-IDF subcarrier table entry for this row ` +
          '(secondary_channel/sig_mode/bandwidth/stbc); subcarrier indices are column numbers',
        'a classic-MAC table row',
        ln,
      );
    }
    // The recording's columns take the first row's table indices; warn once if a row's own subcarriers differ
    // (different layouts whose printed prefix coincides, like ESP32-CSI-Tool's LLTF-only rows, are fine).
    if (this.firstLayout === null) {
      this.firstLayout = key;
      this.firstIndices = layout?.indices ?? null;
    } else if (!this.mixedNoted && !samePrefix(this.firstIndices, layout?.indices ?? null, nPairs)) {
      this.mixedNoted = true;
      this.sink.diag(
        'warning',
        'mixed-layout',
        off,
        `line ${ln}: layout ${key} puts its values on other subcarriers ` +
          `than the first row's ${this.firstLayout}; subcarrierIndices follow the first row`,
        this.firstLayout,
        ln,
      );
    }
    let csi = NO_CSI;
    if (values.values) {
      const v = values.values;
      csi = new Float32Array(2 * nPairs);
      for (let i = 0; i < nPairs; i++) {
        csi[2 * i] = v[2 * i + 1]; // real
        csi[2 * i + 1] = v[2 * i]; // imag
      }
      header.line = ln;
      header.num_values = nValues;
      header.layout = key;
    }
    const seq = !Number.isNaN(num('id')) ? num('id') : !Number.isNaN(num('seq')) ? num('seq') : -1;
    const frame: Omit<CsiFrame, 'index'> = {
      offset: off,
      timestampUs: num('local_timestamp'),
      seq,
      nRx: 1,
      nTx: 1,
      nSubcarriers: nPairs,
      rssi: [num('rssi')],
      noise: num('noise_floor'),
      agc: num('agc_gain'),
      csi,
      header,
    };
    if (this.meta.tool === undefined) this.meta.tool = flavourOf(cols);
    this.sink.frame(frame);
  }
}

/** Subcarrier indices for the recording: the first row's table layout, or column numbers. */
function indicesFor(first: CsiFrame | undefined, n: number): { idx: Int16Array; layout: Esp32Layout | null } {
  const h = first?.header;
  const num = (k: string) => (h && typeof h[k] === 'number' ? (h[k] as number) : NaN);
  const layout = h ? esp32Layout(num('secondary_channel'), num('sig_mode'), num('bandwidth'), num('stbc')) : null;
  const idx = new Int16Array(n);
  for (let c = 0; c < n; c++) idx[c] = layout && c < layout.indices.length ? layout.indices[c] : c;
  return { idx, layout };
}

export const esp32Reader: CsiReader = {
  format: 'esp32',

  sniff(head: Uint8Array): number {
    try {
      const text = latin1(head, 0, Math.min(head.length, 65536));
      if (/^CSI_DATA,/m.test(text)) return 0.95;
      if (/^type,(role|id|seq),mac,/m.test(text)) return 0.9;
    } catch {
      /* never throws */
    }
    return 0;
  },

  read(bytes: Uint8Array, opts: ReadOptions = {}): CsiRecording {
    const file = opts.file ?? '<buffer>';
    const sink = new ParseSink(file, opts.maxFrames ?? Infinity, undefined, ['rate']);
    const meta: Record<string, unknown> = {};
    runWhole(new Esp32Parser(sink, meta, false, opts.macFilter?.toLowerCase()), bytes, sink);
    return toRecording(sink.frames, sink.diagnostics, file, meta);
  },

  frames(chunks: AsyncIterable<Uint8Array>, opts: StreamOptions = {}) {
    const sink = new ParseSink(opts.file ?? '<buffer>', opts.maxFrames ?? Infinity, opts.onDiagnostic);
    return runChunks(new Esp32Parser(sink, {}, opts.skipCsi === true, opts.macFilter?.toLowerCase()), chunks, sink);
  },

  scan(chunks: AsyncIterable<Uint8Array>, onFrame: (f: CsiFrame) => void, opts: StreamOptions = {}) {
    const sink = new ParseSink(opts.file ?? '<buffer>', opts.maxFrames ?? Infinity, opts.onDiagnostic, undefined, onFrame);
    return runChunksTo(new Esp32Parser(sink, {}, opts.skipCsi === true, opts.macFilter?.toLowerCase()), chunks, sink);
  },
};

function toRecording(frames: CsiFrame[], diagnostics: CsiDiagnostic[], file: string, meta: Record<string, unknown>): CsiRecording {
  let n = 0;
  for (const f of frames) n = Math.max(n, f.nSubcarriers);
  const first = frames[0];
  const { idx, layout } = indicesFor(first, n);
  if (layout) meta.trainingFields = layout.fields.filter(f => f.start < n).map(f => ({ ...f, count: Math.min(f.count, n - f.start) }));
  if (!first && !diagnostics.some(d => d.severity === 'error')) {
    diagnostics.push({
      file,
      offset: 0,
      severity: 'error',
      code: 'no-csi',
      message: 'no CSI_DATA row found',
      expected: 'lines starting with CSI_DATA,',
    });
  }
  const h = first?.header ?? {};
  const ch = typeof h.channel === 'number' ? h.channel : 0;
  const bw = h.bandwidth === 1 ? 40 : h.bandwidth === 0 ? 20 : 0;
  // Centre of the 40 MHz channel is 2 channels (10 MHz) above/below the primary; a 20 MHz channel is the primary.
  const shift = bw === 40 ? (h.secondary_channel === 1 ? 10 : h.secondary_channel === 2 ? -10 : 0) : 0;
  const primary = ch === 14 ? 2484 : ch >= 1 && ch <= 13 ? 2407 + 5 * ch : ch > 14 ? 5000 + 5 * ch : 0;
  const tool = (meta.tool as string | undefined) ?? 'esp-csi';
  const device = tool === 'ESP32-CSI-Tool' ? 'ESP32 (ESP32-CSI-Tool)' : tool === 'esp-csi' ? 'ESP32 (esp-csi)' : 'ESP32-C5/C6 (esp-csi)';
  return buildRecording(frames, {
    format: 'esp32',
    file,
    device,
    subcarrierIndices: idx,
    bandwidthMHz: bw,
    carrierHz: primary ? (primary + shift) * 1e6 : 0,
    diagnostics,
    meta,
    rateOf: f => (typeof f.header.rate === 'number' ? f.header.rate : NaN),
    timestampModulus: 2 ** 32,
  });
}
