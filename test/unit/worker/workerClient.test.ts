// Host ↔ worker protocol in plain Node: results, progress, cancel, errors, and recovery after a worker crash.
import * as assert from 'assert/strict';
import * as path from 'path';
import { WorkerClient, WorkerTaskError } from '../../../src/worker/workerClient';

const script = path.resolve(__dirname, '..', '..', '..', 'src', 'worker', 'worker.js');

describe('WorkerClient', () => {
  let client: WorkerClient;
  beforeEach(() => {
    client = new WorkerClient(script);
  });
  afterEach(() => client.dispose());

  it('runs a task on another thread and streams monotone progress', async () => {
    const fractions: number[] = [];
    const r = await client.run('selfTest', { steps: 4, stepMs: 1 }, { onProgress: p => fractions.push(p.fraction!) });
    assert.equal(r.completed, 4);
    assert.ok(r.threadId > 0);
    assert.deepEqual(fractions, [0.25, 0.5, 0.75, 1]);
  });

  it('cancels a running task through an AbortSignal', async () => {
    const ac = new AbortController();
    const p = client.run('selfTest', { steps: 1000, stepMs: 5 }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    await assert.rejects(p, (e: unknown) => e instanceof WorkerTaskError && e.code === 'cancelled');
    // the worker is still usable afterwards
    assert.equal((await client.run('selfTest', { steps: 1, stepMs: 0 })).completed, 1);
  });

  it('reports a missing file as not-found with the path', async () => {
    await assert.rejects(
      client.run('inspect', { path: '/nonexistent/x.dat' }),
      (e: unknown) => e instanceof WorkerTaskError && e.code === 'not-found' && /\/nonexistent\/x\.dat/.test(e.message),
    );
  });

  it('fails pending tasks clearly when the worker dies, then starts a fresh one', async () => {
    const p = client.run('selfTest', { steps: 1000, stepMs: 5 });
    setTimeout(() => void client.dispose(), 20);
    await assert.rejects(p, /worker stopped/);
    assert.equal((await client.run('selfTest', { steps: 2, stepMs: 0 })).completed, 2);
  });
});
