// The interface every format reader implements. One reader per file in this folder (intel5300.ts, atheros.ts,
// nexmon.ts, esp32.ts, picoscenes.ts); registry.ts lists them and detect.ts picks one by content.
import type { CsiFormat, CsiRecording, CsiFrame, ReadOptions } from './types';

export interface CsiReader {
  readonly format: CsiFormat;
  /**
   * How sure the reader is that a file starting with `head` (up to the first 64 KiB) is its format, 0..1.
   * Must be cheap and must not throw on any input.
   */
  sniff(head: Uint8Array): number;
  /** Fast whole-file path: parse everything in memory. Never throws for bad content (diagnostics instead). */
  read(bytes: Uint8Array, opts?: ReadOptions): CsiRecording;
  /**
   * Streaming path: frames from a sequence of chunks of arbitrary size, with memory bounded by the largest
   * record, not the file. Diagnostics are reported through `opts.onDiagnostic` when given.
   */
  frames(chunks: AsyncIterable<Uint8Array>, opts?: ReadOptions & { onDiagnostic?: (d: import('./types').CsiDiagnostic) => void }): AsyncIterable<CsiFrame>;
}
