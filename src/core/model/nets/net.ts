// The contract every trainable network in the GLSDA pipeline satisfies (teacher, student, baselines), so one
// training loop, one checkpoint format and one evaluator serve them all.
import type { Tensor2D, Tensor3D, Variable } from '../../engine/tfTypes';
import type { DualInput } from '../../features/tensorDataset';

export type { Tf, Tensor, Tensor2D, Tensor3D, Variable, Scalar } from '../../engine/tfTypes';
export type { DualInput } from '../../features/tensorDataset';

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
