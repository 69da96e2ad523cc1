// Task name → implementation. The `satisfies` check ties it to the protocol's WorkerTasks table.
//
// The experiment tasks (training, evaluation, simulation, comparison) are loaded on their first call: they reach
// tfjs (dist/tfjs.js, 4.5 MB, 110–200 ms to parse and evaluate), which the recording editor's tasks never need, and
// the editor's first view waits for this worker to start. The recording tasks stay static imports: they are small
// and the editor runs them right after the worker starts.
import type { TaskName, WorkerTasks } from '../../shared/workerProtocol';
import type { TaskContext } from '../taskContext';
import { inspect } from './inspect';
import { selfTest } from './selfTest';
import { recordingDoppler } from './recordingDoppler';
import { recordingOpen } from './recordingOpen';
import { recordingView } from './recordingView';

export type TaskImpl<K extends TaskName> = (params: WorkerTasks[K]['params'], ctx: TaskContext) => Promise<WorkerTasks[K]['result']>;

/** A task whose module is imported (and evaluated) on its first call. */
function lazy<K extends TaskName>(load: () => Promise<TaskImpl<K>>): TaskImpl<K> {
  let impl: Promise<TaskImpl<K>> | undefined;
  return (params, ctx) => (impl ??= load()).then(f => f(params, ctx));
}

export const TASKS: { [K in TaskName]: TaskImpl<K> } = {
  inspect,
  selfTest,
  recordingOpen,
  recordingView,
  recordingDoppler,
  experimentRun: lazy(() => import('./experimentRun').then(m => m.experimentRun)),
  experimentCompare: lazy(() => import('./experimentCompare').then(m => m.experimentCompare)),
  experimentSimulate: lazy(() => import('./experimentSimulate').then(m => m.experimentSimulate)),
  experimentEvaluateSaved: lazy(() => import('./experimentEvaluateSaved').then(m => m.experimentEvaluateSaved)),
};
