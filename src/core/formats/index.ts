// Entry points of the format layer: detect by content, then read the whole file or stream its frames.
//
// Unknown content: readRecording/readRecordingFile/streamFrames throw a typed CsiFormatError (code
// 'unknown-format', or 'io-error' for an unreadable file) carrying a CsiDiagnostic. Everything that is recognised
// but damaged is returned as diagnostics on the recording, never thrown. Why a throw for unknown content: a
// recording needs a format and a device to mean anything, and an empty recording would be easy to mistake for an
// empty capture.
import * as fs from 'fs';
import type { CsiDiagnostic, CsiFrame, CsiRecording, ReadOptions } from './types';
import { detectFormat, SNIFF_BYTES } from './detect';
import { CsiFormatError } from './errors';
import { READERS } from './registry';

export type { CsiDiagnostic, CsiFrame, CsiRecording, ReadOptions, CsiFormat } from './types';
export { csiIndex } from './types';
export { detectFormat } from './detect';
export { CsiFormatError } from './errors';
export { READERS } from './registry';

function unknownFormat(file: string): CsiFormatError {
  return new CsiFormatError({
    file,
    offset: 0,
    severity: 'error',
    code: 'unknown-format',
    message: 'no reader recognises this content',
    expected: `one of: ${READERS.map(r => r.format).join(', ')} (detected by content, not extension)`,
  });
}

function ioError(file: string, err: unknown): CsiFormatError {
  return new CsiFormatError({
    file,
    offset: 0,
    severity: 'error',
    code: 'io-error',
    message: `cannot read file: ${err instanceof Error ? err.message : String(err)}`,
    expected: 'a readable file',
  });
}

/** Detect the format of `bytes` and read it whole. */
export function readRecording(bytes: Uint8Array, opts: ReadOptions = {}): CsiRecording {
  const file = opts.file ?? '<buffer>';
  const det = detectFormat(bytes.subarray(0, SNIFF_BYTES));
  if (!det) throw unknownFormat(file);
  const rec = det.reader.read(bytes, { ...opts, file });
  rec.meta = { ...rec.meta, detectConfidence: det.confidence };
  return rec;
}

/** A file's bytes (Node only); an unreadable file is a CsiFormatError 'io-error' naming `file`. */
export async function readFileBytes(path: string, file = path): Promise<Uint8Array> {
  try {
    return await fs.promises.readFile(path);
  } catch (err) {
    throw ioError(file, err);
  }
}

/** Read a file from disk (Node only) with readRecording. */
export async function readRecordingFile(path: string, opts: ReadOptions = {}): Promise<CsiRecording> {
  return readRecording(await readFileBytes(path, opts.file ?? path), { ...opts, file: opts.file ?? path });
}

async function readHead(path: string, file: string): Promise<Uint8Array> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(path, 'r');
    const buf = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } catch (err) {
    throw ioError(file, err);
  } finally {
    await fh?.close();
  }
}

/**
 * Stream the frames of a file (Node only) with bounded memory: the format is detected from the first 64 KiB, then
 * the file is read in `chunkSize` pieces. Diagnostics go to opts.onDiagnostic.
 */
export async function* streamFrames(
  path: string,
  opts: ReadOptions & { onDiagnostic?: (d: CsiDiagnostic) => void; chunkSize?: number } = {},
): AsyncIterable<CsiFrame> {
  const file = opts.file ?? path;
  const det = detectFormat(await readHead(path, file));
  if (!det) throw unknownFormat(file);
  const chunks = fs.createReadStream(path, { highWaterMark: opts.chunkSize ?? 1 << 20 });
  yield* det.reader.frames(chunks as AsyncIterable<Buffer>, { ...opts, file });
}
