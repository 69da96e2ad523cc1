// STFT: both evaluation strategies against a direct O(N²) evaluation of the tfrsp definition, and a pure tone.
import * as assert from 'node:assert/strict';
import { gaussianWindow, spectrogram, bandBins, bankBlockSize, SpectrogramError } from '../../../src/core/dsp/stft';

/** Direct tfrsp: |Σ_τ x(t+τ)h(τ)e^{−j2πfτ/fs}|² / Σ_τ h(τ)² over the in-signal part of the window. */
function direct(x: Float64Array, n: number, h: Float64Array, t: number, f: number, fs: number): number {
  const lh = (h.length - 1) / 2;
  let re = 0,
    im = 0,
    e = 0;
  for (let tau = -lh; tau <= lh; tau++) {
    if (t + tau < 0 || t + tau >= n) continue;
    const w = h[tau + lh],
      c = Math.cos((2 * Math.PI * f * tau) / fs),
      s = -Math.sin((2 * Math.PI * f * tau) / fs);
    const xr = x[2 * (t + tau)],
      xi = x[2 * (t + tau) + 1];
    re += w * (xr * c - xi * s);
    im += w * (xr * s + xi * c);
    e += w * w;
  }
  return (re * re + im * im) / e;
}

describe('dsp/stft', () => {
  const n = 300,
    fs = 100;
  const x = new Float64Array(2 * n);
  for (let t = 0; t < n; t++) {
    x[2 * t] = Math.sin(t * 0.37) + 0.2 * Math.cos(t * t * 0.001);
    x[2 * t + 1] = Math.cos(t * 0.11) - 0.5;
  }

  it('tftb Gaussian window: 1 at the centre, K = 0.005 at the ends, symmetric', () => {
    const w = gaussianWindow(251);
    assert.ok(Math.abs(w[125] - 1) < 1e-15 && Math.abs(w[0] - 0.005) < 1e-12 && Math.abs(w[250] - 0.005) < 1e-12);
    for (let i = 0; i < 125; i++) assert.equal(w[i], w[250 - i]);
  });

  for (const method of ['fft', 'bank'] as const) {
    it(`method ${method} equals the direct tfrsp sum (edges included)`, () => {
      const h = gaussianWindow(41),
        freqs = bandBins(fs, 128, 30);
      const sg = spectrogram(x, n, { fs, window: h, hop: 7, freqsHz: freqs, method, nfft: 128 });
      assert.equal(sg.method, method);
      for (let c = 0; c < sg.nCols; c++) {
        for (let k = 0; k < freqs.length; k++) {
          const ref = direct(x, n, h, sg.colSample[c], freqs[k], fs);
          assert.ok(Math.abs(sg.power[c * freqs.length + k] - ref) < 1e-5 * (1 + ref), `c=${c} f=${freqs[k]}`);
        }
      }
    });
  }

  it('the filter bank evaluates off-grid (1 Hz at fs = 1000) frequencies exactly', () => {
    const m = 500,
      f0 = 17,
      fs2 = 1000;
    const y = new Float64Array(2 * m);
    for (let t = 0; t < m; t++) {
      y[2 * t] = Math.cos((2 * Math.PI * f0 * t) / fs2);
      y[2 * t + 1] = Math.sin((2 * Math.PI * f0 * t) / fs2);
    }
    const h = gaussianWindow(251),
      freqs = Float64Array.from({ length: 121 }, (_, i) => i - 60);
    const sg = spectrogram(y, m, { fs: fs2, window: h, hop: 1, freqsHz: freqs });
    assert.equal(sg.method, 'bank');
    for (const c of [0, 100, 250, 499]) {
      for (const k of [0, 40, 77, 120]) {
        const ref = direct(y, m, h, c, freqs[k], fs2);
        assert.ok(Math.abs(sg.power[c * 121 + k] - ref) < 1e-6 * (1 + ref));
      }
      // A unit complex tone: the peak is at +17 Hz with power Σh (window fully inside) or close to it.
      let best = 0;
      for (let k = 1; k < 121; k++) if (sg.power[c * 121 + k] > sg.power[c * 121 + best]) best = k;
      assert.equal(freqs[best], f0);
    }
  });

  it('the filter bank stays exact across overlap-save block boundaries of a long signal', () => {
    const m = 20000,
      fs2 = 1000;
    const y = new Float64Array(2 * m);
    for (let t = 0; t < m; t++) {
      const ph = 2 * Math.PI * ((5 * t) / fs2 + (3e-4 * t * t) / fs2);
      y[2 * t] = Math.cos(ph);
      y[2 * t + 1] = Math.sin(ph) + 0.1;
    }
    const h = gaussianWindow(251),
      freqs = Float64Array.from({ length: 21 }, (_, i) => 3 * i - 30);
    const sg = spectrogram(y, m, { fs: fs2, window: h, hop: 1, freqsHz: freqs, method: 'bank' });
    // Check around the first two block boundaries (block step = L − 250) and at the ends.
    const step = bankBlockSize(m, 251) - 250;
    assert.ok(step < m / 2, 'the signal spans several blocks');
    for (const c of [0, 124, step - 1, step, step + 1, 2 * step - 1, 2 * step, 2 * step + 1, 19999]) {
      for (let k = 0; k < 21; k += 4) {
        const ref = direct(y, m, h, c, freqs[k], fs2);
        assert.ok(Math.abs(sg.power[c * 21 + k] - ref) < 1e-6 * (1 + ref), `c=${c} k=${k}: ${sg.power[c * 21 + k]} vs ${ref}`);
      }
    }
  });

  it('rejects even windows and off-grid FFT sizes with typed errors', () => {
    assert.throws(() => spectrogram(x, n, { fs, window: new Float64Array(4), hop: 1, freqsHz: new Float64Array([0]) }), SpectrogramError);
    assert.throws(
      () => spectrogram(x, n, { fs, window: gaussianWindow(5), hop: 1, freqsHz: new Float64Array([1]), nfft: 64 }),
      SpectrogramError,
    );
  });
});
