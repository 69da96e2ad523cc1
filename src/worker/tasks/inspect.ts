// Worker task: read a recording from disk and summarise it for the editor and the command palette.
import * as fs from 'fs';
import { CsiFormatError, readRecording } from '../../core/formats';
import type { CsiRecording } from '../../core/formats/types';
import type { RecordingSummary } from '../../shared/recordingSummary';
import type { TaskContext } from '../taskContext';
import { TaskError } from './taskError';

export function summarizeRecording(rec: CsiRecording, sizeBytes: number, parseMs: number, maxDiagnostics = 200): RecordingSummary {
  const n = rec.nPackets;
  const durationS = n > 1 ? (rec.timestampUs[n - 1] - rec.timestampUs[0]) / 1e6 : 0;
  return {
    file: rec.file,
    sizeBytes,
    format: rec.format,
    device: rec.device,
    records: n,
    nSubcarriers: rec.nSubcarriers,
    nRx: rec.nRx,
    nTx: rec.nTx,
    bandwidthMHz: rec.bandwidthMHz,
    durationS,
    meanRateHz: durationS > 0 ? (n - 1) / durationS : 0,
    diagnostics: rec.diagnostics.slice(0, maxDiagnostics),
    diagnosticCount: rec.diagnostics.length,
    parseMs,
  };
}

export async function inspect(params: { path: string; maxDiagnostics?: number }, ctx: TaskContext): Promise<RecordingSummary> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(params.path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new TaskError(
      err.code === 'ENOENT' ? 'not-found' : 'bad-input',
      `${params.path}: cannot read the file (${err.code ?? err.message})`,
    );
  }
  ctx.progress({ fraction: 0.1, message: `parsing ${bytes.length} bytes` });
  await ctx.checkpoint();
  const t0 = performance.now();
  let rec: CsiRecording;
  try {
    rec = readRecording(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { file: params.path });
  } catch (e) {
    // Content no reader recognises is an answer, not a failure: the editor shows it with the diagnostic.
    if (!(e instanceof CsiFormatError)) throw e;
    return {
      file: params.path,
      sizeBytes: bytes.length,
      records: 0,
      nSubcarriers: 0,
      nRx: 0,
      nTx: 0,
      bandwidthMHz: 0,
      durationS: 0,
      meanRateHz: 0,
      diagnostics: [e.diagnostic],
      diagnosticCount: 1,
      parseMs: performance.now() - t0,
    };
  }
  const parseMs = performance.now() - t0;
  ctx.progress({ fraction: 1 });
  return summarizeRecording(rec, bytes.length, parseMs, params.maxDiagnostics);
}
