// Anti-alias FIR + decimation: scipy.signal.firwin reference taps, pass-band tone preserved in amplitude and
// phase (zero delay), aliases suppressed.
import * as assert from 'node:assert/strict';
import { firDecimate, firLowpass } from '../../../src/core/dsp/firDecimate';
import { DspError } from '../../../src/core/dsp/errors';

describe('dsp/firDecimate', () => {
  it('firLowpass equals scipy.signal.firwin (Hamming, unit DC gain)', () => {
    // scipy 1.17: firwin(11, 0.3)
    const ref = [
      -0.00521554, -0.00804016, 0.01335863, 0.10573869, 0.24054812, 0.30722052, 0.24054812, 0.10573869, 0.01335863, -0.00804016,
      -0.00521554,
    ];
    const h = firLowpass(11, 0.3, 2);
    ref.forEach((v, i) => assert.ok(Math.abs(h[i] - v) < 1e-8, `h[${i}] ${h[i]}`));
    // firwin(43, 100, fs=1000)[[0, 5, 10, 21]]
    const g = firLowpass(43, 100, 1000);
    [
      [0, 0.00071366],
      [5, -0.00237444],
      [10, 0.00861104],
      [21, 0.20025427],
    ].forEach(([i, v]) => assert.ok(Math.abs(g[i] - v) < 1e-8));
    assert.throws(() => firLowpass(10, 100, 1000), DspError);
    assert.throws(() => firLowpass(11, 600, 1000), DspError);
  });

  it('keeps a 30 Hz complex tone (amplitude and phase) and suppresses a 170 Hz one that would alias to −30 Hz', () => {
    const fs = 1000,
      D = 5,
      T = 2000,
      h = firLowpass(43, 100, fs);
    const tone = (f: number): Float64Array => {
      const x = new Float64Array(2 * T);
      for (let t = 0; t < T; t++) {
        x[2 * t] = Math.cos((2 * Math.PI * f * t) / fs);
        x[2 * t + 1] = Math.sin((2 * Math.PI * f * t) / fs);
      }
      return x;
    };
    const y = firDecimate(tone(30), T, 2, h, D);
    assert.equal(y.length, 2 * 400);
    for (let i = 20; i < 380; i++) {
      const ph = (2 * Math.PI * 30 * i * D) / fs;
      assert.ok(Math.abs(y[2 * i] - Math.cos(ph)) < 0.01 && Math.abs(y[2 * i + 1] - Math.sin(ph)) < 0.01, `i=${i}`);
    }
    const z = firDecimate(tone(170), T, 2, h, D);
    let e = 0;
    for (let i = 20; i < 380; i++) e += z[2 * i] ** 2 + z[2 * i + 1] ** 2;
    assert.ok(Math.sqrt(e / 360) < 10 ** (-45 / 20), `alias amplitude ${Math.sqrt(e / 360)}`);
  });

  it('handles signals shorter than the filter', () => {
    const y = firDecimate([1, 2, 3, 4, 5, 6], 3, 2, firLowpass(43, 100, 1000), 2);
    assert.equal(y.length, 4);
    for (const v of y) assert.ok(Number.isFinite(v));
  });
});
