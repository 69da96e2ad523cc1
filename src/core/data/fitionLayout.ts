// Fition layout (../shared/labeled/fition/README.md): `<activity>_user<U>_rm<R>/<activity>_user<U>_rm<R>_<S>.pcap`.
// User U and room R always go together; rm1/rm2 are one environment (A) and rm3/rm4 another (B), per upstream.
// Labels from manifest.csv (file, activity, user, room, environment, sample, …, bytes) when present, else the path.
import * as path from 'path';
import type { DatasetDiagnostic } from './errors';
import { checkListedFile, readManifestTable } from './manifestTable';
import type { DatasetIndex, DatasetSample } from './sample';

export const FITION_CLASSES: readonly string[] = ['falling', 'getintobed', 'nm', 'sitdown', 'standup', 'walking'];
export const FITION_FILE_RE = /^([a-z]+)_user(\d+)_rm(\d+)_(\d+)\.pcap$/i;

/** Environment of a Fition room (README: rm1 and rm2 are the same environment, and so are rm3 and rm4). */
export function fitionEnvironment(room: number): string {
  return room <= 2 ? 'A' : 'B';
}

export async function indexFition(root: string, files: readonly string[]): Promise<DatasetIndex> {
  const diagnostics: DatasetDiagnostic[] = [];
  const out: Omit<DatasetSample, 'label'>[] = [];
  const manifest = path.join(root, 'manifest.csv');
  let labelSource = 'file names';
  const push = (rel: string, activity: string, user: string, room: string, env: string, rep: string): void => {
    out.push({
      id: rel.replace(/\.pcap$/i, ''),
      files: [path.join(root, rel)],
      receivers: ['rx'],
      className: activity,
      domain: { user, room, environment: env, repetition: rep },
    });
  };
  if (files.includes(manifest)) {
    const t = await readManifestTable(manifest, ['file', 'activity', 'user', 'room', 'sample']);
    diagnostics.push(...t.diagnostics);
    labelSource = 'manifest.csv';
    for (const r of t.rows) {
      const act = r.get('activity')!;
      if (!FITION_CLASSES.includes(act)) {
        diagnostics.push({
          file: manifest,
          line: r.line,
          offset: r.offset,
          severity: 'error',
          code: 'unknown-class',
          message: `activity "${act}" skipped`,
          expected: FITION_CLASSES.join('|'),
        });
        continue;
      }
      const rel = r.get('file')!;
      const bad = await checkListedFile(path.join(root, rel), r, manifest, r.get('bytes') ? Number(r.get('bytes')) : undefined);
      if (bad) {
        diagnostics.push(bad);
        if (bad.severity === 'error') continue;
      }
      const room = Number(r.get('room'));
      push(
        rel,
        act,
        String(Number(r.get('user'))),
        String(room),
        r.get('environment') || fitionEnvironment(room),
        String(Number(r.get('sample'))),
      );
    }
  } else {
    for (const f of files) {
      const m = FITION_FILE_RE.exec(path.basename(f));
      if (!m) continue;
      const act = m[1].toLowerCase();
      if (!FITION_CLASSES.includes(act)) {
        diagnostics.push({
          file: f,
          severity: 'warning',
          code: 'unknown-class',
          message: `activity "${act}" skipped`,
          expected: FITION_CLASSES.join('|'),
        });
        continue;
      }
      push(path.relative(root, f).split(path.sep).join('/'), act, String(+m[2]), String(+m[3]), fitionEnvironment(+m[3]), String(+m[4]));
    }
  }
  const classes = [...FITION_CLASSES];
  return {
    root,
    layout: 'fition',
    classes,
    labelSource,
    diagnostics,
    samples: out.map(s => ({ ...s, label: classes.indexOf(s.className) })),
  };
}
