// The editor's first view, drawn on a <canvas> from the view data as soon as it arrives, while plotly (1.5 MB of
// script, ~0.35 s to parse and run on the benchmark machine) is still loading: the amplitude and phase heatmaps
// with their time and subcarrier axes and colour bars, in the layout plotly will use (same height, margins, axis
// ranges, cell boundaries and colour scales), so the interactive chart that replaces it does not jump. Written by
// hand because it must not depend on plotly; it draws only what a heatmap of this editor needs.
import type { Matrix } from '../../src/shared/viewWire';
import type { ChartTheme } from '../common/theme';

/** plotly's colour scales of the editor (plotly.js src/components/colorscale/scales.js, same stops). */
const SCALES: Record<string, [number, string][]> = {
  Greys: [
    [0, 'rgb(0,0,0)'],
    [1, 'rgb(255,255,255)'],
  ],
  RdBu: [
    [0, 'rgb(5,10,172)'],
    [0.35, 'rgb(106,137,247)'],
    [0.5, 'rgb(190,190,190)'],
    [0.6, 'rgb(220,170,132)'],
    [0.7, 'rgb(230,145,90)'],
    [1, 'rgb(178,10,28)'],
  ],
  Hot: [
    [0, 'rgb(0,0,0)'],
    [0.3, 'rgb(230,0,0)'],
    [0.6, 'rgb(255,210,0)'],
    [1, 'rgb(255,255,255)'],
  ],
  Jet: [
    [0, 'rgb(0,0,131)'],
    [0.125, 'rgb(0,60,170)'],
    [0.375, 'rgb(5,255,255)'],
    [0.625, 'rgb(255,255,0)'],
    [0.875, 'rgb(250,0,0)'],
    [1, 'rgb(128,0,0)'],
  ],
  Viridis: [
    [0, '#440154'],
    [0.06274509803921569, '#48186a'],
    [0.12549019607843137, '#472d7b'],
    [0.18823529411764706, '#424086'],
    [0.25098039215686274, '#3b528b'],
    [0.3137254901960784, '#33638d'],
    [0.3764705882352941, '#2c728e'],
    [0.4392156862745098, '#26828e'],
    [0.5019607843137255, '#21918c'],
    [0.5647058823529412, '#1fa088'],
    [0.6274509803921569, '#28ae80'],
    [0.6901960784313725, '#3fbc73'],
    [0.7529411764705882, '#5ec962'],
    [0.8156862745098039, '#84d44b'],
    [0.8784313725490196, '#addc30'],
    [0.9411764705882353, '#d8e219'],
    [1, '#fde725'],
  ],
  Cividis: [
    [0, 'rgb(0,32,76)'],
    [0.058824, 'rgb(0,42,102)'],
    [0.117647, 'rgb(0,52,110)'],
    [0.176471, 'rgb(39,63,108)'],
    [0.235294, 'rgb(60,74,107)'],
    [0.294118, 'rgb(76,85,107)'],
    [0.352941, 'rgb(91,95,109)'],
    [0.411765, 'rgb(104,106,112)'],
    [0.470588, 'rgb(117,117,117)'],
    [0.529412, 'rgb(131,129,120)'],
    [0.588235, 'rgb(146,140,120)'],
    [0.647059, 'rgb(161,152,118)'],
    [0.705882, 'rgb(176,165,114)'],
    [0.764706, 'rgb(192,177,109)'],
    [0.823529, 'rgb(209,191,102)'],
    [0.882353, 'rgb(225,204,92)'],
    [0.941176, 'rgb(243,219,79)'],
    [1, 'rgb(255,233,69)'],
  ],
};

function rgb(c: string): [number, number, number] {
  if (c.startsWith('#')) return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
  const m = /(\d+),\s*(\d+),\s*(\d+)/.exec(c);
  return m ? [+m[1], +m[2], +m[3]] : [128, 128, 128];
}

/** 256-entry RGB lookup table of a scale (linear between its stops, as plotly interpolates). */
export function colorTable(name: string): Uint8ClampedArray {
  const stops = (SCALES[name] ?? SCALES.Viridis).map(([f, c]) => [f, ...rgb(c)] as [number, number, number, number]);
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const f = i / 255;
    let k = 1;
    while (k < stops.length - 1 && stops[k][0] < f) k++;
    const [f0, r0, g0, b0] = stops[k - 1],
      [f1, r1, g1, b1] = stops[k];
    const u = f1 > f0 ? Math.min(1, Math.max(0, (f - f0) / (f1 - f0))) : 0;
    lut[3 * i] = r0 + u * (r1 - r0);
    lut[3 * i + 1] = g0 + u * (g1 - g0);
    lut[3 * i + 2] = b0 + u * (b1 - b0);
  }
  return lut;
}

/** Cell boundaries around centres, as plotly's heatmap makes them (midpoints; the ends half a step out). */
export function cellBounds(c: ArrayLike<number>): Float64Array {
  const n = c.length,
    b = new Float64Array(n + 1);
  if (n === 0) return b;
  if (n === 1) {
    b[0] = c[0] - 0.5;
    b[1] = c[0] + 0.5;
    return b;
  }
  b[0] = c[0] - (c[1] - c[0]) / 2;
  for (let i = 1; i < n; i++) b[i] = (c[i - 1] + c[i]) / 2;
  b[n] = c[n - 1] + (c[n - 1] - c[n - 2]) / 2;
  return b;
}

/** About `target` round tick values (1, 2 or 5 × 10^k apart) inside [lo, hi]. */
export function niceTicks(lo: number, hi: number, target: number): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  const raw = (hi - lo) / Math.max(1, target);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map(m => m * p).find(s => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function tickText(v: number, ticks: number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(decimals);
}

export interface HeatmapPreview {
  /** Column centres (x), row values (y), cells z[row][col] as a row-major matrix. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  z: Matrix;
  /** Visible x range (the shared time axis). */
  xRange: [number, number];
  colorscale: string;
  /** Colour range; undefined = the data's finite min / max (plotly's default). */
  zmin?: number;
  zmax?: number;
  height: number;
  margin: { l: number; r: number; t: number; b: number };
  xTitle: string;
  yTitle: string;
  zTitle: string;
}

/** Draw `p` into a canvas that fills `host`'s width (replacing an earlier preview there); returns the canvas. */
export function drawHeatmapPreview(host: HTMLElement, p: HeatmapPreview, t: ChartTheme): HTMLCanvasElement {
  host.querySelector(':scope > canvas.preview')?.remove();
  const canvas = document.createElement('canvas');
  canvas.className = 'preview';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${p.zTitle} heatmap (preview while the interactive chart loads)`);
  const width = Math.max(200, host.clientWidth || 600),
    height = p.height;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = '100%';
  canvas.style.height = `${height}px`;
  canvas.style.display = 'block';
  host.prepend(canvas);
  const g = canvas.getContext('2d');
  if (!g) return canvas;
  g.scale(dpr, dpr);
  g.fillStyle = t.background;
  g.fillRect(0, 0, width, height);
  const { l, r, t: top, b } = p.margin;
  const W = Math.max(1, width - l - r),
    H = Math.max(1, height - top - b);
  const { rows, cols, data } = p.z;
  // Rows must be ordered by y for the lookup below; indices that are missing or not increasing are drawn by row.
  let yv: ArrayLike<number> = p.y;
  for (let i = 1; i < yv.length && yv.length === rows; i++)
    if (!(yv[i] > yv[i - 1])) {
      yv = [];
      break;
    }
  if (yv.length !== rows) yv = Array.from({ length: rows }, (_, i) => i);
  const xb = cellBounds(p.x),
    yb = cellBounds(yv);
  const [x0, x1] = p.xRange;
  const y0 = rows ? Math.min(yb[0], yb[rows]) : 0,
    y1 = rows ? Math.max(yb[0], yb[rows]) : 1;
  let zmin = p.zmin ?? Infinity,
    zmax = p.zmax ?? -Infinity;
  if (p.zmin === undefined || p.zmax === undefined) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v === v) {
        if (v < zmin) zmin = v;
        if (v > zmax) zmax = v;
      }
    }
  }
  if (!(zmax > zmin)) {
    zmax = zmin + 1;
  }
  // Cells: every device pixel of the plot area looks up its column and row (nearest, as plotly's zsmooth: false).
  const lut = colorTable(p.colorscale);
  const PW = Math.max(1, Math.round(W * dpr)),
    PH = Math.max(1, Math.round(H * dpr));
  if (rows > 0 && cols > 0) {
    const img = g.createImageData(PW, PH);
    const colOf = new Int32Array(PW).fill(-1),
      rowOf = new Int32Array(PH).fill(-1);
    for (let px = 0, c = 0; px < PW; px++) {
      const xv = x0 + ((px + 0.5) / PW) * (x1 - x0);
      while (c < cols && xb[c + 1] <= xv) c++;
      if (c < cols && xv >= xb[c]) colOf[px] = c;
    }
    for (let py = 0; py < PH; py++) {
      const yv = y1 - ((py + 0.5) / PH) * (y1 - y0);
      let lo = 0,
        hi = rows - 1;
      // Rows are ordered by y (subcarrier index), increasing: binary search for the cell holding yv.
      while (lo < hi) {
        const m = (lo + hi) >> 1;
        if (yb[m + 1] <= yv) lo = m + 1;
        else hi = m;
      }
      if (yv >= yb[lo] && yv <= yb[lo + 1]) rowOf[py] = lo;
    }
    const span = 255 / (zmax - zmin),
      d = img.data;
    for (let py = 0; py < PH; py++) {
      const row = rowOf[py];
      if (row < 0) continue;
      const base = row * cols;
      for (let px = 0; px < PW; px++) {
        const c = colOf[px];
        if (c < 0) continue;
        const v = data[base + c];
        if (v !== v) continue; // NaN: a gap, as in plotly
        const k = 3 * Math.max(0, Math.min(255, Math.round((v - zmin) * span)));
        const o = 4 * (py * PW + px);
        d[o] = lut[k];
        d[o + 1] = lut[k + 1];
        d[o + 2] = lut[k + 2];
        d[o + 3] = 255;
      }
    }
    g.save();
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.putImageData(img, Math.round(l * dpr), Math.round(top * dpr));
    g.restore();
  }
  // Axes, ticks and titles in the theme's colours and font (plotly's layout: fixed margins, 11 px font).
  g.font = `11px ${t.font}`;
  g.fillStyle = t.foreground;
  g.strokeStyle = t.grid;
  g.lineWidth = 1;
  g.strokeRect(l + 0.5, top + 0.5, W - 1, H - 1);
  g.textAlign = 'center';
  g.textBaseline = 'top';
  const xt = niceTicks(x0, x1, Math.max(2, Math.floor(W / 60)));
  for (const v of xt) {
    const px = l + ((v - x0) / (x1 - x0)) * W;
    g.fillText(tickText(v, xt), px, top + H + 4);
  }
  g.fillText(p.xTitle, l + W / 2, top + H + 18);
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  const yt = niceTicks(y0, y1, Math.max(2, Math.floor(H / 30)));
  for (const v of yt) {
    const py = top + H - ((v - y0) / (y1 - y0)) * H;
    g.fillText(tickText(v, yt), l - 6, py);
  }
  g.save();
  g.translate(14, top + H / 2);
  g.rotate(-Math.PI / 2);
  g.textAlign = 'center';
  g.fillText(p.yTitle, 0, 0);
  g.restore();
  // Colour bar right of the plot, as plotly places it (x = 1.02 of the plot width, 12 px thick).
  // Its title on top, as plotly's colour bar has it.
  const cbx = l + W * 1.02 + 4,
    cbw = 12,
    cbTop = top + 16,
    cbH = Math.max(1, H - 16);
  g.textAlign = 'left';
  g.textBaseline = 'top';
  g.fillText(p.zTitle, cbx, top);
  const grad = g.createLinearGradient(0, cbTop + cbH, 0, cbTop);
  for (let i = 0; i <= 10; i++) {
    const k = 3 * Math.round((i / 10) * 255);
    grad.addColorStop(i / 10, `rgb(${lut[k]},${lut[k + 1]},${lut[k + 2]})`);
  }
  g.fillStyle = grad;
  g.fillRect(cbx, cbTop, cbw, cbH);
  g.fillStyle = t.foreground;
  g.textBaseline = 'middle';
  const zt = niceTicks(zmin, zmax, 5);
  for (const v of zt) g.fillText(tickText(v, zt), cbx + cbw + 3, cbTop + cbH - ((v - zmin) / (zmax - zmin)) * cbH);
  return canvas;
}
