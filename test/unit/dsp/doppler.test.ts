// Widar-style Doppler pipeline on synthetic physics: a reflector whose path length changes at a known speed
// gives a peak at |f| = v/λ; a static channel gives (near) nothing after the high-pass; the pipeline plans
// sensibly at low packet rates.
import * as assert from 'node:assert/strict';
import { doppler, dopplerMulti, planDoppler, WIDAR_EXACT, WIDAR_TRAINING } from '../../../src/core/dsp/doppler';
import { DspError } from '../../../src/core/dsp/errors';
import { C, FC, synthRecording } from './synth';

/** Frequency of the largest time-averaged bin over columns [c0, c1). */
function peakHz(s: ReturnType<typeof doppler>, c0 = 0, c1 = s.nCols): number {
  const acc = new Float64Array(s.nBins);
  for (let c = c0; c < c1; c++) for (let k = 0; k < s.nBins; k++) acc[k] += s.power[c * s.nBins + k];
  let best = 0;
  for (let k = 1; k < s.nBins; k++) if (acc[k] > acc[best]) best = k;
  return s.freqsHz[best];
}

describe('dsp/doppler', function () {
  this.timeout(20_000);
  const lambda = C / FC;

  for (const v of [0.5, 1.2, -0.8]) {
    it(`path length changing at ${v} m/s peaks at |f| = |v|/λ = ${(Math.abs(v) / lambda).toFixed(2)} Hz within one bin (exact and training)`, () => {
      // Antennas 2.6 cm apart see the same path-length rate with a different offset.
      const rec = synthRecording({ pathLength: (t, a) => 3 + 0.026 * a + v * t, seed: 3, noise: 0.05 });
      const fExpected = Math.abs(v) / lambda;
      for (const cfg of [WIDAR_EXACT, WIDAR_TRAINING]) {
        const s = doppler(rec, cfg);
        const bin = s.freqsHz[1] - s.freqsHz[0];
        // Ignore the first/last 0.3 s (filter and window edges).
        const c0 = s.timesS.findIndex(t => t >= 0.3),
          c1 = s.timesS.findIndex(t => t > 1.7);
        const f = peakHz(s, c0, c1);
        assert.ok(
          Math.abs(Math.abs(f) - fExpected) <= bin,
          `${cfg === WIDAR_EXACT ? 'exact' : 'training'}: peak ${f} Hz, expected ±${fExpected}`,
        );
        for (const p of s.power) assert.ok(Number.isFinite(p));
      }
    });
  }

  it('exact configuration: a column per packet, 121 one-hertz bins, columns summing to 1', () => {
    const rec = synthRecording({ pathLength: t => 2 + 0.7 * t, seed: 5 });
    const s = doppler(rec, WIDAR_EXACT);
    assert.equal(s.nCols, rec.nPackets);
    assert.equal(s.nBins, 121);
    assert.deepEqual(Array.from(s.freqsHz.slice(0, 3)), [-60, -59, -58]);
    for (let c = 0; c < s.nCols; c += 97) {
      let sum = 0;
      for (let k = 0; k < s.nBins; k++) sum += s.power[c * s.nBins + k];
      assert.ok(Math.abs(sum - 1) < 1e-4);
    }
  });

  it('training configuration: a column every 10 ms', () => {
    const rec = synthRecording({ pathLength: t => 2 + 0.7 * t, seed: 5 });
    const s = doppler(rec, WIDAR_TRAINING);
    assert.equal(s.nCols, 200);
    assert.ok(Math.abs(s.timesS[1] - s.timesS[0] - 0.01) < 1e-12);
    assert.ok(s.freqsHz[s.nBins - 1] <= 60 && s.freqsHz[s.nBins - 1] > 58);
  });

  it('training shortcuts (every 2nd subcarrier, strided covariance) barely change the spectrogram', () => {
    const rec = synthRecording({ seed: 31, noise: 0.5, pathLength: (t, a) => 2 + 0.026 * a + 0.7 * t + 0.1 * Math.sin(5 * t) });
    const full = doppler(rec, { ...WIDAR_TRAINING, subcarrierStride: 1, covarianceStride: 1 });
    const fast = doppler(rec, WIDAR_TRAINING);
    let dot = 0,
      na = 0,
      nb = 0;
    for (let i = 0; i < full.power.length; i++) {
      dot += full.power[i] * fast.power[i];
      na += full.power[i] ** 2;
      nb += fast.power[i] ** 2;
    }
    assert.ok(dot / Math.sqrt(na * nb) > 0.995, `cosine ${dot / Math.sqrt(na * nb)}`);
  });

  it('a static channel (random phase per packet, no reflector) is ~zero after the high-pass', () => {
    const rec = synthRecording({ seed: 9 });
    const s = doppler(rec, WIDAR_EXACT);
    let e = 0;
    for (let c = 300; c < 1700; c++) for (let k = 0; k < s.nBins; k++) e += s.rawPower[c * s.nBins + k];
    e /= 1400;
    // With no reflector, the α subtraction and high-pass leave only the Float32 rounding of the stored CSI.
    assert.ok(e / s.conjPower < 1e-5, `residual ${e / s.conjPower}`);
    const moving = doppler(synthRecording({ seed: 9, pathLength: t => 2 + t }), WIDAR_EXACT);
    let em = 0;
    for (let c = 300; c < 1700; c++) for (let k = 0; k < moving.nBins; k++) em += moving.rawPower[c * moving.nBins + k];
    assert.ok(em / 1400 / moving.conjPower > 1e10 * (e / s.conjPower), 'a moving reflector is many orders above');
  });

  it('a static channel with white noise gives a flat spectrogram', () => {
    // 10 s so that ~40 independent windows average the periodogram's scatter down.
    const s = doppler(synthRecording({ seed: 11, noise: 0.5, nPackets: 10000 }), WIDAR_TRAINING);
    const acc = new Float64Array(s.nBins);
    for (let c = 30; c < s.nCols - 30; c++) for (let k = 0; k < s.nBins; k++) acc[k] += s.power[c * s.nBins + k];
    // Exclude the high-pass transition (|f| < 5 Hz) and the low-pass edge (|f| > 50 Hz).
    const mid = Array.from(acc).filter((_, k) => Math.abs(s.freqsHz[k]) >= 5 && Math.abs(s.freqsHz[k]) <= 50);
    const mean = mid.reduce((a, b) => a + b, 0) / mid.length;
    assert.ok(
      Math.max(...mid) < 1.4 * mean && Math.min(...mid) > 0.6 * mean,
      `max/mean ${Math.max(...mid) / mean}, min/mean ${Math.min(...mid) / mean}`,
    );
  });

  it('plans low packet rates: WiAR ~30 Hz keeps the band below Nyquist and a ≥31-sample window', () => {
    const p = planDoppler(30, WIDAR_EXACT);
    assert.equal(p.lowPass, false);
    assert.equal(p.highPass, true);
    assert.ok(p.freqsHz[p.freqsHz.length - 1] < 15 && p.freqsHz[0] > -15);
    assert.equal(p.windowLength, 31);
    assert.equal(p.hop, 1);
    const t = planDoppler(30, WIDAR_TRAINING);
    assert.equal(t.hop, 1);
    const w = planDoppler(1000, WIDAR_EXACT);
    assert.equal(w.windowLength, 251);
    assert.equal(w.freqsHz.length, 121);
  });

  it('works at 30 Hz on a slow reflector (peak within one bin)', () => {
    const v = 0.15,
      fs = 30;
    const rec = synthRecording({ fs, nPackets: 300, pathLength: t => 2 + v * t, seed: 4, noise: 0.02 });
    const s = doppler(rec, WIDAR_EXACT);
    assert.ok(Math.abs(Math.abs(peakHz(s, 30, 270)) - v / lambda) <= 1);
  });

  it('dopplerMulti gives one spectrogram per receiver', () => {
    const recs = [0, 1, 2].map(i => synthRecording({ nPackets: 500, seed: 20 + i, pathLength: t => 2 + (0.3 + 0.3 * i) * t }));
    const out = dopplerMulti(recs, WIDAR_TRAINING);
    assert.equal(out.length, 3);
    out.forEach((s, i) =>
      assert.ok(Math.abs(Math.abs(peakHz(s, 5, 45)) - (0.3 + 0.3 * i) / lambda) <= 1.5 * (s.freqsHz[1] - s.freqsHz[0])),
    );
  });

  it('rejects a single-antenna recording with a typed error naming the file', () => {
    const rec = synthRecording({ nRx: 1, nPackets: 50 });
    assert.throws(
      () => doppler(rec),
      (e: unknown) => e instanceof DspError && e.code === 'too-few-antennas' && /synthetic/.test((e as Error).message),
    );
  });
});
