// Zero-phase filtering: scipy.signal.sosfiltfilt reference values, zero delay (cross-correlation peak at lag 0),
// squared magnitude response on a steady sinusoid, multi-channel = per-channel.
import * as assert from 'node:assert/strict';
import { butterworth, sosMagnitude } from '../../../src/core/dsp/butterworth';
import { sosfiltfilt, sosfilt, sosfiltZi } from '../../../src/core/dsp/filtfilt';

describe('dsp/filtfilt', () => {
  const x = Array.from({ length: 50 }, (_, n) => Math.sin(0.3 * n) + 0.1 * n);

  it('matches scipy.signal.sosfiltfilt (odd padding, steady-state zi) for low-pass and band-pass', () => {
    // scipy 1.17: sosfiltfilt(butter(4, 0.2, output='sos'), x)[[0, 1, 25, 48, 49]]
    const lp = sosfiltfilt(butterworth('lowpass', 4, 0.2, 2).sections, x, 50);
    const lpRef = [-8.02207633054e-5, 3.958469399016e-1, 3.435639997822, 5.707917238621, 5.736922252578];
    [0, 1, 25, 48, 49].forEach((t, i) => assert.ok(Math.abs(lp[t] - lpRef[i]) < 1e-9, `lp[${t}] ${lp[t]}`));
    // sosfiltfilt(butter(3, [0.1, 0.3], 'bandpass', output='sos'), x)
    const bp = sosfiltfilt(butterworth('bandpass', 3, [0.1, 0.3], 2).sections, x, 50);
    const bpRef = [-0.046114821525, 0.079305056519, 0.392626078696, 0.206741701695, -0.019761521358];
    [0, 1, 25, 48, 49].forEach((t, i) => assert.ok(Math.abs(bp[t] - bpRef[i]) < 1e-9, `bp[${t}] ${bp[t]}`));
  });

  it('introduces no delay: the cross-correlation of input and output peaks at lag 0', () => {
    const fs = 1000,
      n = 4000;
    // A Gaussian-windowed chirp-like burst: broadband enough that any delay would show.
    const sig = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const u = (t - 2000) / 300;
      sig[t] = Math.exp(-u * u) * Math.cos((2 * Math.PI * (5 + 10 * u) * t) / fs);
    }
    const sec = butterworth('bandpass', 3, [2, 60], fs).sections;
    const y = sosfiltfilt(sec, sig, n);
    const yc = sosfilt(sec, sig, n); // causal, for contrast: must be delayed
    const peakLag = (z: Float64Array): number => {
      let best = 0,
        bv = -Infinity;
      for (let lag = -50; lag <= 50; lag++) {
        let s = 0;
        for (let t = 100; t < n - 100; t++) s += sig[t] * z[t + lag];
        if (s > bv) {
          bv = s;
          best = lag;
        }
      }
      return best;
    };
    assert.equal(peakLag(y), 0);
    assert.ok(peakLag(yc) > 0, 'the causal filter delays the burst');
  });

  it('scales a steady sinusoid by |H|² and keeps its phase', () => {
    const fs = 100,
      f = 7,
      n = 2000;
    const sec = butterworth('lowpass', 2, 10, fs).sections;
    const s = Float64Array.from({ length: n }, (_, t) => Math.sin((2 * Math.PI * f * t) / fs));
    const y = sosfiltfilt(sec, s, n);
    const g = sosMagnitude(sec, f, fs) ** 2;
    for (let t = 500; t < 1500; t++) assert.ok(Math.abs(y[t] - g * s[t]) < 1e-6);
  });

  it('filters interleaved channels independently (complex = 2 channels)', () => {
    const n = 300,
      sec = butterworth('highpass', 3, 2, 100).sections;
    const a = Float64Array.from({ length: n }, (_, t) => Math.cos(t * 0.2) + 3);
    const b = Float64Array.from({ length: n }, (_, t) => (Math.sin(t * 0.05) * t) / 100);
    const inter = new Float64Array(2 * n);
    for (let t = 0; t < n; t++) {
      inter[2 * t] = a[t];
      inter[2 * t + 1] = b[t];
    }
    const y = sosfiltfilt(sec, inter, n, 2),
      ya = sosfiltfilt(sec, a, n),
      yb = sosfiltfilt(sec, b, n);
    for (let t = 0; t < n; t++) {
      assert.ok(Math.abs(y[2 * t] - ya[t]) < 1e-12 && Math.abs(y[2 * t + 1] - yb[t]) < 1e-12);
    }
  });

  it('steady-state zi makes a constant input pass through a low-pass without a transient', () => {
    const sec = butterworth('lowpass', 6, 60, 1000).sections;
    const zi = sosfiltZi(sec);
    assert.equal(zi.length, 2 * sec.length);
    const y = sosfiltfilt(sec, new Float64Array(100).fill(5), 100);
    for (const v of y) assert.ok(Math.abs(v - 5) < 1e-9);
  });

  it('handles signals shorter than the default pad length', () => {
    const sec = butterworth('lowpass', 6, 60, 1000).sections;
    const y = sosfiltfilt(sec, [1, 2, 3, 4, 5], 5);
    assert.equal(y.length, 5);
    for (const v of y) assert.ok(Number.isFinite(v));
  });
});
