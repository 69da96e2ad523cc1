// Read-only custom editor for CSI recordings. The file is opened in the worker (never parsed on the extension
// host's thread) and stays cached there; the webview asks for chart data per time window through the host.
// Any failure ends in a visible error view in the editor, never a blank page, and never an exception that escapes
// into the host. Editors opened with "Open Side by Side with…" are linked: a zoom in one is forwarded to the other
// (two webviews cannot talk directly; the host relays).
// The worker starts opening (indexing) the file and computing the first overview as soon as the editor is created,
// while the webview is still booting (loading plotly alone takes seconds on a busy machine): the first view then
// waits for the slower of the two, not for both in turn.
import * as path from 'path';
import * as vscode from 'vscode';
import type { EditorToHost, HostToEditor, RenderedView } from '../shared/editorProtocol';
import { columnBudget, type RecordingOpened, type ViewControls, type ViewData } from '../shared/recordingView';
import type { WorkerClient } from '../worker/workerClient';
import { WorkerTaskError } from '../worker/workerClient';
import { controlsKey, editorSettings, resolveControls } from './editorControls';
import { renderWebviewHtml, webviewRoots } from './webviewHtml';

export const RECORDING_VIEW_TYPE = 'csiWorkbench.recording';
export const RECORDING_CSV_VIEW_TYPE = 'csiWorkbench.recordingCsv';

/** What a rendered editor shows, reported by its webview; exposed to tests through the extension's API. */
export interface RenderedEvent { uri: string; view: RenderedView; dom: Record<string, string>; charts: boolean }

class RecordingDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

/** One open editor panel. */
export interface EditorPanel {
  readonly id: number;
  readonly uri: vscode.Uri;
  readonly panel: vscode.WebviewPanel;
  post(m: HostToEditor): void;
  /** Packets and time range of the last view data sent (what "Copy frame range" copies). */
  lastView?: Pick<ViewData, 'packets' | 'rangeS' | 'resolution'>;
  linked: Set<EditorPanel>;
  /** Pending image export (answered by the webview's 'image' message). */
  imageWaiter?: (m: Extract<EditorToHost, { type: 'image' }>) => void;
  /** The worker's open of this file, started when the editor was created (see the file header). */
  opening?: Promise<RecordingOpened>;
  /** Subcarrier columns of the recording (for the column budget), once opened. */
  nSubcarriers?: number;
  /** Whole-recording overview computed ahead for the controls the page will most likely ask with. */
  prefetch?: { key: string; data: Promise<ViewData> };
}

export class RecordingEditorProvider implements vscode.CustomReadonlyEditorProvider<RecordingDocument> {
  private readonly rendered = new vscode.EventEmitter<RenderedEvent>();
  readonly onDidRender = this.rendered.event;
  private readonly panels = new Set<EditorPanel>();
  private lastActive: EditorPanel | undefined;
  private nextId = 1;
  /** Set by "Open Side by Side with…": the next editor for this uri is linked to `from`. */
  private pendingLink: { uri: string; from: EditorPanel } | undefined;

  constructor(private readonly extensionUri: vscode.Uri, private readonly worker: WorkerClient, private readonly log: vscode.LogOutputChannel,
              private readonly state: vscode.Memento) {}

  openCustomDocument(uri: vscode.Uri): RecordingDocument {
    return new RecordingDocument(uri);
  }

  /** The focused recording editor, else the one focused last. */
  activePanel(): EditorPanel | undefined {
    for (const p of this.panels) if (p.panel.active) return p;
    return this.lastActive && this.panels.has(this.lastActive) ? this.lastActive : undefined;
  }

  /** Every open editor on `uri` (tests, commands). */
  panelsFor(uri: vscode.Uri): EditorPanel[] {
    return [...this.panels].filter(p => p.uri.toString() === uri.toString());
  }

  linkNextOpen(uri: vscode.Uri, from: EditorPanel): void {
    this.pendingLink = { uri: uri.toString(), from };
  }

  resolveCustomEditor(document: RecordingDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.extensionUri) };
    panel.webview.html = renderWebviewHtml(panel.webview, this.extensionUri,
      { script: 'editor', styles: ['editor'], title: path.basename(document.uri.fsPath), extraScripts: ['plotly.min.js'] });
    const entry: EditorPanel = { id: this.nextId++, uri: document.uri, panel, linked: new Set(),
      post: (m: HostToEditor) => { void panel.webview.postMessage(m); } };
    this.panels.add(entry);
    this.lastActive = entry;
    if (this.pendingLink?.uri === document.uri.toString() && this.panels.has(this.pendingLink.from)) {
      entry.linked.add(this.pendingLink.from);
      this.pendingLink.from.linked.add(entry);
      this.pendingLink = undefined;
    }
    const abort = new AbortController();
    this.startOpening(entry, abort.signal);
    let loading: Promise<HostToEditor | undefined> | undefined;
    const inflight = new Map<'view' | 'doppler', AbortController>();
    panel.onDidChangeViewState(() => { if (panel.active) this.lastActive = entry; });
    panel.onDidDispose(() => {
      abort.abort();
      this.panels.delete(entry);
      for (const other of entry.linked) other.linked.delete(entry);
    });
    panel.webview.onDidReceiveMessage((m: EditorToHost) => {
      switch (m.type) {
        case 'ready':
          // The webview repeats 'ready' until the host answers (a message sent while the page was still booting
          // could be lost): answer a repeat with the state already reached instead of reading the file again.
          if (!loading) loading = this.load(entry, abort.signal);
          else void loading.then(last => { if (last) entry.post(last); });
          break;
        case 'reload': this.startOpening(entry, abort.signal); loading = this.load(entry, abort.signal); break;
        case 'rendered': this.rendered.fire({ uri: document.uri.toString(), view: m.view, dom: m.dom, charts: !!m.charts }); break;
        case 'view': case 'doppler': {
          // A newer request for the same chart makes the older one stale: cancel it in the worker.
          inflight.get(m.type)?.abort();
          const ac = new AbortController();
          inflight.set(m.type, ac);
          const onClose = () => ac.abort();
          abort.signal.addEventListener('abort', onClose, { once: true });
          void this.request(entry, m, ac.signal).finally(() => {
            abort.signal.removeEventListener('abort', onClose);
            if (inflight.get(m.type) === ac) inflight.delete(m.type);
          });
          break;
        }
        case 'controls': void this.state.update(controlsKey(document.uri), m.controls); break;
        case 'range': for (const other of entry.linked) other.post({ type: 'setRange', rangeS: m.rangeS }); break;
        case 'image': entry.imageWaiter?.(m); break;
        case 'log': (m.level === 'error' ? this.log.error : this.log.warn).call(this.log, `${document.uri.fsPath} (webview): ${m.message}`); break;
      }
    });
  }

  /** Ask the webview for an image of its charts. */
  requestImage(entry: EditorPanel, format: 'png' | 'svg'): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { entry.imageWaiter = undefined; reject(new Error('the editor did not produce an image in 30 s')); }, 30000);
      entry.imageWaiter = m => {
        clearTimeout(timer);
        entry.imageWaiter = undefined;
        if (m.dataUrl) resolve(m.dataUrl); else reject(new Error(m.error ?? 'no image'));
      };
      entry.post({ type: 'exportImage', format });
    });
  }

  /**
   * Open the file in the worker now and, once open, compute the whole-recording overview for the controls the page
   * will start with (unless it restores other ones from its own state). Failures surface through load().
   */
  private startOpening(entry: EditorPanel, signal: AbortSignal): void {
    const file = entry.uri.fsPath;
    entry.prefetch = undefined;
    if (entry.uri.scheme !== 'file') { entry.opening = undefined; return; }
    entry.opening = this.worker.run('recordingOpen', { path: file }, { signal });
    entry.opening.then(opened => {
      const s = opened.summary;
      entry.nSubcarriers = s.nSubcarriers;
      if (s.records === 0 || signal.aborted) return;
      const controls = resolveControls(s, this.state.get<Partial<ViewControls>>(controlsKey(entry.uri)));
      const data = this.worker.run('recordingView', { path: file, controls, maxColumns: this.columns(entry) }, { signal });
      data.catch(() => { /* the page's own request will report it */ });
      entry.prefetch = { key: JSON.stringify(controls), data };
    }, () => { /* reported by load() */ });
  }

  /** Time columns per request: the setting, within the cell budget for this recording's subcarriers. */
  private columns(entry: EditorPanel): number {
    return columnBudget(editorSettings().maxColumns, entry.nSubcarriers ?? 0);
  }

  private async request(entry: EditorPanel, m: Extract<EditorToHost, { type: 'view' | 'doppler' }>, signal: AbortSignal): Promise<void> {
    const file = entry.uri.fsPath;
    const maxColumns = this.columns(entry);
    try {
      if (m.type === 'view') {
        // The first whole-recording request with the expected controls takes the overview computed ahead.
        // Any first request retires it (a page restoring its own zoom or controls never asks for it).
        const pre = !m.rangeS && entry.prefetch?.key === JSON.stringify(m.controls) ? entry.prefetch.data : undefined;
        entry.prefetch = undefined;
        const data = await (pre ?? this.worker.run('recordingView', { path: file, controls: m.controls, rangeS: m.rangeS, maxColumns }, { signal }));
        entry.lastView = { packets: data.packets, rangeS: data.rangeS, resolution: data.resolution };
        entry.post({ type: 'viewData', reqId: m.reqId, data });
      } else {
        const data = await this.worker.run('recordingDoppler', { path: file, controls: m.controls, rangeS: m.rangeS, maxColumns }, { signal });
        entry.post({ type: 'dopplerData', reqId: m.reqId, data });
      }
    } catch (e) {
      if (e instanceof WorkerTaskError && e.code === 'cancelled') return;
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`${file}: ${m.type} request failed: ${message}`);
      entry.post({ type: 'requestFailed', reqId: m.reqId, message });
    }
  }

  /** Reads the file in the worker and posts the recording page; resolves with the final message posted. */
  private async load(entry: EditorPanel, signal: AbortSignal): Promise<HostToEditor | undefined> {
    const uri = entry.uri, file = uri.fsPath;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      entry.post({ type: 'loading', file: path.basename(file), sizeBytes: stat.size });
      if (uri.scheme !== 'file') throw new Error(`only files on disk can be read by the worker (got a ${uri.scheme}: URI)`);
      const opened = await (entry.opening ?? this.worker.run('recordingOpen', { path: file }, { signal }));
      const s = opened.summary;
      this.log.info(`${file}: ${s.format ?? 'unknown format'}, ${s.records} records, ${s.diagnosticCount} diagnostics, opened (${opened.mode}) in ${opened.openMs.toFixed(1)} ms`);
      const controls = resolveControls(s, this.state.get<Partial<ViewControls>>(controlsKey(uri)));
      const linkedWith = [...entry.linked].map(p => path.basename(p.uri.fsPath)).join(', ') || undefined;
      entry.nSubcarriers = s.nSubcarriers;
      const msg: HostToEditor = { type: 'opened', opened, controls, maxColumns: this.columns(entry), linkedWith };
      entry.post(msg);
      return msg;
    } catch (e) {
      if (signal.aborted) return undefined;
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`${file}: ${message}`);
      const msg: HostToEditor = { type: 'error', file, message };
      entry.post(msg);
      return msg;
    }
  }
}
