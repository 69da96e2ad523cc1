// What every chart of the recording editor shares: the chart ids and titles, heights, plotly config, and the base
// layout with fixed margins so all plot areas line up on the one time axis.
import type { ChartTheme } from '../common/theme';

export type ChartId = 'amplitude' | 'phase' | 'ratio' | 'doppler' | 'packets';
export const CHART_IDS: ChartId[] = ['amplitude', 'phase', 'ratio', 'doppler', 'packets'];
export const CHART_TITLES: Record<ChartId, string> = {
  amplitude: 'Amplitude |H| (subcarrier × time)',
  phase: 'Phase (subcarrier × time)',
  ratio: 'CSI-ratio phase arg(H_a / H_b)',
  doppler: 'Doppler spectrogram',
  packets: 'Per-packet strip: RSSI, AGC, packet rate, gaps',
};
export const HEIGHT: Record<ChartId, number> = { amplitude: 250, phase: 250, ratio: 200, doppler: 240, packets: 220 };

export const CONFIG = {
  displaylogo: false,
  responsive: true,
  modeBarButtonsToRemove: ['toImage', 'sendDataToCloud', 'lasso2d', 'select2d'],
};

/** Plot-area margins of each chart (fixed, so the plot areas of all charts line up on the shared time axis). */
export function margins(id: ChartId) {
  // r: room for the colour bars, and for the Doppler chart's velocity axis beside its colour bar.
  return { l: 64, r: 150, t: id === 'packets' ? 48 : id === 'ratio' ? 28 : 8, b: 36 };
}

export function baseLayout(t: ChartTheme, id: ChartId, range: [number, number], yTitle: string, note?: string): Record<string, unknown> {
  const axis = { gridcolor: t.grid, zerolinecolor: t.zero, linecolor: t.grid, color: t.foreground, automargin: false };
  return {
    height: HEIGHT[id],
    // Fixed margins (no automargin on the y axes) keep the plot areas of all charts aligned on the shared time
    // axis; colour bars and the packet strip's right axis live in the right margin.
    margin: margins(id),
    paper_bgcolor: t.background,
    plot_bgcolor: t.background,
    font: { family: t.font, color: t.foreground, size: 11 },
    xaxis: { ...axis, title: { text: 'time (s)' }, range: [...range], autorange: false },
    yaxis: { ...axis, title: { text: yTitle }, fixedrange: false },
    // Above the plot area, growing upwards into the top margin: a legend that wraps to a second row (the packet
    // strip of a 3-chain recording has six entries) must not cover the data.
    legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', bgcolor: 'rgba(0,0,0,0)' },
    showlegend: id === 'ratio' || id === 'packets',
    annotations: note
      ? [{ text: note, showarrow: false, xref: 'paper', yref: 'paper', x: 0.5, y: 0.5, font: { color: t.foreground, size: 13 } }]
      : [],
    dragmode: 'zoom',
  };
}
