// Test helpers for the Atheros / Nexmon / ESP32 / PicoScenes reader tests: feed a file to `frames()` in chunks of a
// given size and check the frames equal what `read()` produced.
import * as assert from 'node:assert/strict';
import type { CsiReader } from '../../../src/core/formats/reader';
import type { CsiDiagnostic, CsiFrame, CsiRecording, ReadOptions } from '../../../src/core/formats/types';

export async function* chunked(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let pos = 0;
  let i = 0;
  while (pos < bytes.length) {
    const n = sizes[i++ % sizes.length];
    // Copy, so a reader that keeps a reference to a chunk (instead of its own buffer) is caught.
    yield bytes.slice(pos, pos + n);
    pos += n;
  }
}

export async function collect(
  reader: CsiReader,
  bytes: Uint8Array,
  sizes: number[],
  opts: ReadOptions = {},
): Promise<{ frames: CsiFrame[]; diagnostics: CsiDiagnostic[] }> {
  const frames: CsiFrame[] = [];
  const diagnostics: CsiDiagnostic[] = [];
  for await (const f of reader.frames(chunked(bytes, sizes), { ...opts, onDiagnostic: d => diagnostics.push(d) })) {
    frames.push(f);
  }
  return { frames, diagnostics };
}

/** Every streamed frame equals packet p of the whole-file recording (offset, timestamp, seq, CSI values). */
export function assertFramesMatchRecording(frames: CsiFrame[], rec: CsiRecording): void {
  assert.equal(frames.length, rec.nPackets, 'frame count');
  for (let p = 0; p < frames.length; p++) {
    const f = frames[p];
    assert.equal(f.index, p);
    assert.equal(f.offset, rec.offsets[p], `offset of frame ${p}`);
    assert.equal(f.seq, rec.seq[p], `seq of frame ${p}`);
    assert.equal(f.nRx, rec.nRxPerPacket[p]);
    assert.equal(f.nTx, rec.nTxPerPacket[p]);
    for (let s = 0; s < f.nSubcarriers; s++)
      for (let r = 0; r < f.nRx; r++)
        for (let t = 0; t < f.nTx; t++) {
          const a = 2 * ((s * f.nRx + r) * f.nTx + t);
          const b = 2 * (((p * rec.nSubcarriers + s) * rec.nRx + r) * rec.nTx + t);
          if (f.csi[a] !== rec.csi[b] || f.csi[a + 1] !== rec.csi[b + 1]) {
            assert.fail(
              `frame ${p} sc ${s} rx ${r} tx ${t}: stream [${f.csi[a]}, ${f.csi[a + 1]}] vs read [${rec.csi[b]}, ${rec.csi[b + 1]}]`,
            );
          }
        }
  }
}

/** Diagnostics compared by what matters (code, offset, severity), in order. */
export function diagKeys(d: CsiDiagnostic[]): string[] {
  return d.map(x => `${x.severity}:${x.code}@${x.offset}`);
}

/** Every frame `scan()` hands over, in order (the callback twin of `frames()`). */
export async function scanAll(
  reader: CsiReader,
  bytes: Uint8Array,
  sizes: number[],
  opts: ReadOptions = {},
): Promise<{ frames: CsiFrame[]; diagnostics: CsiDiagnostic[] }> {
  assert.ok(reader.scan, `${reader.format} has scan()`);
  const frames: CsiFrame[] = [];
  const diagnostics: CsiDiagnostic[] = [];
  await reader.scan(chunked(bytes, sizes), f => frames.push(f), { ...opts, onDiagnostic: d => diagnostics.push(d) });
  return { frames, diagnostics };
}

/**
 * The index pass (ReadOptions.skipCsi, through scan() and frames()) keeps exactly the frames and diagnostics of a
 * normal pass, with the same per-packet fields and layout header fields, but no CSI values; read() ignores it.
 */
export async function assertSkipCsiPass(
  reader: CsiReader,
  bytes: Uint8Array,
  sizes: number[],
  layoutKeys: readonly string[],
  what: string,
): Promise<void> {
  const full = await collect(reader, bytes, sizes);
  const scanned = await scanAll(reader, bytes, sizes);
  assert.deepEqual(diagKeys(scanned.diagnostics), diagKeys(full.diagnostics), `${what}: scan() diagnostics`);
  assert.deepEqual(scanned.frames, full.frames, `${what}: scan() gives the frames of frames()`);
  for (const bare of [await collect(reader, bytes, sizes, { skipCsi: true }), await scanAll(reader, bytes, sizes, { skipCsi: true })]) {
    assert.deepEqual(diagKeys(bare.diagnostics), diagKeys(full.diagnostics), `${what}: diagnostics of the index pass`);
    assert.equal(bare.frames.length, full.frames.length, `${what}: frames of the index pass`);
    bare.frames.forEach((f, i) => {
      const g = full.frames[i];
      for (const k of ['index', 'offset', 'timestampUs', 'seq', 'nRx', 'nTx', 'nSubcarriers', 'noise', 'agc'] as const) {
        assert.ok(Object.is(f[k], g[k]), `${what} frame ${i}: ${k} ${f[k]} vs ${g[k]}`);
      }
      assert.deepEqual(f.rssi, g.rssi, `${what} frame ${i}: rssi`);
      for (const k of layoutKeys)
        assert.ok(Object.is(f.header[k], g.header[k]), `${what} frame ${i}: header.${k} ${String(f.header[k])} vs ${String(g.header[k])}`);
      assert.equal(f.csi.length, 0, 'CSI left undecoded');
      assert.ok(g.csi.length > 0, 'the normal pass decodes it');
    });
  }
  assert.deepEqual(reader.read(bytes, { skipCsi: true }), reader.read(bytes), `${what}: read() ignores skipCsi`);
}

/** A damaged copy: 777 bytes of noise in the middle and the last 50 bytes cut off. */
export function damaged(bytes: Uint8Array): Uint8Array {
  const mid = Math.floor(bytes.length / 2);
  const junk = new Uint8Array(777);
  let x = 99;
  for (let i = 0; i < junk.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    junk[i] = x >>> 24;
  }
  const out = new Uint8Array(bytes.length - 50 + junk.length);
  out.set(bytes.subarray(0, mid), 0);
  out.set(junk, mid);
  out.set(bytes.subarray(mid, bytes.length - 50), mid + junk.length);
  return out;
}
