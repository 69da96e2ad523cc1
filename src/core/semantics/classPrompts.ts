// Built-in class prompts (assets/class-prompts.json) and the merge with user gestures from a settings file.
// Prompts live in JSON, not code, because scripts/build-semantic-vocab.js reads the same file to decide which
// words the offline vocabulary must contain.
import promptsAsset from './assets/class-prompts.json';
import { SemanticError } from './errors';
import type { UserGestureSettings } from './userGestures';

export type BuiltInPromptSet = 'widar' | 'wiar' | 'fition';
export const BUILT_IN_PROMPT_SETS: readonly BuiltInPromptSet[] = ['widar', 'wiar', 'fition'];

const SETS = promptsAsset.sets as Record<BuiltInPromptSet, Record<string, string[]>>;

/** className → prompts of one built-in set (a copy; callers may edit it). */
export function builtInPrompts(set: BuiltInPromptSet): Record<string, string[]> {
  return Object.fromEntries(Object.entries(SETS[set]).map(([k, v]) => [k, [...v]]));
}

/** Class names of a built-in set in their canonical order. */
export function builtInClasses(set: BuiltInPromptSet): string[] {
  return Object.keys(SETS[set]);
}

/**
 * Prompts for `classes`: user gestures (settings file) first, then the built-in sets in the given order. A class
 * found nowhere is an error that lists where we looked, so a new gesture is never embedded from its bare name.
 */
export function resolvePrompts(
  classes: readonly string[],
  opts: { sets?: readonly BuiltInPromptSet[]; user?: UserGestureSettings } = {},
): Record<string, string[]> {
  const sets = opts.sets ?? BUILT_IN_PROMPT_SETS;
  const out: Record<string, string[]> = {};
  const missing: string[] = [];
  for (const c of classes) {
    const u = opts.user?.gestures.find(g => g.name === c);
    const b = sets.map(s => SETS[s][c]).find(p => p !== undefined);
    const p = u?.prompts ?? b;
    if (p) out[c] = [...p];
    else missing.push(c);
  }
  if (missing.length) {
    throw new SemanticError(
      'empty-prompt',
      `no prompts for class(es) ${missing.map(m => `"${m}"`).join(', ')}: not in the built-in sets (${sets.join(', ')})` +
        `${opts.user ? ` nor in ${opts.user.file}` : ''}. Add them to a gesture settings file ({"version":1,"gestures":[{"name":…,"prompts":[…]}]}).`,
      { missing },
    );
  }
  return out;
}
