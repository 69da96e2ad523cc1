// A Widar3.0-style synthetic dataset on disk: the sample grid of a preset (or explicit domains), one `.dat` per
// (sample, receiver) with Widar3.0 naming, and manifest.json + manifest.csv listing every sample with its label,
// domain factors and the generator's version, seed and parameters.
//
// Layout: <outDir>/room<r>[-s<session>]/user<u>/user<u>-<gesture>-<location>-<orientation>-<repetition>-r<rx>.dat.
// Widar3.0 names files id-a-b-c-d-Rx.dat (user, gesture, torso location, face orientation, repetition, receiver)
// inside date folders; our room folder stands in for the date folder, since the file name carries no room.
// Gesture numbers are those of the 20181130 folder (1 Push&Pull … 9 Draw-Rectangle(H)).
//
// Samples are generated in worker threads when the worker script is available (compiled output or a bundle that
// ships sampleWorker.js next to this module), else in-process; either way the bytes are identical.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { GESTURES } from './gestures';
import { DEFAULT_KNOBS, type SimKnobs } from './knobs';
import { WIDAR_ROOMS } from './room';
import { generateSampleFiles, type SampleFiles } from './sampleFiles';
import type { SampleSpec } from './sample';
import { WIDAR_ORIENTATIONS_DEG, WIDAR_RX_XY, WIDAR_TORSO_XY, CARRIER_HZ } from './widarLayout';
import { PACKET_RATE_HZ } from './sample';

/** Bumped whenever the same seed would produce different bytes. */
export const SIM_VERSION = '1.3.0';

export type SimPreset = 'small' | 'workbench' | 'default' | 'full';

export interface DomainGrid {
  gestures: number[];
  rooms: number[];
  users: number[];
  locations: number[];
  orientations: number[];
  repetitions: number;
  sessions: number;
}

const ALL_GESTURES = GESTURES.map(g => g.id);

export const PRESETS: Record<SimPreset, DomainGrid> = {
  /** 9 samples: every gesture once, for the README's first command and quick tests. */
  small: { gestures: ALL_GESTURES, rooms: [1], users: [1], locations: [1], orientations: [3], repetitions: 1, sessions: 1 },
  /** 108 samples: 9 gestures × 2 users × 2 locations × 3 orientations in one room; the sample workspace's dataset
   *  (`npm run workbench`, `npm run demo`): enough per class for a random split, small enough to run on 2 cores. */
  workbench: { gestures: ALL_GESTURES, rooms: [1], users: [1, 2], locations: [1, 5], orientations: [1, 3, 5], repetitions: 1, sessions: 1 },
  /** 486 samples: 9 gestures × 3 rooms × 3 users × 2 locations × 3 orientations. */
  default: {
    gestures: ALL_GESTURES,
    rooms: [1, 2, 3],
    users: [1, 2, 3],
    locations: [1, 5],
    orientations: [1, 3, 5],
    repetitions: 1,
    sessions: 1,
  },
  /** 4050 samples: 9 gestures × 3 rooms × 6 users × 5 locations × 5 orientations (the design note's calibration grid). */
  full: {
    gestures: ALL_GESTURES,
    rooms: [1, 2, 3],
    users: [1, 2, 3, 4, 5, 6],
    locations: [1, 2, 3, 4, 5],
    orientations: [1, 2, 3, 4, 5],
    repetitions: 1,
    sessions: 1,
  },
};

export function enumerateSamples(g: DomainGrid): SampleSpec[] {
  const out: SampleSpec[] = [];
  for (const room of g.rooms)
    for (let session = 1; session <= g.sessions; session++)
      for (const user of g.users)
        for (const gesture of g.gestures)
          for (const location of g.locations)
            for (const orientation of g.orientations)
              for (let repetition = 1; repetition <= g.repetitions; repetition++)
                out.push({ user, gesture, room, location, orientation, repetition, session });
  return out;
}

/** Widar3.0 file name of receiver `rx` (1..6). */
export function widarFileName(s: SampleSpec, rx: number): string {
  return `user${s.user}-${s.gesture}-${s.location}-${s.orientation}-${s.repetition}-r${rx}.dat`;
}

/** Path of a sample's file relative to the dataset root. */
export function samplePath(s: SampleSpec, rx: number): string {
  const roomDir = `room${s.room}${(s.session ?? 1) > 1 ? `-s${s.session}` : ''}`;
  return path.posix.join(roomDir, `user${s.user}`, widarFileName(s, rx));
}

export interface ManifestSample {
  id: string;
  files: string[];
  label: number;
  gesture: string;
  user: number;
  room: number;
  roomType: string;
  location: number;
  orientation: number;
  orientationDeg: number;
  repetition: number;
  session: number;
  packets: number[];
  durationS: number;
  truth: SampleFiles['truth'];
  clipFraction: number;
  lossFraction: number;
}

export interface DatasetManifest {
  generator: { name: string; version: string };
  seed: number;
  preset: SimPreset | 'custom';
  domains: DomainGrid;
  knobs: SimKnobs;
  radio: { carrierHz: number; packetRateHz: number; bandwidthMHz: number; nRx: number; nTx: number; receivers: number };
  layout: {
    tx: [number, number];
    rx: (readonly [number, number])[];
    torso: (readonly [number, number])[];
    orientationsDeg: readonly number[];
  };
  gestures: { id: number; name: string }[];
  samples: ManifestSample[];
}

export interface DatasetProgress {
  done: number;
  total: number;
  sample: string;
}

export interface GenerateDatasetOptions {
  outDir: string;
  seed: number;
  preset?: SimPreset;
  /** Overrides of the preset's grid. */
  domains?: Partial<DomainGrid>;
  knobs?: Partial<SimKnobs>;
  onProgress?: (p: DatasetProgress) => void;
  signal?: AbortSignal;
  /** Worker threads (default: number of CPUs, at most 8); 0 = in-process. */
  workers?: number;
}

/** Thrown when generation is cancelled through the AbortSignal. */
export class SimulationCancelledError extends Error {
  constructor(
    readonly done: number,
    readonly total: number,
  ) {
    super(`dataset generation cancelled after ${done} of ${total} samples`);
    this.name = 'SimulationCancelledError';
  }
}

function validateGrid(g: DomainGrid): void {
  const fail = (what: string, v: unknown, exp: string) => {
    throw new RangeError(`simulate: ${what} = ${JSON.stringify(v)}; expected ${exp}`);
  };
  const ints = (xs: unknown, lo: number, hi: number) =>
    Array.isArray(xs) && xs.length > 0 && xs.every(x => Number.isInteger(x) && x >= lo && x <= hi);
  if (!ints(g.gestures, 1, GESTURES.length)) fail('gestures', g.gestures, `a non-empty list of 1..${GESTURES.length}`);
  if (!ints(g.rooms, 1, 99)) fail('rooms', g.rooms, 'a non-empty list of room numbers ≥ 1');
  if (!ints(g.users, 1, 9999)) fail('users', g.users, 'a non-empty list of user numbers ≥ 1');
  if (!ints(g.locations, 1, WIDAR_TORSO_XY.length)) fail('locations', g.locations, `a non-empty list of 1..${WIDAR_TORSO_XY.length}`);
  if (!ints(g.orientations, 1, WIDAR_ORIENTATIONS_DEG.length)) fail('orientations', g.orientations, '1..5');
  if (!(Number.isInteger(g.repetitions) && g.repetitions >= 1)) fail('repetitions', g.repetitions, 'an integer ≥ 1');
  if (!(Number.isInteger(g.sessions) && g.sessions >= 1)) fail('sessions', g.sessions, 'an integer ≥ 1');
}

/** Runs sample jobs on a pool of worker threads; results come back in any order. */
class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (r: SampleFiles) => void; reject: (e: Error) => void }>();
  constructor(script: string, n: number) {
    for (let i = 0; i < n; i++) {
      const w = new Worker(script);
      w.on('message', (m: { id: number; result?: SampleFiles; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.result) p.resolve({ ...m.result, files: m.result.files.map(f => new Uint8Array(f.buffer, f.byteOffset, f.byteLength)) });
        else p.reject(new Error(m.error ?? 'sample worker failed'));
      });
      w.on('error', e => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      this.workers.push(w);
    }
  }
  private next = 0;
  run(id: number, seed: number, spec: SampleSpec, knobs: SimKnobs): Promise<SampleFiles> {
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[this.next++ % this.workers.length].postMessage({ id, seed, spec, knobs });
    });
  }
  async close(): Promise<void> {
    await Promise.all(this.workers.map(w => w.terminate()));
  }
}

function csvEscape(v: unknown): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function generateDataset(o: GenerateDatasetOptions): Promise<DatasetManifest> {
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff)
    throw new RangeError(`simulate: seed = ${o.seed}; expected an integer in 0..4294967295`);
  const preset = o.preset ?? 'default';
  if (!(preset in PRESETS))
    throw new RangeError(`simulate: preset = ${JSON.stringify(preset)}; expected ${Object.keys(PRESETS).join(', ')}`);
  const grid: DomainGrid = { ...PRESETS[preset], ...o.domains };
  validateGrid(grid);
  const knobs: SimKnobs = { ...DEFAULT_KNOBS, ...o.knobs };
  const specs = enumerateSamples(grid);
  const total = specs.length;
  fs.mkdirSync(o.outDir, { recursive: true });

  const script = path.join(__dirname, 'sampleWorker.js');
  const nWorkers = Math.min(o.workers ?? Math.min(8, os.cpus().length), total, fs.existsSync(script) ? Infinity : 0);
  const pool = nWorkers > 0 ? new WorkerPool(script, nWorkers) : undefined;
  const results: SampleFiles[] = new Array(total);
  let done = 0;
  const save = (i: number, r: SampleFiles) => {
    r.files.forEach((bytes, k) => {
      const file = path.join(o.outDir, samplePath(specs[i], k + 1));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, bytes);
    });
    results[i] = { ...r, files: [] };
    done++;
    o.onProgress?.({ done, total, sample: samplePath(specs[i], 1).replace(/-r1\.dat$/, '') });
  };
  try {
    if (pool) {
      // Keep two jobs per worker in flight: enough to hide message latency, few enough to stop promptly on cancel.
      let nextJob = 0;
      const inFlight = new Set<Promise<void>>();
      while (nextJob < total || inFlight.size) {
        while (nextJob < total && inFlight.size < 2 * nWorkers && !o.signal?.aborted) {
          const i = nextJob++;
          const p: Promise<void> = pool
            .run(i, o.seed, specs[i], knobs)
            .then(r => save(i, r))
            .finally(() => inFlight.delete(p));
          inFlight.add(p);
        }
        if (o.signal?.aborted) {
          await Promise.allSettled(inFlight);
          throw new SimulationCancelledError(done, total);
        }
        if (inFlight.size) await Promise.race(inFlight);
      }
    } else {
      for (let i = 0; i < total; i++) {
        if (o.signal?.aborted) throw new SimulationCancelledError(done, total);
        save(i, generateSampleFiles(o.seed, specs[i], knobs));
        await new Promise(r => setImmediate(r)); // let progress, cancellation and the host's messages through
      }
    }
  } finally {
    await pool?.close();
  }

  const manifest: DatasetManifest = {
    generator: { name: 'csi-workbench-sim', version: SIM_VERSION },
    seed: o.seed,
    preset: o.domains ? 'custom' : preset,
    domains: grid,
    knobs,
    radio: { carrierHz: CARRIER_HZ, packetRateHz: PACKET_RATE_HZ, bandwidthMHz: 20, nRx: 3, nTx: 1, receivers: WIDAR_RX_XY.length },
    layout: { tx: [0, 0], rx: [...WIDAR_RX_XY], torso: [...WIDAR_TORSO_XY], orientationsDeg: WIDAR_ORIENTATIONS_DEG },
    gestures: GESTURES.map(g => ({ id: g.id, name: g.name })),
    samples: specs.map((s, i) => {
      const r = results[i];
      const base = samplePath(s, 1).replace(/-r1\.dat$/, '');
      return {
        id: base,
        files: WIDAR_RX_XY.map((_, k) => samplePath(s, k + 1)),
        label: s.gesture,
        gesture: GESTURES[s.gesture - 1].name,
        user: s.user,
        room: s.room,
        roomType: WIDAR_ROOMS[(s.room - 1) % WIDAR_ROOMS.length],
        location: s.location,
        orientation: s.orientation,
        orientationDeg: WIDAR_ORIENTATIONS_DEG[s.orientation - 1],
        repetition: s.repetition,
        session: s.session ?? 1,
        packets: r.records,
        durationS: r.truth.nominalPackets / PACKET_RATE_HZ,
        truth: r.truth,
        clipFraction: r.stats.totalValues ? r.stats.clippedValues / r.stats.totalValues : 0,
        lossFraction: (r.stats.lostOverAir + r.stats.droppedNetlink) / (r.truth.nominalPackets * WIDAR_RX_XY.length),
      };
    }),
  };
  fs.writeFileSync(path.join(o.outDir, 'manifest.json'), JSON.stringify(manifest, null, 1));
  const cols = [
    'id',
    'label',
    'gesture',
    'user',
    'room',
    'roomType',
    'location',
    'orientation',
    'orientationDeg',
    'repetition',
    'session',
    'durationS',
  ] as const;
  const csv = [
    cols.join(',') + ',files',
    ...manifest.samples.map(s => cols.map(c => csvEscape(s[c])).join(',') + ',' + csvEscape(s.files.join(';'))),
  ];
  fs.writeFileSync(path.join(o.outDir, 'manifest.csv'), csv.join('\n') + '\n');
  return manifest;
}
