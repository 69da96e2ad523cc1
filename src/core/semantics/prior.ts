// The frozen semantic prior: the ONLY semantic input training reads (semantic-prior.md §0). Built once by a
// provider, serialised to JSON, and identified by a content hash so experiments can record exactly which prior
// they used.
//
// Construction (semantic-prior.md §4, applied to every provider):
//   u_ck = E(p_ck)/‖E(p_ck)‖                 each prompt embedding L2-normalised
//   e_c  = normalise(mean_k u_ck)             prompt ensemble (CLIP-style)
//   ẽ_c  = normalise(e_c − mean_c' e_c')      centring across classes — mandatory for GloVe, whose raw cosines are
//                                             0.75–0.98 for every pair (class-level common-component removal)
//   S_ij = ẽ_iᵀ ẽ_j                           cosine similarity, symmetric, diag 1
// Centring needs ≥ 2 classes; with exactly 2 it always gives S_01 = −1 (the two centred vectors are opposite),
// which is still a valid (if uninformative) prior.
import { createHash } from 'crypto';
import { SemanticError } from './errors';
import type { EmbeddingProvider, GestureDescriptionProvider, GestureDescriptions } from './provider';

export const SEMANTIC_PRIOR_VERSION = 1;

export interface SemanticPriorProvenance {
  /** Where the vectors came from (package + version, or endpoint kind + base URL). */
  source: { name: string; version: string; location?: string };
  /** ISO date-time the artifact was built. Not part of the content hash. */
  buildDate: string;
  /** sha256 of the offline vocabulary, when the provider has one. */
  vocabSha256?: string;
  pooling: string;
  centred: true;
  /** Lossy steps (OOV words skipped …). */
  warnings: string[];
  /** Present when a language model rewrote the prompts before embedding. */
  descriptions?: { provider: string; model: GestureDescriptions['model']; raw?: unknown };
  tool: string;
}

/** JSON-serialisable as is. Numbers in `embeddings` and `similarity` are exactly representable as Float32. */
export interface SemanticPrior {
  version: typeof SEMANTIC_PRIOR_VERSION;
  classes: string[];
  /** prompts[c] = the K prompts embedded for classes[c] (after any LM enrichment). */
  prompts: string[][];
  provider: string;
  model: string;
  dims: number;
  /** C × dims, centred and L2-normalised class embeddings (Float32 values). */
  embeddings: number[][];
  /** C × C cosine similarity of `embeddings` (Float32 values). */
  similarity: number[][];
  provenance: SemanticPriorProvenance;
  /** sha256 over everything above except provenance.buildDate (see priorContentHash). */
  sha256: string;
}

export interface BuildPriorOptions {
  classes: readonly string[];
  /** className → prompts. Every class needs at least one non-empty prompt. */
  prompts: Readonly<Record<string, readonly string[]>>;
  provider: EmbeddingProvider;
  /** Optional LM that writes richer descriptions; they are appended to each class's prompts. */
  describer?: GestureDescriptionProvider;
  signal?: AbortSignal;
  /** Injected for reproducible tests; defaults to now. */
  buildDate?: Date;
  tool?: string;
}

function normalise(v: Float64Array): Float64Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  if (!(n > 0) || !Number.isFinite(n)) return v.fill(0);
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

/** Ensemble + centre + normalise (see file header). Exported for tests and for providers' quality checks. */
export function classEmbeddings(classes: readonly string[], perClassVectors: readonly (readonly Float32Array[])[]): Float64Array[] {
  if (classes.length < 2) {
    throw new SemanticError('degenerate', `a semantic prior needs at least 2 classes, got ${classes.length}`);
  }
  const dims = perClassVectors[0][0].length;
  const e = perClassVectors.map(vs => {
    const m = new Float64Array(dims);
    for (const v of vs) {
      const u = normalise(Float64Array.from(v));
      for (let d = 0; d < dims; d++) m[d] += u[d] / vs.length;
    }
    return normalise(m);
  });
  const mu = new Float64Array(dims);
  for (const v of e) for (let d = 0; d < dims; d++) mu[d] += v[d] / e.length;
  return e.map((v, c) => {
    const r = new Float64Array(dims);
    let n = 0;
    for (let d = 0; d < dims; d++) {
      r[d] = v[d] - mu[d];
      n += r[d] * r[d];
    }
    if (!(Math.sqrt(n) > 1e-6)) {
      throw new SemanticError(
        'degenerate',
        `class "${classes[c]}" has the same embedding as the class mean after centring; its prompts cannot be told apart from the other classes`,
        { className: classes[c] },
      );
    }
    return normalise(r);
  });
}

function cosineMatrix(e: readonly Float64Array[]): number[][] {
  return e.map((a, i) =>
    e.map((b, j) => {
      if (i === j) return 1;
      let s = 0;
      for (let d = 0; d < a.length; d++) s += a[d] * b[d];
      return Math.fround(Math.max(-1, Math.min(1, s)));
    }),
  );
}

/** Float32 bytes of a matrix, row-major, little-endian. */
function f32Bytes(m: readonly (readonly number[])[]): Buffer {
  const cols = m.length ? m[0].length : 0;
  const b = Buffer.alloc(m.length * cols * 4);
  m.forEach((row, i) => row.forEach((x, j) => b.writeFloatLE(x, (i * cols + j) * 4)));
  return b;
}

/**
 * Content hash of a prior: sha256 over a canonical JSON of the non-numeric fields (provenance without buildDate)
 * followed by the Float32 bytes of embeddings and similarity. Float32 bytes rather than JSON text so the hash is
 * stable through any JSON round trip.
 */
export function priorContentHash(p: Omit<SemanticPrior, 'sha256'>): string {
  const { buildDate: _omit, ...prov } = p.provenance;
  const meta = JSON.stringify({
    version: p.version,
    classes: p.classes,
    prompts: p.prompts,
    provider: p.provider,
    model: p.model,
    dims: p.dims,
    provenance: sortKeys(prov),
  });
  return createHash('sha256').update(meta).update(f32Bytes(p.embeddings)).update(f32Bytes(p.similarity)).digest('hex');
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map(k => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** Builds a frozen prior. Providers are called once; nothing here touches training. */
export async function buildSemanticPrior(opts: BuildPriorOptions): Promise<SemanticPrior> {
  const classes = [...opts.classes];
  if (new Set(classes).size !== classes.length) throw new SemanticError('bad-params', 'class names must be unique');
  const prompts: string[][] = classes.map(c => {
    const list = (opts.prompts[c] ?? []).map(s => s.trim()).filter(s => s.length > 0);
    if (!list.length) throw new SemanticError('empty-prompt', `class "${c}" has no prompts`, { className: c });
    return list;
  });
  let descriptions: SemanticPriorProvenance['descriptions'];
  if (opts.describer) {
    const got = await opts.describer.describe(
      classes.map((c, i) => ({ className: c, prompts: prompts[i] })),
      opts.signal,
    );
    classes.forEach((c, i) => {
      const d = got.descriptions?.[c];
      if (!Array.isArray(d) || !d.length || d.some(s => typeof s !== 'string' || !s.trim())) {
        throw new SemanticError(
          'description-provider',
          `description provider "${opts.describer!.id}" returned no usable description for class "${c}" (expected a non-empty array of non-empty strings)`,
          { className: c },
        );
      }
      prompts[i] = [...prompts[i], ...d.map(s => s.trim())];
    });
    descriptions = { provider: opts.describer.id, model: got.model, raw: got.raw };
  }
  const flat = prompts.flat();
  const res = await opts.provider.embed(flat, opts.signal);
  if (res.vectors.length !== flat.length || res.vectors.some(v => v.length !== res.dims)) {
    throw new SemanticError(
      'endpoint-response',
      `provider "${opts.provider.id}" returned ${res.vectors.length} vectors for ${flat.length} prompts (expected one ${res.dims}-d vector each)`,
    );
  }
  let k = 0;
  const perClass = prompts.map(ps => ps.map(() => res.vectors[k++]));
  const e = classEmbeddings(classes, perClass);
  const body: Omit<SemanticPrior, 'sha256'> = {
    version: SEMANTIC_PRIOR_VERSION,
    classes,
    prompts,
    provider: opts.provider.id,
    model: opts.provider.model,
    dims: res.dims,
    embeddings: e.map(v => Array.from(v, x => Math.fround(x))),
    similarity: cosineMatrix(e),
    provenance: {
      source: {
        name: opts.provider.source.name,
        version: opts.provider.source.version,
        ...(opts.provider.source.location ? { location: opts.provider.source.location } : {}),
      },
      buildDate: (opts.buildDate ?? new Date()).toISOString(),
      ...(opts.provider.source.vocabSha256 ? { vocabSha256: opts.provider.source.vocabSha256 } : {}),
      pooling: opts.provider.pooling + '; per class: L2-normalised prompt mean, centred across classes, L2-normalised',
      centred: true,
      warnings: res.warnings,
      ...(descriptions ? { descriptions } : {}),
      tool: opts.tool ?? 'csi-workbench',
    },
  };
  return { ...body, sha256: priorContentHash(body) };
}

/**
 * Validates a parsed prior JSON (shape, sizes, finiteness, symmetry, hash) and returns it typed. `file` names the
 * source in errors.
 */
export function validateSemanticPrior(json: unknown, file = 'semantic prior'): SemanticPrior {
  const fail = (what: string): never => {
    throw new SemanticError('bad-prior', `${file}: ${what}`, { file });
  };
  const p = json as Partial<SemanticPrior> | null;
  if (!p || typeof p !== 'object') fail('expected a JSON object');
  const q = p as Partial<SemanticPrior>;
  if (q.version !== SEMANTIC_PRIOR_VERSION) fail(`expected "version": ${SEMANTIC_PRIOR_VERSION}, found ${JSON.stringify(q.version)}`);
  if (!Array.isArray(q.classes) || q.classes.length < 2 || q.classes.some(c => typeof c !== 'string'))
    fail('expected "classes": at least 2 strings');
  const C = q.classes!.length;
  if (!Number.isInteger(q.dims) || q.dims! <= 0) fail('expected a positive integer "dims"');
  if (!Array.isArray(q.prompts) || q.prompts.length !== C || q.prompts.some(l => !Array.isArray(l) || !l.length))
    fail(`expected "prompts": ${C} non-empty arrays`);
  const isMatrix = (m: unknown, rows: number, cols: number): boolean =>
    Array.isArray(m) &&
    m.length === rows &&
    m.every(r => Array.isArray(r) && r.length === cols && r.every(x => typeof x === 'number' && Number.isFinite(x)));
  if (!isMatrix(q.embeddings, C, q.dims!)) fail(`expected "embeddings": ${C} × ${q.dims} finite numbers`);
  if (!isMatrix(q.similarity, C, C)) fail(`expected "similarity": ${C} × ${C} finite numbers`);
  const S = q.similarity!;
  for (let i = 0; i < C; i++) {
    if (Math.abs(S[i][i] - 1) > 1e-5) fail(`similarity[${i}][${i}] = ${S[i][i]}, expected 1`);
    for (let j = 0; j < C; j++) if (Math.abs(S[i][j] - S[j][i]) > 1e-5) fail(`similarity is not symmetric at [${i}][${j}]`);
  }
  if (typeof q.provider !== 'string' || typeof q.model !== 'string' || !q.provenance) fail('expected "provider", "model" and "provenance"');
  const { sha256, ...body } = q as SemanticPrior;
  const h = priorContentHash(body);
  if (h !== sha256) fail(`content sha256 ${h} does not match the recorded ${String(sha256)} (edited or corrupt)`);
  return q as SemanticPrior;
}

/** Similarity as a dense Float32Array (C×C row-major), the form the training code consumes. */
export function similarityMatrixF32(p: SemanticPrior): Float32Array {
  const C = p.classes.length,
    out = new Float32Array(C * C);
  p.similarity.forEach((row, i) =>
    row.forEach((x, j) => {
      out[i * C + j] = x;
    }),
  );
  return out;
}

/** Class embeddings as Float32Arrays (one per class). */
export function embeddingsF32(p: SemanticPrior): Float32Array[] {
  return p.embeddings.map(r => Float32Array.from(r));
}
