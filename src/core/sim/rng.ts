// Deterministic random numbers for the simulator.
//
// Why our own generator instead of Math.random: the dataset must be byte-identical for a given seed on every
// machine and Node version, and every subsystem (trajectories, noise, room, NIC) needs its own independent stream so
// that changing one knob does not reshuffle everything else. xoshiro128** (Blackman & Vigna) is small, fast with
// Math.imul, and statistically strong; it is seeded through splitmix32 from a FNV-1a hash of the stream's key path.

/** FNV-1a 32-bit hash of a string (used to turn stream names into seeds). */
export function fnv1a(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) >>> 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** Gaussian quantiles at the 2^16 mid-points, filled once: normals by table lookup cost ~2 ns instead of a Box–Muller. */
let NORMAL_TABLE: Float64Array | undefined;

/** Inverse standard-normal CDF (Acklam's rational approximation, |rel. error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5,
    r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

function normalTable(): Float64Array {
  if (!NORMAL_TABLE) {
    NORMAL_TABLE = new Float64Array(65536);
    for (let i = 0; i < 65536; i++) NORMAL_TABLE[i] = normalQuantile((i + 0.5) / 65536);
  }
  return NORMAL_TABLE;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private readonly table = normalTable();

  /** Seed from a 32-bit integer; the four state words come from splitmix32 so that nearby seeds are unrelated. */
  constructor(seed: number) {
    const st = { s: seed >>> 0 };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Next raw 32-bit output (xoshiro128**). */
  nextU32(): number {
    const r = Math.imul((Math.imul(this.b, 5) << 7) | (Math.imul(this.b, 5) >>> 25), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = (this.d << 11) | (this.d >>> 21);
    return r;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextU32() / 4294967296;
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** Integer uniform in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  bool(p: number): boolean {
    return this.next() < p;
  }
  /** Exponential waiting time of a Poisson process with `rate` events per unit (Infinity when rate is 0). */
  exponential(rate: number): number {
    return rate > 0 ? -Math.log(1 - this.next()) / rate : Infinity;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  /** Standard normal by inverse-CDF table lookup (16-bit resolution, tails to ±4.3σ: ample for thermal noise and jitter). */
  normal(mu = 0, sd = 1): number {
    return mu + sd * this.table[this.nextU32() >>> 16];
  }
  /** Two independent standard normals from one 32-bit draw (the hot path of thermal noise). */
  normalPair(out: Float64Array, at: number): void {
    const u = this.nextU32();
    out[at] = this.table[u >>> 16];
    out[at + 1] = this.table[u & 0xffff];
  }
  /** Fill out[0..n) with independent standard normals (the hot path of thermal noise: one call per packet). */
  fillNormals(out: Float64Array, n: number): void {
    const t = this.table;
    // nextU32 inlined with the state in locals (same sequence; about twice as fast on this hot path).
    let a = this.a,
      b = this.b,
      c = this.c,
      d = this.d;
    for (let i = 0; i + 1 < n; i += 2) {
      const b5 = Math.imul(b, 5);
      const u = Math.imul((b5 << 7) | (b5 >>> 25), 9) >>> 0;
      const tt = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= tt;
      d = (d << 11) | (d >>> 21);
      out[i] = t[u >>> 16];
      out[i + 1] = t[u & 0xffff];
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    if (n & 1) out[n - 1] = t[this.nextU32() >>> 16];
  }
  /** exp(N(mu, sd)). */
  logNormal(mu: number, sd: number): number {
    return Math.exp(this.normal(mu, sd));
  }
  /** Number of events of a Poisson process with the given mean (Knuth's method; means here are small). */
  poisson(mean: number): number {
    const L = Math.exp(-mean);
    let k = 0,
      p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > L && k < 1000);
    return k - 1;
  }
}

/**
 * An independent stream for (global seed, key path). Each subsystem asks for its own stream, e.g.
 * `stream(seed, 'user', 3)` or `stream(seed, 'sample', key, 'noise', rx)`, so samples can be generated in any order
 * or in parallel and still come out identical.
 */
export function stream(seed: number, ...keys: (string | number)[]): Rng {
  let h = fnv1a(String(seed >>> 0));
  for (const k of keys) h = fnv1a('/' + String(k), h);
  return new Rng(h);
}
