// Spearman rank correlation and a Mantel permutation test, for asking whether a class-similarity matrix (the semantic
// prior) tracks another class-pair quantity (how often a model confuses the pair). Pairs of classes are not
// independent samples (every class appears in C − 1 pairs), so the p-value comes from relabelling the classes of
// the similarity matrix (rows and columns permuted together: its structure kept, its link to the class names broken),
// the Mantel test, not from the t-distribution of a correlation. Written here because the project has no statistics
// dependency and it is forty lines; the tests check Spearman against scipy.stats.spearmanr.
import { seededRandom, shuffleInPlace } from '../data/seededRandom';

/** Average ranks, 1-based; tied values share the mean of their ranks (as scipy.stats.rankdata 'average'). */
export function averageRanks(x: readonly number[]): number[] {
  const order = x.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(x.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n,
    mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** Spearman's ρ (Pearson correlation of average ranks); NaN when either side is constant. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length < 2)
    throw new RangeError(`spearman needs two series of equal length ≥ 2, got ${a.length} and ${b.length}`);
  return pearson(averageRanks(a), averageRanks(b));
}

/** The upper triangle (i < j) of a square matrix, row by row. */
export function upperTriangle(m: readonly (readonly number[])[], perm?: readonly number[]): number[] {
  const out: number[] = [];
  const p = perm ?? m.map((_, i) => i);
  for (let i = 0; i < m.length; i++) for (let j = i + 1; j < m.length; j++) out.push(m[p[i]][p[j]]);
  return out;
}

export interface MantelResult {
  rho: number;
  pValue: number;
  draws: number;
}

/**
 * One-sided Mantel test of Spearman(upperTriangle(sim), pairValues) > 0: p = (1 + #{relabellings with ρ ≥ observed})
 * / (1 + draws), relabellings drawn by a seeded Fisher–Yates shuffle (data/seededRandom), so a result is reproducible.
 */
export function mantelTest(
  sim: readonly (readonly number[])[],
  pairValues: readonly number[],
  draws = 9999,
  seed: number | string = 1,
): MantelResult {
  const C = sim.length;
  if (sim.some(row => row.length !== C)) throw new RangeError('similarity matrix must be square');
  if (pairValues.length !== (C * (C - 1)) / 2)
    throw new RangeError(`need ${(C * (C - 1)) / 2} pair values for ${C} classes, got ${pairValues.length}`);
  const rho = spearman(upperTriangle(sim), pairValues);
  const rand = seededRandom(seed),
    perm = Array.from({ length: C }, (_, i) => i);
  let atLeast = 0;
  for (let d = 0; d < draws; d++) {
    shuffleInPlace(perm, rand);
    if (spearman(upperTriangle(sim, perm), pairValues) >= rho - 1e-12) atLeast++;
  }
  return { rho, pValue: (atLeast + 1) / (draws + 1), draws };
}
