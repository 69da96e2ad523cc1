// Prompt tokeniser shared by the offline GloVe provider and by scripts/build-semantic-vocab.js, so the compact
// vocabulary always holds exactly the tokens the runtime will look up.
//
// Why this simple rule: the wink GloVe table is lowercase-only and has no single letters (semantic-prior.md §1.3),
// so we lowercase, split on anything that is not a-z, and drop one-letter tokens and a short stop list. SIF
// weighting (gloveProvider.ts) already down-weights frequent words; the stop list only removes words whose
// vectors carry no motion content at all, so they cannot dominate short prompts.

export const STOP_WORDS: ReadonlySet<string> = new Set([
  'the',
  'an',
  'of',
  'and',
  'to',
  'in',
  'on',
  'at',
  'with',
  'its',
  'his',
  'her',
  'their',
  'is',
  'are',
  'be',
  'then',
  'from',
  'by',
  'for',
  'as',
  'it',
  'that',
  'this',
  'or',
  'so',
  'there',
]);

/** Lowercase word tokens of `text` that carry content (see file header for the rule). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[a-z]+/g)) {
    const w = m[0];
    if (w.length < 2 || STOP_WORDS.has(w)) continue;
    out.push(w);
  }
  return out;
}
