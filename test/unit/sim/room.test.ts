// The room domain: each room has its own device deployment (placement.ts) and background motion (clutter.ts), both
// fixed per room and reproducible; checked against geometric properties computed here (a rotation and scaling about
// the area centre keeps the receivers' distances to the centre in the preset's ratio, heights in the preset's range).
import { strict as assert } from 'node:assert';
import { makeRoom } from '../../../src/core/sim/room';
import { placeDevices, ROOM_DEPLOYMENTS } from '../../../src/core/sim/devicePlacement';
import { clutterScatterers, makeRoomClutter, CLUTTER_SCATTERERS } from '../../../src/core/sim/clutter';
import { stream } from '../../../src/core/sim/rng';
import { DEFAULT_KNOBS } from '../../../src/core/sim/knobs';
import { AREA_CENTRE_XY, WIDAR_RX_XY, WIDAR_TX_XY } from '../../../src/core/sim/widarLayout';

const dist = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1]);

describe('sim rooms', () => {
  it('every room deploys the devices its own way: same room → same placement, rotation and scale as its preset', () => {
    const knobs = { ...DEFAULT_KNOBS, devicePlacementJitterM: 0 };
    for (const id of [1, 2, 3]) {
      const room = makeRoom(7, id);
      const a = placeDevices(7, room, knobs),
        b = placeDevices(7, room, knobs);
      assert.deepEqual(a, b);
      const dep = ROOM_DEPLOYMENTS[room.preset];
      // Without jitter the layout is the nominal one scaled about the Tx, then turned rigidly about the area centre:
      // every pairwise receiver distance is the nominal one times the scale.
      for (let i = 0; i < 6; i++)
        for (let j = i + 1; j < 6; j++) {
          const nominal = dist(WIDAR_RX_XY[i], WIDAR_RX_XY[j]) * dep.layoutScale;
          assert.ok(Math.abs(dist(a.rx[i].xy, a.rx[j].xy) - nominal) < 1e-9, `room ${id} r${i + 1}–r${j + 1}`);
        }
      // The Tx turns about the centre without scaling: its distance to the centre is unchanged.
      assert.ok(Math.abs(dist(a.tx, AREA_CENTRE_XY) - dist(WIDAR_TX_XY, AREA_CENTRE_XY)) < 1e-9);
      for (const h of [a.tx[2], ...a.rx.map(r => r.heightM)])
        assert.ok(h >= dep.heightM[0] - 1e-12 && h <= dep.heightM[1] + 1e-12, `height ${h}`);
    }
    // deploymentSpread 0: every room uses the nominal layout.
    const flat = placeDevices(7, makeRoom(7, 2), { ...knobs, deploymentSpread: 0 });
    flat.rx.forEach((r, i) => assert.ok(dist(r.xy, WIDAR_RX_XY[i]) < 1e-9));
  });

  it('background motion: fixed place per room, new activity per recording, inside the room', () => {
    const times = Float64Array.from({ length: 2000 }, (_, p) => p / 1000);
    for (const id of [1, 2, 3]) {
      const room = makeRoom(3, id);
      const c = makeRoomClutter(3, room);
      assert.deepEqual(c, makeRoomClutter(3, room));
      const s1 = clutterScatterers(c, times, stream(3, 'test', id, 1)),
        s2 = clutterScatterers(c, times, stream(3, 'test', id, 2));
      assert.equal(s1.positions.length, times.length * CLUTTER_SCATTERERS * 3);
      assert.notDeepEqual(s1.positions, s2.positions);
      let moved = 0;
      for (let p = 0; p < times.length; p++)
        for (let q = 0; q < CLUTTER_SCATTERERS; q++) {
          const i = (p * CLUTTER_SCATTERERS + q) * 3;
          assert.ok(
            s1.positions[i] > room.min[0] &&
              s1.positions[i] < room.max[0] &&
              s1.positions[i + 1] > room.min[1] &&
              s1.positions[i + 1] < room.max[1],
            `room ${id} packet ${p}`,
          );
          if (p > 0)
            moved += Math.hypot(
              s1.positions[i] - s1.positions[i - CLUTTER_SCATTERERS * 3],
              s1.positions[i + 1] - s1.positions[i + 1 - CLUTTER_SCATTERERS * 3],
            );
        }
      assert.ok(moved > 0.05, `room ${id}: clutter moved ${moved} m in 2 s`);
      // Far enough from the area that it is background, not a second user.
      assert.ok(dist(c.anchor, AREA_CENTRE_XY) > 1.2, `room ${id}: clutter ${dist(c.anchor, AREA_CENTRE_XY)} m from the centre`);
    }
  });
});
