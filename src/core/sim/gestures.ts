// The nine gestures of Widar3.0's 20181130 set as 3-D hand paths (csi-simulator.md §4.2).
//
// Widar3.0 only names its motions; the exact paths here are our choice (inference), made so that classes differ in
// what Doppler can see: direction (radial vs lateral), stroke count, closure and two-handedness. Paths are in the
// body frame (x = user's right, y = facing, z = up) relative to the neutral hand point N0, before the user's
// drawing-plane rotation. Numbering follows the 20181130 file convention (1 Push&Pull … 9 Draw-Rectangle).
import type { Rng } from './rng';
import type { UserProfile } from './user';
import { arc, line, transformed, type Primitive } from './motion';
import { rotX, rotZ, type Vec3 } from './vec3';

export interface GestureInfo {
  id: number;
  name: string;
  twoHanded: boolean;
}

export const GESTURES: readonly GestureInfo[] = [
  { id: 1, name: 'Push&Pull', twoHanded: false },
  { id: 2, name: 'Sweep', twoHanded: false },
  { id: 3, name: 'Clap', twoHanded: true },
  { id: 4, name: 'Slide', twoHanded: false },
  { id: 5, name: 'Draw-O(H)', twoHanded: false },
  { id: 6, name: 'Draw-Zigzag(H)', twoHanded: false },
  { id: 7, name: 'Draw-N(H)', twoHanded: false },
  { id: 8, name: 'Draw-Triangle(H)', twoHanded: false },
  { id: 9, name: 'Draw-Rectangle(H)', twoHanded: false },
];

export function gestureInfo(id: number): GestureInfo {
  const g = GESTURES.find(x => x.id === id);
  if (!g) throw new RangeError(`unknown gesture id ${id}; expected 1..${GESTURES.length}`);
  return g;
}

/** Hand primitives of one gesture instance, on a clock that starts at 0 when the hand is at N0. */
export interface GesturePlan {
  /** Dominant hand, displacements from its N0. */
  dominant: Primitive[];
  /** Other hand (Clap only), displacements from its own N0 (mirror point). */
  other?: Primitive[];
  duration: number;
}

interface Ctx {
  user: UserProfile;
  /** Per-repetition randomness. */
  inst: Rng;
  /** Per (user, gesture) randomness: the user's systematic way of doing this gesture. */
  style: Rng;
  instanceSpread: number;
  /** Duration factor of this instance (user × repetition). */
  kappa: number;
  /** Size factor of this instance. */
  sigma: number;
}

const Z_H = -0.05; // "horizontal" drawings lie slightly below chest height, as if drawing on a table

/** Perturb a vertex by the user's systematic offset and the repetition's jitter, then scale it. */
function vertex(ctx: Ctx, p: Vec3): Vec3 {
  const s = ctx.user.styleOffsetM,
    j = 0.015 * ctx.instanceSpread;
  return [
    ctx.sigma * p[0] + ctx.style.normal(0, s) + ctx.inst.normal(0, j),
    ctx.sigma * p[1] + ctx.style.normal(0, s) + ctx.inst.normal(0, j),
    ctx.sigma * p[2] + ctx.style.normal(0, s * 0.5) + ctx.inst.normal(0, j * 0.5),
  ];
}

/** Stroke duration: nominal range × the user's systematic ratio for this stroke × repetition jitter × κ. */
function strokeDur(ctx: Ctx, lo: number, hi: number): number {
  return ctx.kappa * ctx.style.logNormal(0, 0.12) * ctx.inst.uniform(lo, hi);
}

/**
 * Straight strokes through `points` starting from N0 (the origin). Consecutive strokes overlap by the user's
 * rounding fraction minus a short dwell, which rounds corners (superposition) or pauses at them.
 */
function polyline(ctx: Ctx, points: Vec3[], lo: number, hi: number, t0 = 0): { prims: Primitive[]; end: number } {
  const prims: Primitive[] = [];
  let prev: Vec3 = [0, 0, 0],
    t = t0;
  for (let i = 0; i < points.length; i++) {
    const d = strokeDur(ctx, lo, hi);
    prims.push(line(t, d, [points[i][0] - prev[0], points[i][1] - prev[1], points[i][2] - prev[2]]));
    const dwell = ctx.inst.uniform(0.03, 0.15) * ctx.kappa;
    t += d + (i < points.length - 1 ? dwell - ctx.user.rounding * d : 0);
    t = Math.max(t, prims[prims.length - 1].start + 0.3 * d);
    prev = points[i];
  }
  const end = prims.reduce((m, p) => Math.max(m, p.start + p.duration), t0);
  return { prims, end };
}

function build(id: number, ctx: Ctx): GesturePlan {
  const V = (x: number, y: number, z: number) => vertex(ctx, [x, y, z]);
  switch (id) {
    case 1: {
      // Push&Pull: out along the facing direction and back
      const out = V(0, 0.3, 0);
      const d1 = strokeDur(ctx, 0.35, 0.55),
        dwell = ctx.inst.uniform(0.05, 0.15) * ctx.kappa,
        d2 = strokeDur(ctx, 0.35, 0.55);
      return { dominant: [line(0, d1, out), line(d1 + dwell, d2, [-out[0], -out[1], -out[2]])], duration: d1 + dwell + d2 };
    }
    case 2: {
      // Sweep: one curved stroke right → left about a centre behind the hand (shoulder-like), radius 0.45
      const start = V(0.29, -0.04, 0);
      const approach = strokeDur(ctx, 0.2, 0.3);
      const r = 0.45 * ctx.sigma,
        th = (40 * Math.PI) / 180;
      const d = strokeDur(ctx, 0.5, 0.9);
      // Angle measured in the horizontal plane from the x axis; the arc passes in front of the body.
      const sweep = arc(approach * 0.8, d, r, r, [1, 0, 0], [0, 1, 0], Math.PI / 2 - th, 2 * th);
      return { dominant: [line(0, approach, start), sweep], duration: approach * 0.8 + d };
    }
    case 3: {
      // Clap: both hands from ±0.25 m to ±0.03 m of the body centre line and back, 1–2 times
      const n = ctx.inst.bool(0.5) ? 1 : 2;
      const xh = 0.1; // N0 lies 0.10 m to the side of the centre line
      const open = V(0.25 - xh, 0.05 - 0.0, 0),
        shut = V(0.03 - xh, 0.05, 0);
      const dom: Primitive[] = [],
        oth: Primitive[] = [];
      let t = 0;
      const a = strokeDur(ctx, 0.2, 0.3);
      dom.push(line(0, a, open));
      oth.push(line(0, a, open));
      t = a;
      for (let i = 0; i < n; i++) {
        const din = strokeDur(ctx, 0.15, 0.3),
          dout = strokeDur(ctx, 0.15, 0.3);
        const inward: Vec3 = [shut[0] - open[0], shut[1] - open[1], shut[2] - open[2]];
        for (const hand of [dom, oth]) {
          hand.push(line(t, din, inward));
          hand.push(line(t + din + 0.03, dout, [-inward[0], -inward[1], -inward[2]]));
        }
        t += din + 0.03 + dout + ctx.inst.uniform(0.0, 0.08);
      }
      return { dominant: dom, other: oth, duration: t };
    }
    case 4: {
      // Slide: one straight lateral stroke left → right, lower, palm flat
      const a = V(-0.25, 0.05, -0.05),
        b = V(0.25, 0.05, -0.05);
      const { prims, end } = polyline(ctx, [a, b], 0.45, 0.8);
      return { dominant: prims, duration: end };
    }
    case 5: {
      // Draw-O(H): one turn of a horizontal circle starting at the point nearest the body
      const r = 0.15 * ctx.sigma * (1 + ctx.style.normal(0, 0.05));
      const ell = ctx.user.ellipticity;
      const dir = ctx.user.clockwiseO ? -1 : 1;
      const approach = V(0, 0, Z_H);
      const da = strokeDur(ctx, 0.12, 0.2);
      const d = strokeDur(ctx, 1.0, 1.5);
      return {
        dominant: [line(0, da, approach), arc(da * 0.7, d, r, r * ell, [1, 0, 0], [0, 1, 0], -Math.PI / 2, dir * 2 * Math.PI)],
        duration: da * 0.7 + d,
      };
    }
    case 6: {
      // Draw-Zigzag(H)
      const pts = [V(-0.15, 0.3, Z_H), V(0.15, 0.3, Z_H), V(-0.15, 0.05, Z_H), V(0.15, 0.05, Z_H)];
      const { prims, end } = polyline(ctx, pts, 0.28, 0.45);
      return { dominant: prims, duration: end };
    }
    case 7: {
      // Draw-N(H)
      const pts = [V(-0.12, 0.05, Z_H), V(-0.12, 0.3, Z_H), V(0.12, 0.05, Z_H), V(0.12, 0.3, Z_H)];
      const { prims, end } = polyline(ctx, pts, 0.28, 0.45);
      return { dominant: prims, duration: end };
    }
    case 8: {
      // Draw-Triangle(H)
      const pts = [V(0, 0.3, Z_H), V(0.15, 0.05, Z_H), V(-0.15, 0.05, Z_H), V(0, 0.3, Z_H)];
      const { prims, end } = polyline(ctx, pts, 0.28, 0.45);
      return { dominant: prims, duration: end };
    }
    case 9: {
      // Draw-Rectangle(H)
      const pts = [V(-0.15, 0.05, Z_H), V(-0.15, 0.3, Z_H), V(0.15, 0.3, Z_H), V(0.15, 0.05, Z_H), V(-0.15, 0.05, Z_H)];
      const { prims, end } = polyline(ctx, pts, 0.22, 0.38);
      return { dominant: prims, duration: end };
    }
    default:
      throw new RangeError(`unknown gesture id ${id}; expected 1..${GESTURES.length}`);
  }
}

/** Row-major 3×3 of a vector map f, from the images of the basis vectors. */
function matrixOf(f: (v: Vec3) => Vec3): number[] {
  const ex = f([1, 0, 0]),
    ey = f([0, 1, 0]),
    ez = f([0, 0, 1]);
  return [ex[0], ey[0], ez[0], ex[1], ey[1], ez[1], ex[2], ey[2], ez[2]];
}

/**
 * Build one gesture instance for a user. The user's drawing plane (tilt, yaw) and handedness (mirror in x) are
 * applied here, so the returned displacements are in the body frame.
 */
export function planGesture(id: number, user: UserProfile, inst: Rng, style: Rng, instanceSpread: number): GesturePlan {
  const ctx: Ctx = {
    user,
    inst,
    style,
    instanceSpread,
    kappa: user.durationFactor * inst.logNormal(0, 0.06 * instanceSpread),
    sigma: user.sizeFactor * inst.logNormal(0, 0.06 * instanceSpread),
  };
  const plan = build(id, ctx);
  const mirror = user.rightHanded ? 1 : -1;
  const m = matrixOf(v => {
    const r = rotZ(rotX(v, user.planeTiltRad), user.planeYawRad);
    return [mirror * r[0], r[1], r[2]];
  });
  const mOther = matrixOf(v => {
    const r = rotZ(rotX(v, user.planeTiltRad), -user.planeYawRad);
    return [-mirror * r[0], r[1], r[2]];
  });
  return {
    dominant: plan.dominant.map(p => transformed(p, m)),
    other: plan.other?.map(p => transformed(p, mOther)),
    duration: plan.duration,
  };
}
