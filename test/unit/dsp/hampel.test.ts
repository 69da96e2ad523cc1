// Hampel and median filters: spikes removed, clean samples untouched, edges preserved.
import * as assert from 'node:assert/strict';
import { hampel } from '../../../src/core/dsp/hampel';
import { medianFilter } from '../../../src/core/dsp/amplitude';
import { DspError } from '../../../src/core/dsp/errors';
import { rng } from './synth';

describe('dsp/hampel + median', () => {
  it('Hampel replaces injected spikes by the local median and leaves the rest bit-identical', () => {
    const r = rng(1);
    const x = Float64Array.from({ length: 300 }, (_, i) => 10 + Math.sin(i / 10) + 0.05 * (r() - 0.5));
    const spikes = [17, 90, 91, 200];
    const y0 = Float64Array.from(x);
    for (const s of spikes) y0[s] += 8;
    const { y, outliers } = hampel(y0, 4, 3);
    assert.deepEqual(outliers, spikes);
    for (let i = 0; i < x.length; i++) {
      // Two adjacent spikes shift the window median by about one sample of the slope (≤ 0.1 per sample).
      if (spikes.includes(i)) assert.ok(Math.abs(y[i] - x[i]) < 0.3);
      else assert.equal(y[i], x[i]);
    }
    assert.throws(() => hampel(x, 0), DspError);
  });

  it('median filter removes an isolated spike and keeps a step edge sharp (per column)', () => {
    const T = 40,
      x = new Float64Array(T * 2);
    for (let t = 0; t < T; t++) {
      x[2 * t] = t < 20 ? 1 : 5;
      x[2 * t + 1] = 3;
    }
    x[2 * 7] = 100;
    x[2 * 30 + 1] = -50;
    const y = medianFilter(x, T, 2, 5);
    for (let t = 0; t < T; t++) {
      assert.equal(y[2 * t], t < 20 ? 1 : 5);
      assert.equal(y[2 * t + 1], 3);
    }
    assert.throws(() => medianFilter(x, T, 2, 4), DspError);
  });
});
