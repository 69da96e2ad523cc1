// Typed errors and diagnostics of the dataset layer. Indexing never throws for one bad file: it keeps every valid
// sample and reports a DatasetDiagnostic (file, line for CSV, what was expected). It throws a DataError only when
// nothing sensible can be returned (unreadable root, impossible split, unknown layout).

export type DataErrorCode =
  | 'no-dataset' // folder holds nothing any layout recognises
  | 'bad-manifest' // a manifest cannot be parsed at all (missing required columns, invalid JSON)
  | 'impossible-split' // split cannot be made (one domain value, factor missing, empty side)
  | 'bad-params'
  | 'io';

export class DataError extends Error {
  override readonly name = 'DataError';
  constructor(
    readonly code: DataErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface DatasetDiagnostic {
  /** File the problem is in (absolute path). */
  file: string;
  severity: 'error' | 'warning' | 'info';
  /** Stable code: 'missing-file', 'bad-row', 'unknown-class', 'missing-receivers', 'ambiguous-gesture', … */
  code: string;
  message: string;
  /** 1-based line for CSV manifests. */
  line?: number;
  /** Byte offset of that line in the manifest. */
  offset?: number;
  expected?: string;
}
