// Deterministic PRNG for splits and shuffled controls. Math.random cannot be seeded, and results must be
// reproducible from a seed recorded in the experiment. mulberry32: tiny, fast, 32-bit state, good enough for
// shuffling (not for cryptography). Seeds are mixed through a string hash so 'seed 1' and 'seed 2' diverge at once.

export type Rng = () => number;

/** Uniform [0, 1) generator from an integer or string seed. */
export function seededRandom(seed: number | string): Rng {
  let h = 2166136261 >>> 0; // FNV-1a over the seed's text, so any seed value maps to a well-mixed 32-bit state
  for (const ch of String(seed)) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return mulberry32(h);
}

/** mulberry32 from a raw 32-bit state (the fuzzers and test fixtures seed it directly). */
export function mulberry32(state: number): Rng {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle (in place) using `rng`. */
export function shuffleInPlace<T>(a: T[], rng: Rng): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
