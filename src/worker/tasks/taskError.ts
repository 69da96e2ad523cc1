import type { WorkerErrorCode } from '../../shared/workerProtocol';

/** An expected failure of a task (bad input, missing file): reported to the user as-is, without a stack. */
export class TaskError extends Error {
  constructor(
    readonly code: WorkerErrorCode,
    message: string,
  ) {
    super(message);
  }
}
