// Independent float64 reference implementations for the gradient checks: convolution written straight from its
// definition (cross-correlation with TensorFlow's 'same'/'valid' padding rule) and matmul by the textbook triple loop.
// Gradients come from central finite differences of these float64 functions; because each loss used is linear in the
// perturbed operand, the difference quotient is exact up to float64 rounding, so the expected values carry no
// float32 noise and a 1e-4 relative tolerance on our float32 kernels is meaningful.

import { mulberry32 } from '../../../src/core/data/seededRandom';

export type Padding = 'same' | 'valid';

export interface Conv2DCase {
  x: number[];
  xShape: [number, number, number, number]; // NHWC
  w: number[];
  wShape: [number, number, number, number]; // KH, KW, CI, CO (depthwise: KH, KW, CI, mult)
  strides: [number, number];
  pad: Padding;
  depthwise?: boolean;
}

function outSize(inSize: number, k: number, s: number, pad: Padding): { out: number; before: number } {
  if (pad === 'valid') return { out: Math.floor((inSize - k) / s) + 1, before: 0 };
  const out = Math.ceil(inSize / s);
  const total = Math.max((out - 1) * s + k - inSize, 0);
  return { out, before: Math.floor(total / 2) };
}

export function convOutShape(c: Conv2DCase): [number, number, number, number] {
  const [b, h, w] = c.xShape;
  const [kh, kw, ci, co] = c.wShape;
  return [b, outSize(h, kh, c.strides[0], c.pad).out, outSize(w, kw, c.strides[1], c.pad).out, c.depthwise ? ci * co : co];
}

/** Forward convolution (or depthwise convolution) in float64. */
export function conv2d64(c: Conv2DCase, x = c.x, w = c.w): Float64Array {
  const [B, H, W, C] = c.xShape;
  const [KH, KW, , CO] = c.wShape;
  const oh = outSize(H, KH, c.strides[0], c.pad),
    ow = outSize(W, KW, c.strides[1], c.pad);
  const OC = c.depthwise ? C * CO : CO;
  const y = new Float64Array(B * oh.out * ow.out * OC);
  for (let b = 0; b < B; b++)
    for (let oy = 0; oy < oh.out; oy++)
      for (let ox = 0; ox < ow.out; ox++) {
        for (let o = 0; o < OC; o++) {
          let s = 0;
          for (let i = 0; i < KH; i++)
            for (let j = 0; j < KW; j++) {
              const iy = oy * c.strides[0] - oh.before + i,
                ix = ox * c.strides[1] - ow.before + j;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              if (c.depthwise) {
                const ch = Math.floor(o / CO),
                  q = o % CO;
                s += x[((b * H + iy) * W + ix) * C + ch] * w[((i * KW + j) * C + ch) * CO + q];
              } else {
                for (let ch = 0; ch < C; ch++) s += x[((b * H + iy) * W + ix) * C + ch] * w[((i * KW + j) * C + ch) * CO + o];
              }
            }
          y[((b * oh.out + oy) * ow.out + ox) * OC + o] = s;
        }
      }
  return y;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * d/dv of f(v) = <g(v), r> by central differences, for g linear in v (exact up to float64 rounding). At most
 * `maxCoords` coordinates (evenly spaced, always including the first and last) are differenced to keep large cases
 * fast; the others are NaN, which relError skips.
 */
export function finiteDiffLinear(v: number[], g: (v: number[]) => ArrayLike<number>, r: ArrayLike<number>, maxCoords = 64): Float64Array {
  const out = new Float64Array(v.length).fill(NaN);
  const eps = 0.5; // any step is exact for a linear function; a large one minimises relative rounding
  const p = v.slice();
  const step = Math.max(1, (v.length - 1) / Math.max(1, maxCoords - 1));
  const coords = new Set<number>();
  for (let x = 0; x < v.length; x += step) coords.add(Math.round(x));
  coords.add(v.length - 1);
  for (const i of coords) {
    p[i] = v[i] + eps;
    const up = dot(g(p), r);
    p[i] = v[i] - eps;
    const down = dot(g(p), r);
    p[i] = v[i];
    out[i] = (up - down) / (2 * eps);
  }
  return out;
}

/** op(A)·op(B) in float64 for row-major A [m,k] (or [k,m] when transposed) and B [k,n] (or [n,k]). */
export function matmul64(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  n: number,
  k: number,
  ta: boolean,
  tb: boolean,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  return c;
}

/** max|got - want| / max|want| over the entries where want is not NaN (robust to entries near zero). */
export function relError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let num = 0,
    den = 0;
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i])) continue;
    num = Math.max(num, Math.abs(got[i] - want[i]));
    den = Math.max(den, Math.abs(want[i]));
  }
  return den === 0 ? num : num / den;
}

/** Deterministic pseudo-random values in [-1, 1) (mulberry32), so failures are reproducible. */
export function randoms(n: number, seed: number): number[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => rng() * 2 - 1);
}

/**
 * Like relError, but the denominator never drops below `floor`. For whole-model checks where some gradients are
 * analytically zero (e.g. the key bias of attention: softmax ignores a per-query constant), so only float noise is
 * left and a plain relative error would compare noise with noise; floor = 1e-3 × the largest gradient of the model.
 */
export function relErrorFloored(got: ArrayLike<number>, want: ArrayLike<number>, floor: number): number {
  let num = 0,
    den = floor;
  for (let i = 0; i < want.length; i++) {
    num = Math.max(num, Math.abs(got[i] - want[i]));
    den = Math.max(den, Math.abs(want[i]));
  }
  return num / den;
}

export function maxAbs(arrays: ArrayLike<number>[]): number {
  let m = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
