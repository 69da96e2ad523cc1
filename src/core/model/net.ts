// The contract every trainable network in the GLSDA pipeline satisfies (teacher, student, baselines), so one
// training loop, one checkpoint format and one evaluator serve them all.
import type * as TfNamespace from '@tensorflow/tfjs';

export type Tf = typeof TfNamespace;
export type Tensor = TfNamespace.Tensor;
export type Tensor2D = TfNamespace.Tensor2D;
export type Tensor3D = TfNamespace.Tensor3D;
export type Variable = TfNamespace.Variable;
export type Scalar = TfNamespace.Scalar;

/** One batch of dual-path inputs: CSI-ratio phase [B, T, F1] and Doppler spectrogram [B, T, F2] (same T). */
export interface DualInput {
  phase: Tensor3D;
  doppler: Tensor3D;
}

export interface NetOutputs {
  /** Class logits [B, C]. */
  logits: Tensor2D;
  /** Pooled intermediate features [B, D] (the feature-matching target/source). */
  features: Tensor2D;
  /** Embedding in the semantic space [B, E] (teachers with semantics only). */
  semantic?: Tensor2D;
  /** Cross-modal attention weights over classes [B, T', C] (teachers with semantics only). */
  attention?: Tensor3D;
}

export interface Net {
  readonly kind: string;
  /** Every trainable variable, in a fixed order (checkpoints and Adam state are matched by position). */
  readonly variables: Variable[];
  forward(x: DualInput): NetOutputs;
  /** Parameter count (sum of variable sizes). */
  readonly parameterCount: number;
  /** Forward FLOPs per sample (multiply and add counted separately), from the architecture. */
  forwardFlopsPerSample(): number;
  dispose(): void;
}

/** Shapes a network is built for. */
export interface InputShape {
  timeSteps: number;
  /** Bands per receiver in the Doppler path (F2 = receivers × bands); absent: one receiver (bands = F2). */
  dopplerBands?: number;
  phaseFeatures: number;
  dopplerFeatures: number;
  classes: number;
}
