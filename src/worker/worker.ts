// worker_threads entry (bundled to dist/worker.js). Runs long tasks off the extension host's thread: the host
// stays responsive, and a crash here cannot take the host down (the host restarts the worker).
import { parentPort } from 'worker_threads';
import type { HostToWorker, TaskName, WorkerToHost } from '../shared/workerProtocol';
import { makeTaskContext, CancelledError } from './taskContext';
import { TASKS, type TaskImpl } from './tasks';
import { TaskError } from './tasks/taskError';

if (!parentPort) throw new Error('worker.js must be started as a worker_thread');
const port = parentPort;
const running = new Map<number, { cancel(): void }>();
const send = (m: WorkerToHost) => port.postMessage(m);

port.on('message', (msg: HostToWorker) => {
  if (msg.type === 'cancel') {
    running.get(msg.id)?.cancel();
    return;
  }
  if (msg.type !== 'run') return;
  const { id, task } = msg;
  const impl = TASKS[task as TaskName] as TaskImpl<TaskName> | undefined;
  if (!impl) {
    send({ type: 'error', id, code: 'internal', message: `unknown worker task '${task}'` });
    return;
  }
  const ctx = makeTaskContext(progress => send({ type: 'progress', id, progress }));
  running.set(id, ctx);
  impl(msg.params as never, ctx)
    .then(
      result => send({ type: 'result', id, result }),
      (e: unknown) => {
        if (e instanceof CancelledError) send({ type: 'error', id, code: 'cancelled', message: e.message });
        else if (e instanceof TaskError) send({ type: 'error', id, code: e.code, message: e.message });
        else send({ type: 'error', id, code: 'internal', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
      },
    )
    .finally(() => running.delete(id));
});
