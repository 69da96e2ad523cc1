// Read-only custom editor for CSI recordings. The file is opened in the worker (never parsed on the extension
// host's thread) and stays cached there; the webview asks for chart data per time window through the host.
// Any failure ends in a visible error view in the editor, never a blank page, and never an exception that escapes
// into the host. Editors opened with "Open Side by Side with…" are linked: a zoom in one is forwarded to the other
// (two webviews cannot talk directly; the host relays).
// The worker starts opening (indexing) the file and computing the first overview as soon as the editor is created,
// while VS Code is still setting up the webview: the first view then waits for the slower of the two, not for both
// in turn. When the page says 'ready' the host answers with the metadata and, unasked, that overview (no round
// trip; in the same message when it is already computed, so the page draws it in the task that builds the metadata
// page instead of after that page's layout and paint); the page draws it on canvases at once and loads plotly
// afterwards (webview/editor/preview.ts). View data
// travels as Float32 matrices (src/shared/viewWire.ts), which VS Code passes as binary, not as JSON.
import * as path from 'path';
import * as vscode from 'vscode';
import type { EditorToHost, HostToEditor, RenderedView } from '../shared/editorProtocol';
import { columnBudget, type RecordingOpened, type ViewControls, type ViewData } from '../shared/recordingView';
import { packDoppler, packView } from '../shared/viewWire';
import type { WorkerClient } from '../worker/workerClient';
import { WorkerTaskError } from '../worker/workerClient';
import { controlsKey, editorSettings, resolveControls } from './editorControls';
import { renderWebviewHtml, webviewRoots } from './webviewHtml';

export const RECORDING_VIEW_TYPE = 'csiWorkbench.recording';
export const RECORDING_CSV_VIEW_TYPE = 'csiWorkbench.recordingCsv';

/** What a rendered editor shows, reported by its webview; exposed to tests through the extension's API. */
export interface RenderedEvent {
  uri: string;
  view: RenderedView;
  dom: Record<string, string>;
  charts: boolean;
  /** The first view of the data is on screen before the charts (canvas previews while plotly loads). */
  preview?: boolean;
  /** When the steps towards this view happened (epoch ms): in the host (`host`) and in the page (`webview`). */
  timing?: { host: Record<string, number>; webview: Record<string, number> };
}

const epochMs = () => performance.timeOrigin + performance.now();

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
  /** Its result, once there. */
  opened?: RecordingOpened;
  /** Subcarrier columns of the recording (for the column budget), once opened. */
  nSubcarriers?: number;
  /** Whole-recording overview computed ahead for the controls the page will most likely ask with (`done`: its
   *  result, once computed). */
  prefetch?: { key: string; data: Promise<ViewData>; done?: ViewData };
  /** When this editor's steps happened (epoch ms, first occurrence): the benchmark's phases. */
  marks: Record<string, number>;
}

function markOnce(entry: EditorPanel, name: string): void {
  if (entry.marks[name] === undefined) entry.marks[name] = epochMs();
}

export class RecordingEditorProvider implements vscode.CustomReadonlyEditorProvider<RecordingDocument> {
  private readonly rendered = new vscode.EventEmitter<RenderedEvent>();
  readonly onDidRender = this.rendered.event;
  private readonly panels = new Set<EditorPanel>();
  private lastActive: EditorPanel | undefined;
  private nextId = 1;
  /** Set by "Open Side by Side with…": the next editor for this uri is linked to `from`. */
  private pendingLink: { uri: string; from: EditorPanel } | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly worker: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
    private readonly state: vscode.Memento,
  ) {}

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
    const resolvedAt = epochMs();
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.extensionUri) };
    panel.webview.html = renderWebviewHtml(panel.webview, this.extensionUri, {
      script: 'editor',
      styles: ['editor'],
      title: path.basename(document.uri.fsPath),
      lazyScripts: ['plotly.min.js'],
    });
    const entry: EditorPanel = {
      id: this.nextId++,
      uri: document.uri,
      panel,
      linked: new Set(),
      marks: { resolve: resolvedAt, htmlSet: epochMs() },
      post: (m: HostToEditor) => {
        markOnce(entry, `post:${m.type}`);
        void panel.webview.postMessage(m);
      },
    };
    this.panels.add(entry);
    this.lastActive = entry;
    if (this.pendingLink?.uri === document.uri.toString() && this.panels.has(this.pendingLink.from)) {
      entry.linked.add(this.pendingLink.from);
      this.pendingLink.from.linked.add(entry);
      this.pendingLink = undefined;
    }
    const abort = new AbortController();
    this.startOpening(entry, abort.signal);
    let loading: Promise<HostToEditor[]> | undefined;
    const inflight = new Map<'view' | 'doppler', AbortController>();
    panel.onDidChangeViewState(() => {
      if (panel.active) this.lastActive = entry;
    });
    panel.onDidDispose(() => {
      abort.abort();
      this.panels.delete(entry);
      for (const other of entry.linked) other.linked.delete(entry);
    });
    panel.webview.onDidReceiveMessage((m: EditorToHost) => {
      markOnce(entry, `recv:${m.type}`);
      switch (m.type) {
        case 'ready':
          // The webview repeats 'ready' until the host answers (a message sent while the page was still booting
          // could be lost): answer a repeat with the state already reached instead of reading the file again.
          if (!loading) loading = this.load(entry, abort.signal);
          else
            void loading.then(sent => {
              for (const m of sent) entry.post(m);
            });
          break;
        case 'reload':
          this.startOpening(entry, abort.signal);
          loading = this.load(entry, abort.signal);
          break;
        case 'rendered':
          this.rendered.fire({
            uri: document.uri.toString(),
            view: m.view,
            dom: m.dom,
            charts: !!m.charts,
            preview: !!m.preview,
            timing: m.timing ? { host: { ...entry.marks }, webview: m.timing } : undefined,
          });
          break;
        case 'view':
        case 'doppler': {
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
        case 'controls':
          void this.state.update(controlsKey(document.uri), m.controls);
          break;
        case 'range':
          for (const other of entry.linked) other.post({ type: 'setRange', rangeS: m.rangeS });
          break;
        case 'image':
          entry.imageWaiter?.(m);
          break;
        case 'log':
          (m.level === 'error' ? this.log.error : this.log.warn).call(this.log, `${document.uri.fsPath} (webview): ${m.message}`);
          break;
      }
    });
  }

  /** Ask the webview for an image of its charts. */
  requestImage(entry: EditorPanel, format: 'png' | 'svg'): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        entry.imageWaiter = undefined;
        reject(new Error('the editor did not produce an image in 30 s'));
      }, 30000);
      entry.imageWaiter = m => {
        clearTimeout(timer);
        entry.imageWaiter = undefined;
        if (m.dataUrl) resolve(m.dataUrl);
        else reject(new Error(m.error ?? 'no image'));
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
    entry.opened = undefined;
    if (entry.uri.scheme !== 'file') {
      entry.opening = undefined;
      return;
    }
    entry.opening = this.worker.run('recordingOpen', { path: file }, { signal });
    entry.opening.then(
      opened => {
        markOnce(entry, 'workerOpened');
        entry.opened = opened;
        const s = opened.summary;
        entry.nSubcarriers = s.nSubcarriers;
        if (s.records === 0 || signal.aborted) return;
        const controls = resolveControls(s, this.state.get<Partial<ViewControls>>(controlsKey(entry.uri)));
        const data = this.worker.run('recordingView', { path: file, controls, maxColumns: this.columns(entry) }, { signal });
        const prefetch: NonNullable<EditorPanel['prefetch']> = { key: JSON.stringify(controls), data };
        data.then(
          d => {
            markOnce(entry, 'workerOverview');
            prefetch.done = d;
          },
          () => {
            /* the page's own request will report it */
          },
        );
        entry.prefetch = prefetch;
      },
      () => {
        /* reported by load() */
      },
    );
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
        const data = await (pre ??
          this.worker.run('recordingView', { path: file, controls: m.controls, rangeS: m.rangeS, maxColumns }, { signal }));
        entry.lastView = { packets: data.packets, rangeS: data.rangeS, resolution: data.resolution };
        entry.post({ type: 'viewData', reqId: m.reqId, data: packView(data) });
      } else {
        const data = await this.worker.run(
          'recordingDoppler',
          { path: file, controls: m.controls, rangeS: m.rangeS, maxColumns },
          { signal },
        );
        entry.post({ type: 'dopplerData', reqId: m.reqId, data: packDoppler(data) });
      }
    } catch (e) {
      if (e instanceof WorkerTaskError && e.code === 'cancelled') return;
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`${file}: ${m.type} request failed: ${message}`);
      entry.post({ type: 'requestFailed', reqId: m.reqId, message });
    }
  }

  /**
   * Posts the recording page once the worker has opened the file ('loading' first if it has not yet), then, unasked,
   * the whole-recording view computed ahead (reqId 0): the page draws its first view without a round trip.
   * Resolves with the messages posted, to repeat them to a page that says 'ready' again.
   */
  private async load(entry: EditorPanel, signal: AbortSignal): Promise<HostToEditor[]> {
    const uri = entry.uri,
      file = uri.fsPath;
    const sent: HostToEditor[] = [];
    const send = (m: HostToEditor) => {
      sent.push(m);
      entry.post(m);
    };
    try {
      if (uri.scheme !== 'file') throw new Error(`only files on disk can be read by the worker (got a ${uri.scheme}: URI)`);
      if (!entry.opened) {
        const stat = await vscode.workspace.fs.stat(uri);
        if (!entry.opened) send({ type: 'loading', file: path.basename(file), sizeBytes: stat.size });
      }
      const opened = await (entry.opening ?? this.worker.run('recordingOpen', { path: file }, { signal }));
      const s = opened.summary;
      this.log.info(
        `${file}: ${s.format ?? 'unknown format'}, ${s.records} records, ${s.diagnosticCount} diagnostics, opened (${opened.mode}) in ${opened.openMs.toFixed(1)} ms`,
      );
      const controls = resolveControls(s, this.state.get<Partial<ViewControls>>(controlsKey(uri)));
      const linkedWith = [...entry.linked].map(p => path.basename(p.uri.fsPath)).join(', ') || undefined;
      entry.nSubcarriers = s.nSubcarriers;
      // The overview computed ahead (startOpening) is for exactly these controls unless the state changed since.
      const ahead = entry.prefetch?.key === JSON.stringify(controls) ? entry.prefetch : undefined;
      const pre = ahead?.data;
      if (ahead) entry.prefetch = undefined;
      // The whole-recording view goes out packed, and is the view the editor shows until the page asks for another.
      const initial = (data: ViewData) => {
        entry.lastView ??= { packets: data.packets, rangeS: data.rangeS, resolution: data.resolution };
        return packView(data);
      };
      if (ahead?.done) {
        // Already computed (the usual case: the worker finishes while VS Code sets up the webview): in the same
        // message, so the page draws it in the task that builds the metadata page.
        send({
          type: 'opened',
          opened,
          controls,
          maxColumns: this.columns(entry),
          linkedWith,
          initialView: true,
          view: initial(ahead.done),
        });
        return sent;
      }
      send({ type: 'opened', opened, controls, maxColumns: this.columns(entry), linkedWith, initialView: !!pre });
      if (pre) {
        try {
          send({ type: 'viewData', reqId: 0, data: initial(await pre) });
        } catch (e) {
          if (signal.aborted || (e instanceof WorkerTaskError && e.code === 'cancelled')) return sent;
          const message = e instanceof Error ? e.message : String(e);
          this.log.error(`${file}: view request failed: ${message}`);
          send({ type: 'requestFailed', reqId: 0, message });
        }
      }
      return sent;
    } catch (e) {
      if (signal.aborted) return sent;
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`${file}: ${message}`);
      send({ type: 'error', file, message });
      return sent;
    }
  }
}
