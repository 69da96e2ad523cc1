// What the workbench shows about an experiment, shared by the worker (which produces it), the notebook controller
// (which stores it as cell output under RESULT_MIME), the notebook renderer and the two panels (which draw it).
// Plain JSON only: it is persisted in .csiexp files and posted to webviews.
import type { TrainProgress } from '../core/model/train/train';
import type { StepKind } from '../core/experiment/notebookFile';
export type { PairedComparison } from '../core/experiment/pairedComparison';

export interface TableView {
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
}
/** Curves over epochs (loss, accuracy, learning rate …) of one training run. */
export interface CurvesView {
  title: string;
  x: number[];
  xLabel: string;
  series: { name: string; y: number[]; axis?: 'y' | 'y2' }[];
}
export interface ConfusionView {
  title: string;
  labels: string[];
  matrix: number[][];
}
/** Accuracy per value of one domain factor (location, orientation, user …), one bar group per model. */
export interface PerDomainView {
  title: string;
  factor: string;
  values: string[];
  series: { name: string; accuracy: number[] }[];
}
/** A 2-D projection (PCA) of embeddings, coloured by class. */
export interface EmbeddingView {
  title: string;
  points: { x: number; y: number; label: string }[];
}

/** One step cell's result. */
export interface StepResultView {
  id: string;
  type: StepKind;
  /** The runner's content hash of the step: an unchanged hash means the cached result was reused. */
  hash: string;
  reused: boolean;
  seconds: number;
  runId: string;
  runDir: string;
  summary: string;
  tables?: TableView[];
  curves?: CurvesView[];
  confusions?: ConfusionView[];
  perDomain?: PerDomainView[];
  embeddings?: EmbeddingView[];
}

/** A step that did not finish: shown in the cell instead of results, and persisted so the notebook says what happened. */
export interface StepFailureView {
  step: string;
  code: string;
  message: string;
  resumable: boolean;
  runDir?: string;
}

/** Live training progress, posted by the worker as ProgressInfo.detail and drawn by the training panel. */
export interface TrainingProgressView extends TrainProgress {
  model: string;
  runDir?: string;
}

/** One model's measured numbers, as the comparison panel lays them side by side. */
export interface ModelSummaryView {
  name: string;
  params: number | null;
  sizeBytes: number | null;
  flops: number | null;
  latencyMs: number | null;
  /** Epochs the model has been trained in all (restored epochs included); null when the run store does not say. */
  epochs?: number | null;
  /** split name → accuracy */
  accuracy: Record<string, number>;
  macroF1: number | null;
  confusion: ConfusionView | null;
  perDomain: Record<string, Record<string, number>>;
}

export interface ComparisonView {
  title: string;
  a: ModelSummaryView;
  b: ModelSummaryView;
  /** Fraction of test samples where the two models predict the same class (null when predictions are missing). */
  agreement: number | null;
  /** Correct/incorrect contingency and McNemar's test from the runs' per-sample predictions (joined by sample id);
   *  null when either run has no stored predictions. */
  paired?: import('../core/experiment/pairedComparison').PairedComparison | null;
  source: { a: string; b: string };
}

/** Worker task `experimentRun`: run an experiment spec (a notebook up to a cell) with the experiment runner. */
export interface ExperimentRunParams {
  /** notebookFile.notebookToSpec(...): validated against experiment.schema.json by the runner. */
  spec: { name: string; seed?: number; steps: import('../core/experiment/notebookFile').ExperimentStep[] };
  /** Folder that relative dataset paths resolve against (the notebook's folder). */
  baseDir: string;
  /** Workspace folder whose `.csi-workbench/` holds the run store and the step caches. */
  workspace: string;
  /** The notebook file run (named in the run's metrics.json and the run history). */
  notebook?: string;
  /** The step the run was asked to reach, when it runs only part of the notebook (one cell). */
  upTo?: string;
}

/** A step starting or finished, posted by the worker as ProgressInfo.detail (the controller starts and ends that cell). */
/** `result` (step-done): the step's result as the run store holds it now, so its cell can show it before the run ends. */
export interface StepProgressView {
  kind: 'step-start' | 'step-done';
  step: string;
  index: number;
  runDir?: string;
  seconds?: number;
  reused?: boolean;
  result?: StepResultView;
}

export interface ExperimentRunResult {
  runId: string;
  runDir: string;
  /** One result per step, in spec order. */
  results: StepResultView[];
}

/** One model of one run, as the comparison task takes it. */
export interface ModelRef {
  runDir: string;
  model: string;
}

/** Worker task `experimentEvaluateSaved`: a finished run's saved models measured on another folder (no training). */
export interface EvaluateSavedParams {
  workspace: string;
  /** The run whose checkpoints / exported student are evaluated. */
  runDir: string;
  folder: string;
  /** Model step ids; default every model the run evaluated. */
  models?: string[];
}

export interface EvaluateSavedResult {
  /** The new evaluation run (metrics.json + per-sample predictions) in the run store. */
  runId: string;
  runDir: string;
  samples: number;
  /** model → accuracy on the folder */
  accuracy: Record<string, number>;
}
