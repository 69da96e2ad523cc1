// "CSI Workbench: Check Worker (progress and cancel)": a data-free task that exercises the worker round trip,
// progress reporting and cancellation. Useful to diagnose a broken installation, and used by the tests.
import * as vscode from 'vscode';
import { WorkerTaskError, type WorkerClient } from '../../worker/workerClient';
import { runWithProgress } from '../workerTask';

export interface CheckWorkerResult {
  completed: number;
  cancelled: boolean;
  workerThreadId?: number;
}

export async function checkWorker(
  worker: WorkerClient,
  args: { steps?: number; stepMs?: number; cancel?: AbortSignal } = {},
): Promise<CheckWorkerResult> {
  const steps = args.steps ?? 20,
    stepMs = args.stepMs ?? 100;
  try {
    const r = await runWithProgress(worker, 'Checking the CSI Workbench worker', 'selfTest', { steps, stepMs }, { cancel: args.cancel });
    void vscode.window.showInformationMessage(`CSI Workbench worker OK: ${r.completed} steps on thread ${r.threadId}.`);
    return { completed: r.completed, cancelled: false, workerThreadId: r.threadId };
  } catch (e) {
    if (e instanceof WorkerTaskError && e.code === 'cancelled') return { completed: -1, cancelled: true };
    throw e;
  }
}
