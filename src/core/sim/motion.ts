// Hand trajectories as superposed minimum-jerk primitives.
//
// Why superposition: Flash & Hogan's minimum-jerk model composes multi-stroke movements by adding the displacement
// of each stroke, each with its own bell-shaped speed profile s(u) = 10u³ − 15u⁴ + 6u⁵. Starting the next stroke
// before the previous one ends rounds the corner exactly the way human drawing does, with no special blending code.
// Speed is therefore never painted on: it follows from the stroke's length and duration (peak 1.875·|Δ|/D).
import type { Vec3 } from './vec3';

export function minJerk(u: number): number {
  if (u <= 0) return 0;
  if (u >= 1) return 1;
  return u * u * u * (10 + u * (-15 + 6 * u));
}

/** One stroke: a displacement that goes from 0 (progress 0) to its full value (progress 1). */
export interface Primitive {
  start: number;
  duration: number;
  /** Displacement at path progress s ∈ [0, 1], relative to the progress-0 point. */
  displacement(s: number, out: Vec3): void;
}

export function line(start: number, duration: number, delta: Vec3): Primitive {
  return {
    start,
    duration,
    displacement: (s, o) => {
      o[0] = delta[0] * s;
      o[1] = delta[1] * s;
      o[2] = delta[2] * s;
    },
  };
}

/**
 * Elliptic arc in the plane spanned by unit axes e1, e2 around `centre` (given relative to the arc's start point's
 * centre-frame), from angle θ0 through Δθ. The displacement is p(θ0 + Δθ·s) − p(θ0).
 */
export function arc(
  start: number,
  duration: number,
  radius1: number,
  radius2: number,
  e1: Vec3,
  e2: Vec3,
  theta0: number,
  dTheta: number,
): Primitive {
  const c0 = Math.cos(theta0),
    s0 = Math.sin(theta0);
  return {
    start,
    duration,
    displacement: (s, o) => {
      const th = theta0 + dTheta * s;
      const dc = radius1 * (Math.cos(th) - c0),
        ds = radius2 * (Math.sin(th) - s0);
      o[0] = dc * e1[0] + ds * e2[0];
      o[1] = dc * e1[1] + ds * e2[1];
      o[2] = dc * e1[2] + ds * e2[2];
    },
  };
}

/** A linear map applied to a primitive's displacement (user drawing-plane tilt/yaw, size, handedness mirror). */
export function transformed(p: Primitive, m: readonly number[] /* row-major 3×3 */): Primitive {
  const tmp: Vec3 = [0, 0, 0];
  return {
    start: p.start,
    duration: p.duration,
    displacement: (s, o) => {
      p.displacement(s, tmp);
      o[0] = m[0] * tmp[0] + m[1] * tmp[1] + m[2] * tmp[2];
      o[1] = m[3] * tmp[0] + m[4] * tmp[1] + m[5] * tmp[2];
      o[2] = m[6] * tmp[0] + m[7] * tmp[1] + m[8] * tmp[2];
    },
  };
}

/** A point that starts at `origin` and moves by the sum of its primitives, each on its own min-jerk clock. */
export class Motion {
  private readonly tmp: Vec3 = [0, 0, 0];
  constructor(
    readonly origin: Vec3,
    readonly primitives: Primitive[] = [],
  ) {}

  /** Time the last primitive ends. */
  get end(): number {
    return this.primitives.reduce((m, p) => Math.max(m, p.start + p.duration), 0);
  }

  at(t: number, out: Vec3): Vec3 {
    out[0] = this.origin[0];
    out[1] = this.origin[1];
    out[2] = this.origin[2];
    for (const p of this.primitives) {
      if (t <= p.start) continue;
      p.displacement(minJerk((t - p.start) / p.duration), this.tmp);
      out[0] += this.tmp[0];
      out[1] += this.tmp[1];
      out[2] += this.tmp[2];
    }
    return out;
  }

  /** Position after every primitive has finished. */
  final(): Vec3 {
    return this.at(this.end + 1, [0, 0, 0]);
  }
}
