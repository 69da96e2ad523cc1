// Simulator output folder (src/core/sim, csi-simulator.md §7): Widar3.0-style names
// `CSI/<date>/user<id>/user<id>-a-b-c-d-r<Rx>.dat` plus a manifest.json with each sample's SampleSpec and class.
//
// The manifest is read tolerantly because its writer is developed in parallel: a top-level `samples` array whose
// entries carry the spec either at top level or under `spec` (user, gesture, room, location, orientation,
// repetition, session), the class under `className` | `gestureName` | `class`, and the files under `files` |
// `paths` | `file` (relative to the manifest). Missing pieces fall back to the file names (simulator numbering =
// 20181130's 9 gestures, SampleSpec doc) with an info diagnostic, so an older/newer manifest still indexes.
import * as fs from 'fs';
import * as path from 'path';
import { DataError, type DatasetDiagnostic } from './errors';
import type { DatasetIndex, DatasetSample, DomainFactors } from './sample';
import { SIMULATOR_GESTURES } from './widarGestures';
import { groupWidarFiles } from './widarNaming';

type Entry = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'number' || (typeof v === 'string' && v !== '') ? String(v) : undefined);

export async function indexSimulatorFolder(root: string, files: readonly string[]): Promise<DatasetIndex> {
  const manifest = path.join(root, 'manifest.json');
  const diagnostics: DatasetDiagnostic[] = [];
  // Names first: they give the receiver files of every sample; the manifest then supplies class and domain.
  const byName = groupWidarFiles(files, root, {
    gestureName: (_d, _u, g) =>
      SIMULATOR_GESTURES[g - 1]
        ? { className: SIMULATOR_GESTURES[g - 1] }
        : { ambiguous: `gesture ${g} outside the simulator's 1..${SIMULATOR_GESTURES.length}` },
  });
  diagnostics.push(...byName.diagnostics);
  let samples: Omit<DatasetSample, 'label'>[] = byName.samples.map(s => ({
    // A date folder written by the simulator says nothing about the simulated room: keep only name-given factors.
    ...s,
    domain: { user: s.domain.user, location: s.domain.location, orientation: s.domain.orientation, repetition: s.domain.repetition },
  }));
  let labelSource = 'file names (simulator numbering)';
  if (files.includes(manifest)) {
    let json: unknown;
    try {
      json = JSON.parse(await fs.promises.readFile(manifest, 'utf8'));
    } catch (e) {
      throw new DataError('bad-manifest', `${manifest}: not valid JSON (${(e as Error).message})`, { file: manifest });
    }
    const list = (json as { samples?: unknown }).samples;
    if (!Array.isArray(list)) throw new DataError('bad-manifest', `${manifest}: expected a top-level "samples" array`, { file: manifest });
    labelSource = 'manifest.json';
    const byKey = new Map(samples.map(s => [key(s.domain, s.className), s]));
    const present = new Set(files); // O(1) membership: a simulated dataset can hold tens of thousands of files
    const out: Omit<DatasetSample, 'label'>[] = [];
    list.forEach((raw, i) => {
      const e = (raw ?? {}) as Entry;
      const spec = (e.spec && typeof e.spec === 'object' ? e.spec : e) as Entry;
      // The simulator writes `gesture` as the class name ('Push&Pull') and `label` as its 1-based number; older
      // manifests had the number in `gesture`. Accept both.
      const gestureName = typeof spec.gesture === 'string' && SIMULATOR_GESTURES.includes(spec.gesture) ? spec.gesture : undefined;
      const g = gestureName ? SIMULATOR_GESTURES.indexOf(gestureName) + 1 : Number(spec.gesture ?? spec.label ?? e.label);
      const className = str(e.className) ?? str(e.gestureName) ?? str(e.class) ?? gestureName ?? SIMULATOR_GESTURES[g - 1];
      if (!className) {
        diagnostics.push({
          file: manifest,
          severity: 'error',
          code: 'unknown-class',
          message: `samples[${i}] has no class name and gesture ${String(spec.gesture)} is not 1..9; skipped`,
        });
        return;
      }
      const domain: DomainFactors = {};
      for (const f of ['user', 'room', 'location', 'orientation', 'repetition', 'session'] as const) {
        const v = str(spec[f]);
        if (v !== undefined) domain[f] = v;
      }
      const listed = (
        Array.isArray(e.files) ? e.files : Array.isArray(e.paths) ? e.paths : typeof e.file === 'string' ? [e.file] : undefined
      ) as unknown[] | undefined;
      let filesAbs: string[] | undefined, receivers: string[] | undefined;
      if (listed && listed.every(x => typeof x === 'string')) {
        filesAbs = (listed as string[]).map(p => path.resolve(root, p));
        const missing = filesAbs.filter(p => !present.has(p));
        if (missing.length) {
          diagnostics.push({
            file: manifest,
            severity: 'error',
            code: 'missing-file',
            message: `samples[${i}] lists ${missing.length} missing file(s), e.g. ${missing[0]}; skipped`,
          });
          return;
        }
        receivers = filesAbs.map((p, k) => {
          const m = /-r(\d+)\.dat$/i.exec(p);
          return m ? `r${+m[1]}` : `r${k + 1}`;
        });
      } else {
        const named = byKey.get(key({ ...domain, session: undefined, room: undefined }, SIMULATOR_GESTURES[g - 1] ?? className));
        if (!named) {
          diagnostics.push({
            file: manifest,
            severity: 'error',
            code: 'missing-file',
            message: `samples[${i}] lists no files and no Widar-named files match its spec; skipped`,
          });
          return;
        }
        filesAbs = named.files;
        receivers = named.receivers;
      }
      const id =
        str(e.id) ??
        path
          .relative(root, filesAbs[0])
          .split(path.sep)
          .join('/')
          .replace(/-r\d+\.dat$/i, '');
      out.push({ id, files: filesAbs, receivers, className, domain });
    });
    samples = out;
  } else {
    diagnostics.push({
      file: root,
      severity: 'info',
      code: 'no-manifest',
      message: 'no manifest.json: labels from file names with the simulator numbering (20181130 gestures 1..9); room/session unknown',
    });
  }
  const classes = SIMULATOR_GESTURES.filter(c => samples.some(s => s.className === c));
  for (const s of samples) if (!classes.includes(s.className)) classes.push(s.className);
  return {
    root,
    layout: 'simulator',
    classes,
    labelSource,
    diagnostics,
    samples: samples.map(s => ({ ...s, label: classes.indexOf(s.className) })),
  };
}

function key(d: DomainFactors, cls: string): string {
  return [d.user, cls, d.location, d.orientation, d.repetition].join('|');
}
