// Motion segmentation: a reflector that moves only between 3 s and 5 s of an 8 s recording.
import * as assert from 'node:assert/strict';
import { doppler, WIDAR_TRAINING } from '../../../src/core/dsp/doppler';
import { amplitudeMotionProfile, dominantSpan, motionEnergy, segmentMotion } from '../../../src/core/dsp/segment';
import { synthRecording } from './synth';

describe('dsp/segment', function () {
  this.timeout(20_000);
  it('finds the single motion interval within ±0.25 s and nothing in a static recording', () => {
    // Smooth start/stop (raised-cosine speed) over 3–5 s, 1 m/s peak; static elsewhere; noise throughout.
    const pathLength = (t: number): number => {
      if (t < 3) return 2;
      if (t > 5) return 3;
      return 2 + (t - 3) / 2 - (Math.sin(Math.PI * (t - 3)) / (2 * Math.PI)) * 1; // ∫ speed, ends at 3 m
    };
    const moving = doppler(synthRecording({ nPackets: 8000, pathLength, noise: 0.05, seed: 8 }), WIDAR_TRAINING);
    const segs = segmentMotion(moving);
    assert.equal(segs.length, 1, JSON.stringify(segs));
    assert.ok(Math.abs(segs[0].startS - 3) < 0.25 && Math.abs(segs[0].endS - 5) < 0.25, JSON.stringify(segs[0]));
    const still = doppler(synthRecording({ nPackets: 8000, noise: 0.05, seed: 8 }), WIDAR_TRAINING);
    assert.equal(segmentMotion(still).length, 0);
    assert.ok(motionEnergy(moving) > 10 * motionEnergy(still));
  });

  it('amplitude motion profile: a windowed variance, scale-free, zero for a still channel', () => {
    // Two series, 400 packets: constant 10 and 1000 (a weak and a strong subcarrier), and both modulated by the same
    // relative sinusoid (0.1 of the mean, period 20 packets) over packets 150–249 only. Variance of A·sin is A²/2,
    // so inside the motion, away from its edges, each series contributes (0.1·m)²/2 / m² = 0.005: 0.01 in all.
    const n = 400,
      W = 2,
      x = new Float64Array(n * W);
    for (let t = 0; t < n; t++)
      for (let w = 0; w < W; w++) {
        const m = w === 0 ? 10 : 1000;
        x[t * W + w] = m * (1 + (t >= 150 && t < 250 ? 0.1 * Math.sin((2 * Math.PI * t) / 20) : 0));
      }
    const p = amplitudeMotionProfile(x, n, W, 10); // 21-packet windows: about one period
    for (const t of [180, 200, 220]) assert.ok(Math.abs(p[t] - 0.01) < 0.0015, `t=${t}: ${p[t]}`);
    for (const t of [20, 100, 300, 380]) assert.ok(p[t] < 1e-12, `still at t=${t}: ${p[t]}`);
    // The span rule over this profile finds the motion to within a window.
    const span = dominantSpan([p], { minSpan: 10, halfWidth: 5 })!;
    assert.ok(Math.abs(span[0] - 150) <= 12 && Math.abs(span[1] - 249) <= 12, `span ${span}`);
    // Scaling a series changes nothing; a constant channel has no motion at all.
    const y = x.map((v, i) => (i % W === 0 ? 37 * v : v));
    assert.ok(amplitudeMotionProfile(y, n, W, 10).every((v, i) => Math.abs(v - p[i]) < 1e-9));
    assert.ok(amplitudeMotionProfile(new Float64Array(n).fill(5), n, 1, 10).every(v => v < 1e-12));
    assert.equal(dominantSpan([new Float64Array(50)], { minSpan: 4, halfWidth: 2 }), undefined);
    assert.throws(() => amplitudeMotionProfile(x, n, W, 0), /halfWindow/);
  });
});
