// Model factories compiled into the data-parallel worker, addressed as { module: 'builtin:<name>', exportName }.
// Bundled builds (dist/dataParallelWorker.js) cannot require separate model modules, so models that should train
// data-parallel from the extension or CLI register here.
import type * as TfNamespace from '@tensorflow/tfjs';
import { createReferenceModel } from './referenceModel';
import type { Trainable } from '../../src/core/engine/trainable';

type Factory = (tf: typeof TfNamespace, ...args: never[]) => Trainable;

export const BUILTIN_FACTORIES: Record<string, Record<string, Factory>> = {
  reference: { createReferenceModel },
};
