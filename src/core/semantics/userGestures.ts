// User gestures beyond the built-in ones: a JSON settings file giving each class its prompts.
//
//   { "version": 1,
//     "gestures": [ { "name": "knock", "prompts": ["a person knocks on a door", "the fist taps forward twice …"] } ] }
//
// Validated by hand against this schema (the project has no JSON-schema dependency and the schema is tiny);
// every error names the file, the JSON path (e.g. gestures[2].prompts[0]) and what was expected; JSON syntax errors
// also give the byte offset, line and column.
import { SemanticError } from './errors';

export interface UserGesture {
  name: string;
  prompts: string[];
}

export interface UserGestureSettings {
  file: string;
  version: 1;
  gestures: UserGesture[];
}

export const USER_GESTURE_LIMITS = { maxGestures: 1000, maxPrompts: 32, maxNameLength: 100, maxPromptLength: 1000 };

/** JSON Schema (draft-07) equivalent of the checks below, for editors (`json.schemas` contribution). */
export const USER_GESTURE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'gestures'],
  properties: {
    version: { const: 1 },
    gestures: {
      type: 'array',
      maxItems: USER_GESTURE_LIMITS.maxGestures,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'prompts'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: USER_GESTURE_LIMITS.maxNameLength },
          prompts: {
            type: 'array',
            minItems: 1,
            maxItems: USER_GESTURE_LIMITS.maxPrompts,
            items: { type: 'string', minLength: 1, maxLength: USER_GESTURE_LIMITS.maxPromptLength },
          },
        },
      },
    },
  },
} as const;

function fail(file: string, path: string, expected: string, found: unknown): never {
  const f = found === undefined ? 'nothing' : JSON.stringify(found)?.slice(0, 80);
  throw new SemanticError('bad-settings', `${file}: at ${path}: expected ${expected}, found ${f}`, { file, path, expected });
}

/** Parses and validates a settings file's text. */
export function parseUserGestures(text: string, file: string): UserGestureSettings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    if (m) {
      const pos = Number(m[1]);
      const before = text.slice(0, pos);
      const line = before.split('\n').length,
        col = pos - before.lastIndexOf('\n');
      const offset = Buffer.byteLength(before, 'utf8');
      throw new SemanticError('bad-settings', `${file}: invalid JSON at byte offset ${offset} (line ${line}, column ${col}): ${msg}`, {
        file,
        offset,
        line,
        column: col,
      });
    }
    throw new SemanticError('bad-settings', `${file}: invalid JSON: ${msg}`, { file });
  }
  return validateUserGestures(json, file);
}

export function validateUserGestures(json: unknown, file: string): UserGestureSettings {
  const L = USER_GESTURE_LIMITS;
  if (!json || typeof json !== 'object' || Array.isArray(json)) fail(file, '$', 'an object {"version":1,"gestures":[…]}', json);
  const o = json as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (k !== 'version' && k !== 'gestures') fail(file, `$.${k}`, 'no other keys than "version" and "gestures"', k);
  if (o.version !== 1) fail(file, '$.version', '1', o.version);
  if (!Array.isArray(o.gestures)) fail(file, '$.gestures', 'an array', o.gestures);
  const list = o.gestures as unknown[];
  if (list.length > L.maxGestures) fail(file, '$.gestures', `at most ${L.maxGestures} gestures`, list.length);
  const seen = new Set<string>();
  const gestures = list.map((g, i): UserGesture => {
    const p = `gestures[${i}]`;
    if (!g || typeof g !== 'object' || Array.isArray(g)) fail(file, p, 'an object {"name", "prompts"}', g);
    const r = g as Record<string, unknown>;
    for (const k of Object.keys(r)) if (k !== 'name' && k !== 'prompts') fail(file, `${p}.${k}`, 'only "name" and "prompts"', k);
    if (typeof r.name !== 'string' || !r.name.trim() || r.name.length > L.maxNameLength)
      fail(file, `${p}.name`, `a non-empty string of at most ${L.maxNameLength} characters`, r.name);
    const name = (r.name as string).trim();
    if (seen.has(name)) fail(file, `${p}.name`, 'a name not used by an earlier gesture', name);
    seen.add(name);
    if (!Array.isArray(r.prompts) || r.prompts.length < 1 || r.prompts.length > L.maxPrompts)
      fail(file, `${p}.prompts`, `an array of 1 to ${L.maxPrompts} strings`, r.prompts);
    const prompts = (r.prompts as unknown[]).map((s, k) => {
      if (typeof s !== 'string' || !s.trim() || s.length > L.maxPromptLength)
        fail(file, `${p}.prompts[${k}]`, `a non-empty string of at most ${L.maxPromptLength} characters`, s);
      return (s as string).trim();
    });
    return { name, prompts };
  });
  return { file, version: 1, gestures };
}
