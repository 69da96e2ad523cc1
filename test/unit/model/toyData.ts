// A tiny synthetic dual-path dataset whose class is visible in both paths (a class-dependent frequency in the
// phase path, a class-dependent band in the Doppler path, plus seeded noise), for "the pipeline can learn" tests.
import { seededRandom } from '../../../src/core/data/seededRandom';
import type { TensorDataset } from '../../../src/core/features/tensorDataset';

export function toyDataset(n: number, C: number, T = 16, F1 = 4, F2 = 6, seed = 1, noise = 0.3): TensorDataset {
  const rng = seededRandom(seed);
  const phase = new Float32Array(n * T * F1),
    doppler = new Float32Array(n * T * F2),
    labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = i % C;
    labels[i] = y;
    for (let t = 0; t < T; t++) {
      for (let f = 0; f < F1; f++) phase[(i * T + t) * F1 + f] = Math.sin((2 * Math.PI * (y + 1) * t) / T + f) + noise * (rng() - 0.5);
      for (let f = 0; f < F2; f++) doppler[(i * T + t) * F2 + f] = (f % C === y ? 1 : 0) + noise * (rng() - 0.5);
    }
  }
  return {
    T,
    F1,
    F2,
    classes: Array.from({ length: C }, (_, c) => `c${c}`),
    ids: Array.from({ length: n }, (_, i) => `s${i}`),
    phase,
    doppler,
    labels,
    domains: Array.from({ length: n }, (_, i) => ({ user: String(i % 2) })),
  };
}
