// Classification metrics computed from predictions: accuracy, macro-F1 (mean over classes of the per-class F1;
// a class with no support and no predictions is left out of the mean, as sklearn's labels= restricted to present
// classes would), confusion matrix [true][pred], and accuracy per value of each domain factor.
import type { DomainFactors } from '../data/sample';

export interface ClassificationMetrics {
  n: number;
  accuracy: number;
  macroF1: number;
  perClassF1: (number | null)[];
  confusion: number[][];
  /** factor → value → { n, accuracy } */
  perDomain: Record<string, Record<string, { n: number; accuracy: number }>>;
}

export function classificationMetrics(
  pred: ArrayLike<number>,
  truth: ArrayLike<number>,
  C: number,
  domains?: readonly DomainFactors[],
  factors: readonly string[] = [],
): ClassificationMetrics {
  const n = truth.length;
  const confusion = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  let correct = 0;
  for (let i = 0; i < n; i++) {
    confusion[truth[i]][pred[i]]++;
    if (pred[i] === truth[i]) correct++;
  }
  const perClassF1: (number | null)[] = [];
  for (let c = 0; c < C; c++) {
    const tp = confusion[c][c];
    let support = 0,
      predicted = 0;
    for (let j = 0; j < C; j++) {
      support += confusion[c][j];
      predicted += confusion[j][c];
    }
    if (support === 0 && predicted === 0) {
      perClassF1.push(null);
      continue;
    }
    perClassF1.push((2 * tp) / (support + predicted));
  }
  const present = perClassF1.filter((f): f is number => f !== null);
  const perDomain: ClassificationMetrics['perDomain'] = {};
  if (domains) {
    for (const f of factors) {
      const acc: Record<string, { n: number; c: number }> = {};
      for (let i = 0; i < n; i++) {
        const v = domains[i]?.[f];
        if (v === undefined) continue;
        const a = (acc[v] ??= { n: 0, c: 0 });
        a.n++;
        if (pred[i] === truth[i]) a.c++;
      }
      perDomain[f] = Object.fromEntries(
        Object.entries(acc)
          .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
          .map(([v, a]) => [v, { n: a.n, accuracy: a.c / a.n }]),
      );
    }
  }
  return {
    n,
    accuracy: n ? correct / n : 0,
    macroF1: present.length ? present.reduce((a, b) => a + b, 0) / present.length : 0,
    perClassF1,
    confusion,
    perDomain,
  };
}
