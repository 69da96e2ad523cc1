// The Doppler chart's figure: the spectrogram heatmap (Hz) and, when the file records its carrier frequency, a
// second axis of path-length change rate v = f·c/f_c on the same extent.
import type { DopplerData, ViewControls } from '../../src/shared/recordingView';
import type { ChartTheme } from '../common/theme';
import { baseLayout } from './chartLayout';
import { colorbarTitle, velocityAxis } from './chartParts';

export function dopplerFigure(
  ok: DopplerData | undefined,
  c: ViewControls,
  t: ChartTheme,
  shown: [number, number],
  note: string | undefined,
): { data: unknown[]; layout: Record<string, unknown>; vel: ReturnType<typeof velocityAxis> } {
  const layout = baseLayout(t, 'doppler', shown, 'Doppler (Hz)', note);
  const data: unknown[] = [];
  let vel: ReturnType<typeof velocityAxis>;
  if (ok) {
    const f = ok.freqsHz,
      bin = f.length > 1 ? f[1] - f[0] : 1;
    const yr: [number, number] = [f[0] - bin / 2, f[f.length - 1] + bin / 2];
    vel = velocityAxis(yr, ok.carrierHz);
    data.push({
      type: 'heatmap',
      x: ok.timeS,
      y: f,
      z: ok.power,
      colorscale: c.colorScale,
      // In the right margin beside the velocity axis (container coordinates: independent of the plot width).
      colorbar: {
        title: { text: colorbarTitle('doppler') },
        thickness: 12,
        xref: 'container',
        x: 1,
        xanchor: 'right',
        xpad: 4,
        tickfont: { color: t.foreground },
      },
      hovertemplate: `t %{x:.3f} s<br>%{y:.1f} Hz${vel ? ` (%{customdata:.2f} m/s)` : ''}<br>%{z:.3g}<extra></extra>`,
      ...(vel ? { customdata: ok.power.map((_, i) => ok.timeS.map(() => f[i] * (vel!.range[1] / yr[1]))) } : {}),
    });
    layout.yaxis = { ...(layout.yaxis as Record<string, unknown>), range: yr, autorange: false };
    if (vel) {
      // Path-length change rate v = f·c/f_c on a second axis with the same extent (an empty trace anchors it).
      layout.yaxis2 = {
        overlaying: 'y',
        side: 'right',
        range: vel.range,
        autorange: false,
        tickmode: 'array',
        tickvals: vel.tickvals,
        ticktext: vel.ticktext,
        title: { text: vel.title },
        color: t.foreground,
        gridcolor: 'rgba(0,0,0,0)',
        zeroline: false,
        automargin: false,
        fixedrange: true,
      };
      data.push({
        type: 'scatter',
        mode: 'markers',
        x: [ok.timeS[0]],
        y: [null],
        yaxis: 'y2',
        showlegend: false,
        hoverinfo: 'skip',
        name: 'velocity axis',
      });
    }
  }
  return { data, layout, vel };
}
