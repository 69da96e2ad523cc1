// The experiment specification: types mirroring experiment.schema.json (the schema is the authority; parseSpec
// validates against it), step defaults, and upstream resolution.
import schema from './experiment.schema.json';
import { ExperimentError } from './errors';
import { checkSchema, type Schema } from './schemaCheck';

export interface AugmentSpec {
  stretch?: number;
  shift?: number;
  gain?: number;
  doppler?: number;
}
export interface TrainSpec {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  schedule?: 'constant' | 'cosine';
  warmupEpochs?: number;
  weightDecay?: number;
}
export interface DatasetStep {
  id: string;
  type: 'dataset';
  folder: string;
  split?: { protocol?: 'random' | 'leave-out'; factor?: string; heldOut?: string[]; val?: number; test?: number; stratifyBy?: string[] };
  limit?: number;
}
export interface FeaturesStep {
  id: string;
  type: 'features';
  from?: string[];
  timeSteps?: number;
  phaseSubcarrierStride?: number;
  dopplerBands?: number;
  amplitudeGroups?: number;
  normalize?: 'sample' | 'none';
  crop?: 'auto' | 'motion' | 'none';
  dopplerCompress?: number;
  inputs?: 'auto' | 'both' | 'doppler';
  despike?: 'hampel' | 'none';
  amplitudeMean?: 'keep' | 'remove';
  amplitudeSpectrum?: 'mean' | 'pca';
}
export interface PriorStep {
  id: string;
  type: 'prior';
  from?: string[];
  provider?: 'glove';
  promptSets?: ('widar' | 'wiar' | 'fition')[];
  gesturesFile?: string;
  file?: string;
  alpha?: number;
  tau?: number;
}
export interface TeacherStep {
  id: string;
  type: 'teacher';
  from?: string[];
  semantic?: boolean;
  crossAttention?: boolean;
  supervision?: 'semantic' | 'uniform' | 'shuffled' | 'onehot';
  alignWeight?: number;
  alignTau?: number;
  kernels?: number[];
  branchFilters?: number;
  stride?: number;
  dModel?: number;
  heads?: number;
  ffn?: number;
  blocks?: number;
  dopplerStem?: number[];
  augment?: AugmentSpec;
  train?: TrainSpec;
}
export interface StudentStep {
  id: string;
  type: 'student';
  from?: string[];
  mode?: 'distill' | 'ce';
  ceWeight?: number;
  kdWeight?: number;
  featWeight?: number;
  temperature?: number;
  mixup?: number;
  filters?: [number, number];
  kernels?: [number, number];
  strides?: [number, number];
  dopplerStem?: number[];
  export?: boolean;
  augment?: AugmentSpec;
  train?: TrainSpec;
}
export interface EvaluateStep {
  id: string;
  type: 'evaluate';
  models?: string[];
  factors?: string[];
  latencyRepeats?: number;
}
export interface CompareStep {
  id: string;
  type: 'compare';
  models?: string[];
}
export type Step = DatasetStep | FeaturesStep | PriorStep | TeacherStep | StudentStep | EvaluateStep | CompareStep;

export interface ExperimentSpec {
  $schema?: string;
  name: string;
  description?: string;
  seed?: number;
  steps: Step[];
}

export const EXPERIMENT_SCHEMA = schema as unknown as Schema;

/** Validates against the schema, then checks what a schema cannot: unique ids, `from` names earlier steps. */
export function parseSpec(json: unknown, file = 'experiment'): ExperimentSpec {
  const errs = checkSchema(json, EXPERIMENT_SCHEMA, EXPERIMENT_SCHEMA);
  if (errs.length) throw new ExperimentError('bad-spec', errs.slice(0, 8).join('; '), file);
  const spec = json as ExperimentSpec;
  const seen = new Set<string>();
  spec.steps.forEach((s, i) => {
    if (seen.has(s.id)) throw new ExperimentError('bad-spec', `$.steps[${i}].id: duplicate step id "${s.id}"`, file);
    const from = 'from' in s ? (s.from ?? []) : [];
    for (const f of from)
      if (!seen.has(f)) throw new ExperimentError('bad-spec', `$.steps[${i}].from: "${f}" is not an earlier step`, file);
    seen.add(s.id);
  });
  return spec;
}

/** The upstream step of `type` for step index i: named in `from`, else the nearest earlier step of that type. */
export function upstream<T extends Step['type']>(
  spec: ExperimentSpec,
  i: number,
  type: T,
  required = true,
): Extract<Step, { type: T }> | undefined {
  const s = spec.steps[i];
  const from = 'from' in s ? (s.from ?? []) : [];
  const named = spec.steps.find(x => from.includes(x.id) && x.type === type);
  if (named) return named as Extract<Step, { type: T }>;
  for (let j = i - 1; j >= 0; j--) if (spec.steps[j].type === type) return spec.steps[j] as Extract<Step, { type: T }>;
  if (required) throw new ExperimentError('bad-spec', `step "${s.id}" needs an earlier "${type}" step`);
  return undefined;
}
