// Per-epoch checkpoints: model variables + Adam state + epoch + history + the fingerprint of what is being trained.
// Layout: <dir>/epoch-000N/{state.json, tensors.bin}. A checkpoint is written into a temporary sibling directory
// and renamed into place, so a crash mid-write leaves either the previous checkpoint or the new one, never half of
// one; older epochs are then removed. The RNG needs no saved state: batch order of epoch e is a pure function of
// (seed, e) (see train.ts), so the epoch number is the RNG state.
import { promises as fs } from 'fs';
import * as path from 'path';
import { ModelError } from '../errors';

export const CHECKPOINT_FORMAT = 'csi-workbench/checkpoint@1';

export interface TensorRecord {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

export interface CheckpointState<H = unknown> {
  format: typeof CHECKPOINT_FORMAT;
  fingerprint: string;
  /** Last completed epoch (1-based). */
  epoch: number;
  seed: number;
  optimizerIterations: number;
  variables: TensorRecord[];
  optimizer: TensorRecord[];
  history: H[];
}

export interface TensorData {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

export interface SaveCheckpoint<H> {
  fingerprint: string;
  epoch: number;
  seed: number;
  optimizerIterations: number;
  variables: TensorData[];
  optimizer: TensorData[];
  history: H[];
}

const EPOCH_RE = /^epoch-(\d+)$/;

function pack(list: TensorData[], chunks: Uint8Array[], offset: { v: number }): TensorRecord[] {
  return list.map(t => {
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    chunks.push(bytes.slice());
    const rec = { name: t.name, shape: t.shape, dtype: t.dtype, offset: offset.v, length: t.data.length };
    offset.v += bytes.byteLength;
    return rec;
  });
}

export async function saveCheckpoint<H>(dir: string, c: SaveCheckpoint<H>): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const chunks: Uint8Array[] = [];
  const off = { v: 0 };
  const state: CheckpointState<H> = {
    format: CHECKPOINT_FORMAT,
    fingerprint: c.fingerprint,
    epoch: c.epoch,
    seed: c.seed,
    optimizerIterations: c.optimizerIterations,
    variables: pack(c.variables, chunks, off),
    optimizer: pack(c.optimizer, chunks, off),
    history: c.history,
  };
  const name = `epoch-${String(c.epoch).padStart(4, '0')}`;
  const tmp = path.join(dir, `.tmp-${name}-${process.pid}-${Date.now()}`);
  await fs.mkdir(tmp, { recursive: true });
  await fs.writeFile(path.join(tmp, 'tensors.bin'), Buffer.concat(chunks));
  await fs.writeFile(path.join(tmp, 'state.json'), JSON.stringify(state));
  const final = path.join(dir, name);
  await fs.rm(final, { recursive: true, force: true });
  await fs.rename(tmp, final);
  for (const e of await fs.readdir(dir)) {
    const m = EPOCH_RE.exec(e);
    if ((m && Number(m[1]) < c.epoch) || e.startsWith('.tmp-')) await fs.rm(path.join(dir, e), { recursive: true, force: true });
  }
  return final;
}

export interface LoadedCheckpoint<H> {
  state: CheckpointState<H>;
  variables: TensorData[];
  optimizer: TensorData[];
  file: string;
}

/** The newest complete checkpoint in `dir`, or undefined when there is none. Damaged files raise 'bad-checkpoint'. */
export async function loadLatestCheckpoint<H>(dir: string): Promise<LoadedCheckpoint<H> | undefined> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return undefined;
  }
  const epochs = entries
    .map(e => EPOCH_RE.exec(e))
    .filter((m): m is RegExpExecArray => !!m)
    .map(m => m[0])
    .sort();
  if (!epochs.length) return undefined;
  const cdir = path.join(dir, epochs[epochs.length - 1]);
  const sfile = path.join(cdir, 'state.json'),
    bfile = path.join(cdir, 'tensors.bin');
  let state: CheckpointState<H>;
  try {
    state = JSON.parse(await fs.readFile(sfile, 'utf8')) as CheckpointState<H>;
  } catch (e) {
    throw new ModelError('bad-checkpoint', `state.json unreadable: ${(e as Error).message}`, sfile);
  }
  if (state.format !== CHECKPOINT_FORMAT)
    throw new ModelError('bad-checkpoint', `format ${String(state.format)}, expected ${CHECKPOINT_FORMAT}`, sfile);
  const bin = await fs.readFile(bfile);
  const unpack = (recs: TensorRecord[]): TensorData[] =>
    recs.map(r => {
      const bytes = r.length * 4;
      if (!(r.offset >= 0 && r.offset + bytes <= bin.byteLength)) {
        throw new ModelError(
          'bad-checkpoint',
          `tensor ${r.name} at byte offset ${r.offset} (+${bytes}) runs past the end (${bin.byteLength} bytes)`,
          bfile,
        );
      }
      if (r.shape.reduce((a, b) => a * b, 1) !== r.length)
        throw new ModelError('bad-checkpoint', `tensor ${r.name}: shape [${r.shape}] does not match ${r.length} values`, sfile);
      const copy = new Uint8Array(bin.subarray(r.offset, r.offset + bytes));
      return {
        name: r.name,
        shape: r.shape,
        dtype: r.dtype,
        data: r.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer),
      };
    });
  return { state, variables: unpack(state.variables), optimizer: unpack(state.optimizer), file: cdir };
}
