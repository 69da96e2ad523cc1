// The contract between the engine's trainers and a model: a list of trainable variables and a scalar loss. The
// data-parallel trainer builds the model inside each worker from a ModelFactorySpec, because tfjs tensors cannot
// cross threads; only the module path, export name and JSON arguments travel.
import type * as TfNamespace from '@tensorflow/tfjs';

export interface Trainable {
  readonly variables: TfNamespace.Variable[];
  loss(x: TfNamespace.Tensor, labels: TfNamespace.Tensor): TfNamespace.Scalar;
  dispose(): void;
}

/**
 * `require(module)[exportName](tf, ...args)` must return a Trainable; args must be structured-cloneable. A module of
 * the form 'builtin:<name>' names a factory compiled into the worker instead (see builtinFactories.ts), which is what
 * bundled builds use, since a bundle has no separate module files to require.
 */
export interface ModelFactorySpec {
  module: string;
  exportName: string;
  args: unknown[];
}

export interface OptimizerSpec {
  kind: 'adam' | 'sgd';
  learningRate: number;
}

export function makeOptimizer(tf: typeof TfNamespace, spec: OptimizerSpec): TfNamespace.Optimizer {
  switch (spec.kind) {
    case 'adam':
      return tf.train.adam(spec.learningRate);
    case 'sgd':
      return tf.train.sgd(spec.learningRate);
  }
}
