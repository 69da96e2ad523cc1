// A finished run's feature pipeline applied to other recordings: the exact model input its networks (and the
// exported student, model.json / model.onnx) take, for "Evaluate on Folder" and `csi-workbench features`.
import { promises as fs } from 'fs';
import * as path from 'path';
import type { FeatureCache } from '../features/cache';
import type { DatasetSample } from '../data/sample';
import { buildTensorDataset, DEFAULT_FEATURES, FeatureError, type FeatureParams } from '../features';
import { ModelError } from '../model/errors';
import type { TensorDataset } from '../features/tensorDataset';
import { ExperimentError } from './errors';
import { EARLIER_RUNNER_DEFAULTS, type RunMetrics } from './runner';

export async function readRunJson<T>(file: string, what: string): Promise<T> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new ExperimentError('bad-file', `cannot read the ${what}: ${(e as Error).message}`, file);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new ExperimentError('bad-file', `the ${what} is not valid JSON (${(e as Error).message})`, file);
  }
}

/** What a run's models take: its feature parameters (with an earlier runner's defaults filled in), widths, classes. */
export interface RunFeatureSetup {
  params: FeatureParams;
  F1: number;
  F2: number;
  classes: string[];
  metrics: RunMetrics;
  runner?: string;
}

export async function runFeatureSetup(runDir: string): Promise<RunFeatureSetup> {
  const metricsFile = path.join(runDir, 'metrics.json');
  const metrics = await readRunJson<RunMetrics>(metricsFile, 'run metrics');
  // A run of an earlier runner version is rebuilt with the defaults it was trained with (runner.ts).
  const env = await readRunJson<{ runner?: string }>(path.join(runDir, 'environment.json'), 'run environment').catch(() => undefined);
  const earlier = env?.runner ? EARLIER_RUNNER_DEFAULTS[env.runner] : undefined;
  const classes = metrics.steps.find(s => s.type === 'dataset')?.info.classes;
  if (!Array.isArray(classes) || !classes.length)
    throw new ExperimentError('bad-file', 'the run recorded no class list (its dataset step did not finish)', metricsFile);
  const fstep = metrics.steps.find(s => s.type === 'features');
  const recorded = fstep?.info.params as FeatureParams | undefined;
  if (!recorded) throw new ExperimentError('bad-file', 'the run recorded no feature parameters', metricsFile);
  const params = earlier ? { ...DEFAULT_FEATURES, ...earlier.features, ...recorded } : recorded;
  return { params, F1: Number(fstep!.info.F1), F2: Number(fstep!.info.F2), classes: classes as string[], metrics, runner: env?.runner };
}

export interface RunFeaturesOptions {
  cache?: FeatureCache;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  onSampleError?: (s: DatasetSample, e: Error) => void;
}

/** Features of `samples` with the run's parameters; a width other than the run's is a typed error naming both. */
export async function featuresForRun(
  setup: RunFeatureSetup,
  samples: DatasetSample[],
  where: string,
  o: RunFeaturesOptions = {},
): Promise<TensorDataset> {
  const data = await buildTensorDataset({ classes: setup.classes }, samples, setup.params, o).catch((e: unknown) => {
    if ((e instanceof ModelError || e instanceof FeatureError) && e.code === 'cancelled') throw new ExperimentError('cancelled', e.message);
    throw e;
  });
  if (data.labels.length && (setup.F1 !== data.F1 || setup.F2 !== data.F2)) {
    throw new ExperimentError(
      'step-failed',
      `features of ${where} are ${data.F1} + ${data.F2} wide, the run's models take ${setup.F1} + ${setup.F2} (different subcarrier count or receivers)`,
    );
  }
  return data;
}

/** The models' input layout: each sample's [T, F1] phase block and [T, F2] Doppler block joined along features. */
export function concatenatedInput(d: TensorDataset): Float32Array {
  const N = d.labels.length,
    F = d.F1 + d.F2,
    out = new Float32Array(N * d.T * F);
  for (let n = 0; n < N; n++) {
    for (let t = 0; t < d.T; t++) {
      const row = n * d.T + t;
      out.set(d.phase.subarray(row * d.F1, (row + 1) * d.F1), row * F);
      out.set(d.doppler.subarray(row * d.F2, (row + 1) * d.F2), row * F + d.F1);
    }
  }
  return out;
}
