// Radio constants of the Intel 5300 at Widar3.0's channel and the Widar3.0 device/torso layout.
//
// Sources (see ../../../../shared/docs/csi-simulator.md §1): Widar3.0's BVP code (DVM_main.m, csiread's
// csiWiDar3.py) for the Tx/Rx/torso positions and orientations; 802.11n-2009 Table 7-25f for the Ng=2 subcarrier
// grouping the 5300 reports at 20 MHz. Channel 165 (5.825 GHz) is 20 MHz only, hence HT20.
import type { Vec3 } from './vec3';

export const SPEED_OF_LIGHT = 299_792_458;
export const CARRIER_HZ = 5.825e9;
export const WAVELENGTH_M = SPEED_OF_LIGHT / CARRIER_HZ;
export const SUBCARRIER_SPACING_HZ = 312.5e3;

/** Intel 5300 20 MHz grouping (Ng = 2): −28,−26,…,−2,−1,1,3,…,27,28. */
export const INTEL5300_SUBCARRIERS_20MHZ: readonly number[] = [
  ...Array.from({ length: 14 }, (_, i) => -28 + 2 * i),
  -1,
  ...Array.from({ length: 14 }, (_, i) => 1 + 2 * i),
  28,
];

/** Carrier frequency of each reported subcarrier group. */
export function subcarrierFrequencies(carrierHz = CARRIER_HZ): Float64Array {
  return Float64Array.from(INTEL5300_SUBCARRIERS_20MHZ, k => carrierHz + k * SUBCARRIER_SPACING_HZ);
}

/** Widar3.0 transmitter (x, y) in metres. */
export const WIDAR_TX_XY: readonly [number, number] = [0, 0];
/** Widar3.0 receivers r1..r6 (x, y) in metres. */
export const WIDAR_RX_XY: readonly (readonly [number, number])[] = [
  [0.455, -0.455],
  [1.365, -0.455],
  [2.0, 0.0],
  [-0.455, 0.455],
  [-0.455, 1.365],
  [0.0, 2.0],
];
/** Widar3.0 torso locations 1..8 (x, y) in metres (DVM_main.m torso_pos, in file-index order). */
export const WIDAR_TORSO_XY: readonly (readonly [number, number])[] = [
  [1.365, 0.455],
  [0.455, 0.455],
  [0.455, 1.365],
  [1.365, 1.365],
  [0.91, 0.91],
  [2.275, 1.365],
  [2.275, 2.275],
  [1.365, 2.275],
];
/** Widar3.0 face orientations 1..5 in degrees. */
export const WIDAR_ORIENTATIONS_DEG: readonly number[] = [-90, -45, 0, 45, 90];
/** Centre of the sensing area; receive arrays are laid out perpendicular to the line towards it. */
export const AREA_CENTRE_XY: readonly [number, number] = [0.91, 0.91];

/**
 * Which world direction orientation "0°" faces. The sources do not say; we take the diagonal pointing from the
 * area centre towards the Tx corner (225°), so a user at orientation 0 faces the devices. Configurable.
 */
export const DEFAULT_FACING_REF_DEG = 225;

/** Position of the three antennas of a receive array: uniform linear, horizontal, centred on the Rx point. */
export function rxAntennaPositions(rxXY: readonly [number, number], height: number, spacingM: number, yawOffsetRad: number): Vec3[] {
  const toCentre = Math.atan2(AREA_CENTRE_XY[1] - rxXY[1], AREA_CENTRE_XY[0] - rxXY[0]);
  const axis = toCentre + Math.PI / 2 + yawOffsetRad;
  const ux = Math.cos(axis),
    uy = Math.sin(axis);
  return [-1, 0, 1].map(i => [rxXY[0] + i * spacingM * ux, rxXY[1] + i * spacingM * uy, height] as Vec3);
}
