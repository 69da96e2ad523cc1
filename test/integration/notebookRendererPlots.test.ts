// The notebook renderer draws plotly charts in the real host after plotly stopped being bundled into it: it loads
// the shared dist/webview/plotly.min.js at run time. A notebook with a persisted evaluate output (no training) is
// opened and the output webview is checked for a plotly graph and the result table.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { NOTEBOOK_FORMAT, RESULT_MIME } from '../../src/core/experiment/notebookFile';
import type { StepResultView } from '../../src/shared/experimentView';
import { inHarness, screenshot, webviewText } from './hostHooks';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('notebook renderer: charts from the shared plotly asset', function () {
  this.timeout(90000);

  it('renders a persisted result with plotly charts and its table', async () => {
    const result: StepResultView = {
      id: 'eval',
      type: 'evaluate',
      hash: 'h',
      reused: false,
      seconds: 1,
      runId: 'r',
      runDir: '/nowhere',
      summary: 'teacher 83.3 %, student 63.3 %',
      tables: [
        {
          title: 'test results',
          columns: ['model', 'accuracy %'],
          rows: [
            ['teacher', 83.3],
            ['student', 63.3],
          ],
        },
      ],
      confusions: [
        {
          title: 'teacher: confusion (rows true, columns predicted)',
          labels: ['push', 'pull', 'clap'],
          matrix: [
            [9, 1, 0],
            [0, 8, 2],
            [2, 0, 8],
          ],
        },
      ],
    };
    const file = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'renderer-plots.csiexp');
    fs.writeFileSync(
      file,
      JSON.stringify(
        {
          format: NOTEBOOK_FORMAT,
          metadata: { name: 'renderer' },
          cells: [
            {
              kind: 'step',
              source: JSON.stringify({ id: 'eval', type: 'evaluate' }, null, 2),
              outputs: [[{ mime: RESULT_MIME, data: result }]],
              execution: { success: true },
            },
          ],
        },
        null,
        1,
      ),
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await vscode.window.showNotebookDocument(nb);
    assert.equal(nb.cellAt(0).outputs[0].items[0].mime, RESULT_MIME);
    if (!inHarness) return; // the output webview's DOM is only readable through the code-server harness
    let plot: string | null = null,
      table: string | null = null;
    for (let i = 0; i < 60 && !plot; i++) {
      await sleep(500);
      plot = await webviewText('.csiwb-plot.js-plotly-plot');
      table = await webviewText('.csiwb-output');
    }
    assert.ok(plot !== null, 'plotly drew into the output (.js-plotly-plot)');
    assert.ok(table?.includes('teacher') && table.includes('83.3'), `the result table is shown: ${table}`);
    assert.ok(!table?.includes('Charts unavailable'), table ?? '');
    await sleep(1000);
    await screenshot('wb-08-notebook-renderer-plots');
  });

  // Later tests pick "the" experiment notebook of the workspace: leave none of ours behind.
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'renderer-plots.csiexp'), { force: true });
  });
});
