// Runs experiment notebook cells in the worker. A step cell runs the pipeline up to its step: the worker reuses
// every upstream result whose content key is unchanged (so re-running the student cell does not retrain the
// teacher). Live progress goes to the cell (a one-line status output), the status bar and the training panel;
// the cell's stop button cancels (the worker stops at the next batch; the last full epoch's checkpoint stays, so
// running the cell again resumes). In an untrusted workspace nothing is executed and the cell says why.
import * as path from 'path';
import * as vscode from 'vscode';
import { notebookToSpec, parseNotebook, parseStepCell, RESULT_MIME, type ExperimentNotebook } from '../../core/experiment/notebookFile';
import type {
  ExperimentRunParams,
  ExperimentRunResult,
  StepFailureView,
  StepProgressView,
  StepResultView,
  TrainingProgressView,
} from '../../shared/experimentView';
import { WorkerTaskError, type WorkerClient } from '../../worker/workerClient';
import { NOTEBOOK_TYPE, STEP_LANGUAGE } from './serializer';

export const CONTROLLER_ID = 'csi-workbench-experiment-worker';
export const FAILURE_MIME = 'application/vnd.csi-workbench.failure+json';
export const UNTRUSTED_MESSAGE =
  'This workspace is not trusted, so CSI Workbench does not run experiments here ' +
  '(recordings can still be viewed). Use "Manage Workspace Trust" to trust the folder, then run the cell again.';

export interface TrainingSink {
  update(p: TrainingProgressView): void;
}

/** Where a run happens: the workspace folder holding the notebook (its run store), else the notebook's folder. */
export function runContext(uri: vscode.Uri): { workspace: string; baseDir: string } {
  const baseDir = path.dirname(uri.fsPath);
  const ws = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? baseDir;
  return { workspace: ws, baseDir };
}

/** The notebook as the file format sees it, from its current (possibly unsaved) cells. */
export function notebookOf(nb: vscode.NotebookDocument): ExperimentNotebook {
  const cells = nb
    .getCells()
    .map(c =>
      c.kind === vscode.NotebookCellKind.Markup
        ? { kind: 'markdown' as const, source: c.document.getText() }
        : { kind: 'step' as const, source: c.document.getText(), outputs: [] },
    );
  return { ...parseNotebook(''), metadata: nb.metadata ?? {}, cells };
}

/** The experiment spec of `nb` up to cell `uptoCell` (everything when absent). */
export function specOf(nb: vscode.NotebookDocument, uptoCell?: number): ExperimentRunParams['spec'] {
  return notebookToSpec(notebookOf(nb), path.basename(nb.uri.fsPath), uptoCell);
}

function describeFailure(e: unknown, step: string, runDir?: string): StepFailureView {
  if (e instanceof WorkerTaskError) {
    if (e.code === 'cancelled')
      return {
        step,
        code: 'cancelled',
        resumable: true,
        runDir,
        message: 'Cancelled. The checkpoint of the last complete epoch is kept: run the cell again to resume from it.',
      };
    if (/worker stopped/.test(e.message))
      return {
        step,
        code: 'worker-stopped',
        resumable: true,
        runDir,
        message: `${e.message}. At most the current epoch is lost: run the cell again to resume from the last checkpoint.`,
      };
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

  constructor(
    private readonly worker: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
    private readonly training: TrainingSink,
  ) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'CSI Workbench (worker)');
    this.controller.supportedLanguages = [STEP_LANGUAGE];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'Runs pipeline steps in the extension worker';
    // Run All (or any group of cells) is ONE run of the pipeline up to the last of them: one run in the run store,
    // each cell showing its step's result; a single cell runs the pipeline up to it (unchanged upstream steps reused).
    this.controller.executeHandler = async (cells, nb) => {
      await this.runCells(cells, nb);
    };
  }

  get busy(): boolean {
    return this.running.size > 0;
  }

  /** Cancel every run in progress (command "Cancel Run"). */
  cancelAll(): number {
    const n = this.running.size;
    for (const a of this.running) a.abort();
    return n;
  }

  /** Run an experiment spec in the worker (cells and commands); progress goes to the callback and the training panel. */
  async runSpec(
    uri: vscode.Uri,
    spec: ExperimentRunParams['spec'],
    onProgress: (message: string | undefined, fraction: number | undefined, step?: StepProgressView) => void,
    cancel?: AbortSignal,
    upTo?: string,
  ): Promise<ExperimentRunResult> {
    if (!vscode.workspace.isTrusted) throw new Error(UNTRUSTED_MESSAGE);
    const abort = new AbortController();
    cancel?.addEventListener('abort', () => abort.abort(), { once: true });
    this.running.add(abort);
    let lastFired = 0;
    try {
      const res = await this.worker.run(
        'experimentRun',
        { spec, ...runContext(uri), notebook: vscode.workspace.asRelativePath(uri, false), ...(upTo ? { upTo } : {}) },
        {
          signal: abort.signal,
          onProgress: p => {
            const d = p.detail as StepProgressView | TrainingProgressView | undefined;
            const step = d && (d.kind === 'step-start' || d.kind === 'step-done') ? d : undefined;
            onProgress(p.message, p.fraction, step);
            const now = Date.now();
            if (step || now - lastFired >= 250) {
              lastFired = now;
              this.onProgressEmitter.fire({ message: p.message, fraction: p.fraction });
            }
            if (d && !step) this.training.update(d as TrainingProgressView);
          },
        },
      );
      this.lastRun = res;
      this.onDidRunEmitter.fire(res);
      return res;
    } finally {
      this.running.delete(abort);
    }
  }

  /** Runs `cells` (one, or a group such as Run All) as one run of the pipeline up to the last of them. */
  private async runCells(cells: readonly vscode.NotebookCell[], nb: vscode.NotebookDocument): Promise<boolean> {
    const code = cells.filter(c => c.kind === vscode.NotebookCellKind.Code);
    if (!code.length) return true;
    const last = code[code.length - 1];
    const execs = new Map<vscode.NotebookCell, vscode.NotebookCellExecution>();
    const cancel = new AbortController();
    const execOf = (cell: vscode.NotebookCell) => {
      let exec = execs.get(cell);
      if (!exec) {
        exec = this.controller.createNotebookCellExecution(cell);
        exec.executionOrder = ++this.order;
        exec.start(Date.now());
        exec.token.onCancellationRequested(() => cancel.abort());
        execs.set(cell, exec);
      }
      return exec;
    };
    const fail = async (cell: vscode.NotebookCell, f: StepFailureView) => {
      const exec = execOf(cell);
      await exec.replaceOutput(
        new vscode.NotebookCellOutput([
          vscode.NotebookCellOutputItem.json(f, FAILURE_MIME),
          vscode.NotebookCellOutputItem.text(`${f.code}: ${f.message}`),
        ]),
      );
      exec.end(false, Date.now());
      return false;
    };
    if (!vscode.workspace.isTrusted)
      return fail(code[0], { step: 'notebook', code: 'untrusted', resumable: false, message: UNTRUSTED_MESSAGE });
    const byStep = new Map<string, vscode.NotebookCell>();
    let spec: ExperimentRunParams['spec'];
    try {
      for (const c of code) byStep.set(parseStepCell(c.document.getText(), `${path.basename(nb.uri.fsPath)} cell ${c.index + 1}`).id, c);
      spec = specOf(nb, last.index);
    } catch (e) {
      return fail(code[0], describeFailure(e, 'notebook'));
    }
    const target = [...byStep.keys()].pop()!;
    const whole = specOf(nb).steps;
    const upTo = whole[whole.length - 1]?.id === target ? undefined : target;

    const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
    status.text = `$(sync~spin) CSI Workbench: ${spec.name}`;
    status.command = 'csiWorkbench.cancelRun';
    status.tooltip = 'Experiment running in the worker — click to cancel';
    status.show();
    let current: string | undefined;
    const done = new Map<string, number>();
    const ended = new Set<vscode.NotebookCell>();
    // The early ends, awaited before the run returns: a caller reads every cell's execution summary then.
    const early: Thenable<void>[] = [];
    let lastShown = 0,
      lastCell = 0;
    try {
      const res = await this.runSpec(
        nb.uri,
        spec,
        (message, _fraction, step) => {
          if (step?.kind === 'step-start') {
            current = step.step;
            const cell = byStep.get(step.step);
            if (cell)
              void execOf(cell).replaceOutput(
                new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(`⏳ ${step.step}: running`)]),
              );
            return;
          }
          if (step?.kind === 'step-done') {
            done.set(step.step, step.seconds ?? 0);
            // The step's result as soon as it is done: its cell stops spinning while later steps run.
            const cell = byStep.get(step.step);
            if (cell && step.result && !ended.has(cell)) {
              ended.add(cell);
              const exec = execOf(cell);
              early.push(exec.replaceOutput(resultOutput(step.result)).then(() => exec.end(true, Date.now())));
            }
            return;
          }
          const now = Date.now();
          // A cell output per batch would flood the renderer, and every output change makes the notebook dirty
          // (and snapshots it for backup): the cell shows the live message at most every 2 s, the status bar more often.
          if (!message || now - lastShown < 250) return;
          status.text = `$(sync~spin) CSI Workbench: ${current ?? spec.name}: ${message}`;
          if (now - lastCell < 2000) {
            lastShown = now;
            return;
          }
          lastCell = now;
          lastShown = now;
          const cell = current ? byStep.get(current) : undefined;
          if (cell)
            void execOf(cell).replaceOutput(
              new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(`⏳ ${current}: ${message}`)]),
            );
        },
        cancel.signal,
        upTo,
      );
      await Promise.all(early);
      for (const [id, cell] of byStep) {
        if (ended.has(cell)) continue;
        const exec = execOf(cell);
        await exec.replaceOutput(resultOutput(res.results.find(r => r.id === id)));
        exec.end(true, Date.now());
      }
      return true;
    } catch (e) {
      await Promise.allSettled(early);
      const failed = current && !done.has(current) ? current : target;
      this.log.warn(`${path.basename(nb.uri.fsPath)} step "${failed}": ${e instanceof Error ? e.message : String(e)}`);
      for (const [id, cell] of byStep) {
        if (id === failed || !done.has(id) || ended.has(cell)) continue;
        const exec = execOf(cell);
        await exec.replaceOutput(
          new vscode.NotebookCellOutput([
            vscode.NotebookCellOutputItem.text(`${id}: done in ${done.get(id)!.toFixed(1)} s; the run stopped at step "${failed}"`),
          ]),
        );
        exec.end(true, Date.now());
      }
      return fail(byStep.get(failed) ?? last, describeFailure(e, failed, this.lastRun?.runDir));
    } finally {
      status.dispose();
    }
  }

  dispose(): void {
    this.cancelAll();
    this.controller.dispose();
    this.onDidRunEmitter.dispose();
    this.onProgressEmitter.dispose();
  }
}

/** A step result as cell output: the renderer's JSON and a plain-text fallback. */
function resultOutput(r: StepResultView | undefined): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput([
    ...(r ? [vscode.NotebookCellOutputItem.json(r, RESULT_MIME)] : []),
    vscode.NotebookCellOutputItem.text(summaryText(r)),
  ]);
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
