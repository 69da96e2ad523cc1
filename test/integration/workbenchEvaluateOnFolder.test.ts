// "Evaluate on Folder…" in the real host evaluates a trained run's saved teacher and student on a folder without
// training. It uses the run and the synthetic dataset that workbench.test.ts created (this file sorts after it, and
// the runner loads test files in name order). Independent expectation: on the samples the run tested, the same
// weights must predict exactly what the run stored; no step checkpoint is written; the comparison panel then shows
// the paired numbers on all of the folder's samples.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { readPredictions, type SamplePrediction } from '../../src/core/experiment/predictions';
import type { RunMetrics } from '../../src/core/experiment/runner';
import type { CsiWorkbenchApi } from '../../src/extension/extension';
import type { ComparisonView, EvaluateSavedResult } from '../../src/shared/experimentView';
import { screenshot } from './hostHooks';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function tree(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tree(p));
    else out.push(`${p} ${fs.statSync(p).mtimeMs}`);
  }
  return out.sort();
}

describe('Evaluate on Folder: saved models, no training', function () {
  this.timeout(120000);

  it("evaluates the trained run's checkpoints on the folder and reproduces its stored predictions", async () => {
    const ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const runs = path.join(ws, '.csi-workbench', 'runs');
    const trained = fs
      .readdirSync(runs)
      .sort()
      .map(d => path.join(runs, d))
      .find(d => {
        try {
          const m = JSON.parse(fs.readFileSync(path.join(d, 'metrics.json'), 'utf8')) as RunMetrics;
          // A run of workbench.test.ts's notebook (wb/exp.csiexp), trained on wb/synthetic (not the first-hour run).
          return (
            m.status === 'done' &&
            m.notebook?.startsWith('wb/') &&
            m.evaluations.teacher &&
            m.evaluations.student &&
            fs.existsSync(path.join(d, 'spec.json'))
          );
        } catch {
          return false;
        }
      });
    assert.ok(trained, 'workbench.test.ts left a finished run with an evaluated teacher and student');
    const folder = path.join(ws, 'wb', 'synthetic');
    const cache = path.join(ws, '.csi-workbench', 'cache', 'steps');
    const before = tree(cache);
    const r = await vscode.commands.executeCommand<EvaluateSavedResult>('csiWorkbench.evaluateOnFolder', {
      runDir: trained,
      folder,
      models: ['teacher', 'student'],
    });
    assert.ok(r, 'the command returned a result');
    assert.equal(r.samples, 36, 'every sample of the synthetic folder');
    assert.deepEqual(Object.keys(r.accuracy), ['teacher', 'student']);
    assert.deepEqual(tree(cache), before, 'no checkpoint written: nothing was trained');
    for (const m of ['teacher', 'student']) {
      const stored: SamplePrediction[] = (await readPredictions(trained!, m))!;
      const now = new Map((await readPredictions(r.runDir, m))!.map(x => [x.id, x]));
      assert.equal(now.size, 36);
      for (const s of stored) {
        assert.equal(now.get(s.id)?.pred, s.pred, `${m}: ${s.id}`);
        assert.ok(Math.abs(now.get(s.id)!.topProb - s.topProb) < 1e-4, `${m}: ${s.id} probability`);
      }
    }
    const a = await vscode.extensions.getExtension<CsiWorkbenchApi>('csi-workbench.csi-workbench')!.activate();
    assert.ok(
      a.workbench.runHistory.getChildren().some(n => 'runDir' in n && n.runDir === r.runDir),
      'the evaluation run is listed in the run history',
    );
    const v = await vscode.commands.executeCommand<ComparisonView>('csiWorkbench.compareRuns', {
      a: { runDir: r.runDir, model: 'teacher' },
      b: { runDir: r.runDir, model: 'student' },
    });
    assert.equal(v.paired?.n, 36);
    await sleep(1500);
    await screenshot('wb-09-evaluate-on-folder-compare');
  });

  it('Export Student… copies the trained student as a tfjs layers model and as ONNX', async () => {
    const ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const runs = path.join(ws, '.csi-workbench', 'runs');
    const trained = fs
      .readdirSync(runs)
      .sort()
      .map(d => path.join(runs, d))
      .find(d => fs.existsSync(path.join(d, 'artifacts', 'student', 'model.onnx')));
    assert.ok(trained, 'a run with an exported student');
    const to = path.join(ws, 'exported-student');
    const r = await vscode.commands.executeCommand<string>('csiWorkbench.exportStudent', { runDir: trained, to });
    assert.equal(r, to);
    for (const f of ['model.json', 'weights.bin', 'model.onnx']) {
      assert.deepEqual(fs.readFileSync(path.join(to, f)), fs.readFileSync(path.join(trained!, 'artifacts', 'student', f)), f);
    }
    // ModelProto field 1 (ir_version, varint) = 8 opens the file; the producer name follows.
    const onnx = fs.readFileSync(path.join(to, 'model.onnx'));
    assert.deepEqual([...onnx.subarray(0, 2)], [0x08, 0x08]);
    assert.ok(onnx.includes(Buffer.from('csi-workbench')));
  });
});
