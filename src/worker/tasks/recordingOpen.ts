// Worker task: open a recording for the editor (whole parse or big-file index, see recordingSource.ts) and
// return its summary. The source stays cached in the worker for the view requests that follow.
import type { RecordingOpened } from '../../shared/recordingView';
import type { TaskContext } from '../taskContext';
import { cachedSource } from './recordingSource';

export async function recordingOpen(params: { path: string; maxDiagnostics?: number }, ctx: TaskContext): Promise<RecordingOpened> {
  const t0 = performance.now();
  const src = await cachedSource(params.path, ctx, params.maxDiagnostics);
  return { summary: src.summary, mode: src.mode, openMs: performance.now() - t0 };
}
