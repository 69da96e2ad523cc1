// Widar3.0 file naming: `userA-B-C-D-E-rF.dat` = user A, gesture number B, torso location C, face orientation D,
// repetition E, receiver F (glsda-widar-notes.md §3.2; csi-simulator.md §1). Files of the same gesture instance
// (all six receivers) become ONE sample, so a split can never put receivers of one instance on both sides.
// The date folder above the file (`CSI/<date>/user<A>/…`) sets the room and the gesture numbering.
import * as path from 'path';
import type { DatasetDiagnostic } from './errors';
import type { DatasetSample, DomainFactors } from './sample';
import { WIDAR_ROOM_BY_DATE, widarGestureName, type WidarGestureMap } from './widarGestures';

export const WIDAR_FILE_RE = /^user(\d+)-(\d+)-(\d+)-(\d+)-(\d+)-r(\d+)\.dat$/i;

export interface WidarFileName {
  user: string;
  gesture: number;
  location: string;
  orientation: string;
  repetition: string;
  receiver: string;
}

export function parseWidarFileName(name: string): WidarFileName | undefined {
  const m = WIDAR_FILE_RE.exec(name);
  if (!m) return undefined;
  return {
    user: String(+m[1]),
    gesture: +m[2],
    location: String(+m[3]),
    orientation: String(+m[4]),
    repetition: String(+m[5]),
    receiver: `r${+m[6]}`,
  };
}

/** Nearest folder between the file and `root` (inclusive) whose name starts with an 8-digit date. */
export function widarDateOf(file: string, root: string): string | undefined {
  let dir = path.dirname(file);
  const stop = path.dirname(path.resolve(root));
  while (dir.length > stop.length) {
    const m = /^(\d{8})/.exec(path.basename(dir));
    if (m) return m[1];
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

export interface WidarGroupOptions {
  /** Class name lookup; default: by date folder (widarGestures.ts). */
  gestureName?: (date: string | undefined, user: string, gesture: number) => { className: string } | { ambiguous: string };
  gestureMap?: WidarGestureMap;
  /** Expected receivers per sample (default r1..r6); fewer gives a 'missing-receivers' warning. */
  expectedReceivers?: number;
}

/** Groups Widar-named files into samples (class index assigned later by the caller). */
export function groupWidarFiles(
  files: readonly string[],
  root: string,
  opts: WidarGroupOptions = {},
): { samples: Omit<DatasetSample, 'label'>[]; diagnostics: DatasetDiagnostic[] } {
  const diagnostics: DatasetDiagnostic[] = [];
  const groups = new Map<string, { base: Omit<DatasetSample, 'label'>; byRx: Map<string, string> }>();
  const lookup = opts.gestureName ?? ((d: string | undefined, u: string, g: number) => widarGestureName(d, u, g, opts.gestureMap));
  for (const f of files) {
    const n = parseWidarFileName(path.basename(f));
    if (!n) continue;
    const date = widarDateOf(f, root);
    const name = lookup(date, n.user, n.gesture);
    if ('ambiguous' in name) {
      diagnostics.push({
        file: f,
        severity: 'warning',
        code: 'ambiguous-gesture',
        message: `skipped: ${name.ambiguous}`,
        expected: 'a date folder with a known gesture numbering',
      });
      continue;
    }
    const rel = path.relative(root, path.dirname(f));
    const id = path.join(rel, `user${n.user}-${n.gesture}-${n.location}-${n.orientation}-${n.repetition}`).split(path.sep).join('/');
    let g = groups.get(id);
    if (!g) {
      const domain: DomainFactors = { user: n.user, location: n.location, orientation: n.orientation, repetition: n.repetition };
      if (date) {
        domain.date = date;
        const room = WIDAR_ROOM_BY_DATE[date];
        if (room) domain.room = room;
      }
      g = { base: { id, files: [], receivers: [], className: name.className, domain }, byRx: new Map() };
      groups.set(id, g);
    }
    if (g.byRx.has(n.receiver)) {
      diagnostics.push({
        file: f,
        severity: 'warning',
        code: 'duplicate-receiver',
        message: `receiver ${n.receiver} of ${id} appears twice; kept ${g.byRx.get(n.receiver)}`,
      });
      continue;
    }
    g.byRx.set(n.receiver, f);
  }
  const expected = opts.expectedReceivers ?? 6;
  const samples = [...groups.values()].map(({ base, byRx }) => {
    const rx = [...byRx.keys()].sort((a, b) => +a.slice(1) - +b.slice(1));
    if (rx.length < expected) {
      diagnostics.push({
        file: byRx.get(rx[0])!,
        severity: 'warning',
        code: 'missing-receivers',
        message: `${base.id} has ${rx.length} of ${expected} receivers (${rx.join(', ')})`,
        expected: `r1..r${expected}`,
      });
    }
    return { ...base, receivers: rx, files: rx.map(r => byRx.get(r)!) };
  });
  return { samples, diagnostics };
}
