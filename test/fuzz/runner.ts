// Runs a fuzz campaign (test/fuzz/mutate.ts) in a worker thread with a watchdog (Node only). A reader that loops forever
// would otherwise freeze the test or benchmark that calls it; here the case is recorded as a 'hang' with its
// (seed, index) for reproduction, the worker is terminated and the campaign continues with the next case.
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { emptySummary, makeCase, record, recordHang, type FuzzSource, type FuzzSummary } from './mutate';
import type { WorkerInput, WorkerMessage } from './worker';

export interface CampaignOptions {
  seed: number;
  cases: number;
  /** Real recordings to mutate. */
  files: string[];
  /** Use at most this many bytes of each file (keeps unit-test campaigns fast); default: whole files. */
  maxBytes?: number;
  /** A case taking longer than this is a hang (ms, default 10 000). */
  hangMs?: number;
}

export function loadSources(files: string[], maxBytes = Infinity): FuzzSource[] {
  return files.map(f => {
    const b = new Uint8Array(fs.readFileSync(f));
    return { name: path.basename(f), bytes: b.length > maxBytes ? b.slice(0, maxBytes) : b };
  });
}

export async function runFuzzCampaign(opts: CampaignOptions): Promise<FuzzSummary & { sources: Record<string, number> }> {
  const sources = loadSources(opts.files, opts.maxBytes);
  const hangMs = opts.hangMs ?? 10_000;
  const summary = emptySummary(opts.seed);
  const t0 = performance.now();
  let next = 0;
  while (next < opts.cases) {
    next = await runSlice(opts.seed, next, opts.cases, sources, hangMs, summary);
  }
  summary.totalMs = performance.now() - t0;
  return { ...summary, sources: Object.fromEntries(sources.map(s => [s.name, s.bytes.length])) };
}

/** Run cases [start, end) in one worker; returns where to continue (end, or the case after a hang). */
function runSlice(seed: number, start: number, end: number, sources: FuzzSource[], hangMs: number, summary: FuzzSummary): Promise<number> {
  return new Promise((resolve, reject) => {
    const input: WorkerInput = { seed, start, end, sources };
    // The heap cap turns "allocated from an unchecked length" into a visible crash instead of a swapping machine.
    const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: input, resourceLimits: { maxOldGenerationSizeMb: 3072 } });
    let current = start - 1;
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        finished = true;
        recordHang(summary, makeCase(seed, Math.max(current, start), sources), hangMs);
        void worker.terminate().then(() => resolve(Math.max(current, start) + 1));
      }, hangMs);
    };
    arm();
    worker.on('message', (m: WorkerMessage) => {
      if (m.t === 'start') {
        current = m.index;
        arm();
        return;
      }
      record(summary, m, m.result);
    });
    worker.on('error', err => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      // An exception escaping the worker (e.g. stack overflow) is a crash of the current case.
      const c = makeCase(seed, Math.max(current, start), sources);
      record(summary, c, { verdict: 'crash', ms: 0, packets: 0, diagnostics: 0, problem: `worker died: ${err.message}` });
      void worker.terminate().then(() => resolve(Math.max(current, start) + 1));
    });
    worker.on('exit', () => {
      if (timer) clearTimeout(timer);
      if (!finished) {
        finished = true;
        resolve(end);
      }
    });
    void reject;
  });
}
