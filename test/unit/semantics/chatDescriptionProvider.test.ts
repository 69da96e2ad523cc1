import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { attributeSentence, ChatDescriptionProvider, parseDescriptionReply } from '../../../src/core/semantics/chatDescriptionProvider';
import { resolvePrompts } from '../../../src/core/semantics/classPrompts';
import { SemanticError } from '../../../src/core/semantics/errors';
import { defaultGloveProvider } from '../../../src/core/semantics/gloveProvider';
import { buildSemanticPrior } from '../../../src/core/semantics/prior';
import { readSemanticPrior, writeSemanticPrior } from '../../../src/core/semantics/priorFile';

const good = {
  Clap: {
    hands: 2,
    plane: 'horizontal',
    path: 'line',
    strokes: 2,
    closed: false,
    mainAxis: 'left-right',
    description: 'both palms move together and meet in front of the chest',
  },
  'Draw-O(H)': {
    hands: 1,
    plane: 'horizontal',
    path: 'circle',
    strokes: 1,
    closed: true,
    mainAxis: 'mixed',
    description: 'one hand traces a flat circle',
  },
};

describe('semantics/chatDescriptionProvider', () => {
  it('parses fenced JSON and builds the attribute sentence in the prompt template', () => {
    const r = parseDescriptionReply('Sure!\n```json\n' + JSON.stringify(good) + '\n```', ['Clap', 'Draw-O(H)']);
    assert.ok('ok' in r);
    assert.equal(attributeSentence(r.ok['Draw-O(H)']), 'one hand, horizontal plane, circle mixed directions, one stroke, closed shape');
    assert.equal(attributeSentence(r.ok.Clap), 'two hands, horizontal plane, line left and right, two strokes, open path');
  });

  it('lists every problem of an invalid reply', () => {
    const r = parseDescriptionReply(JSON.stringify({ Clap: { ...good.Clap, hands: 3, plane: 'diagonal' } }), ['Clap', 'Sweep']);
    assert.ok('problems' in r);
    assert.deepEqual(r.problems, [
      '"Clap": hands must be 1 or 2; plane must be one of horizontal|vertical|frontal',
      'missing gesture "Sweep"',
    ]);
    assert.ok('problems' in parseDescriptionReply('I cannot help with that.', ['Clap']));
  });

  it('one repair round: the second request quotes the problems; the prior records the model', async () => {
    const prompts: string[] = [];
    const replies = ['{"Clap": {"hands": 2}}', JSON.stringify(good)];
    const p = new ChatDescriptionProvider(
      'vscode-lm',
      async q => {
        prompts.push(q);
        return replies.shift()!;
      },
      { vendor: 'copilot', family: 'gpt-x', id: 'm1' },
    );
    const classes = ['Clap', 'Draw-O(H)'];
    const d = await p.describe(classes.map(c => ({ className: c, prompts: ['x'] })));
    assert.equal(prompts.length, 2);
    assert.match(prompts[0], /"Clap"/);
    assert.match(prompts[1], /previous answer had these problems:[\s\S]*missing gesture "Draw-O\(H\)"/);
    assert.deepEqual(d.descriptions.Clap, [
      good.Clap.description,
      'two hands, horizontal plane, line left and right, two strokes, open path',
    ]);
    // Feed it into a prior with a third class (centring needs ≥ 2; use 3 for a non-trivial matrix).
    const all = ['Clap', 'Draw-O(H)', 'Sweep'];
    const g = { ...good, Sweep: { ...good.Clap, hands: 1, path: 'arc', strokes: 1, description: 'the hand swings across the body' } };
    const lm = new ChatDescriptionProvider('vscode-lm', async () => JSON.stringify(g), { vendor: 'v', family: 'f', id: 'i' });
    const prior = await buildSemanticPrior({
      classes: all,
      prompts: resolvePrompts(all),
      provider: defaultGloveProvider({ oov: 'skip' }),
      describer: lm,
    });
    assert.equal(prior.prompts[0].length, 5);
    assert.equal(prior.provenance.descriptions?.provider, 'vscode-lm');
  });

  it('fails with a typed error after a second invalid answer or a chat failure', async () => {
    const bad = new ChatDescriptionProvider('lm', async () => 'nope', { vendor: '', family: '', id: '' });
    await assert.rejects(
      bad.describe([{ className: 'Clap', prompts: [] }]),
      (e: unknown) => e instanceof SemanticError && e.code === 'description-provider' && /after one repair/.test(e.message),
    );
    const down = new ChatDescriptionProvider(
      'lm',
      async () => {
        throw new Error('NoPermissions');
      },
      { vendor: '', family: '', id: '' },
    );
    await assert.rejects(down.describe([{ className: 'Clap', prompts: [] }]), /request failed: NoPermissions/);
  });
});

describe('semantics/priorFile', () => {
  it('writes atomically and reads back a validated, hash-identical prior', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prior-'));
    try {
      const classes = ['Push&Pull', 'Sweep', 'Clap', 'Slide'];
      const p = await buildSemanticPrior({ classes, prompts: resolvePrompts(classes), provider: defaultGloveProvider() });
      const f = path.join(dir, 'sub', 'prior.json');
      await writeSemanticPrior(f, p);
      assert.deepEqual(fs.readdirSync(path.dirname(f)), ['prior.json']);
      const back = await readSemanticPrior(f);
      assert.equal(back.sha256, p.sha256);
      assert.deepEqual(back.similarity, p.similarity);
      fs.writeFileSync(f, '{"version": 1');
      await assert.rejects(
        readSemanticPrior(f),
        (e: unknown) => e instanceof SemanticError && e.code === 'bad-prior' && e.message.startsWith(f),
      );
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});
