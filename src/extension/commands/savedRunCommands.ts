// Commands on a run's saved models: Export Student… (tfjs layers model + ONNX) and Evaluate on Folder… (the saved
// models measured on another folder, as a new run).
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { EvaluateSavedResult } from '../../shared/experimentView';
import { WorkerTaskError, type WorkerClient } from '../../worker/workerClient';
import { ExperimentController, UNTRUSTED_MESSAGE } from '../notebook/controller';
import { ComparePanel } from '../panels/comparePanel';
import { listRunDirs, readMetrics, RunHistoryProvider, RunItem } from '../runs/runHistory';
import { runWithProgress } from '../workerTask';

export async function exportStudent(ctrl: ExperimentController, args?: { runDir?: string; to?: string }): Promise<string | undefined> {
  const candidates = listRunDirs().flatMap(d => {
    const art = path.join(d, 'artifacts');
    let names: string[] = [];
    try {
      names = fs.readdirSync(art).filter(n => fs.existsSync(path.join(art, n, 'model.json')));
    } catch {
      /* no artifacts */
    }
    return names.map(n => ({ label: `${n} — ${path.basename(d)}`, dir: path.join(art, n), runDir: d }));
  });
  const wanted = args?.runDir ?? ctrl.lastRun?.runDir;
  let pick = candidates.find(c => c.runDir === wanted);
  if (!pick && !args?.runDir) pick = await vscode.window.showQuickPick(candidates, { title: 'Export which student?' });
  if (!pick) {
    if (!candidates.length)
      void vscode.window.showWarningMessage('No exported student in the run history yet (run a student step with "export": true).');
    return undefined;
  }
  let to = args?.to;
  if (!to) {
    const t = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      openLabel: 'Export here',
      title: 'Export the student (tfjs layers model and ONNX) to',
    });
    if (!t?.[0]) return undefined;
    to = path.join(t[0].fsPath, `student-${path.basename(pick.runDir)}`);
  }
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(pick.dir)) fs.copyFileSync(path.join(pick.dir, f), path.join(to, f));
  void vscode.window.showInformationMessage(`Student exported to ${to} (tfjs layers model: model.json + weights.bin; ONNX: model.onnx).`);
  return to;
}

/** Runs whose models can be evaluated again: experiment runs (with a spec) that evaluated at least one model. */
export function runsWithSavedModels(): { label: string; description: string; runDir: string }[] {
  return listRunDirs().flatMap(d => {
    const m = readMetrics(d);
    if (!m || !Object.keys(m.evaluations).length || !fs.existsSync(path.join(d, 'spec.json'))) return [];
    return [
      {
        label: path.basename(d),
        description: Object.entries(m.evaluations)
          .map(([k, e]) => `${k} ${(100 * e.accuracy).toFixed(1)} %`)
          .join(', '),
        runDir: d,
      },
    ];
  });
}

/**
 * "Evaluate on Folder…": the saved models of a run (its final checkpoints, or the exported student) measured on a
 * folder of labelled recordings, in the worker, without training. The result is a new run in the run history;
 * with two models it offers the comparison (agreement, McNemar) on the folder. Args let tests skip the pickers.
 */
export async function evaluateOnFolder(
  worker: WorkerClient,
  ctrl: ExperimentController,
  runHistory: RunHistoryProvider,
  compare: ComparePanel,
  args?: { runDir?: string; folder?: string; models?: string[] } | RunItem,
): Promise<EvaluateSavedResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE);
    return undefined;
  }
  const a = args instanceof RunItem ? { runDir: args.runDir } : (args ?? {});
  let runDir = a.runDir;
  if (!runDir) {
    const runs = runsWithSavedModels();
    if (!runs.length) {
      void vscode.window.showWarningMessage(
        'No run with evaluated models yet: run an experiment with teacher/student and evaluate steps first.',
      );
      return undefined;
    }
    const last = ctrl.lastRun?.runDir;
    runs.sort((x, y) => Number(y.runDir === last) - Number(x.runDir === last));
    const pick =
      runs.length === 1 ? runs[0] : await vscode.window.showQuickPick(runs, { title: 'Evaluate the saved models of which run?' });
    if (!pick) return undefined;
    runDir = pick.runDir;
  }
  let folder = a.folder;
  if (!folder) {
    const f = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      openLabel: 'Evaluate on this folder',
      title: 'Folder of labelled recordings',
    });
    if (!f?.[0]) return undefined;
    folder = f[0].fsPath;
  }
  // The run store's workspace: <workspace>/.csi-workbench/runs/<id>.
  const workspace = path.resolve(runDir, '..', '..', '..');
  try {
    const r = await runWithProgress(worker, `Evaluating ${path.basename(runDir)} on ${path.basename(folder)}`, 'experimentEvaluateSaved', {
      workspace,
      runDir,
      folder,
      models: a.models,
    });
    runHistory.refresh();
    const models = Object.keys(r.accuracy);
    const text = `On ${path.basename(folder)} (${r.samples} samples): ${models.map(k => `${k} ${(100 * r.accuracy[k]).toFixed(1)} %`).join(', ')}`;
    if (models.length >= 2 && !args) {
      void vscode.window.showInformationMessage(text, 'Compare').then(c => {
        if (c) void compare.show({ runDir: r.runDir, model: models[0] }, { runDir: r.runDir, model: models[1] });
      });
    } else void vscode.window.showInformationMessage(text);
    return r;
  } catch (e) {
    if (e instanceof WorkerTaskError && e.code === 'cancelled') {
      void vscode.window.showInformationMessage('Evaluation cancelled.');
      return undefined;
    }
    void vscode.window.showErrorMessage(`Evaluation failed: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}
