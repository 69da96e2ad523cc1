// Worker task `experimentSimulate`: the simulator's synthetic Widar3.0-style dataset, with progress and cancel
// (command "Generate Synthetic Dataset…").
import { generateDataset, SimulationCancelledError, type DomainGrid, type SimPreset } from '../../core/sim/dataset';
import { CancelledError, type TaskContext } from '../taskContext';
import { TaskError } from './taskError';

export async function experimentSimulate(
  params: { outDir: string; seed: number; preset: SimPreset; domains?: Partial<DomainGrid> },
  ctx: TaskContext,
): Promise<{ outDir: string; samples: number }> {
  const abort = new AbortController();
  const poll = setInterval(() => {
    if (ctx.cancelled) abort.abort();
  }, 100);
  try {
    const m = await generateDataset({
      outDir: params.outDir,
      seed: params.seed,
      preset: params.preset,
      domains: params.domains,
      signal: abort.signal,
      onProgress: p => ctx.progress({ fraction: p.done / p.total, message: `${p.done}/${p.total} ${p.sample}` }),
    });
    return { outDir: params.outDir, samples: m.samples.length };
  } catch (e) {
    if (e instanceof SimulationCancelledError) throw new CancelledError();
    if (e instanceof RangeError) throw new TaskError('bad-input', e.message);
    throw e;
  } finally {
    clearInterval(poll);
  }
}
