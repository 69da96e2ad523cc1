// Runs one worker task under a VS Code progress notification with a Cancel button, mirrored in the status bar.
import * as vscode from 'vscode';
import type { TaskName, WorkerTasks } from '../shared/workerProtocol';
import type { WorkerClient } from '../worker/workerClient';

export async function runWithProgress<K extends TaskName>(
  worker: WorkerClient,
  title: string,
  task: K,
  params: WorkerTasks[K]['params'],
  extra: { cancel?: AbortSignal } = {},
): Promise<WorkerTasks[K]['result']> {
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
  status.text = `$(sync~spin) ${title}`;
  status.tooltip = 'CSI Workbench: task running in the worker';
  status.show();
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        extra.cancel?.addEventListener('abort', () => abort.abort(), { once: true });
        let last = 0;
        return worker.run(task, params, {
          signal: abort.signal,
          onProgress: p => {
            // VS Code's progress takes increments; convert the worker's absolute fraction.
            const inc = p.fraction !== undefined ? Math.max(0, p.fraction - last) * 100 : undefined;
            if (p.fraction !== undefined) last = p.fraction;
            progress.report({ message: p.message, increment: inc });
            if (p.message) status.text = `$(sync~spin) ${title}: ${p.message}`;
          },
        });
      },
    );
  } finally {
    status.dispose();
  }
}
