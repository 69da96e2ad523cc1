// The editor's five plotly charts on one shared time axis, and the zoom link between them: a relayout of the x axis
// in any chart (drag-zoom, pan, double-click reset, the zoom buttons) is applied to all the others and reported
// once through `onRange` (debounced) so the host can fetch full-resolution data for the visible window.
import type { DopplerData, ViewControls, ViewData } from '../../src/shared/recordingView';
import type { PackedViewData } from '../../src/shared/viewWire';
import { mark } from './bootTiming';
import { bandText, colorbarTitle } from './chartParts';
import { whenPlotly } from './plotlyLoader';
import { drawHeatmapPreview } from './preview';
import type { ChartTheme } from '../common/theme';
import { baseLayout, CHART_IDS, CONFIG, HEIGHT, margins, type ChartId } from './chartLayout';
import { packetStrip } from './packetStrip';
import { dopplerFigure } from './dopplerFigure';

/* Plotly is loaded as its own script (dist/webview/plotly.min.js, plotlyLoader.ts) after the first view; only what
   we use is typed. Every call waits for it (whenPlotly); until then the heatmaps show canvas previews (preview.ts). */
interface PlotlyEl extends HTMLElement {
  data?: { name?: string }[];
  layout?: { xaxis?: { range?: [number, number] }; yaxis?: { range?: [number, number] } };
  on(event: string, cb: (e: Record<string, unknown>) => void): void;
}
interface PlotlyApi {
  react(el: HTMLElement, data: unknown[], layout: unknown, config?: unknown): Promise<PlotlyEl>;
  relayout(el: HTMLElement, update: Record<string, unknown>): Promise<unknown>;
  toImage(el: HTMLElement, opts: { format: 'png' | 'svg'; width: number; height: number }): Promise<string>;
  Plots: { resize(el: HTMLElement): void };
}
declare const Plotly: PlotlyApi;

export { CHART_IDS, CHART_TITLES, type ChartId } from './chartLayout';

export interface ChartHost {
  /** The chart's plot element. */
  el(id: ChartId): HTMLElement;
  /** Caption under the chart (what it shows, for users and tests). */
  caption(id: ChartId, text: string): void;
}

export class LinkedCharts {
  private syncing = false;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private attached = new Set<ChartId>();
  /** The shared visible range (undefined = the whole recording). */
  range: [number, number] | undefined;
  /** Whole-recording extent (for zoom out). */
  extent: [number, number] = [0, 1];

  constructor(
    private readonly host: ChartHost,
    private theme: ChartTheme,
    private readonly onRange: (r: [number, number] | undefined, fromUser: boolean) => void,
  ) {}

  get currentTheme(): ChartTheme {
    return this.theme;
  }

  /** New theme colours: the caller redraws (Plotly.react with layouts built from the new theme); a relayout of
   *  colours alone made plotly recompute the chart heights from the container. */
  setTheme(t: ChartTheme) {
    this.theme = t;
  }

  /** Whether plotly has drawn every chart of the view at least once (the canvas previews are gone then). */
  get drawn(): boolean {
    return this.attached.size > 0;
  }

  private async draw(id: ChartId, data: unknown[], layout: Record<string, unknown>): Promise<void> {
    await whenPlotly();
    const gd = this.host.el(id);
    gd.querySelector(':scope > canvas.preview')?.remove();
    const out = await Plotly.react(gd, data, layout, CONFIG);
    if (!this.attached.has(id)) {
      this.attached.add(id);
      out.on('plotly_relayout', e => this.relayouted(id, e));
    }
  }

  private relayouted(source: ChartId, e: Record<string, unknown>) {
    if (this.syncing) return;
    let next: [number, number] | undefined | null = null; // null = the x axis did not change
    if (typeof e['xaxis.range[0]'] === 'number' && typeof e['xaxis.range[1]'] === 'number')
      next = [e['xaxis.range[0]'] as number, e['xaxis.range[1]'] as number];
    else if (Array.isArray(e['xaxis.range'])) next = [Number((e['xaxis.range'] as number[])[0]), Number((e['xaxis.range'] as number[])[1])];
    else if (e['xaxis.autorange'] === true) next = undefined;
    if (next === null) return;
    void this.apply(next, source, true);
  }

  /** The x range every chart shows: the zoom, else the whole recording (explicit, never plotly's autorange, which
   *  pads heatmaps by half a cell and would give each chart a slightly different axis). */
  shown(): [number, number] {
    if (this.range) return this.range;
    const [a, b] = this.extent;
    // One packet: plotly draws a lone heatmap column 1 unit (s) wide, so show that unit.
    return b > a ? [a, b] : [a - 0.5, a + 0.5];
  }

  /** Show `r` in every chart (except `source`, which already does) and report it. */
  async apply(r: [number, number] | undefined, source: ChartId | undefined, fromUser: boolean): Promise<void> {
    this.range = r;
    this.syncing = true;
    try {
      const update = { 'xaxis.range': [...this.shown()], 'xaxis.autorange': false };
      // A reset (double-click autorange) also re-applies the explicit extent to the chart it came from.
      await Promise.all([...this.attached].filter(id => id !== source || !r).map(id => Plotly.relayout(this.host.el(id), update)));
    } finally {
      this.syncing = false;
    }
    for (const id of this.attached) this.refreshCaption(id);
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.onRange(r, fromUser), 200);
  }

  /** Zoom about the centre of the visible range: factor < 1 zooms in. */
  zoom(factor: number) {
    const [a, b] = this.range ?? this.extent;
    const c = (a + b) / 2,
      h = ((b - a) / 2) * factor;
    const lo = Math.max(this.extent[0], c - h),
      hi = Math.min(this.extent[1], c + h);
    void this.apply(hi - lo >= (this.extent[1] - this.extent[0]) * 0.999 ? undefined : [lo, hi], undefined, true);
  }

  /** Shift the visible range by `frac` of its width. */
  pan(frac: number) {
    if (!this.range) return;
    const [a, b] = this.shown(),
      w = b - a;
    let lo = a + frac * w;
    lo = Math.max(this.extent[0], Math.min(this.extent[1] - w, lo));
    void this.apply([lo, lo + w], undefined, true);
  }

  /**
   * Keyboard operation of a focused chart, on the shared axis (so every linked view follows): ←/→ pan by a quarter
   * of the visible range, +/− zoom in/out about its centre, Home or 0 show the whole recording. Returns whether the
   * key was one of these (the caller then stops the browser's own handling, e.g. scrolling).
   */
  key(e: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey'>): boolean {
    if (e.altKey || e.ctrlKey || e.metaKey) return false; // leave VS Code's own shortcuts alone
    switch (e.key) {
      case 'ArrowLeft':
        this.pan(-0.25);
        return true;
      case 'ArrowRight':
        this.pan(0.25);
        return true;
      case '+':
      case '=':
        this.zoom(0.5);
        return true;
      case '-':
      case '_':
        this.zoom(2);
        return true;
      case 'Home':
      case '0':
        void this.apply(undefined, undefined, true);
        return true;
      default:
        return false;
    }
  }

  private captions = new Map<ChartId, string>();

  private refreshCaption(id: ChartId) {
    const gd = this.host.el(id) as PlotlyEl;
    const xr = gd.layout?.xaxis?.range;
    const traces = gd.data?.length ?? 0;
    const x = xr ? `${Number(xr[0]).toFixed(3)}–${Number(xr[1]).toFixed(3)} s` : '—';
    this.host.caption(id, `${traces} trace${traces === 1 ? '' : 's'} · x ${x} · ${this.captions.get(id) ?? ''}`);
  }

  /**
   * The first view before plotly has loaded: amplitude and phase heatmaps drawn on canvases (preview.ts) in the
   * layout plotly will use, from the packed data as it arrived. Charts plotly has drawn already are left alone.
   */
  preview(v: PackedViewData, c: ViewControls): void {
    const t = this.theme,
      x = this.shown();
    const res = v.resolution === 'full' ? 'full resolution' : v.resolution === 'mean' ? 'bucket means' : 'sampled overview';
    const cols = `${v.timeS.length} columns (${res}), packets ${v.packets[0]}–${Math.max(v.packets[0], v.packets[1] - 1)}`;
    let phaseRange: [number, number] | undefined = [-Math.PI, Math.PI];
    if (c.phaseMode === 'sanitised') {
      // plotly's zmid: 0 makes the colour range symmetric about zero.
      let m = 0;
      for (const z of v.phase.data) if (z === z && Math.abs(z) > m) m = Math.abs(z);
      phaseRange = m > 0 ? [-m, m] : undefined;
    }
    const ant = `rx ${c.rx + 1}, tx ${c.tx + 1}`;
    const heat = (id: ChartId, z: PackedViewData['amplitude'], colorscale: string, zTitle: string, range?: [number, number]) => {
      if (this.attached.has(id)) return;
      drawHeatmapPreview(
        this.host.el(id),
        {
          x: v.timeS,
          y: v.subcarrierIndices,
          z,
          xRange: x,
          colorscale,
          zmin: range?.[0],
          zmax: range?.[1],
          height: HEIGHT[id],
          margin: margins(id),
          xTitle: 'time (s)',
          yTitle: 'subcarrier',
          zTitle,
        },
        t,
      );
    };
    heat('amplitude', v.amplitude, c.colorScale, colorbarTitle('amplitude', v.scaled), v.ampRange);
    mark('previewAmplitudeDrawn');
    heat('phase', v.phase, 'RdBu', colorbarTitle('phase'), phaseRange);
    const xr = `x ${x[0].toFixed(3)}–${x[1].toFixed(3)} s`;
    if (!this.attached.has('amplitude'))
      this.host.caption(
        'amplitude',
        `preview · ${xr} · ${cols} · ${ant}${v.scaled ? ' · scaled' : ' · raw values'} · interactive chart loading…`,
      );
    if (!this.attached.has('phase'))
      this.host.caption('phase', `preview · ${xr} · ${cols} · ${ant} · ${c.phaseMode} · interactive chart loading…`);
  }

  async showView(v: ViewData, c: ViewControls, nRx: number): Promise<void> {
    const t = this.theme;
    const res = v.resolution === 'full' ? 'full resolution' : v.resolution === 'mean' ? 'bucket means' : 'sampled overview';
    const cols = `${v.timeS.length} columns (${res}), packets ${v.packets[0]}–${Math.max(v.packets[0], v.packets[1] - 1)}`;
    const empty = v.timeS.length === 0 ? 'no packets to show' : undefined;
    const hm = (z: number[][], colorscale: string, title: string, extra: Record<string, unknown> = {}) => ({
      type: 'heatmap',
      x: v.timeS,
      y: v.subcarrierIndices,
      z,
      colorscale,
      colorbar: { title: { text: title }, thickness: 12, x: 1.02, xpad: 4, tickfont: { color: t.foreground } },
      hovertemplate: `t %{x:.4f} s<br>subcarrier %{y}<br>${title} %{z:.4g}<extra></extra>`,
      ...extra,
    });
    const ant = `rx ${c.rx + 1}, tx ${c.tx + 1}`;
    this.captions.set('amplitude', `${cols} · ${ant}${v.scaled ? ' · scaled' : ' · raw values'}`);
    this.captions.set('phase', `${cols} · ${ant} · ${c.phaseMode}`);
    this.captions.set('ratio', `rx ${c.rx + 1} / rx ${c.rx2 + 1}, tx ${c.tx + 1}`);
    this.captions.set('packets', `${cols} · lost in view: ${v.lost.reduce((s, x) => s + (Number.isFinite(x) ? x : 0), 0)}`);
    const ratioNote =
      empty ??
      (v.ratioPhase.length === 0
        ? nRx < 2
          ? 'CSI ratio needs two receive antennas (this recording has one)'
          : 'choose two different antennas for the CSI ratio'
        : undefined);
    // Ratio lines are CSI columns (the worker keeps the valid ones, in order); their label gives the OFDM index.
    const nColumns = v.subcarrierColumns.reduce((m, x) => Math.max(m, x + 1), 0);
    const lines = c.subcarriers.filter(s => s >= 0 && s < nColumns);
    const kOf = (col: number) => {
      const r = v.subcarrierColumns.indexOf(col);
      return r >= 0 ? String(v.subcarrierIndices[r]) : 'not on the heatmap axis';
    };
    // A line through one point draws nothing: a one-packet window gets markers.
    const mode = v.timeS.length < 2 ? 'lines+markers' : 'lines';
    const strip = packetStrip(v, t, this.shown(), empty);
    await Promise.all([
      // Amplitude colours from the data tones' 1st–99th percentile (worker): a null or guard tone cannot set them.
      this.draw(
        'amplitude',
        [
          hm(
            v.amplitude,
            c.colorScale,
            colorbarTitle('amplitude', v.scaled),
            v.ampRange ? { zmin: v.ampRange[0], zmax: v.ampRange[1] } : {},
          ),
        ],
        baseLayout(t, 'amplitude', this.shown(), 'subcarrier', empty),
      ),
      this.draw(
        'phase',
        [
          hm(v.phase, 'RdBu', colorbarTitle('phase'), {
            zmin: -Math.PI,
            zmax: Math.PI,
            zmid: 0,
            ...(c.phaseMode === 'sanitised' ? { zmin: undefined, zmax: undefined } : {}),
          }),
        ],
        baseLayout(t, 'phase', this.shown(), 'subcarrier', empty),
      ),
      this.draw(
        'ratio',
        v.ratioPhase.map((r, l) => ({
          type: 'scatter',
          mode,
          x: v.timeS,
          y: r,
          name: `subcarrier ${lines[l] + 1} (k = ${kOf(lines[l])})`,
          line: { color: t.accent[l % t.accent.length], width: 1 },
        })),
        { ...baseLayout(t, 'ratio', this.shown(), 'rad', ratioNote) },
      ),
      this.draw('packets', strip.traces, strip.layout),
    ]);
    for (const id of ['amplitude', 'phase', 'ratio', 'packets'] as ChartId[]) this.refreshCaption(id);
  }

  async showDoppler(d: DopplerData | undefined, c: ViewControls, pending: string | undefined): Promise<void> {
    const t = this.theme;
    const note = pending ?? d?.unavailable;
    const ok = d && !d.unavailable && d.timeS.length ? d : undefined;
    const { data, layout, vel } = dopplerFigure(ok, c, t, this.shown(), note);
    this.captions.set(
      'doppler',
      note
        ? note
        : `${ok!.timeS.length} columns · ${ok!.freqsHz.length} bins · ${bandText(ok!, c.dopplerBandHz) || `±${Math.max(...ok!.freqsHz.map(Math.abs)).toFixed(0)} Hz`}` +
            `${vel ? ` · right axis: path-length change f·c/f_c at ${(ok!.carrierHz! / 1e9).toFixed(3)} GHz` : ' · no carrier frequency in this file: no velocity axis'}` +
            ` · reference antenna rx ${ok!.referenceAntenna + 1} · window ${c.dopplerWindowS} s`,
    );
    await this.draw('doppler', data, layout);
    this.refreshCaption('doppler');
  }

  /** The charts stacked into one image (PNG: one canvas; SVG: nested <svg> elements). */
  async toImage(format: 'png' | 'svg', width: number): Promise<string> {
    await whenPlotly();
    const parts: { url: string; h: number }[] = [];
    for (const id of CHART_IDS) {
      if (!this.attached.has(id)) continue;
      parts.push({ url: await Plotly.toImage(this.host.el(id), { format, width, height: HEIGHT[id] }), h: HEIGHT[id] });
    }
    const total = parts.reduce((s, p) => s + p.h, 0);
    if (format === 'svg') {
      let y = 0,
        body = '';
      for (const p of parts) {
        const svg = decodeURIComponent(p.url.slice(p.url.indexOf(',') + 1)).replace(/^<\?xml[^>]*>/, '');
        body += svg.replace(/^<svg /, `<svg x="0" y="${y}" `);
        y += p.h;
      }
      return (
        'data:image/svg+xml,' +
        encodeURIComponent(
          `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}">${body}</svg>`,
        )
      );
    }
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = total;
    const g = canvas.getContext('2d')!;
    g.fillStyle = this.theme.background;
    g.fillRect(0, 0, width, total);
    let y = 0;
    for (const p of parts) {
      const img = new Image();
      await new Promise<void>((res, rej) => {
        img.onload = () => res();
        img.onerror = () => rej(new Error('image decode failed'));
        img.src = p.url;
      });
      g.drawImage(img, 0, y);
      y += p.h;
    }
    return canvas.toDataURL('image/png');
  }

  resize() {
    for (const id of this.attached) Plotly.Plots.resize(this.host.el(id));
  }
}
