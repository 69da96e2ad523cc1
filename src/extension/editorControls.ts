// The recording editor's view controls: defaults from the `csiWorkbench.editor.*` settings, the user's last
// choice per file (workspace state), clamped to what the recording actually has (a saved "rx 3" must not break a
// 1-antenna file).
import * as vscode from 'vscode';
import type { RecordingSummary } from '../shared/recordingSummary';
import type { ViewControls } from '../shared/recordingView';

export const COLOR_SCALES = ['Viridis', 'Cividis', 'Jet', 'Hot', 'Greys', 'RdBu'] as const;

export function editorSettings(): { controls: Omit<ViewControls, 'rx' | 'tx' | 'rx2' | 'subcarriers'>; maxColumns: number } {
  const cfg = vscode.workspace.getConfiguration('csiWorkbench.editor');
  const colorScale = cfg.get<string>('colorScale', 'Viridis');
  return {
    controls: {
      useScaled: cfg.get<boolean>('useScaled', true),
      phaseMode: cfg.get<string>('phaseMode', 'sanitised') === 'raw' ? 'raw' : 'sanitised',
      colorScale: (COLOR_SCALES as readonly string[]).includes(colorScale) ? colorScale : 'Viridis',
      dopplerWindowS: cfg.get<number>('dopplerWindowS', 0.25),
      dopplerBandHz: cfg.get<number>('dopplerBandHz', 60),
    },
    maxColumns: Math.max(100, Math.min(20000, Math.round(cfg.get<number>('maxColumns', 2000)))),
  };
}

const int = (v: unknown, lo: number, hi: number, dflt: number) =>
  typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? v : dflt;
const num = (v: unknown, lo: number, hi: number, dflt: number) =>
  typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi ? v : dflt;

/** Settings defaults, overridden by a saved choice, valid for this recording. */
export function resolveControls(s: RecordingSummary, saved: Partial<ViewControls> | undefined): ViewControls {
  const d = editorSettings().controls;
  const nRx = Math.max(1, s.nRx),
    nTx = Math.max(1, s.nTx),
    nSc = Math.max(1, s.nSubcarriers);
  const rx = int(saved?.rx, 0, nRx - 1, 0);
  const subs = Array.isArray(saved?.subcarriers) ? saved!.subcarriers.filter(x => Number.isInteger(x) && x >= 0 && x < nSc) : [];
  return {
    rx,
    tx: int(saved?.tx, 0, nTx - 1, 0),
    rx2: int(saved?.rx2, 0, nRx - 1, nRx > 1 ? (rx + 1) % nRx : 0),
    subcarriers: subs.length ? subs : [Math.floor(nSc / 2)],
    useScaled: typeof saved?.useScaled === 'boolean' ? saved.useScaled : d.useScaled,
    phaseMode: saved?.phaseMode === 'raw' || saved?.phaseMode === 'sanitised' ? saved.phaseMode : d.phaseMode,
    colorScale:
      typeof saved?.colorScale === 'string' && (COLOR_SCALES as readonly string[]).includes(saved.colorScale)
        ? saved.colorScale
        : d.colorScale,
    dopplerWindowS: num(saved?.dopplerWindowS, 0.01, 10, d.dopplerWindowS),
    dopplerBandHz: num(saved?.dopplerBandHz, 1, 1000, d.dopplerBandHz),
  };
}

export const controlsKey = (uri: vscode.Uri) => `csiWorkbench.editor.controls:${uri.toString()}`;
