// `csi-workbench features --run RUN_DIR (FOLDER | MANIFEST.csv | FILE…) --out FEATURES.npy [--workspace DIR]`:
// the model input of a trained run computed for other recordings, as a NumPy array, so the exported student
// (artifacts/<step>/model.onnx) runs outside the workbench, e.g. in Python:
//   x = numpy.load('FEATURES.npy'); logits = onnxruntime.InferenceSession('model.onnx').run(None, {'csi_dual_path_input': x})[0]
// FEATURES.npy: float32 [N, T, F1 + F2] (each sample's phase/amplitude block, then its Doppler block, as the models
// take them). FEATURES.json beside it: the sample ids in row order, their class (when the folder names one the run
// knows), the run's class list and feature parameters, and the samples that could not be featurised, with why.
// A FOLDER (or CSV manifest) is indexed like a dataset step (Widar, simulator, WiAR, Fition layouts; multi-receiver
// samples grouped); FILEs are one single-link sample each.
// Exit codes: 0 written, 1 a run or recording could not be read (message names it), 2 bad usage.
import { promises as fs } from 'fs';
import * as path from 'path';
import { FeatureCache } from '../../core/features/cache';
import { indexFolder } from '../../core/data/indexFolder';
import { encodeNpyFloat32 } from '../../core/data/npyWriter';
import type { DatasetSample } from '../../core/data/sample';
import { concatenatedInput, featuresForRun, runFeatureSetup } from '../../core/experiment/runFeatures';
import { stdio, type Io } from '../io';

export const summary = "compute a trained run's model input for other recordings as a .npy (for the exported ONNX student)";

const USAGE =
  'usage: csi-workbench features --run RUN_DIR (FOLDER | MANIFEST.csv | FILE…) --out FEATURES.npy [--workspace DIR]\n' +
  '  --run        a finished run (.csi-workbench/runs/<id>): its feature parameters and class list are used\n' +
  '  --out        the .npy to write; FEATURES.json (ids, classes, parameters) is written beside it\n' +
  "  --workspace  whose feature cache to use (default: the run's workspace; none for a run outside one)";

async function samplesOf(inputs: string[], classes: string[]): Promise<{ samples: DatasetSample[]; named: (string | null)[] }> {
  const first = path.resolve(inputs[0]);
  const st = await fs.stat(first).catch(() => undefined);
  if (inputs.length === 1 && st && (st.isDirectory() || /\.csv$/i.test(first))) {
    const index = await indexFolder(first);
    const known = new Map(classes.map((c, k) => [c, k]));
    // Unknown classes are featurised too (label −1 here, null in the sidecar): the features do not depend on labels.
    const samples = index.samples.map(s => ({ ...s, label: known.get(s.className) ?? -1 }));
    return { samples, named: samples.map(s => (known.has(s.className) ? s.className : null)) };
  }
  const samples = inputs.map(f => ({ id: f, files: [path.resolve(f)], receivers: ['rx'], label: -1, className: '', domain: {} }));
  return { samples, named: samples.map(() => null) };
}

export async function run(argv: string[], io: Io = stdio): Promise<number> {
  let runDir: string | undefined, out: string | undefined, workspace: string | undefined;
  const inputs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--run') runDir = argv[++i];
    else if (a === '--out') out = argv[++i];
    else if (a === '--workspace') workspace = argv[++i];
    else if (a === '-h' || a === '--help') {
      io.out(`${USAGE}\n`);
      return 0;
    } else if (a.startsWith('-')) {
      io.err(`unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else inputs.push(a);
  }
  if (!runDir || !out || !inputs.length) {
    io.err(`${!runDir ? 'missing --run' : !out ? 'missing --out' : 'no recordings given'}\n${USAGE}\n`);
    return 2;
  }
  try {
    const setup = await runFeatureSetup(runDir);
    const { samples, named } = await samplesOf(inputs, setup.classes);
    // A run in a workspace (<ws>/.csi-workbench/runs/<id>) shares that workspace's feature cache; a run copied
    // elsewhere gets none unless --workspace names one (never a cache written next to an arbitrary folder).
    const runs = path.dirname(path.resolve(runDir)),
      store = path.dirname(runs);
    const ws = workspace ?? (path.basename(runs) === 'runs' && path.basename(store) === '.csi-workbench' ? path.dirname(store) : undefined);
    const cache = ws ? new FeatureCache(path.join(ws, '.csi-workbench', 'cache', 'features')) : undefined;
    const skipped: { id: string; error: string }[] = [];
    const data = await featuresForRun(setup, samples, inputs.length === 1 ? inputs[0] : `${inputs.length} files`, {
      cache,
      onSampleError: (s, e) => {
        skipped.push({ id: s.id, error: e.message });
      },
      onProgress: (done, total) => {
        if (done === total || done % 50 === 0) io.err(`features ${done}/${total}\n`);
      },
    });
    // A FILE's id is its path, which the reader's message already names.
    const why = (x: { id: string; error: string }) => (x.error.startsWith(x.id) ? x.error : `${x.id}: ${x.error}`);
    if (!data.labels.length) {
      io.err(`no recording produced features: ${skipped[0] ? why(skipped[0]) : 'none given'}\n`);
      return 1;
    }
    const F = data.F1 + data.F2;
    await fs.mkdir(path.dirname(path.resolve(out)), { recursive: true });
    await fs.writeFile(out, encodeNpyFloat32(concatenatedInput(data), [data.labels.length, data.T, F]));
    const className = new Map(samples.map((s, k) => [s.id, named[k]]));
    const sidecar = out.replace(/\.npy$/i, '') + '.json';
    await fs.writeFile(
      sidecar,
      JSON.stringify(
        {
          run: path.resolve(runDir),
          shape: [data.labels.length, data.T, F],
          layout: `[sample, time step, ${data.F1} phase/amplitude columns then ${data.F2} Doppler columns]`,
          input: 'csi_dual_path_input',
          ids: data.ids,
          classOf: data.ids.map(id => className.get(id) ?? null),
          classes: setup.classes,
          params: setup.params,
          skipped,
        },
        null,
        1,
      ),
    );
    io.out(
      `${data.labels.length} samples × ${data.T} steps × ${F} features → ${out} (ids and parameters: ${sidecar})${skipped.length ? `; ${skipped.length} skipped (listed there)` : ''}\n`,
    );
    return 0;
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 1;
  }
}
