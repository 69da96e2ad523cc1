// The on-disk run store: <workspace>/.csi-workbench/runs/<id>/ with spec.json, environment.json, metrics.json,
// checkpoints/ (pointers to the content-addressed step caches), artifacts/, tb/ (TensorBoard event files) and
// predictions/<model>.csv (per-sample test predictions, predictions.ts).
// Step results shared across runs live in <workspace>/.csi-workbench/cache/steps/<hash>/ so a later run with an
// unchanged teacher step resumes (or reuses) the same checkpoints.
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface RunPaths {
  root: string;
  run: string;
  checkpoints: string;
  artifacts: string;
  tb: string;
  cache: string;
  features: string;
}

export function workbenchDir(workspace: string): string {
  return path.join(workspace, '.csi-workbench');
}

export function newRunId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `${stamp}-${name.replace(/[^\w.-]+/g, '_').slice(0, 40)}-${Math.random().toString(36).slice(2, 6)}`;
}

export async function createRun(workspace: string, id: string): Promise<RunPaths> {
  const root = workbenchDir(workspace),
    run = path.join(root, 'runs', id);
  const p: RunPaths = {
    root,
    run,
    checkpoints: path.join(run, 'checkpoints'),
    artifacts: path.join(run, 'artifacts'),
    tb: path.join(run, 'tb'),
    cache: path.join(root, 'cache', 'steps'),
    features: path.join(root, 'cache', 'features'),
  };
  for (const d of [p.checkpoints, p.artifacts, p.tb, p.cache, p.features]) await fs.mkdir(d, { recursive: true });
  return p;
}

/** Atomic JSON write (temp file + rename), so a reader never sees half a metrics.json. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(value, null, 1));
  await fs.rename(tmp, file);
}

export function machineFacts(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

export async function listRuns(workspace: string): Promise<string[]> {
  try {
    return (await fs.readdir(path.join(workbenchDir(workspace), 'runs'))).sort();
  } catch {
    return [];
  }
}
