// Typed errors of the GLSDA model code, so callers (runner, CLI, notebook controller) can tell a bad configuration
// from a cancelled run from a damaged checkpoint without parsing messages.
export type ModelErrorCode =
  | 'bad-config' // an architecture or training option that cannot work (names the option)
  | 'bad-data' // tensors/labels with inconsistent shapes or values
  | 'bad-checkpoint' // a checkpoint that does not match the model or is damaged (names the file)
  | 'cancelled'; // the AbortSignal fired; the last complete epoch's checkpoint is intact

export class ModelError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'ModelError';
  }
}
