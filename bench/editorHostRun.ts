// The in-host half of `npm run bench -- editor`: an extensionTestsPath module that editor.bench.ts runs inside a
// real VS Code extension host (code-server + headless Chromium, .ci/vscode-harness). For each generated recording it
// opens the real custom editor and measures what a user waits for and what it costs:
//  • time to first view: from `vscode.openWith` until the webview reports its plotly charts drawn with the
//    overview data (the `rendered` message with charts = true), i.e. host + worker + message + webview draw;
//  • extension host memory: RSS of this process (the host; the worker thread lives in it too) sampled every 20 ms;
//  • webview memory: the harness samples the Chromium renderer that draws the workbench every 50 ms (RSS from
//    /proc, JS heap from CDP Performance.getMetrics). In code-server a webview is a same-origin iframe, so it shares
//    that renderer with the workbench: the renderer's peak minus its level just before the editor opened is what
//    the webview added.
// Files and the output path come from the environment (CSI_EDITOR_BENCH_FILES, CSI_EDITOR_BENCH_OUT,
// CSI_EDITOR_BENCH_WARMUP).
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { CsiWorkbenchApi } from '../src/extension/extension';
import type { RenderedEvent } from '../src/extension/recordingEditor';
import { rendererMemory, swTrace, type RendererMemory, type SwVersionEvent } from '../test/integration/hostHooks';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function waitRender(api: CsiWorkbenchApi, uri: vscode.Uri, ok: (e: RenderedEvent) => boolean, timeoutMs: number): Promise<RenderedEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`${uri.fsPath}: no matching render in ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = api.recordingEditor.onDidRender(e => {
      if (e.uri !== uri.toString()) return;
      if (e.view === 'error') {
        clearTimeout(timer);
        sub.dispose();
        reject(new Error(`${uri.fsPath}: ${e.dom.error}`));
        return;
      }
      if (ok(e)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(e);
      }
    });
  });
}

/**
 * What VS Code's webview service worker did while this editor opened, in ms after `vscode.openWith`: each version's
 * state changes (CDP ServiceWorker events seen by the harness). `registered` are the versions that first appeared
 * after openWith (the one this editor's webview registered: its script URL carries the webview's id), `earlier`
 * the versions registered by webviews opened before it.
 */
function serviceWorkerTimeline(events: SwVersionEvent[], t0Epoch: number): Record<string, unknown> {
  const rel = (t: number) => Math.round((t - t0Epoch) * 10) / 10;
  const byVersion = new Map<string, { webviewId: string | null; firstStatus: string; changes: string[] }>();
  const last = new Map<string, string>();
  for (const e of events) {
    const state = `${e.status}/${e.runningStatus}${e.controlledClients ? `/${e.controlledClients} clients` : ''}`;
    if (last.get(e.versionId) === state) continue;
    last.set(e.versionId, state);
    const v = byVersion.get(e.versionId) ?? { webviewId: e.id, firstStatus: e.status, changes: [] };
    v.changes.push(`${rel(e.t)} ${state}`);
    byVersion.set(e.versionId, v);
  }
  const all = [...byVersion.entries()].map(([versionId, v]) => ({
    versionId,
    webviewId: v.webviewId,
    isNew: v.firstStatus === 'new' || v.firstStatus === 'installing',
    changes: v.changes,
  }));
  return {
    registered: all.filter(v => v.isNew).map(({ isNew: _, ...v }) => v),
    earlier: all.filter(v => !v.isNew).map(({ isNew: _, ...v }) => v),
  };
}

/** Every host and webview mark of the first view, in ms after `vscode.openWith`, in the order they happened. */
function timeline(r: RenderedEvent, t0Epoch: number): Record<string, number> | undefined {
  if (!r.timing) return undefined;
  const all: [string, number][] = [
    ...Object.entries(r.timing.host).map(([k, v]) => [`host ${k}`, v] as [string, number]),
    ...Object.entries(r.timing.webview).map(([k, v]) => [`webview ${k}`, v] as [string, number]),
  ];
  all.sort((a, b) => a[1] - b[1]);
  return Object.fromEntries(all.map(([k, v]) => [k, Math.round((v - t0Epoch) * 10) / 10]));
}

async function measure(api: CsiWorkbenchApi, file: string): Promise<Record<string, unknown>> {
  if (!process.env.CSI_EDITOR_BENCH_KEEP_OPEN) await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await sleep(Number(process.env.CSI_EDITOR_BENCH_SETTLE_MS ?? 1500)); // let the renderer settle (and collect) before the baseline sample
  const uri = vscode.Uri.file(file);
  const mem0 = process.memoryUsage().rss;
  let hostPeak = mem0;
  const sampler = setInterval(() => {
    hostPeak = Math.max(hostPeak, process.memoryUsage().rss);
  }, 20);
  const started = await rendererMemory('start');
  if (!started.ok) throw new Error('renderer sampling did not start: ' + started.error);
  const chartsDrawn = waitRender(api, uri, e => e.charts, 600000);
  // The Doppler chart answers separately (for a whole big recording: "zoom in to at most … packets"), possibly
  // before the other charts are drawn: listen from the start.
  const dopplerAnswered = waitRender(api, uri, e => e.charts && !/computing/.test(e.dom['caption-doppler'] ?? 'computing'), 120000).then(
    () => performance.now() - t0,
    () => NaN,
  );
  // When the host heard of each page state: the metadata page ('summary'), the first view of the data (canvas
  // previews, or the plotly charts where those came first), the plotly charts.
  const phase: Record<string, number> = {};
  const phases = api.recordingEditor.onDidRender(e => {
    if (e.uri !== uri.toString()) return;
    const t = performance.now() - t0;
    phase[e.view] ??= t;
    if (e.preview || e.charts) phase.firstView ??= t;
  });
  const sw = await swTrace('start').catch(() => ({ ok: false }));
  const t0 = performance.now(),
    t0Epoch = performance.timeOrigin + t0;
  await vscode.commands.executeCommand('vscode.openWith', uri, 'csiWorkbench.recording');
  const r = await chartsDrawn;
  const chartsMs = performance.now() - t0;
  phases.dispose();
  const swEvents = sw.ok ? await swTrace('stop') : undefined;
  const tl = timeline(r, t0Epoch) ?? {};
  const at = (k: string) => (tl[k] === undefined ? null : tl[k]);
  const firstViewMs = phase.firstView ?? chartsMs;
  // VS Code shows the webview's frame only from the page's load event or 200 ms after it wrote the page into the
  // frame (its first asset request), whichever comes first: the first view is visible from the later of that and
  // its drawing.
  const writeAt = Math.min(
    ...Object.entries(tl)
      .filter(([k]) => /^webview fetch:.*:start$/.test(k))
      .map(([, v]) => v),
  );
  const loadEvent = at('webview loadEvent');
  const frameShown = Number.isFinite(writeAt) ? Math.min(loadEvent ?? Infinity, writeAt + 200) : null;
  const docStart = at('webview documentStart'),
    swStart = at('webview document:workerStart'),
    docEnd = at('webview documentResponseEnd');
  const firstDrawn = at('webview previewShown') ?? at('webview chartsDrawn');
  const dataAt = at('webview viewDataReceived');
  const doppler = await dopplerAnswered;
  await sleep(1000);
  clearInterval(sampler);
  hostPeak = Math.max(hostPeak, process.memoryUsage().rss);
  const webview: RendererMemory = await rendererMemory('stop');
  const MiB = (b: number | undefined) => (b === undefined ? null : b / 1048576);
  const KiBtoMiB = (k: number | undefined) => (k === undefined ? null : k / 1024);
  return {
    file,
    records: Number(r.dom.records),
    opened: r.dom['parse-ms'],
    amplitudeCaption: r.dom['caption-amplitude'],
    firstViewMs,
    firstViewVisibleMs: frameShown === null ? firstViewMs : Math.max(firstViewMs, frameShown),
    chartsMs,
    firstView:
      r.dom['caption-amplitude'] && phase.firstView !== undefined && phase.firstView < chartsMs - 1
        ? 'canvas preview, then plotly'
        : 'plotly charts',
    webviewUpMs: at('webview readyPosted'),
    metadataShownMs: phase.summary ?? null,
    dopplerAnsweredMs: doppler,
    phases: {
      // openWith → VS Code has created the webview's frames and starts loading the page's document
      vscodeCreatesWebviewMs: docStart,
      // VS Code's per-webview service worker activating before the document's request may go out (Chromium waits
      // for the previous webview's worker version to be replaced; ~1 s for every webview but a session's first)
      serviceWorkerWaitMs: swStart !== null && docStart !== null ? swStart - docStart : null,
      documentLoadedMs: docEnd,
      // our page: its assets and script, until it says 'ready' to the host
      pageBootMs: at('webview readyPosted') !== null && docEnd !== null ? at('webview readyPosted')! - docEnd : null,
      // 'ready' → the view data has arrived (host answers with the metadata and the overview computed ahead, in the
      // same message when it is already there)
      readyToDataMs: dataAt !== null && at('webview readyPosted') !== null ? dataAt - at('webview readyPosted')! : null,
      // data → first view drawn in the page
      dataToFirstViewMs: firstDrawn !== null && dataAt !== null ? firstDrawn - dataAt : null,
      // how the overview reached the page: inside 'opened', or as a 'viewData' message of its own
      overviewSent: at('host post:viewData') === null ? 'with opened' : 'own message',
      // the document loaded → the first view drawn: everything this extension's page does
      documentToFirstViewMs: firstDrawn !== null && docEnd !== null ? firstDrawn - docEnd : null,
      frameShownMs: frameShown,
      plotlyLoadedMs: at('webview plotlyLoaded'),
      chartsDrawnInPageMs: at('webview chartsDrawn'),
      workerOpenedMs: at('host workerOpened'),
      workerOverviewMs: at('host workerOverview'),
    },
    timeline: tl,
    serviceWorker: swEvents?.ok ? serviceWorkerTimeline(swEvents.events ?? [], t0Epoch) : undefined,
    host: { rssBeforeMiB: MiB(mem0), peakRssMiB: MiB(hostPeak), addedMiB: MiB(hostPeak - mem0) },
    webview: webview.ok
      ? {
          rendererPid: webview.pid,
          samples: webview.samples,
          rendererRssBeforeMiB: KiBtoMiB(webview.first?.rssKiB),
          rendererPeakRssMiB: KiBtoMiB(webview.peakRss?.rssKiB),
          addedRssMiB: KiBtoMiB((webview.peakRss?.rssKiB ?? 0) - (webview.first?.rssKiB ?? 0)),
          jsHeapBeforeMiB: MiB(webview.first?.jsHeapUsed),
          jsHeapPeakMiB: MiB(webview.peakJsHeap?.jsHeapUsed),
          addedJsHeapMiB: MiB((webview.peakJsHeap?.jsHeapUsed ?? 0) - (webview.first?.jsHeapUsed ?? 0)),
          domNodesAfter: webview.last?.domNodes,
        }
      : { error: webview.error },
  };
}

export async function run(): Promise<void> {
  const files = JSON.parse(process.env.CSI_EDITOR_BENCH_FILES ?? '[]') as string[];
  const out = process.env.CSI_EDITOR_BENCH_OUT;
  if (!out || files.length === 0) throw new Error('CSI_EDITOR_BENCH_FILES and CSI_EDITOR_BENCH_OUT must be set');
  const ext = vscode.extensions.getExtension<CsiWorkbenchApi>('csi-workbench.csi-workbench');
  if (!ext) throw new Error('extension csi-workbench.csi-workbench is not loaded');
  const api = await ext.activate();
  const results: Record<string, unknown>[] = [];
  // Warm-up on a small real file: the first webview of a session also pays for loading plotly (3.5 MB) and the
  // workbench's own first-editor work; the measured runs are what opening a recording costs after that.
  const warm = process.env.CSI_EDITOR_BENCH_WARMUP ? await measure(api, process.env.CSI_EDITOR_BENCH_WARMUP) : undefined;
  for (const f of files) results.push(await measure(api, f));
  fs.writeFileSync(out, JSON.stringify({ vscode: vscode.version, appHost: vscode.env.appHost, warmUp: warm, runs: results }, null, 2));
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
