// Recording editor webview: shows what the host's worker read from the file. Talks to the host only through the
// typed messages of src/shared/editorProtocol.ts. Colours come from VS Code's theme variables (see editor.css).
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import type { EditorToHost, HostToEditor } from '../../src/shared/editorProtocol';
import type { RecordingSummary } from '../../src/shared/recordingSummary';

declare function acquireVsCodeApi(): { postMessage(m: EditorToHost): void; getState(): unknown; setState(s: unknown): void };
const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;

function el(tag: string, attrs: Record<string, string> = {}, ...kids: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
}

const fmtBytes = (n: number) => n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;

/** Report what is on screen (by data-testid) to the host. */
function reportRendered(view: 'loading' | 'summary' | 'error') {
  const dom: Record<string, string> = {};
  for (const n of Array.from(document.querySelectorAll<HTMLElement>('[data-testid]'))) dom[n.dataset.testid!] = (n.textContent ?? '').trim();
  vscode.postMessage({ type: 'rendered', view, dom });
}

function showLoading(file: string, size: number) {
  root.replaceChildren(el('div', { class: 'loading', role: 'status' },
    el('vscode-progress-ring', { 'aria-label': 'Reading recording' }),
    el('span', { 'data-testid': 'loading' }, `Reading ${file} (${fmtBytes(size)})…`)));
  reportRendered('loading');
}

function row(label: string, value: string, testid: string) {
  return el('vscode-table-row', {},
    el('vscode-table-cell', {}, label),
    el('vscode-table-cell', { 'data-testid': testid }, value));
}

function showSummary(s: RecordingSummary) {
  const name = s.file.split(/[\\/]/).pop() ?? s.file;
  const header = el('header', {},
    el('h1', { 'data-testid': 'title' }, name),
    el('vscode-badge', { 'data-testid': 'format-badge' }, s.format ?? 'unknown format'));
  const facts = el('vscode-table', { zebra: '', bordered: '', 'aria-label': 'Recording facts', columns: JSON.stringify(['30%', '70%']) },
    el('vscode-table-body', { slot: 'body' },
      row('Format', s.format ?? 'not recognised', 'format'),
      row('Device', s.device ?? '—', 'device'),
      row('File size', `${fmtBytes(s.sizeBytes)} (${s.sizeBytes} bytes)`, 'size'),
      row('Records', String(s.records), 'records'),
      row('Antennas (rx × tx)', `${s.nRx} × ${s.nTx}`, 'antennas'),
      row('Subcarriers', String(s.nSubcarriers), 'subcarriers'),
      row('Bandwidth', s.bandwidthMHz ? `${s.bandwidthMHz} MHz` : '—', 'bandwidth'),
      row('Duration', `${s.durationS.toFixed(3)} s`, 'duration'),
      row('Mean packet rate', s.meanRateHz ? `${s.meanRateHz.toFixed(1)} packets/s` : '—', 'rate'),
      row('Parse time', `${s.parseMs.toFixed(1)} ms`, 'parse-ms')));
  const diagTitle = `Diagnostics (${s.diagnosticCount})`;
  const diag = el('vscode-collapsible', { title: diagTitle, ...(s.diagnosticCount ? { open: '' } : {}), 'data-testid': 'diagnostics-title' });
  if (s.diagnosticCount === 0) diag.append(el('p', { 'data-testid': 'diagnostics' }, 'No problems found while reading.'));
  else {
    diag.append(el('ul', { 'data-testid': 'diagnostics', class: 'diagnostics' },
      ...s.diagnostics.map(d => el('li', { class: `sev-${d.severity}` },
        el('code', {}, `@${d.offset}${d.line ? ` (line ${d.line})` : ''}`), ' ',
        el('strong', {}, d.code), `: ${d.message}${d.expected ? ` — expected ${d.expected}` : ''}`))));
    if (s.diagnosticCount > s.diagnostics.length) diag.append(el('p', {}, `…and ${s.diagnosticCount - s.diagnostics.length} more.`));
  }
  diag.setAttribute('data-testid', 'diagnostics-panel');
  const status = el('p', { class: 'status', 'data-testid': 'status' },
    s.records > 0 ? `${s.records} records read` : s.format ? 'No complete record could be read.' : 'This file is not a CSI recording in any supported format.');
  root.replaceChildren(header, status, facts, diag);
  reportRendered('summary');
}

function showError(file: string, message: string, detail?: string) {
  const retry = el('vscode-button', { 'data-testid': 'retry' }, 'Try again');
  retry.addEventListener('click', () => vscode.postMessage({ type: 'reload' }));
  root.replaceChildren(el('div', { class: 'error', role: 'alert' },
    el('h1', {}, 'Cannot show this recording'),
    el('p', { 'data-testid': 'error' }, message),
    ...(detail ? [el('pre', {}, detail)] : []),
    el('p', {}, file), retry));
  reportRendered('error');
}

window.addEventListener('message', (e: MessageEvent<HostToEditor>) => {
  const m = e.data;
  switch (m.type) {
    case 'loading': showLoading(m.file, m.sizeBytes); break;
    case 'summary': showSummary(m.summary); break;
    case 'error': showError(m.file, m.message, m.detail); break;
  }
});
vscode.postMessage({ type: 'ready' });
