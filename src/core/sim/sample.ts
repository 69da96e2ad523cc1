// One sample = one gesture performance seen by the six receivers: (spec, seed, knobs) → six lists of Intel 5300
// records. A pure function of its inputs (every random draw comes from a stream keyed by the sample), so samples can
// be generated in any order, in parallel or in a worker, and still be byte-identical.
import { stream } from './rng';
import { makeRoom, type Room } from './room';
import { makeUser } from './user';
import { simulateBody, type BodyScene } from './body';
import { staticChannel, synthesizeChannel } from './channel';
import { placeDevices } from './devicePlacement';
import { CLUTTER_SCATTERERS, clutterScatterers, makeRoomClutter } from './clutter';
import { makeNicSession, receive } from './nic';
import type { SimKnobs } from './knobs';
import type { SimRecord } from './simRecord';
import type { Vec3 } from './vec3';
import {
  AREA_CENTRE_XY,
  DEFAULT_FACING_REF_DEG,
  WAVELENGTH_M,
  WIDAR_ORIENTATIONS_DEG,
  WIDAR_RX_XY,
  WIDAR_TORSO_XY,
  rxAntennaPositions,
  subcarrierFrequencies,
} from './widarLayout';

export const PACKET_RATE_HZ = 1000;

/** Domain factors of one sample, with Widar3.0's 1-based numbering. */
export interface SampleSpec {
  user: number;
  /** Gesture id 1..9 (20181130 numbering). */
  gesture: number;
  /** Room 1..3 (classroom, hall, office). */
  room: number;
  /** Torso location 1..8. */
  location: number;
  /** Face orientation 1..5 (−90, −45, 0, 45, 90°). */
  orientation: number;
  repetition: number;
  /** Session (NIC state, array placement) within the (room, user) day; default 1. */
  session?: number;
}

export interface SampleOptions {
  /** When false, the NIC is ideal (no loss, noise, phase errors or AGC steps): for physics tests. */
  impairments?: boolean;
  /** Facing direction of orientation "0°", degrees (default 225°: towards the Tx corner). */
  facingRefDeg?: number;
}

export interface SampleResult {
  /** One record list per receiver r1..r6. */
  records: SimRecord[][];
  truth: BodyScene['truth'] & {
    torsoXY: [number, number];
    facingDeg: number;
    nominalPackets: number;
    txPowerDbm: number;
    noiseFloorDbm: number;
    snrDb: number;
  };
  stats: { clippedValues: number; totalValues: number; lostOverAir: number; droppedNetlink: number; agcChanges: number };
}

export function sampleKey(s: SampleSpec): string {
  return `room${s.room}-user${s.user}-${s.gesture}-${s.location}-${s.orientation}-${s.repetition}-s${s.session ?? 1}`;
}

function checkSpec(s: SampleSpec): void {
  const bad = (what: string, v: number, range: string) => {
    throw new RangeError(`sample ${sampleKey(s)}: ${what} ${v} out of range; expected ${range}`);
  };
  if (!(s.location >= 1 && s.location <= WIDAR_TORSO_XY.length && Number.isInteger(s.location)))
    bad('location', s.location, `1..${WIDAR_TORSO_XY.length}`);
  if (!(s.orientation >= 1 && s.orientation <= WIDAR_ORIENTATIONS_DEG.length && Number.isInteger(s.orientation)))
    bad('orientation', s.orientation, '1..5');
  if (!(s.room >= 1 && Number.isInteger(s.room))) bad('room', s.room, 'an integer ≥ 1');
  if (!(s.user >= 1 && Number.isInteger(s.user))) bad('user', s.user, 'an integer ≥ 1');
}

/** Recording length and nominal packet count (drawn independently of the gesture, so length carries no label). */
export function recordingLength(seed: number, spec: SampleSpec, knobs: SimKnobs): { seconds: number; packets: number } {
  const r = stream(seed, 'sample', sampleKey(spec), 'length');
  const seconds = r.uniform(knobs.recordingSeconds[0], knobs.recordingSeconds[1]);
  return { seconds, packets: Math.round(seconds * PACKET_RATE_HZ) };
}

export function generateSample(seed: number, spec: SampleSpec, knobs: SimKnobs, opts: SampleOptions = {}): SampleResult {
  checkSpec(spec);
  const key = sampleKey(spec);
  const session = `room${spec.room}-user${spec.user}-s${spec.session ?? 1}`;
  const room = makeRoom(seed, spec.room);
  const user = makeUser(seed, spec.user, knobs);
  const inst = stream(seed, 'sample', key, 'instance');
  const style = stream(seed, 'style', spec.user, spec.gesture);
  const sess = stream(seed, 'session', session);

  const [tx0, ty0] = WIDAR_TORSO_XY[spec.location - 1];
  const torsoXY: [number, number] = [tx0 + inst.normal(0, knobs.locationJitterM), ty0 + inst.normal(0, knobs.locationJitterM)];
  const facingDeg =
    (opts.facingRefDeg ?? DEFAULT_FACING_REF_DEG) +
    WIDAR_ORIENTATIONS_DEG[spec.orientation - 1] +
    inst.normal(0, knobs.orientationJitterDeg);

  const { seconds, packets } = recordingLength(seed, spec, knobs);
  const jit = stream(seed, 'sample', key, 'txjitter');
  const times = new Float64Array(packets);
  for (let p = 0; p < packets; p++) times[p] = p / PACKET_RATE_HZ + Math.max(-300e-6, Math.min(300e-6, jit.normal(0, 40e-6)));

  const body = simulateBody({
    user,
    gestureId: spec.gesture,
    torsoXY,
    facingRad: (facingDeg * Math.PI) / 180,
    times,
    recordingS: seconds,
    knobs,
    inst,
    style,
  });

  const scene = withClutter(
    body,
    knobs.clutter !== true
      ? undefined
      : {
          ...clutterScatterers(makeRoomClutter(seed, room), times, stream(seed, 'sample', key, 'clutter')),
          gain: Math.pow(10, (knobs.clutterGainDb ?? 0) / 20),
        },
  );

  const devices = placeDevices(seed, room, knobs);
  const tx = devices.tx;
  const freqs = subcarrierFrequencies();
  const spacing = sess.pick([WAVELENGTH_M / 2, 0.026, 0.03]);
  const noiseFloorDbm = -92 + sess.normal(0, 1);
  const snrDb = room.snrDb + sess.normal(0, 2);
  const bodyGain = Math.pow(10, knobs.bodyGainDb / 20);
  const shadowDb = inst.uniform(3, 8);

  const channels: Float64Array[] = [];
  let meanPowDb = 0;
  for (let r = 0; r < WIDAR_RX_XY.length; r++) {
    const yaw = sess.normal(0, (15 * Math.PI) / 180 / 2);
    const antennas = rxAntennaPositions(devices.rx[r].xy, devices.rx[r].heightM, spacing, yaw);
    // Body shadowing of the LoS: strongest when the torso stands on the Tx–Rx line.
    const losAttenuationDb = antennas.map(a => shadowDb * Math.exp(-((segmentDistance2D(torsoXY, tx, a) / 0.25) ** 2)));
    const staticH = staticChannel({
      room: knobs.nearReflectors === false ? room : { ...room, planes: [...room.planes, ...room.nearReflectors] },
      tx,
      antennas,
      freqs,
      losAttenuationDb,
    });
    const H = synthesizeChannel({
      tx,
      antennas,
      freqs,
      staticH,
      positions: scene.positions,
      weights: scene.weights,
      bodyGain,
      isHand: scene.isHand,
      bouncePlanes: knobs.wallBounces ? nearestWalls(room, 2) : undefined,
      reflectors: knobs.nearReflectors === false ? undefined : room.nearReflectors,
      reflects: scene.isHand,
      out: channelBuffer(r, packets * freqs.length * antennas.length * 2),
    });
    let pw = 0;
    for (let i = 0; i < H.length; i++) pw += H[i] * H[i];
    meanPowDb += (10 * Math.log10(pw / (H.length / 2))) / WIDAR_RX_XY.length;
    channels.push(H);
  }
  // Transmit power chosen so that the receivers' mean SNR is the session's SNR; each link then differs by its loss.
  const txPowerDbm = noiseFloorDbm + snrDb - meanPowDb;

  const records: SimRecord[][] = [];
  const stats = { clippedValues: 0, totalValues: 0, lostOverAir: 0, droppedNetlink: 0, agcChanges: 0 };
  for (let r = 0; r < channels.length; r++) {
    const res = receive({
      channel: channels[r],
      times,
      nic: makeNicSession(seed, session, r + 1),
      txPowerDbm,
      noiseFloorDbm,
      rng: stream(seed, 'sample', key, 'nic', r + 1),
      impairments: opts.impairments,
      firstCount: stream(seed, 'sample', key, 'count', r + 1).int(0, 65535),
    });
    records.push(res.records);
    stats.clippedValues += res.clippedValues;
    stats.totalValues += res.totalValues;
    stats.lostOverAir += res.lostOverAir;
    stats.droppedNetlink += res.droppedNetlink;
    stats.agcChanges += res.agcChanges;
  }
  return {
    records,
    truth: { ...body.truth, torsoXY, facingDeg, nominalPackets: packets, txPowerDbm, noiseFloorDbm, snrDb },
    stats,
  };
}

/**
 * Reused channel buffers, one per receiver (tens of MB per sample otherwise become garbage at once). Safe because
 * generateSample is synchronous and nothing it returns refers to them.
 */
const channelPool: Float64Array[] = [];
function channelBuffer(r: number, n: number): Float64Array {
  if (!channelPool[r] || channelPool[r].length < n) channelPool[r] = new Float64Array(Math.ceil(n * 1.25));
  return channelPool[r];
}

/** The body's scatterers followed by the room's clutter scatterers (packets × scatterers × 3). */
function withClutter(
  body: BodyScene,
  c?: { positions: Float64Array; weights: Float64Array; gain: number },
): { positions: Float64Array; weights: Float64Array; isHand: Uint8Array } {
  if (!c) return body;
  const nB = body.weights.length,
    nC = CLUTTER_SCATTERERS,
    nQ = nB + nC;
  const nPkt = body.positions.length / (nB * 3);
  const positions = new Float64Array(nPkt * nQ * 3);
  for (let p = 0; p < nPkt; p++) {
    positions.set(body.positions.subarray(p * nB * 3, (p + 1) * nB * 3), p * nQ * 3);
    positions.set(c.positions.subarray(p * nC * 3, (p + 1) * nC * 3), (p * nQ + nB) * 3);
  }
  const weights = new Float64Array(nQ);
  weights.set(body.weights);
  for (let i = 0; i < nC; i++) weights[nB + i] = c.weights[i] * c.gain;
  const isHand = new Uint8Array(nQ);
  isHand.set(body.isHand);
  return { positions, weights, isHand };
}

/** Horizontal distance from point p to the segment a–b. */
function segmentDistance2D(p: [number, number], a: Vec3, b: Vec3): number {
  const vx = b[0] - a[0],
    vy = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / (vx * vx + vy * vy || 1)));
  return Math.hypot(p[0] - a[0] - t * vx, p[1] - a[1] - t * vy);
}

/**
 * The `n` vertical walls nearest the sensing area. Only the palms' bounces are modelled: each costs as much as a
 * direct path. Two walls since 1.3.0 (four before): in the 1.2/1.3 calibrations neither the far walls nor bounces of
 * every arm point changed cross-room accuracy, and the room's near reflectors (room.ts) now carry the strong
 * room-specific bounces.
 */
function nearestWalls(room: Room, n: number): Room['planes'] {
  const c = AREA_CENTRE_XY;
  return room.planes
    .filter(p => p.axis !== 2)
    .sort((a, b) => Math.abs((a.axis === 0 ? c[0] : c[1]) - a.at) - Math.abs((b.axis === 0 ? c[0] : c[1]) - b.at))
    .slice(0, n);
}
