// Rooms: the static multipath and noise floor that make the "room" domain (csi-simulator.md §5.2).
//
// A box room with first-order specular images of the Tx in its four walls, floor and ceiling, plus point-like
// furniture scatterers. Presets follow Widar3.0's three rooms as third-party loaders name them (1 classroom,
// 2 hall, 3 office); sizes, reflection coefficients and SNRs are inference. The Widar area (Tx at the origin) sits at
// an offset inside the room, so walls are at different distances in every room.
import { stream } from './rng';
import type { Vec3 } from './vec3';

export type RoomPreset = 'classroom' | 'hall' | 'office';

/**
 * Large flat reflectors close to the sensing area (metal cabinets, whiteboards, partitions, a nearby wall): how many,
 * their gap to the area's edge (m) and their reflection coefficient. An inference: the classroom has a whiteboard
 * wall, the office metal furniture close around the desks, the hall open space with a far pillar/wall.
 */
interface NearReflectors {
  count: number;
  gap: [number, number];
  gamma: [number, number];
}
interface PresetDef {
  size: Vec3;
  gamma: number;
  furniture: number;
  snrDb: number;
  offset: [number, number];
  near: NearReflectors;
}

export const ROOM_PRESETS: Record<RoomPreset, PresetDef> = {
  classroom: {
    size: [8, 6, 3],
    gamma: 0.5,
    furniture: 15,
    snrDb: 26,
    offset: [2.5, 1.5],
    near: { count: 1, gap: [0.3, 0.8], gamma: [0.6, 0.85] },
  },
  hall: { size: [15, 10, 4.5], gamma: 0.35, furniture: 6, snrDb: 30, offset: [5, 3], near: { count: 1, gap: [1.5, 3], gamma: [0.3, 0.5] } },
  office: {
    size: [5, 4, 2.8],
    gamma: 0.75,
    furniture: 20,
    snrDb: 20,
    offset: [1.3, 1.1],
    near: { count: 2, gap: [0.2, 0.6], gamma: [0.7, 0.9] },
  },
};

/** Bounding box (x/y min, max) of the Widar devices and torso locations: the sensing area. */
const AREA_BOX: [number, number] = [-0.6, 2.1];

/** Widar3.0 room number (1..3) → preset. */
export const WIDAR_ROOMS: readonly RoomPreset[] = ['classroom', 'hall', 'office'];

/** An axis-aligned wall/floor/ceiling plane: coordinate `axis` equals `at`. */
export interface Plane {
  axis: 0 | 1 | 2;
  at: number;
  gamma: number;
  phase: number;
}

export interface Room {
  id: number;
  preset: RoomPreset;
  min: Vec3;
  max: Vec3;
  /** x-min, x-max, y-min, y-max (the vertical walls), then floor, ceiling. */
  planes: Plane[];
  furniture: { pos: Vec3; rho: number }[];
  /** Large reflectors next to the sensing area; the body's echoes also reach the receivers via them. */
  nearReflectors: Plane[];
  snrDb: number;
  deviceHeightM: number;
}

/** Build room `id` (1-based). The same (seed, id) always gives the same room. */
export function makeRoom(seed: number, id: number, preset?: RoomPreset): Room {
  const p = preset ?? WIDAR_ROOMS[(id - 1) % WIDAR_ROOMS.length];
  const def = ROOM_PRESETS[p];
  const r = stream(seed, 'room', id);
  const ox = def.offset[0] + r.uniform(-0.3, 0.3),
    oy = def.offset[1] + r.uniform(-0.3, 0.3);
  const min: Vec3 = [-ox, -oy, 0],
    max: Vec3 = [def.size[0] - ox, def.size[1] - oy, def.size[2]];
  const planes: Plane[] = [];
  for (let axis = 0 as 0 | 1 | 2; axis < 3; axis = (axis + 1) as 0 | 1 | 2) {
    for (const at of [min[axis], max[axis]]) {
      planes.push({ axis, at, gamma: Math.min(0.9, Math.max(0.1, def.gamma + r.uniform(-0.15, 0.15))), phase: r.uniform(0, 2 * Math.PI) });
    }
    if (axis === 2) break;
  }
  const furniture: Room['furniture'] = [];
  for (let i = 0; i < def.furniture; i++) {
    furniture.push({
      pos: [r.uniform(min[0], max[0]), r.uniform(min[1], max[1]), r.uniform(0.3, 1.5)],
      rho: r.logNormal(Math.log(0.3), 0.5),
    });
  }
  const deviceHeightM = r.uniform(0.9, 1.3);
  // Near reflectors on distinct sides of the area (a side: axis x or y, below or above the box).
  const rn = stream(seed, 'room', id, 'near');
  const sides = [0, 1, 2, 3];
  const nearReflectors: Plane[] = [];
  for (let i = 0; i < def.near.count; i++) {
    const side = sides.splice(rn.int(0, sides.length - 1), 1)[0];
    const axis = (side & 1) as 0 | 1,
      low = side < 2;
    const gap = rn.uniform(def.near.gap[0], def.near.gap[1]);
    nearReflectors.push({
      axis,
      at: low ? AREA_BOX[0] - gap : AREA_BOX[1] + gap,
      gamma: rn.uniform(def.near.gamma[0], def.near.gamma[1]),
      phase: rn.uniform(0, 2 * Math.PI),
    });
  }
  return { id, preset: p, min, max, planes, furniture, nearReflectors, snrDb: def.snrDb, deviceHeightM };
}

/** Mirror image of a point in a plane. */
export function mirror(p: Vec3, pl: Plane): Vec3 {
  const q: Vec3 = [p[0], p[1], p[2]];
  q[pl.axis] = 2 * pl.at - p[pl.axis];
  return q;
}
