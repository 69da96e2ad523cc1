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

export async function collect(reader: CsiReader, bytes: Uint8Array, sizes: number[], opts: ReadOptions = {}):
    Promise<{ frames: CsiFrame[]; diagnostics: CsiDiagnostic[] }> {
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
            assert.fail(`frame ${p} sc ${s} rx ${r} tx ${t}: stream [${f.csi[a]}, ${f.csi[a + 1]}] vs read [${rec.csi[b]}, ${rec.csi[b + 1]}]`);
          }
        }
  }
}

/** Diagnostics compared by what matters (code, offset, severity), in order. */
export function diagKeys(d: CsiDiagnostic[]): string[] {
  return d.map(x => `${x.severity}:${x.code}@${x.offset}`);
}
