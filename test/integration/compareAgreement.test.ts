// The comparison panel in the real host shows the paired numbers computed from two runs' stored per-sample
// predictions: agreement, the 2×2 correct/incorrect contingency and McNemar's p. The run store is hand-built
// (test/helpers/pairedRunStore.ts) with counts known by design, so no training is needed here.
import * as assert from 'assert/strict';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CsiWorkbenchApi } from '../../src/extension/extension';
import type { ComparisonView } from '../../src/shared/experimentView';
import { PAIRED_EXPECTED, writePairedRunStore } from '../helpers/pairedRunStore';
import { screenshot } from './hostHooks';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('comparison panel: agreement and McNemar from stored predictions', function () {
  this.timeout(60000);

  it('shows the contingency, agreement and McNemar p of two runs', async () => {
    const ext = vscode.extensions.getExtension<CsiWorkbenchApi>('csi-workbench.csi-workbench');
    assert.ok(ext);
    const api = await ext.activate();
    const runs = writePairedRunStore(path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'paired'));
    const rendered = new Promise<Record<string, string>>(r => {
      const sub = api.workbench.compare.onDidRender(e => {
        sub.dispose();
        r(e.dom);
      });
    });
    const v = await vscode.commands.executeCommand<ComparisonView>('csiWorkbench.compareRuns', {
      a: { runDir: runs.runA, model: 'teacher' },
      b: { runDir: runs.runB, model: 'student' },
    });
    const dom = await Promise.race([
      rendered,
      sleep(20000).then(() => {
        throw new Error('comparison panel did not render');
      }),
    ]);
    assert.equal(v.paired?.n, PAIRED_EXPECTED.n);
    assert.equal(dom['paired.bothRight'], String(PAIRED_EXPECTED.bothRight));
    assert.equal(dom['paired.onlyA'], String(PAIRED_EXPECTED.onlyA));
    assert.equal(dom['paired.onlyB'], String(PAIRED_EXPECTED.onlyB));
    assert.equal(dom['paired.bothWrong'], String(PAIRED_EXPECTED.bothWrong));
    assert.equal(dom['a.agreement'], `${(100 * PAIRED_EXPECTED.agreement).toFixed(1)} %`);
    assert.equal(dom['paired.mcnemarP'], PAIRED_EXPECTED.pValue.toPrecision(3));
    assert.match(dom['paired.mcnemarMethod'], /exact binomial, 8 discordant samples/);
    await sleep(800);
    await screenshot('wb-07-compare-agreement');
  });
});
