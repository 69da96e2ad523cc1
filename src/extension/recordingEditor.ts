// Read-only custom editor for CSI recordings. The file is parsed in the worker (never on the extension host's
// thread); the webview gets a summary through the typed editor protocol. Any failure ends in a visible error view
// in the editor, never a blank page, and never an exception that escapes into the host.
import * as path from 'path';
import * as vscode from 'vscode';
import type { EditorToHost, HostToEditor } from '../shared/editorProtocol';
import type { WorkerClient } from '../worker/workerClient';
import { renderWebviewHtml, webviewRoots } from './webviewHtml';

export const RECORDING_VIEW_TYPE = 'csiWorkbench.recording';
export const RECORDING_CSV_VIEW_TYPE = 'csiWorkbench.recordingCsv';

/** What a rendered editor shows, reported by its webview; exposed to tests through the extension's API. */
export interface RenderedEvent { uri: string; view: 'loading' | 'summary' | 'error'; dom: Record<string, string> }

class RecordingDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

export class RecordingEditorProvider implements vscode.CustomReadonlyEditorProvider<RecordingDocument> {
  private readonly rendered = new vscode.EventEmitter<RenderedEvent>();
  readonly onDidRender = this.rendered.event;

  constructor(private readonly extensionUri: vscode.Uri, private readonly worker: WorkerClient, private readonly log: vscode.LogOutputChannel) {}

  openCustomDocument(uri: vscode.Uri): RecordingDocument {
    return new RecordingDocument(uri);
  }

  resolveCustomEditor(document: RecordingDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.extensionUri) };
    panel.webview.html = renderWebviewHtml(panel.webview, this.extensionUri, { script: 'editor', styles: ['editor'], title: path.basename(document.uri.fsPath) });
    const post = (m: HostToEditor) => { void panel.webview.postMessage(m); };
    const abort = new AbortController();
    panel.onDidDispose(() => abort.abort());
    panel.webview.onDidReceiveMessage((m: EditorToHost) => {
      if (m.type === 'ready' || m.type === 'reload') void this.load(document.uri, post, abort.signal);
      else if (m.type === 'rendered') this.rendered.fire({ uri: document.uri.toString(), view: m.view, dom: m.dom });
    });
  }

  private async load(uri: vscode.Uri, post: (m: HostToEditor) => void, signal: AbortSignal): Promise<void> {
    const file = uri.fsPath;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      post({ type: 'loading', file: path.basename(file), sizeBytes: stat.size });
      if (uri.scheme !== 'file') throw new Error(`only files on disk can be read by the worker (got a ${uri.scheme}: URI)`);
      const summary = await this.worker.run('inspect', { path: file }, { signal });
      this.log.info(`${file}: ${summary.format ?? 'unknown format'}, ${summary.records} records, ${summary.diagnosticCount} diagnostics, parsed in ${summary.parseMs.toFixed(1)} ms`);
      post({ type: 'summary', summary });
    } catch (e) {
      if (signal.aborted) return;
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`${file}: ${message}`);
      post({ type: 'error', file, message });
    }
  }
}
