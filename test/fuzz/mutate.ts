// Mutation fuzzing of the format layer: take real recordings, damage them the ways captures get damaged (bit
// flips, truncation, splicing two files, huge length fields, stray/deleted/duplicated bytes) and check that
// readRecording never throws anything but the typed CsiFormatError, never hangs, and returns a self-consistent
// recording whose every problem is a well-formed diagnostic.
//
// Everything is driven by a seeded PRNG so a failing case is reproduced from (seed, case index) alone. This file
// is pure (no Node APIs); runner.ts runs campaigns in a worker thread so that a hang is detected and
// reported instead of freezing the test process.
import type { CsiDiagnostic, CsiRecording } from '../../src/core/formats/types';
import { readRecording } from '../../src/core/formats/index';
import { CsiFormatError } from '../../src/core/formats/errors';
import { mulberry32 } from '../../src/core/data/seededRandom';

/** mulberry32: tiny, fast, good enough for choosing mutations; deterministic across platforms. */
export const prng = mulberry32;

export interface FuzzSource {
  name: string;
  bytes: Uint8Array;
}

type Rng = () => number;
const int = (rng: Rng, n: number): number => Math.floor(rng() * n);

/** Positions near the start are where headers and length fields live; aim half the mutations there. */
function position(rng: Rng, len: number): number {
  if (len === 0) return 0;
  return rng() < 0.5 ? int(rng, Math.min(len, 512)) : int(rng, len);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const MUTATIONS = ['bitflip', 'truncate', 'splice', 'huge-length', 'insert', 'delete', 'duplicate', 'fill'] as const;
export type MutationKind = (typeof MUTATIONS)[number];

/** Apply one mutation; returns the new bytes and a short description for reproduction reports. */
export function mutateOnce(b: Uint8Array, kind: MutationKind, rng: Rng, pool: readonly FuzzSource[]): { bytes: Uint8Array; what: string } {
  const len = b.length;
  switch (kind) {
    case 'bitflip': {
      const out = b.slice();
      const k = 1 + int(rng, 16);
      for (let i = 0; i < k && len > 0; i++) {
        const p = position(rng, len);
        out[p] ^= 1 << int(rng, 8);
      }
      return { bytes: out, what: `flip ${k} bits` };
    }
    case 'truncate': {
      const at = int(rng, len + 1);
      return { bytes: b.slice(0, at), what: `truncate at ${at}` };
    }
    case 'splice': {
      const other = pool[int(rng, pool.length)];
      const i = int(rng, len + 1),
        j = int(rng, other.bytes.length + 1);
      return { bytes: concat(b.subarray(0, i), other.bytes.subarray(j)), what: `splice [0,${i}) + ${other.name}[${j},…)` };
    }
    case 'huge-length': {
      const out = b.slice();
      const p = position(rng, len);
      const patterns = [
        [0xff, 0xff],
        [0xff, 0xff, 0xff, 0xff],
        [0x7f, 0xff, 0xff, 0xff],
        [0xff, 0xff, 0xff, 0x7f],
        [0, 0],
        [0, 0, 0, 0x80],
      ];
      const pat = patterns[int(rng, patterns.length)];
      for (let i = 0; i < pat.length && p + i < len; i++) out[p + i] = pat[i];
      return { bytes: out, what: `length bytes [${pat.map(x => x.toString(16)).join(' ')}] at ${p}` };
    }
    case 'insert': {
      const p = position(rng, len),
        k = 1 + int(rng, 64);
      const junk = new Uint8Array(k);
      for (let i = 0; i < k; i++) junk[i] = int(rng, 256);
      return { bytes: concat(b.subarray(0, p), junk, b.subarray(p)), what: `insert ${k} bytes at ${p}` };
    }
    case 'delete': {
      const p = position(rng, len),
        k = 1 + int(rng, 600);
      return { bytes: concat(b.subarray(0, p), b.subarray(Math.min(len, p + k))), what: `delete ${k} bytes at ${p}` };
    }
    case 'duplicate': {
      const p = position(rng, len),
        k = 1 + int(rng, 2000);
      const q = Math.min(len, p + k);
      return { bytes: concat(b.subarray(0, q), b.subarray(p, q), b.subarray(q)), what: `duplicate [${p},${q})` };
    }
    case 'fill': {
      const out = b.slice();
      const p = position(rng, len),
        k = 1 + int(rng, 300),
        v = rng() < 0.5 ? 0 : 0xff;
      out.fill(v, p, Math.min(len, p + k));
      return { bytes: out, what: `fill ${k} bytes with ${v} at ${p}` };
    }
  }
}

export interface FuzzCase {
  index: number;
  source: string;
  mutations: string[];
  bytes: Uint8Array;
}

/** Case `index` of a campaign: deterministic in (seed, index, sources). 1–3 mutations of one source file. */
export function makeCase(seed: number, index: number, sources: readonly FuzzSource[]): FuzzCase {
  const rng = prng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const src = sources[index % sources.length];
  let bytes = src.bytes;
  const mutations: string[] = [];
  const k = 1 + int(rng, 3);
  for (let i = 0; i < k; i++) {
    const kind = MUTATIONS[int(rng, MUTATIONS.length)];
    const m = mutateOnce(bytes, kind, rng, sources);
    bytes = m.bytes;
    mutations.push(`${kind}: ${m.what}`);
  }
  return { index, source: src.name, mutations, bytes };
}

export type FuzzVerdict = 'read' | 'unknown-format' | 'crash' | 'invariant';

export interface FuzzResult {
  verdict: FuzzVerdict;
  ms: number;
  packets: number;
  diagnostics: number;
  format?: string;
  /** For crash / invariant: what went wrong. */
  problem?: string;
}

/** Structural checks every recording must pass, whatever the input. Returns the first violation, if any. */
export function checkRecording(rec: CsiRecording, file: string, size: number): string | undefined {
  const n = rec.nPackets;
  if (!Number.isInteger(n) || n < 0) return `nPackets=${n}`;
  const block = rec.nSubcarriers * rec.nRx * rec.nTx * 2;
  if (rec.csi.length !== n * block) return `csi length ${rec.csi.length} != ${n}×${block}`;
  if (rec.scaled && rec.scaled.length !== rec.csi.length) return `scaled length ${rec.scaled.length}`;
  for (const [k, a] of [
    ['timestampUs', rec.timestampUs],
    ['seq', rec.seq],
    ['offsets', rec.offsets],
    ['noise', rec.noise],
    ['agc', rec.agc],
    ['rate', rec.rate],
    ['nRxPerPacket', rec.nRxPerPacket],
    ['nTxPerPacket', rec.nTxPerPacket],
  ] as const) {
    if (a.length !== n) return `${k} length ${a.length} != ${n}`;
  }
  if (rec.rssi.length !== n * rec.nRx) return `rssi length ${rec.rssi.length} != ${n}×${rec.nRx}`;
  if (rec.subcarrierIndices.length !== rec.nSubcarriers) return `subcarrierIndices length ${rec.subcarrierIndices.length}`;
  for (let i = 0; i < n; i++) {
    const o = rec.offsets[i];
    if (!(o >= 0 && o < size)) return `offset[${i}]=${o} outside the file (${size} bytes)`;
    if (i > 0 && !(o > rec.offsets[i - 1])) return `offsets not increasing at ${i}`;
  }
  for (const d of rec.diagnostics) {
    const bad = checkDiagnostic(d, file, size);
    if (bad) return bad;
  }
  return undefined;
}

export function checkDiagnostic(d: CsiDiagnostic, file: string, size: number): string | undefined {
  if (d.file !== file) return `diagnostic file '${d.file}' != '${file}'`;
  if (!Number.isInteger(d.offset) || d.offset < 0 || d.offset > size) return `diagnostic offset ${d.offset} outside 0..${size} (${d.code})`;
  if (!['error', 'warning', 'info'].includes(d.severity)) return `diagnostic severity '${d.severity}'`;
  if (typeof d.code !== 'string' || !d.code) return 'diagnostic without code';
  if (typeof d.message !== 'string' || !d.message) return `diagnostic ${d.code} without message`;
  return undefined;
}

/** Read one case through the public entry point and judge it. */
export function runCase(c: FuzzCase, now: () => number = Date.now): FuzzResult {
  const file = `fuzz#${c.index}`;
  const t0 = now();
  try {
    const rec = readRecording(c.bytes, { file });
    const ms = now() - t0;
    const bad = checkRecording(rec, file, c.bytes.length);
    return {
      verdict: bad ? 'invariant' : 'read',
      ms,
      packets: rec.nPackets,
      diagnostics: rec.diagnostics.length,
      format: rec.format,
      problem: bad,
    };
  } catch (err) {
    const ms = now() - t0;
    if (err instanceof CsiFormatError) {
      const bad = checkDiagnostic(err.diagnostic, file, c.bytes.length);
      return bad
        ? { verdict: 'invariant', ms, packets: 0, diagnostics: 1, problem: bad }
        : { verdict: 'unknown-format', ms, packets: 0, diagnostics: 1 };
    }
    const e = err instanceof Error ? `${err.name}: ${err.message}\n${err.stack?.split('\n').slice(1, 4).join('\n')}` : String(err);
    return { verdict: 'crash', ms, packets: 0, diagnostics: 0, problem: e };
  }
}

export interface FuzzFailure {
  index: number;
  source: string;
  mutations: string[];
  verdict: FuzzVerdict | 'hang';
  problem: string;
}

export interface FuzzSummary {
  seed: number;
  cases: number;
  verdicts: Record<FuzzVerdict | 'hang', number>;
  /** Cases per source file. */
  bySource: Record<string, number>;
  failures: FuzzFailure[];
  maxCaseMs: number;
  totalMs: number;
}

export function emptySummary(seed: number): FuzzSummary {
  return {
    seed,
    cases: 0,
    verdicts: { read: 0, 'unknown-format': 0, crash: 0, invariant: 0, hang: 0 },
    bySource: {},
    failures: [],
    maxCaseMs: 0,
    totalMs: 0,
  };
}

/** Fold one result into a summary (keeps the first 20 failures in full). */
export function record(s: FuzzSummary, c: Pick<FuzzCase, 'index' | 'source' | 'mutations'>, r: FuzzResult): void {
  s.cases++;
  s.verdicts[r.verdict]++;
  s.bySource[c.source] = (s.bySource[c.source] ?? 0) + 1;
  s.maxCaseMs = Math.max(s.maxCaseMs, r.ms);
  s.totalMs += r.ms;
  if ((r.verdict === 'crash' || r.verdict === 'invariant') && s.failures.length < 20) {
    s.failures.push({ index: c.index, source: c.source, mutations: c.mutations, verdict: r.verdict, problem: r.problem ?? '' });
  }
}

/** A case that never answered (see test/fuzz/runner.ts). */
export function recordHang(s: FuzzSummary, c: Pick<FuzzCase, 'index' | 'source' | 'mutations'>, hangMs: number): void {
  s.cases++;
  s.verdicts.hang++;
  s.bySource[c.source] = (s.bySource[c.source] ?? 0) + 1;
  s.maxCaseMs = Math.max(s.maxCaseMs, hangMs);
  if (s.failures.length < 20) {
    s.failures.push({
      index: c.index,
      source: c.source,
      mutations: c.mutations,
      verdict: 'hang',
      problem: `no answer within ${hangMs} ms`,
    });
  }
}
