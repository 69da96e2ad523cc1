// A task that only counts, so the host ↔ worker plumbing (progress, cancel, results) can be exercised end to end
// without depending on any data.
import { threadId } from 'worker_threads';
import type { TaskContext } from '../taskContext';

export async function selfTest(
  params: { steps: number; stepMs: number },
  ctx: TaskContext,
): Promise<{ completed: number; threadId: number }> {
  let completed = 0;
  for (let i = 0; i < params.steps; i++) {
    await new Promise(r => setTimeout(r, params.stepMs));
    ctx.throwIfCancelled();
    completed++;
    ctx.progress({ fraction: completed / params.steps, message: `step ${completed}/${params.steps}` });
  }
  return { completed, threadId };
}
