// Draws the workbench's result views (src/shared/experimentView.ts) with plotly and plain accessible HTML tables.
// Shared by the notebook renderer and the comparison/training panels so a number looks the same everywhere.
// Colours come from the VS Code theme (webview/editor/theme.ts), so charts follow light, dark and high contrast.
import type { ConfusionView, CurvesView, PerDomainView, StepFailureView, StepResultView, TableView } from '../../src/shared/experimentView';
import { readTheme, type ChartTheme } from './theme';

/** The part of plotly's API used here (plotly.js-cartesian-dist-min ships no types). */
export interface PlotlyLike {
  newPlot(el: HTMLElement, data: unknown[], layout: Record<string, unknown>, config?: Record<string, unknown>): Promise<unknown>;
  react(el: HTMLElement, data: unknown[], layout: Record<string, unknown>, config?: Record<string, unknown>): Promise<unknown>;
  purge(el: HTMLElement): void;
}

const CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['lasso2d', 'select2d'] };

export function baseLayout(t: ChartTheme, title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const axis = { gridcolor: t.grid, zerolinecolor: t.zero, linecolor: t.grid, color: t.foreground };
  return {
    // The title on its own line at the top of the figure, the legend between it and the plot area: a legend that
    // wraps to a second row (train and validation curves of two models) then never covers the title.
    title: { text: title, font: { size: 13 }, x: 0, xanchor: 'left', y: 0.98, yref: 'container', yanchor: 'top' },
    paper_bgcolor: t.background,
    plot_bgcolor: t.background,
    font: { color: t.foreground, family: t.font, size: 11 },
    colorway: t.accent,
    margin: { l: 56, r: 56, t: 76, b: 44 },
    xaxis: { ...axis },
    yaxis: { ...axis },
    legend: { orientation: 'h', x: 1, xanchor: 'right', y: 1.02, yanchor: 'bottom' },
    height: 310,
    ...extra,
  };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export function renderTable(t: TableView, attrs: Record<string, string> = {}): HTMLTableElement {
  const table = el('table', { class: 'csiwb-table', ...attrs });
  table.append(el('caption', {}, t.title));
  const head = el('tr');
  for (const c of t.columns) head.append(el('th', { scope: 'col' }, c));
  table.append(el('thead'), el('tbody'));
  table.tHead!.append(head);
  for (const row of t.rows) {
    const tr = el('tr');
    row.forEach((v, i) =>
      tr.append(el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : { 'data-col': t.columns[i] }, v === null ? '—' : String(v))),
    );
    table.tBodies[0].append(tr);
  }
  return table;
}

function plotBox(parent: HTMLElement, label: string): HTMLDivElement {
  const d = el('div', { class: 'csiwb-plot', role: 'img', 'aria-label': label });
  parent.append(d);
  return d;
}

export function plotCurves(Plotly: PlotlyLike, parent: HTMLElement, c: CurvesView, t = readTheme()): void {
  const hasY2 = c.series.some(s => s.axis === 'y2');
  const data = c.series.map(s => ({
    type: 'scatter',
    mode: c.x.length > 30 ? 'lines' : 'lines+markers',
    name: s.name,
    x: c.x,
    y: s.y,
    yaxis: s.axis ?? 'y',
  }));
  const layout = baseLayout(t, c.title, {
    xaxis: { title: { text: c.xLabel }, gridcolor: t.grid, color: t.foreground, dtick: c.x.length <= 20 ? 1 : undefined },
  });
  if (hasY2)
    layout.yaxis2 = {
      overlaying: 'y',
      side: 'right',
      range: [0, 1],
      tickmode: 'linear',
      dtick: 0.25,
      tickformat: '.0%',
      gridcolor: 'rgba(0,0,0,0)',
      color: t.foreground,
    };
  void Plotly.newPlot(plotBox(parent, c.title), data, layout, CONFIG);
}

/**
 * Layout of a confusion matrix: square cells of a fixed size, every class label as a tick on both axes (none skipped,
 * none cut: the margins are sized from the longest label, x labels slanted), and the axis titles set off from the
 * ticks. The plot is sized from the matrix, so a 9-class matrix is not squashed into a chart's default box.
 */
export function confusionLayout(
  labels: readonly string[],
  t: ChartTheme,
  title: string,
): { layout: Record<string, unknown>; width: number; height: number } {
  const n = Math.max(1, labels.length);
  const cell = n <= 12 ? 34 : n <= 24 ? 22 : 14;
  const longest = Math.max(1, ...labels.map(l => l.length));
  const labelPx = Math.min(220, Math.ceil(6.6 * longest) + 10);
  const slant = longest > 3 ? -45 : 0;
  const margin: { l: number; r: number; t: number; b: number } = {
    l: labelPx + 34,
    r: 24,
    t: 40,
    b: (slant ? Math.ceil(labelPx * 0.75) : 18) + 40,
  };
  const side = n * cell;
  // Room for the whole title over a small matrix: the extra width goes to the right margin, the cells stay square.
  margin.r += Math.max(0, Math.ceil(7 * title.length) + 16 - (margin.l + side + margin.r + 80));
  const width = margin.l + side + margin.r + 80 /* colour bar */,
    height = margin.t + side + margin.b;
  const ticks = {
    tickmode: 'array',
    tickvals: [...labels],
    ticktext: [...labels],
    type: 'category',
    automargin: false,
    color: t.foreground,
    showgrid: false,
  };
  const layout = baseLayout(t, title, {
    width,
    height,
    autosize: false,
    margin,
    xaxis: { ...ticks, tickangle: slant, title: { text: 'predicted', standoff: 8 }, constrain: 'domain' },
    yaxis: { ...ticks, autorange: 'reversed', title: { text: 'true', standoff: 8 }, scaleanchor: 'x', scaleratio: 1, constrain: 'domain' },
  });
  return { layout, width, height };
}

export function plotConfusion(Plotly: PlotlyLike, parent: HTMLElement, c: ConfusionView, t = readTheme()): void {
  const n = c.labels.length;
  const data = [
    {
      type: 'heatmap',
      z: c.matrix,
      x: c.labels,
      y: c.labels,
      colorscale: t.highContrast ? 'Greys' : 'Blues',
      // plotly's Blues runs dark → light; reversed so that more samples read as a darker cell.
      reversescale: true,
      xgap: 1,
      ygap: 1,
      colorbar: { thickness: 12, len: 0.9 },
      text: c.matrix.map(r => r.map(v => String(Math.round(v * 1000) / 1000))),
      texttemplate: n <= 12 ? '%{text}' : '',
      hovertemplate: 'true %{y}<br>predicted %{x}<br>%{z}<extra></extra>',
    },
  ];
  const { layout, width } = confusionLayout(c.labels, t, c.title);
  const box = plotBox(parent, c.title);
  box.classList.add('csiwb-confusion');
  box.style.minWidth = `${width}px`;
  void Plotly.newPlot(box, data, layout, { ...CONFIG, responsive: false });
}

export function plotPerDomain(Plotly: PlotlyLike, parent: HTMLElement, p: PerDomainView, t = readTheme()): void {
  const data = p.series.map(s => ({ type: 'bar', name: s.name, x: p.values.map(v => `${p.factor} ${v}`), y: s.accuracy }));
  void Plotly.newPlot(
    plotBox(parent, p.title),
    data,
    baseLayout(t, p.title, { barmode: 'group', yaxis: { range: [0, 1], tickformat: '.0%', gridcolor: t.grid, color: t.foreground } }),
    CONFIG,
  );
}

/** A whole step result: summary line, tables, curves, confusion matrices, per-domain bars, embeddings. */
export function renderResult(Plotly: PlotlyLike, root: HTMLElement, r: StepResultView): void {
  const t = readTheme();
  const head = el('div', { class: 'csiwb-summary' });
  head.append(el('strong', {}, `${r.id} (${r.type})`), document.createTextNode(` — ${r.summary}`));
  const meta = el(
    'div',
    { class: 'csiwb-meta' },
    `${r.reused ? 'reused cached result · ' : ''}${r.seconds.toFixed(1)} s · step ${r.hash.slice(0, 10)} · run ${r.runId}`,
  );
  root.append(head, meta);
  for (const tb of r.tables ?? []) root.append(renderTable(tb));
  const grid = el('div', { class: 'csiwb-grid' });
  root.append(grid);
  for (const c of r.curves ?? []) plotCurves(Plotly, grid, c, t);
  for (const c of r.confusions ?? []) plotConfusion(Plotly, grid, c, t);
  for (const p of r.perDomain ?? []) plotPerDomain(Plotly, grid, p, t);
  for (const e of r.embeddings ?? []) {
    const labels = [...new Set(e.points.map(p => p.label))];
    void Plotly.newPlot(
      plotBox(grid, e.title),
      labels.map(l => ({
        type: 'scatter',
        mode: 'markers',
        name: l,
        x: e.points.filter(p => p.label === l).map(p => p.x),
        y: e.points.filter(p => p.label === l).map(p => p.y),
      })),
      baseLayout(t, e.title),
      CONFIG,
    );
  }
}

export function renderFailure(root: HTMLElement, f: StepFailureView): void {
  const box = el('div', { class: `csiwb-failure csiwb-${f.code}`, role: 'alert' });
  box.append(
    el(
      'strong',
      {},
      f.code === 'cancelled'
        ? 'Cancelled'
        : f.code === 'untrusted'
          ? 'Not run: untrusted workspace'
          : f.code === 'worker-stopped'
            ? 'The worker stopped'
            : 'Failed',
    ),
    document.createTextNode(` — ${f.step}: ${f.message}`),
  );
  root.append(box);
}

/** CSS for the above, using VS Code theme variables only. */
export const CHART_CSS = `
.csiwb-summary { margin: 4px 0; }
.csiwb-meta { opacity: 0.75; font-size: 0.9em; margin-bottom: 6px; }
.csiwb-table { border-collapse: collapse; margin: 6px 0; font-variant-numeric: tabular-nums; }
.csiwb-table caption { text-align: left; font-weight: 600; padding: 2px 0; }
.csiwb-table th, .csiwb-table td { border: 1px solid var(--vscode-editorWidget-border, rgba(128,128,128,.35)); padding: 2px 8px; text-align: right; }
.csiwb-table th[scope=col] { background: var(--vscode-editorWidget-background, transparent); }
.csiwb-table th[scope=row] { text-align: left; font-weight: normal; }
.csiwb-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 8px; }
.csiwb-plot { min-height: 200px; }
.csiwb-confusion { overflow-x: auto; grid-column: 1 / -1; justify-self: start; }
.csiwb-failure { border-left: 3px solid var(--vscode-editorError-foreground, #e51400); padding: 4px 8px; background: var(--vscode-inputValidation-errorBackground, transparent); }
.csiwb-failure.csiwb-cancelled, .csiwb-failure.csiwb-worker-stopped { border-left-color: var(--vscode-editorWarning-foreground, #bf8803); }
`;
