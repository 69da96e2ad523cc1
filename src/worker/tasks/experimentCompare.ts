// Worker task `experimentCompare`: two evaluated models (of one run or of two runs) side by side, read from the
// run store's metrics.json files, so the comparison panel shows exactly what the store holds.
import { promises as fs } from 'fs';
import * as path from 'path';
import type { RunMetrics } from '../../core/experiment/runner';
import type { ComparisonView, ModelRef } from '../../shared/experimentView';
import { pairedComparison } from '../../core/experiment/pairedComparison';
import { readPredictions } from '../../core/experiment/predictions';
import { comparison } from './experimentViews';
import { TaskError } from './taskError';

export async function readRunMetrics(runDir: string): Promise<RunMetrics> {
  const file = path.join(runDir, 'metrics.json');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new TaskError('not-found', `${file}: no metrics (the run did not get far enough to write any)`);
  }
  try {
    return JSON.parse(text) as RunMetrics;
  } catch (e) {
    throw new TaskError('bad-input', `${file}: not valid JSON (${(e as Error).message})`);
  }
}

export async function experimentCompare(params: { a: ModelRef; b: ModelRef }): Promise<ComparisonView> {
  // Both read at once, but a failure is reported in argument order (a before b): with Promise.all the error shown
  // would be whichever read failed first, so two missing runs named either one at random.
  const [ra, rb] = await Promise.allSettled([readRunMetrics(params.a.runDir), readRunMetrics(params.b.runDir)]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  const ma = ra.value,
    mb = rb.value;
  const v = comparison(ma, params.a.model, mb, params.b.model);
  if (typeof v === 'string') throw new TaskError('bad-input', v);
  // Agreement and McNemar from the per-sample predictions the runner stores (runs without them keep null).
  const [pa, pb] = await Promise.all([
    readPredictions(params.a.runDir, params.a.model),
    readPredictions(params.b.runDir, params.b.model),
  ]).catch((e: unknown) => {
    throw new TaskError('bad-input', (e as Error).message);
  });
  v.paired = pa && pb ? pairedComparison(pa, pb) : null;
  if (v.paired) v.agreement = v.paired.agreement;
  return v;
}
