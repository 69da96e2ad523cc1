// What the runner (../runner.ts) and its step kinds (this folder) share: the run's events and options, the metrics
// it writes to the run store (<run>/metrics.json), and the per-run state one step hands to the next.
import type { FeatureCache } from '../../features/cache';
import type { DatasetIndex, DatasetSample } from '../../data/sample';
import type { Split } from '../../data/splits';
import type { SemanticPrior } from '../../semantics/prior';
import type { ClassificationMetrics } from '../../model/metrics';
import type { Net, Tf } from '../../model/nets/net';
import type { TensorDataset } from '../../features/tensorDataset';
import type { EpochStats, TrainProgress } from '../../model/train/train';
import type { RunPaths } from '../runStore';
import type { Step } from '../spec';

export type RunEvent =
  | { kind: 'step-start'; step: string; type: Step['type']; index: number; total: number; hash: string }
  /** `metrics`/`dir`: the run as saved after this step (a live view, for showing the step's result at once). */
  | { kind: 'step-done'; step: string; seconds: number; reused: boolean; metrics?: RunMetrics; dir?: string }
  | { kind: 'train'; step: string; progress: TrainProgress }
  | { kind: 'features'; step: string; done: number; total: number }
  | { kind: 'log'; step: string; message: string };

export interface RunOptions {
  workspace: string;
  /** Directory dataset folders are resolved against (the experiment file's folder). */
  baseDir?: string;
  tf: Tf;
  engineInfo?: unknown;
  signal?: AbortSignal;
  onEvent?: (e: RunEvent) => void;
  runId?: string;
  /** Where the run came from (a notebook file; the step it ran up to when only part of it), kept in metrics.json for the run history. */
  source?: { notebook?: string; upTo?: string };
  /** Sees every features step's dataset and split indices (benchmarks compute baselines on the same features). */
  onFeatures?: (step: string, data: TensorDataset, split: { train: number[]; val: number[]; test: number[] }) => void;
}

export interface ModelRow {
  model: string;
  kind: string;
  accuracy: number;
  macroF1: number;
  params: number;
  flops: number;
  sizeBytes: number;
  latencyMs: number;
  /** Epochs trained in this run (0 when the model was restored from the step cache). */
  epochsRun: number;
  /** Epochs the model has been trained in all (its training history, restored epochs included); absent in runs before it was stored. */
  epochs?: number;
  perDomain: ClassificationMetrics['perDomain'];
}

export interface StepRecord {
  id: string;
  type: Step['type'];
  hash: string;
  seconds: number;
  reused: boolean;
  info: Record<string, unknown>;
}

export interface RunMetrics {
  id: string;
  name: string;
  /** The notebook file the run executed (absent for spec files and runs before it was stored). */
  notebook?: string;
  /** The last step the run was asked for, when it ran only part of the notebook (one cell and what it needs). */
  upTo?: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  error?: string;
  chance?: number;
  split?: { name: string; description: string; train: number; val: number; test: number };
  steps: StepRecord[];
  evaluations: Record<string, ClassificationMetrics & { latencyMs: number; params: number; flops: number; sizeBytes: number }>;
  table: ModelRow[];
}

export interface RunResult {
  id: string;
  dir: string;
  metrics: RunMetrics;
}

export interface DatasetState {
  index: DatasetIndex;
  split: Split;
  samples: DatasetSample[];
}
export interface FeatureState {
  data: TensorDataset;
  train: number[];
  val: number[];
  test: number[];
}
export interface ModelState {
  net: Net;
  history: EpochStats[];
  epochsRun: number;
  sizeBytes: number;
  kind: string;
}
export interface PriorState {
  prior: SemanticPrior;
  alpha: number;
  tau: number;
}

/** What a step kind gets: the run's settings and the results of the steps before it. */
export interface StepContext {
  tf: Tf;
  seed: number;
  paths: RunPaths;
  o: RunOptions;
  emit: (e: RunEvent) => void;
  metrics: RunMetrics;
  datasets: Map<string, DatasetState>;
  features: Map<string, FeatureState>;
  priors: Map<string, PriorState>;
  models: Map<string, ModelState>;
  featureCache: FeatureCache;
}
