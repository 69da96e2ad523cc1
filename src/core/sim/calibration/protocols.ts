// Widar3.0-style evaluation protocols over a table of samples: random k-fold in-domain, and leave-one-out over a
// domain factor (location, orientation, user, room). Reports mean ± std over folds (csi-simulator.md §8.2).
import { predictSoftmax, trainSoftmax, type TrainOptions } from './softmaxRegression';

export interface Row { x: Float32Array; label: number; user: number; room: number; location: number; orientation: number }
export type Factor = 'location' | 'orientation' | 'user' | 'room';
export interface SplitResult { folds: number[]; mean: number; std: number; chance: number }

function summarise(folds: number[], nClasses: number): SplitResult {
  const mean = folds.reduce((a, b) => a + b, 0) / folds.length;
  const std = Math.sqrt(folds.reduce((a, b) => a + (b - mean) ** 2, 0) / folds.length);
  return { folds, mean, std, chance: 1 / nClasses };
}

function accuracy(train: Row[], test: Row[], nClasses: number, o: TrainOptions): number {
  const m = trainSoftmax(train.map(r => r.x), train.map(r => r.label), nClasses, o);
  return test.filter(r => predictSoftmax(m, r.x) === r.label).length / test.length;
}

/** k-fold over a fixed deterministic shuffle (Fisher–Yates driven by a small LCG so results are reproducible). */
export function inDomain(rows: Row[], nClasses: number, k = 5, o: TrainOptions = {}): SplitResult {
  const idx = rows.map((_, i) => i);
  let s = 12345;
  for (let i = idx.length - 1; i > 0; i--) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; const j = s % (i + 1); [idx[i], idx[j]] = [idx[j], idx[i]]; }
  const folds: number[] = [];
  for (let f = 0; f < k; f++) {
    const test = idx.filter((_, i) => i % k === f).map(i => rows[i]);
    const train = idx.filter((_, i) => i % k !== f).map(i => rows[i]);
    folds.push(accuracy(train, test, nClasses, o));
  }
  return summarise(folds, nClasses);
}

export function leaveOneOut(rows: Row[], factor: Factor, nClasses: number, o: TrainOptions = {}): SplitResult & { values: number[] } {
  const values = [...new Set(rows.map(r => r[factor]))].sort((a, b) => a - b);
  const folds = values.map(v => accuracy(rows.filter(r => r[factor] !== v), rows.filter(r => r[factor] === v), nClasses, o));
  return { ...summarise(folds, nClasses), values };
}
