// Training-time augmentation: the time warp is exact on what linear interpolation must reproduce (a shift by whole
// steps, a linear ramp stretched about the window's centre), column gains are per-column constants of the asked
// spread, draws are a pure function of seed and batch (exact resume), and bad settings are typed errors. The Doppler
// scale moves a Doppler peak where physics puts a faster motion's (f·a about zero Doppler, per receiver).
import { strict as assert } from 'node:assert';
import {
  augmentActive,
  augmentPlan,
  augmentedBatchInput,
  checkAugment,
  warpInto,
  type WarpDraw,
} from '../../../src/core/model/train/augment';
import { ModelError } from '../../../src/core/model/errors';
import * as tf from '@tensorflow/tfjs';

const block = (T: number, F: number, f: (t: number, c: number) => number) => {
  const a = new Float32Array(T * F);
  for (let t = 0; t < T; t++) for (let c = 0; c < F; c++) a[t * F + c] = f(t, c);
  return a;
};
const draw = (scale: number, shiftSteps: number, dopplerScale = 1): WarpDraw => ({ scale, shiftSteps, gainSeed: 'g', dopplerScale });
/** Centroid (in bands) of one receiver's row segment [from, from + Q). */
const centroid = (row: ArrayLike<number>, from: number, Q: number) => {
  let s = 0,
    w = 0;
  for (let q = 0; q < Q; q++) {
    s += q * row[from + q];
    w += row[from + q];
  }
  return s / w;
};

describe('model: training-time augmentation', () => {
  it('no warp and no gain copies the block exactly', () => {
    const T = 16,
      F = 3,
      src = block(T, F, (t, c) => Math.sin(t + 3 * c));
    const dst = new Float32Array(T * F + 5);
    warpInto(src, T, F, draw(1, 0), 0, 'phase', dst, 5);
    assert.deepEqual(Array.from(dst.subarray(5)), Array.from(src));
    assert.equal(augmentActive({ stretch: 0, shift: 0, gain: 0 }), false);
    assert.equal(augmentActive(undefined), false);
  });

  it('a shift by k whole steps reads row t + k, holding the edge rows', () => {
    const T = 10,
      F = 2,
      src = block(T, F, (t, c) => 100 * c + t),
      dst = new Float32Array(T * F);
    warpInto(src, T, F, draw(1, 3), 0, 'phase', dst, 0);
    for (let t = 0; t < T; t++) for (let c = 0; c < F; c++) assert.equal(dst[t * F + c], 100 * c + Math.min(T - 1, t + 3));
    warpInto(src, T, F, draw(1, -2), 0, 'phase', dst, 0);
    for (let t = 0; t < T; t++) assert.equal(dst[t * F], Math.max(0, t - 2));
  });

  it('a stretch maps a linear ramp to the ramp of slope × scale about the centre (inside the window)', () => {
    const T = 33,
      c = (T - 1) / 2,
      src = block(T, 1, t => 2 * t + 1),
      dst = new Float32Array(T);
    for (const s of [0.8, 1.25]) {
      warpInto(src, T, 1, draw(s, 0), 0, 'phase', dst, 0);
      for (let t = 0; t < T; t++) {
        const pos = c + (t - c) * s;
        if (pos < 0 || pos > T - 1) continue; // held edge
        assert.ok(Math.abs(dst[t] - (2 * pos + 1)) < 1e-4, `s ${s}, t ${t}: ${dst[t]} vs ${2 * pos + 1}`);
      }
      assert.ok(Math.abs(dst[c] - (2 * c + 1)) < 1e-5, 'the centre stays');
    }
  });

  it('gain multiplies each column by one constant, log-normal with the asked spread, independently per path', () => {
    const T = 4,
      F = 4000,
      sigma = 0.3,
      src = block(T, F, (t, c) => 1 + t + (c % 5)),
      out = new Float32Array(T * F);
    warpInto(src, T, F, draw(1, 0), sigma, 'phase', out, 0);
    const logs: number[] = [];
    for (let c = 0; c < F; c++) {
      const g = out[c] / src[c];
      for (let t = 1; t < T; t++) assert.ok(Math.abs(out[t * F + c] / src[t * F + c] - g) < 1e-5 * g, `column ${c} gain not constant`);
      logs.push(Math.log(g));
    }
    const m = logs.reduce((a, b) => a + b, 0) / F,
      sd = Math.sqrt(logs.reduce((a, b) => a + (b - m) ** 2, 0) / F);
    assert.ok(Math.abs(m) < 0.03, `mean log gain ${m}`);
    assert.ok(Math.abs(sd - sigma) < 0.03, `log gain sd ${sd}`);
    const other = new Float32Array(T * F);
    warpInto(src, T, F, draw(1, 0), sigma, 'doppler', other, 0);
    assert.notDeepEqual(Array.from(other.subarray(0, 10)), Array.from(out.subarray(0, 10)));
  });

  it('the plan stays in its bounds and is identical for the same seed and batch', () => {
    const idx = [4, 8, 15, 16, 23, 42],
      o = { stretch: 0.25, shift: 0.1, gain: 0.2 },
      T = 32;
    const a = augmentPlan(idx, o, 7, T),
      b = augmentPlan(idx, o, 7, T),
      c = augmentPlan(idx, o, 8, T);
    assert.deepEqual(a, b);
    assert.notDeepEqual(
      a.map(d => d.scale),
      c.map(d => d.scale),
    );
    for (const d of augmentPlan(
      Array.from({ length: 500 }, (_, i) => i),
      o,
      1,
      T,
    )) {
      assert.ok(d.scale >= 1 / 1.25 - 1e-12 && d.scale <= 1.25 + 1e-12, `scale ${d.scale}`);
      assert.ok(Math.abs(d.shiftSteps) <= 0.1 * T, `shift ${d.shiftSteps}`);
    }
  });

  it('a batch warps both paths with the same draw; settings out of range are typed errors', () => {
    const T = 8,
      N = 3,
      ramp = (n: number) => block(T, 1, t => t + 10 * n);
    const phase = new Float32Array(N * T),
      doppler = new Float32Array(N * T * 2);
    for (let n = 0; n < N; n++) {
      phase.set(ramp(n), n * T);
      doppler.set(
        block(T, 2, t => t + 10 * n),
        n * T * 2,
      );
    }
    const d = { T, F1: 1, F2: 2, classes: ['a'], ids: ['0', '1', '2'], phase, doppler, labels: new Int32Array(N), domains: [{}, {}, {}] };
    const x = augmentedBatchInput(tf, d, [2, 0], { stretch: 0.3, shift: 0.2, gain: 0 }, 5);
    const p = x.phase.arraySync() as number[][][],
      q = x.doppler.arraySync() as number[][][];
    for (let b = 0; b < 2; b++)
      for (let t = 0; t < T; t++) {
        assert.ok(Math.abs(p[b][t][0] - q[b][t][0]) < 1e-5);
        assert.ok(Math.abs(q[b][t][1] - q[b][t][0]) < 1e-5);
      }
    assert.ok(
      p[0].every(r => r[0] >= 20 && r[0] <= 27),
      'sample 2 read from its own rows',
    );
    tf.dispose([x.phase, x.doppler]);
    assert.throws(
      () => checkAugment({ stretch: -0.1, shift: 0, gain: 0 }),
      (e: unknown) => e instanceof ModelError && /augment\.stretch/.test((e as Error).message),
    );
    assert.throws(() => checkAugment({ stretch: 0, shift: 0.7, gain: 0 }), /augment\.shift .* ≤ 0\.5/);
  });

  it('Doppler scale a moves a Doppler peak from zero + f to zero + a·f on each receiver, signed or one-sided axis', () => {
    const T = 4,
      Q = 30;
    const peak = (centre: number) => (q: number) => Math.exp(-0.5 * ((q - centre) / 1.2) ** 2);
    for (const [zero, f] of [
      [14.5, 5],
      [14.5, -5],
      [-0.5, 8],
    ] as const) {
      // Two receivers, the second with its peak elsewhere: each is scaled about its own zero band.
      const g1 = peak(zero + f),
        g2 = peak(zero + f / 2);
      const src = block(T, 2 * Q, (_t, c) => (c < Q ? g1(c) : g2(c - Q))),
        dst = new Float32Array(T * 2 * Q);
      for (const a of [0.8, 1.25]) {
        warpInto(src, T, 2 * Q, draw(1, 0, a), 0, 'doppler', dst, 0, { Q, zero });
        for (let t = 0; t < T; t++) {
          const row = dst.subarray(t * 2 * Q, (t + 1) * 2 * Q);
          assert.ok(
            Math.abs(centroid(row, 0, Q) - (zero + a * f)) < 0.1,
            `zero ${zero}, f ${f}, a ${a}: receiver 1 centroid ${centroid(row, 0, Q)} vs ${zero + a * f}`,
          );
          assert.ok(
            Math.abs(centroid(row, Q, Q) - (zero + (a * f) / 2)) < 0.1,
            `receiver 2 centroid ${centroid(row, Q, Q)} vs ${zero + (a * f) / 2}`,
          );
        }
      }
      // Without the band axis (the phase path) the columns stay where they are.
      warpInto(src, T, 2 * Q, draw(1, 0, 1.25), 0, 'phase', dst, 0);
      assert.deepEqual(Array.from(dst), Array.from(src));
    }
  });

  it('Doppler-scale draws stay in range, leave the time draws of a run without them, and need the zero band', () => {
    const idx = Array.from({ length: 300 }, (_, i) => i),
      T = 32;
    const plain = augmentPlan(idx, { stretch: 0.2, shift: 0.1, gain: 0 }, 3, T);
    const scaled = augmentPlan(idx, { stretch: 0.2, shift: 0.1, gain: 0, doppler: 0.3 }, 3, T);
    let spread = 0;
    scaled.forEach((d, i) => {
      assert.ok(d.dopplerScale >= 1 / 1.3 - 1e-12 && d.dopplerScale <= 1.3 + 1e-12, `Doppler scale ${d.dopplerScale}`);
      assert.equal(d.scale, plain[i].scale);
      assert.equal(d.shiftSteps, plain[i].shiftSteps);
      spread = Math.max(spread, Math.abs(Math.log(d.dopplerScale)));
    });
    assert.ok(spread > 0.2, 'the draws use the range');
    assert.ok(plain.every(d => d.dopplerScale === 1));
    assert.equal(augmentActive({ stretch: 0, shift: 0, gain: 0, doppler: 0.1 }), true);
    assert.throws(() => checkAugment({ stretch: 0, shift: 0, gain: 0, doppler: -1 }), /augment\.doppler/);
    const T2 = 8,
      N = 2,
      Q = 4;
    const d = {
      T: T2,
      F1: 0,
      F2: Q,
      dopplerBands: Q,
      classes: ['a'],
      ids: ['0', '1'],
      phase: new Float32Array(0),
      doppler: new Float32Array(N * T2 * Q).fill(1),
      labels: new Int32Array(N),
      domains: [{}, {}],
    };
    assert.throws(
      () => augmentedBatchInput(tf, d, [0, 1], { stretch: 0, shift: 0, gain: 0, doppler: 0.2 }, 1),
      (e: unknown) => e instanceof ModelError && /zero Doppler/.test((e as Error).message),
    );
    const x = augmentedBatchInput(tf, { ...d, dopplerZeroBand: (Q - 1) / 2 }, [0, 1], { stretch: 0, shift: 0, gain: 0, doppler: 0.2 }, 1);
    assert.ok(
      (x.doppler.dataSync() as Float32Array).every(v => Math.abs(v - 1) < 1e-6),
      'a flat spectrum stays flat',
    );
    tf.dispose([x.phase, x.doppler]);
  });
});
