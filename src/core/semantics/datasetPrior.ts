// Glue between the dataset index and the semantic prior: the prior for exactly the classes (and class order) of
// an index, with prompts from the user settings file first, then the built-in set matching the layout.
import type { DatasetIndex, DatasetLayout } from '../data/sample';
import { resolvePrompts, type BuiltInPromptSet } from './classPrompts';
import { defaultGloveProvider } from './gloveProvider';
import { buildSemanticPrior, type SemanticPrior } from './prior';
import type { EmbeddingProvider, GestureDescriptionProvider } from './provider';
import type { UserGestureSettings } from './userGestures';

const SET_BY_LAYOUT: Record<DatasetLayout, BuiltInPromptSet[]> = {
  widar: ['widar'],
  simulator: ['widar'],
  wiar: ['wiar'],
  fition: ['fition'],
  csv: ['widar', 'wiar', 'fition'],
};

export interface DatasetPriorOptions {
  /** Default: the offline GloVe subset (strict OOV for built-in prompts; pass your own provider to relax). */
  provider?: EmbeddingProvider;
  user?: UserGestureSettings;
  describer?: GestureDescriptionProvider;
  signal?: AbortSignal;
}

export async function priorForDataset(
  index: Pick<DatasetIndex, 'classes' | 'layout'>,
  opts: DatasetPriorOptions = {},
): Promise<SemanticPrior> {
  const prompts = resolvePrompts(index.classes, { sets: SET_BY_LAYOUT[index.layout], user: opts.user });
  // User prompts may use words outside the compact vocabulary: skip them (recorded as warnings) rather than fail.
  const provider = opts.provider ?? defaultGloveProvider({ oov: opts.user ? 'skip' : 'error' });
  return buildSemanticPrior({ classes: index.classes, prompts, provider, describer: opts.describer, signal: opts.signal });
}
