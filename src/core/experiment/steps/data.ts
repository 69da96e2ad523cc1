// The data step kinds of a run: dataset (index a folder, split it), features (dual-path tensors through the
// content-addressed feature cache) and prior (the class semantic prior). Each returns what it produced, which the
// runner folds into the step's hash so downstream caches follow content, not only settings.
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { canonicalJson } from '../../features/cache';
import { indexFolder } from '../../data/indexFolder';
import type { DatasetSample } from '../../data/sample';
import { seededRandom, shuffleInPlace } from '../../data/seededRandom';
import { leaveOutSplit, randomSplit } from '../../data/splits';
import { resolvePrompts } from '../../semantics/classPrompts';
import { parseUserGestures } from '../../semantics/userGestures';
import { defaultGloveProvider } from '../../semantics/gloveProvider';
import { buildSemanticPrior, type SemanticPrior } from '../../semantics/prior';
import { readSemanticPrior } from '../../semantics/priorFile';
import { priorForClasses } from '../../semantics/priorForClasses';
import { DEFAULT_SOFT_LABEL_OPTIONS } from '../../semantics/softLabels';
import { DEFAULT_FEATURES, buildTensorDataset, type FeatureParams } from '../../features';
import { ExperimentError } from '../errors';
import { writeJsonAtomic } from '../runStore';
import type { DatasetStep, FeaturesStep, PriorStep } from '../spec';
import type { StepContext } from './types';

/**
 * Said (as a log event) when a leave-out split keeps the amplitude level in path A: measured on WiAR, that level names
 * the recording session (bench/results/wiar-leakage.json), so across volunteers such a model scored at chance where
 * Doppler inputs alone reached about three times chance (bench/results/glsda.json).
 */
export const AMPLITUDE_ACROSS_DOMAINS_NOTE = (factor: string): string =>
  `leaving a ${factor} out with the amplitude level in the phase path: on WiAR that level identifies the recording session, and across volunteers ` +
  `such models scored at chance where "inputs": "doppler" reached about 3× chance; consider "inputs": "doppler" (or "amplitudeMean": "remove") for this split`;

/** Seeded class-balanced subset (round-robin over classes of shuffled samples) for quick runs. */
export function limitSamples(samples: DatasetSample[], limit: number, seed: number): DatasetSample[] {
  if (samples.length <= limit) return samples;
  const byClass = new Map<number, DatasetSample[]>();
  for (const s of [...samples].sort((a, b) => a.id.localeCompare(b.id)))
    (byClass.get(s.label) ?? byClass.set(s.label, []).get(s.label)!).push(s);
  const rng = seededRandom(`${seed}/limit`);
  const lists = [...byClass.keys()].sort((a, b) => a - b).map(k => shuffleInPlace(byClass.get(k)!, rng));
  const out: DatasetSample[] = [];
  for (let r = 0; out.length < limit; r++) for (const l of lists) if (r < l.length && out.length < limit) out.push(l[r]);
  return out;
}

export async function datasetStep(c: StepContext, step: DatasetStep, info: Record<string, unknown>): Promise<string> {
  const { o, seed, metrics, emit } = c;
  const folder = path.resolve(o.baseDir ?? '.', step.folder);
  let index = await indexFolder(folder);
  if (!index.samples.length) {
    const errs = index.diagnostics
      .filter(d => d.severity === 'error')
      .slice(0, 3)
      .map(d => d.message);
    throw new ExperimentError(
      'step-failed',
      `no labelled samples found in ${folder} (layout ${index.layout})${errs.length ? `: ${errs.join('; ')}` : ''}`,
    );
  }
  if (step.limit) index = { ...index, samples: limitSamples(index.samples, step.limit, seed) };
  const sp = step.split ?? {};
  const split =
    (sp.protocol ?? 'random') === 'leave-out'
      ? leaveOutSplit(index, { factor: sp.factor ?? 'user', heldOut: sp.heldOut ?? [], val: sp.val, seed })
      : randomSplit(index, { seed, val: sp.val, test: sp.test, stratifyBy: sp.stratifyBy });
  const byId = new Map(index.samples.map(s => [s.id, s]));
  const samples = [...split.train, ...split.val, ...split.test].map(x => byId.get(x)!);
  c.datasets.set(step.id, { index, split, samples });
  metrics.split = {
    name: split.name,
    description: split.description,
    train: split.train.length,
    val: split.val.length,
    test: split.test.length,
  };
  metrics.chance = 1 / index.classes.length;
  Object.assign(info, {
    layout: index.layout,
    classes: index.classes,
    samples: index.samples.length,
    split: metrics.split,
    warnings: split.warnings,
  });
  for (const w of split.warnings) emit({ kind: 'log', step: step.id, message: `split: ${w}` });
  return canonicalJson({ split: [split.train, split.val, split.test], classes: index.classes });
}

export async function featuresStep(c: StepContext, step: FeaturesStep, upDataset: string, info: Record<string, unknown>): Promise<string> {
  const { o, emit } = c;
  const ds = c.datasets.get(upDataset)!;
  const p: FeatureParams = {
    ...DEFAULT_FEATURES,
    ...Object.fromEntries(
      Object.entries({
        timeSteps: step.timeSteps,
        phaseSubcarrierStride: step.phaseSubcarrierStride,
        dopplerBands: step.dopplerBands,
        amplitudeGroups: step.amplitudeGroups,
        normalize: step.normalize,
        crop: step.crop,
        dopplerCompress: step.dopplerCompress,
        inputs: step.inputs,
        despike: step.despike,
        amplitudeMean: step.amplitudeMean,
        amplitudeSpectrum: step.amplitudeSpectrum,
      }).filter(([, v]) => v !== undefined),
    ),
  };
  const skipped: string[] = [];
  const data = await buildTensorDataset(ds.index, ds.samples, p, {
    cache: c.featureCache,
    signal: o.signal,
    onProgress: (done, total) => emit({ kind: 'features', step: step.id, done, total }),
    onSampleError: (s, e) => {
      skipped.push(`${s.id}: ${e.message}`);
    },
  });
  const pos = new Map(data.ids.map((x, k) => [x, k]));
  const pick = (ids: string[]) => ids.map(x => pos.get(x)).filter((k): k is number => k !== undefined);
  const fsState = { data, train: pick(ds.split.train), val: pick(ds.split.val), test: pick(ds.split.test) };
  c.features.set(step.id, fsState);
  o.onFeatures?.(step.id, data, fsState);
  const h = createHash('sha256');
  for (const a of [data.phase, data.doppler, data.labels]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  const produced = h.update(data.ids.join('\n')).digest('hex');
  Object.assign(info, {
    params: p,
    F1: data.F1,
    F2: data.F2,
    samples: data.labels.length,
    skipped: skipped.slice(0, 20),
    skippedCount: skipped.length,
    cache: { ...c.featureCache.stats },
  });
  // Only domain splits: holding repetitions out stays inside each recording session, where the level is
  // shared by train and test. (amplitudeGroups 0 means no amplitude on a multi-antenna receiver, but a
  // one-antenna receiver's path A is its amplitude whatever that setting.)
  const held = ds.split.heldOut;
  if (held && held.factor !== 'repetition' && (data.amplitudeColumns ?? 0) > 0 && p.amplitudeMean === 'keep') {
    const note = AMPLITUDE_ACROSS_DOMAINS_NOTE(held.factor);
    info.notes = [note]; // kept with the step, so the notebook's result says it after the run
    emit({ kind: 'log', step: step.id, message: note });
  }
  if (!data.labels.length) throw new ExperimentError('step-failed', `no sample produced features (${skipped[0] ?? 'none given'})`);
  return produced;
}

export async function priorStep(c: StepContext, step: PriorStep, upData: string, info: Record<string, unknown>): Promise<string> {
  const { o } = c;
  const ds = c.datasets.get(upData)!;
  const classes = ds.index.classes;
  let prior: SemanticPrior;
  if (step.file) {
    // A frozen prior made elsewhere (an embeddings endpoint, a VS Code language model): read, checked against
    // its content hash, fitted to this dataset's classes. The prompts and provider are the file's.
    const clash = (['provider', 'promptSets', 'gesturesFile'] as const).filter(k => step[k] !== undefined);
    if (clash.length)
      throw new ExperimentError(
        'bad-spec',
        `prior step "${step.id}": "file" gives the whole prior; remove ${clash.map(k => `"${k}"`).join(', ')}`,
      );
    const pf = path.resolve(o.baseDir ?? '.', step.file);
    prior = priorForClasses(await readSemanticPrior(pf), classes, pf);
  } else {
    let user;
    if (step.gesturesFile) {
      const gf = path.resolve(o.baseDir ?? '.', step.gesturesFile);
      user = parseUserGestures(await fs.readFile(gf, 'utf8'), gf);
    }
    prior = await buildSemanticPrior({
      classes,
      prompts: resolvePrompts(classes, { sets: step.promptSets, user }),
      provider: defaultGloveProvider(),
      signal: o.signal,
      buildDate: new Date(0),
    });
  }
  c.priors.set(step.id, { prior, alpha: step.alpha ?? DEFAULT_SOFT_LABEL_OPTIONS.alpha, tau: step.tau ?? DEFAULT_SOFT_LABEL_OPTIONS.tau });
  await writeJsonAtomic(path.join(c.paths.artifacts, `${step.id}.prior.json`), prior);
  Object.assign(info, {
    classes,
    provider: prior.provider,
    model: prior.model,
    dims: prior.dims,
    sha256: prior.sha256,
    ...(step.file ? { file: step.file } : {}),
  });
  return prior.sha256;
}
