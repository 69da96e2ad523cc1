// worker_threads entry for the calibration: simulate one sample and return its Doppler features (the `.dat` bytes
// never leave the worker). Messages in: { id, seed, spec, knobs }; out: { id, features, truth } or { id, error }.
import { parentPort } from 'worker_threads';
import { generateSampleFiles } from '../../src/core/sim/sampleFiles';
import { dopplerFeatures } from '../../src/core/features/pooledDfs';
import type { SampleSpec } from '../../src/core/sim/sample';
import type { SimKnobs } from '../../src/core/sim/knobs';

parentPort?.on('message', (job: { id: number; seed: number; spec: SampleSpec; knobs: SimKnobs }) => {
  try {
    const s = generateSampleFiles(job.seed, job.spec, job.knobs);
    const features = dopplerFeatures(s.files);
    parentPort!.postMessage({ id: job.id, features, truth: s.truth, stats: s.stats });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
});
