import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createHash } from 'crypto';
import { canonicalJson, FeatureCache, type FeatureTensor } from '../../../src/core/features/cache';
import type { DatasetDiagnostic } from '../../../src/core/data/errors';

const tensor = (n: number, seed = 1): FeatureTensor => ({
  shape: [2, n / 2],
  data: Float32Array.from({ length: n }, (_, i) => Math.sin(i * seed) * 1e3),
});

describe('data/featureCache', () => {
  let dir: string, inputs: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fcache-'));
    inputs = fs.mkdtempSync(path.join(os.tmpdir(), 'fin-'));
    fs.writeFileSync(path.join(inputs, 'a.dat'), Buffer.from([1, 2, 3, 4]));
    fs.writeFileSync(path.join(inputs, 'b.dat'), Buffer.from([5, 6, 7]));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(inputs, { recursive: true, force: true });
  });
  const files = (): string[] => [path.join(inputs, 'a.dat'), path.join(inputs, 'b.dat')];

  it('computes once, then hits with identical data and shape; no temp files left', async () => {
    const c = new FeatureCache(dir);
    let calls = 0;
    const compute = (): FeatureTensor => {
      calls++;
      return tensor(64);
    };
    const a = await c.getOrCompute(files(), { fs: 1000, win: 251 }, 'v1', compute);
    const b = await c.getOrCompute(files(), { win: 251, fs: 1000 }, 'v1', compute); // key order irrelevant
    assert.equal(calls, 1);
    assert.equal(a.hit, false);
    assert.equal(b.hit, true);
    assert.deepEqual(b.tensor.shape, [2, 32]);
    assert.deepEqual(b.tensor.data, tensor(64).data);
    const all = fs.readdirSync(dir, { recursive: true }) as string[];
    assert.deepEqual(
      all.filter(f => f.includes('.tmp-')),
      [],
    );
    // File size = header (12 + 4·ndim + 64) + payload.
    assert.equal(fs.statSync(c.entryPath(a.key)).size, 12 + 8 + 64 + 64 * 4);
  });

  it('key: independent sha256 over the documented fields; content-addressed (rename hits, edit misses)', async () => {
    const c = new FeatureCache(dir);
    const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
    const expected = createHash('sha256')
      .update('csi-workbench/feature-key@1\0v1\0{"a":1,"b":[1,2]}\0')
      .update('2')
      .update('\0' + sha(Buffer.from([1, 2, 3, 4])))
      .update('\0' + sha(Buffer.from([5, 6, 7])))
      .digest('hex');
    assert.equal(await c.key(files(), { b: [1, 2], a: 1 }, 'v1'), expected);
    const k = await c.key(files(), {}, 'v1');
    fs.copyFileSync(files()[0], path.join(inputs, 'copy.dat'));
    assert.equal(await c.key([path.join(inputs, 'copy.dat'), files()[1]], {}, 'v1'), k, 'copy → same key');
    assert.notEqual(await c.key([...files()].reverse(), {}, 'v1'), k, 'receiver order matters');
    assert.notEqual(await c.key(files(), {}, 'v2'), k, 'code version');
    assert.notEqual(await c.key(files(), { x: 1 }, 'v1'), k, 'params');
    fs.writeFileSync(files()[0], Buffer.from([1, 2, 3, 5]));
    const c2 = new FeatureCache(dir); // fresh memo
    assert.notEqual(await c2.key(files(), {}, 'v1'), k, 'edited bytes');
    assert.equal(canonicalJson({ b: { d: 1, c: undefined }, a: NaN }), '{"a":"NaN","b":{"d":1}}');
  });

  it('corruption (truncation, bit flip, bad magic, absurd header, wrong key) → recompute, not crash', async () => {
    const diags: DatasetDiagnostic[] = [];
    const c = new FeatureCache(dir, { onDiagnostic: d => diags.push(d) });
    const key = await c.key(files(), {}, 'v1');
    const file = c.entryPath(key);
    const damage: [string, (b: Buffer) => Buffer, RegExp][] = [
      ['truncated', b => b.subarray(0, b.length - 3), /payload is/],
      [
        'bit flip',
        b => {
          const x = Buffer.from(b);
          x[x.length - 1] ^= 0x40;
          return x;
        },
        /checksum/,
      ],
      [
        'bad magic',
        b => {
          const x = Buffer.from(b);
          x[0] = 0;
          return x;
        },
        /bad magic/,
      ],
      [
        'huge dims',
        b => {
          const x = Buffer.from(b);
          x.writeUInt32LE(0xffffffff, 12);
          x.writeUInt32LE(0xffffffff, 16);
          return x;
        },
        /payload is/,
      ],
      [
        'ndim 200',
        b => {
          const x = Buffer.from(b);
          x.writeUInt32LE(200, 8);
          return x;
        },
        /ndim 200/,
      ],
      ['short', b => b.subarray(0, 20), /header/],
      ['empty', () => Buffer.alloc(0), /bad magic/],
    ];
    for (const [what, f, re] of damage) {
      await c.put(key, tensor(16));
      fs.writeFileSync(file, f(fs.readFileSync(file)));
      let calls = 0;
      const r = await c.getOrCompute(files(), {}, 'v1', () => {
        calls++;
        return tensor(16);
      });
      assert.equal(r.hit, false, what);
      assert.equal(calls, 1, what);
      assert.match(diags.at(-1)!.message, re, what);
      assert.equal(diags.at(-1)!.file, file);
      assert.equal((await c.get(key))!.data.length, 16, `${what}: rewritten entry is good`);
    }
    assert.equal(c.stats.corrupt, damage.length);
    // An entry copied under another key's name is rejected too.
    const other = await c.key(files(), { other: true }, 'v1');
    fs.mkdirSync(path.dirname(c.entryPath(other)), { recursive: true });
    fs.copyFileSync(file, c.entryPath(other));
    assert.equal(await c.get(other), undefined);
    assert.match(diags.at(-1)!.message, /another key/);
  });

  it('rejects tensors whose shape does not match the data, writes nothing when compute fails', async () => {
    const c = new FeatureCache(dir);
    const key = await c.key(files(), {}, 'v1');
    await assert.rejects(c.put(key, { shape: [3, 3], data: new Float32Array(8) }), /shape \[3, 3\]/);
    await assert.rejects(
      c.getOrCompute(files(), {}, 'v1', () => {
        throw new Error('dsp failed');
      }),
      /dsp failed/,
    );
    assert.equal(fs.existsSync(c.entryPath(key)), false);
    await assert.rejects(c.key([path.join(inputs, 'missing.dat')], {}, 'v1'), /missing\.dat: cannot read the recording/);
  });

  it('evicts least-recently-used entries beyond maxBytes', async () => {
    const entry = 12 + 8 + 64 + 64 * 4; // bytes per 64-float 2-D entry
    const c = new FeatureCache(dir, { maxBytes: entry * 2 });
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      keys.push(await c.key(files(), { i }, 'v1'));
      await c.put(keys[i], tensor(64, i + 1));
      // Distinct mtimes so LRU order is well-defined on coarse-timestamp filesystems.
      const t = new Date(Date.now() - (10 - i) * 1000);
      fs.utimesSync(c.entryPath(keys[i]), t, t);
      if (i === 1) {
        assert.ok(await c.get(keys[0]));
      } // touch 0: now 1 is the least recently used
    }
    assert.equal(c.stats.evicted, 1);
    assert.ok(fs.existsSync(c.entryPath(keys[0])));
    assert.ok(!fs.existsSync(c.entryPath(keys[1])), 'LRU entry evicted');
    assert.ok(fs.existsSync(c.entryPath(keys[2])));
    assert.ok((await c.totalBytes()) <= entry * 2);
  });
});
