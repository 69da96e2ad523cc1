// WiAR layout (../shared/labeled/wiar/README.md): `volunteer_<V>/csi_a<A>_<S>.dat`, V = volunteer (the domain),
// A = activity id 1..16, S = repetition. Labels come from manifest.csv (file, volunteer, activity_id, activity,
// sample, …, bytes) when present, else from the path. Note the upstream top-level README wrongly calls A the
// volunteer; the dataset's own data_format.m says A is the activity.
import * as path from 'path';
import type { DatasetDiagnostic } from './errors';
import { checkListedFile, readManifestTable } from './manifestTable';
import type { DatasetIndex, DatasetSample } from './sample';

/** Activity names by id 1..16 (README table; matches manifest.csv 'activity' with spaces as underscores). */
export const WIAR_CLASSES: readonly string[] = [
  'horizontal_arm_wave',
  'high_arm_wave',
  'two_hands_wave',
  'high_throw',
  'draw_x',
  'draw_tick',
  'toss_paper',
  'forward_kick',
  'side_kick',
  'bend',
  'hand_clap',
  'walk',
  'phone_call',
  'drink_water',
  'sit_down',
  'squat',
];

export const WIAR_FILE_RE = /^csi_a(\d+)_(\d+)\.dat$/i;
export const WIAR_DIR_RE = /^volunteer_(\d+)$/i;

function sample(root: string, rel: string, volunteer: string, activityId: number, rep: string): Omit<DatasetSample, 'label'> {
  return {
    id: rel.replace(/\.dat$/i, ''),
    files: [path.join(root, rel)],
    receivers: ['rx'],
    className: WIAR_CLASSES[activityId - 1],
    domain: { user: volunteer, repetition: rep },
  };
}

export async function indexWiar(root: string, files: readonly string[]): Promise<DatasetIndex> {
  const diagnostics: DatasetDiagnostic[] = [];
  const out: Omit<DatasetSample, 'label'>[] = [];
  const manifest = path.join(root, 'manifest.csv');
  let labelSource = 'file names';
  if (files.includes(manifest)) {
    const t = await readManifestTable(manifest, ['file', 'volunteer', 'activity_id', 'sample']);
    diagnostics.push(...t.diagnostics);
    labelSource = 'manifest.csv';
    for (const r of t.rows) {
      const id = Number(r.get('activity_id'));
      if (!Number.isInteger(id) || id < 1 || id > WIAR_CLASSES.length) {
        diagnostics.push({
          file: manifest,
          line: r.line,
          offset: r.offset,
          severity: 'error',
          code: 'unknown-class',
          message: `activity_id "${r.get('activity_id')}" skipped`,
          expected: `1..${WIAR_CLASSES.length}`,
        });
        continue;
      }
      const name = r.get('activity');
      if (name && name !== WIAR_CLASSES[id - 1]) {
        diagnostics.push({
          file: manifest,
          line: r.line,
          offset: r.offset,
          severity: 'warning',
          code: 'label-mismatch',
          message: `activity "${name}" for id ${id}; using "${WIAR_CLASSES[id - 1]}"`,
        });
      }
      const rel = r.get('file')!;
      const bad = await checkListedFile(path.join(root, rel), r, manifest, r.get('bytes') ? Number(r.get('bytes')) : undefined);
      if (bad) {
        diagnostics.push(bad);
        if (bad.severity === 'error') continue;
      }
      out.push(sample(root, rel, String(Number(r.get('volunteer'))), id, String(Number(r.get('sample')))));
    }
  } else {
    for (const f of files) {
      const m = WIAR_FILE_RE.exec(path.basename(f)),
        d = WIAR_DIR_RE.exec(path.basename(path.dirname(f)));
      if (!m || !d) continue;
      const id = +m[1];
      if (id < 1 || id > WIAR_CLASSES.length) {
        diagnostics.push({
          file: f,
          severity: 'warning',
          code: 'unknown-class',
          message: `activity id ${id} skipped`,
          expected: `1..${WIAR_CLASSES.length}`,
        });
        continue;
      }
      out.push(sample(root, path.relative(root, f).split(path.sep).join('/'), String(+d[1]), id, String(+m[2])));
    }
  }
  const classes = [...WIAR_CLASSES];
  return {
    root,
    layout: 'wiar',
    classes,
    labelSource,
    diagnostics,
    samples: out.map(s => ({ ...s, label: classes.indexOf(s.className) })),
  };
}
