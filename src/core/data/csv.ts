// Minimal RFC 4180 CSV reader for dataset manifests (quoted fields, "" escapes, CRLF). Written here rather than
// adding a dependency because manifests are small and we need each row's line number and byte offset for
// diagnostics.

export interface CsvRow {
  /** 1-based line number where the row starts. */
  line: number;
  /** Byte offset of the row start (UTF-8). */
  offset: number;
  fields: string[];
}

export interface CsvParseResult {
  rows: CsvRow[];
  /** Problems such as an unterminated quote (the rest of the file is then one field). */
  problems: { line: number; offset: number; message: string }[];
}

export function parseCsv(text: string): CsvParseResult {
  const rows: CsvRow[] = [];
  const problems: CsvParseResult['problems'] = [];
  let bom = 0;
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    bom = 3;
  } // BOM from spreadsheet exports (3 bytes in UTF-8)
  let i = 0,
    line = 1,
    bytesBefore = bom,
    bytesAt = 0;
  const n = text.length;
  while (i < n) {
    bytesBefore += Buffer.byteLength(text.slice(bytesAt, i), 'utf8'); // incremental: O(n) over the file
    bytesAt = i;
    const startLine = line,
      startOffset = bytesBefore;
    const fields: string[] = [];
    let field = '';
    let done = false;
    while (!done) {
      if (i < n && text[i] === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (!closed) problems.push({ line: startLine, offset: startOffset, message: 'unterminated quoted field' });
      }
      while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      fields.push(field);
      field = '';
      if (i >= n) done = true;
      else if (text[i] === ',') i++;
      else {
        if (text[i] === '\r') i++;
        if (text[i] === '\n') i++;
        line++;
        done = true;
      }
    }
    if (!(fields.length === 1 && fields[0].trim() === '')) rows.push({ line: startLine, offset: startOffset, fields });
  }
  return { rows, problems };
}
