// Generic CSV manifest: any folder of recordings described by `path,label[,domain columns…]`.
//   path      file relative to the manifest's folder (or absolute); several files of one sample may be given
//             in one cell separated by ';', or on several rows sharing the same `id` (one row per receiver)
//   label     class name (aliases: class, activity, gesture)
//   id        optional sample id grouping rows (alias: sample_id); default: the path without extension
//   receiver  optional receiver/link name per row
//   every other column is a domain factor (user, location, orientation, room, session, repetition, …), values as
//   strings. Classes are ordered alphabetically unless the caller passes `classes`.
import * as path from 'path';
import { DataError, type DatasetDiagnostic } from './errors';
import { checkListedFile, readManifestTable } from './manifestTable';
import type { DatasetIndex, DatasetSample, DomainFactors } from './sample';

const PATH_COLS = ['path', 'file'];
const LABEL_COLS = ['label', 'class', 'activity', 'gesture'];
const ID_COLS = ['id', 'sample_id'];
const RESERVED = new Set([...PATH_COLS, ...LABEL_COLS, ...ID_COLS, 'receiver', 'sha256', 'bytes']);

export async function indexCsvManifest(manifest: string, opts: { classes?: readonly string[] } = {}): Promise<DatasetIndex> {
  const root = path.dirname(path.resolve(manifest));
  const t = await readManifestTable(manifest, []);
  const pathCol = PATH_COLS.find(c => t.columns.includes(c));
  const labelCol = LABEL_COLS.find(c => t.columns.includes(c));
  if (!pathCol || !labelCol) {
    throw new DataError(
      'bad-manifest',
      `${manifest}: header (line 1) needs a path column (${PATH_COLS.join('|')}) and a label column (${LABEL_COLS.join('|')}); found ${t.columns.join(', ')}`,
      { file: manifest },
    );
  }
  const idCol = ID_COLS.find(c => t.columns.includes(c));
  const domainCols = t.columns.filter(c => !RESERVED.has(c));
  const diagnostics: DatasetDiagnostic[] = [...t.diagnostics];
  const groups = new Map<string, Omit<DatasetSample, 'label'> & { line: number }>();
  for (const r of t.rows) {
    const label = r.get(labelCol)!;
    if (!label) {
      diagnostics.push({
        file: manifest,
        line: r.line,
        offset: r.offset,
        severity: 'error',
        code: 'bad-row',
        message: 'empty label, row skipped',
        expected: 'a class name',
      });
      continue;
    }
    const rels = r
      .get(pathCol)!
      .split(';')
      .map(s => s.trim())
      .filter(Boolean);
    if (!rels.length) {
      diagnostics.push({
        file: manifest,
        line: r.line,
        offset: r.offset,
        severity: 'error',
        code: 'bad-row',
        message: 'empty path, row skipped',
        expected: 'a file path',
      });
      continue;
    }
    const abs = rels.map(p => path.resolve(root, p));
    let ok = true;
    for (const a of abs) {
      const bad = await checkListedFile(a, r, manifest);
      if (bad) {
        diagnostics.push(bad);
        ok = false;
      }
    }
    if (!ok) continue;
    const id = (idCol && r.get(idCol)) || rels[0].replace(/\.[^./]+$/, '');
    const domain: DomainFactors = {};
    for (const c of domainCols) {
      const v = r.get(c);
      if (v !== undefined && v !== '') domain[c] = v;
    }
    const receiver = r.get('receiver');
    const g = groups.get(id);
    if (!g) {
      groups.set(id, {
        id,
        files: abs,
        receivers: abs.map((_, i) => receiver || (abs.length > 1 ? `r${i + 1}` : 'rx')),
        className: label,
        domain,
        line: r.line,
      });
      continue;
    }
    if (g.className !== label || JSON.stringify(g.domain) !== JSON.stringify(domain)) {
      diagnostics.push({
        file: manifest,
        line: r.line,
        offset: r.offset,
        severity: 'error',
        code: 'bad-row',
        message: `row for sample "${id}" disagrees with line ${g.line} on label or domain; row skipped`,
        expected: 'the same label and domain values on every row of a sample',
      });
      continue;
    }
    g.files.push(...abs);
    g.receivers.push(...abs.map((_, i) => receiver || `r${g.receivers.length + i + 1}`));
  }
  const found = [...new Set([...groups.values()].map(g => g.className))].sort();
  const classes = opts.classes ? [...opts.classes] : found;
  const samples: DatasetSample[] = [];
  for (const { line, ...g } of groups.values()) {
    const label = classes.indexOf(g.className);
    if (label < 0) {
      diagnostics.push({
        file: manifest,
        line,
        severity: 'error',
        code: 'unknown-class',
        message: `class "${g.className}" of sample "${g.id}" is not in the given class list; skipped`,
        expected: classes.join('|'),
      });
      continue;
    }
    samples.push({ ...g, label });
  }
  return { root, layout: 'csv', classes, samples, diagnostics, labelSource: path.basename(manifest) };
}
