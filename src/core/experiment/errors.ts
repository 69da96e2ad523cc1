// Typed errors of the experiment layer: a spec problem names the JSON path; a step failure names the step; a
// malformed run-store file (e.g. predictions CSV) names the file and byte offset.
export type ExperimentErrorCode = 'bad-spec' | 'step-failed' | 'cancelled' | 'bad-file';

export class ExperimentError extends Error {
  constructor(
    readonly code: ExperimentErrorCode,
    message: string,
    readonly where?: string,
  ) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'ExperimentError';
  }
}
