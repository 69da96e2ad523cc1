// Recording editor webview: metadata panel, view controls and five linked plotly charts. Talks to the host only
// through the typed messages of src/shared/editorProtocol.ts; chart data comes per time window from the worker.
// First view first: the host sends the whole-recording view right after the metadata; the page draws its amplitude
// and phase heatmaps on canvases (preview.ts) and only then loads plotly (plotlyLoader.ts), which takes over.
// Colours come from VS Code's theme variables (editor.css, theme.ts); every control is a focusable
// @vscode-elements element or button, so the page works from the keyboard.
import { bootTiming, mark } from './bootTiming';
import './elements';
import type { EditorToHost, HostToEditor, RenderedView } from '../../src/shared/editorProtocol';
import type { RecordingSummary } from '../../src/shared/recordingSummary';
import type { DopplerData, RecordingOpened, ViewControls, ViewData } from '../../src/shared/recordingView';
import { unpackDoppler, unpackView, receivedMatrix, type PackedDopplerData, type PackedViewData } from '../../src/shared/viewWire';
import { CHART_IDS, CHART_TITLES, LinkedCharts, type ChartId } from './charts';
import { statusText } from './chartParts';
import { bandLabel, controlBar, type ControlBarContext } from './controlBar';
import { el, fmtBytes, metadataPanel } from './metadata';
import { loadPlotly, loadPlotlyAfterPaint, whenPlotly } from './plotlyLoader';
import { readTheme, watchTheme } from '../common/theme';

mark('modulesEvaluated');
declare function acquireVsCodeApi(): { postMessage(m: EditorToHost): void; getState(): unknown; setState(s: unknown): void };
const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;
const post = (m: EditorToHost) => vscode.postMessage(m);

// Errors inside the page go to the host's log with context instead of surfacing as unexplained console errors.
window.addEventListener('error', e => post({ type: 'log', level: 'error', message: `${e.message} (${e.filename}:${e.lineno})` }));
window.addEventListener('unhandledrejection', e =>
  post({ type: 'log', level: 'error', message: String((e.reason as Error)?.stack ?? e.reason) }),
);

/** Report what is on screen (by data-testid) to the host. */
let currentView: RenderedView = 'loading';
/** The first view is on screen as canvas previews (before plotly drew the charts). */
let previewShown = false;
function reportRendered(view: RenderedView, charts = false) {
  currentView = view;
  if (previewShown) mark('previewShown');
  const dom: Record<string, string> = {};
  for (const n of Array.from(document.querySelectorAll<HTMLElement>('[data-testid]')))
    dom[n.dataset.testid!] = (n.textContent ?? '').trim();
  if (view === 'loading') mark('loadingShown');
  if (view === 'summary') mark('summaryShown');
  if (charts) mark('chartsDrawn');
  post({ type: 'rendered', view, dom, charts, preview: previewShown, timing: bootTiming() });
}

function showLoading(file: string, size: number) {
  root.replaceChildren(
    el(
      'div',
      { class: 'loading', role: 'status' },
      el('vscode-progress-ring', { 'aria-label': 'Reading recording' }),
      el('span', { 'data-testid': 'loading' }, `Reading ${file} (${fmtBytes(size)})…`),
    ),
  );
  reportRendered('loading');
}

// ---- the recording page --------------------------------------------------------------------------------------

interface PageState {
  file: string;
  controls: ViewControls;
  rangeS?: [number, number];
}

let summary: RecordingSummary | undefined;
let controls: ViewControls;
let charts: LinkedCharts | undefined;
let viewReq = 0,
  dopplerReq = 0;
let lastView: ViewData | undefined;
/** Nyquist frequency of the packet rate, from the last spectrogram: the band control's upper limit. */
let maxBandHz: number | undefined;
let chartsDrawn = false;
const plots = new Map<ChartId, HTMLElement>();
const captions = new Map<ChartId, HTMLElement>();

function saveState() {
  if (!summary) return;
  vscode.setState({ file: summary.file, controls, rangeS: charts?.range } satisfies PageState);
}

function setControls(next: Partial<ViewControls>, refetch: { view?: boolean; doppler?: boolean } = { view: true, doppler: true }) {
  controls = { ...controls, ...next };
  post({ type: 'controls', controls });
  saveState();
  if (refetch.view) requestView();
  if (refetch.doppler) requestDoppler();
}

/** The page state the control bar reads, taken when it is (re)built. */
function barContext(): ControlBarContext {
  return {
    get controls() {
      return controls;
    },
    get maxBandHz() {
      return maxBandHz;
    },
    get charts() {
      return charts;
    },
    setControls,
    rerenderControls,
  };
}

function showRecording(o: RecordingOpened, initial: ViewControls, linkedWith: string | undefined, initialView = false) {
  const s = o.summary;
  summary = s;
  const saved = vscode.getState() as PageState | undefined;
  controls = saved && saved.file === s.file ? { ...initial, ...saved.controls } : initial;
  previewShown = false;
  chartsDrawn = false;
  lastView = undefined;
  lastPacked = undefined;
  maxBandHz = undefined;
  const name = s.file.split(/[\\/]/).pop() ?? s.file;
  const header = el(
    'header',
    {},
    el('h1', { 'data-testid': 'title' }, name),
    el('vscode-badge', { 'data-testid': 'format-badge' }, s.format ?? 'unknown format'),
    ...(linkedWith ? [el('vscode-badge', { 'data-testid': 'linked', title: 'zoom is linked' }, `linked with ${linkedWith}`)] : []),
  );
  const status = el('p', { class: 'status', 'data-testid': 'status', role: 'status' }, statusText(s));
  const meta = metadataPanel(o);
  plots.clear();
  captions.clear();
  const main = el('div', { class: 'charts' });
  const side = el('aside', { class: 'side' });
  if (s.records > 0) {
    side.append(controlBar(s, barContext()));
    for (const id of CHART_IDS) {
      // Focusable and operable from the keyboard (LinkedCharts.key): the label says how, for screen readers too.
      const plot = el('div', {
        class: 'plot',
        id: `chart-${id}`,
        'data-chart': id,
        tabindex: '0',
        role: 'group',
        'aria-roledescription': 'chart',
        'aria-label': `${CHART_TITLES[id]}. Time axis shared by all charts: left and right arrows pan, plus and minus zoom, Home or 0 shows the whole recording.`,
      });
      plot.addEventListener('keydown', e => {
        if (charts?.key(e)) {
          e.preventDefault();
          e.stopPropagation();
        }
      });
      const cap = el('p', { class: 'caption', 'data-testid': `caption-${id}` }, 'loading…');
      plots.set(id, plot);
      captions.set(id, cap);
      main.append(el('section', { class: 'chart', 'aria-label': CHART_TITLES[id] }, el('h2', {}, CHART_TITLES[id]), plot, cap));
    }
  }
  side.append(meta);
  // The colours the charts use, as text: screen readers get nothing from them, tests check the theme follows.
  const theme = readTheme();
  const colors = el(
    'span',
    { class: 'visually-hidden', 'data-testid': 'chart-colors' },
    `background ${theme.background}, text ${theme.foreground}`,
  );
  root.replaceChildren(header, status, el('div', { class: 'layout' }, main, side), colors);
  reportRendered('summary');
  if (s.records === 0) return;
  charts = new LinkedCharts(
    {
      el: id => plots.get(id)!,
      caption: (id, text) => {
        captions.get(id)!.textContent = text;
      },
    },
    readTheme(),
    (r, fromUser) => {
      saveState();
      if (fromUser) post({ type: 'range', rangeS: r });
      requestView();
      requestDoppler();
    },
  );
  // A single packet has no duration: LinkedCharts.shown() then shows one second around it (a microsecond-wide axis
  // made plotly label the ticks in µ).
  charts.extent = [0, Math.max(s.durationS, 0)];
  if (saved && saved.file === s.file && saved.rangeS) charts.range = saved.rangeS;
  // The host sends the whole-recording view for its controls unasked (reqId 0): wait for it when the page starts
  // with exactly those (no restored zoom or other choice), else ask for what the page shows.
  if (initialView && !charts.range && JSON.stringify(controls) === JSON.stringify(initial)) viewReq = 0;
  else requestView();
  requestDoppler();
  // Plotly comes after the first view (onViewData); if the data is slow, do not make the charts wait for it too.
  setTimeout(() => void loadPlotly().catch(plotlyFailed), 1500);
}

function plotlyFailed(e: Error) {
  post({ type: 'log', level: 'error', message: `plotly: ${e.message}` });
  const st = document.querySelector('[data-testid="status"]');
  if (st) st.textContent = `The interactive charts could not be loaded (${e.message}).`;
  reportRendered(currentView, chartsDrawn);
}

function requestView() {
  if (!summary || !charts) return;
  post({ type: 'view', reqId: ++viewReq, controls, rangeS: charts.range });
}

function requestDoppler() {
  if (!summary || !charts) return;
  void charts.showDoppler(undefined, controls, 'computing the Doppler spectrogram…');
  post({ type: 'doppler', reqId: ++dopplerReq, controls, rangeS: charts.range });
}

let lastPacked: PackedViewData | undefined;
async function onViewData(reqId: number, packed: PackedViewData) {
  if (reqId !== viewReq || !charts || !summary) return; // a newer request is on its way
  mark('viewDataReceived');
  packed = { ...packed, amplitude: receivedMatrix(packed.amplitude), phase: receivedMatrix(packed.phase) };
  lastPacked = packed;
  if (!charts.drawn) {
    // First view now, on canvases; plotly loads once it is painted and then takes over.
    charts.preview(packed, controls);
    mark('previewDrawn');
    previewShown = true;
    reportRendered('summary', false);
    loadPlotlyAfterPaint();
  } else {
    void loadPlotly();
  }
  const data = unpackView(packed);
  lastView = data;
  try {
    await whenPlotly();
  } catch (e) {
    plotlyFailed(e as Error);
    return;
  }
  if (reqId !== viewReq) return;
  await charts.showView(data, controls, summary.nRx);
  chartsDrawn = true;
  const notes = document.querySelector('[data-testid="notes"]');
  const text = data.notes.join(' · ');
  if (notes) notes.textContent = text;
  else if (text) document.querySelector('.status')?.after(el('p', { class: 'notes', 'data-testid': 'notes' }, text));
  reportRendered('summary', true);
}

let lastDoppler: DopplerData | undefined;
async function onDopplerData(reqId: number, packed: PackedDopplerData) {
  if (reqId !== dopplerReq || !charts) return;
  const data = unpackDoppler(packed);
  lastDoppler = data;
  if (data.maxBandHz && data.maxBandHz !== maxBandHz) {
    maxBandHz = data.maxBandHz;
    // The band the worker computed is the clamped one: show and keep that, without asking again.
    // The worker computed the clamped band; the field shows it. Not saved as the file's choice (that would pin
    // every control of the file, overriding later settings), and updated in place, without re-creating the bar.
    const field = document.getElementById('ctl-band') as (HTMLElement & { value: string }) | null;
    if (field) {
      field.value = String(Math.min(controls.dopplerBandHz, Math.floor(maxBandHz * 10) / 10));
      field.removeAttribute('invalid');
    }
    const label = document.querySelector('vscode-label[for="ctl-band"]');
    if (label) label.textContent = bandLabel(maxBandHz);
  }
  try {
    await whenPlotly();
  } catch {
    return; /* reported by the view */
  }
  if (reqId !== dopplerReq) return;
  await charts.showDoppler(data, controls, undefined);
  if (chartsDrawn) reportRendered('summary', true);
}

function showError(file: string, message: string, detail?: string) {
  const retry = el('vscode-button', { 'data-testid': 'retry' }, 'Try again');
  retry.addEventListener('click', () => post({ type: 'reload' }));
  root.replaceChildren(
    el(
      'div',
      { class: 'error', role: 'alert' },
      el('h1', {}, 'Cannot show this recording'),
      el('p', { 'data-testid': 'error' }, message),
      ...(detail ? [el('pre', {}, detail)] : []),
      el('p', {}, file),
      retry,
    ),
  );
  reportRendered('error');
}

watchTheme(t => {
  if (!charts) return;
  charts.setTheme(t);
  if (!charts.drawn && lastPacked) charts.preview(lastPacked, controls);
  if (lastView && summary) void charts.showView(lastView, controls, summary.nRx);
  if (lastDoppler) void charts.showDoppler(lastDoppler, controls, undefined);
  const c = document.querySelector('[data-testid="chart-colors"]');
  if (c) c.textContent = `background ${t.background}, text ${t.foreground}`;
  reportRendered(currentView, chartsDrawn);
});
window.addEventListener('resize', () => charts?.resize());

window.addEventListener('message', (e: MessageEvent<HostToEditor>) => {
  const m = e.data;
  mark(`recv:${m.type}`);
  switch (m.type) {
    case 'loading':
      showLoading(m.file, m.sizeBytes);
      break;
    case 'opened':
      showRecording(m.opened, m.controls, m.linkedWith, !!m.initialView);
      if (m.view) void onViewData(0, m.view);
      break;
    case 'summary':
      showRecording(
        { summary: m.summary, mode: 'whole', openMs: m.summary.parseMs },
        {
          rx: 0,
          tx: 0,
          rx2: 0,
          subcarriers: [0],
          useScaled: true,
          phaseMode: 'sanitised',
          colorScale: 'Viridis',
          dopplerWindowS: 0.25,
          dopplerBandHz: 60,
        },
        undefined,
      );
      break;
    case 'viewData':
      void onViewData(m.reqId, m.data);
      break;
    case 'dopplerData':
      void onDopplerData(m.reqId, m.data);
      break;
    case 'requestFailed': {
      const st = document.querySelector('[data-testid="status"]');
      if (st) st.textContent = `Could not compute the view: ${m.message}`;
      reportRendered(currentView, chartsDrawn);
      break;
    }
    case 'reveal':
      document.getElementById(`chart-${m.chart}`)?.closest('section')?.scrollIntoView({ block: 'start' });
      break;
    case 'setRange':
      void charts?.apply(m.rangeS, undefined, !!m.broadcast);
      break;
    case 'setControls':
      if (summary) {
        setControls(m.controls);
        rerenderControls();
      }
      break;
    case 'exportImage':
      if (!charts) {
        post({ type: 'image', format: m.format, error: 'no charts to export' });
        break;
      }
      void loadPlotly().catch(() => {
        /* toImage reports it */
      });
      charts.toImage(m.format, Math.max(800, Math.round(document.querySelector('.charts')?.getBoundingClientRect().width ?? 1000))).then(
        dataUrl => post({ type: 'image', format: m.format, dataUrl }),
        (err: Error) => post({ type: 'image', format: m.format, error: err.message }),
      );
      break;
    case 'error':
      showError(m.file, m.message, m.detail);
      break;
  }
});

/** Reflect controls changed from outside (host) in the control bar. */
function rerenderControls() {
  const bar = document.querySelector('section.controls');
  if (bar && summary) bar.replaceWith(controlBar(summary, barContext()));
}

void lastView;
// Say 'ready' until the host answers: a message posted while the page boots under load can be lost, and an
// editor that waits forever would stay blank.
let answered = false;
window.addEventListener(
  'message',
  () => {
    answered = true;
  },
  { once: true },
);
post({ type: 'ready' });
mark('readyPosted');
const readyTimer = setInterval(() => {
  if (answered) clearInterval(readyTimer);
  else post({ type: 'ready' });
}, 2000);
