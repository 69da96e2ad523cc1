// Moving float32 tensors between tfjs-wasm's heap and the project's GEMM module, shared by every custom kernel.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { GemmWasm } from '../gemmWasm';

/** Typed error for an input a custom kernel cannot handle (names the kernel and what was expected). */
export class KernelInputError extends Error {
  constructor(
    readonly kernel: string,
    message: string,
  ) {
    super(`${kernel}: ${message}`);
    this.name = 'KernelInputError';
  }
}

/** Copy a float32 tensor from the tfjs heap into the GEMM arena; returns its byte offset there. */
export function putTensor(gemm: GemmWasm, backend: BackendWasm, t: TensorInfo, kernel: string): number {
  if (t.dtype !== 'float32') throw new KernelInputError(kernel, `expected float32 input, got ${t.dtype}`);
  return gemm.put(backend.typedArrayFromHeap(t) as Float32Array);
}

/**
 * Allocate a tfjs output of `shape` and fill it from the GEMM arena at `at`. The output is made only after all inputs
 * were copied out, because makeOutput may grow the tfjs heap and detach earlier views.
 */
export function outputFrom(gemm: GemmWasm, backend: BackendWasm, shape: number[], at: number): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  const n = shape.reduce((a, b) => a * b, 1);
  (backend.typedArrayFromHeap(out) as Float32Array).set(gemm.read(at, n));
  return out;
}
