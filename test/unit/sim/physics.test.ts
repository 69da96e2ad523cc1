// Physics checks of the simulator against analytic expectations computed here, independently of the simulator:
// the Doppler of a point reflector is −(dL/dt)/λ with L the bistatic path length; a push&pull reverses its sign;
// a body that does not move leaves no Doppler energy above the noise.
import { strict as assert } from 'node:assert';
import { staticChannel, synthesizeChannel } from '../../../src/core/sim/channel';
import { makeRoom } from '../../../src/core/sim/room';
import { receive, makeNicSession } from '../../../src/core/sim/nic';
import { Rng } from '../../../src/core/sim/rng';
import { subcarrierFrequencies, WIDAR_RX_XY, CARRIER_HZ } from '../../../src/core/sim/widarLayout';
import { generateSampleFiles } from '../../../src/core/sim/sampleFiles';
import { DEFAULT_KNOBS } from '../../../src/core/sim/knobs';
import { readRecording } from '../../../src/core/formats/index';
import { doppler, WIDAR_TRAINING } from '../../../src/core/dsp/doppler';
import type { Vec3 } from '../../../src/core/sim/vec3';

const C = 299_792_458;
const FS = 1000;
const d3 = (a: number[], b: number[]) => Math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2);

/** Frequency (Hz) of the strongest line of a complex series, by a direct DFT on a 0.25 Hz grid over ±150 Hz. */
function peakFrequency(re: Float64Array, im: Float64Array): number {
  const n = re.length;
  let mr = 0,
    mi = 0;
  for (let i = 0; i < n; i++) {
    mr += re[i] / n;
    mi += im[i] / n;
  }
  let best = 0,
    bestP = -1;
  for (let f = -150; f <= 150; f += 0.25) {
    let sr = 0,
      si = 0;
    for (let i = 0; i < n; i++) {
      const ph = (-2 * Math.PI * f * i) / FS;
      const xr = re[i] - mr,
        xi = im[i] - mi;
      sr += xr * Math.cos(ph) - xi * Math.sin(ph);
      si += xr * Math.sin(ph) + xi * Math.cos(ph);
    }
    const p = sr * sr + si * si;
    if (p > bestP) {
      bestP = p;
      best = f;
    }
  }
  return best;
}

/**
 * Widar-style conjugate product of antenna 1 with reference antenna 0 on subcarrier k: the reference gets a large
 * constant added to its amplitude so that the (dynamic of antenna 1) × (static of reference) term dominates.
 */
function conjProduct(H: ArrayLike<number>, nPkt: number, k: number, nAnt: number, beta: number): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(nPkt),
    im = new Float64Array(nPkt);
  for (let p = 0; p < nPkt; p++) {
    const i1 = ((p * 30 + k) * nAnt + 1) * 2,
      i0 = ((p * 30 + k) * nAnt + 0) * 2;
    const ar = H[i1],
      ai = H[i1 + 1];
    const r0 = H[i0],
      q0 = H[i0 + 1];
    const m = Math.hypot(r0, q0) || 1,
      g = (m + beta) / m;
    const br = r0 * g,
      bi = q0 * g;
    re[p] = ar * br + ai * bi;
    im[p] = ai * br - ar * bi;
  }
  return { re, im };
}

describe('sim physics', function () {
  this.timeout(60_000);

  // Geometry: Tx and a 3-antenna Rx 1 m apart; a point reflector 2 m out on the bisector moving straight away.
  const tx: Vec3 = [0, 0, 1],
    antennas: Vec3[] = [
      [1, 0, 1],
      [1, 0.0257, 1],
      [1, 0.0514, 1],
    ];
  const freqs = subcarrierFrequencies();
  const nPkt = 1000,
    v = 1.0;
  const start: Vec3 = [0.5, 2, 1];
  const positions = new Float64Array(nPkt * 3);
  for (let p = 0; p < nPkt; p++) {
    positions[p * 3] = 0.5;
    positions[p * 3 + 1] = 2 + (v * p) / FS;
    positions[p * 3 + 2] = 1;
  }
  // Expected Doppler from the path-length change at mid-recording (the rate is nearly constant over 1 m).
  const L = (y: number, a: Vec3) => d3([0.5, y, 1], tx) + d3([0.5, y, 1], a);
  const ymid = start[1] + v * 0.5;
  const dLdt = ((L(ymid + 1e-4, antennas[1]) - L(ymid - 1e-4, antennas[1])) / 2e-4) * v;
  const expected = -dLdt / (C / CARRIER_HZ);

  function scene(): Float64Array {
    const room = makeRoom(1, 1);
    const staticH = staticChannel({ room: { ...room, planes: [], furniture: [] }, tx, antennas, freqs });
    return synthesizeChannel({ tx, antennas, freqs, staticH, positions, weights: Float64Array.of(1), bodyGain: 0.3 });
  }

  it('a point reflector moving away at 1 m/s shows f = −(dL/dt)/λ in the conjugate product (ideal NIC)', () => {
    assert.ok(expected < -30 && expected > -40, `sanity of the analytic value: ${expected}`);
    const H = scene();
    const { re, im } = conjProduct(H, nPkt, 15, 3, 1e-2);
    const f = peakFrequency(re, im);
    assert.ok(Math.abs(f - expected) <= 1, `peak ${f} Hz, expected ${expected.toFixed(2)} Hz`);
  });

  it('the same Doppler survives the NIC: random common phase, phase slope, noise, AGC and int8 cancel in the product', () => {
    const H = scene();
    let pw = 0;
    for (let i = 0; i < H.length; i++) pw += H[i] * H[i];
    const meanPowDb = 10 * Math.log10(pw / (H.length / 2));
    const times = Float64Array.from({ length: nPkt }, (_, p) => p / FS);
    const nic = { ...makeNicSession(5, 'test', 1), loss: { pGoodToBad: 0, pBadToGood: 1, lossInBad: 0 }, netlinkDrop: 0 };
    const res = receive({ channel: H, times, nic, txPowerDbm: -92 + 30 - meanPowDb, noiseFloorDbm: -92, rng: new Rng(9) });
    assert.equal(res.records.length, nPkt);
    // Undo the antenna permutation: stored column i holds physical antenna perm[i].
    const sel = res.records[0].antenna_sel;
    const perm = [sel & 3, (sel >> 2) & 3, (sel >> 4) & 3];
    const raw = new Float64Array(nPkt * 30 * 3 * 2);
    res.records.forEach((r, p) => {
      for (let k = 0; k < 30; k++)
        for (let col = 0; col < 3; col++) {
          const dst = ((p * 30 + k) * 3 + perm[col]) * 2,
            src = (k * 3 + col) * 2;
          raw[dst] = r.csi[src];
          raw[dst + 1] = r.csi[src + 1];
        }
    });
    // The raw phase of one antenna is scrambled by the per-packet random phase: no line at the Doppler.
    const single = { re: new Float64Array(nPkt), im: new Float64Array(nPkt) };
    for (let p = 0; p < nPkt; p++) {
      single.re[p] = raw[((p * 30 + 15) * 3 + 1) * 2];
      single.im[p] = raw[((p * 30 + 15) * 3 + 1) * 2 + 1];
    }
    const fSingle = peakFrequency(single.re, single.im);
    assert.ok(Math.abs(fSingle - expected) > 1, `a single antenna should not show the Doppler cleanly (got ${fSingle})`);
    const { re, im } = conjProduct(raw, nPkt, 15, 3, 1000);
    const f = peakFrequency(re, im);
    assert.ok(Math.abs(f - expected) <= 1, `peak ${f} Hz, expected ${expected.toFixed(2)} Hz`);
  });

  // Full pipeline: simulated push&pull → .dat bytes → project reader → Widar DFS. Orientation 3 (0°) faces the Tx
  // corner, so pushing shortens every Tx→hand→Rx path (positive Doppler) and pulling lengthens it (negative).
  function signedCentroid(files: Uint8Array[], rx: number, t0: number, t1: number): number {
    const rec = readRecording(files[rx], { file: `r${rx + 1}` });
    const d = doppler(rec, { ...WIDAR_TRAINING, fs: FS, normalize: false });
    let sw = 0,
      sf = 0;
    for (let c = 0; c < d.nCols; c++) {
      if (d.timesS[c] < t0 || d.timesS[c] > t1) continue;
      for (let k = 0; k < d.nBins; k++) {
        const f = d.freqsHz[k];
        if (Math.abs(f) < 5) continue;
        sw += d.rawPower[c * d.nBins + k];
        sf += d.rawPower[c * d.nBins + k] * f;
      }
    }
    return sf / sw;
  }

  it('push&pull: Doppler positive while pushing towards the links, negative while pulling back', () => {
    const knobs = { ...DEFAULT_KNOBS, distractorProb: 0 };
    const s = generateSampleFiles(3, { user: 1, gesture: 1, room: 1, location: 5, orientation: 3, repetition: 1 }, knobs);
    const { gestureStart: g0, gestureEnd: g1 } = s.truth;
    const mid = (g0 + g1) / 2;
    // Analytic sign per link: f = −(1/λ)·A·v with A = û(hand−tx) + û(hand−rx), v along the facing direction.
    const psi = (s.truth.facingDeg * Math.PI) / 180;
    const hand = [s.truth.torsoXY[0] + 0.45 * Math.cos(psi), s.truth.torsoXY[1] + 0.45 * Math.sin(psi)];
    let checked = 0;
    for (let r = 0; r < 6; r++) {
      const rxy = WIDAR_RX_XY[r];
      const u1 = [hand[0], hand[1]],
        n1 = Math.hypot(u1[0], u1[1]);
      const u2 = [hand[0] - rxy[0], hand[1] - rxy[1]],
        n2 = Math.hypot(u2[0], u2[1]);
      const A = [u1[0] / n1 + u2[0] / n2, u1[1] / n1 + u2[1] / n2];
      const proj = A[0] * Math.cos(psi) + A[1] * Math.sin(psi);
      if (Math.abs(proj) < 0.8) continue; // links nearly perpendicular to the push see little radial motion
      const push = signedCentroid(s.files, r, g0, mid),
        pull = signedCentroid(s.files, r, mid, g1);
      assert.equal(Math.sign(push), -Math.sign(proj), `r${r + 1}: push centroid ${push.toFixed(1)} Hz`);
      assert.equal(Math.sign(pull), Math.sign(proj), `r${r + 1}: pull centroid ${pull.toFixed(1)} Hz`);
      assert.ok(Math.abs(push) > 5 && Math.abs(pull) > 5, `r${r + 1}: centroids ${push.toFixed(1)}, ${pull.toFixed(1)} Hz`);
      checked++;
    }
    assert.ok(checked >= 2, `at least two links face the push (${checked})`);
  });

  it('a body that does not move has no Doppler energy above the noise, a gesture has far more, room background some', () => {
    const spec = { user: 2, gesture: 6, room: 2, location: 1, orientation: 2, repetition: 1 };
    const band = (knobs: typeof DEFAULT_KNOBS) => {
      const s = generateSampleFiles(11, spec, knobs, { foreignEntries: false });
      let e = 0;
      for (let r = 0; r < 6; r++) {
        const d = doppler(readRecording(s.files[r]), { ...WIDAR_TRAINING, fs: FS, normalize: false });
        // Scale-free: band energy relative to the link's conjugate-product power (AGC and path loss cancel).
        for (let c = 0; c < d.nCols; c++)
          for (let k = 0; k < d.nBins; k++) if (Math.abs(d.freqsHz[k]) >= 5) e += d.rawPower[c * d.nBins + k] / d.conjPower / d.nCols;
      }
      return e;
    };
    // The room's own background motion (clutter.ts) is switched off: this is about the user's body.
    const still = band({ ...DEFAULT_KNOBS, motion: false, clutter: false });
    const noBody = band({ ...DEFAULT_KNOBS, motion: false, clutter: false, bodyGainDb: -300 }); // noise only
    const moving = band(DEFAULT_KNOBS);
    assert.ok(still < 2 * noBody && still > 0.5 * noBody, `still ${still.toExponential(2)} vs noise-only ${noBody.toExponential(2)}`);
    assert.ok(moving > 10 * still, `moving ${moving.toExponential(2)} vs still ${still.toExponential(2)}`);
    // With the room's background motion on (a person walking past in the hall), a still user is no longer quiet.
    const background = band({ ...DEFAULT_KNOBS, motion: false, clutter: true });
    assert.ok(background > 3 * noBody, `background ${background.toExponential(2)} vs noise-only ${noBody.toExponential(2)}`);
  });
});
