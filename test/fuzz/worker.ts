// Worker-thread side of test/fuzz/runner.ts: runs a range of fuzz cases and reports before and after each one, so the
// parent can tell which case hangs (it stops hearing from us) and kill this thread.
import { parentPort, workerData } from 'worker_threads';
import { makeCase, runCase, type FuzzSource } from './mutate';

export interface WorkerInput {
  seed: number;
  start: number;
  end: number;
  sources: FuzzSource[];
}

export type WorkerMessage =
  { t: 'start'; index: number } | { t: 'done'; index: number; source: string; mutations: string[]; result: ReturnType<typeof runCase> };

if (parentPort && workerData) {
  const { seed, start, end, sources } = workerData as WorkerInput;
  const port = parentPort;
  for (let i = start; i < end; i++) {
    port.postMessage({ t: 'start', index: i } satisfies WorkerMessage);
    const c = makeCase(seed, i, sources);
    const result = runCase(c, () => performance.now());
    port.postMessage({ t: 'done', index: i, source: c.source, mutations: c.mutations, result } satisfies WorkerMessage);
  }
}
