// `csi-workbench run EXPERIMENT.json|NOTEBOOK.csiexp [--workspace DIR] [--engine auto|wasm|cpu] [--run-id ID] [--quiet]`: runs a
// GLSDA experiment headless — the same runner and run store the notebooks use — printing step and epoch progress
// and, at the end, the teacher/student comparison table.
// Exit codes: 0 done, 1 a step failed (message names the step), 2 bad usage or invalid spec, 130 cancelled (Ctrl-C:
// the current epoch is lost, earlier epochs are checkpointed and a re-run resumes).
import * as path from 'path';
import { ExperimentError } from '../../core/experiment/errors';
import { readSpecFile, runExperiment, type ModelRow, type RunEvent } from '../../core/experiment/runner';
import { parseSpec } from '../../core/experiment/spec';
import { readNotebookSpec } from '../../core/experiment/notebookFile';
import { selectEngine, type Tf } from '../../core/engine/selectEngine';
import { stdio, type Io } from '../io';

export const summary = 'run a GLSDA experiment file (dataset → features → prior → teacher → student → evaluate)';

const USAGE =
  'usage: csi-workbench run EXPERIMENT.json|NOTEBOOK.csiexp [--workspace DIR] [--engine auto|wasm|cpu] [--run-id ID] [--quiet]\n' +
  '  --workspace  where .csi-workbench/ (runs, caches) lives (default: the current directory)\n' +
  '  --engine     auto (tfjs-node if installed, else wasm), wasm, or cpu (pure JS, slow; for debugging)';

const pct = (x: number) => `${(100 * x).toFixed(1)}`;

export function formatTable(rows: ModelRow[], chance?: number): string {
  const head = ['model', 'kind', 'acc %', 'macro-F1', 'params', 'MFLOPs', 'size kB', 'latency ms'];
  const body = rows.map(r => [
    r.model,
    r.kind,
    pct(r.accuracy),
    r.macroF1.toFixed(3),
    String(r.params),
    (r.flops / 1e6).toFixed(2),
    (r.sizeBytes / 1024).toFixed(1),
    r.latencyMs.toFixed(2),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map(b => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return (
    [
      line(head),
      w.map(n => '-'.repeat(n)).join('  '),
      ...body.map(line),
      ...(chance !== undefined ? [`chance level: ${pct(chance)} %`] : []),
    ].join('\n') + '\n'
  );
}

export async function run(argv: string[], io: Io = stdio): Promise<number> {
  let file: string | undefined,
    workspace = process.cwd(),
    engine = 'auto',
    runId: string | undefined,
    quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--workspace') workspace = argv[++i] ?? '';
    else if (a === '--engine') engine = argv[++i] ?? '';
    else if (a === '--run-id') runId = argv[++i];
    else if (a === '--quiet') quiet = true;
    else if (a === '-h' || a === '--help') {
      io.out(`${USAGE}\n`);
      return 0;
    } else if (!a.startsWith('-') && !file) file = a;
    else {
      io.err(`unknown option ${a}\n${USAGE}\n`);
      return 2;
    }
  }
  if (!file || !workspace || !['auto', 'wasm', 'cpu'].includes(engine)) {
    io.err(`${USAGE}\n`);
    return 2;
  }
  let tf: Tf, engineInfo: unknown;
  if (engine === 'cpu') {
    tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    engineInfo = { engine: 'tfjs-cpu', backend: 'cpu', tfjsVersion: tf.version.tfjs };
  } else {
    const e = await selectEngine({ prefer: engine === 'wasm' ? 'wasm' : 'auto' });
    tf = e.tf;
    engineInfo = e.info;
  }
  const ac = new AbortController();
  const onSigint = () => {
    io.err('\ncancelling after the current batch…\n');
    ac.abort();
  };
  process.once('SIGINT', onSigint);
  const onEvent = (e: RunEvent) => {
    if (quiet) return;
    if (e.kind === 'step-start') io.out(`[${e.index + 1}/${e.total}] ${e.type} "${e.step}" (${e.hash.slice(0, 10)})\n`);
    else if (e.kind === 'step-done') io.out(`    done in ${e.seconds.toFixed(1)} s${e.reused ? ' (reused cached result)' : ''}\n`);
    else if (e.kind === 'train' && e.progress.kind === 'epoch') {
      const p = e.progress;
      io.out(
        `    epoch ${p.epoch}/${p.epochs}  loss ${p.loss.toFixed(4)}  acc ${pct(p.acc)} %  lr ${p.lr.toExponential(2)}  ${p.samplesPerS.toFixed(0)} samples/s  ETA ${p.etaS.toFixed(0)} s\n`,
      );
    } else if (e.kind === 'features' && (e.done === e.total || e.done % 50 === 0)) io.out(`    features ${e.done}/${e.total}\n`);
    else if (e.kind === 'log') io.out(`    ${e.message}\n`);
  };
  try {
    // An experiment notebook (.csiexp) runs exactly as VS Code runs it: its step cells are the spec's steps.
    const spec = file.endsWith('.csiexp') ? await readNotebookSpec(file) : parseSpec(await readSpecFile(file), file); // validated here too, so errors name the file
    const r = await runExperiment(spec, {
      workspace: path.resolve(workspace),
      baseDir: path.dirname(path.resolve(file)),
      tf,
      engineInfo,
      signal: ac.signal,
      onEvent,
      runId,
    });
    io.out(`\nrun ${r.id} → ${r.dir}\n${r.metrics.split ? `split: ${r.metrics.split.description}\n` : ''}`);
    if (r.metrics.table.length) io.out(formatTable(r.metrics.table, r.metrics.chance));
    return 0;
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    if (e instanceof ExperimentError) return e.code === 'cancelled' ? 130 : e.code === 'bad-spec' ? 2 : 1;
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
