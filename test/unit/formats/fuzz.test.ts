// 1000 mutated real recordings of every format through readRecording: no untyped throw, no hang, every recording
// self-consistent and every diagnostic well-formed. The 10 000-case campaign on whole files is bench/fuzz.bench.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { REFDATA } from '../../helpers/paths';
import { runFuzzCampaign } from '../../fuzz/runner';
import { makeCase, mutateOnce, prng, MUTATIONS } from '../../fuzz/mutate';

export function refdataRecordings(): string[] {
  const dirs = ['intel5300', 'atheros', 'nexmon', 'esp32', 'picoscenes'];
  return dirs.flatMap(d =>
    fs
      .readdirSync(path.join(REFDATA, d))
      .sort()
      .map(f => path.join(REFDATA, d, f)),
  );
}

describe('format fuzzing (1000 cases, all refdata formats)', function () {
  this.timeout(120_000);

  it('mutations are deterministic in (seed, index)', () => {
    const src = [{ name: 'a', bytes: Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff) }];
    for (let i = 0; i < 50; i++) assert.deepEqual(makeCase(7, i, src), makeCase(7, i, src));
    const rng = prng(1);
    for (const kind of MUTATIONS) assert.ok(mutateOnce(src[0].bytes, kind, rng, src).what.length > 0);
  });

  it('watchdog: a case that does not answer in time is reported as a hang and the campaign goes on', async () => {
    // 1 ms is far less than a worker needs to start, so every case trips the watchdog: this exercises the
    // terminate-and-continue path that a real infinite loop in a reader would take.
    const s = await runFuzzCampaign({ seed: 1, cases: 3, files: refdataRecordings().slice(0, 1), hangMs: 1 });
    assert.equal(s.cases, 3);
    assert.equal(s.verdicts.hang, 3);
    assert.deepEqual(
      s.failures.map(f => [f.index, f.verdict]),
      [
        [0, 'hang'],
        [1, 'hang'],
        [2, 'hang'],
      ],
    );
  });

  it('no crash, no hang, no inconsistent recording', async () => {
    const files = refdataRecordings();
    assert.ok(files.length >= 17, `found ${files.length} recordings`);
    // 64 KiB prefixes keep the 1000 cases within seconds; the bench fuzzes whole files.
    const s = await runFuzzCampaign({ seed: 20261128, cases: 1000, files, maxBytes: 64 * 1024, hangMs: 10_000 });
    const report = JSON.stringify(s.failures.slice(0, 5), null, 1);
    assert.equal(s.cases, 1000);
    assert.equal(s.verdicts.crash, 0, `crashes: ${report}`);
    assert.equal(s.verdicts.hang, 0, `hangs: ${report}`);
    assert.equal(s.verdicts.invariant, 0, `invariant violations: ${report}`);
    assert.equal(s.verdicts.read + s.verdicts['unknown-format'], 1000);
    for (const f of files) assert.ok((s.bySource[path.basename(f)] ?? 0) >= 1000 / files.length - 1);
  });
});
