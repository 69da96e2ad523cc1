// Worker task `experimentEvaluateSaved`: a finished run's saved models evaluated on another folder, no training
// (src/core/experiment/evaluateSaved.ts). Translates the evaluator's events into progress and the host's cancel
// into its AbortSignal, like experimentRun.
import { evaluateSavedModels } from '../../core/experiment/evaluateSaved';
import type { RunEvent } from '../../core/experiment/runner';
import type { EvaluateSavedParams, EvaluateSavedResult } from '../../shared/experimentView';
import type { TaskContext } from '../taskContext';
import { experimentTaskError, workerEngine } from './experimentRun';

export async function experimentEvaluateSaved(params: EvaluateSavedParams, ctx: TaskContext): Promise<EvaluateSavedResult> {
  const { tf, info } = await workerEngine();
  const abort = new AbortController();
  const poll = setInterval(() => {
    if (ctx.cancelled) abort.abort();
  }, 100);
  let total = 1,
    index = 0;
  const onEvent = (e: RunEvent) => {
    if (e.kind === 'step-start') {
      index = e.index;
      total = e.total;
      ctx.progress({ fraction: e.index / total, message: e.type === 'dataset' ? 'indexing the folder' : `evaluating "${e.step}"` });
    } else if (e.kind === 'features')
      ctx.progress({ fraction: (index + e.done / Math.max(1, e.total)) / total, message: `features ${e.done}/${e.total}` });
    else if (e.kind === 'log') ctx.progress({ message: e.message });
  };
  try {
    const r = await evaluateSavedModels({ ...params, tf, engineInfo: info, signal: abort.signal, onEvent });
    return {
      runId: r.id,
      runDir: r.dir,
      samples: r.metrics.split?.test ?? 0,
      accuracy: Object.fromEntries(Object.entries(r.metrics.evaluations).map(([k, e]) => [k, e.accuracy])),
    };
  } catch (e) {
    throw experimentTaskError(e);
  } finally {
    clearInterval(poll);
  }
}
