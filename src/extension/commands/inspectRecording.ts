// "CSI Workbench: Inspect Recording in Worker…": parse a recording in the worker with progress and cancel, and
// report what it holds. Resolves to the summary (so tests and other commands can use it), or undefined.
import * as path from 'path';
import * as vscode from 'vscode';
import type { RecordingSummary } from '../../shared/recordingSummary';
import { WorkerTaskError, type WorkerClient } from '../../worker/workerClient';
import { runWithProgress } from '../workerTask';

export async function inspectRecording(
  worker: WorkerClient,
  log: vscode.LogOutputChannel,
  uri?: vscode.Uri,
): Promise<RecordingSummary | undefined> {
  uri ??=
    activeRecordingUri() ??
    (
      await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: 'Inspect',
        filters: { 'CSI recordings': ['dat', 'pcap', 'csi', 'csv'], 'All files': ['*'] },
      })
    )?.[0];
  if (!uri) return undefined;
  const name = path.basename(uri.fsPath);
  try {
    const s = await runWithProgress(worker, `Inspecting ${name}`, 'inspect', { path: uri.fsPath });
    const what = s.format
      ? `${s.format} (${s.device ?? ''}), ${s.records} records, ${s.nRx}×${s.nTx} antennas, ${s.nSubcarriers} subcarriers`
      : 'not a recognised CSI format';
    const diag = s.diagnosticCount
      ? `; ${s.diagnosticCount} diagnostics (first: ${s.diagnostics[0].message} at byte ${s.diagnostics[0].offset})`
      : '';
    log.info(`inspect ${uri.fsPath}: ${what}${diag}`);
    void vscode.window.showInformationMessage(`${name}: ${what}${diag}`);
    return s;
  } catch (e) {
    if (e instanceof WorkerTaskError && e.code === 'cancelled') {
      void vscode.window.showInformationMessage(`Inspecting ${name} was cancelled.`);
      return undefined;
    }
    const msg = e instanceof Error ? e.message : String(e);
    log.error(`inspect ${uri.fsPath}: ${msg}`);
    void vscode.window.showErrorMessage(`Cannot inspect ${name}: ${msg}`);
    return undefined;
  }
}

function activeRecordingUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return input.uri;
  return undefined;
}
