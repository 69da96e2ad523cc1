import * as assert from 'node:assert/strict';
import { resolvePrompts } from '../../../src/core/semantics/classPrompts';
import { SemanticError } from '../../../src/core/semantics/errors';
import { parseUserGestures } from '../../../src/core/semantics/userGestures';

const isSettingsError =
  (re: RegExp) =>
  (e: unknown): boolean =>
    e instanceof SemanticError && e.code === 'bad-settings' && re.test(e.message);

describe('semantics/userGestures', () => {
  const ok = JSON.stringify({
    version: 1,
    gestures: [{ name: 'knock', prompts: ['a person knocks on a door', ' the fist taps forward twice '] }],
  });

  it('parses a valid settings file and trims prompts', () => {
    const s = parseUserGestures(ok, 'g.json');
    assert.deepEqual(s.gestures, [{ name: 'knock', prompts: ['a person knocks on a door', 'the fist taps forward twice'] }]);
  });

  it('user gestures take precedence over built-ins and add new classes', () => {
    const user = parseUserGestures(
      JSON.stringify({
        version: 1,
        gestures: [
          { name: 'Clap', prompts: ['loud clap'] },
          { name: 'knock', prompts: ['knock knock'] },
        ],
      }),
      'g.json',
    );
    const p = resolvePrompts(['Clap', 'knock', 'Sweep'], { user });
    assert.deepEqual(p.Clap, ['loud clap']);
    assert.deepEqual(p.knock, ['knock knock']);
    assert.equal(p.Sweep.length, 3);
    assert.throws(
      () => resolvePrompts(['wobble'], { user }),
      (e: unknown) => e instanceof SemanticError && /"wobble".*g\.json/.test(e.message),
    );
  });

  it('schema errors name the file, the JSON path and what was expected', () => {
    const cases: [unknown, RegExp][] = [
      [[], /g\.json: at \$: expected an object/],
      [{ version: 2, gestures: [] }, /at \$\.version: expected 1, found 2/],
      [{ version: 1 }, /at \$\.gestures: expected an array/],
      [{ version: 1, gestures: [], extra: 1 }, /at \$\.extra/],
      [{ version: 1, gestures: [{ name: '', prompts: ['x'] }] }, /at gestures\[0\]\.name: expected a non-empty string/],
      [{ version: 1, gestures: [{ name: 'a', prompts: [] }] }, /at gestures\[0\]\.prompts: expected an array of 1 to 32/],
      [
        { version: 1, gestures: [{ name: 'a', prompts: ['ok', 3] }] },
        /at gestures\[0\]\.prompts\[1\]: expected a non-empty string.*found 3/,
      ],
      [
        {
          version: 1,
          gestures: [
            { name: 'a', prompts: ['x'] },
            { name: 'a', prompts: ['y'] },
          ],
        },
        /at gestures\[1\]\.name: expected a name not used/,
      ],
      [{ version: 1, gestures: [{ name: 'a', prompt: ['x'] }] }, /at gestures\[0\]\.prompt: expected only "name" and "prompts"/],
    ];
    for (const [json, re] of cases) assert.throws(() => parseUserGestures(JSON.stringify(json), 'g.json'), isSettingsError(re), String(re));
  });

  it('JSON syntax errors give byte offset, line and column', () => {
    // Byte offset of the stray '}' : line 2 starts after '{\n' (2 bytes) + '  "version": 1,' (15) + '\n' → offset 18
    // is the start of line 3 ('}'), where a property name was expected after the trailing comma.
    const text = '{\n  "version": 1,\n}';
    assert.throws(() => parseUserGestures(text, 'g.json'), isSettingsError(/g\.json: invalid JSON at byte offset 18 \(line 3, column 1\)/));
  });
});
