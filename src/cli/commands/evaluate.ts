// `csi-workbench evaluate --run RUN_DIR FOLDER [--models teacher,student] [--workspace DIR] [--limit N] [--quiet]`:
// "train on A, test on B" without VS Code. A finished run's saved models (final checkpoints, or the exported student)
// are measured on another folder of labelled recordings, with the run's own feature settings, as a new run with
// per-sample predictions and the same metrics (the command behind Evaluate on Folder…). Prints, per model, the
// accuracy overall and per held-out domain value, each with its n and the chance level.
import * as path from 'path';
import { evaluateSavedModels } from '../../core/experiment/evaluateSaved';
import { ExperimentError } from '../../core/experiment/errors';
import type { RunEvent, RunMetrics } from '../../core/experiment/runner';
import { selectEngine, type Tf } from '../../core/engine/selectEngine';
import { stdio, type Io } from '../io';

export const summary = "measure a finished run's saved models on another folder (a new run; per-domain accuracy with n and chance)";

const USAGE =
  'usage: csi-workbench evaluate --run RUN_DIR FOLDER [--models teacher,student] [--workspace DIR] [--limit N] [--engine auto|wasm|cpu] [--quiet]\n' +
  '  --run        the finished run (.csi-workbench/runs/<id>) whose models are measured\n' +
  '  FOLDER       labelled recordings in any layout the dataset step reads (Widar3.0, simulator, WiAR, Fition, CSV manifest)\n' +
  '  --models     model step ids (default: every model the run evaluated)\n' +
  "  --workspace  where the new run is stored (default: the run directory's workspace)";

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** Per model: overall accuracy and every domain value's, with n, and the chance level. */
export function formatEvaluation(m: RunMetrics): string {
  const lines: string[] = [];
  const chance = m.chance !== undefined ? ` (chance ${pct(m.chance)})` : '';
  for (const [model, e] of Object.entries(m.evaluations)) {
    lines.push(`${model}: ${pct(e.accuracy)} on ${m.split?.test ?? '?'} samples${chance}, macro-F1 ${e.macroF1.toFixed(3)}`);
    for (const [factor, values] of Object.entries(e.perDomain ?? {}))
      for (const [v, d] of Object.entries(values)) lines.push(`  ${factor} ${v}: ${pct(d.accuracy)} (n = ${d.n})`);
  }
  return lines.join('\n') + '\n';
}

/** The workspace a run directory belongs to: the folder holding its `.csi-workbench`. */
function workspaceOf(runDir: string): string {
  const parts = path.resolve(runDir).split(path.sep);
  const i = parts.lastIndexOf('.csi-workbench');
  return i > 0 ? parts.slice(0, i).join(path.sep) || path.sep : process.cwd();
}

export async function run(argv: string[], io: Io = stdio): Promise<number> {
  let runDir: string | undefined, folder: string | undefined, workspace: string | undefined, models: string[] | undefined;
  let limit: number | undefined,
    engine = 'auto',
    quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--run') runDir = argv[++i];
    else if (a === '--models') models = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a === '--workspace') workspace = argv[++i];
    else if (a === '--limit') limit = Number(argv[++i]);
    else if (a === '--engine') engine = argv[++i] ?? '';
    else if (a === '--quiet') quiet = true;
    else if (a === '-h' || a === '--help') {
      io.out(`${USAGE}\n`);
      return 0;
    } else if (!a.startsWith('-') && !folder) folder = a;
    else {
      io.err(`unknown option ${a}\n${USAGE}\n`);
      return 2;
    }
  }
  if (
    !runDir ||
    !folder ||
    (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) ||
    (models && !models.length) ||
    !['auto', 'wasm', 'cpu'].includes(engine)
  ) {
    io.err(`${USAGE}\n`);
    return 2;
  }
  let tf: Tf, info: unknown;
  if (engine === 'cpu') {
    tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    info = { engine: 'tfjs-cpu', backend: 'cpu', tfjsVersion: tf.version.tfjs };
  } else ({ tf, info } = await selectEngine({ prefer: engine === 'wasm' ? 'wasm' : 'auto' }));
  const onEvent = (e: RunEvent) => {
    if (quiet) return;
    if (e.kind === 'step-start') io.out(`[${e.index + 1}/${e.total}] ${e.type} "${e.step}"\n`);
    else if (e.kind === 'features' && (e.done === e.total || e.done % 50 === 0)) io.out(`    features ${e.done}/${e.total}\n`);
    else if (e.kind === 'log') io.out(`    ${e.message}\n`);
  };
  try {
    const r = await evaluateSavedModels({
      workspace: path.resolve(workspace ?? workspaceOf(runDir)),
      runDir: path.resolve(runDir),
      folder: path.resolve(folder),
      models,
      limit,
      tf,
      engineInfo: info,
      onEvent,
    });
    io.out(`\nrun ${r.id} → ${r.dir}\n${formatEvaluation(r.metrics)}`);
    return 0;
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return e instanceof ExperimentError && e.code === 'bad-spec' ? 2 : 1;
  }
}
