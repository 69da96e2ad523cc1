// Butterworth IIR design as second-order sections (SOS), the scipy.signal.butter(..., output='sos') recipe:
// analog prototype poles → frequency transform (low/high/band-pass) → bilinear transform with pre-warping.
//
// Why our own code instead of a library: the only DSP dependency we have is fft.js; the design is ~100 lines
// and its output is checked in the tests against the exact analytic magnitude of a bilinear Butterworth
// (|H|² = 1/(1+(tan(πf/fs)/tan(πfc/fs))^{2n})) and against scipy's published butter(4, 0.2) coefficients.
//
// Why SOS and not b/a polynomials: Widar's high-pass (order 3 at 2 Hz with fs = 1000 Hz, i.e. 0.004 of the
// sample rate) has poles within 1e-2 of z = 1; expanded to a polynomial, rounding moves them noticeably.
// Sections keep every pole pair well conditioned.

import { DspError } from './errors';

/** Typed error for designs that cannot exist (cut-off outside (0, fs/2), order < 1, ...). */
export class FilterDesignError extends DspError {
  constructor(message: string) {
    super('bad-filter', message);
  }
}

/** One biquad: b0 + b1 z⁻¹ + b2 z⁻² over 1 + a1 z⁻¹ + a2 z⁻² (a0 normalised to 1, as scipy's sos rows). */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

export type FilterKind = 'lowpass' | 'highpass' | 'bandpass';

export interface ButterworthDesign {
  kind: FilterKind;
  order: number;
  fs: number;
  /** Cut-off(s) in Hz: [fc] or [fLow, fHigh]. */
  cutoffHz: number[];
  sections: Biquad[];
}

interface C {
  re: number;
  im: number;
}
const cmul = (a: C, b: C): C => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
const cdiv = (a: C, b: C): C => {
  const d = b.re * b.re + b.im * b.im;
  return { re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d };
};
const csqrt = (a: C): C => {
  const r = Math.hypot(a.re, a.im);
  const re = Math.sqrt((r + a.re) / 2);
  const im = Math.sign(a.im || 1) * Math.sqrt(Math.max(0, (r - a.re) / 2));
  return { re, im };
};

/** Left-half-plane poles of the order-n analog Butterworth prototype with cut-off 1 rad/s. */
function prototypePoles(n: number): C[] {
  const p: C[] = [];
  for (let k = 0; k < n; k++) {
    const theta = (Math.PI * (2 * k + n + 1)) / (2 * n);
    p.push({ re: Math.cos(theta), im: Math.sin(theta) });
  }
  return p;
}

/** Bilinear transform of one analog pole: z = (2fs + s)/(2fs − s). */
function bilinear(s: C, fs: number): C {
  return cdiv({ re: 2 * fs + s.re, im: s.im }, { re: 2 * fs - s.re, im: -s.im });
}

/** Pre-warped analog frequency (rad/s) so the digital filter hits the cut-off exactly after the bilinear map. */
function warp(fHz: number, fs: number): number {
  return 2 * fs * Math.tan((Math.PI * fHz) / fs);
}

function checkCutoff(f: number, fs: number, what: string): void {
  if (!(Number.isFinite(f) && f > 0 && f < fs / 2)) {
    throw new FilterDesignError(`${what} ${f} Hz must lie strictly between 0 and fs/2 = ${fs / 2} Hz`);
  }
}

/**
 * Design an order-`order` Butterworth filter. `cutoffHz` is one frequency for low/high-pass, [low, high] for
 * band-pass (whose order, as in scipy, is that of the prototype: the result has 2·order poles).
 */
export function butterworth(kind: FilterKind, order: number, cutoffHz: number | [number, number], fs: number): ButterworthDesign {
  if (!Number.isInteger(order) || order < 1 || order > 32) throw new FilterDesignError(`order ${order} must be an integer in 1..32`);
  if (!(Number.isFinite(fs) && fs > 0)) throw new FilterDesignError(`sample rate ${fs} Hz must be positive`);
  const proto = prototypePoles(order);
  let analog: C[];
  let cut: number[];
  if (kind === 'bandpass') {
    if (!Array.isArray(cutoffHz) || cutoffHz.length !== 2) throw new FilterDesignError('band-pass needs [low, high] cut-offs');
    const [f1, f2] = cutoffHz;
    checkCutoff(f1, fs, 'band-pass low edge');
    checkCutoff(f2, fs, 'band-pass high edge');
    if (!(f1 < f2)) throw new FilterDesignError(`band-pass edges must satisfy low < high (got ${f1}, ${f2})`);
    const w1 = warp(f1, fs),
      w2 = warp(f2, fs);
    const bw = w2 - w1,
      w0sq = w1 * w2;
    // lp2bp: each prototype pole p gives the two roots of s² − p·bw·s + w0² = 0.
    analog = [];
    for (const p of proto) {
      const half: C = { re: (p.re * bw) / 2, im: (p.im * bw) / 2 };
      const disc = csqrt({ re: half.re * half.re - half.im * half.im - w0sq, im: 2 * half.re * half.im });
      analog.push({ re: half.re + disc.re, im: half.im + disc.im }, { re: half.re - disc.re, im: half.im - disc.im });
    }
    cut = [f1, f2];
  } else {
    const fc = Array.isArray(cutoffHz) ? cutoffHz[0] : cutoffHz;
    checkCutoff(fc, fs, `${kind} cut-off`);
    const wc = warp(fc, fs);
    // lp2lp scales the poles; lp2hp inverts them (s → wc/s).
    analog = proto.map(p => (kind === 'lowpass' ? { re: p.re * wc, im: p.im * wc } : cdiv({ re: wc, im: 0 }, p)));
    cut = [fc];
  }
  const zPoles = analog.map(s => bilinear(s, fs));
  const sections = pairIntoSections(zPoles, kind);
  normaliseGain(sections, kind, cut, fs);
  return { kind, order, fs, cutoffHz: cut, sections };
}

/**
 * Group digital poles into biquads: conjugate pairs together, real poles two by two (a lone real pole gives a
 * first-order section). Zeros of a Butterworth are all at z = −1 (low-pass), z = +1 (high-pass) or half each
 * (band-pass), so each section takes as many zeros as it has poles.
 */
function pairIntoSections(poles: C[], kind: FilterKind): Biquad[] {
  const tol = 1e-12;
  const complexUpper = poles.filter(p => p.im > tol).sort((a, b) => Math.hypot(a.re - 1, a.im) - Math.hypot(b.re - 1, b.im));
  const real = poles
    .filter(p => Math.abs(p.im) <= tol)
    .map(p => p.re)
    .sort((a, b) => b - a);
  const sections: Biquad[] = [];
  const numerator = (nz: number): [number, number, number] => {
    if (nz === 1) {
      // A first-order section only occurs for odd low/high-pass orders.
      return kind === 'lowpass' ? [1, 1, 0] : [1, -1, 0];
    }
    if (kind === 'lowpass') return [1, 2, 1];
    if (kind === 'highpass') return [1, -2, 1];
    return [1, 0, -1]; // (1 − z⁻¹)(1 + z⁻¹): one zero at DC and one at Nyquist per band-pass section.
  };
  for (const p of complexUpper) {
    const [b0, b1, b2] = numerator(2);
    sections.push({ b0, b1, b2, a1: -2 * p.re, a2: p.re * p.re + p.im * p.im });
  }
  for (let i = 0; i < real.length; i += 2) {
    if (i + 1 < real.length) {
      const [b0, b1, b2] = numerator(2);
      sections.push({ b0, b1, b2, a1: -(real[i] + real[i + 1]), a2: real[i] * real[i + 1] });
    } else {
      const [b0, b1, b2] = numerator(1);
      sections.push({ b0, b1, b2, a1: -real[i], a2: 0 });
    }
  }
  return sections;
}

/** Complex frequency response of a cascade at f Hz. */
export function sosResponse(sections: Biquad[], fHz: number, fs: number): { re: number; im: number } {
  const w = (2 * Math.PI * fHz) / fs;
  const z1: C = { re: Math.cos(w), im: -Math.sin(w) };
  const z2: C = cmul(z1, z1);
  let h: C = { re: 1, im: 0 };
  for (const s of sections) {
    const num: C = { re: s.b0 + s.b1 * z1.re + s.b2 * z2.re, im: s.b1 * z1.im + s.b2 * z2.im };
    const den: C = { re: 1 + s.a1 * z1.re + s.a2 * z2.re, im: s.a1 * z1.im + s.a2 * z2.im };
    h = cmul(h, cdiv(num, den));
  }
  return h;
}

/** |H(f)| of a cascade. */
export function sosMagnitude(sections: Biquad[], fHz: number, fs: number): number {
  const h = sosResponse(sections, fHz, fs);
  return Math.hypot(h.re, h.im);
}

/**
 * Scale the first section so the pass-band reference has unit gain: DC for low-pass, Nyquist for high-pass and
 * the (pre-warped geometric) centre for band-pass, where a Butterworth has exactly |H| = 1.
 */
function normaliseGain(sections: Biquad[], kind: FilterKind, cut: number[], fs: number): void {
  let fRef: number;
  if (kind === 'lowpass') fRef = 0;
  else if (kind === 'highpass') fRef = fs / 2;
  else fRef = (fs / Math.PI) * Math.atan(Math.sqrt(Math.tan((Math.PI * cut[0]) / fs) * Math.tan((Math.PI * cut[1]) / fs)));
  const g = sosMagnitude(sections, fRef, fs);
  const s = sections[0];
  s.b0 /= g;
  s.b1 /= g;
  s.b2 /= g;
}

/** Expand a cascade into transfer-function polynomials b, a (for comparison with published b/a values). */
export function sosToBa(sections: Biquad[]): { b: number[]; a: number[] } {
  let b = [1],
    a = [1];
  const mul = (p: number[], q: number[]): number[] => {
    const r = new Array<number>(p.length + q.length - 1).fill(0);
    for (let i = 0; i < p.length; i++) for (let j = 0; j < q.length; j++) r[i + j] += p[i] * q[j];
    return r;
  };
  for (const s of sections) {
    const first = s.a2 === 0 && s.b2 === 0;
    b = mul(b, first ? [s.b0, s.b1] : [s.b0, s.b1, s.b2]);
    a = mul(a, first ? [1, s.a1] : [1, s.a1, s.a2]);
  }
  return { b, a };
}
