// A GestureDescriptionProvider on top of any chat model given as a plain `(prompt) → reply text` function. The
// extension wraps `vscode.lm` (LanguageModelChat.sendRequest, user message only: the API has no system role) in
// that function; everything model-independent — the request wording, extracting and validating the JSON reply,
// one repair round — lives here, so it is testable without VS Code.
//
// The model is asked for strict JSON per class (semantic-prior.md §2):
//   {"<class>": {"hands":1|2, "plane":"horizontal"|"vertical"|"frontal", "path":"line"|"arc"|"circle"|"polyline",
//                "strokes":int, "closed":bool, "mainAxis":"toward-away"|"left-right"|"up-down"|"mixed",
//                "description":"<= 30 words"}}
// Each class then gets two new prompts: the free description and an attribute sentence in the same template as
// the built-in prompts ("one hand, horizontal plane, circle, one stroke, closed shape"), so word-vector providers
// see kinematic words rather than the model's style.
import { SemanticError } from './errors';
import type { GestureDescriptionProvider, GestureDescriptions, GestureToDescribe } from './provider';

export type ChatFunction = (prompt: string, signal?: AbortSignal) => Promise<string>;

export interface GestureAttributes {
  hands: 1 | 2;
  plane: 'horizontal' | 'vertical' | 'frontal';
  path: 'line' | 'arc' | 'circle' | 'polyline';
  strokes: number;
  closed: boolean;
  mainAxis: 'toward-away' | 'left-right' | 'up-down' | 'mixed';
  description: string;
}

const PLANES = ['horizontal', 'vertical', 'frontal'];
const PATHS = ['line', 'arc', 'circle', 'polyline'];
const AXES = ['toward-away', 'left-right', 'up-down', 'mixed'];
const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

export function descriptionRequest(gestures: readonly GestureToDescribe[]): string {
  const list = gestures.map(g => `- "${g.className}": ${g.prompts.slice(0, 2).join(' / ')}`).join('\n');
  return [
    'You describe hand and body gestures for a WiFi motion sensor that only measures how fast body parts move toward or away from antennas over time.',
    'For each gesture below, give its kinematics. Answer with ONLY a JSON object, no prose, of the form',
    '{"<gesture name>": {"hands": 1 or 2, "plane": "horizontal"|"vertical"|"frontal", "path": "line"|"arc"|"circle"|"polyline", "strokes": integer, "closed": true|false, "mainAxis": "toward-away"|"left-right"|"up-down"|"mixed", "description": "at most 30 plain words about the motion path"}}',
    'using exactly these gesture names as keys:',
    list,
  ].join('\n');
}

/** Pulls the first JSON object out of a reply (models often wrap it in ``` fences or add a sentence). */
function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const body = fenced ? fenced[1] : text;
  const start = body.indexOf('{'),
    end = body.lastIndexOf('}');
  if (start < 0 || end <= start) throw new Error('no JSON object in the reply');
  return JSON.parse(body.slice(start, end + 1));
}

/** Validates a reply; returns per-class attributes or a list of problems (used for the repair round). */
export function parseDescriptionReply(
  text: string,
  classes: readonly string[],
): { ok: Record<string, GestureAttributes> } | { problems: string[] } {
  let json: unknown;
  try {
    json = extractJson(text);
  } catch (e) {
    return { problems: [`reply is not JSON: ${(e as Error).message}`] };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { problems: ['reply must be a JSON object keyed by gesture name'] };
  const o = json as Record<string, Record<string, unknown>>;
  const problems: string[] = [];
  const ok: Record<string, GestureAttributes> = {};
  for (const c of classes) {
    const a = o[c];
    if (!a || typeof a !== 'object') {
      problems.push(`missing gesture "${c}"`);
      continue;
    }
    const p: string[] = [];
    if (a.hands !== 1 && a.hands !== 2) p.push('hands must be 1 or 2');
    if (!PLANES.includes(a.plane as string)) p.push(`plane must be one of ${PLANES.join('|')}`);
    if (!PATHS.includes(a.path as string)) p.push(`path must be one of ${PATHS.join('|')}`);
    if (!Number.isInteger(a.strokes) || (a.strokes as number) < 0 || (a.strokes as number) > 20) p.push('strokes must be an integer 0..20');
    if (typeof a.closed !== 'boolean') p.push('closed must be true or false');
    if (!AXES.includes(a.mainAxis as string)) p.push(`mainAxis must be one of ${AXES.join('|')}`);
    if (typeof a.description !== 'string' || !a.description.trim() || a.description.split(/\s+/).length > 40)
      p.push('description must be a non-empty string of at most 30 words');
    if (p.length) problems.push(`"${c}": ${p.join('; ')}`);
    else ok[c] = a as unknown as GestureAttributes;
  }
  return problems.length ? { problems } : { ok };
}

/** The attribute sentence in the built-in prompt template. */
export function attributeSentence(a: GestureAttributes): string {
  const strokes = NUMBER_WORDS[a.strokes] ?? 'many';
  const path = a.path === 'polyline' ? 'angular line' : a.path;
  const axis = { 'toward-away': 'toward and away', 'left-right': 'left and right', 'up-down': 'up and down', mixed: 'mixed directions' }[
    a.mainAxis
  ];
  return `${a.hands === 1 ? 'one hand' : 'two hands'}, ${a.plane} plane, ${path} ${axis}, ${strokes} ${a.strokes === 1 ? 'stroke' : 'strokes'}, ${a.closed ? 'closed shape' : 'open path'}`;
}

export class ChatDescriptionProvider implements GestureDescriptionProvider {
  constructor(
    readonly id: string,
    private readonly chat: ChatFunction,
    private readonly model: GestureDescriptions['model'],
  ) {}

  async describe(gestures: readonly GestureToDescribe[], signal?: AbortSignal): Promise<GestureDescriptions> {
    const classes = gestures.map(g => g.className);
    const request = descriptionRequest(gestures);
    const wrap = async (prompt: string): Promise<string> => {
      try {
        return await this.chat(prompt, signal);
      } catch (e) {
        throw new SemanticError('description-provider', `${this.id}: the language model request failed: ${(e as Error).message}`, {
          provider: this.id,
        });
      }
    };
    const first = await wrap(request);
    let parsed = parseDescriptionReply(first, classes);
    const raw: string[] = [first];
    if ('problems' in parsed) {
      // One repair round: show the model its own problems (semantic-prior.md §2: "one repair retry").
      const second = await wrap(
        `${request}\n\nYour previous answer had these problems:\n- ${parsed.problems.join('\n- ')}\nAnswer again with ONLY the corrected JSON object.`,
      );
      raw.push(second);
      parsed = parseDescriptionReply(second, classes);
      if ('problems' in parsed) {
        throw new SemanticError(
          'description-provider',
          `${this.id}: the model's answer is still invalid after one repair: ${parsed.problems.slice(0, 5).join('; ')}`,
          { provider: this.id, problems: parsed.problems },
        );
      }
    }
    const ok = parsed.ok;
    const descriptions = Object.fromEntries(classes.map(c => [c, [ok[c].description.trim(), attributeSentence(ok[c])]]));
    return { descriptions, model: this.model, raw };
  }
}
