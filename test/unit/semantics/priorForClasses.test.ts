// A prior file fitted to a dataset's classes: rows/columns follow the dataset's order, extra classes drop out, the
// numbers are the provider's (a submatrix, not recomputed), the result re-hashes and validates, and a class the
// prior lacks is an error naming the file and the class.
import * as assert from 'node:assert/strict';
import { buildSemanticPrior, validateSemanticPrior } from '../../../src/core/semantics/prior';
import { priorForClasses } from '../../../src/core/semantics/priorForClasses';
import type { EmbeddingProvider } from '../../../src/core/semantics/provider';

const fixed = (table: Record<string, number[]>): EmbeddingProvider => ({
  id: 'fixed',
  model: 'fixed',
  source: { name: 'test', version: '0' },
  pooling: 'table lookup',
  async embed(texts) {
    return { vectors: texts.map(t => Float32Array.from(table[t])), dims: 3, warnings: [] };
  },
});

describe('semantics/priorForClasses', () => {
  it('reorders and subsets to the dataset classes, keeping the provider numbers, and re-hashes', async () => {
    const full = await buildSemanticPrior({
      classes: ['a', 'b', 'c', 'd'],
      prompts: { a: ['A'], b: ['B'], c: ['C'], d: ['D'] },
      provider: fixed({ A: [1, 0, 0], B: [0.8, 0.6, 0], C: [0, 1, 0.2], D: [0, 0, 1] }),
      buildDate: new Date(0),
    });
    const fit = priorForClasses(full, ['c', 'a'], 'x.prior.json');
    assert.deepEqual(fit.classes, ['c', 'a']);
    assert.deepEqual(fit.prompts, [['C'], ['A']]);
    assert.deepEqual(fit.embeddings, [full.embeddings[2], full.embeddings[0]]);
    assert.deepEqual(fit.similarity, [
      [full.similarity[2][2], full.similarity[2][0]],
      [full.similarity[0][2], full.similarity[0][0]],
    ]);
    assert.notEqual(fit.sha256, full.sha256);
    assert.equal(validateSemanticPrior(JSON.parse(JSON.stringify(fit))).sha256, fit.sha256, 'a valid prior with its own hash');
    assert.match(fit.provenance.warnings.at(-1)!, new RegExp(`from prior sha256 ${full.sha256}; dropped b, d`));
    // Same classes, same order: the prior as it is.
    assert.equal(priorForClasses(full, ['a', 'b', 'c', 'd']), full);
    // Only reordered: every class kept.
    assert.match(priorForClasses(full, ['d', 'c', 'b', 'a']).provenance.warnings.at(-1)!, /; reordered$/);
    assert.throws(() => priorForClasses(full, ['a', 'e', 'zz'], 'x.prior.json'), /x\.prior\.json: has no class "e", "zz"/);
  });
});
