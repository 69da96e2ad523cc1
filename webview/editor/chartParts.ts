// Pure pieces of the editor's charts and metadata panel (no DOM, no plotly): axis ticks, colour-bar titles with
// units, the Doppler chart's velocity axis, the status line and grouped diagnostics. Kept apart from charts.ts and
// main.ts so unit tests can check them in node.
import type { CsiDiagnostic } from '../../src/shared/recordingSummary';
import type { RecordingSummary } from '../../src/shared/recordingSummary';
import type { DopplerData } from '../../src/shared/recordingView';
import { niceTicks } from './preview';

/** Speed of light (m/s). */
export const C = 299792458;

/** Padded [lo, hi] of the finite values, or undefined. */
function extent(values: ArrayLike<number>[], from0 = false): [number, number] | undefined {
  let lo = from0 ? 0 : Infinity,
    hi = -Infinity;
  for (const a of values)
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (x !== null && Number.isFinite(x)) {
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    }
  if (!(hi >= lo)) return undefined;
  if (hi === lo) {
    const d = Math.max(1, Math.abs(hi) * 0.1);
    return [from0 ? 0 : lo - d, hi + d];
  }
  const pad = 0.08 * (hi - lo);
  return [from0 ? 0 : lo - pad, hi + pad];
}

/**
 * The per-packet strip's two y axes with explicit round ticks (1, 2 or 5 × 10^k): plotly gives an overlaying axis
 * tickmode 'sync', which put the packets/s ticks at the dB axis's positions (303 / 561 / 819 / 1078).
 */
export function stripAxes(dB: ArrayLike<number>[], rateHz: ArrayLike<number>): { y: Record<string, unknown>; y2: Record<string, unknown> } {
  const axis = (r: [number, number] | undefined) => {
    if (!r) return { tickmode: 'auto', autorange: true };
    const ticks = niceTicks(r[0], r[1], 4);
    return { range: r, autorange: false, tickmode: 'array', tickvals: ticks, ticktext: ticks.map(v => fmtTick(v, ticks)) };
  };
  return { y: axis(extent(dB)), y2: axis(extent([rateHz], true)) };
}

function fmtTick(v: number, ticks: number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  const d = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(d);
}

/** Colour-bar titles with their units. */
export function colorbarTitle(chart: 'amplitude' | 'phase' | 'doppler', scaled = false): string {
  if (chart === 'amplitude') return scaled ? '|H| (scaled)' : '|H| (raw units)';
  if (chart === 'phase') return 'phase (rad)';
  return 'power (normalised)';
}

/**
 * The Doppler chart's second y axis: path-length change rate v = f·λ = f·c/f_c (m/s) for Doppler frequency f
 * (Widar3.0's DFS: the reflection path's length changes at f·λ; a radial speed is half of it). Undefined without
 * a carrier frequency. `range` is the Hz axis's range.
 */
export function velocityAxis(
  rangeHz: [number, number],
  carrierHz: number | undefined,
): { range: [number, number]; title: string; tickvals: number[]; ticktext: string[] } | undefined {
  if (!(carrierHz && carrierHz > 0)) return undefined;
  const lambda = C / carrierHz;
  const range: [number, number] = [rangeHz[0] * lambda, rangeHz[1] * lambda];
  const ticks = niceTicks(range[0], range[1], 5);
  return { range, title: 'path change (m/s)', tickvals: ticks, ticktext: ticks.map(v => fmtTick(v, ticks)) };
}

/** The Doppler caption's band part: what was computed, and why it is less than asked. */
export function bandText(d: Pick<DopplerData, 'bandHz' | 'maxBandHz'>, askedHz: number): string {
  if (d.bandHz === undefined) return '';
  const b = `band ±${d.bandHz.toFixed(d.bandHz < 10 ? 1 : 0)} Hz`;
  return d.bandHz < askedHz ? `${b} (the Nyquist limit of the packet rate; ±${askedHz} Hz asked)` : b;
}

/** Warnings and errors are problems; info diagnostics are notes (skipped non-CSI 0xC1 entries, 257-word packets). */
export function problemCounts(s: Pick<RecordingSummary, 'severityCounts' | 'diagnostics' | 'diagnosticCount'>): {
  problems: number;
  notes: number;
} {
  const c = s.severityCounts;
  if (c) return { problems: c.error + c.warning, notes: c.info };
  const problems = s.diagnostics.filter(d => d.severity !== 'info').length;
  return { problems: problems + (s.diagnosticCount - s.diagnostics.length), notes: s.diagnostics.length - problems };
}

export function statusText(s: RecordingSummary): string {
  if (s.records === 0) return s.format ? 'No complete record could be read.' : 'This file is not a CSI recording in any supported format.';
  const { problems, notes } = problemCounts(s);
  const parts = [`${s.records} records read`];
  if (problems) parts.push(`${problems} problem${problems === 1 ? '' : 's'} reported`);
  if (notes) parts.push(`${notes} note${notes === 1 ? '' : 's'}`);
  return parts.join(', ');
}

export interface DiagnosticGroup {
  severity: CsiDiagnostic['severity'];
  code: string;
  /** The message of the first one (they differ only in offsets, if at all). */
  message: string;
  expected?: string;
  count: number;
  /** The first few offsets (line numbers where the format has lines). */
  first: { offset: number; line?: number }[];
}

/** Group identical diagnostics (same severity, code and message, offsets aside), in order of first appearance. */
export function groupDiagnostics(list: CsiDiagnostic[], keepOffsets = 3): DiagnosticGroup[] {
  const groups = new Map<string, DiagnosticGroup>();
  for (const d of list) {
    // Offsets written into a message ("first at offset 1234") do not make it a different problem.
    const key = `${d.severity}\u0000${d.code}\u0000${d.message.replace(/\d+/g, '#')}`;
    let g = groups.get(key);
    if (!g) {
      g = { severity: d.severity, code: d.code, message: d.message, expected: d.expected, count: 0, first: [] };
      groups.set(key, g);
    }
    g.count++;
    if (g.first.length < keepOffsets) g.first.push({ offset: d.offset, line: d.line });
  }
  const rank = { error: 0, warning: 1, info: 2 };
  return [...groups.values()].sort((a, b) => rank[a.severity] - rank[b.severity]);
}

/** "@1234, @5678, @9012 …" for a group's first offsets. */
export function offsetsText(g: DiagnosticGroup): string {
  const at = g.first.map(o => `@${o.offset}${o.line ? ` (line ${o.line})` : ''}`).join(', ');
  return g.count > g.first.length ? `${at} …` : at;
}
