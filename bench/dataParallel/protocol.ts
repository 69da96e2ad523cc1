// Messages and shared-memory layout between DataParallelTrainer (coordinator) and its workers.
import type { EngineInfo } from '../../src/core/engine/selectEngine';
import type { ModelFactorySpec, OptimizerSpec } from '../../src/core/engine/trainable';

export interface WorkerInit {
  rank: number;
  workers: number;
  factory: ModelFactorySpec;
  optimizer: OptimizerSpec;
  /** Int32 barrier counter (index 0). */
  control: SharedArrayBuffer;
  /** Float32 [2 parities][workers][parameters] gradient slots, plus [workers] sample counts per parity. */
  gradients: SharedArrayBuffer;
  parameters: number;
}

export type ToWorker =
  { kind: 'step'; step: number; x: Float32Array; xShape: number[]; y: Int32Array } | { kind: 'weights' } | { kind: 'close' };

export type FromWorker =
  | { kind: 'ready'; rank: number; info: EngineInfo; parameters: number }
  | { kind: 'stepped'; rank: number; step: number; loss: number; computeMs: number; syncMs: number; numTensors: number }
  | { kind: 'weights'; values: Float32Array[] }
  | { kind: 'error'; rank: number; message: string };
