// Where the Tx and the six receivers stand in a given room (domain "room"). Widar3.0's nominal layout (widarLayout.ts)
// is where the devices are meant to be; each room's furniture and size decide where they actually are. Every room
// therefore gets its own deployment, fixed for all its recordings:
//   - the receivers' distance from the Tx is scaled by the room's layout scale (a cramped office pulls them in, an
//     open hall lets them spread out), while the users stand at the nominal torso marks, so the link geometry seen
//     from each location changes;
//   - each device stands on what the room offers (desks, shelves, tripods): its own height in the room's range;
//   - each device is off its nominal mark by a few centimetres to decimetres (SimKnobs.devicePlacementJitterM).
// The scales and heights are inference (the sources give one nominal 2-D layout), chosen as typical furniture.
import { stream } from './rng';
import type { Room, RoomPreset } from './room';
import type { SimKnobs } from './knobs';
import type { Vec3 } from './vec3';
import { AREA_CENTRE_XY, WIDAR_RX_XY, WIDAR_TX_XY } from './widarLayout';

interface Deployment {
  layoutScale: number;
  rotationDeg: number;
  heightM: [number, number];
}

export const ROOM_DEPLOYMENTS: Record<RoomPreset, Deployment> = {
  classroom: { layoutScale: 1.0, rotationDeg: 0, heightM: [0.72, 0.8] }, // on desks
  hall: { layoutScale: 1.3, rotationDeg: 30, heightM: [1.2, 1.5] }, // on tripods in open space
  office: { layoutScale: 0.75, rotationDeg: -30, heightM: [0.7, 1.15] }, // desks and shelves, wherever there is room
};

export interface DevicePlacement {
  tx: Vec3;
  /** Receiver r1..r6: array centre (x, y) and height. */
  rx: { xy: [number, number]; heightM: number }[];
}

/** A pure function of (seed, room, knobs): the same room always has the same deployment. */
export function placeDevices(seed: number, room: Room, knobs: SimKnobs): DevicePlacement {
  const dep = ROOM_DEPLOYMENTS[room.preset];
  const r = stream(seed, 'placement', room.id);
  const spread = knobs.deploymentSpread ?? 1;
  const scale = 1 + (dep.layoutScale - 1) * spread;
  const height = () => {
    const nominal = room.deviceHeightM;
    return nominal + (r.uniform(dep.heightM[0], dep.heightM[1]) - nominal) * spread;
  };
  const moved = () => r.normal(0, knobs.devicePlacementJitterM);
  // Rotation of the whole device set about the area centre (the torso marks and facing directions stay in the room).
  const rot = ((dep.rotationDeg + r.normal(0, 5)) * spread * Math.PI) / 180,
    cr = Math.cos(rot),
    sr = Math.sin(rot);
  const [cx, cy] = AREA_CENTRE_XY;
  const turn = (x: number, y: number): [number, number] => [cx + (x - cx) * cr - (y - cy) * sr, cy + (x - cx) * sr + (y - cy) * cr];
  const [tx0, ty0] = turn(WIDAR_TX_XY[0], WIDAR_TX_XY[1]);
  const tx: Vec3 = [tx0 + moved(), ty0 + moved(), height()];
  const rx = WIDAR_RX_XY.map(([x, y]) => {
    const [rx0, ry0] = turn(WIDAR_TX_XY[0] + (x - WIDAR_TX_XY[0]) * scale, WIDAR_TX_XY[1] + (y - WIDAR_TX_XY[1]) * scale);
    return { xy: [rx0 + moved(), ry0 + moved()] as [number, number], heightM: height() };
  });
  return { tx, rx };
}
