// Entry point: any folder of recordings → DatasetIndex. Layout detection, in order:
//   1. manifest.json                                   → simulator output
//   2. manifest.csv with WiAR / Fition columns          → that layout; with path+label columns → generic CSV
//   3. file names: volunteer_<V>/csi_a<A>_<S>.dat → WiAR; <act>_user<U>_rm<R>_<S>.pcap → Fition;
//      userA-B-C-D-E-rF.dat → Widar3.0 (gesture numbering by date folder)
// `layout` forces one. A folder matching nothing is a DataError naming what was looked for.
import * as fs from 'fs';
import * as path from 'path';
import { parseCsv } from './csv';
import { indexCsvManifest } from './csvManifest';
import { DataError } from './errors';
import { FITION_FILE_RE, indexFition } from './fitionLayout';
import type { DatasetIndex, DatasetLayout, DatasetSample } from './sample';
import { indexSimulatorFolder } from './simulatorManifest';
import { listFiles } from './walk';
import { WIAR_DIR_RE, WIAR_FILE_RE, indexWiar } from './wiarLayout';
import { WIDAR_ALL_CLASSES, type WidarGestureMap } from './widarGestures';
import { WIDAR_FILE_RE, groupWidarFiles } from './widarNaming';

export interface IndexOptions {
  layout?: DatasetLayout;
  /** Widar: override for dates whose gesture numbering is unknown or per-user. */
  gestureMap?: WidarGestureMap;
  /** Generic CSV: fixed class order. */
  classes?: readonly string[];
}

async function detect(root: string, files: readonly string[]): Promise<DatasetLayout | undefined> {
  if (files.includes(path.join(root, 'manifest.json'))) return 'simulator';
  const csv = path.join(root, 'manifest.csv');
  if (files.includes(csv)) {
    const head =
      parseCsv((await fs.promises.readFile(csv, 'utf8')).split('\n', 1)[0]).rows[0]?.fields.map(c => c.trim().toLowerCase()) ?? [];
    if (head.includes('volunteer') && head.includes('activity_id')) return 'wiar';
    if (head.includes('activity') && head.includes('user') && head.includes('room') && head.includes('file')) return 'fition';
    return 'csv';
  }
  const names = files.map(f => path.basename(f));
  if (files.some(f => WIAR_FILE_RE.test(path.basename(f)) && WIAR_DIR_RE.test(path.basename(path.dirname(f))))) return 'wiar';
  if (names.some(n => FITION_FILE_RE.test(n))) return 'fition';
  if (names.some(n => WIDAR_FILE_RE.test(n))) return 'widar';
  return undefined;
}

export async function indexFolder(rootIn: string, opts: IndexOptions = {}): Promise<DatasetIndex> {
  const root = path.resolve(rootIn);
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(root);
  } catch (e) {
    throw new DataError('io', `${root}: cannot open dataset folder (${(e as Error).message})`, { root });
  }
  if (st.isFile() && /\.csv$/i.test(root)) return indexCsvManifest(root, { classes: opts.classes });
  if (!st.isDirectory()) throw new DataError('io', `${root}: expected a folder (or a CSV manifest file)`, { root });
  const files = await listFiles(root);
  const layout = opts.layout ?? (await detect(root, files));
  switch (layout) {
    case 'simulator':
      return indexSimulatorFolder(root, files);
    case 'wiar':
      return indexWiar(root, files);
    case 'fition':
      return indexFition(root, files);
    case 'csv':
      return indexCsvManifest(path.join(root, 'manifest.csv'), { classes: opts.classes });
    case 'widar': {
      const { samples, diagnostics } = groupWidarFiles(files, root, { gestureMap: opts.gestureMap });
      // Canonical 22-class order, restricted to classes present (a cross-date dataset keeps one consistent order).
      const classes = WIDAR_ALL_CLASSES.filter(c => samples.some(s => s.className === c));
      for (const s of samples) if (!classes.includes(s.className)) classes.push(s.className);
      const out: DatasetSample[] = samples.map(s => ({ ...s, label: classes.indexOf(s.className) }));
      return { root, layout: 'widar', classes, samples: out, diagnostics, labelSource: 'file names + date folder' };
    }
    default:
      throw new DataError(
        'no-dataset',
        `${root}: no dataset recognised among ${files.length} files. Expected manifest.json (simulator), manifest.csv ` +
          '(WiAR/Fition columns, or path,label[,domain…]), or files named volunteer_<V>/csi_a<A>_<S>.dat (WiAR), ' +
          '<activity>_user<U>_rm<R>_<S>.pcap (Fition) or userA-B-C-D-E-rF.dat (Widar3.0)',
        { root },
      );
  }
}
