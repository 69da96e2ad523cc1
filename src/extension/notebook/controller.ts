// Runs experiment notebook cells in the worker. A step cell runs the pipeline up to its step: the worker reuses
// every upstream result whose content key is unchanged (so re-running the student cell does not retrain the
// teacher). Live progress goes to the cell (a one-line status output), the status bar and the training panel;
// the cell's stop button cancels (the worker stops at the next batch; the last full epoch's checkpoint stays, so
// running the cell again resumes). In an untrusted workspace nothing is executed and the cell says why.
import * as path from 'path';
import * as vscode from 'vscode';
import { notebookToSpec, parseNotebook, parseStepCell, RESULT_MIME, type ExperimentNotebook } from '../../core/experiment/notebookFile';
import type { ExperimentRunParams, ExperimentRunResult, StepFailureView, StepResultView, TrainingProgressView } from '../../shared/experimentView';
import { WorkerTaskError, type WorkerClient } from '../../worker/workerClient';
import { NOTEBOOK_TYPE, STEP_LANGUAGE } from './serializer';

export const CONTROLLER_ID = 'csi-workbench-experiment-worker';
export const FAILURE_MIME = 'application/vnd.csi-workbench.failure+json';
export const UNTRUSTED_MESSAGE = 'This workspace is not trusted, so CSI Workbench does not run experiments here '
  + '(recordings can still be viewed). Use "Manage Workspace Trust" to trust the folder, then run the cell again.';

export interface TrainingSink { update(p: TrainingProgressView): void }

/** Where a run happens: the workspace folder holding the notebook (its run store), else the notebook's folder. */
export function runContext(uri: vscode.Uri): { workspace: string; baseDir: string } {
  const baseDir = path.dirname(uri.fsPath);
  const ws = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? baseDir;
  return { workspace: ws, baseDir };
}

/** The notebook as the file format sees it, from its current (possibly unsaved) cells. */
export function notebookOf(nb: vscode.NotebookDocument): ExperimentNotebook {
  const cells = nb.getCells().map(c => c.kind === vscode.NotebookCellKind.Markup
    ? { kind: 'markdown' as const, source: c.document.getText() }
    : { kind: 'step' as const, source: c.document.getText(), outputs: [] });
  return { ...parseNotebook(''), metadata: nb.metadata ?? {}, cells };
}

/** The experiment spec of `nb` up to cell `uptoCell` (everything when absent). */
export function specOf(nb: vscode.NotebookDocument, uptoCell?: number): ExperimentRunParams['spec'] {
  return notebookToSpec(notebookOf(nb), path.basename(nb.uri.fsPath), uptoCell);
}

function describeFailure(e: unknown, step: string, runDir?: string): StepFailureView {
  if (e instanceof WorkerTaskError) {
    if (e.code === 'cancelled') return { step, code: 'cancelled', resumable: true, runDir,
      message: 'Cancelled. The checkpoint of the last complete epoch is kept: run the cell again to resume from it.' };
    if (/worker stopped/.test(e.message)) return { step, code: 'worker-stopped', resumable: true, runDir,
      message: `${e.message}. At most the current epoch is lost: run the cell again to resume from the last checkpoint.` };
    return { step, code: e.code, resumable: false, runDir, message: e.message };
  }
  return { step, code: 'bad-input', resumable: false, runDir, message: e instanceof Error ? e.message : String(e) };
}

export class ExperimentController implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private order = 0;
  private readonly running = new Set<AbortController>();
  /** The most recent finished run (for Compare and Export without a picker). */
  lastRun: ExperimentRunResult | undefined;
  private readonly onDidRunEmitter = new vscode.EventEmitter<ExperimentRunResult>();
  readonly onDidRun = this.onDidRunEmitter.event;
  private readonly onProgressEmitter = new vscode.EventEmitter<{ message?: string; fraction?: number }>();
  /** Progress of whatever runs (cells or commands), for the commands' progress notifications. */
  readonly onProgress = this.onProgressEmitter.event;

  constructor(private readonly worker: WorkerClient, private readonly log: vscode.LogOutputChannel, private readonly training: TrainingSink) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'CSI Workbench (worker)');
    this.controller.supportedLanguages = [STEP_LANGUAGE];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'Runs pipeline steps in the extension worker';
    this.controller.executeHandler = async (cells, nb) => { for (const c of cells) if (!(await this.runCell(c, nb))) break; };
  }

  get busy(): boolean { return this.running.size > 0; }

  /** Cancel every run in progress (command "Cancel Run"). */
  cancelAll(): number { const n = this.running.size; for (const a of this.running) a.abort(); return n; }

  /** Run an experiment spec in the worker (cells and commands); progress goes to the callback and the training panel. */
  async runSpec(uri: vscode.Uri, spec: ExperimentRunParams['spec'], onProgress: (message: string | undefined, fraction: number | undefined) => void,
    cancel?: AbortSignal): Promise<ExperimentRunResult> {
    if (!vscode.workspace.isTrusted) throw new Error(UNTRUSTED_MESSAGE);
    const abort = new AbortController();
    cancel?.addEventListener('abort', () => abort.abort(), { once: true });
    this.running.add(abort);
    try {
      const res = await this.worker.run('experimentRun', { spec, ...runContext(uri) }, {
        signal: abort.signal,
        onProgress: p => {
          onProgress(p.message, p.fraction);
          this.onProgressEmitter.fire({ message: p.message, fraction: p.fraction });
          if (p.detail) this.training.update(p.detail as TrainingProgressView);
        },
      });
      this.lastRun = res;
      this.onDidRunEmitter.fire(res);
      return res;
    } finally {
      this.running.delete(abort);
    }
  }

  private async runCell(cell: vscode.NotebookCell, nb: vscode.NotebookDocument): Promise<boolean> {
    if (cell.kind !== vscode.NotebookCellKind.Code) return true;
    const exec = this.controller.createNotebookCellExecution(cell);
    exec.executionOrder = ++this.order;
    exec.start(Date.now());
    const where = `${path.basename(nb.uri.fsPath)} cell ${cell.index + 1}`;
    const fail = async (f: StepFailureView) => {
      await exec.replaceOutput(new vscode.NotebookCellOutput([
        vscode.NotebookCellOutputItem.json(f, FAILURE_MIME),
        vscode.NotebookCellOutputItem.text(`${f.code}: ${f.message}`),
      ]));
      exec.end(false, Date.now());
      return false;
    };
    if (!vscode.workspace.isTrusted) return fail({ step: 'notebook', code: 'untrusted', resumable: false, message: UNTRUSTED_MESSAGE });
    let target: string, spec: ExperimentRunParams['spec'];
    try {
      target = parseStepCell(cell.document.getText(), where).id;
      spec = specOf(nb, cell.index);
    } catch (e) { return fail(describeFailure(e, 'notebook')); }

    const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
    status.text = `$(sync~spin) CSI Workbench: ${target}`;
    status.command = 'csiWorkbench.cancelRun';
    status.tooltip = 'Experiment step running in the worker — click to cancel';
    status.show();
    const cancel = new AbortController();
    exec.token.onCancellationRequested(() => cancel.abort());
    let lastShown = 0;
    try {
      const res = await this.runSpec(nb.uri, spec, (message) => {
        const now = Date.now();
        if (!message || now - lastShown < 300) return; // a cell output per batch would flood the renderer
        lastShown = now;
        status.text = `$(sync~spin) CSI Workbench: ${target}: ${message}`;
        void exec.replaceOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(`⏳ ${target}: ${message}`)]));
      }, cancel.signal);
      const mine = res.results.find(r => r.id === target) ?? res.results[res.results.length - 1];
      await exec.replaceOutput(new vscode.NotebookCellOutput([
        vscode.NotebookCellOutputItem.json(mine, RESULT_MIME),
        vscode.NotebookCellOutputItem.text(summaryText(mine)),
      ]));
      exec.end(true, Date.now());
      return true;
    } catch (e) {
      this.log.warn(`${where}: ${e instanceof Error ? e.message : String(e)}`);
      return fail(describeFailure(e, target, this.lastRun?.runDir));
    } finally {
      status.dispose();
    }
  }

  dispose(): void { this.cancelAll(); this.controller.dispose(); this.onDidRunEmitter.dispose(); this.onProgressEmitter.dispose(); }
}

/** Plain-text fallback of a result (shown where the renderer is not available, e.g. GitHub's file view). */
export function summaryText(r: StepResultView | undefined): string {
  if (!r) return 'no result';
  const lines = [`${r.id} (${r.type})${r.reused ? ' (reused)' : ''}: ${r.summary}`];
  for (const t of r.tables ?? []) {
    lines.push('', t.title, t.columns.join('\t'), ...t.rows.map(row => row.map(v => v ?? '').join('\t')));
  }
  return lines.join('\n');
}
