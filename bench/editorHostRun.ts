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
import { rendererMemory, type RendererMemory } from '../test/integration/hostHooks';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function waitRender(api: CsiWorkbenchApi, uri: vscode.Uri, ok: (e: RenderedEvent) => boolean, timeoutMs: number): Promise<RenderedEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`${uri.fsPath}: no matching render in ${timeoutMs} ms`)); }, timeoutMs);
    const sub = api.recordingEditor.onDidRender(e => {
      if (e.uri !== uri.toString()) return;
      if (e.view === 'error') { clearTimeout(timer); sub.dispose(); reject(new Error(`${uri.fsPath}: ${e.dom.error}`)); return; }
      if (ok(e)) { clearTimeout(timer); sub.dispose(); resolve(e); }
    });
  });
}

async function measure(api: CsiWorkbenchApi, file: string): Promise<Record<string, unknown>> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await sleep(1500); // let the renderer settle (and collect) before the baseline sample
  const uri = vscode.Uri.file(file);
  const mem0 = process.memoryUsage().rss;
  let hostPeak = mem0;
  const sampler = setInterval(() => { hostPeak = Math.max(hostPeak, process.memoryUsage().rss); }, 20);
  const started = await rendererMemory('start');
  if (!started.ok) throw new Error('renderer sampling did not start: ' + started.error);
  const firstView = waitRender(api, uri, e => e.charts, 600000);
  // Phases: the webview's first page ('loading': it booted, plotly included, and the host answered), the
  // metadata page (the worker opened / indexed the file), the charts drawn.
  const phase: Record<string, number> = {};
  const phases = api.recordingEditor.onDidRender(e => {
    if (e.uri === uri.toString() && phase[e.view] === undefined) phase[e.view] = performance.now() - t0;
  });
  const t0 = performance.now();
  await vscode.commands.executeCommand('vscode.openWith', uri, 'csiWorkbench.recording');
  const r = await firstView;
  const firstViewMs = performance.now() - t0;
  phases.dispose();
  // The Doppler chart answers separately (for a whole big recording: "zoom in to at most … packets").
  const doppler = await waitRender(api, uri, e => e.charts && !/computing/.test(e.dom['caption-doppler'] ?? 'computing'), 120000)
    .then(() => performance.now() - t0, () => NaN);
  await sleep(1000);
  clearInterval(sampler);
  hostPeak = Math.max(hostPeak, process.memoryUsage().rss);
  const webview: RendererMemory = await rendererMemory('stop');
  const MiB = (b: number | undefined) => (b === undefined ? null : b / 1048576);
  const KiBtoMiB = (k: number | undefined) => (k === undefined ? null : k / 1024);
  return {
    file, records: Number(r.dom.records), opened: r.dom['parse-ms'], amplitudeCaption: r.dom['caption-amplitude'],
    firstViewMs, webviewUpMs: phase.loading ?? null, metadataShownMs: phase.summary ?? null,
    firstViewAfterWebviewUpMs: phase.loading === undefined ? null : firstViewMs - phase.loading, dopplerAnsweredMs: doppler,
    host: { rssBeforeMiB: MiB(mem0), peakRssMiB: MiB(hostPeak), addedMiB: MiB(hostPeak - mem0) },
    webview: webview.ok ? {
      rendererPid: webview.pid, samples: webview.samples,
      rendererRssBeforeMiB: KiBtoMiB(webview.first?.rssKiB), rendererPeakRssMiB: KiBtoMiB(webview.peakRss?.rssKiB),
      addedRssMiB: KiBtoMiB((webview.peakRss?.rssKiB ?? 0) - (webview.first?.rssKiB ?? 0)),
      jsHeapBeforeMiB: MiB(webview.first?.jsHeapUsed), jsHeapPeakMiB: MiB(webview.peakJsHeap?.jsHeapUsed),
      addedJsHeapMiB: MiB((webview.peakJsHeap?.jsHeapUsed ?? 0) - (webview.first?.jsHeapUsed ?? 0)),
      domNodesAfter: webview.last?.domNodes,
    } : { error: webview.error },
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
