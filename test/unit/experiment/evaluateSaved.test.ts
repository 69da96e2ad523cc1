// "Evaluate on folder" evaluates a finished run's saved models without training: run a tiny experiment, then
// evaluate its teacher and student on the same recordings. Independent expectation: the same weights on the same
// samples must give exactly the predictions the run stored for its test split (from its own evaluate step), and
// no checkpoint is written. Also: an exported student alone is enough; a folder of other classes is a typed error.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { ExperimentError } from '../../../src/core/experiment/errors';
import { evaluateSavedModels } from '../../../src/core/experiment/evaluateSaved';
import { readPredictions } from '../../../src/core/experiment/predictions';
import { runExperiment, type RunEvent } from '../../../src/core/experiment/runner';
import { labeled } from '../../helpers/paths';
import * as ort from 'onnxruntime-web';
import { indexFolder } from '../../../src/core/data/indexFolder';
import { run as featuresCli } from '../../../src/cli/commands/features';
import { run as evaluateCli } from '../../../src/cli/commands/evaluate';

const tiny = { kernels: [3, 5], branchFilters: 4, dModel: 8, heads: 2, ffn: 8, blocks: 1 };
const LIMIT = 24;
const spec = {
  name: 'saved',
  seed: 5,
  steps: [
    {
      id: 'data',
      type: 'dataset',
      folder: labeled('wiar'),
      limit: LIMIT,
      split: { protocol: 'leave-out', factor: 'user', heldOut: ['9'] },
    },
    { id: 'features', type: 'features', timeSteps: 16, dopplerBands: 8, phaseSubcarrierStride: 10 },
    { id: 'prior', type: 'prior' },
    { id: 'teacher', type: 'teacher', ...tiny, train: { epochs: 2, batchSize: 8, learningRate: 0.003 } },
    { id: 'student', type: 'student', filters: [4, 6], kernels: [3, 3], train: { epochs: 2, batchSize: 8 } },
    { id: 'eval', type: 'evaluate', factors: ['user'], latencyRepeats: 2 },
  ],
};

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listTree(p)));
    else out.push(`${p} ${(await fs.stat(p)).mtimeMs}`);
  }
  return out.sort();
}

describe('experiment: evaluate saved models on a folder', function () {
  this.timeout(120_000);
  let ws: string;
  let runDir: string;
  before(async () => {
    await tf.setBackend('cpu');
    ws = await fs.mkdtemp(path.join(os.tmpdir(), 'glsda-saved-'));
    runDir = (await runExperiment(spec, { workspace: ws, tf, runId: 'trained' })).dir;
  });
  after(async () => {
    await fs.rm(ws, { recursive: true, force: true });
  });

  it("reproduces the run's stored test predictions from its checkpoints, training nothing", async () => {
    const cacheBefore = await listTree(path.join(ws, '.csi-workbench', 'cache', 'steps'));
    const events: RunEvent[] = [];
    // Same folder, same seeded subset as the run's dataset step.
    const r = await evaluateSavedModels({
      workspace: ws,
      runDir,
      folder: labeled('wiar'),
      tf,
      limit: LIMIT,
      runId: 'eval-1',
      latencyRepeats: 2,
      onEvent: e => events.push(e),
    });
    assert.equal(r.metrics.status, 'done');
    assert.deepEqual(Object.keys(r.metrics.evaluations), ['teacher', 'student']);
    assert.equal(events.filter(e => e.kind === 'train').length, 0, 'no training');
    assert.deepEqual(await listTree(path.join(ws, '.csi-workbench', 'cache', 'steps')), cacheBefore, 'no checkpoint written or changed');
    for (const m of ['teacher', 'student']) {
      const stored = (await readPredictions(runDir, m))!;
      const now = new Map((await readPredictions(r.dir, m))!.map(x => [x.id, x]));
      assert.equal(now.size, LIMIT, 'every sample of the subset is evaluated');
      assert.ok(stored.length > 0);
      for (const s of stored) {
        const x = now.get(s.id);
        assert.ok(x, `${s.id} evaluated again`);
        assert.equal(x.truth, s.truth);
        assert.equal(x.pred, s.pred, `${m} predicts the same class for ${s.id}`);
        assert.ok(Math.abs(x.topProb - s.topProb) < 1e-4, `${m} ${s.id}: ${x.topProb} vs ${s.topProb}`);
      }
      assert.equal((r.metrics.steps.find(s => s.id === m)!.info as { epoch?: number }).epoch, 2, 'weights of the final epoch');
    }
    // The new run lists like any run: metrics.json and evaluation.json on disk.
    const onDisk = JSON.parse(await fs.readFile(path.join(r.dir, 'metrics.json'), 'utf8'));
    assert.equal(onDisk.status, 'done');
    assert.equal(JSON.parse(await fs.readFile(path.join(r.dir, 'evaluation.json'), 'utf8')).sourceRun, runDir);
  });

  it('falls back to the exported student when its checkpoint cache is gone', async () => {
    const ptr = JSON.parse(await fs.readFile(path.join(runDir, 'checkpoints', 'student.json'), 'utf8')) as { checkpointDir: string };
    const moved = `${ptr.checkpointDir}.moved`;
    await fs.rename(ptr.checkpointDir, moved);
    try {
      const r = await evaluateSavedModels({
        workspace: ws,
        runDir,
        folder: labeled('wiar'),
        tf,
        limit: LIMIT,
        models: ['student'],
        runId: 'eval-export',
        latencyRepeats: 2,
      });
      assert.match(String(r.metrics.steps.find(s => s.id === 'student')!.info.weights), /artifacts[/\\]student[/\\]model\.json$/);
      const stored = new Map(
        (await readPredictions(path.join(ws, '.csi-workbench', 'runs', 'eval-1'), 'student'))!.map(x => [x.id, x.pred]),
      );
      for (const x of (await readPredictions(r.dir, 'student'))!) assert.equal(x.pred, stored.get(x.id), x.id);
    } finally {
      await fs.rename(moved, ptr.checkpointDir);
    }
    // A teacher has no export: without its checkpoint, a typed error that says which files were looked for.
    const tptr = JSON.parse(await fs.readFile(path.join(runDir, 'checkpoints', 'teacher.json'), 'utf8')) as { checkpointDir: string };
    await fs.rename(tptr.checkpointDir, `${tptr.checkpointDir}.moved`);
    try {
      await assert.rejects(
        evaluateSavedModels({
          workspace: ws,
          runDir,
          folder: labeled('wiar'),
          tf,
          limit: 4,
          models: ['teacher'],
          runId: 'eval-no-teacher',
        }),
        (e: unknown) =>
          e instanceof ExperimentError &&
          e.code === 'bad-file' &&
          /no saved weights for "teacher": neither a checkpoint .* nor an exported model/.test(e.message),
      );
    } finally {
      await fs.rename(`${tptr.checkpointDir}.moved`, tptr.checkpointDir);
    }
  });

  it('a run of the earlier runner (no Doppler stems, uncropped uncompressed both-path features) still loads and predicts as it did', async () => {
    // Such a run, made today with those settings spelled out, then written down as runner@1 wrote it: without the
    // settings that did not exist yet.
    const legacySpec = {
      ...spec,
      name: 'legacy',
      steps: spec.steps.map(st =>
        st.type === 'features'
          ? { ...st, crop: 'none', dopplerCompress: 1, inputs: 'both' }
          : st.type === 'teacher' || st.type === 'student'
            ? { ...st, dopplerStem: [] }
            : st,
      ),
    };
    const dir = (await runExperiment(legacySpec, { workspace: ws, tf, runId: 'legacy' })).dir;
    const strip = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
    const specOnDisk = JSON.parse(await fs.readFile(path.join(dir, 'spec.json'), 'utf8'));
    specOnDisk.steps = specOnDisk.steps.map((st: Record<string, unknown>) =>
      strip(st, ['crop', 'dopplerCompress', 'inputs', 'dopplerStem']),
    );
    await fs.writeFile(path.join(dir, 'spec.json'), JSON.stringify(specOnDisk));
    const metricsOnDisk = JSON.parse(await fs.readFile(path.join(dir, 'metrics.json'), 'utf8'));
    const fstep = metricsOnDisk.steps.find((st: { type: string }) => st.type === 'features');
    fstep.info.params = strip(fstep.info.params, ['crop', 'dopplerCompress', 'inputs']);
    await fs.writeFile(path.join(dir, 'metrics.json'), JSON.stringify(metricsOnDisk));
    const envOnDisk = JSON.parse(await fs.readFile(path.join(dir, 'environment.json'), 'utf8'));
    await fs.writeFile(path.join(dir, 'environment.json'), JSON.stringify({ ...envOnDisk, runner: 'glsda-runner@1' }));

    const r = await evaluateSavedModels({
      workspace: ws,
      runDir: dir,
      folder: labeled('wiar'),
      tf,
      limit: LIMIT,
      runId: 'eval-legacy',
      latencyRepeats: 2,
    });
    assert.equal(r.metrics.status, 'done');
    for (const m of ['teacher', 'student']) {
      const now = new Map((await readPredictions(r.dir, m))!.map(x => [x.id, x.pred]));
      for (const s of (await readPredictions(dir, m))!) assert.equal(now.get(s.id), s.pred, `${m} ${s.id}`);
    }
  });

  it('a run of runner @3, whose teachers and students had shallower Doppler stems by default, still loads and predicts as it did', async () => {
    const v3Spec = {
      ...spec,
      name: 'runner3',
      steps: spec.steps.map(st =>
        st.type === 'student' ? { ...st, dopplerStem: [8] } : st.type === 'teacher' ? { ...st, dopplerStem: [16, 16] } : st,
      ),
    };
    const dir = (await runExperiment(v3Spec, { workspace: ws, tf, runId: 'runner3' })).dir;
    const specOnDisk = JSON.parse(await fs.readFile(path.join(dir, 'spec.json'), 'utf8'));
    for (const st of specOnDisk.steps) delete st.dopplerStem;
    await fs.writeFile(path.join(dir, 'spec.json'), JSON.stringify(specOnDisk));
    const envOnDisk = JSON.parse(await fs.readFile(path.join(dir, 'environment.json'), 'utf8'));
    await fs.writeFile(path.join(dir, 'environment.json'), JSON.stringify({ ...envOnDisk, runner: 'glsda-runner@3' }));
    const r = await evaluateSavedModels({
      workspace: ws,
      runDir: dir,
      folder: labeled('wiar'),
      tf,
      limit: LIMIT,
      runId: 'eval-runner3',
      latencyRepeats: 2,
    });
    assert.equal(r.metrics.status, 'done', r.metrics.error);
    for (const m of ['teacher', 'student']) {
      const now = new Map((await readPredictions(r.dir, m))!.map(x => [x.id, x.pred]));
      for (const s of (await readPredictions(dir, m))!) assert.equal(now.get(s.id), s.pred, `${m} ${s.id}`);
    }
  });

  it('bad requests are typed errors: a folder of other classes, an evaluation run as source, a non-model step', async () => {
    await assert.rejects(
      evaluateSavedModels({ workspace: ws, runDir, folder: labeled('fition'), tf, runId: 'eval-bad' }),
      (e: unknown) => e instanceof ExperimentError && /no sample of .* has one of the run's classes/.test(e.message),
    );
    await assert.rejects(
      evaluateSavedModels({
        workspace: ws,
        runDir: path.join(ws, '.csi-workbench', 'runs', 'eval-1'),
        folder: labeled('wiar'),
        tf,
        limit: 4,
        runId: 'eval-bad3',
      }),
      (e: unknown) =>
        e instanceof ExperimentError &&
        /this is an evaluation run, not a trained one: evaluate its source run .*trained instead/.test(e.message),
    );
    await assert.rejects(
      evaluateSavedModels({ workspace: ws, runDir, folder: labeled('wiar'), tf, limit: 4, models: ['prior'], runId: 'eval-bad2' }),
      (e: unknown) => e instanceof ExperimentError && /"prior" is not a teacher or student step of this run/.test(e.message),
    );
  });

  it("`csi-workbench features` + the exported model.onnx in ONNX Runtime reproduce the run's stored student predictions", async () => {
    // The deployment path outside the workbench: features of the run's test recordings from the CLI (.npy), the
    // exported ONNX student run by an independent runtime; same class and probability as the run's evaluate step.
    const stored = (await readPredictions(runDir, 'student'))!;
    const byId = new Map((await indexFolder(labeled('wiar'))).samples.map(x => [x.id, x.files[0]]));
    const files = stored.map(p => byId.get(p.id)!);
    const out = path.join(ws, 'export', 'test.npy'),
      lines: string[] = [];
    const code = await featuresCli(['--run', runDir, ...files, '--out', out], { out: x => lines.push(x), err: x => lines.push(x) });
    assert.equal(code, 0, lines.join(''));
    const bytes = await fs.readFile(out);
    const headerLen = bytes.readUInt16LE(8),
      header = bytes.subarray(10, 10 + headerLen).toString('latin1');
    const sidecar = JSON.parse(await fs.readFile(path.join(ws, 'export', 'test.json'), 'utf8')) as {
      shape: number[];
      ids: string[];
      classes: string[];
    };
    assert.match(header, new RegExp(`'shape': \\(${sidecar.shape.join(', ')}\\)`));
    assert.deepEqual(sidecar.ids, files, 'rows in the order given');
    const [N, T, F] = sidecar.shape;
    assert.equal(N, stored.length);
    const x = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 10 + headerLen, bytes.byteOffset + bytes.byteLength));
    assert.equal(x.length, N * T * F);
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(await fs.readFile(path.join(runDir, 'artifacts', 'student', 'model.onnx')));
    const logits = (await session.run({ csi_dual_path_input: new ort.Tensor('float32', x, [N, T, F]) })).logits.data as Float32Array;
    await session.release();
    const C = sidecar.classes.length;
    stored.forEach((p, n) => {
      const row = Array.from(logits.subarray(n * C, (n + 1) * C)),
        top = Math.max(...row);
      const probTop = 1 / row.reduce((a, v) => a + Math.exp(v - top), 0);
      assert.equal(
        sidecar.classes[row.indexOf(top)],
        p.pred,
        `${p.id}: ONNX predicts ${sidecar.classes[row.indexOf(top)]}, the run ${p.pred}`,
      );
      assert.ok(Math.abs(probTop - p.topProb) < 1e-4, `${p.id}: ${probTop} vs ${p.topProb}`);
    });
    // Bad requests say what is wrong.
    const err: string[] = [];
    assert.equal(await featuresCli(['--run', path.join(ws, 'nope'), files[0], '--out', out], { out: () => {}, err: x => err.push(x) }), 1);
    assert.match(err.join(''), /cannot read the run metrics/);
    assert.equal(await featuresCli([files[0], '--out', out], { out: () => {}, err: () => {} }), 2);
  });

  it('`csi-workbench evaluate --run RUN FOLDER` writes a new run and prints per-domain accuracy with n and chance', async () => {
    let out = '',
      err = '';
    const code = await evaluateCli(['--run', runDir, labeled('wiar'), '--limit', String(LIMIT), '--engine', 'cpu', '--quiet'], {
      out: x => (out += x),
      err: x => (err += x),
    });
    assert.equal(code, 0, err);
    const dir = /→ (\S+)/.exec(out)![1];
    for (const m of ['teacher', 'student']) {
      // The printed accuracy is the new run's own per-sample predictions, counted here.
      const p = (await readPredictions(dir, m))!;
      const acc = p.filter(x => x.pred === x.truth).length / p.length;
      assert.match(out, new RegExp(`${m}: ${(100 * acc).toFixed(1)} % on ${p.length} samples \\(chance 6\\.3 %\\)`));
    }
    assert.match(out, /user 9: \d+\.\d % \(n = \d+\)/);
    const usage = await evaluateCli([labeled('wiar')], { out: () => {}, err: () => {} });
    assert.equal(usage, 2, 'no --run is a usage error');
  });
});
