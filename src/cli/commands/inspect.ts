// `csi-workbench inspect FILE [--json] [--records 0,5,-1]`: what a recording holds, for humans and scripts.
//
// Prints the detected format, device, dimensions, record count and every diagnostic, then for each chosen record
// every header field under the original tool's names (Intel: timestamp_low, bfee_count, Nrx, …) and the raw and
// scaled CSI as [re, im] pairs indexed [subcarrier][rx][tx] with the record's own antenna counts. Users script
// against the --json shape, so keep it stable: add fields, never rename them.
//
// The summary comes from the whole-file reader; the per-record fields come from the same reader's streaming path
// (frames carry the header under the tool's names), so both paths are exercised and must agree on the count.
// The summary and the diagnostics are always printed (with --json: always one JSON document, with "error" when
// something failed). Exit codes: 0 ok (even with diagnostics: they are reported, not fatal), 1 unreadable/unknown
// file or no record read, 2 bad usage (including a record index past the end).
import * as fs from 'fs';
import { readRecording } from '../../core/formats/index';
import { detectFormat } from '../../core/formats/detect';
import { CsiFormatError } from '../../core/formats/errors';
import type { CsiDiagnostic, CsiFrame, CsiRecording } from '../../core/formats/types';
import { stdio, type Io } from '../io';

export type { Io } from '../io';

export const summary = 'show format, record count, diagnostics and chosen records (header fields, raw/scaled CSI)';

const USAGE =
  'usage: csi-workbench inspect FILE [--json] [--records 0,5,-1]\n' +
  '  --records  comma-separated record indices, negative counts from the end (default 0)\n' +
  '  --json     machine-readable output';

interface Args {
  file: string;
  json: boolean;
  records: number[];
}

function parseArgs(argv: string[]): Args | string {
  let file: string | undefined;
  let json = false;
  let records = [0];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--records' || a.startsWith('--records=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) return '--records needs a value';
      const parts = v
        .split(',')
        .map(s => s.trim())
        .filter(s => s !== '');
      if (!parts.length || parts.some(p => !/^-?\d+$/.test(p))) return `--records: '${v}' is not a list of integers`;
      records = parts.map(Number);
    } else if (a === '-h' || a === '--help') return '';
    else if (a.startsWith('-')) return `unknown option ${a}`;
    else if (file === undefined) file = a;
    else return `unexpected argument ${a}`;
  }
  if (file === undefined) return 'missing FILE';
  return { file, json, records };
}

/** CSI block (layout sc × rx × tx × [re, im]) as nested [sc][rx][tx] = [re, im]. */
function nested(v: Float32Array, nSc: number, nRx: number, nTx: number): number[][][][] {
  const out: number[][][][] = [];
  for (let sc = 0; sc < nSc; sc++) {
    const rows: number[][][] = [];
    for (let rx = 0; rx < nRx; rx++) {
      const cols: number[][] = [];
      for (let tx = 0; tx < nTx; tx++) {
        const j = 2 * ((sc * nRx + rx) * nTx + tx);
        cols.push([v[j], v[j + 1]]);
      }
      rows.push(cols);
    }
    out.push(rows);
  }
  return out;
}

interface RecordView {
  index: number;
  offset: number;
  header: CsiFrame['header'];
  csi: number[][][][];
  scaled: number[][][][] | null;
}

function view(f: CsiFrame): RecordView {
  return {
    index: f.index,
    offset: f.offset,
    header: f.header,
    csi: nested(f.csi, f.nSubcarriers, f.nRx, f.nTx),
    scaled: f.scaled ? nested(f.scaled, f.nSubcarriers, f.nRx, f.nTx) : null,
  };
}

/** Frames with the wanted indices, by running the detected reader's streaming path over the bytes. */
async function framesAt(bytes: Uint8Array, file: string, wanted: Set<number>): Promise<Map<number, CsiFrame>> {
  const got = new Map<number, CsiFrame>();
  if (!wanted.size) return got;
  const det = detectFormat(bytes);
  if (!det) return got;
  const last = Math.max(...wanted);
  async function* one(): AsyncIterable<Uint8Array> {
    yield bytes;
  }
  for await (const f of det.reader.frames(one(), { file, maxFrames: last + 1 })) {
    if (wanted.has(f.index)) got.set(f.index, f);
  }
  return got;
}

const fmtNum = (x: number): string => (Number.isInteger(x) ? String(x) : Number.isNaN(x) ? 'NaN' : x.toPrecision(8));
const fmtVal = (v: unknown): string =>
  Array.isArray(v) ? `[${v.map(x => fmtVal(x)).join(' ')}]` : typeof v === 'number' ? fmtNum(v) : String(v);
const fmtDiag = (d: CsiDiagnostic): string =>
  `  ${d.severity} ${d.code} at ${d.line !== undefined ? `line ${d.line}, ` : ''}offset ${d.offset}: ${d.message}${d.expected ? ` (expected ${d.expected})` : ''}`;

function text(rec: CsiRecording, views: RecordView[]): string {
  const L: string[] = [];
  L.push(`file: ${rec.file}`);
  L.push(`format: ${rec.format} (${rec.device})`);
  L.push(`records: ${rec.nPackets}`);
  L.push(`dims: ${rec.nSubcarriers} subcarriers × ${rec.nRx} rx × ${rec.nTx} tx (maxima), ${rec.bandwidthMHz || '?'} MHz`);
  L.push(`diagnostics: ${rec.diagnostics.length}`);
  for (const d of rec.diagnostics) L.push(fmtDiag(d));
  for (const v of views) {
    L.push('', `record ${v.index} (offset ${v.offset})`);
    for (const [k, val] of Object.entries(v.header)) L.push(`  ${k}: ${fmtVal(val)}`);
    for (const [name, blk] of [
      ['csi (raw)', v.csi],
      ['csi (scaled)', v.scaled],
    ] as const) {
      if (!blk) continue;
      L.push(`  ${name} [subcarrier][rx][tx] = [re, im]:`);
      blk.forEach((rows, sc) => {
        L.push(
          `    sc ${String(sc).padStart(3)}: ${rows.map(cols => cols.map(c => `[${fmtNum(c[0])}, ${fmtNum(c[1])}]`).join(' ')).join(' | ')}`,
        );
      });
    }
  }
  return L.join('\n') + '\n';
}

const jsonSafe = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? null : v);

export async function run(argv: string[], io: Io = stdio): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    (args ? io.err : io.out)(`${args ? `inspect: ${args}\n` : ''}${USAGE}\n`);
    return args ? 2 : 0;
  }
  let bytes: Uint8Array;
  try {
    bytes = await fs.promises.readFile(args.file);
  } catch (err) {
    io.err(`inspect: cannot read ${args.file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  let rec: CsiRecording;
  try {
    rec = readRecording(bytes, { file: args.file });
  } catch (err) {
    if (err instanceof CsiFormatError) {
      io.err(`inspect: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const n = rec.nPackets;
  // The summary and every diagnostic are printed whatever happens to the chosen records: a file that yields no record,
  // or a record index past the end, is exactly when the user needs to see what the reader found.
  const idx: number[] = [];
  let problem: { message: string; code: number } | undefined;
  if (n === 0)
    problem = { message: `${args.file}: no CSI record could be read (${rec.diagnostics.length} diagnostic(s) above say why)`, code: 1 };
  for (const r of problem ? [] : args.records) {
    const i = r < 0 ? n + r : r;
    if (i < 0 || i >= n) {
      problem = { message: `record ${r} out of range: the file has ${n} record(s) (0..${n - 1}, or -${n}..-1)`, code: 2 };
      idx.length = 0;
      break;
    }
    idx.push(i);
  }
  const frames = idx.length ? await framesAt(bytes, args.file, new Set(idx)) : new Map<number, CsiFrame>();
  const views: RecordView[] = [];
  for (const i of idx) {
    const f = frames.get(i);
    if (!f) {
      problem = { message: `record ${i} could not be re-read by the streaming reader`, code: 1 };
      break;
    }
    views.push(view(f));
  }
  if (args.json) {
    io.out(
      JSON.stringify(
        {
          file: rec.file,
          format: rec.format,
          device: rec.device,
          recordCount: n,
          nSubcarriers: rec.nSubcarriers,
          nRx: rec.nRx,
          nTx: rec.nTx,
          bandwidthMHz: rec.bandwidthMHz,
          subcarrierIndices: Array.from(rec.subcarrierIndices),
          diagnostics: rec.diagnostics,
          records: views,
          ...(problem ? { error: problem.message } : {}),
        },
        jsonSafe,
      ) + '\n',
    );
  } else {
    io.out(text(rec, views));
  }
  if (problem) {
    io.err(`inspect: ${problem.message}\n`);
    return problem.code;
  }
  return 0;
}
