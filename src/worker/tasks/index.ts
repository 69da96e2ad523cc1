// Task name → implementation. The `satisfies` check ties it to the protocol's WorkerTasks table.
import type { TaskName, WorkerTasks } from '../../shared/workerProtocol';
import type { TaskContext } from '../taskContext';
import { inspect } from './inspect';
import { selfTest } from './selfTest';
import { recordingDoppler } from './recordingDoppler';
import { recordingOpen } from './recordingOpen';
import { recordingView } from './recordingView';
import { experimentRun } from './experimentRun';
import { experimentCompare } from './experimentCompare';
import { experimentSimulate } from './experimentSimulate';
import { experimentEvaluateSaved } from './experimentEvaluateSaved';

export type TaskImpl<K extends TaskName> = (params: WorkerTasks[K]['params'], ctx: TaskContext) => Promise<WorkerTasks[K]['result']>;

export const TASKS: { [K in TaskName]: TaskImpl<K> } = {
  inspect,
  selfTest,
  recordingOpen,
  recordingView,
  recordingDoppler,
  experimentRun,
  experimentCompare,
  experimentSimulate,
  experimentEvaluateSaved,
};
