// Extension entry (bundled to dist/extension.js). Wires the worker, the custom editors and the commands; all real
// work lives in src/core and runs in the worker.
import * as path from 'path';
import * as vscode from 'vscode';
import { WorkerClient } from '../worker/workerClient';
import { checkWorker } from './commands/checkWorker';
import { inspectRecording } from './commands/inspectRecording';
import { copyFrameRange, exportView, openSideBySide } from './commands/editorCommands';
import { registerSemantics } from './semantics/register';
import { RECORDING_CSV_VIEW_TYPE, RECORDING_VIEW_TYPE, RecordingEditorProvider } from './recordingEditor';
import { registerWorkbench, type Workbench } from './commands/experimentCommands';
import { showWalkthroughOnce, watchCsvRecordingTabs } from './firstRun';

/** What activate() returns: used by the integration tests and available to other extensions. */
export interface CsiWorkbenchApi {
  worker: WorkerClient;
  recordingEditor: RecordingEditorProvider;
  /** Experiment workbench: notebook controller, panels, run history. */
  workbench: Workbench;
  /** Settles when the first-activation walkthrough was handled: true when this activation opened it. */
  walkthrough: Promise<boolean>;
}

export function activate(context: vscode.ExtensionContext): CsiWorkbenchApi {
  const log = vscode.window.createOutputChannel('CSI Workbench', { log: true });
  const worker = new WorkerClient(path.join(context.extensionPath, 'dist', 'worker.js'), (level, msg) => {
    if (level === 'error') log.error(msg);
    else if (level === 'warn') log.warn(msg);
    else log.info(msg);
  });
  const recordingEditor = new RecordingEditorProvider(context.extensionUri, worker, log, context.workspaceState);
  const editorOptions = { webviewOptions: { retainContextWhenHidden: true }, supportsMultipleEditorsPerDocument: true };
  context.subscriptions.push(
    log,
    { dispose: () => void worker.dispose() },
    vscode.window.registerCustomEditorProvider(RECORDING_VIEW_TYPE, recordingEditor, editorOptions),
    vscode.window.registerCustomEditorProvider(RECORDING_CSV_VIEW_TYPE, recordingEditor, editorOptions),
    vscode.commands.registerCommand('csiWorkbench.inspectRecording', (uri?: vscode.Uri) => inspectRecording(worker, log, uri)),
    vscode.commands.registerCommand('csiWorkbench.checkWorker', (args?: Parameters<typeof checkWorker>[1]) => checkWorker(worker, args)),
    vscode.commands.registerCommand('csiWorkbench.editor.exportPng', (target?: vscode.Uri) => exportView(recordingEditor, 'png', target)),
    vscode.commands.registerCommand('csiWorkbench.editor.exportSvg', (target?: vscode.Uri) => exportView(recordingEditor, 'svg', target)),
    vscode.commands.registerCommand('csiWorkbench.editor.copyFrameRange', () => copyFrameRange(recordingEditor)),
    vscode.commands.registerCommand('csiWorkbench.editor.openSideBySide', (other?: vscode.Uri) => openSideBySide(recordingEditor, other)),
    vscode.commands.registerCommand('csiWorkbench.openWithEditor', (uri?: vscode.Uri) => {
      uri ??= vscode.window.activeTextEditor?.document.uri;
      if (!uri) return;
      const viewType = uri.fsPath.toLowerCase().endsWith('.csv') ? RECORDING_CSV_VIEW_TYPE : RECORDING_VIEW_TYPE;
      return vscode.commands.executeCommand('vscode.openWith', uri, viewType);
    }),
  );
  registerSemantics(context, log);
  context.subscriptions.push(watchCsvRecordingTabs(RECORDING_CSV_VIEW_TYPE, context.workspaceState));
  const walkthrough = showWalkthroughOnce(context.globalState).catch(e => {
    log.warn(`walkthrough: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  });
  const workbench = registerWorkbench(context, worker, log);
  log.info(`CSI Workbench activated (node ${process.version}, vscode ${vscode.version})`);
  return { worker, recordingEditor, workbench, walkthrough };
}

export function deactivate(): void {}
