// Content-addressed on-disk cache of Float32 feature tensors, so DSP runs once per (sample, parameter set, code
// version). Key = sha256("csi-workbench/feature-key@1", code version, canonical JSON of the DSP parameters,
// sha256 of each input file's bytes, in order). Content-addressed rather than path-addressed: a renamed or copied
// recording hits, an edited one misses.
//
// Entry file `<dir>/<key[0..2]>/<key>.f32`, little-endian:
//   0   8  magic "CSIFEAT1"
//   8   4  u32 ndim (1..8)
//   12  4·ndim u32 dims
//   …   32 key (raw sha256 bytes)          guards against a file landing under the wrong name
//   …   32 sha256 of the payload           detects bit rot / partial copies
//   …   4·Π dims  Float32 payload
// Writes go to a unique temp file in the same folder and are renamed into place (atomic on POSIX and NTFS), so a
// crash never leaves a half-written entry under a real key. A bad header, wrong length, key or checksum is
// treated as a miss: the entry is deleted, a diagnostic is reported, and the caller recomputes — never a crash.
// Optional size limit with least-recently-used eviction (last use = file mtime, refreshed on every hit).
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataError, type DatasetDiagnostic } from '../data/errors';

export interface FeatureTensor {
  shape: number[];
  data: Float32Array;
}

export interface FeatureCacheOptions {
  /** Evict least-recently-used entries beyond this many bytes (default: no limit). */
  maxBytes?: number;
  /** Receives a diagnostic for every corrupt entry found (and removed). */
  onDiagnostic?: (d: DatasetDiagnostic) => void;
}

export interface FeatureCacheStats {
  hits: number;
  misses: number;
  corrupt: number;
  evicted: number;
  writes: number;
}

const MAGIC = Buffer.from('CSIFEAT1', 'ascii');
const MAX_NDIM = 8;
const KEY_VERSION = 'csi-workbench/feature-key@1';
const LITTLE_ENDIAN = os.endianness() === 'LE';

/** JSON with object keys sorted at every level, so {a,b} and {b,a} give the same key. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .filter(k => (v as Record<string, unknown>)[k] !== undefined)
      .map(k => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return JSON.stringify(String(v)); // NaN/Infinity are not JSON
  return JSON.stringify(v) ?? 'null';
}

function payloadBytes(data: Float32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const b = Buffer.alloc(data.length * 4);
  data.forEach((x, i) => b.writeFloatLE(x, i * 4));
  return b;
}

export class FeatureCache {
  readonly stats: FeatureCacheStats = { hits: 0, misses: 0, corrupt: 0, evicted: 0, writes: 0 };
  /** File digest memo keyed by (path, size, mtime, inode): unchanged files are hashed once per process. */
  private readonly digests = new Map<string, string>();
  private approxBytes: number | undefined;

  constructor(
    readonly dir: string,
    private readonly opts: FeatureCacheOptions = {},
  ) {}

  /** sha256 of a file's bytes (streamed; memoised while size/mtime/inode are unchanged). */
  async fileDigest(file: string): Promise<string> {
    const st = await fs.promises.stat(file).catch((e: Error) => {
      throw new DataError('io', `${file}: cannot read the recording (${e.message})`, { file });
    });
    const memo = `${path.resolve(file)}|${st.size}|${st.mtimeMs}|${st.ino}`;
    const hit = this.digests.get(memo);
    if (hit) return hit;
    const h = createHash('sha256');
    await new Promise<void>((resolve, reject) => {
      fs.createReadStream(file)
        .on('data', c => h.update(c))
        .on('end', resolve)
        .on('error', reject);
    });
    const d = h.digest('hex');
    this.digests.set(memo, d);
    return d;
  }

  async key(files: readonly string[], params: unknown, codeVersion: string): Promise<string> {
    const h = createHash('sha256')
      .update(KEY_VERSION)
      .update('\0')
      .update(codeVersion)
      .update('\0')
      .update(canonicalJson(params))
      .update('\0');
    h.update(String(files.length));
    for (const f of files) h.update('\0').update(await this.fileDigest(f));
    return h.digest('hex');
  }

  entryPath(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new DataError('bad-params', `feature cache key must be 64 hex digits, got "${key}"`);
    return path.join(this.dir, key.slice(0, 2), `${key}.f32`);
  }

  private corrupt(file: string, offset: number, message: string, expected: string): undefined {
    this.stats.corrupt++;
    this.opts.onDiagnostic?.({
      file,
      offset,
      severity: 'warning',
      code: 'corrupt-cache-entry',
      message: `${message}; entry removed and recomputed`,
      expected,
    });
    return undefined;
  }

  /** The cached tensor, or undefined on a miss or a corrupt entry (which is removed). */
  async get(key: string): Promise<FeatureTensor | undefined> {
    const file = this.entryPath(key);
    let buf: Buffer;
    try {
      buf = await fs.promises.readFile(file);
    } catch {
      this.stats.misses++;
      return undefined;
    }
    const t = this.decode(buf, key, file);
    if (!t) {
      // Awaited (not fire-and-forget) so the removal cannot race with the caller's rewrite of the same entry.
      await fs.promises.rm(file, { force: true }).catch(() => undefined);
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    const now = new Date();
    await fs.promises.utimes(file, now, now).catch(() => undefined); // LRU: last use
    return t;
  }

  private decode(buf: Buffer, key: string, file: string): FeatureTensor | undefined {
    if (buf.length < 12 || !buf.subarray(0, 8).equals(MAGIC)) return this.corrupt(file, 0, 'bad magic', '"CSIFEAT1"');
    const ndim = buf.readUInt32LE(8);
    if (ndim < 1 || ndim > MAX_NDIM) return this.corrupt(file, 8, `ndim ${ndim}`, `1..${MAX_NDIM}`);
    const headerLen = 12 + 4 * ndim + 64;
    if (buf.length < headerLen)
      return this.corrupt(file, buf.length, `file ends inside the ${headerLen}-byte header`, `${headerLen} header bytes`);
    const shape: number[] = [];
    let count = 1;
    for (let i = 0; i < ndim; i++) {
      const d = buf.readUInt32LE(12 + 4 * i);
      shape.push(d);
      count *= d;
    }
    // Compare against the actual file length before allocating anything from the header's numbers.
    if (buf.length !== headerLen + count * 4) {
      return this.corrupt(
        file,
        headerLen,
        `payload is ${buf.length - headerLen} bytes`,
        `${count * 4} bytes for shape [${shape.join(', ')}]`,
      );
    }
    const keyAt = 12 + 4 * ndim;
    if (buf.subarray(keyAt, keyAt + 32).toString('hex') !== key) return this.corrupt(file, keyAt, 'entry belongs to another key', key);
    const payload = buf.subarray(headerLen);
    if (
      !createHash('sha256')
        .update(payload)
        .digest()
        .equals(buf.subarray(keyAt + 32, keyAt + 64))
    ) {
      return this.corrupt(file, keyAt + 32, 'payload checksum mismatch', 'sha256 of the payload as recorded');
    }
    const data = new Float32Array(count);
    if (LITTLE_ENDIAN) new Uint8Array(data.buffer).set(payload);
    else for (let i = 0; i < count; i++) data[i] = payload.readFloatLE(i * 4);
    return { shape, data };
  }

  /** Stores a tensor atomically (temp file + rename). */
  async put(key: string, t: FeatureTensor): Promise<void> {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (
      !t.shape.length ||
      t.shape.length > MAX_NDIM ||
      t.shape.some(d => !Number.isInteger(d) || d < 0 || d > 0xffffffff) ||
      count !== t.data.length
    ) {
      throw new DataError(
        'bad-params',
        `feature tensor shape [${t.shape.join(', ')}] does not match its ${t.data.length} values (or has more than ${MAX_NDIM} dims)`,
      );
    }
    const file = this.entryPath(key);
    const payload = payloadBytes(t.data);
    const head = Buffer.alloc(12 + 4 * t.shape.length + 64);
    MAGIC.copy(head, 0);
    head.writeUInt32LE(t.shape.length, 8);
    t.shape.forEach((d, i) => head.writeUInt32LE(d, 12 + 4 * i));
    const keyAt = 12 + 4 * t.shape.length;
    Buffer.from(key, 'hex').copy(head, keyAt);
    createHash('sha256')
      .update(payload)
      .digest()
      .copy(head, keyAt + 32);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
    try {
      const fh = await fs.promises.open(tmp, 'w');
      try {
        await fh.writev([head, payload]);
      } finally {
        await fh.close();
      }
      await fs.promises.rename(tmp, file);
    } catch (e) {
      await fs.promises.rm(tmp, { force: true });
      throw new DataError('io', `${file}: cannot write feature cache entry (${(e as Error).message})`, { file });
    }
    this.stats.writes++;
    if (this.opts.maxBytes !== undefined) {
      this.approxBytes = (this.approxBytes ?? (await this.totalBytes())) + head.length + payload.length;
      if (this.approxBytes > this.opts.maxBytes) await this.evict(file);
    }
  }

  /** Cached features for `files` under `params`/`codeVersion`, computing and storing them on a miss. */
  async getOrCompute(
    files: readonly string[],
    params: unknown,
    codeVersion: string,
    compute: () => Promise<FeatureTensor> | FeatureTensor,
  ): Promise<{ tensor: FeatureTensor; key: string; hit: boolean }> {
    const key = await this.key(files, params, codeVersion);
    const cached = await this.get(key);
    if (cached) return { tensor: cached, key, hit: true };
    const tensor = await compute();
    await this.put(key, tensor);
    return { tensor, key, hit: false };
  }

  private async entries(): Promise<{ file: string; size: number; mtimeMs: number }[]> {
    const out: { file: string; size: number; mtimeMs: number }[] = [];
    let subs: string[];
    try {
      subs = await fs.promises.readdir(this.dir);
    } catch {
      return out;
    }
    for (const s of subs) {
      let names: string[];
      try {
        names = await fs.promises.readdir(path.join(this.dir, s));
      } catch {
        continue;
      }
      for (const n of names) {
        if (!n.endsWith('.f32')) continue;
        const file = path.join(this.dir, s, n);
        try {
          const st = await fs.promises.stat(file);
          out.push({ file, size: st.size, mtimeMs: st.mtimeMs });
        } catch {
          /* raced with another process */
        }
      }
    }
    return out;
  }

  async totalBytes(): Promise<number> {
    return (await this.entries()).reduce((a, e) => a + e.size, 0);
  }

  /** Removes least-recently-used entries until the cache fits maxBytes (never the entry just written). */
  async evict(keep?: string): Promise<void> {
    const max = this.opts.maxBytes;
    if (max === undefined) return;
    const list = (await this.entries()).sort((a, b) => a.mtimeMs - b.mtimeMs);
    let total = list.reduce((a, e) => a + e.size, 0);
    for (const e of list) {
      if (total <= max) break;
      if (e.file === keep) continue;
      await fs.promises.rm(e.file, { force: true });
      total -= e.size;
      this.stats.evicted++;
    }
    this.approxBytes = total;
  }
}
