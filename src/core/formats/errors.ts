// The one error type the format layer throws. Readers themselves never throw for bad content (they return
// diagnostics); the entry points throw CsiFormatError only when there is nothing to read at all: no reader
// recognises the content, or the file cannot be opened. It carries the same fields as a diagnostic so callers
// (CLI, viewer) can show both the same way.
import type { CsiDiagnostic } from './types';

export class CsiFormatError extends Error {
  readonly diagnostic: CsiDiagnostic;
  constructor(diagnostic: CsiDiagnostic) {
    super(`${diagnostic.file}: ${diagnostic.message}${diagnostic.expected ? ` (expected ${diagnostic.expected})` : ''}`);
    this.name = 'CsiFormatError';
    this.diagnostic = diagnostic;
  }
  get code(): string {
    return this.diagnostic.code;
  }
}
