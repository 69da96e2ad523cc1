// Embeddings from an HTTP endpoint, two documented wire formats (semantic-prior.md §1.2):
//   api 'openai': POST {baseUrl}/embeddings  {model, input: string[], encoding_format: 'float', dimensions?}
//                 → {data: [{index, embedding: number[]}]}     (OpenAI, Ollama /v1, LM Studio, vLLM, llama.cpp)
//   api 'ollama': POST {baseUrl}/api/embed    {model, input: string[]} → {embeddings: number[][]}
// Uses Node 20's global fetch (no dependency). The API key is passed in by the caller (the extension keeps it in
// SecretStorage) and is never put in errors, provenance or logs. Each request has a timeout (AbortSignal) and
// is retried on 429/5xx/network errors with a short backoff; all failures are SemanticErrors with an endpoint-*
// code naming the URL and what was expected.
import { SemanticError } from './errors';
import type { EmbeddingProvider, EmbeddingResult, EmbeddingSource } from './provider';

export type EmbeddingApi = 'openai' | 'ollama';

export interface HttpEmbeddingOptions {
  api: EmbeddingApi;
  /** e.g. 'https://api.openai.com/v1', 'http://localhost:11434/v1' (openai) or 'http://localhost:11434' (ollama). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Texts per request. Default 64. */
  batchSize?: number;
  /** Extra attempts after a retryable failure (429, 5xx, network). Default 1. */
  retries?: number;
  /** OpenAI 'dimensions' (text-embedding-3 models only). */
  dimensions?: number;
  /** For tests / custom agents; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
}

class Retryable extends Error {
  constructor(readonly inner: SemanticError) {
    super(inner.message);
  }
}

export class HttpEmbeddingProvider implements EmbeddingProvider {
  readonly id: string;
  readonly model: string;
  readonly source: EmbeddingSource;
  readonly pooling: string;
  private readonly url: string;

  constructor(private readonly opts: HttpEmbeddingOptions) {
    let base: URL;
    try {
      base = new URL(opts.baseUrl);
    } catch {
      throw new SemanticError('bad-params', `embeddings base URL "${opts.baseUrl}" is not a valid URL`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new SemanticError('bad-params', `embeddings base URL must be http(s), got ${base.protocol}`);
    }
    if (!opts.model) throw new SemanticError('bad-params', 'embeddings model name is empty');
    const root = opts.baseUrl.replace(/\/+$/, '');
    this.url = opts.api === 'openai' ? `${root}/embeddings` : `${root}/api/embed`;
    this.id = opts.api === 'openai' ? 'openai-compatible' : 'ollama';
    this.model = opts.model;
    this.source = { name: this.id, version: '', location: root };
    this.pooling = `endpoint's own sentence embedding (${opts.api === 'openai' ? 'POST /embeddings' : 'POST /api/embed'})`;
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<EmbeddingResult> {
    const batch = Math.max(1, this.opts.batchSize ?? 64);
    const vectors: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batch) {
      vectors.push(...(await this.withRetries(texts.slice(i, i + batch), signal)));
    }
    const dims = vectors.length ? vectors[0].length : 0;
    vectors.forEach((v, i) => {
      if (v.length !== dims) throw this.err('endpoint-response', `vector ${i} has ${v.length} dims, expected ${dims} like the first`);
    });
    return { vectors, dims, warnings: [] };
  }

  private err(code: SemanticError['code'], what: string): SemanticError {
    return new SemanticError(code, `embeddings endpoint ${this.url} (model "${this.model}"): ${what}`, {
      url: this.url,
      model: this.model,
    });
  }

  private async withRetries(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const attempts = 1 + Math.max(0, this.opts.retries ?? 1);
    let last: SemanticError | undefined;
    for (let a = 0; a < attempts; a++) {
      if (a > 0) await new Promise(r => setTimeout(r, 200 * 2 ** (a - 1)));
      try {
        return await this.request(texts, signal);
      } catch (e) {
        if (!(e instanceof Retryable)) throw e;
        last = e.inner;
      }
    }
    throw last!;
  }

  private async request(texts: readonly string[], outer?: AbortSignal): Promise<Float32Array[]> {
    const timeoutMs = this.opts.timeoutMs ?? 30_000;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), timeoutMs);
    const onOuter = (): void => ctl.abort();
    if (outer?.aborted) ctl.abort(); // already cancelled: 'abort' will not fire again
    outer?.addEventListener('abort', onOuter, { once: true });
    const body =
      this.opts.api === 'openai'
        ? {
            model: this.model,
            input: texts,
            encoding_format: 'float',
            ...(this.opts.dimensions ? { dimensions: this.opts.dimensions } : {}),
          }
        : { model: this.model, input: texts };
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
    let res: Response;
    let text: string;
    try {
      res = await (this.opts.fetchImpl ?? fetch)(this.url, { method: 'POST', headers, body: JSON.stringify(body), signal: ctl.signal });
      text = await res.text();
    } catch (e) {
      if (outer?.aborted) throw this.err('endpoint-network', 'cancelled');
      if (ctl.signal.aborted) throw new Retryable(this.err('endpoint-timeout', `no complete answer within ${timeoutMs} ms`));
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new Retryable(
        this.err('endpoint-network', `request failed: ${cause?.code ?? ''} ${cause?.message ?? (e as Error).message}`.trim()),
      );
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    }
    if (!res.ok) {
      const detail = text.slice(0, 300).replace(/\s+/g, ' ');
      const e = this.err(
        'endpoint-http',
        `HTTP ${res.status} ${res.statusText}${detail ? `: ${detail}` : ''}` +
          (res.status === 401 || res.status === 403 ? ' (check the API key)' : '') +
          (res.status === 404 ? ` (check the base URL and that model "${this.model}" exists)` : ''),
      );
      if (res.status === 429 || res.status >= 500) throw new Retryable(e);
      throw e;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.err('endpoint-response', `expected a JSON body, got ${JSON.stringify(text.slice(0, 80))}`);
    }
    const rows = this.opts.api === 'openai' ? this.openaiRows(json, texts.length) : this.ollamaRows(json, texts.length);
    return rows.map((r, i) => {
      if (!Array.isArray(r) || !r.length || r.some(x => typeof x !== 'number' || !Number.isFinite(x))) {
        throw this.err('endpoint-response', `embedding ${i} is not a non-empty array of finite numbers`);
      }
      return Float32Array.from(r as number[]);
    });
  }

  private openaiRows(json: unknown, n: number): unknown[] {
    const data = (json as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length !== n) {
      throw this.err('endpoint-response', `expected "data" with ${n} items, got ${Array.isArray(data) ? data.length : typeof data}`);
    }
    const out = new Array<unknown>(n);
    data.forEach((d: { index?: unknown; embedding?: unknown }, k) => {
      // The API documents `index`; order by it rather than trusting array order.
      const i = typeof d?.index === 'number' ? d.index : k;
      if (!Number.isInteger(i) || i < 0 || i >= n || out[i] !== undefined)
        throw this.err('endpoint-response', `bad or duplicate "index" ${String(d?.index)} in data[${k}]`);
      out[i] = d.embedding;
    });
    return out;
  }

  private ollamaRows(json: unknown, n: number): unknown[] {
    const e = (json as { embeddings?: unknown }).embeddings;
    if (!Array.isArray(e) || e.length !== n) {
      throw this.err('endpoint-response', `expected "embeddings" with ${n} vectors, got ${Array.isArray(e) ? e.length : typeof e}`);
    }
    return e;
  }
}
