// Semantic-aware soft supervision and its two mandatory controls (semantic-prior.md §4.4–4.5, §4.8).
//
// Semantic soft label for true class y, from the class similarity matrix S (C × C):
//   self = 'exclude' (default, recommended):
//       Q_yj = exp(S_yj/τ) / Σ_{k≠y} exp(S_yk/τ)  for j ≠ y,  Q_yy = 0
//       q_y  = (1−α)·onehot(y) + α·Q_y            → the true class keeps exactly 1−α; α sets how much mass moves,
//                                                  τ only how it is spread over the neighbours.
//   self = 'include' (the literal "softmax over the row"):
//       Q_yj = exp(S_yj/τ) / Σ_k exp(S_yk/τ)      → true-class mass is (1−α) + α·Q_yy, which depends on τ and on
//                                                  how crowded the class's neighbourhood is.
// Limits (exclude mode): τ → 0 puts all α on the most similar other class (ties split evenly); τ → ∞ gives
// α/(C−1) on every other class, i.e. exactly the uniform-smoothing control below.
//
// Controls:
//   uniformSmoothing: same α, spread evenly: exclude → α/(C−1) on each other class; include → α/C on every class
//     (classic label smoothing), so each control matches the corresponding semantic mode's mass budget.
//   shuffledSimilarity: S with rows and columns permuted by one seeded random cyclic permutation π (no class keeps
//     its own row): S'_ij = S_π(i)π(j). Same spectrum and same distribution of similarities, wrong class identities,
//     so "semantics helped" is only claimed if the real prior beats this.
import { seededRandom } from '../data/seededRandom';
import { SemanticError } from './errors';

export type SelfMode = 'exclude' | 'include';

export interface SoftLabelOptions {
  /** Mixing weight with the one-hot, in [0, 1]. Default 0.15. */
  alpha?: number;
  /** Softmax temperature, > 0. Default 1 (see DEFAULT_SOFT_LABEL_OPTIONS). */
  tau?: number;
  self?: SelfMode;
}

/**
 * τ = 1, not the design note's 0.1 (semantic-prior.md §4.4): with the GloVe prior's centred cosine similarities
 * (about −0.5 … 0.5 between classes) τ = 0.1 puts nearly all of α on one neighbour, a strong claim a word-vector prior
 * cannot back; at τ = 1 the neighbours still get 2–3× the mass of unrelated classes (measured: docs/decisions.md,
 * "soft-label temperature").
 */
export const DEFAULT_SOFT_LABEL_OPTIONS: Required<SoftLabelOptions> = { alpha: 0.15, tau: 1, self: 'exclude' };

function checkSquare(sim: readonly (readonly number[])[]): number {
  const C = sim.length;
  if (C < 2) throw new SemanticError('bad-params', `similarity matrix must be at least 2 × 2, got ${C} rows`);
  sim.forEach((row, i) => {
    if (row.length !== C) throw new SemanticError('bad-params', `similarity row ${i} has ${row.length} entries, expected ${C}`);
    row.forEach((x, j) => {
      if (!Number.isFinite(x)) throw new SemanticError('bad-params', `similarity[${i}][${j}] is not finite`);
    });
  });
  return C;
}

function checkAlpha(alpha: number): void {
  if (!(alpha >= 0 && alpha <= 1)) throw new SemanticError('bad-params', `alpha must be in [0, 1], got ${alpha}`);
}

/** C × C table: row y is the soft target for samples whose true class is y. Rows sum to 1. */
export function semanticSoftLabels(sim: readonly (readonly number[])[], options: SoftLabelOptions = {}): number[][] {
  const { alpha, tau, self } = { ...DEFAULT_SOFT_LABEL_OPTIONS, ...options };
  const C = checkSquare(sim);
  checkAlpha(alpha);
  if (!(tau > 0) || !Number.isFinite(tau)) throw new SemanticError('bad-params', `tau must be a finite number > 0, got ${tau}`);
  return sim.map((row, y) => {
    const cols = row.map((_, j) => j).filter(j => self === 'include' || j !== y);
    // Subtract the max before exp so tiny τ neither overflows nor underflows to 0/0.
    const m = Math.max(...cols.map(j => row[j]));
    const ex = new Float64Array(C);
    let z = 0;
    for (const j of cols) {
      ex[j] = Math.exp((row[j] - m) / tau);
      z += ex[j];
    }
    return row.map((_, j) => (j === y ? 1 - alpha : 0) + (alpha * ex[j]) / z);
  });
}

/** Uniform label smoothing with the same α (see file header for how `self` is matched). */
export function uniformSmoothing(C: number, alpha: number, self: SelfMode = 'exclude'): number[][] {
  if (!Number.isInteger(C) || C < 2) throw new SemanticError('bad-params', `need an integer C >= 2 classes, got ${C}`);
  checkAlpha(alpha);
  const off = self === 'exclude' ? alpha / (C - 1) : alpha / C;
  const on = self === 'exclude' ? 1 - alpha : 1 - alpha + alpha / C;
  return Array.from({ length: C }, (_, y) => Array.from({ length: C }, (_, j) => (j === y ? on : off)));
}

/** Seeded random cyclic permutation (Sattolo's algorithm): a derangement, so no class keeps its own row. */
export function cyclicPermutation(C: number, seed: number | string): number[] {
  const rng = seededRandom(seed);
  const p = Array.from({ length: C }, (_, i) => i);
  for (let i = C - 1; i > 0; i--) {
    const j = Math.floor(rng() * i); // j < i (not ≤ i): this is what makes the result a single cycle
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Shuffled-similarity control: S'_ij = S_π(i)π(j) with π = cyclicPermutation(C, seed). */
export function shuffledSimilarity(
  sim: readonly (readonly number[])[],
  seed: number | string,
): { similarity: number[][]; permutation: number[] } {
  const C = checkSquare(sim);
  const perm = cyclicPermutation(C, seed);
  return { similarity: perm.map(pi => perm.map(pj => sim[pi][pj])), permutation: perm };
}

/** Expands a C × C table into per-sample targets (N × C, row-major Float32) for integer labels. */
export function targetsForLabels(table: readonly (readonly number[])[], labels: ArrayLike<number>): Float32Array {
  const C = table.length,
    out = new Float32Array(labels.length * C);
  for (let n = 0; n < labels.length; n++) {
    const y = labels[n];
    if (!Number.isInteger(y) || y < 0 || y >= C) throw new SemanticError('bad-params', `label ${y} at index ${n} is outside 0..${C - 1}`);
    out.set(table[y], n * C);
  }
  return out;
}
