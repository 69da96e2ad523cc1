// Worker task `experimentRun`: runs an experiment spec (a notebook up to a cell) with the one experiment runner
// (src/core/experiment/runner.ts) and turns its metrics into per-step views. The runner does the content-hash
// caching and the per-epoch checkpoints; this task only translates events into progress (with structured training
// progress for the live panel) and the host's cancel into the runner's AbortSignal.
import { promises as fs } from 'fs';
import * as path from 'path';
import { ExperimentError } from '../../core/experiment/errors';
import { runExperiment, type RunEvent, type RunMetrics } from '../../core/experiment/runner';
import { selectEngine, type Engine } from '../../core/engine/selectEngine';
import type {
  ExperimentRunParams,
  ExperimentRunResult,
  StepProgressView,
  StepResultView,
  TrainingProgressView,
} from '../../shared/experimentView';
import { CancelledError, type TaskContext } from '../taskContext';
import { stepView } from './experimentViews';
import { TaskError } from './taskError';

/** What an experiment failure becomes in a task: a cancel stays a cancel, a typed experiment error is bad input. */
export function experimentTaskError(e: unknown): unknown {
  if (e instanceof ExperimentError) return e.code === 'cancelled' ? new CancelledError() : new TaskError('bad-input', e.message);
  return e;
}

let engine: Promise<Engine> | undefined;
/** One engine per worker: tfjs backends are process-global, and starting wasm costs a second. */
export function workerEngine(): Promise<Engine> {
  engine ??= selectEngine({ log: () => undefined });
  return engine;
}

async function priorArtifact(runDir: string, id: string): Promise<{ similarity?: number[][]; embeddings?: number[][] } | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(runDir, 'artifacts', `${id}.prior.json`), 'utf8')) as {
      similarity?: number[][];
      embeddings?: number[][];
    };
  } catch {
    return undefined;
  }
}

export async function experimentRun(params: ExperimentRunParams, ctx: TaskContext): Promise<ExperimentRunResult> {
  const { tf, info } = await workerEngine();
  const abort = new AbortController();
  // The host's cancel arrives as a flag on ctx; poll it so the runner's signal fires between batches.
  const poll = setInterval(() => {
    if (ctx.cancelled) abort.abort();
  }, 100);
  const total = params.spec.steps.length;
  let index = 0;
  const onEvent = (e: RunEvent) => {
    if (e.kind === 'step-start') {
      index = e.index;
      const detail: StepProgressView = { kind: 'step-start', step: e.step, index: e.index };
      ctx.progress({ fraction: e.index / total, message: `${e.type} "${e.step}"`, detail });
    } else if (e.kind === 'step-done') {
      const at = index,
        rec = e.metrics?.steps.find(s => s.id === e.step);
      const send = (result?: StepResultView) => {
        const detail: StepProgressView = {
          kind: 'step-done',
          step: e.step,
          index: at,
          seconds: e.seconds,
          reused: e.reused,
          ...(result ? { result } : {}),
        };
        ctx.progress({ fraction: (at + 1) / total, detail });
      };
      if (!rec || !e.metrics || !e.dir) send();
      else if (rec.type !== 'prior') send(stepView(e.metrics, e.dir, rec));
      else
        void priorArtifact(e.dir, rec.id).then(
          p => send(stepView(e.metrics!, e.dir!, rec, p)),
          () => send(),
        );
    } else if (e.kind === 'features')
      ctx.progress({ fraction: (index + e.done / Math.max(1, e.total)) / total, message: `features ${e.done}/${e.total}` });
    else if (e.kind === 'log') ctx.progress({ message: e.message });
    else if (e.kind === 'train') {
      const p = e.progress;
      const detail: TrainingProgressView = {
        model: e.step,
        epoch: p.epoch,
        epochs: p.epochs,
        batch: p.batch,
        batches: p.batches,
        loss: p.loss,
        acc: p.acc,
        lr: p.lr,
        samplesPerS: p.samplesPerS,
        etaS: p.etaS,
        kind: p.kind,
        ...(p.valLoss !== undefined ? { valLoss: p.valLoss, valAcc: p.valAcc } : {}),
      };
      const frac =
        (p.epoch - (p.kind === 'epoch' ? 0 : 1) + (p.kind === 'epoch' ? 0 : p.batch / Math.max(1, p.batches))) / Math.max(1, p.epochs);
      ctx.progress({
        fraction: (index + Math.min(1, frac)) / total,
        detail,
        message: `${e.step} epoch ${p.epoch}/${p.epochs}${p.kind === 'batch' ? ` batch ${p.batch}/${p.batches}` : ''} loss ${p.loss.toFixed(4)} acc ${(100 * p.acc).toFixed(1)} %`,
      });
    }
  };
  let metrics: RunMetrics, dir: string, id: string;
  try {
    ({ metrics, dir, id } = await runExperiment(params.spec, {
      workspace: params.workspace,
      baseDir: params.baseDir,
      tf,
      engineInfo: info,
      signal: abort.signal,
      onEvent,
      source: { notebook: params.notebook, upTo: params.upTo },
    }));
  } catch (e) {
    throw experimentTaskError(e);
  } finally {
    clearInterval(poll);
  }
  const results = [];
  for (const s of metrics.steps) results.push(stepView(metrics, dir, s, s.type === 'prior' ? await priorArtifact(dir, s.id) : undefined));
  return { runId: id, runDir: dir, results };
}
