// Commands of the recording editor: export the charts as PNG/SVG, copy the visible frame range, and open a second
// recording beside this one with linked time axes. Each acts on the active recording editor and takes optional
// arguments so it can also be driven without dialogs (tests, other extensions).
import * as path from 'path';
import * as vscode from 'vscode';
import type { RecordingEditorProvider } from '../recordingEditor';
import { RECORDING_CSV_VIEW_TYPE, RECORDING_VIEW_TYPE } from '../recordingEditor';

function activeOrWarn(editor: RecordingEditorProvider) {
  const p = editor.activePanel();
  if (!p) void vscode.window.showWarningMessage('Open a CSI recording in the CSI Recording editor first.');
  return p;
}

/** Export the active editor's charts. `target` skips the save dialog. Returns the written file. */
export async function exportView(
  editor: RecordingEditorProvider,
  format: 'png' | 'svg',
  target?: vscode.Uri,
): Promise<vscode.Uri | undefined> {
  const p = activeOrWarn(editor);
  if (!p) return undefined;
  // From the editor title menu VS Code passes the recording's own uri: never write the image over it.
  if (target && !target.path.toLowerCase().endsWith(`.${format}`)) target = undefined;
  const dataUrl = await editor.requestImage(p, format);
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(p.uri.fsPath.replace(/(\.[^./\\]+)?$/, `.${format}`)),
      filters: format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
      title: `Export ${path.basename(p.uri.fsPath)} view as ${format.toUpperCase()}`,
    }));
  if (!uri) return undefined;
  // Plotly gives base64 for PNG and a URI-encoded string for SVG.
  const comma = dataUrl.indexOf(',');
  const head = dataUrl.slice(0, comma),
    body = dataUrl.slice(comma + 1);
  const bytes = head.endsWith(';base64') ? Buffer.from(body, 'base64') : Buffer.from(decodeURIComponent(body), 'utf8');
  await vscode.workspace.fs.writeFile(uri, bytes);
  return uri;
}

/** Copy "file: packets a–b (t0–t1 s)" of the visible window; returns the text. */
export async function copyFrameRange(editor: RecordingEditorProvider): Promise<string | undefined> {
  const p = activeOrWarn(editor);
  if (!p?.lastView) return undefined;
  const {
    packets: [a, b],
    rangeS: [t0, t1],
  } = p.lastView;
  const text = `${path.basename(p.uri.fsPath)}: packets ${a}-${b - 1} (${b - a} packets, ${t0.toFixed(3)}-${t1.toFixed(3)} s)`;
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(`Copied: ${text}`, 4000);
  return text;
}

/** Open `other` (asked for when absent) beside the active recording, its time axis linked to this one. */
export async function openSideBySide(editor: RecordingEditorProvider, other?: vscode.Uri): Promise<boolean> {
  const p = activeOrWarn(editor);
  if (!p) return false;
  if (other?.toString() === p.uri.toString()) other = undefined; // the title-menu argument is this editor's own file
  if (!other) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      defaultUri: vscode.Uri.file(path.dirname(p.uri.fsPath)),
      title: `Compare ${path.basename(p.uri.fsPath)} with…`,
      openLabel: 'Open side by side',
    });
    other = picked?.[0];
  }
  if (!other) return false;
  editor.linkNextOpen(other, p);
  const viewType = other.fsPath.toLowerCase().endsWith('.csv') ? RECORDING_CSV_VIEW_TYPE : RECORDING_VIEW_TYPE;
  await vscode.commands.executeCommand('vscode.openWith', other, viewType, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false });
  return true;
}
