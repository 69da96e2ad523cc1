import * as assert from 'node:assert/strict';
import type { RunMetrics } from '../../../src/core/experiment/runner';
import type { ComparisonView } from '../../../src/shared/experimentView';
import { agreementOf, comparison, modelSummary, pca2, stepView } from '../../../src/worker/tasks/experimentViews';

// A run store entry written by hand (independent of the runner): 3 classes, two models, one domain factor.
function metrics(id = 'r1'): RunMetrics {
  const ev = (acc: number, params: number, conf: number[][]) => ({
    n: 6,
    accuracy: acc,
    macroF1: acc - 0.05,
    perClassF1: [1, 0.5, null],
    confusion: conf,
    perDomain: { user: { '1': { n: 3, accuracy: acc + 0.1 }, '2': { n: 3, accuracy: acc - 0.1 } } },
    latencyMs: params / 1e5,
    params,
    flops: params * 10,
    sizeBytes: params * 4,
  });
  return {
    id,
    name: 'x',
    status: 'done',
    chance: 1 / 3,
    split: { name: 'random', description: 'random split', train: 10, val: 2, test: 6 },
    steps: [
      {
        id: 'data',
        type: 'dataset',
        hash: 'h0',
        seconds: 0.1,
        reused: false,
        info: { classes: ['push', 'sweep', 'clap'], layout: 'simulator', samples: 18 },
      },
      {
        id: 'teacher',
        type: 'teacher',
        hash: 'h1',
        seconds: 3,
        reused: true,
        info: {
          kind: 'teacher',
          params: 200000,
          flops: 2e6,
          history: [
            { epoch: 1, loss: 2, acc: 0.3, lr: 1e-3, seconds: 1, parts: {} },
            { epoch: 2, loss: 1, acc: 0.6, lr: 5e-4, seconds: 1, parts: {} },
          ],
        },
      },
    ],
    evaluations: {
      teacher: ev(0.5, 200000, [
        [2, 0, 0],
        [1, 1, 0],
        [0, 2, 0],
      ]),
      student: ev(1 / 3, 20000, [
        [2, 0, 0],
        [0, 0, 2],
        [1, 1, 0],
      ]),
    },
    table: [],
  };
}

describe('experiment views (run store → workbench)', () => {
  it('the comparison carries exactly the run store numbers of both models', () => {
    const m = metrics();
    const v = comparison(m, 'teacher', m, 'student');
    assert.ok(typeof v !== 'string');
    const cv: ComparisonView = v;
    for (const [side, k] of [
      ['a', 'teacher'],
      ['b', 'student'],
    ] as const) {
      const e = m.evaluations[k];
      const s = cv[side];
      assert.equal(s.name, k);
      assert.equal(s.params, e.params);
      assert.equal(s.flops, e.flops);
      assert.equal(s.sizeBytes, e.sizeBytes);
      assert.equal(s.latencyMs, e.latencyMs);
      assert.equal(s.macroF1, e.macroF1);
      assert.deepEqual(Object.values(s.accuracy), [e.accuracy]);
      assert.deepEqual(s.confusion?.matrix, e.confusion);
      assert.deepEqual(s.confusion?.labels, ['push', 'sweep', 'clap']);
      assert.equal(s.perDomain.user['2'], e.perDomain.user['2'].accuracy);
    }
    assert.equal(v.agreement, null, 'no per-sample predictions in the store: agreement is unknown, not guessed');
  });

  it('names the missing model when a run did not evaluate it', () => {
    const m = metrics();
    assert.match(comparison(m, 'teacher', m, 'baseline') as string, /no evaluation of "baseline" \(evaluated: teacher, student\)/);
    assert.equal(modelSummary(m, 'nope'), undefined);
  });

  it('agreement is the fraction of identical predictions', () => {
    assert.equal(agreementOf([0, 1, 2, 2], [0, 1, 1, 2]), 0.75);
    assert.equal(agreementOf([0, 1], [0]), null);
    assert.equal(agreementOf(undefined, [0]), null);
  });

  it('a trained step shows its loss/accuracy/lr curves per epoch and says when it was reused', () => {
    const m = metrics();
    const v = stepView(m, '/runs/r1', m.steps[1]);
    assert.equal(v.reused, true);
    assert.match(v.summary, /200000 parameters.*reused from cache/);
    assert.deepEqual(v.curves?.[0].x, [1, 2]);
    assert.deepEqual(
      v.curves?.[0].series.map(s => s.y),
      [
        [2, 1],
        [0.3, 0.6],
      ],
    );
    assert.deepEqual(v.curves?.[1].series[0].y, [1e-3, 5e-4]);
  });

  it("a dataset or features step ends its summary with the split's warnings and the runner's notes", () => {
    const m = metrics();
    const data = { ...m.steps[0], info: { ...m.steps[0].info, warnings: ['class "clap" has no training sample'] } };
    assert.match(stepView(m, '/runs/r1', data).summary, /random split Note: class "clap" has no training sample\.$/);
    const feat = {
      id: 'features',
      type: 'features' as const,
      hash: 'h2',
      seconds: 1,
      reused: false,
      info: { samples: 18, F1: 120, F2: 30, skippedCount: 0, notes: ['leaving a user out with the amplitude level'] },
    };
    assert.equal(
      stepView(m, '/runs/r1', feat).summary,
      '18 samples → phase 120 + Doppler 30 features per step; 0 skipped Note: leaving a user out with the amplitude level.',
    );
    assert.equal(stepView(m, '/runs/r1', m.steps[0]).summary.includes('Note'), false, 'no warnings: nothing added');
  });

  it('an evaluate step tabulates every model with accuracy in percent and one confusion matrix each', () => {
    const m = metrics();
    const v = stepView(m, '/runs/r1', { id: 'ev', type: 'evaluate', hash: 'h', seconds: 1, reused: false, info: {} });
    const rows = v.tables![0].rows;
    assert.deepEqual(
      rows.map(r => r[0]),
      ['teacher', 'student'],
    );
    assert.equal(rows[0][1], 50);
    assert.equal(rows[1][1], 33.3);
    assert.equal(v.confusions!.length, 2);
    assert.deepEqual(v.perDomain![0].values, ['1', '2']);
    assert.match(v.summary, /chance 33\.3 %/);
  });

  it('PCA keeps the geometry of points that already lie in a plane (distances preserved)', () => {
    // Points in a 2-D plane embedded in 5-D by an orthonormal pair: the 2-D projection is an isometry of them.
    const u = [1, 1, 0, 0, 1].map(x => x / Math.sqrt(3)),
      w = [0, 0, 1, -1, 0].map(x => x / Math.sqrt(2));
    const pts = [
      [0, 0],
      [3, 1],
      [-1, 2],
      [2, -2],
    ];
    const rows = pts.map(([a, b]) => u.map((x, j) => a * x + b * w[j] + 7));
    const p = pca2(rows);
    for (let i = 0; i < pts.length; i++)
      for (let j = 0; j < i; j++) {
        const d0 = Math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1]),
          d1 = Math.hypot(p[i][0] - p[j][0], p[i][1] - p[j][1]);
        assert.ok(Math.abs(d0 - d1) < 1e-6, `pair ${i},${j}: ${d0} vs ${d1}`);
      }
  });

  it('a prior step shows the similarity matrix and a 2-D projection of the class embeddings', () => {
    const m = metrics();
    const v = stepView(
      m,
      '/r',
      { id: 'prior', type: 'prior', hash: 'h', seconds: 0, reused: false, info: { classes: ['a', 'b', 'c'], provider: 'glove', dims: 3 } },
      {
        similarity: [
          [1, 0.5, 0],
          [0.5, 1, 0],
          [0, 0, 1],
        ],
        embeddings: [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
      },
    );
    assert.deepEqual(v.confusions![0].matrix[0], [1, 0.5, 0]);
    assert.deepEqual(
      v.embeddings![0].points.map(p => p.label),
      ['a', 'b', 'c'],
    );
  });
});
