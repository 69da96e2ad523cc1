// Teacher vs student comparison panel (any two evaluated models of any runs). The host posts a ComparisonView read
// from the run store; this page lays the numbers side by side (accuracy per split, per domain, parameters, size,
// FLOPs, latency, agreement) with both confusion matrices, and, when both runs stored per-sample predictions, the
// correct/incorrect contingency with McNemar's test. Every number cell carries data-key so tests can read it.
import type { ComparisonView, ModelSummaryView, PairedComparison } from '../../src/shared/experimentView';
import type { CompareToHost, HostToCompare, WebviewApi } from '../../src/shared/panelProtocol';
import { CHART_CSS, plotConfusion, plotPerDomain, type PlotlyLike } from '../common/charts';
import { readTheme, watchTheme } from '../common/theme';

declare const Plotly: PlotlyLike;
declare function acquireVsCodeApi(): WebviewApi<CompareToHost, ComparisonView>;
const vscode = acquireVsCodeApi();

const fmtInt = (v: number | null) => (v === null ? '—' : v.toLocaleString('en-US'));
const fmtPct = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '—' : `${(100 * v).toFixed(1)} %`);
const fmtNum = (v: number | null, digits: number, unit = '') => (v === null ? '—' : `${v.toFixed(digits)}${unit}`);

interface Row {
  key: string;
  label: string;
  a: string;
  b: string;
  ratio?: string;
}

function rows(v: ComparisonView): Row[] {
  const { a, b } = v;
  const ratio = (x: number | null, y: number | null) => (x && y ? `${(x / y).toFixed(2)}×` : '');
  const out: Row[] = [];
  for (const split of new Set([...Object.keys(a.accuracy), ...Object.keys(b.accuracy)])) {
    out.push({ key: `accuracy.${split}`, label: `accuracy, ${split}`, a: fmtPct(a.accuracy[split]), b: fmtPct(b.accuracy[split]) });
  }
  out.push({ key: 'macroF1', label: 'macro-F1', a: fmtNum(a.macroF1, 3), b: fmtNum(b.macroF1, 3) });
  out.push({ key: 'params', label: 'parameters', a: fmtInt(a.params), b: fmtInt(b.params), ratio: ratio(a.params, b.params) });
  out.push({
    key: 'sizeBytes',
    label: 'size on disk',
    a: a.sizeBytes === null ? '—' : `${(a.sizeBytes / 1024).toFixed(1)} kB`,
    b: b.sizeBytes === null ? '—' : `${(b.sizeBytes / 1024).toFixed(1)} kB`,
    ratio: ratio(a.sizeBytes, b.sizeBytes),
  });
  out.push({
    key: 'flops',
    label: 'MFLOPs / sample',
    a: a.flops === null ? '—' : (a.flops / 1e6).toFixed(3),
    b: b.flops === null ? '—' : (b.flops / 1e6).toFixed(3),
    ratio: ratio(a.flops, b.flops),
  });
  if (a.epochs !== undefined || b.epochs !== undefined)
    out.push({ key: 'epochs', label: 'epochs trained', a: fmtInt(a.epochs ?? null), b: fmtInt(b.epochs ?? null) });
  out.push({
    key: 'latencyMs',
    label: 'latency (batch 1)',
    a: fmtNum(a.latencyMs, 2, ' ms'),
    b: fmtNum(b.latencyMs, 2, ' ms'),
    ratio: ratio(a.latencyMs, b.latencyMs),
  });
  for (const f of new Set([...Object.keys(a.perDomain), ...Object.keys(b.perDomain)])) {
    for (const val of new Set([...Object.keys(a.perDomain[f] ?? {}), ...Object.keys(b.perDomain[f] ?? {})])) {
      out.push({
        key: `perDomain.${f}.${val}`,
        label: `accuracy, ${f} ${val}`,
        a: fmtPct(a.perDomain[f]?.[val]),
        b: fmtPct(b.perDomain[f]?.[val]),
      });
    }
  }
  return out;
}

function cell(tag: 'td' | 'th' | 'span', text: string, attrs: Record<string, string> = {}): HTMLElement {
  const e = document.createElement(tag);
  e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function perDomainOf(a: ModelSummaryView, b: ModelSummaryView) {
  return [...new Set([...Object.keys(a.perDomain), ...Object.keys(b.perDomain)])].map(factor => {
    const values = [...new Set([...Object.keys(a.perDomain[factor] ?? {}), ...Object.keys(b.perDomain[factor] ?? {})])].sort((x, y) =>
      x.localeCompare(y, undefined, { numeric: true }),
    );
    return {
      title: `accuracy per ${factor}`,
      factor,
      values,
      series: [a, b].map(m => ({ name: m.name, accuracy: values.map(v => m.perDomain[factor]?.[v] ?? NaN) })),
    };
  });
}

/** p-values as papers print them: 3 significant digits, in scientific notation below 0.001. */
function fmtP(p: number): string {
  return p >= 0.001 ? p.toPrecision(3) : p.toExponential(2);
}

/**
 * The 2×2 correct/incorrect contingency (rows: A right / A wrong; columns: B right / B wrong) and McNemar's test,
 * which asks whether the two error rates differ using only the samples where exactly one model is right.
 */
function pairedSection(p: PairedComparison, nameA: string, nameB: string): HTMLElement {
  const sec = document.createElement('section');
  sec.id = 'cmp-paired';
  const h = document.createElement('h3');
  h.textContent = `Paired test results (${p.n} samples both models were tested on)`;
  sec.append(h);
  const t = document.createElement('table');
  t.className = 'csiwb-table';
  const cap = document.createElement('caption');
  cap.textContent = 'correct / incorrect per sample';
  t.append(cap);
  const r0 = document.createElement('tr');
  r0.append(cell('th', ''), cell('th', `B (${nameB}) right`, { scope: 'col' }), cell('th', `B (${nameB}) wrong`, { scope: 'col' }));
  const r1 = document.createElement('tr');
  r1.append(
    cell('th', `A (${nameA}) right`, { scope: 'row' }),
    cell('td', String(p.bothRight), { 'data-key': 'paired.bothRight' }),
    cell('td', String(p.onlyA), { 'data-key': 'paired.onlyA' }),
  );
  const r2 = document.createElement('tr');
  r2.append(
    cell('th', `A (${nameA}) wrong`, { scope: 'row' }),
    cell('td', String(p.onlyB), { 'data-key': 'paired.onlyB' }),
    cell('td', String(p.bothWrong), { 'data-key': 'paired.bothWrong' }),
  );
  t.append(r0, r1, r2);
  sec.append(t);
  const m = p.mcnemar;
  const test = document.createElement('p');
  const how =
    m.method === 'exact-binomial'
      ? `exact binomial, ${m.onlyA + m.onlyB} discordant samples`
      : `χ² = ${m.statistic!.toFixed(3)} with continuity correction, 1 d.f.`;
  const pv = cell('span', fmtP(m.pValue), { 'data-key': 'paired.mcnemarP' });
  const method = cell('span', how, { 'data-key': 'paired.mcnemarMethod' });
  test.append(
    'McNemar test: p = ',
    pv,
    ' (',
    method,
    ')',
    m.pValue < 0.05 ? ' — the error rates differ at the 5 % level.' : ' — no significant difference at the 5 % level.',
  );
  sec.append(test);
  if (p.onlyInA || p.onlyInB || p.truthMismatch) {
    const note = document.createElement('p');
    note.className = 'csiwb-meta';
    note.textContent = `Left out: ${p.onlyInA} samples tested only by A, ${p.onlyInB} only by B, ${p.truthMismatch} with different true classes in the two runs.`;
    sec.append(note);
  }
  return sec;
}

function render(v: ComparisonView): void {
  const root = document.getElementById('root')!;
  root.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = v.title;
  root.append(h);
  const table = document.createElement('table');
  table.id = 'cmp-table';
  table.className = 'csiwb-table';
  const cap = document.createElement('caption');
  cap.textContent = `A = ${v.source.a}, B = ${v.source.b}`;
  table.append(cap);
  const head = document.createElement('tr');
  head.append(
    cell('th', 'measure', { scope: 'col' }),
    cell('th', `A: ${v.a.name}`, { scope: 'col' }),
    cell('th', `B: ${v.b.name}`, { scope: 'col' }),
    cell('th', 'A / B', { scope: 'col' }),
  );
  table.append(head);
  for (const r of [...rows(v), { key: 'agreement', label: 'agreement (same prediction)', a: fmtPct(v.agreement), b: '', ratio: '' }]) {
    const tr = document.createElement('tr');
    tr.append(
      cell('th', r.label, { scope: 'row' }),
      cell('td', r.a, { 'data-key': `a.${r.key}` }),
      cell('td', r.b, { 'data-key': `b.${r.key}` }),
      cell('td', r.ratio ?? ''),
    );
    table.append(tr);
  }
  root.append(table);
  if (v.paired) root.append(pairedSection(v.paired, v.a.name, v.b.name));
  if (v.agreement === null) {
    const note = document.createElement('p');
    note.className = 'csiwb-meta';
    note.textContent = v.paired
      ? 'The two runs share no test sample (joined by sample id), so agreement is not defined.'
      : 'Agreement needs per-sample predictions of both models on the same test set; this run store does not hold them (runs from before predictions were stored).';
    root.append(note);
  }
  const grid = document.createElement('div');
  grid.className = 'csiwb-grid';
  root.append(grid);
  const t = readTheme();
  for (const m of [v.a, v.b])
    if (m.confusion) plotConfusion(Plotly, grid, { ...m.confusion, title: `${m.name}: confusion (rows true, columns predicted)` }, t);
  for (const p of perDomainOf(v.a, v.b)) plotPerDomain(Plotly, grid, p, t);
  // Tell the host (and the integration test) what is on screen: the text of every number cell, read from the DOM.
  const dom: Record<string, string> = {};
  for (const td of Array.from(root.querySelectorAll<HTMLElement>('[data-key]'))) dom[td.dataset.key!] = td.textContent ?? '';
  vscode.postMessage({ type: 'rendered', dom });
}

const style = document.createElement('style');
style.textContent = CHART_CSS + 'h2 { font-size: 1.1em; } #cmp-table td { min-width: 7em; }';
document.head.append(style);

let current: ComparisonView | undefined = vscode.getState();
window.addEventListener('message', (e: MessageEvent<HostToCompare>) => {
  if (e.data?.type === 'show') {
    current = e.data.view;
    vscode.setState(current);
    render(current);
  }
});
watchTheme(() => {
  if (current) render(current);
});
if (current) render(current);
vscode.postMessage({ type: 'ready' });
