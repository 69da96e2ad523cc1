// An evaluate step with an empty test split is refused with a message that says so, instead of reporting 0 %
// (issue 27).
import * as assert from 'node:assert/strict';
import { ExperimentError } from '../../../src/core/experiment/errors';
import { evaluateStep } from '../../../src/core/experiment/steps/evaluate';
import type { StepContext } from '../../../src/core/experiment/steps/types';

describe('experiment: evaluate with no test samples', () => {
  it('refuses with "no test samples", naming the model', async () => {
    const ctx = {
      models: new Map([['teacher', { net: { shape: { timeSteps: 8 } } }]]),
      features: new Map([['features', { data: { T: 8, domains: [] }, test: [] }]]),
    } as unknown as StepContext;
    await assert.rejects(
      evaluateStep(ctx, { id: 'evaluate', type: 'evaluate' } as Parameters<typeof evaluateStep>[1]),
      (e: unknown) => e instanceof ExperimentError && e.code === 'bad-spec' && /no test samples for "teacher"/.test(e.message),
    );
  });
});
