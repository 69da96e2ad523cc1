// Typed errors for the semantic-prior layer. Callers (CLI, extension) switch on `code` to show a useful message;
// messages name the file / endpoint / class and say what was expected.

export type SemanticErrorCode =
  | 'bad-settings' // user gesture settings file failed schema validation or JSON parsing
  | 'bad-prior' // a SemanticPrior JSON failed validation or its hash does not match
  | 'bad-vocab' // the compact GloVe asset is malformed
  | 'oov' // a prompt has words the offline vocabulary does not contain (strict mode)
  | 'empty-prompt' // a prompt has no usable words / a class has no prompts
  | 'degenerate' // embeddings cannot give a similarity (e.g. < 2 classes, identical classes)
  | 'bad-params' // invalid alpha / tau / sizes
  | 'endpoint-timeout' // embeddings endpoint did not answer in time
  | 'endpoint-network' // connection refused / DNS / reset
  | 'endpoint-http' // non-2xx HTTP status
  | 'endpoint-response' // 2xx but the body is not what the API documents
  | 'description-provider'; // the language-model description provider failed or returned bad output

export class SemanticError extends Error {
  override readonly name = 'SemanticError';
  constructor(
    readonly code: SemanticErrorCode,
    message: string,
    /** Structured context (file, path in JSON, URL, class …) for programmatic use. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
