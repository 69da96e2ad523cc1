// Host side of the worker protocol, shared by the extension host and the CLI (no vscode import).
// One long-lived worker; requests are multiplexed by id. If the worker dies (crash, OOM, terminate), every pending
// request fails with a clear message and the next request starts a fresh worker.
import { Worker } from 'worker_threads';
import type { HostToWorker, ProgressInfo, TaskName, WorkerErrorCode, WorkerTasks, WorkerToHost } from '../shared/workerProtocol';

export class WorkerTaskError extends Error {
  constructor(
    readonly code: WorkerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface RunOptions {
  onProgress?: (p: ProgressInfo) => void;
  signal?: AbortSignal;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onProgress?: (p: ProgressInfo) => void;
}

export class WorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly script: string,
    private readonly log: (level: string, msg: string) => void = () => {},
  ) {}

  run<K extends TaskName>(task: K, params: WorkerTasks[K]['params'], opts: RunOptions = {}): Promise<WorkerTasks[K]['result']> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<WorkerTasks[K]['result']>((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(new WorkerTaskError('cancelled', 'cancelled by the user'));
        return;
      }
      const onAbort = () => this.post(worker, { type: 'cancel', id });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: v => {
          opts.signal?.removeEventListener('abort', onAbort);
          resolve(v as WorkerTasks[K]['result']);
        },
        reject: e => {
          opts.signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
        onProgress: opts.onProgress,
      });
      worker.ref(); // keep the process alive while a task is pending (unref'd again when idle)
      this.post(worker, { type: 'run', id, task, params });
    });
  }

  /** Stops the worker; pending requests fail. */
  async dispose(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private post(worker: Worker, msg: HostToWorker) {
    worker.postMessage(msg);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.script);
    w.on('message', (m: WorkerToHost) => this.onMessage(m));
    w.on('error', e => this.log('error', `worker error: ${e.message}`));
    w.on('exit', code => {
      if (this.worker === w) this.worker = undefined;
      const err = new WorkerTaskError('internal', `the worker stopped (exit code ${code}); the task did not finish`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
    this.worker = w;
    return w;
  }

  private onMessage(m: WorkerToHost) {
    if (m.type === 'log') {
      this.log(m.level, m.message);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') {
      p.onProgress?.(m.progress);
      return;
    }
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (m.type === 'result') p.resolve(m.result);
    else p.reject(new WorkerTaskError(m.code, m.message));
  }
}
