// The simulator's files: determinism (same seed → identical bytes, also across worker threads), Widar3.0 naming and
// manifest, and that real readers accept them: the project's reader (round trip of every raw value, antenna
// permutation, plausible get_scaled_csi SNR) and the independent numpy reference reader when python3 is present.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDataset, SimulationCancelledError, type DatasetManifest } from '../../../src/core/sim/dataset';
import { generateSample } from '../../../src/core/sim/sample';
import { DEFAULT_KNOBS } from '../../../src/core/sim/knobs';
import { readRecording } from '../../../src/core/formats/index';
import { csiIndex } from '../../../src/core/formats/types';
import { refdata } from '../../helpers/paths';

function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.dat')) out.set(path.relative(dir, p), createHash('sha256').update(fs.readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

function hasPythonNumpy(): boolean {
  const r = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  return r.status === 0;
}

describe('sim dataset files', function () {
  this.timeout(120_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-files-'));
  const dirA = path.join(tmp, 'a'),
    dirB = path.join(tmp, 'b'),
    dirC = path.join(tmp, 'c');
  const domains = { gestures: [1, 3, 5], rooms: [2], users: [4], locations: [2], orientations: [1] };
  let manifest: DatasetManifest;
  const progress: number[] = [];

  before(async () => {
    manifest = await generateDataset({
      outDir: dirA,
      seed: 42,
      preset: 'small',
      domains,
      workers: 0,
      onProgress: p => progress.push(p.done),
    });
    await generateDataset({ outDir: dirB, seed: 42, preset: 'small', domains, workers: 2 });
    await generateDataset({ outDir: dirC, seed: 43, preset: 'small', domains, workers: 0 });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('same seed gives byte-identical files, in-process or in worker threads', () => {
    const a = hashTree(dirA),
      b = hashTree(dirB);
    assert.equal(a.size, 3 * 6);
    assert.deepEqual([...a.entries()].sort(), [...b.entries()].sort());
  });

  it('a different seed gives different files', () => {
    const a = hashTree(dirA),
      c = hashTree(dirC);
    for (const [k, h] of a) assert.notEqual(c.get(k), h, k);
  });

  it('names files like Widar3.0 and lists every sample in the manifest with label, domains and generator', () => {
    assert.deepEqual(progress, [1, 2, 3]);
    assert.equal(manifest.samples.length, 3);
    const s = manifest.samples[1];
    assert.equal(s.files[0], 'room2/user4/user4-3-2-1-1-r1.dat');
    assert.equal(s.files[5], 'room2/user4/user4-3-2-1-1-r6.dat');
    assert.equal(s.label, 3);
    assert.equal(s.gesture, 'Clap');
    assert.equal(s.roomType, 'hall');
    assert.equal(s.orientationDeg, -90);
    for (const f of s.files) assert.ok(fs.existsSync(path.join(dirA, f)), f);
    assert.equal(manifest.seed, 42);
    assert.match(manifest.generator.version, /^\d+\.\d+\.\d+$/);
    const csv = fs.readFileSync(path.join(dirA, 'manifest.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 4);
    assert.ok(csv[0].startsWith('id,label,gesture,user,room'));
    // 1000 packets/s over the 1.6–2.6 s recording, minus a few percent lost.
    for (const m of manifest.samples)
      for (const n of m.packets) assert.ok(n > 0.9 * m.durationS * 1000 && n <= m.durationS * 1000, `${n} packets`);
  });

  it('files parse with the project reader: every raw value round-trips, antennas are restored, SNR is plausible', () => {
    const spec = { user: 4, gesture: 5, room: 2, location: 2, orientation: 1, repetition: 1, session: 1 };
    const res = generateSample(42, spec, DEFAULT_KNOBS);
    for (let rx = 0; rx < 6; rx++) {
      const file = path.join(dirA, manifest.samples[2].files[rx]);
      const rec = readRecording(fs.readFileSync(file), { file });
      assert.equal(rec.format, 'intel5300');
      assert.equal(rec.diagnostics.filter(d => d.severity === 'error').length, 0, JSON.stringify(rec.diagnostics[0]));
      const recs = res.records[rx];
      assert.equal(rec.nPackets, recs.length);
      assert.equal(rec.nRx, 3);
      assert.equal(rec.nTx, 1);
      assert.equal(rec.nSubcarriers, 30);
      for (const p of [0, Math.floor(recs.length / 2), recs.length - 1]) {
        const r = recs[p];
        assert.equal(rec.seq[p], r.bfee_count);
        const sel = r.antenna_sel,
          perm = [sel & 3, (sel >> 2) & 3, (sel >> 4) & 3];
        for (let k = 0; k < 30; k++)
          for (let col = 0; col < 3; col++) {
            // The reader (read_bf_file semantics) puts stored column i at antenna perm(i).
            const i = csiIndex(rec, p, k, perm[col], 0);
            assert.equal(rec.csi[i], r.csi[(k * 3 + col) * 2]);
            assert.equal(rec.csi[i + 1], r.csi[(k * 3 + col) * 2 + 1]);
          }
      }
      // get_scaled_csi gives |H|² in SNR units: the simulated per-link SNR is ~15–40 dB.
      assert.ok(rec.scaled, 'scaled CSI present');
      let s2 = 0;
      for (let i = 0; i < rec.scaled!.length; i++) s2 += rec.scaled![i] ** 2;
      const snrDb = 10 * Math.log10(s2 / (rec.scaled!.length / 2));
      assert.ok(snrDb > 10 && snrDb < 45, `r${rx + 1}: scaled SNR ${snrDb.toFixed(1)} dB`);
    }
  });

  it('files parse with the independent numpy reference reader (when python3 + numpy are present)', function () {
    if (!hasPythonNumpy()) {
      this.skip();
      return;
    }
    // Two receivers are enough (the reference reader is pure Python and slow); the first and the last.
    const picked = [0, 5];
    const files = picked.map(i => path.join(dirA, manifest.samples[0].files[i]));
    const r = spawnSync('python3', [refdata('tools', 'ref_intel5300.py'), ...files], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n').filter(l => l.includes('records='));
    assert.equal(lines.length, picked.length);
    lines.forEach((l, j) => {
      const i = picked[j];
      const m = /records=(\d+), bad=(\d+), NrxxNtx=\{'3x1': (\d+)\}/.exec(l);
      assert.ok(m, l);
      assert.equal(Number(m[1]), manifest.samples[0].packets[i]);
      assert.equal(Number(m[2]), 0);
    });
  });

  it('cancels through an AbortSignal with a typed error', async () => {
    const ac = new AbortController();
    const dir = path.join(tmp, 'cancel');
    await assert.rejects(
      generateDataset({
        outDir: dir,
        seed: 1,
        preset: 'small',
        workers: 0,
        signal: ac.signal,
        onProgress: p => {
          if (p.done === 2) ac.abort();
        },
      }),
      (e: unknown) => e instanceof SimulationCancelledError && e.done === 2 && e.total === 9,
    );
    assert.ok(!fs.existsSync(path.join(dir, 'manifest.json')));
  });

  it('rejects bad parameters with a message naming the parameter', async () => {
    await assert.rejects(
      generateDataset({ outDir: path.join(tmp, 'bad'), seed: 1, domains: { locations: [9] } }),
      /locations = \[9\]; expected/,
    );
    await assert.rejects(generateDataset({ outDir: path.join(tmp, 'bad'), seed: -1 }), /seed = -1/);
  });
});
