// A CSV manifest with a header row, read into named columns, with row-level diagnostics. Shared by the WiAR,
// Fition and generic CSV layouts.
import * as fs from 'fs';
import { parseCsv } from './csv';
import { DataError, type DatasetDiagnostic } from './errors';

export interface ManifestRow {
  line: number;
  offset: number;
  get(col: string): string | undefined;
  values: Record<string, string>;
}

export interface ManifestTable {
  file: string;
  columns: string[];
  rows: ManifestRow[];
  diagnostics: DatasetDiagnostic[];
}

/** Reads `file`; throws DataError('bad-manifest') if any of `required` columns is missing from the header. */
export async function readManifestTable(file: string, required: readonly string[]): Promise<ManifestTable> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    throw new DataError('io', `${file}: cannot read manifest (${(e as Error).message})`, { file });
  }
  const { rows, problems } = parseCsv(text);
  const diagnostics: DatasetDiagnostic[] = problems.map(p => ({
    file,
    line: p.line,
    offset: p.offset,
    severity: 'error',
    code: 'bad-csv',
    message: p.message,
  }));
  if (!rows.length)
    throw new DataError('bad-manifest', `${file}: empty manifest, expected a header row with columns ${required.join(', ')}`, { file });
  const columns = rows[0].fields.map(c => c.trim().toLowerCase());
  const missing = required.filter(c => !columns.includes(c));
  if (missing.length) {
    throw new DataError('bad-manifest', `${file}: header (line 1) lacks column(s) ${missing.join(', ')}; found ${columns.join(', ')}`, {
      file,
      missing,
    });
  }
  const out: ManifestRow[] = [];
  for (const r of rows.slice(1)) {
    if (r.fields.length !== columns.length) {
      diagnostics.push({
        file,
        line: r.line,
        offset: r.offset,
        severity: 'error',
        code: 'bad-row',
        message: `row has ${r.fields.length} fields, skipped`,
        expected: `${columns.length} fields (${columns.join(',')})`,
      });
      continue;
    }
    const values = Object.fromEntries(columns.map((c, i) => [c, r.fields[i].trim()]));
    out.push({ line: r.line, offset: r.offset, values, get: c => values[c] });
  }
  return { file, columns, rows: out, diagnostics };
}

/** Checks a manifest-listed file exists (and has the listed size, when given); returns a diagnostic if not. */
export async function checkListedFile(
  abs: string,
  row: ManifestRow,
  manifest: string,
  bytes?: number,
): Promise<DatasetDiagnostic | undefined> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(abs);
  } catch {
    return {
      file: manifest,
      line: row.line,
      offset: row.offset,
      severity: 'error',
      code: 'missing-file',
      message: `listed file ${abs} does not exist; sample skipped`,
      expected: 'an existing file',
    };
  }
  if (!st.isFile())
    return {
      file: manifest,
      line: row.line,
      offset: row.offset,
      severity: 'error',
      code: 'missing-file',
      message: `${abs} is not a file; sample skipped`,
    };
  if (bytes !== undefined && Number.isFinite(bytes) && st.size !== bytes) {
    return {
      file: manifest,
      line: row.line,
      offset: row.offset,
      severity: 'warning',
      code: 'size-mismatch',
      message: `${abs} has ${st.size} bytes, manifest says ${bytes}`,
      expected: `${bytes} bytes`,
    };
  }
  return undefined;
}
