// Per-sample predictions file: softmax top probability against hand values, CSV round trip with quoting, and
// typed errors (file, byte offset, what was expected) for malformed files.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ExperimentError } from '../../../src/core/experiment/errors';
import {
  formatPredictionsCsv,
  parsePredictionsCsv,
  predictionRows,
  predictionsFile,
  readPredictions,
  writePredictions,
  type SamplePrediction,
} from '../../../src/core/experiment/predictions';

describe('experiment: per-sample predictions', () => {
  it('rows carry the sample id, class names and the softmax probability of the predicted class', () => {
    const classes = ['push', 'pull', 'clap'];
    // Dataset rows 0..3; evaluated rows 3 and 1 (in that order).
    const ids = ['u1/a.dat', 'u1/b.dat', 'u2/c.dat', 'u2/d.dat'],
      labels = [0, 1, 2, 2];
    // Row 3: logits (0, 0, ln 2) → softmax (1/4, 1/4, 1/2); predicted clap. Row 1: logits (1000, 1000, 1000)
    // (would overflow a naive exp) → 1/3 each; predicted push.
    const rows = predictionRows(ids, labels, classes, [3, 1], [2, 0], [0, 0, Math.log(2), 1000, 1000, 1000]);
    assert.deepEqual(
      rows.map(r => [r.id, r.truth, r.pred]),
      [
        ['u2/d.dat', 'clap', 'clap'],
        ['u1/b.dat', 'pull', 'push'],
      ],
    );
    assert.ok(Math.abs(rows[0].topProb - 0.5) < 1e-12);
    assert.ok(Math.abs(rows[1].topProb - 1 / 3) < 1e-12);
    assert.throws(() => predictionRows(ids, labels, classes, [0, 1], [0], [0, 0, 0]), RangeError);
  });

  it('round-trips through CSV, quoting ids and class names that hold commas, quotes or newlines', async () => {
    const rows: SamplePrediction[] = [
      { id: 'room 1/user,2/"x".dat', truth: 'draw "O"', pred: 'slide\nleft', topProb: 0.75 },
      { id: 'plain.dat', truth: 'a', pred: 'a', topProb: 1 },
    ];
    const text = formatPredictionsCsv(rows);
    assert.equal(text.split('\n')[0], 'sample,true,predicted,top_probability');
    assert.deepEqual(parsePredictionsCsv(text, 'p.csv'), rows);
    assert.deepEqual(
      parsePredictionsCsv(text.replace(/\n/g, '\r\n').replace('slide\r\nleft', 'slide\nleft'), 'p.csv'),
      rows,
      'CRLF line ends',
    );
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'preds-'));
    try {
      assert.equal(await readPredictions(dir, 'student'), undefined, 'a run without predictions');
      const f = await writePredictions(dir, 'student', rows);
      assert.equal(f, predictionsFile(dir, 'student'));
      assert.equal(path.relative(dir, f), path.join('predictions', 'student.csv'));
      assert.deepEqual(await readPredictions(dir, 'student'), rows);
      assert.deepEqual(await fs.readdir(path.dirname(f)), ['student.csv'], 'no temp file left behind');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('malformed files give a typed error naming the file, byte offset and what was expected', () => {
    const bad = (text: string, re: RegExp) =>
      assert.throws(
        () => parsePredictionsCsv(text, '/r/p.csv'),
        (e: unknown) => e instanceof ExperimentError && e.code === 'bad-file' && /^\/r\/p\.csv: /.test(e.message) && re.test(e.message),
      );
    bad('', /expected the header "sample,true,predicted,top_probability" at byte 0 \(file is empty\)/);
    bad('id,label\n', /expected the header .* found "id,label"/);
    const head = 'sample,true,predicted,top_probability\n';
    bad(head + 'a,x,x\n', new RegExp(`expected 4 fields in the record at byte ${head.length}, found 3`));
    bad(head + 'a,x,x,0.5\nb,x,y,1.5\n', new RegExp(`top_probability of the record at byte ${head.length + 10}, found "1.5"`));
    bad(head + 'a,x,x,\n', /probability in \[0, 1\].*found ""/);
    bad(head + '"a,x,x,0.5\n', new RegExp(`unterminated quoted field starting at byte ${head.length}`));
    bad(head + '"a"b,x,x,0.5\n', new RegExp(`expected "," or end of line after a quoted field at byte ${head.length + 3}`));
    // Byte offsets count UTF-8 bytes, not characters.
    bad(head + 'é,x,x,0.5\nb,x,x\n', new RegExp(`at byte ${head.length + 11}, found 3`));
  });
});
