// Widar3.0-style evaluation protocols over a table of samples: random k-fold in-domain, and leave-one-out over a
// domain factor (location, orientation, user, room). Reports mean ± std over folds (csi-simulator.md §8.2). The
// classifier is a parameter (the CNN baseline, or softmax regression as the cheap reference), so every model is
// scored on exactly the same folds.
import type { Classifier, Row } from '../../src/core/model/baselines/classifier';

export { softmaxClassifier, type Classifier, type Row } from '../../src/core/model/baselines/classifier';

export type Factor = 'location' | 'orientation' | 'user' | 'room';
export interface SplitResult {
  folds: number[];
  mean: number;
  std: number;
  chance: number;
}

function summarise(folds: number[], nClasses: number): SplitResult {
  const mean = folds.reduce((a, b) => a + b, 0) / folds.length;
  const std = Math.sqrt(folds.reduce((a, b) => a + (b - mean) ** 2, 0) / folds.length);
  return { folds, mean, std, chance: 1 / nClasses };
}

/** The k test folds of a fixed deterministic shuffle (Fisher–Yates driven by a small LCG, so results are reproducible). */
export function kFolds(n: number, k: number): number[][] {
  const idx = Array.from({ length: n }, (_, i) => i);
  let s = 12345;
  for (let i = idx.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return Array.from({ length: k }, (_, f) => idx.filter((_, i) => i % k === f));
}

export async function inDomain(rows: Row[], nClasses: number, classify: Classifier, k = 5): Promise<SplitResult> {
  const folds: number[] = [];
  for (const testIdx of kFolds(rows.length, k)) {
    const inTest = new Set(testIdx);
    folds.push(
      await classify(
        rows.filter((_, i) => !inTest.has(i)),
        testIdx.map(i => rows[i]),
        nClasses,
      ),
    );
  }
  return summarise(folds, nClasses);
}

/** Leave each value of `factor` out in turn (or only the values in `only`, e.g. the GLSDA table's held-out folds). */
export async function leaveOneOut(
  rows: Row[],
  factor: Factor,
  nClasses: number,
  classify: Classifier,
  only?: readonly number[],
): Promise<SplitResult & { values: number[] }> {
  const values = [...new Set(rows.map(r => r[factor]))].sort((a, b) => a - b).filter(v => !only || only.includes(v));
  const folds: number[] = [];
  for (const v of values)
    folds.push(
      await classify(
        rows.filter(r => r[factor] !== v),
        rows.filter(r => r[factor] === v),
        nClasses,
      ),
    );
  return { ...summarise(folds, nClasses), values };
}
