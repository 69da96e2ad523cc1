// Motion segmentation: a reflector that moves only between 3 s and 5 s of an 8 s recording.
import * as assert from 'node:assert/strict';
import { doppler, WIDAR_TRAINING } from '../../../src/core/dsp/doppler';
import { motionEnergy, segmentMotion } from '../../../src/core/dsp/segment';
import { synthRecording } from './synth';

describe('dsp/segment', function () {
  this.timeout(20_000);
  it('finds the single motion interval within ±0.25 s and nothing in a static recording', () => {
    // Smooth start/stop (raised-cosine speed) over 3–5 s, 1 m/s peak; static elsewhere; noise throughout.
    const pathLength = (t: number): number => {
      if (t < 3) return 2;
      if (t > 5) return 3;
      return 2 + (t - 3) / 2 - Math.sin(Math.PI * (t - 3)) / (2 * Math.PI) * 1; // ∫ speed, ends at 3 m
    };
    const moving = doppler(synthRecording({ nPackets: 8000, pathLength, noise: 0.05, seed: 8 }), WIDAR_TRAINING);
    const segs = segmentMotion(moving);
    assert.equal(segs.length, 1, JSON.stringify(segs));
    assert.ok(Math.abs(segs[0].startS - 3) < 0.25 && Math.abs(segs[0].endS - 5) < 0.25, JSON.stringify(segs[0]));
    const still = doppler(synthRecording({ nPackets: 8000, noise: 0.05, seed: 8 }), WIDAR_TRAINING);
    assert.equal(segmentMotion(still).length, 0);
    assert.ok(motionEnergy(moving) > 10 * motionEnergy(still));
  });
});
