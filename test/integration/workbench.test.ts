// The experiment workbench in a real VS Code extension host: synthetic data from the simulator command, a notebook
// from the template, the whole pipeline run through the notebook controller in the worker, the comparison panel
// checked against the run store, a run cancelled mid-epoch and resumed, and the worker killed mid-run and resumed.
// Everything uses the smallest settings that still train (36 samples, 3 classes, a 1-block teacher).
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { RESULT_MIME } from '../../src/core/experiment/notebookFile';
import type { RunMetrics } from '../../src/core/experiment/runner';
import type { CsiWorkbenchApi } from '../../src/extension/extension';
import { FAILURE_MIME } from '../../src/extension/notebook/controller';
import type { ComparisonView, StepFailureView, StepResultView, TrainingProgressView } from '../../src/shared/experimentView';
import { screenshot } from './hostHooks';

const EXT_ID = 'csi-workbench.csi-workbench';
const ws = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const dir = () => path.join(ws(), 'wb');
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function api(): Promise<CsiWorkbenchApi> {
  const ext = vscode.extensions.getExtension<CsiWorkbenchApi>(EXT_ID);
  assert.ok(ext);
  return ext.activate();
}

function outputOf<T>(cell: vscode.NotebookCell, mime: string): T | undefined {
  for (const o of cell.outputs) for (const it of o.items) if (it.mime === mime) return JSON.parse(new TextDecoder().decode(it.data)) as T;
  return undefined;
}

/** Replace a step cell's JSON (the cell whose "id" is `id`) through a workspace edit, like a user typing. */
async function editStep(
  nb: vscode.NotebookDocument,
  id: string,
  patch: (s: Record<string, unknown>) => void,
): Promise<vscode.NotebookCell> {
  const cell = nb
    .getCells()
    .find(c => c.kind === vscode.NotebookCellKind.Code && (JSON.parse(c.document.getText()) as { id: string }).id === id);
  assert.ok(cell, `a "${id}" cell`);
  const s = JSON.parse(cell.document.getText()) as Record<string, unknown>;
  patch(s);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(cell.document.uri, new vscode.Range(0, 0, cell.document.lineCount, 0), JSON.stringify(s, null, 2));
  assert.ok(await vscode.workspace.applyEdit(edit));
  return cell;
}

async function runCell(nb: vscode.NotebookDocument, cell: vscode.NotebookCell): Promise<void> {
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: nb.uri });
}

/** Epochs reported by the worker for `model` while `body` runs. */
async function watchEpochs(a: CsiWorkbenchApi, model: string, body: (epochs: number[]) => Promise<void>): Promise<number[]> {
  const epochs: number[] = [];
  const orig = a.workbench.training.update.bind(a.workbench.training);
  a.workbench.training.update = (p: TrainingProgressView) => {
    if (p.model === model && p.kind === 'epoch') epochs.push(p.epoch);
    orig(p);
  };
  try {
    await body(epochs);
  } finally {
    a.workbench.training.update = orig;
  }
  return epochs;
}

describe('experiment workbench (notebook, worker, panels, run store)', function () {
  this.timeout(240000);
  let nb: vscode.NotebookDocument;
  let runDir: string;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(`failed-wb-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  it('generates a tiny synthetic dataset with the command (worker, progress)', async () => {
    const r = await vscode.commands.executeCommand<{ outDir: string; samples: number }>('csiWorkbench.generateSyntheticDataset', {
      preset: 'small',
      outDir: path.join(dir(), 'synthetic'),
      seed: 3,
      domains: { gestures: [1, 2, 3], users: [1, 2], orientations: [1, 3, 5], locations: [1, 5] },
    });
    assert.equal(r?.samples, 36, '3 gestures × 2 users × 3 orientations × 2 locations');
  });

  it('creates an experiment from the template and runs it: every cell shows results', async () => {
    const a = await api();
    const file = path.join(dir(), 'exp.csiexp');
    const editor = await vscode.commands.executeCommand<vscode.NotebookEditor>('csiWorkbench.newExperiment', {
      template: 'glsda.csiexp',
      file,
    });
    nb = editor.notebook;
    assert.equal(nb.notebookType, 'csi-workbench-experiment');
    assert.ok(
      nb.getCells().some(c => c.kind === vscode.NotebookCellKind.Markup),
      'markdown cells survive',
    );
    const tiny = { epochs: 2, batchSize: 8, learningRate: 0.003, warmupEpochs: 0 };
    await editStep(nb, 'features', s => {
      s.timeSteps = 32;
    });
    await editStep(nb, 'teacher', s => {
      Object.assign(s, { branchFilters: 8, dModel: 16, heads: 2, ffn: 32, blocks: 1, kernels: [3, 5], train: tiny });
    });
    await editStep(nb, 'student', s => {
      Object.assign(s, { filters: [4, 8], train: tiny });
    });
    await editStep(nb, 'evaluate', s => {
      s.latencyRepeats = 3;
    });
    const ok = await vscode.commands.executeCommand<boolean>('csiWorkbench.runExperiment');
    const failures = nb
      .getCells()
      .map(c => outputOf<StepFailureView>(c, FAILURE_MIME))
      .filter(Boolean);
    assert.deepEqual(failures, [], 'no cell failed');
    assert.equal(ok, true, JSON.stringify(nb.getCells().map(c => c.executionSummary)));
    const results = nb
      .getCells()
      .filter(c => c.kind === vscode.NotebookCellKind.Code)
      .map(c => outputOf<StepResultView>(c, RESULT_MIME));
    assert.deepEqual(
      results.map(r => r?.type),
      ['dataset', 'features', 'prior', 'teacher', 'student', 'evaluate', 'compare'],
    );
    const cmp = results[6]!;
    runDir = cmp.runDir;
    const m = JSON.parse(fs.readFileSync(path.join(runDir, 'metrics.json'), 'utf8')) as RunMetrics;
    assert.equal(m.status, 'done');
    assert.deepEqual(
      cmp.tables![0].rows.map(r => r[0]),
      ['teacher', 'student'],
    );
    assert.equal(cmp.tables![0].rows[0][4], m.evaluations.teacher.params, 'the notebook table shows the stored parameter count');
    assert.equal(a.workbench.controller.lastRun?.runDir, runDir);
    // Re-running the student cell reuses the teacher (same content hash, restored from its final checkpoint).
    const student = nb.getCells().find(c => outputOf<StepResultView>(c, RESULT_MIME)?.type === 'student')!;
    await editStep(nb, 'student', s => {
      s.temperature = 2;
    });
    await runCell(nb, student);
    const m2 = JSON.parse(fs.readFileSync(path.join(a.workbench.controller.lastRun!.runDir, 'metrics.json'), 'utf8')) as RunMetrics;
    assert.equal(m2.steps.find(s => s.id === 'teacher')?.reused, true, 'teacher reused after a student-only edit');
    assert.equal(m2.steps.find(s => s.id === 'student')?.reused, false);
    await vscode.commands.executeCommand('notebook.focusBottom');
    await sleep(1500);
    await screenshot('wb-01-notebook-outputs');
    await vscode.workspace.save(nb.uri);
    const saved = fs.readFileSync(file, 'utf8');
    assert.ok(saved.includes(RESULT_MIME), 'outputs persist in the file');
  });

  it('the comparison panel shows exactly the run store numbers', async () => {
    const a = await api();
    const m = JSON.parse(fs.readFileSync(path.join(runDir, 'metrics.json'), 'utf8')) as RunMetrics;
    const rendered = new Promise<Record<string, string>>(r => {
      const sub = a.workbench.compare.onDidRender(e => {
        sub.dispose();
        r(e.dom);
      });
    });
    const v = await vscode.commands.executeCommand<ComparisonView>('csiWorkbench.compareRuns', {
      a: { runDir, model: 'teacher' },
      b: { runDir, model: 'student' },
    });
    const dom = await Promise.race([
      rendered,
      sleep(20000).then(() => {
        throw new Error('comparison panel did not render');
      }),
    ]);
    for (const [side, k] of [
      ['a', 'teacher'],
      ['b', 'student'],
    ] as const) {
      const e = m.evaluations[k];
      assert.equal(v[side].params, e.params);
      assert.equal(v[side].sizeBytes, e.sizeBytes);
      assert.equal(v[side].flops, e.flops);
      assert.equal(v[side].latencyMs, e.latencyMs);
      assert.deepEqual(v[side].confusion?.matrix, e.confusion);
      assert.deepEqual(Object.values(v[side].accuracy), [e.accuracy]);
    }
    // What the page shows (cell texts read from its DOM).
    const acc = Object.keys(v.a.accuracy)[0];
    assert.equal(dom['a.params'], m.evaluations.teacher.params.toLocaleString('en-US'));
    assert.equal(dom['b.params'], m.evaluations.student.params.toLocaleString('en-US'));
    assert.equal(dom[`a.accuracy.${acc}`], `${(100 * m.evaluations.teacher.accuracy).toFixed(1)} %`);
    assert.equal(dom[`b.accuracy.${acc}`], `${(100 * m.evaluations.student.accuracy).toFixed(1)} %`);
    assert.equal(dom['b.latencyMs'], `${m.evaluations.student.latencyMs.toFixed(2)} ms`);
    assert.equal(dom['a.sizeBytes'], `${(m.evaluations.teacher.sizeBytes / 1024).toFixed(1)} kB`);
    await sleep(1000);
    await screenshot('wb-02-compare-panel');
  });

  it('cancels a run mid-epoch, and running the cell again resumes after the last complete epoch', async () => {
    const a = await api();
    const teacher = await editStep(nb, 'teacher', s => {
      (s.train as Record<string, unknown>).epochs = 40;
      (s.train as Record<string, unknown>).batchSize = 2;
    });
    const first = await watchEpochs(a, 'teacher', async epochs => {
      const run = runCell(nb, teacher);
      while (epochs.length < 2) await sleep(50);
      await vscode.commands.executeCommand('csiWorkbench.cancelRun');
      await run;
    });
    const f = outputOf<StepFailureView>(teacher, FAILURE_MIME);
    assert.equal(f?.code, 'cancelled', 'the cell says it was cancelled');
    assert.equal(f?.resumable, true);
    const done = Math.max(...first);
    assert.ok(done < 40, 'stopped before the end');
    const second = await watchEpochs(a, 'teacher', () => runCell(nb, teacher));
    assert.ok(second.length > 0 && second[0] > 1 && second[0] <= done + 1, `resumed at epoch ${second[0]} after ${done} complete epochs`);
    assert.equal(second[second.length - 1], 40);
    assert.equal(outputOf<StepResultView>(teacher, RESULT_MIME)?.type, 'teacher');
  });

  it('killing the worker mid-run loses at most the current epoch, and the cell says what happened', async () => {
    const a = await api();
    const teacher = await editStep(nb, 'teacher', s => {
      (s.train as Record<string, unknown>).epochs = 41;
    });
    const first = await watchEpochs(a, 'teacher', async epochs => {
      const run = runCell(nb, teacher);
      while (epochs.length < 2) await sleep(50);
      await a.worker.dispose(); // the worker thread is terminated, as if it crashed
      await run;
    });
    const f = outputOf<StepFailureView>(teacher, FAILURE_MIME);
    assert.equal(f?.code, 'worker-stopped');
    assert.match(f!.message, /resume/);
    const ed = await vscode.window.showNotebookDocument(nb);
    ed.revealRange(new vscode.NotebookRange(teacher.index, teacher.index + 1), vscode.NotebookEditorRevealType.AtTop);
    await sleep(1500);
    await screenshot('wb-03-worker-stopped');
    const done = Math.max(...first);
    const second = await watchEpochs(a, 'teacher', () => runCell(nb, teacher));
    assert.ok(second[0] > 1 && second[0] <= done + 1, `a fresh worker resumed at epoch ${second[0]} after ${done} complete epochs`);
    await vscode.commands.executeCommand('csiWorkbench.showTraining');
    await sleep(1500);
    await screenshot('wb-04-training-panel');
  });

  it('step cells are checked against the experiment schema as the user types', async () => {
    const ed = await vscode.window.showNotebookDocument(nb);
    const cell = await editStep(nb, 'compare', s => {
      s.bogusOption = 1;
    });
    ed.revealRange(new vscode.NotebookRange(cell.index, cell.index + 1), vscode.NotebookEditorRevealType.InCenter);
    let diags: vscode.Diagnostic[] = [];
    for (let i = 0; i < 60 && !diags.length; i++) {
      await sleep(250);
      diags = vscode.languages.getDiagnostics(cell.document.uri);
    }
    const mine = diags.find(d => /unknown property "bogusOption"/.test(d.message));
    assert.ok(mine, `schema diagnostics: ${diags.map(d => d.message).join('; ')}`);
    assert.equal(cell.document.getText(mine.range), '"bogusOption"');
    await screenshot('wb-06-schema-diagnostic');
    await editStep(nb, 'compare', s => {
      delete s.bogusOption;
    });
    for (let i = 0; i < 20 && vscode.languages.getDiagnostics(cell.document.uri).some(d => d.source === 'experiment schema'); i++)
      await sleep(100);
    assert.deepEqual(
      vscode.languages.getDiagnostics(cell.document.uri).filter(d => d.source === 'experiment schema'),
      [],
    );
  });

  it('lists the runs in the run-history view', async () => {
    const a = await api();
    const items = a.workbench.runHistory.getChildren();
    assert.ok(items.length >= 4, `${items.length} runs listed`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('csiWorkbench.openRunHistory');
    await sleep(2500);
    await screenshot('wb-05-run-history');
  });
});
