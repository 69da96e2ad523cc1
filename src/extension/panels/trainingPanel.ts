// The live training panel: one webview (webview/training) fed with the worker's training progress. It opens
// beside the notebook when a training step starts and keeps the curves of every model trained since it opened.
import * as vscode from 'vscode';
import type { TrainingProgressView } from '../../shared/experimentView';
import type { HostToTraining, TrainingToHost } from '../../shared/panelProtocol';
import { renderWebviewHtml, webviewRoots } from '../webviewHtml';

export class TrainingPanel implements vscode.Disposable {
  static readonly viewType = 'csiWorkbench.training';
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private queue: TrainingProgressView[] = [];
  /** Last progress seen per model: lets tests (and a reopened panel) read the current state. */
  readonly latest = new Map<string, TrainingProgressView>();

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(preserveFocus = true): vscode.WebviewPanel {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return this.panel;
    }
    const panel = vscode.window.createWebviewPanel(
      TrainingPanel.viewType,
      'Training',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { enableScripts: true, localResourceRoots: webviewRoots(this.extensionUri), retainContextWhenHidden: true },
    );
    panel.webview.html = renderWebviewHtml(panel.webview, this.extensionUri, {
      script: 'training',
      extraScripts: ['plotly.min.js'],
      title: 'Training',
    });
    panel.webview.onDidReceiveMessage((m: TrainingToHost) => {
      if (m?.type !== 'ready') return;
      this.ready = true;
      for (const p of this.queue.splice(0)) this.post({ type: 'progress', progress: p });
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
      this.queue = [];
    });
    this.panel = panel;
    return panel;
  }

  private lastBatchPost = 0;

  update(p: TrainingProgressView): void {
    this.latest.set(p.model, p);
    // Batch updates arrive tens of times a second: post at most 5 a second (every epoch end is posted), so the
    // extension host's message queue stays short and it answers VS Code at once (a save waits on it).
    const now = Date.now();
    if (p.kind === 'batch' && this.panel && now - this.lastBatchPost < 200) return;
    if (p.kind === 'batch') this.lastBatchPost = now;
    if (!this.panel) this.show();
    // Batch updates are frequent; before the page is ready only epoch ends are worth keeping.
    if (!this.ready) {
      if (p.kind === 'epoch' || this.queue.length === 0) this.queue.push(p);
      return;
    }
    this.post({ type: 'progress', progress: p });
  }

  private post(m: HostToTraining): void {
    void this.panel?.webview.postMessage(m);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
