// Typed errors of the feature stage, so callers (runner, CLI) can tell a bad setting from unreadable data from a
// cancelled extraction without parsing messages.
export type FeatureErrorCode =
  | 'bad-config' // a feature parameter that cannot work (names the parameter)
  | 'bad-data' // a recording the features cannot be computed from (names the file)
  | 'cancelled'; // the AbortSignal fired

export class FeatureError extends Error {
  constructor(
    readonly code: FeatureErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'FeatureError';
  }
}
