// A frozen prior read from a file, fitted to one dataset's classes: rows and columns reordered to the dataset's class
// order, classes the dataset lacks dropped. Why a separate step and not an error on any difference: a prior is built
// once per gesture vocabulary (e.g. all of Widar's) and then serves datasets that hold a subset of it, in their own
// label order. A dataset class the prior lacks is an error: there is nothing to put in its row.
//
// The kept embeddings stay as they were (centred over the prior's full class set), and the similarity is their
// submatrix, so every number training reads is one the provider produced. The result is re-hashed; its provenance
// records the source prior's hash and what was dropped.
import { SemanticError } from './errors';
import { priorContentHash, type SemanticPrior } from './prior';

export function priorForClasses(prior: SemanticPrior, classes: readonly string[], file = 'semantic prior'): SemanticPrior {
  const at = new Map(prior.classes.map((c, i) => [c, i]));
  const missing = classes.filter(c => !at.has(c));
  if (missing.length) {
    throw new SemanticError(
      'bad-prior',
      `${file}: has no class ${missing.map(c => JSON.stringify(c)).join(', ')} (the dataset's classes: ${classes.join(', ')}; the prior's: ${prior.classes.join(', ')})`,
      { file },
    );
  }
  const idx = classes.map(c => at.get(c)!);
  if (idx.length === prior.classes.length && idx.every((k, i) => k === i)) return prior;
  const dropped = prior.classes.filter(c => !classes.includes(c));
  const body: Omit<SemanticPrior, 'sha256'> = {
    ...prior,
    classes: [...classes],
    prompts: idx.map(k => prior.prompts[k]),
    embeddings: idx.map(k => prior.embeddings[k]),
    similarity: idx.map(a => idx.map(b => prior.similarity[a][b])),
    provenance: {
      ...prior.provenance,
      warnings: [
        ...prior.provenance.warnings,
        `fitted to ${classes.length} dataset classes from prior sha256 ${prior.sha256}${dropped.length ? `; dropped ${dropped.join(', ')}` : '; reordered'}`,
      ],
    },
  };
  return { ...body, sha256: priorContentHash(body) };
}
