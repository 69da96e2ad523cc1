// Butterworth design checked against (1) the exact analytic magnitude of a bilinear-transformed Butterworth,
// |H(f)|² = 1 / (1 + (tan(πf/fs)/tan(πfc/fs))^{2n}) (and its high/band-pass forms), (2) scipy's published
// butter(4, 0.2) coefficients, (3) the −3 dB point and the −20n dB/decade roll-off.
import * as assert from 'node:assert/strict';
import { butterworth, sosMagnitude, sosToBa, FilterDesignError } from '../../../src/core/dsp/butterworth';
import { DspError } from '../../../src/core/dsp/errors';

const db = (m: number): number => 20 * Math.log10(m);
const W = (f: number, fs: number): number => Math.tan((Math.PI * f) / fs);

describe('dsp/butterworth', () => {
  it('matches scipy.signal.butter(4, 0.2) b/a to 1e-9', () => {
    // scipy.signal.butter(4, 0.2) → b, a (Wn relative to Nyquist; fs = 2 makes Hz = normalised units).
    const bRef = [0.004824343357716228, 0.019297373430864913, 0.02894606014629737, 0.019297373430864913, 0.004824343357716228];
    const aRef = [1, -2.369513007182038, 2.313988414415881, -1.0546654058785676, 0.18737949236818502];
    const { b, a } = sosToBa(butterworth('lowpass', 4, 0.2, 2).sections);
    b.forEach((v, i) => assert.ok(Math.abs(v - bRef[i]) < 1e-9, `b[${i}] ${v} vs ${bRef[i]}`));
    a.forEach((v, i) => assert.ok(Math.abs(v - aRef[i]) < 1e-9, `a[${i}] ${v} vs ${aRef[i]}`));
  });

  for (const n of [1, 2, 3, 6]) {
    it(`low-pass order ${n}: analytic magnitude, −3 dB at the cut-off, −20n dB/decade`, () => {
      const fs = 1000,
        fc = 60;
      const d = butterworth('lowpass', n, fc, fs);
      for (const f of [0, 5, 30, 59, 60, 61, 120, 250, 400, 499]) {
        const ref = 1 / Math.sqrt(1 + Math.pow(W(f, fs) / W(fc, fs), 2 * n));
        assert.ok(Math.abs(sosMagnitude(d.sections, f, fs) - ref) < 1e-9, `f=${f}`);
      }
      assert.ok(Math.abs(db(sosMagnitude(d.sections, fc, fs)) + 3.0103) < 0.05);
      // Roll-off far below Nyquist (fs = 10 kHz: negligible frequency warping), one decade from 10× the cut-off.
      const slow = butterworth('lowpass', n, 2, 10000);
      const slope = db(sosMagnitude(slow.sections, 200, 10000)) - db(sosMagnitude(slow.sections, 20, 10000));
      assert.ok(Math.abs(slope + 20 * n) < 0.05 * 20 * n + 0.5, `slope ${slope} dB/decade for n=${n}`);
    });
  }

  it('high-pass order 3 at 2 Hz (Widar): analytic magnitude, −3 dB, +60 dB/decade below the cut-off', () => {
    const fs = 1000,
      fc = 2,
      n = 3;
    const d = butterworth('highpass', n, fc, fs);
    for (const f of [0.01, 0.2, 1, 2, 3, 10, 100, 499]) {
      const ref = 1 / Math.sqrt(1 + Math.pow(W(fc, fs) / W(f, fs), 2 * n));
      assert.ok(Math.abs(sosMagnitude(d.sections, f, fs) - ref) < 1e-9, `f=${f}`);
    }
    assert.ok(Math.abs(db(sosMagnitude(d.sections, fc, fs)) + 3.0103) < 0.05);
    assert.ok(sosMagnitude(d.sections, 0, fs) < 1e-12, 'zero gain at DC');
    const slope = db(sosMagnitude(d.sections, 0.2, fs)) - db(sosMagnitude(d.sections, 0.02, fs));
    assert.ok(Math.abs(slope - 60) < 0.5, `slope ${slope}`);
  });

  it('band-pass: analytic magnitude, −3 dB at both edges, unit gain at the warped centre', () => {
    const fs = 1000,
      f1 = 2,
      f2 = 60,
      n = 4;
    const d = butterworth('bandpass', n, [f1, f2], fs);
    assert.equal(d.sections.length, n);
    const w1 = W(f1, fs),
      w2 = W(f2, fs);
    for (const f of [0.5, 2, 5, 11, 30, 60, 100, 300]) {
      const w = W(f, fs);
      const ref = 1 / Math.sqrt(1 + Math.pow((w * w - w1 * w2) / ((w2 - w1) * w), 2 * n));
      assert.ok(Math.abs(sosMagnitude(d.sections, f, fs) - ref) < 1e-9, `f=${f}`);
    }
    assert.ok(Math.abs(db(sosMagnitude(d.sections, f1, fs)) + 3.0103) < 0.05);
    assert.ok(Math.abs(db(sosMagnitude(d.sections, f2, fs)) + 3.0103) < 0.05);
  });

  it('rejects impossible designs with a typed error', () => {
    assert.throws(
      () => butterworth('lowpass', 4, 600, 1000),
      (e: unknown) => e instanceof FilterDesignError && e instanceof DspError && /fs\/2/.test((e as Error).message),
    );
    assert.throws(() => butterworth('highpass', 0, 10, 1000), FilterDesignError);
    assert.throws(() => butterworth('bandpass', 2, [60, 2] as [number, number], 1000), FilterDesignError);
  });
});
