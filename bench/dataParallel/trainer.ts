// Data-parallel training across worker_threads: the way this engine uses more than one core.
//
// Why not threaded wasm: tfjs-wasm's threads only speed up its XNNPACK ops (plain matmul, conv forward), which are a
// minority of a training step once our GEMM handles the rest; the notes measured +10–20 % for the whole step, against
// 1.3–1.8× for two independent training processes. Here each worker holds a full replica and trains on its shard of
// every batch; gradients are averaged through shared memory (see dataParallelWorker.ts). The coordinator is cheap
// and can itself run in the extension's or CLI's training worker.
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';
import type { EngineInfo } from '../../src/core/engine/selectEngine';
import type { ModelFactorySpec, OptimizerSpec } from '../../src/core/engine/trainable';

export interface DataParallelOptions {
  workers: number;
  factory: ModelFactorySpec;
  optimizer: OptimizerSpec;
  /** Number of trainable parameters of the model (sizes the shared gradient slots). */
  parameters: number;
  /** Compiled worker entry (default: dataParallelWorker.js next to this file; bundles pass their own). */
  workerScript?: string;
}

export interface StepResult {
  /** Sample-weighted mean loss over the whole batch. */
  loss: number;
  /** Per worker: ms computing its gradients, ms waiting + averaging + applying. */
  computeMs: number[];
  syncMs: number[];
  numTensors: number[];
}

export class DataParallelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataParallelError';
  }
}

export class DataParallelTrainer {
  private step = 0;
  private readonly pending = new Map<number, (m: FromWorker) => void>();
  private failure: DataParallelError | undefined;

  private constructor(
    private readonly workers: Worker[],
    readonly engines: EngineInfo[],
  ) {}

  static async start(opts: DataParallelOptions): Promise<DataParallelTrainer> {
    if (!Number.isInteger(opts.workers) || opts.workers < 1) throw new DataParallelError(`workers must be >= 1, got ${opts.workers}`);
    const script = opts.workerScript ?? path.join(__dirname, 'worker.js');
    const control = new SharedArrayBuffer(4);
    const gradients = new SharedArrayBuffer((2 * opts.workers * opts.parameters + 2 * opts.workers) * 4);
    const workers: Worker[] = [];
    const ready: Promise<EngineInfo>[] = [];
    for (let rank = 0; rank < opts.workers; rank++) {
      const init: WorkerInit = {
        rank,
        workers: opts.workers,
        factory: opts.factory,
        optimizer: opts.optimizer,
        control,
        gradients,
        parameters: opts.parameters,
      };
      const w = new Worker(script, { workerData: init });
      workers.push(w);
      ready.push(
        new Promise<EngineInfo>((resolve, reject) => {
          w.once('error', e => reject(new DataParallelError(`worker ${rank} failed to start: ${e.message}`)));
          w.once('message', (m: FromWorker) => {
            if (m.kind === 'ready') resolve(m.info);
            else reject(new DataParallelError(`worker ${rank}: ${m.kind === 'error' ? m.message : 'unexpected ' + m.kind}`));
          });
        }),
      );
    }
    let engines: EngineInfo[];
    try {
      engines = await Promise.all(ready);
    } catch (e) {
      await Promise.all(workers.map(w => w.terminate()));
      throw e;
    }
    const trainer = new DataParallelTrainer(workers, engines);
    workers.forEach((w, rank) => {
      w.on('message', (m: FromWorker) => trainer.onMessage(rank, m));
      w.on('error', e => trainer.fail(new DataParallelError(`worker ${rank} crashed: ${e.message}`)));
    });
    return trainer;
  }

  /**
   * One synchronous data-parallel step on batch x [B, ...] with integer labels y [B]: the batch is split into
   * contiguous shards, one per worker (B must be at least the number of workers).
   */
  async trainStep(x: Float32Array, xShape: number[], y: Int32Array): Promise<StepResult> {
    if (this.failure) throw this.failure;
    const B = xShape[0];
    const n = this.workers.length;
    const per = x.length / B;
    if (B < n || y.length !== B || per * B !== x.length) {
      throw new DataParallelError(`batch of ${B} (x ${x.length} values, y ${y.length}) cannot be split across ${n} workers`);
    }
    const step = this.step++;
    const results = this.workers.map((w, rank) => {
      const lo = Math.floor((rank * B) / n),
        hi = Math.floor(((rank + 1) * B) / n);
      return this.request(rank, {
        kind: 'step',
        step,
        x: x.slice(lo * per, hi * per),
        xShape: [hi - lo, ...xShape.slice(1)],
        y: y.slice(lo, hi),
      }).then(m => ({ m, size: hi - lo }));
    });
    const done = await Promise.all(results);
    const out: StepResult = { loss: 0, computeMs: [], syncMs: [], numTensors: [] };
    for (const { m, size } of done) {
      if (m.kind !== 'stepped') throw new DataParallelError(`unexpected reply ${m.kind}`);
      out.loss += (m.loss * size) / B;
      out.computeMs.push(m.computeMs);
      out.syncMs.push(m.syncMs);
      out.numTensors.push(m.numTensors);
    }
    return out;
  }

  /** Current weights (from worker 0; all replicas are identical). */
  async weights(): Promise<Float32Array[]> {
    const m = await this.request(0, { kind: 'weights' });
    if (m.kind !== 'weights') throw new DataParallelError(`unexpected reply ${m.kind}`);
    return m.values;
  }

  async close(): Promise<void> {
    for (const w of this.workers) w.postMessage({ kind: 'close' } satisfies ToWorker);
    await Promise.all(this.workers.map(w => w.terminate()));
  }

  private request(rank: number, msg: ToWorker): Promise<FromWorker> {
    return new Promise<FromWorker>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.pending.set(rank, m => (m.kind === 'error' ? reject(new DataParallelError(`worker ${rank}: ${m.message}`)) : resolve(m)));
      this.workers[rank].postMessage(msg);
    });
  }

  private onMessage(rank: number, m: FromWorker): void {
    const cb = this.pending.get(rank);
    this.pending.delete(rank);
    if (m.kind === 'error') this.fail(new DataParallelError(`worker ${rank}: ${m.message}`), cb, m);
    else cb?.(m);
  }

  private fail(err: DataParallelError, cb?: (m: FromWorker) => void, m?: FromWorker): void {
    this.failure ??= err;
    if (cb && m) cb(m);
    // A worker stuck at the barrier would wait for a peer that will never arrive; stop them all.
    for (const [, pending] of this.pending) pending({ kind: 'error', rank: -1, message: err.message });
    this.pending.clear();
    void Promise.all(this.workers.map(w => w.terminate()));
  }
}
