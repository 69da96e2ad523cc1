// Detection by content and the format-layer entry points (readRecording, readRecordingFile, streamFrames).
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REFDATA, refdata } from '../../helpers/paths';
import { detectFormat } from '../../../src/core/formats/detect';
import { CsiFormatError, readRecording, readRecordingFile, streamFrames } from '../../../src/core/formats/index';
import type { CsiReader } from '../../../src/core/formats/reader';

const DIRS = ['intel5300', 'atheros', 'nexmon', 'esp32', 'picoscenes'] as const;

describe('format detection and entry points', () => {
  for (const dir of DIRS) {
    for (const f of fs.readdirSync(path.join(REFDATA, dir)).sort()) {
      it(`detects ${dir}/${f} as ${dir}, whatever its name`, () => {
        const bytes = new Uint8Array(fs.readFileSync(path.join(REFDATA, dir, f)));
        const d = detectFormat(bytes.subarray(0, 65536));
        assert.equal(d?.format, dir);
        assert.ok((d?.confidence ?? 0) >= 0.5);
      });
    }
  }

  it('a stray leading byte still detects as Intel 5300, with lower confidence', () => {
    const b = fs.readFileSync(refdata('intel5300', 'example.dat'));
    const shifted = new Uint8Array(b.length + 1);
    shifted.set(b, 1);
    const d = detectFormat(shifted);
    assert.equal(d?.format, 'intel5300');
    assert.ok((d?.confidence ?? 1) < 0.95);
  });

  it('ignores a sniffer that throws and picks the most confident', () => {
    const mk = (format: CsiReader['format'], sniff: () => number): CsiReader => ({
      format,
      sniff,
      read: () => {
        throw new Error('unused');
      },
      frames: () => {
        throw new Error('unused');
      },
    });
    const d = detectFormat(new Uint8Array(10), [
      mk('atheros', () => {
        throw new Error('boom');
      }),
      mk('esp32', () => 0.4),
      mk('nexmon', () => 0.7),
    ]);
    assert.equal(d?.format, 'nexmon');
    assert.equal(detectFormat(new Uint8Array(10), [mk('esp32', () => 0.1), mk('nexmon', () => NaN)]), undefined);
  });

  it('unknown content throws CsiFormatError with an unknown-format diagnostic', () => {
    for (const bytes of [new Uint8Array(0), new Uint8Array(5000), Uint8Array.from({ length: 5000 }, (_, i) => (i * 2654435761) >>> 24)]) {
      assert.throws(
        () => readRecording(bytes, { file: 'x.bin' }),
        (e: unknown) =>
          e instanceof CsiFormatError && e.code === 'unknown-format' && e.diagnostic.file === 'x.bin' && /no reader/.test(e.message),
      );
    }
  });

  it('readRecordingFile reads by path and names the file in diagnostics; a missing file is an io-error', async () => {
    const rec = await readRecordingFile(refdata('intel5300', 'example.dat'));
    assert.equal(rec.format, 'intel5300');
    assert.equal(rec.file, refdata('intel5300', 'example.dat'));
    await assert.rejects(readRecordingFile('/nonexistent/a.dat'), (e: unknown) => e instanceof CsiFormatError && e.code === 'io-error');
  });

  it('streamFrames gives the same frames as the whole-file read (small chunks) and reports diagnostics', async () => {
    const src = fs.readFileSync(refdata('intel5300', 'log.all_csi.6.7.6'));
    const tmp = path.join(os.tmpdir(), `stream-${process.pid}.dat`);
    fs.writeFileSync(tmp, src.subarray(0, src.length - 50)); // truncated tail
    try {
      const rec = await readRecordingFile(tmp);
      const diags: string[] = [];
      const offsets: number[] = [];
      for await (const f of streamFrames(tmp, { chunkSize: 333, onDiagnostic: d => diags.push(d.code) })) offsets.push(f.offset);
      assert.deepEqual(offsets, Array.from(rec.offsets));
      assert.deepEqual(diags, ['truncated-record']);
      await assert.rejects(
        async () => {
          for await (const _ of streamFrames('/nonexistent/b.dat')) {
            /* none */
          }
        },
        (e: unknown) => e instanceof CsiFormatError && e.code === 'io-error',
      );
    } finally {
      fs.unlinkSync(tmp);
    }
  });
});
