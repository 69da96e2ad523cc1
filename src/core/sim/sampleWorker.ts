// worker_threads entry: generates samples on request so dataset generation can use every core. Messages in:
// { id, seed, spec, knobs }; out: { id, result } (file buffers transferred, not copied) or { id, error }.
import { parentPort } from 'worker_threads';
import { generateSampleFiles } from './sampleFiles';
import type { SampleSpec } from './sample';
import type { SimKnobs } from './knobs';

interface Job {
  id: number;
  seed: number;
  spec: SampleSpec;
  knobs: SimKnobs;
}

parentPort?.on('message', (job: Job) => {
  try {
    const result = generateSampleFiles(job.seed, job.spec, job.knobs);
    parentPort!.postMessage(
      { id: job.id, result },
      result.files.map(f => f.buffer as ArrayBuffer),
    );
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
});
