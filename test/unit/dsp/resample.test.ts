// Uniform resampling: jitter and single lost packets are bridged by complex linear interpolation; long holes
// are reported and zero-filled with valid = 0; non-increasing timestamps are dropped.
import * as assert from 'node:assert/strict';
import { resampleUniform } from '../../../src/core/dsp/resample';
import { DspError } from '../../../src/core/dsp/errors';
import { rng, synthRecording } from './synth';

describe('dsp/resample', () => {
  it('recovers a linear-in-time complex signal exactly under jitter and lost packets, reports the long gap', () => {
    const r = rng(4);
    const ts: number[] = [];
    for (let i = 0; i < 1000; i++) {
      if (i % 37 === 5) continue; // lost single packets
      if (i >= 500 && i < 530) continue; // a 30 ms hole (longer than 5 intervals)
      ts.push(i * 1000 + (i === 0 || i === 999 ? 0 : (r() - 0.5) * 200)); // ±100 µs jitter
    }
    const rec = synthRecording({ nPackets: ts.length, timestampsUs: Float64Array.from(ts), randomPhase: false, nRx: 2 });
    // Replace the CSI by a function linear in time so interpolation must be exact: re = t/1e4, im = 1 − t/2e4.
    for (let p = 0; p < rec.nPackets; p++) {
      for (let k = 0; k < 60; k++) {
        rec.csi[2 * (p * 60 + k)] = rec.timestampUs[p] / 1e4 + k;
        rec.csi[2 * (p * 60 + k) + 1] = 1 - rec.timestampUs[p] / 2e4;
      }
    }
    const out = resampleUniform(rec, { rateHz: 1000 });
    assert.equal(out.recording.nPackets, 1000);
    assert.deepEqual(out.gaps.length, 1);
    assert.ok(out.gaps[0].startUs < 500_000 && out.gaps[0].endUs >= 530_000 - 100);
    for (let i = 0; i < 1000; i++) {
      const t = out.recording.timestampUs[i];
      assert.equal(t, i * 1000);
      const inGap = t > out.gaps[0].startUs && t < out.gaps[0].endUs;
      assert.equal(out.valid[i], inGap ? 0 : 1);
      const re = out.recording.csi[2 * (i * 60 + 3)],
        im = out.recording.csi[2 * (i * 60 + 3) + 1];
      if (inGap) {
        assert.equal(re, 0);
        assert.equal(im, 0);
      } else {
        assert.ok(Math.abs(re - (t / 1e4 + 3)) < 1e-3 && Math.abs(im - (1 - t / 2e4)) < 1e-3, `t=${t}`);
      }
    }
    assert.ok(out.interpolatedAcrossLoss >= 20);
  });

  it('coherent interpolation keeps |H| between packets with random phase offsets and delay slopes; a plain blend does not', () => {
    // A static channel seen through a commodity NIC: every packet has its own random common phase (CFO/PLL) and
    // sampling-time slope. Physically |H| and H_1/H_0 are constant; grid times fall between jittered packets.
    const r = rng(9);
    const ts = Float64Array.from({ length: 400 }, (_, i) => i * 1000 + (i === 0 || i === 399 ? 0 : (r() - 0.5) * 400));
    const rec = synthRecording({ nPackets: 400, timestampsUs: ts, randomPhase: true, dynamicAmp: 0, nRx: 2, seed: 3 });
    const amp = (c: Float32Array, p: number, k: number, a: number) =>
      Math.hypot(c[2 * ((p * 30 + k) * 2 + a)], c[2 * ((p * 30 + k) * 2 + a) + 1]);
    const worst = (out: Float32Array) => {
      let e = 0;
      for (let p = 0; p < 400; p++)
        for (let k = 0; k < 30; k += 7)
          for (let a = 0; a < 2; a++) e = Math.max(e, Math.abs(amp(out, p, k, a) / amp(rec.csi, 0, k, a) - 1));
      return e;
    };
    const coherent = resampleUniform(rec, { rateHz: 1000, interpolation: 'coherent' }).recording.csi;
    const plain = resampleUniform(rec, { rateHz: 1000 }).recording.csi;
    assert.ok(worst(coherent) < 1e-3, `coherent |H| error ${worst(coherent)}`);
    assert.ok(worst(plain) > 0.3, `a plain blend should lose amplitude between packets with unrelated phases (${worst(plain)})`);
  });

  it('estimates the rate from the median interval and drops non-increasing timestamps', () => {
    const ts = Float64Array.from([0, 33_000, 66_000, 66_000, 50_000, 99_000, 132_000]);
    const rec = synthRecording({ nPackets: ts.length, timestampsUs: ts, nRx: 2 });
    const out = resampleUniform(rec);
    assert.equal(out.dropped, 2);
    assert.ok(Math.abs(out.rateHz - 1e6 / 33_000) < 1e-9);
    assert.equal(out.recording.nPackets, 5);
    assert.equal(out.gaps.length, 0);
  });

  it('rejects unusable input with typed errors', () => {
    const rec = synthRecording({ nPackets: 3, timestampsUs: Float64Array.from([5, 5, 5]), nRx: 2 });
    assert.throws(
      () => resampleUniform(rec),
      (e: unknown) => e instanceof DspError && e.code === 'bad-rate',
    );
  });
});
