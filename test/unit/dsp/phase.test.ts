// Phase unwrapping (numpy.unwrap semantics) and linear sanitisation over the real subcarrier indices.
import * as assert from 'node:assert/strict';
import { unwrapInPlace, removeLinearPhase, sanitizedPhase } from '../../../src/core/dsp/phase';
import { INTEL_20MHZ, rng, synthRecording } from './synth';

const wrap = (p: number): number => Math.atan2(Math.sin(p), Math.cos(p));

describe('dsp/phase', () => {
  it('unwrap recovers a phase ramp steeper than π per 2 samples', () => {
    const truth = Array.from({ length: 200 }, (_, i) => 0.3 + 2.9 * i - 0.01 * i * i);
    const x = Float64Array.from(truth, wrap);
    unwrapInPlace(x, x.length);
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - truth[i]) < 1e-9);
  });

  it('removes any per-packet slope and offset over the real (non-uniform) Intel subcarrier indices', () => {
    const r = rng(3),
      T = 20,
      S = 30;
    const trueCurv = INTEL_20MHZ.map(k => 0.002 * k * k); // a non-linear channel phase
    const a = new Float64Array(T * S),
      b = new Float64Array(T * S);
    for (let t = 0; t < T; t++) {
      const slope = (r() - 0.5) * 0.6,
        off = r() * 6;
      for (let i = 0; i < S; i++) {
        a[t * S + i] = trueCurv[i];
        b[t * S + i] = trueCurv[i] + slope * INTEL_20MHZ[i] + off;
      }
    }
    removeLinearPhase(a, T, INTEL_20MHZ);
    removeLinearPhase(b, T, INTEL_20MHZ);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-9);
    // A purely linear phase sanitises to zero.
    const lin = Float64Array.from({ length: S }, (_, i) => 1.5 - 0.1 * INTEL_20MHZ[i]);
    removeLinearPhase(lin, 1, INTEL_20MHZ);
    for (const v of lin) assert.ok(Math.abs(v) < 1e-12);
  });

  it('sanitised phase of a recording does not depend on the random per-packet phase and timing slope', () => {
    const clean = synthRecording({ nPackets: 50, randomPhase: false, seed: 12, pathLength: t => 2 + 0.2 * t });
    const dirty = synthRecording({ nPackets: 50, randomPhase: true, seed: 12, pathLength: t => 2 + 0.2 * t });
    const a = sanitizedPhase(clean, { rx: 1, unwrapTime: false }),
      b = sanitizedPhase(dirty, { rx: 1, unwrapTime: false });
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(wrap(a[i] - b[i])) < 1e-4, `i=${i} ${a[i]} ${b[i]}`);
  });
});
