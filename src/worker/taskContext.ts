// What a worker task gets besides its parameters: a way to report progress and to notice cancellation.
import type { ProgressInfo } from '../shared/workerProtocol';

export class CancelledError extends Error {
  readonly code = 'cancelled';
  constructor() {
    super('cancelled by the user');
  }
}

export interface TaskContext {
  progress(p: ProgressInfo): void;
  /** True once the host asked to cancel this task. */
  readonly cancelled: boolean;
  /** Throws CancelledError when cancelled: call it at every check point (between records, batches, epochs). */
  throwIfCancelled(): void;
  /** Yields to the event loop so a pending `cancel` message can be delivered, then checks. */
  checkpoint(): Promise<void>;
}

export function makeTaskContext(send: (p: ProgressInfo) => void): TaskContext & { cancel(): void } {
  let cancelled = false;
  const ctx = {
    progress: send,
    get cancelled() {
      return cancelled;
    },
    cancel() {
      cancelled = true;
    },
    throwIfCancelled() {
      if (cancelled) throw new CancelledError();
    },
    async checkpoint() {
      await new Promise<void>(resolve => setImmediate(resolve));
      if (cancelled) throw new CancelledError();
    },
  };
  return ctx;
}
