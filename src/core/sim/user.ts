// A simulated user: body size and drawing style, drawn once per user id (the "user" domain, csi-simulator.md §4.3).
// Between-user spreads are about three times the within-user (per-repetition) spreads; that gap is what makes
// cross-user harder than in-domain.
import { stream } from './rng';
import type { SimKnobs } from './knobs';

export interface UserProfile {
  id: number;
  heightM: number;
  upperArmM: number;
  forearmM: number;
  /** Size factor of every drawn shape. */
  sizeFactor: number;
  /** Duration factor of every stroke (> 1 is slower). */
  durationFactor: number;
  rightHanded: boolean;
  /** Drawing-plane tilt about the body's x axis and yaw about z, radians. */
  planeTiltRad: number;
  planeYawRad: number;
  /** Fraction of a stroke overlapped by the next one (corner rounding). */
  rounding: number;
  /** Elbow swivel (down-and-out angle), radians. */
  elbowSwivelRad: number;
  ellipticity: number;
  clockwiseO: boolean;
  /** Standard deviation of this user's systematic per-gesture vertex offsets, metres. */
  styleOffsetM: number;
}

export function makeUser(seed: number, id: number, knobs: SimKnobs): UserProfile {
  const r = stream(seed, 'user', id);
  const k = knobs.userSpread;
  const heightM = r.uniform(1.55, 1.9);
  return {
    id,
    heightM,
    upperArmM: 0.186 * heightM,
    forearmM: 0.254 * heightM,
    sizeFactor: r.logNormal(0, 0.15 * k),
    durationFactor: r.logNormal(0, 0.18 * k),
    rightHanded: r.bool(0.85),
    planeTiltRad: (r.normal(0, 8 * k) * Math.PI) / 180,
    planeYawRad: (r.normal(0, 8 * k) * Math.PI) / 180,
    rounding: r.uniform(0.1, 0.25),
    elbowSwivelRad: (r.uniform(20, 35) * Math.PI) / 180,
    ellipticity: 1 + (r.uniform(0.8, 1.2) - 1) * k,
    clockwiseO: r.bool(0.5),
    styleOffsetM: 0.03 * k,
  };
}
