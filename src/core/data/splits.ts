// Train/val/test splits over a DatasetIndex, by sample id. Two families (csi-simulator.md §8.2; Widar3.0 and
// GesFiCode protocols, glsda-widar-notes.md §2):
//   - randomSplit: in-domain, stratified by class (and optionally by domain factors, e.g. per user for WiAR's
//     "within-volunteer" protocol), seeded.
//   - leaveOutSplit: every sample whose `factor` value is in `heldOut` goes to test (leave-one-user/location/
//     orientation/room/session-out, or several values at once, e.g. repetitions 12–15); val is a seeded
//     class-stratified fraction of the rest. leaveOneOutFolds gives one split per value.
// A sample is one gesture instance with all its receivers, so receivers never straddle a split.
// Impossible requests throw DataError('impossible-split') saying why; soft problems (a class absent from train)
// are listed in `warnings`.
import { DataError } from './errors';
import type { DatasetIndex, DatasetSample } from './sample';
import { seededRandom, shuffleInPlace } from './seededRandom';

export interface Split {
  name: string;
  description: string;
  train: string[];
  val: string[];
  test: string[];
  seed: number | string;
  heldOut?: { factor: string; values: string[] };
  warnings: string[];
}

export interface RandomSplitOptions {
  seed?: number | string;
  /** Fractions of each stratum; default 0.7 / 0.15 / 0.15. */
  val?: number;
  test?: number;
  /** Domain factors to stratify by in addition to the class, e.g. ['user']. */
  stratifyBy?: readonly string[];
}

function checkFractions(...f: number[]): void {
  if (f.some(x => !(x >= 0 && x < 1)) || f.reduce((a, b) => a + b, 0) >= 1) {
    throw new DataError('bad-params', `split fractions must be in [0, 1) and sum to < 1, got ${f.join(', ')}`);
  }
}

function strata(samples: readonly DatasetSample[], by: readonly string[]): Map<string, DatasetSample[]> {
  const m = new Map<string, DatasetSample[]>();
  for (const s of samples) {
    const k = [String(s.label), ...by.map(f => s.domain[f] ?? '')].join('\u0000');
    const list = m.get(k);
    if (list) list.push(s);
    else m.set(k, [s]);
  }
  return m;
}

/** Seeded per-stratum allocation; largest-remainder rounding keeps totals close to the fractions. */
function allocate(
  samples: readonly DatasetSample[],
  by: readonly string[],
  fVal: number,
  fTest: number,
  rng: () => number,
): { train: string[]; val: string[]; test: string[] } {
  const train: string[] = [],
    val: string[] = [],
    test: string[] = [];
  // Sort strata keys so the result does not depend on sample order in the index.
  const m = strata(samples, by);
  for (const k of [...m.keys()].sort()) {
    const ids = shuffleInPlace(
      m
        .get(k)!
        .map(s => s.id)
        .sort(),
      rng,
    );
    const n = ids.length;
    let nTest = Math.round(n * fTest),
      nVal = Math.round(n * fVal);
    // Keep at least one training sample per stratum when possible.
    while (nTest + nVal >= n && n > 0 && nTest + nVal > 0) {
      if (nVal >= nTest && nVal > 0) nVal--;
      else nTest--;
    }
    test.push(...ids.slice(0, nTest));
    val.push(...ids.slice(nTest, nTest + nVal));
    train.push(...ids.slice(nTest + nVal));
  }
  return { train, val, test };
}

function classCoverage(index: DatasetIndex, ids: readonly string[], side: string): string[] {
  const byId = new Map(index.samples.map(s => [s.id, s]));
  const have = new Set(ids.map(i => byId.get(i)!.label));
  const missing = index.classes.filter((_, c) => !have.has(c) && index.samples.some(s => s.label === c));
  return missing.length ? [`${side} has no sample of class(es): ${missing.join(', ')}`] : [];
}

export function randomSplit(index: DatasetIndex, opts: RandomSplitOptions = {}): Split {
  const seed = opts.seed ?? 0,
    fVal = opts.val ?? 0.15,
    fTest = opts.test ?? 0.15,
    by = opts.stratifyBy ?? [];
  checkFractions(fVal, fTest);
  for (const f of by) {
    const missing = index.samples.filter(s => s.domain[f] === undefined);
    if (missing.length)
      throw new DataError('impossible-split', `cannot stratify by "${f}": ${missing.length} samples lack it (e.g. ${missing[0].id})`, {
        factor: f,
      });
  }
  const { train, val, test } = allocate(index.samples, by, fVal, fTest, seededRandom(seed));
  if (!train.length || (fTest > 0 && !test.length)) {
    throw new DataError(
      'impossible-split',
      `random split of ${index.samples.length} samples gave ${train.length} train / ${test.length} test: too few samples per class${by.length ? ` and ${by.join(', ')}` : ''}`,
    );
  }
  return {
    name: `random${by.length ? `-by-${by.join('-')}` : ''}`,
    description:
      `in-domain random split, stratified by class${by.length ? ` × ${by.join(' × ')}` : ''}: ` +
      `${Math.round((1 - fVal - fTest) * 100)}/${Math.round(fVal * 100)}/${Math.round(fTest * 100)} % (seed ${seed}); ` +
      `${train.length} train, ${val.length} val, ${test.length} test`,
    train,
    val,
    test,
    seed,
    warnings: classCoverage(index, train, 'train'),
  };
}

export interface LeaveOutOptions {
  factor: string;
  heldOut: string | readonly string[];
  /** Fraction of the non-held-out samples used for validation (class-stratified). Default 0.15. */
  val?: number;
  seed?: number | string;
}

/** Distinct values of a domain factor (throws if some samples lack it). */
export function domainValues(index: DatasetIndex, factor: string): string[] {
  const missing = index.samples.filter(s => s.domain[factor] === undefined);
  if (missing.length) {
    throw new DataError(
      'impossible-split',
      `${missing.length} of ${index.samples.length} samples have no "${factor}" (e.g. ${missing[0].id}); this dataset (${index.layout}) cannot be split by ${factor}`,
      { factor },
    );
  }
  return [...new Set(index.samples.map(s => s.domain[factor]!))].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
}

export function leaveOutSplit(index: DatasetIndex, opts: LeaveOutOptions): Split {
  const { factor } = opts;
  const held = [...new Set(typeof opts.heldOut === 'string' ? [opts.heldOut] : opts.heldOut)];
  const seed = opts.seed ?? 0,
    fVal = opts.val ?? 0.15;
  checkFractions(fVal);
  const values = domainValues(index, factor);
  if (values.length < 2) {
    throw new DataError(
      'impossible-split',
      `leave-${factor}-out needs at least 2 distinct ${factor} values; this dataset has only ${values.map(v => `"${v}"`).join(', ')}`,
      { factor, values },
    );
  }
  const unknown = held.filter(v => !values.includes(v));
  if (!held.length || unknown.length) {
    throw new DataError(
      'impossible-split',
      `held-out ${factor} value(s) ${unknown.map(v => `"${v}"`).join(', ') || '(none)'} not in the dataset; available: ${values.join(', ')}`,
      { factor, values },
    );
  }
  if (held.length === values.length)
    throw new DataError('impossible-split', `holding out every ${factor} (${values.join(', ')}) leaves nothing to train on`, { factor });
  const test = index.samples.filter(s => held.includes(s.domain[factor]!)).map(s => s.id);
  const rest = index.samples.filter(s => !held.includes(s.domain[factor]!));
  const { train, val } = allocate(rest, [], fVal, 0, seededRandom(seed));
  const warnings = classCoverage(index, train, 'train');
  return {
    name: `leave-${factor}-out:${held.join('+')}`,
    description:
      `cross-${factor}: test on ${factor} ${held.join(', ')} (${test.length} samples); train/val on ${factor} ` +
      `${values.filter(v => !held.includes(v)).join(', ')} (${train.length} train, ${val.length} val, class-stratified ${Math.round(fVal * 100)} % val, seed ${seed})`,
    train,
    val,
    test,
    seed,
    heldOut: { factor, values: held },
    warnings,
  };
}

/** One leave-one-out split per distinct value of `factor`. */
export function leaveOneOutFolds(index: DatasetIndex, factor: string, opts: Omit<LeaveOutOptions, 'factor' | 'heldOut'> = {}): Split[] {
  return domainValues(index, factor).map(v => leaveOutSplit(index, { ...opts, factor, heldOut: v }));
}
