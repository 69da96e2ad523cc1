// The interface every format reader implements. One reader per file in this folder (intel5300/reader.ts, atheros/reader.ts,
// nexmon/reader.ts, esp32/reader.ts, picoscenes/reader.ts); registry.ts lists them and detect.ts picks one by content.
import type { CsiDiagnostic, CsiFormat, CsiRecording, CsiFrame, ReadOptions } from './types';

/** Options of a streaming pass: where diagnostics go, and (scan) where each frame goes. */
export type StreamOptions = ReadOptions & { onDiagnostic?: (d: CsiDiagnostic) => void };

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
  frames(chunks: AsyncIterable<Uint8Array>, opts?: StreamOptions): AsyncIterable<CsiFrame>;
  /**
   * The same streaming pass as `frames()`, each frame handed to `onFrame` as soon as it is complete (synchronously,
   * not retained): for a pass that keeps a few fields of a million frames (frameIndex.ts) without a promise each.
   */
  scan?(chunks: AsyncIterable<Uint8Array>, onFrame: (f: CsiFrame) => void, opts?: StreamOptions): Promise<void>;
}
