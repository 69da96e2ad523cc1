// Background motion of a room: the other people in it (domain "room", csi-simulator.md §8.1 "noise/interference").
//
// Why: the conjugate product behind Widar's DFS cancels the static multipath, and in our calibration neither moving
// the devices (per-room placement up to 0.35 m) nor strong wall bounces of every arm point changed what a Doppler
// classifier sees (cross-room stayed at in-domain accuracy). What a DFS model trained in two rooms has never seen in
// a third is that room's *moving* clutter: every real room has its own background activity at its own place and
// speed, and its echoes land in the same ±60 Hz band as the gesture. Each preset gets one such source (an
// inference, not a published measurement):
//   classroom  a student seated 2–3.5 m from the area: occasional arm movements and upper-body leans;
//   hall       a person walking back and forth 2.5–4.5 m away (torso + swinging hand);
//   office     a colleague at a desk 1.5–2.5 m away: fast small typing strokes and an occasional reach.
// Where the source sits and how it moves is drawn once per room; what it does during a recording is drawn per
// sample (so it carries no gesture label). Amplitudes follow from the same bistatic point-scatterer model as the
// body (weights are √RCS-like relatives), so distance does the attenuation.
import { minJerk } from './motion';
import { stream, type Rng } from './rng';
import type { Room, RoomPreset } from './room';
import { AREA_CENTRE_XY } from './widarLayout';

/** Scatterers per clutter source: a torso and a hand. */
export const CLUTTER_SCATTERERS = 2;
const WEIGHTS = [1.5, 1.0];

interface Style {
  kind: 'seated' | 'walker';
  /** Distance of the source from the sensing-area centre, metres. */
  distance: [number, number];
  /** Arm strokes per second and their amplitude (m) and duration (s) ranges (seated). */
  strokeRate: number;
  strokeAmp: [number, number];
  strokeDur: [number, number];
  /** Probability per second of a large reach / lean. */
  reachRate: number;
}

const STYLES: Record<RoomPreset, Style> = {
  classroom: { kind: 'seated', distance: [2, 3.5], strokeRate: 0.8, strokeAmp: [0.1, 0.3], strokeDur: [0.35, 0.7], reachRate: 0.4 },
  hall: { kind: 'walker', distance: [2.5, 4.5], strokeRate: 0, strokeAmp: [0, 0], strokeDur: [0, 0], reachRate: 0 },
  office: { kind: 'seated', distance: [1.5, 2.5], strokeRate: 3, strokeAmp: [0.03, 0.08], strokeDur: [0.15, 0.3], reachRate: 0.3 },
};

/** Where a room's clutter source is and how it moves (fixed per room). */
export interface RoomClutter {
  kind: Style['kind'];
  style: Style;
  /** Seated: torso position; walker: centre of its path. */
  anchor: [number, number, number];
  /** Walker: unit direction of the path; seated: facing. */
  dir: [number, number];
  /** Walker: half length of the path (m) and speed (m/s). */
  halfPath: number;
  speed: number;
}

/** The clutter source of `room`; a pure function of (seed, room). */
export function makeRoomClutter(seed: number, room: Room): RoomClutter {
  const style = STYLES[room.preset];
  const r = stream(seed, 'clutter', room.id);
  // Somewhere in the room at the style's distance from the area centre, 0.9 m inside the walls (room for the arm).
  const inset = 0.9;
  let anchor: [number, number, number] = [0, 0, 0],
    radial = 0;
  for (let tries = 0; tries < 50; tries++) {
    radial = r.uniform(0, 2 * Math.PI);
    const d = r.uniform(style.distance[0], style.distance[1]);
    const x = AREA_CENTRE_XY[0] + d * Math.cos(radial),
      y = AREA_CENTRE_XY[1] + d * Math.sin(radial);
    anchor = [
      Math.min(room.max[0] - inset, Math.max(room.min[0] + inset, x)),
      Math.min(room.max[1] - inset, Math.max(room.min[1] + inset, y)),
      0,
    ];
    if (Math.hypot(anchor[0] - AREA_CENTRE_XY[0], anchor[1] - AREA_CENTRE_XY[1]) > 1.4) break;
  }
  // A walker passes by (roughly perpendicular to the line towards the area); a seated person faces anywhere.
  const heading = style.kind === 'walker' ? radial + Math.PI / 2 + r.uniform(-0.5, 0.5) : r.uniform(0, 2 * Math.PI);
  const dir: [number, number] = [Math.cos(heading), Math.sin(heading)];
  // The walk stays 0.5 m inside the walls: shorten the half path to the nearest wall crossing along dir.
  let halfPath = r.uniform(1.5, 2.5);
  for (const sgn of [1, -1])
    for (let a = 0; a < 2; a++) {
      const d = sgn * dir[a];
      if (Math.abs(d) < 1e-9) continue;
      const lim = d > 0 ? (room.max[a] - 0.5 - anchor[a]) / d : (room.min[a] + 0.5 - anchor[a]) / d;
      halfPath = Math.max(0.3, Math.min(halfPath, lim));
    }
  return { kind: style.kind, style, anchor, dir, halfPath, speed: r.uniform(0.9, 1.4) };
}

/**
 * Clutter scatterer positions for one recording, packets × CLUTTER_SCATTERERS × 3 (world metres), and weights.
 * `rng` is the sample's own stream: the activity differs per recording.
 */
export function clutterScatterers(c: RoomClutter, times: Float64Array, rng: Rng): { positions: Float64Array; weights: Float64Array } {
  const n = times.length;
  const positions = new Float64Array(n * CLUTTER_SCATTERERS * 3);
  const T = n ? times[n - 1] + 0.001 : 0;
  if (c.kind === 'walker') {
    // Back and forth along the path at constant speed (turns are instantaneous: the walker is far, and the ~0.1 s
    // of a real turn would change little); the hand swings ±0.25 m at the step frequency.
    const period = (4 * c.halfPath) / c.speed;
    const t0 = rng.uniform(0, period),
      stepHz = rng.uniform(0.8, 1.0),
      swingPh = rng.uniform(0, 2 * Math.PI);
    for (let p = 0; p < n; p++) {
      const ph = ((times[p] + t0) % period) / period; // 0..1 over a round trip
      const s = ph < 0.5 ? -c.halfPath + 4 * c.halfPath * ph : 3 * c.halfPath - 4 * c.halfPath * ph;
      const x = c.anchor[0] + s * c.dir[0],
        y = c.anchor[1] + s * c.dir[1];
      const swing = 0.25 * Math.sin(2 * Math.PI * stepHz * times[p] + swingPh);
      const b = p * CLUTTER_SCATTERERS * 3;
      positions[b] = x;
      positions[b + 1] = y;
      positions[b + 2] = 1.2;
      positions[b + 3] = x + swing * c.dir[0] - 0.25 * c.dir[1];
      positions[b + 4] = y + swing * c.dir[1] + 0.25 * c.dir[0];
      positions[b + 5] = 0.85;
    }
  } else {
    // Seated: Poisson-timed min-jerk strokes of the hand (and, for reaches, a lean of the torso) that return home.
    type Stroke = { t: number; d: number; dx: number; dy: number; dz: number; torso: number };
    const strokes: Stroke[] = [];
    const st = c.style;
    for (let t = -1 + rng.exponential(st.strokeRate + st.reachRate); t < T; t += rng.exponential(st.strokeRate + st.reachRate)) {
      const reach = rng.bool(st.reachRate / (st.strokeRate + st.reachRate));
      const amp = reach ? rng.uniform(0.25, 0.45) : rng.uniform(st.strokeAmp[0], st.strokeAmp[1]);
      const az = rng.uniform(0, 2 * Math.PI);
      strokes.push({
        t,
        d: reach ? rng.uniform(0.5, 0.9) : rng.uniform(st.strokeDur[0], st.strokeDur[1]),
        dx: amp * Math.cos(az),
        dy: amp * Math.sin(az),
        dz: rng.uniform(-0.3, 0.3) * amp,
        torso: reach ? 0.3 : 0.05,
      });
    }
    const hx = c.anchor[0] + 0.35 * c.dir[0],
      hy = c.anchor[1] + 0.35 * c.dir[1];
    for (let p = 0; p < n; p++) {
      let ox = 0,
        oy = 0,
        oz = 0,
        tx = 0,
        ty = 0;
      for (const s of strokes) {
        const u = (times[p] - s.t) / s.d;
        if (u <= 0 || u >= 2) continue;
        const m = u < 1 ? minJerk(u) : 1 - minJerk(u - 1); // out and back
        ox += s.dx * m;
        oy += s.dy * m;
        oz += s.dz * m;
        tx += s.torso * s.dx * m;
        ty += s.torso * s.dy * m;
      }
      const b = p * CLUTTER_SCATTERERS * 3;
      positions[b] = c.anchor[0] + tx;
      positions[b + 1] = c.anchor[1] + ty;
      positions[b + 2] = 1.0;
      positions[b + 3] = hx + ox;
      positions[b + 4] = hy + oy;
      positions[b + 5] = 0.75 + oz;
    }
  }
  return { positions, weights: Float64Array.from(WEIGHTS) };
}
