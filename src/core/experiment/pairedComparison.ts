// Paired comparison of two models on the same test samples, from their per-sample predictions (predictions.ts):
// agreement (same predicted class), the 2×2 correct/incorrect contingency and McNemar's test. Rows are joined by
// sample id, so two runs over the same folder compare on the samples both tested; samples only one run tested, or
// whose recorded true class differs between the runs (different class lists), are counted and left out.
import { mcnemar, type McNemarResult } from './mcnemar';
import type { SamplePrediction } from './predictions';

export interface Contingency {
  bothRight: number;
  onlyA: number;
  onlyB: number;
  bothWrong: number;
}

export interface PairedComparison extends Contingency {
  /** Samples compared (present in both, same true class). */
  n: number;
  /** Fraction of the compared samples where both predict the same class; null when n = 0. */
  agreement: number | null;
  mcnemar: McNemarResult;
  /** Left out: tested by only one model, or given different true classes by the two files. */
  onlyInA: number;
  onlyInB: number;
  truthMismatch: number;
}

export function pairedComparison(a: readonly SamplePrediction[], b: readonly SamplePrediction[]): PairedComparison {
  const byId = new Map(b.map(r => [r.id, r]));
  const c: Contingency = { bothRight: 0, onlyA: 0, onlyB: 0, bothWrong: 0 };
  let n = 0,
    same = 0,
    onlyInA = 0,
    truthMismatch = 0;
  const seen = new Set<string>();
  for (const ra of a) {
    const rb = byId.get(ra.id);
    if (!rb) {
      onlyInA++;
      continue;
    }
    seen.add(ra.id);
    if (rb.truth !== ra.truth) {
      truthMismatch++;
      continue;
    }
    n++;
    if (ra.pred === rb.pred) same++;
    const okA = ra.pred === ra.truth,
      okB = rb.pred === rb.truth;
    if (okA && okB) c.bothRight++;
    else if (okA) c.onlyA++;
    else if (okB) c.onlyB++;
    else c.bothWrong++;
  }
  const onlyInB = b.filter(r => !seen.has(r.id)).length;
  return { n, ...c, agreement: n ? same / n : null, mcnemar: mcnemar(c.onlyA, c.onlyB), onlyInA, onlyInB, truthMismatch };
}
