// The simulator's tunable difficulty parameters ("knobs"). All of these are calibration parameters, not facts
// (csi-simulator.md §8.3); their defaults were chosen by the calibration run recorded in
// research/results/sim-calibration.json and are written into every manifest so a dataset is reproducible.
export interface SimKnobs {
  /** Multiplier on every between-user style spread (size, speed, plane tilt, per-user shape offsets). */
  userSpread: number;
  /** Multiplier on the per-repetition variation within a user. */
  instanceSpread: number;
  /** Gain of body reflections in dB (sets the dynamic-to-static ratio; see channel.ts). */
  bodyGainDb: number;
  /** Reflection of the hands off the four walls (room-dependent Doppler). */
  wallBounces: boolean;
  /** Probability of an unrelated small motion of the other hand. */
  distractorProb: number;
  /** Standard deviation of the facing direction around the nominal orientation, degrees. */
  orientationJitterDeg: number;
  /** Standard deviation of the torso position around the nominal location, metres. */
  locationJitterM: number;
  /**
   * Standard deviation of where the Tx and each Rx actually stand around their nominal Widar positions, metres,
   * drawn once per room (devices are set up anew in every room; an inference, not a published number).
   */
  devicePlacementJitterM: number;
  /**
   * How far each room's deployment departs from the nominal Widar layout (devicePlacement.ts: layout scale and device
   * heights per room): 1 = the room presets, 0 = every room uses the nominal layout at one height.
   */
  deploymentSpread: number;
  /** Shortest and longest recording, seconds; drawn independently of the gesture so length carries no label. */
  recordingSeconds: [number, number];
  /** Body echoes via the room's large reflectors next to the area (room.ts nearReflectors). */
  nearReflectors: boolean;
  /** Background motion of the room (clutter.ts): another person seated or walking, different in every room. */
  clutter: boolean;
  /** Gain of the clutter source's echoes in dB relative to the body model's weights (tunes its strength). */
  clutterGainDb: number;
  /** When false, the body stays still (motion-free control): no gesture, no raise/lower, only breathing. */
  motion: boolean;
}

export const DEFAULT_KNOBS: SimKnobs = {
  userSpread: 1,
  instanceSpread: 0.7,
  bodyGainDb: -12,
  wallBounces: true,
  distractorProb: 0.3,
  orientationJitterDeg: 8,
  locationJitterM: 0.05,
  devicePlacementJitterM: 0.1,
  deploymentSpread: 1,
  recordingSeconds: [1.6, 2.6],
  nearReflectors: true,
  clutter: false,
  clutterGainDb: 0,
  motion: true,
};
