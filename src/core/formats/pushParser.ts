// One parsing procedure, two drivers: the whole-file path (`read`) and the chunked streaming path (`frames`) of the
// Atheros, Nexmon, ESP32 and PicoScenes readers run the very same `PushParser`, so they cannot disagree on which
// bytes form a record, whatever the chunk boundaries are.
//
// Protocol: the driver offers a window `buf[pos..end)` whose first byte is at file offset `base + pos`. The parser
// consumes one unit (a record, a line, a run of garbage) and returns how many bytes it used (> 0), or 0 when it
// cannot decide without more bytes. Returning 0 is only allowed while `eof` is false; at end of file the parser
// must consume what is left (reporting a truncated tail as a diagnostic). A parser may only look at bytes inside
// the window and must not allocate from an unchecked length field: each reader caps the record size it asks for,
// which is what bounds the streaming buffer (largest record + one chunk).
import type { CsiDiagnostic, CsiFrame } from './types';

/** `frame.csi` of a frame whose values were not decoded (ReadOptions.skipCsi). */
export const NO_CSI = new Float32Array(0);

export interface PushParser {
  step(buf: Uint8Array, pos: number, end: number, base: number, eof: boolean): number;
  /** Called once after the last step at end of file: emit anything still pending (e.g. a Nexmon packet group). */
  finish(): void;
}

/** Where a parser puts what it finds. `stop` turns true once `maxFrames` frames were emitted. */
export class ParseSink {
  readonly frames: CsiFrame[] = [];
  readonly diagnostics: CsiDiagnostic[] = [];
  private emitted = 0;
  /**
   * `keepKeys`: for the whole-file path, which only turns frames into columns, keep the full header of the first
   * frame but only these header fields of the others — per-frame header objects would otherwise dominate the
   * memory of a large read().
   * `onFrame`: hand each frame to this callback instead of collecting it in `frames` (a scan that keeps only a few
   * fields per frame, frameIndex.ts).
   */
  constructor(
    readonly file: string,
    private readonly maxFrames = Infinity,
    private readonly onDiagnostic?: (d: CsiDiagnostic) => void,
    private readonly keepKeys?: readonly string[],
    private readonly onFrame?: (f: CsiFrame) => void,
  ) {}

  get stop(): boolean {
    return this.emitted >= this.maxFrames;
  }

  /** Takes ownership of `f` (each parser builds a fresh object per frame): its header and index are set in place. */
  frame(f: Omit<CsiFrame, 'index'>): void {
    if (this.stop) return;
    const out = f as CsiFrame;
    if (this.keepKeys && this.emitted > 0) {
      const header: CsiFrame['header'] = {};
      for (const k of this.keepKeys) if (k in f.header) header[k] = f.header[k];
      out.header = header;
    }
    out.index = this.emitted++;
    if (this.onFrame) this.onFrame(out);
    else this.frames.push(out);
  }

  diag(severity: CsiDiagnostic['severity'], code: string, offset: number, message: string, expected?: string, line?: number): void {
    const d: CsiDiagnostic = { file: this.file, offset, severity, code, message };
    if (expected !== undefined) d.expected = expected;
    if (line !== undefined) d.line = line;
    this.diagnostics.push(d);
    this.onDiagnostic?.(d);
  }
}

/** Whole-file driver. */
export function runWhole(parser: PushParser, bytes: Uint8Array, sink: ParseSink): void {
  let pos = 0;
  const end = bytes.length;
  while (pos < end && !sink.stop) {
    const used = parser.step(bytes, pos, end, 0, true);
    // A parser returning 0 at eof would loop forever; treat it as a bug-proof end instead.
    if (used <= 0) break;
    pos += used;
  }
  if (!sink.stop) parser.finish();
}

/**
 * The streaming window shared by the two chunked drivers: the pending bytes of an unfinished record plus the new
 * chunk. Memory is bounded by the largest record a parser accepts plus one chunk.
 */
class ChunkWindow {
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private base = 0; // file offset of buf[0]

  constructor(
    private readonly parser: PushParser,
    private readonly sink: ParseSink,
  ) {}

  push(chunk: Uint8Array): void {
    const pending = this.end - this.start;
    if (this.end + chunk.length > this.buf.length) {
      // Compact (drop consumed bytes) and grow only when the pending record really needs it.
      const need = pending + chunk.length;
      const next = need > this.buf.length ? new Uint8Array(Math.max(need, 2 * this.buf.length, 65536)) : this.buf;
      // TypedArray.set copes with the overlapping in-place case (next === buf).
      next.set(this.buf.subarray(this.start, this.end), 0);
      this.base += this.start;
      this.buf = next;
      this.start = 0;
      this.end = pending;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
    this.run(false);
  }

  finish(): void {
    if (this.sink.stop) return;
    this.run(true);
    if (!this.sink.stop) this.parser.finish();
  }

  private run(eof: boolean): void {
    while (this.start < this.end && !this.sink.stop) {
      const used = this.parser.step(this.buf, this.start, this.end, this.base, eof);
      if (used <= 0) break;
      this.start += used;
    }
  }
}

/**
 * Streaming driver: frames are yielded as soon as they are complete. Memory is the pending window (bounded by the
 * largest record a parser accepts) plus the current chunk.
 */
export async function* runChunks(parser: PushParser, chunks: AsyncIterable<Uint8Array>, sink: ParseSink): AsyncGenerator<CsiFrame> {
  const win = new ChunkWindow(parser, sink);
  let yielded = 0;
  const drain = function* (): Generator<CsiFrame> {
    while (yielded < sink.frames.length) yield sink.frames[yielded++];
    // Keep memory bounded: frames already handed out are dropped.
    if (yielded > 1024) {
      sink.frames.splice(0, yielded);
      yielded = 0;
    }
  };
  for await (const chunk of chunks) {
    if (sink.stop) break;
    if (chunk.length === 0) continue;
    win.push(chunk);
    yield* drain();
  }
  win.finish();
  yield* drain();
}

/**
 * Streaming driver for a sink with `onFrame`: the same window and steps as runChunks, frames handed over
 * synchronously (no promise per frame: a scan of a 1 GB capture sees about a million of them).
 */
export async function runChunksTo(parser: PushParser, chunks: AsyncIterable<Uint8Array>, sink: ParseSink): Promise<void> {
  const win = new ChunkWindow(parser, sink);
  for await (const chunk of chunks) {
    if (sink.stop) break;
    if (chunk.length === 0) continue;
    win.push(chunk);
  }
  win.finish();
}
