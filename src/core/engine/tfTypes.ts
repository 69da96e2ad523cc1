// The tfjs types every layer above the engine names (features' batch tensors, the nets, the training loop), in one
// place so none of them imports tfjs's namespace itself.
import type * as TfNamespace from '@tensorflow/tfjs';

export type Tf = typeof TfNamespace;
export type Tensor = TfNamespace.Tensor;
export type Tensor2D = TfNamespace.Tensor2D;
export type Tensor3D = TfNamespace.Tensor3D;
export type Variable = TfNamespace.Variable;
export type Scalar = TfNamespace.Scalar;
