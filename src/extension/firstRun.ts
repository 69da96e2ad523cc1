// What a new user meets once: the getting-started walkthrough opens on the extension's first activation (remembered
// in globalState, so never again, also not in another workspace), and after an ESP32/CSV recording was opened with
// the recording editor the user is offered to remember that for the folder (workbench.editorAssociations in the
// workspace settings, written only on consent), so the next CSV of that folder opens in it without "Open With".
import * as path from 'path';
import * as vscode from 'vscode';

export const WALKTHROUGH_ID = 'csi-workbench.csi-workbench#csiWorkbench.gettingStarted';
const WALKTHROUGH_SHOWN = 'csiWorkbench.walkthroughShown';
const CSV_ASKED = 'csiWorkbench.csvAssociationAsked';

/** Opens the walkthrough unless it was opened before; true when it opened it now. */
export async function showWalkthroughOnce(state: vscode.Memento): Promise<boolean> {
  if (state.get<boolean>(WALKTHROUGH_SHOWN)) return false;
  await state.update(WALKTHROUGH_SHOWN, true);
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
  return true;
}

/** The editorAssociations glob for the CSV files of the folder holding `file` (relative to its workspace folder). */
export function csvFolderGlob(file: vscode.Uri): string {
  const ws = vscode.workspace.getWorkspaceFolder(file);
  const rel = ws ? path.relative(ws.uri.fsPath, path.dirname(file.fsPath)).split(path.sep).join('/') : '';
  return rel ? `**/${rel}/*.csv` : '*.csv';
}

/**
 * Offers (once per folder) to open the folder's CSV files with `viewType` from now on; on "Always" it adds the
 * association to the workspace settings. `ask` is the question (a notification; tests answer it). Returns the glob
 * written, or undefined.
 */
export async function offerCsvAssociation(
  file: vscode.Uri,
  viewType: string,
  state: vscode.Memento,
  ask: (message: string, ...items: string[]) => Thenable<string | undefined> = (m, ...i) => vscode.window.showInformationMessage(m, ...i),
): Promise<string | undefined> {
  const glob = csvFolderGlob(file);
  const cfg = vscode.workspace.getConfiguration('workbench');
  const current = cfg.get<Record<string, string>>('editorAssociations') ?? {};
  const asked = state.get<string[]>(CSV_ASKED) ?? [];
  if (current[glob] === viewType || asked.includes(glob)) return undefined;
  await state.update(CSV_ASKED, [...asked, glob]);
  const folder = glob === '*.csv' ? 'this workspace' : path.dirname(vscode.workspace.asRelativePath(file, false));
  const pick = await ask(
    `Always open the CSV files in ${folder} with the CSI Recording Editor? (saved in this workspace's settings)`,
    'Always',
    'Not Now',
  );
  if (pick !== 'Always') return undefined;
  const ws = cfg.inspect<Record<string, string>>('editorAssociations')?.workspaceValue ?? {};
  await cfg.update('editorAssociations', { ...ws, [glob]: viewType }, vscode.ConfigurationTarget.Workspace);
  return glob;
}

/** Watches tabs: a CSV opened in the recording editor (through "Open With" or the command) triggers the offer. */
export function watchCsvRecordingTabs(viewType: string, state: vscode.Memento): vscode.Disposable {
  return vscode.window.tabGroups.onDidChangeTabs(e => {
    for (const tab of e.opened) {
      const input = tab.input;
      if (
        input instanceof vscode.TabInputCustom &&
        input.viewType === viewType &&
        input.uri.fsPath.toLowerCase().endsWith('.csv') &&
        vscode.workspace.getWorkspaceFolder(input.uri)
      ) {
        void offerCsvAssociation(input.uri, viewType, state);
      }
    }
  });
}
