// What the notebook shows of a run is the run store's numbers and the steps' own settings (issue 23, item 7):
// the compare table's latency is the evaluate table's, a teacher restored from the cache is shown with the epochs it
// was trained (not "0"), the student's objective is worked out from its settings (no KL term when kdWeight is 0),
// and model steps carry validation loss/accuracy per epoch for the training curves (item 8).
import { strict as assert } from 'node:assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { runExperiment, type RunMetrics } from '../../../src/core/experiment/runner';
import type { EpochStats } from '../../../src/core/model/train/train';
import { modelSummary, stepView } from '../../../src/worker/tasks/experimentViews';
import { labeled } from '../../helpers/paths';

const tiny = { kernels: [3, 5], branchFilters: 4, dModel: 8, heads: 2, ffn: 8, blocks: 1 };
const spec = (student: Record<string, unknown>) => ({
  name: 'views',
  seed: 5,
  steps: [
    { id: 'data', type: 'dataset', folder: labeled('wiar'), limit: 48, split: { protocol: 'random', val: 0.3, test: 0.3 } },
    { id: 'features', type: 'features', timeSteps: 16, dopplerBands: 8, phaseSubcarrierStride: 10 },
    { id: 'prior', type: 'prior' },
    { id: 'teacher', type: 'teacher', ...tiny, train: { epochs: 2, batchSize: 8, learningRate: 0.003 } },
    { id: 'student', type: 'student', filters: [4, 6], kernels: [3, 3], train: { epochs: 2, batchSize: 8 }, ...student },
    { id: 'eval', type: 'evaluate', latencyRepeats: 2 },
    { id: 'compare', type: 'compare' },
  ],
});
const view = (m: RunMetrics, dir: string, id: string) =>
  stepView(
    m,
    dir,
    m.steps.find(s => s.id === id)!,
  );

describe('experiment: what the notebook shows of a run', function () {
  this.timeout(120_000);
  let ws: string;
  before(async () => {
    await tf.setBackend('cpu');
    ws = await fs.mkdtemp(path.join(os.tmpdir(), 'glsda-views-'));
  });
  after(async () => {
    await fs.rm(ws, { recursive: true, force: true });
  });

  it('numbers from the run store, epochs trained, objectives from the settings, validation curves', async () => {
    const r1 = await runExperiment(spec({ kdWeight: 0 }), { workspace: ws, tf, runId: 'v1' });
    assert.equal(r1.metrics.status, 'done', r1.metrics.error);
    const stored = JSON.parse(await fs.readFile(path.join(r1.dir, 'metrics.json'), 'utf8')) as RunMetrics;
    const ev = view(stored, r1.dir, 'eval').tables![0],
      cmp = view(stored, r1.dir, 'compare').tables![0];
    const col = (t: typeof ev, name: string, model: string) => t.rows.find(r => r[0] === model)![t.columns.indexOf(name)];
    for (const model of ['teacher', 'student']) {
      assert.equal(col(cmp, 'latency ms', model), col(ev, 'latency ms', model), `${model}: one latency`);
      assert.equal(col(cmp, 'latency ms', model), Number(stored.evaluations[model].latencyMs.toFixed(2)));
      assert.equal(col(cmp, 'accuracy %', model), col(ev, 'accuracy %', model));
    }
    const student = view(stored, r1.dir, 'student');
    assert.doesNotMatch(student.summary, /KL/, `kdWeight 0: no KL term in "${student.summary}"`);
    assert.match(student.summary, /feature matching to the teacher \(weight 1\)/);
    assert.match(view(stored, r1.dir, 'teacher').summary, /semantic soft labels/);
    // Validation after every epoch, kept in the history and drawn as curves.
    assert.ok(stored.split!.val > 0, 'the split has validation samples');
    const h = stored.steps.find(s => s.id === 'teacher')!.info.history as EpochStats[];
    assert.equal(h.length, 2);
    for (const e of h)
      assert.ok(e.val && e.val.acc >= 0 && e.val.acc <= 1 && Number.isFinite(e.val.loss), 'val loss and accuracy per epoch');
    const names = view(stored, r1.dir, 'teacher').curves![0].series.map(s => s.name);
    assert.deepEqual(names, ['loss', 'train accuracy', 'val loss', 'val accuracy']);

    // The student with a KL term: the teacher is restored (0 epochs this run), shown with the 2 epochs it trained.
    const r2 = await runExperiment(spec({ kdWeight: 0.5, temperature: 2 }), { workspace: ws, tf, runId: 'v2' });
    assert.equal(r2.metrics.steps.find(s => s.id === 'teacher')!.reused, true);
    const cmp2 = view(r2.metrics, r2.dir, 'compare').tables![0];
    assert.equal(col(cmp2, 'epochs trained', 'teacher'), 2, 'a restored teacher was trained 2 epochs');
    assert.equal(col(cmp2, 'this run', 'teacher'), 'reused from cache');
    assert.equal(modelSummary(r2.metrics, 'teacher')!.epochs, 2);
    assert.match(view(r2.metrics, r2.dir, 'student').summary, /KL to the teacher's outputs softened at T = 2 \(weight 0\.5\)/);
  });
});
