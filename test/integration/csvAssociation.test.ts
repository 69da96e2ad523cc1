// ESP32 CSV files open in the recording editor without "Open With" once the user said "Always" for their folder
// (issue 23): the offer writes workbench.editorAssociations in the workspace settings, asks once per folder, and
// the next CSV of that folder opened plainly lands in the CSI recording editor.
import * as assert from 'assert/strict';
import * as path from 'path';
import * as vscode from 'vscode';
import { offerCsvAssociation } from '../../src/extension/firstRun';
import { RECORDING_CSV_VIEW_TYPE } from '../../src/extension/recordingEditor';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** A Memento in memory (the offer's "asked already" list lives in globalState in the product). */
function memento(): vscode.Memento {
  const m = new Map<string, unknown>();
  return {
    keys: () => [...m.keys()],
    get: <T>(k: string, d?: T) => (m.has(k) ? (m.get(k) as T) : d),
    update: async (k: string, v: unknown) => {
      m.set(k, v);
    },
  } as vscode.Memento;
}

describe('ESP32 CSV: remember the recording editor for a folder', function () {
  this.timeout(60000);
  const cfg = () => vscode.workspace.getConfiguration('workbench');
  let before: Record<string, string> | undefined;

  after(async () => {
    await cfg().update('editorAssociations', before, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('asks once, writes the association on "Always", and the next CSV of the folder opens in the editor', async () => {
    before = cfg().inspect<Record<string, string>>('editorAssociations')?.workspaceValue;
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const first = vscode.Uri.file(path.join(root, 'refdata', 'esp32', 'example_csi.csv'));
    const state = memento();
    const asked: string[] = [];
    const glob = await offerCsvAssociation(first, RECORDING_CSV_VIEW_TYPE, state, async m => {
      asked.push(m);
      return 'Always';
    });
    assert.equal(glob, '**/refdata/esp32/*.csv');
    assert.equal(asked.length, 1);
    assert.match(asked[0], /refdata\/esp32/);
    assert.equal(cfg().inspect<Record<string, string>>('editorAssociations')?.workspaceValue?.[glob!], RECORDING_CSV_VIEW_TYPE);
    // Asked once: a second CSV of the same folder does not ask again.
    const again = await offerCsvAssociation(
      vscode.Uri.file(path.join(root, 'refdata', 'esp32', 'example_data.csv')),
      RECORDING_CSV_VIEW_TYPE,
      state,
      async m => {
        asked.push(m);
        return 'Always';
      },
    );
    assert.equal(again, undefined);
    assert.equal(asked.length, 1);
    // The effect the user wants: a plain open (no "Open With") of another CSV there shows the recording editor.
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path.join(root, 'refdata', 'esp32', 'example_data.csv')));
    let input: unknown;
    for (let i = 0; i < 40 && !(input instanceof vscode.TabInputCustom); i++) {
      await sleep(250);
      input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    }
    assert.ok(input instanceof vscode.TabInputCustom, `active tab input: ${JSON.stringify(input)}`);
    assert.equal(input.viewType, RECORDING_CSV_VIEW_TYPE);
  });

  it('"Not Now" writes nothing', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const file = vscode.Uri.file(path.join(root, 'refdata', 'intel5300', 'example.csv'));
    const wrote = await offerCsvAssociation(file, RECORDING_CSV_VIEW_TYPE, memento(), async () => 'Not Now');
    assert.equal(wrote, undefined);
    assert.equal(cfg().inspect<Record<string, string>>('editorAssociations')?.workspaceValue?.['**/refdata/intel5300/*.csv'], undefined);
  });
});
