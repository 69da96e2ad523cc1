// The experiment workbench's commands (category "CSI Workbench") and registerWorkbench(), which wires the notebook
// type, its controller, the panels and the run-history view into the extension. Long work runs in the worker
// with a progress notification (Cancel) and a status-bar item.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunMetrics } from '../../core/experiment/runner';
import type { DomainGrid, SimPreset } from '../../core/sim/dataset';
import type { ComparisonView, ModelRef } from '../../shared/experimentView';
import { WorkerTaskError, type WorkerClient } from '../../worker/workerClient';
import { ExperimentController, UNTRUSTED_MESSAGE } from '../notebook/controller';
import { ExperimentNotebookSerializer, NOTEBOOK_TYPE } from '../notebook/serializer';
import { registerCellDiagnostics } from '../notebook/cellDiagnostics';
import { ComparePanel } from '../panels/comparePanel';
import { TrainingPanel } from '../panels/trainingPanel';
import { listRunDirs, readMetrics, RUN_HISTORY_VIEW, RunHistoryProvider, RunItem, runLabel } from '../runs/runHistory';
import { runWithProgress } from '../workerTask';
import { exportStudent, evaluateOnFolder } from './savedRunCommands';

/** What registerWorkbench hands back (part of the extension's test API). */
export interface Workbench {
  controller: ExperimentController;
  training: TrainingPanel;
  compare: ComparePanel;
  runHistory: RunHistoryProvider;
}

/** Templates ship in dist/templates (the .vsix holds dist/ only); a development host falls back to the sources. */
function templatesDir(ext: vscode.Uri): string {
  const shipped = path.join(ext.fsPath, 'dist', 'templates');
  return fs.existsSync(shipped) ? shipped : path.join(ext.fsPath, 'experiments', 'templates');
}

/** "New Experiment": copy a template into the workspace and open it. Args let tests skip the pickers. */
async function newExperiment(ext: vscode.Uri, args?: { template?: string; file?: string }): Promise<vscode.NotebookEditor | undefined> {
  const templates = fs.readdirSync(templatesDir(ext)).filter(f => f.endsWith('.csiexp'));
  let template = args?.template;
  if (!template) {
    const pick = await vscode.window.showQuickPick(
      templates.map(t => ({ label: t.replace(/\.csiexp$/, ''), description: t })),
      { title: 'New experiment from template' },
    );
    if (!pick) return undefined;
    template = pick.description;
  }
  if (!template || !templates.includes(template)) throw new Error(`no template "${template}" (have ${templates.join(', ')})`);
  let target = args?.file ? vscode.Uri.file(args.file) : undefined;
  if (!target) {
    const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
    target = await vscode.window.showSaveDialog({
      defaultUri: ws ? vscode.Uri.joinPath(ws, 'experiment.csiexp') : undefined,
      filters: { 'Experiment notebook': ['csiexp'] },
      title: 'Save the new experiment as',
    });
    if (!target) return undefined;
  }
  await vscode.workspace.fs.writeFile(target, fs.readFileSync(path.join(templatesDir(ext), template)));
  const doc = await vscode.workspace.openNotebookDocument(target);
  return vscode.window.showNotebookDocument(doc);
}

async function activeOrPickNotebook(): Promise<vscode.NotebookDocument | undefined> {
  const active = vscode.window.activeNotebookEditor?.notebook;
  if (active?.notebookType === NOTEBOOK_TYPE) return active;
  const open = vscode.workspace.notebookDocuments.find(n => n.notebookType === NOTEBOOK_TYPE);
  if (open) return open;
  const files = await vscode.workspace.findFiles('**/*.csiexp', '**/node_modules/**', 50);
  if (!files.length) {
    void vscode.window.showWarningMessage('No experiment notebook (*.csiexp) here: use "CSI Workbench: New Experiment" first.');
    return undefined;
  }
  const pick =
    files.length === 1
      ? { uri: files[0] }
      : await vscode.window.showQuickPick(
          files.map(uri => ({ label: vscode.workspace.asRelativePath(uri), uri })),
          { title: 'Experiment notebook' },
        );
  return pick ? vscode.workspace.openNotebookDocument(pick.uri) : undefined;
}

/**
 * Run cells of a notebook (all of them, or the first cell of a step type) through the notebook's own execution, so
 * outputs land in the cells, under a progress notification whose Cancel stops the run.
 */
async function runCells(ctrl: ExperimentController, title: string, type?: 'teacher' | 'student'): Promise<boolean> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE);
    return false;
  }
  const nb = await activeOrPickNotebook();
  if (!nb) return false;
  const editor = await vscode.window.showNotebookDocument(nb);
  await vscode.commands.executeCommand('notebook.selectKernel', {
    notebookEditor: editor,
    id: ctrl.controller.id,
    extension: 'csi-workbench.csi-workbench',
  });
  let ranges: vscode.NotebookRange[];
  if (type) {
    const cell = nb
      .getCells()
      .find(c => c.kind === vscode.NotebookCellKind.Code && /"type"\s*:\s*"(\w+)"/.exec(c.document.getText())?.[1] === type);
    if (!cell) {
      void vscode.window.showWarningMessage(`${path.basename(nb.uri.fsPath)} has no "${type}" step.`);
      return false;
    }
    ranges = [new vscode.NotebookRange(cell.index, cell.index + 1)];
  } else ranges = [new vscode.NotebookRange(0, nb.cellCount)];
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => ctrl.cancelAll());
      let last = 0;
      const sub = ctrl.onProgress(p => {
        const inc = p.fraction !== undefined ? Math.max(0, p.fraction - last) * 100 : undefined;
        if (p.fraction !== undefined) last = p.fraction;
        progress.report({ message: p.message, increment: inc });
      });
      try {
        await vscode.commands.executeCommand('notebook.cell.execute', {
          ranges: ranges.map(r => ({ start: r.start, end: r.end })),
          document: nb.uri,
        });
      } finally {
        sub.dispose();
      }
      const cells = nb
        .getCells()
        .slice(ranges[0].start, ranges[ranges.length - 1].end)
        .filter(c => c.kind === vscode.NotebookCellKind.Code);
      return cells.every(c => c.executionSummary?.success === true);
    },
  );
}

/** Every evaluated model of every run, for pickers (one entry per model of a run: a notebook run is one run). */
export function evaluatedModels(): { ref: ModelRef; label: string; description: string }[] {
  const out: { ref: ModelRef; label: string; description: string }[] = [];
  for (const d of listRunDirs()) {
    const m = readMetrics(d);
    for (const [k, e] of Object.entries(m?.evaluations ?? {}))
      out.push({
        ref: { runDir: d, model: k },
        label: `${k} — ${m ? runLabel(d, m) : path.basename(d)}`,
        description: `${(100 * e.accuracy).toFixed(1)} %, ${e.params} params · ${path.basename(d)}`,
      });
  }
  return out;
}

/** Teacher and student of a run: the compare step's first two models, else the first two evaluated. */
export function defaultPair(runDir: string, m: RunMetrics): [ModelRef, ModelRef] | undefined {
  const names = m.table.length >= 2 ? m.table.map(r => r.model) : Object.keys(m.evaluations);
  return names.length >= 2
    ? [
        { runDir, model: names[0] },
        { runDir, model: names[1] },
      ]
    : undefined;
}

async function compareRuns(panel: ComparePanel, args?: { a: ModelRef; b: ModelRef } | RunItem): Promise<ComparisonView | undefined> {
  if (args instanceof RunItem) {
    const pair = args.metrics && defaultPair(args.runDir, args.metrics);
    if (!pair) {
      void vscode.window.showWarningMessage(`${path.basename(args.runDir)} has fewer than two evaluated models.`);
      return undefined;
    }
    return panel.show(pair[0], pair[1]);
  }
  if (args?.a && args.b) return panel.show(args.a, args.b);
  const models = evaluatedModels();
  if (models.length < 2) {
    void vscode.window.showWarningMessage(
      'Compare needs two evaluated models in the run history (run an experiment with an evaluate step).',
    );
    return undefined;
  }
  const a = await vscode.window.showQuickPick(models, { title: 'Compare: first model (A)' });
  if (!a) return undefined;
  const b = await vscode.window.showQuickPick(
    models.filter(x => x !== a),
    { title: 'Compare: second model (B)' },
  );
  if (!b) return undefined;
  return panel.show(a.ref, b.ref);
}

async function generateDataset(
  worker: WorkerClient,
  log: vscode.LogOutputChannel,
  args?: { preset?: SimPreset; outDir?: string; seed?: number; domains?: Partial<DomainGrid> },
): Promise<{ outDir: string; samples: number } | undefined> {
  let preset = args?.preset;
  if (!preset) {
    const pick = await vscode.window.showQuickPick(
      [
        {
          label: 'small',
          description: '9 samples: every gesture once, one room/user/location/orientation (seconds; too few to train on)',
          preset: 'small' as const,
        },
        {
          label: 'workbench',
          description: '108 samples: 2 users × 2 locations × 3 orientations, what the example notebook runs on (under a minute)',
          preset: 'workbench' as const,
        },
        {
          label: 'default',
          description: '486 samples: 3 rooms × 3 users × 2 locations × 3 orientations (minutes)',
          preset: 'default' as const,
        },
        { label: 'full', description: '4050 samples: 3 rooms × 6 users × 5 locations × 5 orientations (long)', preset: 'full' as const },
      ],
      { title: 'Synthetic dataset size and domains' },
    );
    if (!pick) return undefined;
    preset = pick.preset;
  }
  let outDir = args?.outDir;
  if (!outDir) {
    const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
    const pick = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      defaultUri: ws,
      openLabel: 'Generate here',
      title: 'Folder for the synthetic dataset (a "synthetic" folder is created in it)',
    });
    if (!pick?.[0]) return undefined;
    outDir = path.join(pick[0].fsPath, 'synthetic');
  }
  try {
    const r = await runWithProgress(worker, `Generating synthetic dataset (${preset})`, 'experimentSimulate', {
      outDir,
      seed: args?.seed ?? 1,
      preset,
      domains: args?.domains,
    });
    log.info(`simulate: ${r.samples} samples → ${r.outDir}`);
    void vscode.window.showInformationMessage(`Synthetic dataset: ${r.samples} samples × 6 receivers in ${r.outDir}`);
    return r;
  } catch (e) {
    if (e instanceof WorkerTaskError && e.code === 'cancelled') {
      void vscode.window.showInformationMessage('Dataset generation cancelled (files written so far stay; no manifest).');
      return undefined;
    }
    void vscode.window.showErrorMessage(`Cannot generate the dataset: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

export function registerWorkbench(context: vscode.ExtensionContext, worker: WorkerClient, log: vscode.LogOutputChannel): Workbench {
  const ext = context.extensionUri;
  const training = new TrainingPanel(ext);
  const compare = new ComparePanel(ext, worker);
  const controller = new ExperimentController(worker, log, training);
  const runHistory = new RunHistoryProvider(() => controller.busy);
  controller.onDidRun(res => {
    runHistory.refresh();
    // A run that reached a compare step ends in the comparison panel (its numbers read from the run store).
    if (!res.results.some(r => r.type === 'compare')) return;
    const m = readMetrics(res.runDir),
      pair = m && defaultPair(res.runDir, m);
    if (pair) compare.show(pair[0], pair[1]).catch(e => log.warn(`comparison panel: ${e instanceof Error ? e.message : String(e)}`));
  });
  const cmd = (id: string, fn: (...a: never[]) => unknown) => vscode.commands.registerCommand(`csiWorkbench.${id}`, fn);
  context.subscriptions.push(
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new ExperimentNotebookSerializer(), { transientOutputs: false }),
    controller,
    training,
    compare,
    runHistory,
    registerCellDiagnostics(),
    vscode.window.registerTreeDataProvider(RUN_HISTORY_VIEW, runHistory),
    cmd('newExperiment', (args?: { template?: string; file?: string }) => newExperiment(ext, args)),
    cmd('runExperiment', () => runCells(controller, 'Running the experiment')),
    cmd('trainTeacher', () => runCells(controller, 'Training the teacher', 'teacher')),
    cmd('distillStudent', () => runCells(controller, 'Distilling the student', 'student')),
    cmd('evaluateOnFolder', (args?: { runDir?: string; folder?: string; models?: string[] } | RunItem) =>
      evaluateOnFolder(worker, controller, runHistory, compare, args),
    ),
    cmd('compareRuns', (args?: { a: ModelRef; b: ModelRef } | RunItem) => compareRuns(compare, args)),
    cmd('openRunHistory', () => vscode.commands.executeCommand(`${RUN_HISTORY_VIEW}.focus`)),
    cmd('refreshRunHistory', () => runHistory.refresh()),
    cmd('cancelRun', () => {
      const n = controller.cancelAll();
      void vscode.window.showInformationMessage(
        n ? 'Cancelling: the run stops after the current batch; completed epochs stay checkpointed.' : 'No experiment is running.',
      );
      return n;
    }),
    cmd('showTraining', () => training.show(false)),
    cmd('generateSyntheticDataset', (args?: { preset?: SimPreset; outDir?: string; seed?: number; domains?: Partial<DomainGrid> }) =>
      generateDataset(worker, log, args),
    ),
    cmd('exportStudent', (args?: { runDir?: string; to?: string }) => exportStudent(controller, args)),
  );
  return { controller, training, compare, runHistory };
}
