// The runner end to end on a small slice of the real WiAR recordings (cpu backend, tiny models, few epochs):
// run store layout, metrics, export, TensorBoard files; a changed student step reuses the teacher (0 epochs);
// a cancelled run resumes from its last checkpoint.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { ExperimentError } from '../../../src/core/experiment/errors';
import { readPredictions } from '../../../src/core/experiment/predictions';
import { AMPLITUDE_ACROSS_DOMAINS_NOTE, runExperiment, type RunEvent, type RunMetrics } from '../../../src/core/experiment/runner';
import { readTfRecords } from '../../../src/core/experiment/tfevents';
import { DEFAULT_TEACHER } from '../../../src/core/model/nets/teacher';
import { priorContentHash, type SemanticPrior } from '../../../src/core/semantics/prior';
import { labeled } from '../../helpers/paths';

const tiny = { kernels: [3, 5], branchFilters: 4, dModel: 8, heads: 2, ffn: 8, blocks: 1 };
function spec(studentEpochs: number, teacherEpochs = 2) {
  return {
    name: 'tiny',
    seed: 3,
    steps: [
      { id: 'data', type: 'dataset', folder: labeled('wiar'), limit: 32, split: { protocol: 'leave-out', factor: 'user', heldOut: ['9'] } },
      { id: 'features', type: 'features', timeSteps: 16, dopplerBands: 8, phaseSubcarrierStride: 10 },
      { id: 'prior', type: 'prior' },
      { id: 'teacher', type: 'teacher', ...tiny, train: { epochs: teacherEpochs, batchSize: 8, learningRate: 0.003 } },
      { id: 'student', type: 'student', filters: [4, 6], kernels: [3, 3], train: { epochs: studentEpochs, batchSize: 8 } },
      { id: 'eval', type: 'evaluate', factors: ['user'], latencyRepeats: 2 },
      { id: 'compare', type: 'compare' },
    ],
  };
}

describe('experiment: runner', function () {
  this.timeout(120_000);
  let ws: string;
  before(async () => {
    await tf.setBackend('cpu');
    ws = await fs.mkdtemp(path.join(os.tmpdir(), 'glsda-ws-'));
  });
  after(async () => {
    await fs.rm(ws, { recursive: true, force: true });
  });

  it('runs every step, writes the run store, and reuses the teacher when only the student changes', async () => {
    const r1 = await runExperiment(spec(1), { workspace: ws, tf, runId: 'r1' });
    assert.equal(r1.metrics.status, 'done');
    assert.deepEqual(
      r1.metrics.table.map(r => r.model),
      ['teacher', 'student'],
    );
    for (const row of r1.metrics.table)
      assert.ok(row.accuracy >= 0 && row.accuracy <= 1 && row.params > 0 && row.flops > 0 && row.latencyMs > 0);
    assert.ok(r1.metrics.split!.test > 0 && r1.metrics.split!.train > 0);
    assert.equal(r1.metrics.chance, 1 / 16);
    for (const f of [
      'spec.json',
      'metrics.json',
      'environment.json',
      'artifacts/student/model.json',
      'artifacts/student/weights.bin',
      'artifacts/prior.prior.json',
      'checkpoints/teacher.json',
    ]) {
      await fs.access(path.join(r1.dir, f));
    }
    const onDisk = JSON.parse(await fs.readFile(path.join(r1.dir, 'metrics.json'), 'utf8'));
    assert.deepEqual(onDisk.table, JSON.parse(JSON.stringify(r1.metrics.table)));
    const tb = (await fs.readdir(path.join(r1.dir, 'tb', 'teacher')))[0];
    assert.equal(readTfRecords(await fs.readFile(path.join(r1.dir, 'tb', 'teacher', tb))).error, undefined);

    const events: RunEvent[] = [];
    const r2 = await runExperiment(spec(2), { workspace: ws, tf, runId: 'r2', onEvent: e => events.push(e) });
    // Leaving a volunteer out with the amplitude level in the features: the runner says so, once, from the features step.
    const notes = events.filter(e => e.kind === 'log' && e.message === AMPLITUDE_ACROSS_DOMAINS_NOTE('user'));
    assert.deepEqual(
      notes.map(e => e.step),
      ['features'],
    );
    const t = r2.metrics.steps.find(s => s.id === 'teacher')!,
      s = r2.metrics.steps.find(x => x.id === 'student')!;
    assert.equal(t.reused, true, 'teacher restored from its cached final checkpoint');
    assert.equal(events.filter(e => e.kind === 'train' && e.step === 'teacher').length, 0);
    assert.equal(s.reused, false);
    assert.equal(r2.metrics.table.find(x => x.model === 'teacher')!.accuracy, r1.metrics.table.find(x => x.model === 'teacher')!.accuracy);

    // The cache follows the network a step resolves to, not how the spec spells it: the teacher's defaults written
    // out are the same teacher; a different Doppler stem is a different one (and must not load the old checkpoint).
    const withTeacher = (extra: Record<string, unknown>) => {
      const sp = spec(2);
      sp.steps = sp.steps.map(st => (st.id === 'teacher' ? { ...st, ...extra } : st));
      return sp;
    };
    const r3 = await runExperiment(
      withTeacher({
        dopplerStem: DEFAULT_TEACHER.dopplerStem,
        stride: DEFAULT_TEACHER.stride,
        semantic: true,
        augment: { stretch: 0, gain: 0 },
      }),
      { workspace: ws, tf, runId: 'r3' },
    );
    assert.equal(
      r3.metrics.steps.find(x => x.id === 'teacher')!.reused,
      true,
      'defaults (and an augmentation of zeros) spelled out: same teacher',
    );
    assert.equal(r3.metrics.steps.find(x => x.id === 'student')!.reused, true, 'and so the same student');
    const r4 = await runExperiment(withTeacher({ dopplerStem: [2] }), { workspace: ws, tf, runId: 'r4' });
    assert.equal(r4.metrics.status, 'done', r4.metrics.error);
    assert.equal(r4.metrics.steps.find(x => x.id === 'teacher')!.reused, false, 'another stem: another teacher');
    // An augmented student is another student of the same teacher (run online on the warped inputs).
    const sp5 = spec(2);
    sp5.steps = sp5.steps.map(st => (st.id === 'student' ? { ...st, augment: { stretch: 0.2, shift: 0.1, gain: 0.2 } } : st));
    const r5 = await runExperiment(sp5, { workspace: ws, tf, runId: 'r5' });
    assert.equal(r5.metrics.status, 'done', r5.metrics.error);
    assert.equal(r5.metrics.steps.find(x => x.id === 'teacher')!.reused, true);
    assert.equal(r5.metrics.steps.find(x => x.id === 'student')!.reused, false, 'augmentation on: another student');
  });

  it('model steps are paired: a distilled student with every teacher term off trains exactly as the CE baseline', async () => {
    // Same architecture, same run seed → same initial weights and batches whatever the steps' positions; with the KD,
    // feature and mixup terms off the two objectives are the same, so the two models must agree to the last bit.
    const base = spec(2);
    const paired = {
      ...base,
      steps: [
        ...base.steps.slice(0, 4),
        { id: 'ce', type: 'student', mode: 'ce', filters: [4, 6], kernels: [3, 3], train: { epochs: 2, batchSize: 8 } },
        { id: 'other', type: 'student', mode: 'ce', filters: [4, 8], kernels: [3, 3], train: { epochs: 1, batchSize: 8 } },
        {
          id: 'distilled-off',
          type: 'student',
          mode: 'distill',
          kdWeight: 0,
          featWeight: 0,
          mixup: 0,
          filters: [4, 6],
          kernels: [3, 3],
          train: { epochs: 2, batchSize: 8 },
        },
        { id: 'eval', type: 'evaluate', factors: ['user'], latencyRepeats: 1 },
      ],
    };
    const r = await runExperiment(paired, { workspace: ws, tf, runId: 'paired' });
    const ce = (await readPredictions(r.dir, 'ce'))!,
      d = (await readPredictions(r.dir, 'distilled-off'))!;
    assert.ok(ce.length > 0);
    assert.deepEqual(
      d.map(x => [x.pred, x.topProb]),
      ce.map(x => [x.pred, x.topProb]),
    );
    const hist = (id: string) => r.metrics.steps.find(x => x.id === id)!.info.history as { loss: number }[];
    assert.deepEqual(
      hist('distilled-off').map(h => h.loss),
      hist('ce').map(h => h.loss),
    );
  });

  it('stores per-sample test predictions that reproduce the stored confusion matrix and accuracy', async () => {
    const dir = path.join(ws, '.csi-workbench', 'runs', 'r1');
    const m = JSON.parse(await fs.readFile(path.join(dir, 'metrics.json'), 'utf8')) as RunMetrics;
    const classes = m.steps.find(s => s.type === 'dataset')!.info.classes as string[];
    for (const model of ['teacher', 'student']) {
      const rows = (await readPredictions(dir, model))!;
      assert.ok(rows, `${model} predictions stored`);
      assert.equal(rows.length, m.split!.test, 'one row per test sample');
      assert.equal(new Set(rows.map(r => r.id)).size, rows.length, 'sample ids are unique');
      for (const r of rows)
        assert.ok(r.topProb >= 1 / classes.length - 1e-6 && r.topProb <= 1, `${r.topProb} is a top-1 softmax probability`);
      const confusion = classes.map(() => classes.map(() => 0));
      for (const r of rows) confusion[classes.indexOf(r.truth)][classes.indexOf(r.pred)]++;
      assert.deepEqual(confusion, m.evaluations[model].confusion);
      assert.equal(rows.filter(r => r.truth === r.pred).length / rows.length, m.evaluations[model].accuracy);
    }
  });

  it('a cancelled run fails with a typed error and the re-run resumes from the last checkpoint', async () => {
    const ac = new AbortController();
    let epochsSeen = 0;
    await assert.rejects(
      runExperiment(spec(1, 3), {
        workspace: ws,
        tf,
        runId: 'c1',
        signal: ac.signal,
        onEvent: e => {
          if (e.kind === 'train' && e.step === 'teacher' && e.progress.kind === 'epoch' && ++epochsSeen === 1) ac.abort();
        },
      }),
      (e: unknown) => e instanceof ExperimentError && e.code === 'cancelled',
    );
    const m = JSON.parse(await fs.readFile(path.join(ws, '.csi-workbench', 'runs', 'c1', 'metrics.json'), 'utf8'));
    assert.equal(m.status, 'cancelled');
    const events: RunEvent[] = [];
    await runExperiment(spec(1, 3), { workspace: ws, tf, runId: 'c2', onEvent: e => events.push(e) });
    const epochs = events
      .filter((e): e is Extract<RunEvent, { kind: 'train' }> => e.kind === 'train' && e.step === 'teacher' && e.progress.kind === 'epoch')
      .map(e => e.progress.epoch);
    assert.deepEqual(epochs, [2, 3]);
  });

  it('a prior step with "file" trains on that frozen prior, fitted to the dataset\'s classes', async () => {
    // The prior the GloVe step builds, written with its classes reversed and one extra class, as a file from
    // "Build Semantic Prior…" would be; the file step must give back the same prior (same hash) for this dataset.
    const built = await runExperiment({ name: 'p', steps: spec(1).steps.slice(0, 3) }, { workspace: ws, tf, runId: 'prior-built' });
    const made = JSON.parse(await fs.readFile(path.join(built.dir, 'artifacts', 'prior.prior.json'), 'utf8')) as SemanticPrior;
    const order = [...made.classes.keys()].reverse();
    const extra = made.embeddings[0].map((_, k) => (k === 0 ? 1 : 0));
    const body = {
      ...made,
      classes: [...order.map(i => made.classes[i]), 'Juggle'],
      prompts: [...order.map(i => made.prompts[i]), ['juggle three balls']],
      embeddings: [...order.map(i => made.embeddings[i]), extra],
      similarity: [...order.map(i => [...order.map(j => made.similarity[i][j]), 0]), [...order.map(() => 0), 1]],
    } as Omit<SemanticPrior, 'sha256'>;
    const file = path.join(ws, 'reversed.prior.json');
    await fs.writeFile(file, JSON.stringify({ ...body, sha256: priorContentHash(body) }));
    const withFile = (extraSettings: Record<string, unknown>) => ({
      name: 'p',
      steps: [...spec(1).steps.slice(0, 2), { id: 'prior', type: 'prior', file: 'reversed.prior.json', ...extraSettings }],
    });
    const r = await runExperiment(withFile({}), { workspace: ws, tf, runId: 'prior-file', baseDir: ws });
    assert.equal(r.metrics.status, 'done', r.metrics.error);
    const used = JSON.parse(await fs.readFile(path.join(r.dir, 'artifacts', 'prior.prior.json'), 'utf8')) as SemanticPrior;
    assert.deepEqual(used.classes, made.classes);
    assert.deepEqual(used.similarity, made.similarity);
    assert.deepEqual(used.embeddings, made.embeddings);
    // Clear errors: a file that gives the whole prior does not take a provider too; a corrupt file is named.
    await assert.rejects(
      runExperiment(withFile({ promptSets: ['wiar'] }), { workspace: ws, tf, baseDir: ws }),
      /"file" gives the whole prior; remove "promptSets"/,
    );
    await fs.writeFile(path.join(ws, 'bad.prior.json'), JSON.stringify({ ...body, sha256: 'x' }));
    await assert.rejects(
      runExperiment(
        { name: 'p', steps: [...spec(1).steps.slice(0, 2), { id: 'prior', type: 'prior', file: 'bad.prior.json' }] },
        { workspace: ws, tf, baseDir: ws },
      ),
      /bad\.prior\.json: content sha256 .* does not match/,
    );
  });

  it('notes the amplitude level only where a split leaves a domain out and the features keep it', async () => {
    const notes = async (split: Record<string, unknown>, features: Record<string, unknown>, dataset = 'wiar') => {
      const events: RunEvent[] = [];
      const steps = [
        { id: 'data', type: 'dataset', folder: labeled(dataset), limit: dataset === 'wiar' ? 32 : 12, split },
        { id: 'features', type: 'features', timeSteps: 16, dopplerBands: 8, phaseSubcarrierStride: 10, ...features },
      ];
      await runExperiment({ name: 'notes', seed: 3, steps }, { workspace: ws, tf, onEvent: e => events.push(e) });
      return events.filter(e => e.kind === 'log' && /amplitude level/.test(e.message)).length;
    };
    const leaveUser = { protocol: 'leave-out', factor: 'user', heldOut: ['9'] };
    assert.equal(await notes(leaveUser, {}), 1);
    assert.equal(await notes(leaveUser, { inputs: 'doppler' }), 0);
    assert.equal(await notes(leaveUser, { amplitudeMean: 'remove' }), 0);
    // amplitudeGroups 0: no amplitude on WiAR's three antennas; a one-antenna Nexmon receiver (Fition) has no ratio
    // phase, so its path A stays amplitude and the note stays.
    assert.equal(await notes(leaveUser, { amplitudeGroups: 0 }), 0);
    assert.equal(await notes({ protocol: 'leave-out', factor: 'user', heldOut: ['3'] }, { amplitudeGroups: 0 }, 'fition'), 1);
    // Holding repetitions out stays within every volunteer's sessions: nothing to say.
    assert.equal(await notes({ protocol: 'leave-out', factor: 'repetition', heldOut: ['1', '2', '3', '4', '5'] }, {}), 0);
  });

  it('a spec error is typed and names the problem', async () => {
    await assert.rejects(
      runExperiment({ name: 'x', steps: [{ id: 't', type: 'teacher' }] }, { workspace: ws, tf }),
      (e: unknown) => e instanceof ExperimentError && /needs an earlier "features" step/.test(e.message),
    );
    // crossAttention false on a teacher without semantics has nothing to drop: said, not silently ignored.
    const noSem = {
      name: 'x',
      steps: [
        ...spec(1).steps.slice(0, 2),
        { id: 't', type: 'teacher', semantic: false, crossAttention: false, ...tiny, train: { epochs: 1 } },
      ],
    };
    await assert.rejects(
      runExperiment(noSem, { workspace: ws, tf }),
      (e: unknown) => e instanceof ExperimentError && /teacher "t": crossAttention false .* semantic false/.test(e.message),
    );
  });
});
