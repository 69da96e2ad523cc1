// The one typed protocol between the extension host (or the CLI) and the worker_threads worker.
// Every request carries an id; the worker answers with zero or more `progress` messages and exactly one
// `result` or `error`. `cancel` asks the worker to stop the task with that id at its next check point; the task
// then ends with an error whose code is 'cancelled'.

import type { RecordingSummary } from './recordingSummary';
import type {
  ComparisonView,
  EvaluateSavedParams,
  EvaluateSavedResult,
  ExperimentRunParams,
  ExperimentRunResult,
  ModelRef,
} from './experimentView';
import type { DomainGrid, SimPreset } from '../core/sim/dataset';
import type { DopplerData, DopplerRequest, RecordingOpened, ViewData, ViewRequest } from './recordingView';

/** Task name → its parameters and its result. Add new worker tasks here; both sides are checked against it. */
export interface WorkerTasks {
  /** Read a recording and summarise it (format, size, packet count, dimensions, diagnostics). */
  inspect: { params: { path: string; maxDiagnostics?: number }; result: RecordingSummary };
  /** Diagnostic task used to prove progress + cancel end to end: counts to `steps`, sleeping `stepMs` each. */
  selfTest: { params: { steps: number; stepMs: number }; result: { completed: number; threadId: number } };
  /** Recording editor: open (whole parse or big-file index; kept cached in the worker) and summarise. */
  recordingOpen: { params: { path: string; maxDiagnostics?: number }; result: RecordingOpened };
  /** Recording editor: heatmaps, CSI ratio and packet strip of a time window at ≤ maxColumns columns. */
  recordingView: { params: ViewRequest; result: ViewData };
  /** Recording editor: Doppler spectrogram of a time window. */
  recordingDoppler: { params: DopplerRequest; result: DopplerData };
  /** Experiment workbench: run an experiment spec (a notebook up to a cell), reusing cached upstream results. */
  experimentRun: { params: ExperimentRunParams; result: ExperimentRunResult };
  /** Experiment workbench: generate a synthetic Widar3.0-style dataset with the simulator. */
  experimentSimulate: {
    params: { outDir: string; seed: number; preset: SimPreset; domains?: Partial<DomainGrid> };
    result: { outDir: string; samples: number };
  };
  /** Experiment workbench: the numbers of two runs (or two models of one run) side by side, from the run store. */
  experimentCompare: { params: { a: ModelRef; b: ModelRef }; result: ComparisonView };
  /** Experiment workbench: evaluate a run's saved models on another folder of recordings (no training). */
  experimentEvaluateSaved: { params: EvaluateSavedParams; result: EvaluateSavedResult };
}

export type TaskName = keyof WorkerTasks;

export type HostToWorker = { type: 'run'; id: number; task: TaskName; params: unknown } | { type: 'cancel'; id: number };

export interface ProgressInfo {
  /** 0..1 when known. */
  fraction?: number;
  message?: string;
  /** Task-specific structured progress (e.g. experimentView.TrainingProgressView for the live training panel). */
  detail?: unknown;
}

export type WorkerErrorCode = 'cancelled' | 'bad-input' | 'not-found' | 'internal';

export type WorkerToHost =
  | { type: 'progress'; id: number; progress: ProgressInfo }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; code: WorkerErrorCode; message: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };
