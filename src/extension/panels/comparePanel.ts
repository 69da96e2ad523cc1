// The comparison panel: two evaluated models (teacher vs student of one run, or any two runs) side by side. The
// numbers come from the worker task experimentCompare, which reads the run store's metrics.json files.
import * as vscode from 'vscode';
import type { ComparisonView, ModelRef } from '../../shared/experimentView';
import type { CompareToHost, HostToCompare } from '../../shared/panelProtocol';
import type { WorkerClient } from '../../worker/workerClient';
import { renderWebviewHtml, webviewRoots } from '../webviewHtml';

export class ComparePanel implements vscode.Disposable {
  static readonly viewType = 'csiWorkbench.compare';
  private panel: vscode.WebviewPanel | undefined;
  private ready: Promise<void> | undefined;
  /** What the panel shows now (for tests and for "Compare Runs…" re-use). */
  current: ComparisonView | undefined;
  private renderedEmitter = new vscode.EventEmitter<{ view: ComparisonView; dom: Record<string, string> }>();
  /** Fires when the page has drawn a comparison, with the text of each number cell as the page shows it (by data-key). */
  readonly onDidRender = this.renderedEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly worker: WorkerClient,
  ) {}

  private open(): vscode.WebviewPanel {
    if (this.panel) {
      this.panel.reveal();
      return this.panel;
    }
    const panel = vscode.window.createWebviewPanel(ComparePanel.viewType, 'Compare', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: webviewRoots(this.extensionUri),
      retainContextWhenHidden: true,
    });
    let resolveReady!: () => void;
    this.ready = new Promise(r => {
      resolveReady = r;
    });
    panel.webview.onDidReceiveMessage((m: CompareToHost) => {
      if (m?.type === 'ready') resolveReady();
      else if (m?.type === 'rendered' && this.current) this.renderedEmitter.fire({ view: this.current, dom: m.dom });
    });
    panel.webview.html = renderWebviewHtml(panel.webview, this.extensionUri, {
      script: 'compare',
      extraScripts: ['plotly.min.js'],
      title: 'Compare',
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = undefined;
    });
    this.panel = panel;
    return panel;
  }

  async show(a: ModelRef, b: ModelRef): Promise<ComparisonView> {
    const view = await this.worker.run('experimentCompare', { a, b });
    const panel = this.open();
    panel.title = `Compare: ${view.a.name} vs ${view.b.name}`;
    this.current = view;
    await this.ready;
    const msg: HostToCompare = { type: 'show', view };
    await panel.webview.postMessage(msg);
    return view;
  }

  dispose(): void {
    this.panel?.dispose();
    this.renderedEmitter.dispose();
  }
}
