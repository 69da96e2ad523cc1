// The per-packet strip of the recording editor: RSSI per chain and AGC (dB, left axis), the packet rate over a
// 100 ms window (right axis) and sequence gaps, with round ticks on both axes.
import type { ViewData } from '../../src/shared/recordingView';
import type { ChartTheme } from '../common/theme';
import { baseLayout } from './chartLayout';
import { stripAxes } from './chartParts';

export function packetStrip(
  v: ViewData,
  t: ChartTheme,
  shown: [number, number],
  empty: string | undefined,
): { traces: unknown[]; layout: Record<string, unknown> } {
  const mode = v.timeS.length < 2 ? 'lines+markers' : 'lines';
  const packetsTraces: unknown[] = v.rssi.map((r, ch) => ({
    type: 'scatter',
    mode,
    x: v.timeS,
    y: r,
    name: `RSSI ${String.fromCharCode(65 + ch)}`,
    line: { color: t.accent[ch % t.accent.length], width: 1 },
  }));
  packetsTraces.push({ type: 'scatter', mode, x: v.timeS, y: v.agc, name: 'AGC', line: { color: t.accent[3], width: 1, dash: 'dot' } });
  packetsTraces.push({
    type: 'scatter',
    mode,
    x: v.timeS,
    y: v.rateHz,
    name: 'packet rate (Hz)',
    yaxis: 'y2',
    line: { color: t.accent[4], width: 1 },
  });
  const gapX: number[] = [],
    gapY: number[] = [];
  v.lost.forEach((n, i) => {
    if (n > 0) {
      gapX.push(v.timeS[i]);
      gapY.push(v.rateHz[i]);
    }
  });
  packetsTraces.push({
    type: 'scatter',
    mode: 'markers',
    x: gapX,
    y: gapY,
    name: 'sequence gap',
    yaxis: 'y2',
    marker: { symbol: 'x', size: 8, color: t.accent[4] },
  });
  // Some captures carry none of these (old Nexmon firmware has no RSSI; one packet has no rate): say so.
  const anyStrip = v.rssi.some(r => r.some(Number.isFinite)) || v.agc.some(Number.isFinite) || v.rateHz.some(Number.isFinite);
  const packetsLayout = baseLayout(t, 'packets', shown, 'dB', empty ?? (anyStrip ? undefined : 'no RSSI, AGC or packet rate in this view'));
  // Explicit round ticks on both axes (plotly's default for an overlaying axis, 'sync', gave 303 / 561 / 819).
  const ax = stripAxes([...v.rssi, v.agc], v.rateHz);
  packetsLayout.yaxis = { ...(packetsLayout.yaxis as Record<string, unknown>), ...ax.y };
  packetsLayout.yaxis2 = {
    overlaying: 'y',
    side: 'right',
    title: { text: 'packets/s (100 ms window)' },
    color: t.foreground,
    gridcolor: 'rgba(0,0,0,0)',
    automargin: false,
    ...ax.y2,
  };
  return { traces: packetsTraces, layout: packetsLayout };
}
