// Shared fft.js instances. Why: building an fft.js plan (twiddle table + bit-reversal) costs about as much as
// a few transforms, and the Doppler pipeline runs thousands of same-size transforms per recording.
import FFT = require('fft.js');

const plans = new Map<number, FFT>();

/** A reusable radix-4 FFT plan of `size` (a power of two ≥ 2), interleaved [re, im] complex arrays. */
export function fftPlan(size: number): FFT {
  let p = plans.get(size);
  if (!p) {
    p = new FFT(size);
    plans.set(size, p);
  }
  return p;
}

/** Smallest power of two ≥ n (and ≥ 2). */
export function nextPow2(n: number): number {
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

export function isPow2(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}
