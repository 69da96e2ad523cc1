// Dual-path features on synthetic recordings with known physics: the CSI-ratio phase cancels a random per-packet
// phase common to all antennas and recovers a known phase ramp; the Doppler path's peak band mirrors when the
// Doppler shift changes sign; widths follow the receiver/antenna/subcarrier counts; real WiAR files give finite
// features of the documented widths.
import { strict as assert } from 'node:assert';
import * as path from 'path';
import type { CsiRecording } from '../../../src/core/formats/types';
import {
  DEFAULT_FEATURES,
  bridgeZeroRows,
  buildTensorDataset,
  cropSegment,
  poolRows,
  prepareReceiver,
  receiverFeatures,
  resolveInputs,
} from '../../../src/core/features';
import { readRecordingFile } from '../../../src/core/formats/index';
import { labeled } from '../../helpers/paths';
import { FS, bandProfile, nexmonLike, synth } from './fixtures';

describe('features: the dual-path paths on synthetic recordings', () => {
  it('bridgeZeroRows replaces all-zero rows by the line between their neighbours, holds at the ends, counts them', () => {
    // [6, 2] block: rows 1–2 and 5 are holes.
    const g = Float64Array.from([1, 10, 0, 0, 0, 0, 4, 40, 5, 50, 0, 0]);
    assert.equal(bridgeZeroRows(g, 6, 2), 3);
    assert.deepEqual(Array.from(g), [1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 5, 50]);
    const lead = Float64Array.from([0, 0, 7]);
    assert.equal(bridgeZeroRows(lead, 3, 1), 2);
    assert.deepEqual(Array.from(lead), [7, 7, 7]);
    // A row with one non-zero column is measured; nothing measured at all is left alone.
    const partial = Float64Array.from([1, 0, 3]);
    assert.equal(bridgeZeroRows(partial, 1, 3), 0);
    const none = new Float64Array(4);
    assert.equal(bridgeZeroRows(none, 4, 1), 0);
    assert.deepEqual(Array.from(none), [0, 0, 0, 0]);
  });

  it('a hole of zero CSI (a long capture gap) is read as no motion, not as the strongest motion', () => {
    // 10 s, a person moving 6.5–8 s (each subcarrier's amplitude swings at 2 Hz), and a 1.5 s hole at 2–3.5 s with
    // zero CSI, as the resampler leaves a gap longer than MAX_BRIDGED_GAP_S.
    const moving = (t: number) => t >= 6.5 && t < 8;
    const rec = nexmonLike(10, (t, sc) => 100 + (moving(t) ? 25 * Math.sin(2 * Math.PI * 2 * t + sc / 9) : 0));
    for (let p = 100; p < 175; p++) rec.csi.fill(0, p * 2 * 56, (p + 1) * 2 * 56);
    for (const amplitudeSpectrum of ['mean', 'pca'] as const) {
      const f = receiverFeatures(rec, { ...DEFAULT_FEATURES, inputs: 'both', crop: 'none', amplitudeSpectrum, dopplerCompress: 1 });
      // Amplitude path: its largest change from step to step is in the motion (steps 20–25 of 32), not at the hole.
      const A = f.amplitude.width,
        T = DEFAULT_FEATURES.timeSteps;
      const change = Array.from({ length: T - 1 }, (_, t) => {
        let d = 0;
        for (let w = 0; w < A; w++) d += Math.abs(f.amplitude.data[(t + 1) * A + w] - f.amplitude.data[t * A + w]);
        return d;
      });
      const worstHole = Math.max(...change.slice(5, 12)),
        worstMotion = Math.max(...change.slice(19, 26));
      assert.ok(worstHole < 0.1 * worstMotion, `${amplitudeSpectrum}: amplitude change at the hole ${worstHole} vs motion ${worstMotion}`);
      // Doppler path: above 1 Hz, the motion's steps hold more power than the hole's.
      const Q = f.doppler.width,
        power = (t: number) => {
          let s = 0;
          for (let q = 2; q < Q; q++) s += f.doppler.data[t * Q + q];
          return s;
        };
      if (amplitudeSpectrum === 'pca') {
        const hole = Math.max(...[7, 8, 9, 10].map(power)),
          motion = Math.min(...[22, 23, 24].map(power));
        assert.ok(hole < 0.2 * motion, `pca: power at the hole ${hole} vs motion ${motion}`);
      }
    }
  });

  it("amplitudeSpectrum 'pca' finds motion that moves subcarriers in opposite directions, which the plain mean cancels", () => {
    // A reflection that raises half the band's amplitudes while it lowers the other half (frequency-selective
    // fading): the subcarriers' mean stays flat, the first principal component carries the 3 Hz swing.
    const rec = nexmonLike(10, (t, sc) => 100 + (sc < 28 ? 20 : -20) * Math.sin(2 * Math.PI * 3 * t));
    const spectrum = (amplitudeSpectrum: 'mean' | 'pca') =>
      bandProfile(
        receiverFeatures(rec, { ...DEFAULT_FEATURES, inputs: 'both', crop: 'none', amplitudeSpectrum, dopplerCompress: 1 }).doppler,
      );
    // 30 bands over 0–25 Hz: 3 Hz is band 3 (2.5–3.33 Hz).
    const pca = spectrum('pca'),
      mean = spectrum('mean');
    const peakRatio = (x: number[]) => Math.max(...x) / [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)];
    assert.equal(pca.indexOf(Math.max(...pca)), 3);
    assert.ok(peakRatio(pca) > 20, `pca peak / median ${peakRatio(pca)}`);
    assert.ok(peakRatio(mean) < 3, `mean peak / median ${peakRatio(mean)}`);
    // Bad value: a clear error.
    return assert.rejects(
      buildTensorDataset({ classes: ['x'] }, [], { ...DEFAULT_FEATURES, amplitudeSpectrum: 'carm' as never }),
      /amplitudeSpectrum must be 'mean' or 'pca', got "carm"/,
    );
  });

  it('poolRows averages contiguous segments', () => {
    assert.deepEqual(Array.from(poolRows([1, 2, 3, 4, 5, 6], 6, 1, 3)), [1.5, 3.5, 5.5]);
    assert.deepEqual(Array.from(poolRows([1, 10, 2, 20], 2, 2, 2)), [1, 10, 2, 20]);
  });

  it('ratio phase cancels the common per-packet phase and recovers a known ramp', () => {
    const f = 0.4; // Hz: phase of antennas 1, 2 relative to the reference grows 2π·f·t
    // Amplitude of antennas 1, 2 wobbles (phase untouched) so the static antenna 0 is the reference by Widar's rule.
    const a = (t: number) => 5 * (1 + 0.2 * Math.sin(2 * Math.PI * 3 * t));
    const rec = synth(1000, t => [a(t) * Math.cos(2 * Math.PI * f * t), a(t) * Math.sin(2 * Math.PI * f * t)]);
    const T = 10,
      p = { ...DEFAULT_FEATURES, timeSteps: T, phaseSubcarrierStride: 10, normalize: 'none' as const };
    const r = receiverFeatures(rec, p);
    // Amplitude part: 3 antennas × 30 groups; antenna 0 is a constant 10, antennas 1, 2 average a(t) per step.
    assert.equal(r.amplitude.width, 3 * 30);
    for (let k = 0; k < T; k++) {
      let expect = 0;
      for (let q = k * 100; q < (k + 1) * 100; q++) expect += a(q / FS) / 100;
      for (let g = 0; g < 30; g++) {
        assert.ok(Math.abs(r.amplitude.data[k * 90 + g] - 10) < 1e-4);
        assert.ok(
          Math.abs(r.amplitude.data[k * 90 + 30 + g] - expect) < 1e-3,
          `amplitude step ${k}: ${r.amplitude.data[k * 90 + 30 + g]} vs ${expect}`,
        );
      }
    }
    assert.equal(r.phase.width, 2 * 3);
    // Expected: mean of 2πf·t over each 100-packet segment, minus the mean over the whole second.
    const ramp = (k: number) => 2 * Math.PI * f * ((k * 100 + 49.5) / FS) - 2 * Math.PI * f * (499.5 / FS);
    for (let k = 0; k < T; k++)
      for (let c = 0; c < 6; c++)
        assert.ok(Math.abs(r.phase.data[k * 6 + c] - ramp(k)) < 1e-3, `step ${k} col ${c}: ${r.phase.data[k * 6 + c]} vs ${ramp(k)}`);
  });

  it('the Doppler path peaks in mirrored bands for +f and −f', () => {
    const peaks = (fd: number) => {
      const rec = synth(1500, t => [5 + 2 * Math.cos(2 * Math.PI * fd * t), 2 * Math.sin(2 * Math.PI * fd * t)]);
      const r = receiverFeatures(rec, { ...DEFAULT_FEATURES, timeSteps: 8, normalize: 'none' });
      const Q = r.doppler.width,
        out: number[] = [];
      for (let k = 2; k < 6; k++) {
        let best = 0;
        for (let q = 1; q < Q; q++) if (r.doppler.data[k * Q + q] > r.doppler.data[k * Q + best]) best = q;
        out.push(best);
      }
      return { out, Q };
    };
    const pos = peaks(30),
      neg = peaks(-30);
    assert.equal(new Set(pos.out).size, 1, `stable peak over time: ${pos.out}`);
    assert.notEqual(pos.out[0], Math.floor(pos.Q / 2));
    assert.deepEqual(
      neg.out.map(q => pos.Q - 1 - q),
      pos.out,
    );
  });

  it('the motion crop finds when a Doppler shift is present, on every receiver together', () => {
    // Quiet (static) 0–1.2 s, a 25 Hz Doppler component 1.2–2.0 s, quiet again to 3 s; receiver 2 moves later.
    const moving =
      (t0: number, t1: number) =>
      (t: number): [number, number] =>
        t >= t0 && t < t1 ? [5 + 2 * Math.cos(2 * Math.PI * 25 * t), 2 * Math.sin(2 * Math.PI * 25 * t)] : [5, 0];
    const a = prepareReceiver(synth(3000, moving(1.2, 2.0), 1)),
      b = prepareReceiver(synth(3000, moving(1.4, 2.2), 2));
    const seg = cropSegment([a, b], DEFAULT_FEATURES);
    assert.ok(seg, 'a segment');
    // The union of the two motions (1.2–2.2 s), blurred by the 0.25 s DFS window and the ±5-column smoothing.
    assert.ok(Math.abs(seg.startS - 1.2) < 0.2 && Math.abs(seg.endS - 2.2) < 0.2, JSON.stringify(seg));
    assert.equal(cropSegment([a, b], { ...DEFAULT_FEATURES, crop: 'none' }), undefined);
    // Cropped Doppler: every step lies inside the motion, so every step peaks away from the zero-Doppler band.
    const r = receiverFeatures(a, { ...DEFAULT_FEATURES, timeSteps: 8, normalize: 'none' }, { startS: 1.25, endS: 1.95 });
    const Q = r.doppler.width;
    for (let t = 0; t < 8; t++) {
      let best = 0;
      for (let q = 1; q < Q; q++) if (r.doppler.data[t * Q + q] > r.doppler.data[t * Q + best]) best = q;
      assert.ok(Math.abs(best - (Q - 1) / 2) >= 4, `step ${t}: peak band ${best} of ${Q}`);
    }
  });

  it("inputs 'auto' keeps both paths at WiAR's 30 packets/s and only the Doppler path at 1 kHz", async function () {
    this.timeout(20_000);
    const wiar = prepareReceiver(await readRecordingFile(path.join(labeled('wiar'), 'volunteer_7', 'csi_a1_1.dat')));
    assert.equal(resolveInputs([wiar.rec], DEFAULT_FEATURES), 'both');
    const fast = prepareReceiver(synth(1500, t => [5 + 2 * Math.cos(2 * Math.PI * 20 * t), 2 * Math.sin(2 * Math.PI * 20 * t)]));
    assert.equal(resolveInputs([fast.rec, fast.rec], DEFAULT_FEATURES), 'doppler');
    assert.equal(resolveInputs([fast.rec, wiar.rec], DEFAULT_FEATURES), 'both');
    assert.equal(resolveInputs([fast.rec], { inputs: 'both' }), 'both');
    const r = receiverFeatures(fast, { ...DEFAULT_FEATURES, inputs: 'doppler' });
    assert.equal(r.amplitude.width + r.phase.width, 0);
    assert.equal(r.doppler.width, DEFAULT_FEATURES.dopplerBands);
  });

  it("despike 'hampel' removes isolated per-packet dips of the amplitude that 'none' keeps", () => {
    // Fition's Nexmon captures hold isolated packets whose every subcarrier drops (0–38 per 500-packet file, as
    // often in "no movement" files as in walking ones): not motion, and after pooling a bias of a few per cent.
    const slow = (t: number, sc: number): [number, number] => [6 + 2 * Math.sin(2 * Math.PI * t + sc / 10), 1];
    const clean = synth(1500, slow),
      glitchy = synth(1500, slow);
    const perPacket = 2 * 30 * 3;
    for (let p = 20; p < 1500; p += 37) for (let k = 0; k < perPacket; k++) glitchy.csi[p * perPacket + k] *= 0.3;
    const amp = (rec: CsiRecording, despike: 'hampel' | 'none') =>
      receiverFeatures(rec, { ...DEFAULT_FEATURES, inputs: 'both', crop: 'none', despike }).amplitude.data;
    const relErr = (a: Float32Array, b: Float32Array) =>
      a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0) / b.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    assert.ok(
      relErr(amp(glitchy, 'hampel'), amp(clean, 'hampel')) < 1e-3,
      `hampel: ${relErr(amp(glitchy, 'hampel'), amp(clean, 'hampel'))}`,
    );
    assert.ok(relErr(amp(glitchy, 'none'), amp(clean, 'none')) > 5e-3, `none: ${relErr(amp(glitchy, 'none'), amp(clean, 'none'))}`);
    // A clean recording's slow modulation is left alone.
    assert.ok(relErr(amp(clean, 'hampel'), amp(clean, 'none')) < 1e-3);
  });

  it("amplitudeMean 'remove' makes the amplitude features independent of each subcarrier's static level; 'keep' does not", async () => {
    // The same motion (a slow swing of every subcarrier) over two different static multipath profiles, as two
    // recording sessions would give. With CSI real and positive the amplitude is exactly level + motion.
    const motion = (t: number, sc: number) => 2 * Math.sin(2 * Math.PI * 1.3 * t + sc / 10);
    const a = synth(1500, (t, sc) => [6 + sc / 5 + motion(t, sc), 0]);
    const b = synth(1500, (t, sc) => [12 - sc / 4 + motion(t, sc), 0]);
    const amp = (rec: CsiRecording, amplitudeMean: 'keep' | 'remove') =>
      receiverFeatures(rec, { ...DEFAULT_FEATURES, inputs: 'both', crop: 'none', amplitudeMean }).amplitude.data;
    const maxAbs = (x: Float32Array) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const diff = (x: Float32Array, y: Float32Array) => maxAbs(x.map((v, i) => v - y[i]));
    const ra = amp(a, 'remove'),
      rb = amp(b, 'remove');
    assert.ok(diff(ra, rb) < 1e-4 * maxAbs(ra), `remove: ${diff(ra, rb)} of ${maxAbs(ra)}`);
    assert.ok(diff(amp(a, 'keep'), amp(b, 'keep')) > 1, 'keep: the static level is in the features');
    // What is left is the motion: each column of the moving antennas (1, 2; antenna 0 is static, so all zero) averages
    // ~0 and swings about ±2, the motion's amplitude.
    const W = 90,
      T = DEFAULT_FEATURES.timeSteps;
    assert.ok(maxAbs(ra.filter((_, i) => i % W < 30)) < 1e-5, 'the static antenna has nothing left');
    for (let w = 30; w < W; w += 7) {
      let m = 0,
        hi = -Infinity,
        lo = Infinity;
      for (let t = 0; t < T; t++) {
        const v = ra[t * W + w];
        m += v / T;
        hi = Math.max(hi, v);
        lo = Math.min(lo, v);
      }
      assert.ok(Math.abs(m) < 0.05, `column ${w} mean ${m}`);
      assert.ok(hi > 1.5 && lo < -1.5, `column ${w} range ${lo}..${hi}`);
    }
    await assert.rejects(
      buildTensorDataset({ classes: ['x'] }, [], { ...DEFAULT_FEATURES, amplitudeMean: 'median' as never }),
      /amplitudeMean must be 'keep' or 'remove', got "median"/,
    );
  });
});
