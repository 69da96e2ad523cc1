// Kinematics and randomness checks against analytic values: the minimum-jerk profile's peak speed
// (1.875·distance/duration), arm segments keep their length through the inverse kinematics, the PRNG's moments,
// and that the recording length carries no label (a duration-only classifier stays near chance).
import { strict as assert } from 'node:assert';
import { Motion, line, minJerk } from '../../../src/core/sim/motion';
import { Rng, stream } from '../../../src/core/sim/rng';
import { simulateBody, SCATTERERS_PER_ARM } from '../../../src/core/sim/body';
import { makeUser } from '../../../src/core/sim/user';
import { DEFAULT_KNOBS } from '../../../src/core/sim/knobs';
import { recordingLength, generateSample } from '../../../src/core/sim/sample';
import { GESTURES } from '../../../src/core/sim/gestures';
import type { Vec3 } from '../../../src/core/sim/vec3';

describe('sim kinematics and randomness', function () {
  this.timeout(60_000);

  it('minimum-jerk stroke: ends exactly, peak speed 1.875·|Δ|/D at mid-stroke', () => {
    assert.equal(minJerk(0), 0);
    assert.equal(minJerk(1), 1);
    assert.equal(minJerk(0.5), 0.5);
    const m = new Motion([0, 0, 0], [line(0.2, 0.4, [0.3, 0, 0])]);
    const p: Vec3 = [0, 0, 0],
      q: Vec3 = [0, 0, 0];
    let vmax = 0,
      tmax = 0;
    for (let t = 0; t < 1; t += 0.001) {
      m.at(t, p);
      m.at(t + 1e-4, q);
      const v = (q[0] - p[0]) / 1e-4;
      if (v > vmax) {
        vmax = v;
        tmax = t;
      }
    }
    assert.ok(Math.abs(vmax - (1.875 * 0.3) / 0.4) < 1e-3, `peak ${vmax}`);
    assert.ok(Math.abs(tmax - 0.4) < 0.002, `at ${tmax}`);
    assert.deepEqual(
      m.final().map(x => +x.toFixed(12)),
      [0.3, 0, 0],
    );
  });

  it('inverse kinematics keeps the forearm and upper-arm lengths over a whole gesture', () => {
    const user = makeUser(1, 1, DEFAULT_KNOBS);
    const times = Float64Array.from({ length: 2000 }, (_, i) => i / 1000);
    const body = simulateBody({
      user,
      gestureId: 9,
      torsoXY: [1, 1],
      facingRad: 1,
      times,
      recordingS: 2,
      knobs: DEFAULT_KNOBS,
      inst: new Rng(1),
      style: new Rng(2),
    });
    const P = (p: number, q: number): Vec3 => {
      const j = (p * (2 * SCATTERERS_PER_ARM + 1) + q) * 3;
      return [body.positions[j], body.positions[j + 1], body.positions[j + 2]];
    };
    const d = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    for (let p = 0; p < 2000; p += 97) {
      // forearm points at 1/3 and 2/3 from the elbow towards the hand: consecutive spacing = forearm/3
      const hand = P(p, 0),
        f1 = P(p, 1),
        f2 = P(p, 2);
      assert.ok(Math.abs(d(f1, f2) - user.forearmM / 3) < 1e-9, `forearm spacing at ${p}`);
      assert.ok(Math.abs(d(f2, hand) - user.forearmM / 3) < 1e-9);
      // elbow = 2·f1 − f2; the upper-arm mid-point is half an upper arm from it
      const elbow: Vec3 = [2 * f1[0] - f2[0], 2 * f1[1] - f2[1], 2 * f1[2] - f2[2]];
      assert.ok(Math.abs(d(elbow, P(p, 3)) - user.upperArmM / 2) < 1e-9, `upper arm at ${p}`);
    }
    // The hand actually moves during the gesture: > 0.2 m of travel.
    let travel = 0;
    for (let p = 1; p < 2000; p++) travel += d(P(p, 0), P(p - 1, 0));
    assert.ok(travel > 0.2, `travel ${travel}`);
  });

  it('PRNG: uniform and normal moments, independent named streams, reproducible', () => {
    const r = new Rng(123);
    const n = 200_000;
    let s = 0,
      s2 = 0,
      m = 0,
      m2 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      s += u;
      s2 += u * u;
      const z = r.normal();
      m += z;
      m2 += z * z;
    }
    assert.ok(Math.abs(s / n - 0.5) < 0.005 && Math.abs(s2 / n - 1 / 3) < 0.005);
    assert.ok(Math.abs(m / n) < 0.01 && Math.abs(m2 / n - 1) < 0.02);
    assert.equal(stream(1, 'a', 2).nextU32(), stream(1, 'a', 2).nextU32());
    assert.notEqual(stream(1, 'a', 2).nextU32(), stream(1, 'a', 3).nextU32());
  });

  it('duration alone cannot classify the gesture: a nearest-mean classifier on length stays ≤ 35%', () => {
    // 9 gestures × 6 users × 2 locations × 3 orientations; 3-fold by user.
    const rows: { label: number; user: number; len: number }[] = [];
    for (const g of GESTURES)
      for (let user = 1; user <= 6; user++)
        for (const location of [1, 2])
          for (const orientation of [1, 3, 5]) {
            const spec = { user, gesture: g.id, room: 1, location, orientation, repetition: 1 };
            rows.push({ label: g.id, user, len: recordingLength(7, spec, DEFAULT_KNOBS).packets });
          }
    let correct = 0;
    for (let fold = 0; fold < 3; fold++) {
      const test = (u: number) => u % 3 === fold;
      const mean = GESTURES.map(g => {
        const xs = rows.filter(r => !test(r.user) && r.label === g.id).map(r => r.len);
        return xs.reduce((a, b) => a + b, 0) / xs.length;
      });
      for (const r of rows.filter(x => test(x.user))) {
        let best = 0;
        mean.forEach((m, i) => {
          if (Math.abs(r.len - m) < Math.abs(r.len - mean[best])) best = i;
        });
        if (best + 1 === r.label) correct++;
      }
    }
    const acc = correct / rows.length;
    assert.ok(acc <= 0.35, `duration-only accuracy ${acc}`);
    // and the files really have that length: the nominal packet count of a full sample equals recordingLength
    const spec = { user: 2, gesture: 9, room: 1, location: 1, orientation: 3, repetition: 1 };
    assert.equal(generateSample(7, spec, DEFAULT_KNOBS).truth.nominalPackets, recordingLength(7, spec, DEFAULT_KNOBS).packets);
  });
});
