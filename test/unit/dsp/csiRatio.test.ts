// CSI ratio: a per-packet random phase + timing slope common to the NIC's antennas and a common gain jump
// leave the ratio unchanged to float precision; a moving reflector rotates the ratio phase.
import * as assert from 'node:assert/strict';
import { csiRatio, csiRatioMulti } from '../../../src/core/dsp/csiRatio';
import { DspError } from '../../../src/core/dsp/errors';
import { synthRecording } from './synth';

describe('dsp/csiRatio', () => {
  const path = (t: number, a: number): number => 2 + 0.026 * a + 0.6 * t;

  it('cancels a common random phase per packet and a common gain jump (to Float32 precision)', () => {
    const clean = synthRecording({ nPackets: 400, pathLength: path, randomPhase: false, seed: 7 });
    const dirty = synthRecording({ nPackets: 400, pathLength: path, randomPhase: true, seed: 7, gain: p => (p >= 200 ? 3.7 : 1) });
    const a = csiRatio(clean, { reference: 0 }),
      b = csiRatio(dirty, { reference: 0 });
    assert.equal(a.nStreams, 60);
    let maxRel = 0;
    for (let i = 0; i < a.ratio.length; i += 2) {
      const d = Math.hypot(a.ratio[i] - b.ratio[i], a.ratio[i + 1] - b.ratio[i + 1]);
      maxRel = Math.max(maxRel, d / Math.hypot(a.ratio[i], a.ratio[i + 1]));
    }
    // Float32 storage rounds each component to 2^-24 relative; the ratio of two such values stays ~1e-6.
    assert.ok(maxRel < 1e-5, `max relative difference ${maxRel}`);
    // The raw phase of one antenna, by contrast, is scrambled by the random phase.
    const i0 = 2 * (100 * 30 * 3);
    const rawClean = Math.atan2(clean.csi[i0 + 1], clean.csi[i0]),
      rawDirty = Math.atan2(dirty.csi[i0 + 1], dirty.csi[i0]);
    assert.ok(Math.abs(rawClean - rawDirty) > 1e-3);
  });

  it('ratio phase advances by 2π per wavelength of path-length change (reflector dominant)', () => {
    // Strong reflector on the numerator only: R ≈ A_d/S_ref·e^{−j2πd/λ}, phase slope −2π·v/λ per second.
    const fs = 1000,
      v = 0.6;
    const rec = synthRecording({ nPackets: 1000, fs, pathLength: (t, a) => (a === 0 ? 0 : 2 + v * t), dynamicAmp: 8, seed: 2 });
    // Antenna 0's "reflector" has a constant path: it is static. Ratio of antenna 1 over antenna 0.
    const r = csiRatio(rec, { reference: 0, antennas: [1] });
    const sc = 15,
      lambda = 299_792_458 / (5.825e9 + 1 * 312.5e3);
    const slope = (r.phase[999 * 30 + sc] - r.phase[0 * 30 + sc]) / 0.999;
    assert.ok(Math.abs(slope + (2 * Math.PI * v) / lambda) < (0.02 * 2 * Math.PI * v) / lambda, `slope ${slope}`);
  });

  it('PCA over subcarrier phase sequences returns k unit components with descending eigenvalues', () => {
    const rec = synthRecording({ nPackets: 500, pathLength: path, seed: 5 });
    const r = csiRatio(rec, { pcaComponents: 3, hampelHalfWindow: 3 });
    assert.ok(r.pca);
    assert.equal(r.pca.components.length, 3);
    for (const c of r.pca.components) assert.ok(Math.abs(Math.hypot(...c) - 1) < 1e-9);
    assert.ok(r.pca.eigenvalues[0] >= r.pca.eigenvalues[1] && r.pca.eigenvalues[1] >= r.pca.eigenvalues[2]);
    for (const s of r.pca.scores) assert.equal(s.length, 500);
    for (const v of r.phase) assert.ok(Number.isFinite(v));
  });

  it('works over multiple receivers and rejects single-antenna NICs with a typed error', () => {
    const out = csiRatioMulti([1, 2].map(seed => synthRecording({ nPackets: 100, seed })));
    assert.equal(out.length, 2);
    assert.throws(
      () => csiRatio(synthRecording({ nRx: 1, nPackets: 10 })),
      (e: unknown) => e instanceof DspError && e.code === 'too-few-antennas',
    );
    assert.throws(() => csiRatio(synthRecording({ nPackets: 10 }), { reference: 5 }), DspError);
  });
});
