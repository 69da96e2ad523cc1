// The moving body: recording timeline, both arms by two-link inverse kinematics, and the point scatterers whose
// reflections make the dynamic channel (csi-simulator.md §4.1, §4.4).
//
// Scatterers (amplitude weights are relative √RCS-like values, an inference): per arm the palm (1.0), two forearm
// points (0.8) and the upper-arm mid-point (1.2: the design note's two 0.6 points merged, since the upper arm moves
// least and every point costs a full path per antenna); one chest point (1.5) that breathes and sways with the hand.
// The recording is idle → raise (rest → N0) → gesture → lower (→ rest) → idle. Raise and lower are shared by every
// class, so the onset alone does not reveal the label.
import type { Rng } from './rng';
import type { UserProfile } from './user';
import type { SimKnobs } from './knobs';
import { Motion, line, type Primitive } from './motion';
import { planGesture, gestureInfo } from './gestures';
import type { Vec3 } from './vec3';

export const SCATTERERS_PER_ARM = 4;
export const N_SCATTERERS = 2 * SCATTERERS_PER_ARM + 1;
// Upper arm as one point of twice the weight: it moves least, and each point costs a full path per antenna.
const ARM_WEIGHTS = [1.0, 0.8, 0.8, 1.2];
const TORSO_WEIGHT = 1.5;

export interface BodyScene {
  /** Scatterer positions in world metres, layout packets × scatterers × 3. */
  positions: Float64Array;
  weights: Float64Array;
  /** 1 for palm scatterers (the only ones whose wall bounces are modelled). */
  isHand: Uint8Array;
  /** Ground truth of the timeline, seconds from the first packet. */
  truth: { activeStart: number; gestureStart: number; gestureEnd: number; activeEnd: number; timeCompression: number; distractor: boolean };
}

export interface BodyOptions {
  user: UserProfile;
  gestureId: number;
  torsoXY: [number, number];
  facingRad: number;
  /** Packet send times, seconds. */
  times: Float64Array;
  recordingS: number;
  knobs: SimKnobs;
  inst: Rng;
  style: Rng;
}

const shift = (p: Primitive, dt: number): Primitive => ({ start: p.start + dt, duration: p.duration, displacement: p.displacement });

/** Elbow of a two-link arm (shoulder S, hand target H) with the elbow down and out by `swivel` (side = ±1). */
function elbow(S: Vec3, H: Vec3, a: number, b: number, swivel: number, side: number, outH: Vec3): Vec3 {
  let dx = H[0] - S[0],
    dy = H[1] - S[1],
    dz = H[2] - S[2];
  let d = Math.hypot(dx, dy, dz) || 1e-9;
  const reach = 0.98 * (a + b);
  if (d > reach) {
    // out of reach: clamp the hand onto the reachable sphere
    const k = reach / d;
    dx *= k;
    dy *= k;
    dz *= k;
    d = reach;
  }
  outH[0] = S[0] + dx;
  outH[1] = S[1] + dy;
  outH[2] = S[2] + dz;
  const ux = dx / d,
    uy = dy / d,
    uz = dz / d;
  const x = (a * a - b * b + d * d) / (2 * d);
  const r = Math.sqrt(Math.max(0, a * a - x * x));
  // n1: "down" made orthogonal to the arm axis; n2 = u × n1 points sideways.
  let n1x = uz * ux,
    n1y = uz * uy,
    n1z = -1 + uz * uz; // (0,0,−1) − ((0,0,−1)·u) u
  let n = Math.hypot(n1x, n1y, n1z);
  if (n < 1e-6) {
    n1x = side;
    n1y = 0;
    n1z = 0;
    n = 1;
  }
  n1x /= n;
  n1y /= n;
  n1z /= n;
  const n2x = uy * n1z - uz * n1y,
    n2y = uz * n1x - ux * n1z,
    n2z = ux * n1y - uy * n1x;
  // Sideways component points away from the body's centre line for both arms.
  const sgn = Math.sign(n2x * side) || 1;
  const c = Math.cos(swivel),
    s = Math.sin(swivel) * sgn;
  return [S[0] + x * ux + r * (c * n1x + s * n2x), S[1] + x * uy + r * (c * n1y + s * n2y), S[2] + x * uz + r * (c * n1z + s * n2z)];
}

export function simulateBody(o: BodyOptions): BodyScene {
  const { user, knobs, inst } = o;
  const h = user.heightM;
  const sideDom = user.rightHanded ? 1 : -1;
  const shoulder = (side: number): Vec3 => [(side * 0.19 * h) / 1.75, 0, 0.82 * h];
  const rest = (side: number): Vec3 => [(side * 0.24 * h) / 1.75, 0.05, 0.45 * h];
  const neutral = (side: number): Vec3 => [side * 0.1, 0.3, 0.72 * h];

  const info = gestureInfo(o.gestureId);
  const plan = planGesture(o.gestureId, user, inst, o.style, knobs.instanceSpread);
  const raise = inst.uniform(0.3, 0.45) * user.durationFactor;
  const lower = inst.uniform(0.3, 0.45) * user.durationFactor;
  const active = raise + plan.duration + lower;
  // Recording length is drawn independently of the class; a gesture that does not fit is performed faster.
  const room = o.recordingS - 0.2;
  const compression = active > room ? room / active : 1;
  const activeS = active * compression;
  const pre = inst.uniform(0.1, Math.max(0.1, o.recordingS - activeS - 0.1));

  const armMotion = (side: number, gesture: Primitive[] | undefined): Motion => {
    const R = rest(side),
      N = neutral(side);
    if (!knobs.motion) return new Motion(R);
    if (!gesture) return new Motion(R);
    const m = new Motion(R, [line(0, raise, [N[0] - R[0], N[1] - R[1], N[2] - R[2]]), ...gesture.map(p => shift(p, raise))]);
    const end = m.final();
    m.primitives.push(line(raise + plan.duration, lower, [R[0] - end[0], R[1] - end[1], R[2] - end[2]]));
    return m;
  };
  const dom = armMotion(sideDom, plan.dominant);
  const oth = armMotion(-sideDom, info.twoHanded ? plan.other : undefined);
  let distractor = false;
  if (knobs.motion && !info.twoHanded && inst.bool(knobs.distractorProb)) {
    // A small unrelated fidget of the idle hand at a random time, so "any motion ⇒ gesture" is not a shortcut.
    distractor = true;
    const amp = inst.uniform(0.03, 0.08),
      az = inst.uniform(0, 2 * Math.PI),
      tf = inst.uniform(0, active);
    const dv: Vec3 = [amp * Math.cos(az), amp * Math.sin(az), inst.uniform(-0.02, 0.02)];
    oth.primitives.push(line(tf, 0.3, dv), line(tf + 0.35, 0.3, [-dv[0], -dv[1], -dv[2]]));
  }

  const breathAmp = inst.uniform(0.003, 0.006),
    breathHz = inst.uniform(0.2, 0.35),
    breathPh = inst.uniform(0, 2 * Math.PI);
  const cf = Math.cos(o.facingRad),
    sf = Math.sin(o.facingRad);
  // Body → world: x_b along the user's right (sin ψ, −cos ψ), y_b along the facing (cos ψ, sin ψ), z up.
  const toWorld = (p: Vec3, out: Float64Array, at: number) => {
    out[at] = o.torsoXY[0] + p[0] * sf + p[1] * cf;
    out[at + 1] = o.torsoXY[1] - p[0] * cf + p[1] * sf;
    out[at + 2] = p[2];
  };

  const nPkt = o.times.length;
  const positions = new Float64Array(nPkt * N_SCATTERERS * 3);
  const hand: Vec3 = [0, 0, 0],
    handC: Vec3 = [0, 0, 0],
    pt: Vec3 = [0, 0, 0];
  const arms: [Motion, number][] = [
    [dom, sideDom],
    [oth, -sideDom],
  ];
  const restDom = rest(sideDom);
  let dispX = 0,
    dispY = 0;
  for (let p = 0; p < nPkt; p++) {
    const tm = (o.times[p] - pre) / compression; // motion clock
    const base = p * N_SCATTERERS * 3;
    for (let ai = 0; ai < 2; ai++) {
      const [m, side] = arms[ai];
      m.at(tm, hand);
      const S = shoulder(side);
      const E = elbow(S, hand, user.upperArmM, user.forearmM, user.elbowSwivelRad, side, handC);
      const b0 = base + ai * SCATTERERS_PER_ARM * 3;
      toWorld(handC, positions, b0);
      for (let k = 0; k < 2; k++) {
        // forearm at 1/3, 2/3 from the elbow
        const f = (k + 1) / 3;
        pt[0] = E[0] + (handC[0] - E[0]) * f;
        pt[1] = E[1] + (handC[1] - E[1]) * f;
        pt[2] = E[2] + (handC[2] - E[2]) * f;
        toWorld(pt, positions, b0 + 3 * (1 + k));
      }
      // upper arm: mid-point
      pt[0] = (S[0] + E[0]) / 2;
      pt[1] = (S[1] + E[1]) / 2;
      pt[2] = (S[2] + E[2]) / 2;
      toWorld(pt, positions, b0 + 9);
      if (ai === 0) {
        dispX = handC[0] - restDom[0];
        dispY = handC[1] - restDom[1];
      }
    }
    // Chest: breathing along the facing direction plus a small reaction to the dominant hand's displacement.
    const sway = breathAmp * Math.sin(2 * Math.PI * breathHz * o.times[p] + breathPh);
    pt[0] = -0.03 * dispX;
    pt[1] = sway - 0.03 * dispY;
    pt[2] = 0.72 * h;
    toWorld(pt, positions, base + 2 * SCATTERERS_PER_ARM * 3);
  }
  const weights = new Float64Array(N_SCATTERERS);
  const isHand = new Uint8Array(N_SCATTERERS);
  for (let ai = 0; ai < 2; ai++) for (let k = 0; k < SCATTERERS_PER_ARM; k++) weights[ai * SCATTERERS_PER_ARM + k] = ARM_WEIGHTS[k];
  weights[N_SCATTERERS - 1] = TORSO_WEIGHT;
  isHand[0] = 1;
  isHand[SCATTERERS_PER_ARM] = 1;
  const g0 = pre + raise * compression;
  return {
    positions,
    weights,
    isHand,
    truth: {
      activeStart: pre,
      gestureStart: g0,
      gestureEnd: g0 + plan.duration * compression,
      activeEnd: pre + activeS,
      timeCompression: compression,
      distractor,
    },
  };
}
