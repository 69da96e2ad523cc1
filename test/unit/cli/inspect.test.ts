// `csi-workbench inspect`: the JSON users script against, checked against refdata expected values, and the
// error paths (missing file, unknown content, bad record index, bad usage) with their exit codes.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { refdata, REPO } from '../../helpers/paths';
import { run, type Io } from '../../../src/cli/commands/inspect';

async function inspect(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const io: Io = {
    out: s => {
      out += s;
    },
    err: s => {
      err += s;
    },
  };
  const code = await run(argv, io);
  return { code, out, err };
}

type C = [number, number];

describe('cli inspect', () => {
  const file = refdata('intel5300', 'example.dat');
  const exp = JSON.parse(fs.readFileSync(refdata('expected', 'example.dat.json'), 'utf8'));

  it('--json: format, count, header fields under the tool names, raw and scaled CSI [sc][rx][tx]', async () => {
    const r = await inspect([file, '--json', '--records', '0,-1']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.format, 'intel5300');
    assert.equal(j.recordCount, exp.num_records);
    assert.deepEqual(j.diagnostics, []);
    assert.deepEqual(
      j.records.map((x: { index: number }) => x.index),
      [0, exp.last_record_index],
    );
    for (const [k, e] of [
      [0, exp.first_records[0]],
      [1, exp.last_record],
    ] as const) {
      const rec = j.records[k];
      assert.equal(rec.offset, e.file_offset);
      for (const f of ['timestamp_low', 'bfee_count', 'Nrx', 'Ntx', 'rssi_a', 'rssi_b', 'rssi_c', 'noise', 'agc', 'perm', 'rate']) {
        assert.deepEqual(rec.header[f], e[f], f);
      }
      for (let tx = 0; tx < e.Ntx; tx++)
        for (let rx = 0; rx < e.Nrx; rx++) {
          assert.deepEqual(rec.csi[0][rx][tx], e.csi_permuted_sc0[tx][rx]);
          assert.deepEqual(rec.csi[29][rx][tx], e.csi_permuted_sc29[tx][rx]);
        }
    }
    const sc0: C[][] = exp.first_record_scaled_sc0;
    sc0.forEach((row, tx) =>
      row.forEach(([re, im], rx) => {
        const [gr, gi] = j.records[0].scaled[0][rx][tx];
        assert.ok(Math.abs(gr - re) <= Math.abs(re) * 2 ** -23 && Math.abs(gi - im) <= Math.abs(im) * 2 ** -23);
      }),
    );
  });

  it('text output lists format, count and every header field', async () => {
    const r = await inspect([file]);
    assert.equal(r.code, 0);
    assert.match(r.out, /^format: intel5300/m);
    assert.match(r.out, new RegExp(`^records: ${exp.num_records}$`, 'm'));
    for (const f of ['timestamp_low', 'bfee_count', 'Nrx', 'Ntx', 'rssi_a', 'rssi_b', 'rssi_c', 'noise', 'agc', 'perm', 'rate']) {
      assert.match(r.out, new RegExp(`^  ${f}: `, 'm'));
    }
  });

  it('reports diagnostics of a damaged file and still exits 0', async () => {
    const tmp = path.join(os.tmpdir(), `inspect-${process.pid}.dat`);
    const b = fs.readFileSync(file);
    fs.writeFileSync(tmp, b.subarray(0, b.length - 10));
    try {
      const r = await inspect([tmp, '--json']);
      assert.equal(r.code, 0);
      const j = JSON.parse(r.out);
      assert.equal(j.recordCount, exp.num_records - 1);
      assert.equal(j.diagnostics[0].code, 'truncated-record');
    } finally {
      fs.unlinkSync(tmp);
    }
  });

  it('errors: missing file and unknown content exit 1, bad index and usage exit 2', async () => {
    const missing = await inspect(['/nonexistent/x.dat']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot read \/nonexistent\/x\.dat/);
    const tmp = path.join(os.tmpdir(), `inspect-unknown-${process.pid}.bin`);
    fs.writeFileSync(tmp, Buffer.alloc(4096, 0));
    try {
      const unknown = await inspect([tmp]);
      assert.equal(unknown.code, 1);
      assert.match(unknown.err, /no reader recognises/);
    } finally {
      fs.unlinkSync(tmp);
    }
    const range = await inspect([file, '--records', '26']);
    assert.equal(range.code, 2);
    assert.match(range.err, /record 26 out of range: the file has 26/);
    assert.equal((await inspect([file, '--records', 'x'])).code, 2);
    assert.equal((await inspect([])).code, 2);
  });

  it('a file that yields no record still prints its diagnostics (text and --json) and exits 1', async () => {
    // The first 448 bytes of a Nexmon capture: the pcap header and a record cut short (issue 24).
    const tmp = path.join(os.tmpdir(), `inspect-trunc-${process.pid}.pcap`);
    fs.writeFileSync(tmp, fs.readFileSync(refdata('nexmon', 'example.pcap')).subarray(0, 448));
    try {
      const t = await inspect([tmp]);
      assert.equal(t.code, 1);
      assert.match(t.out, /records: 0/);
      assert.match(t.out, /truncated-record/);
      assert.match(t.err, /no CSI record could be read/);
      const j = await inspect([tmp, '--json']);
      assert.equal(j.code, 1);
      const doc = JSON.parse(j.out);
      assert.equal(doc.recordCount, 0);
      assert.ok(
        doc.diagnostics.some((d: { code: string; offset: number }) => d.code === 'truncated-record' && d.offset === 24),
        JSON.stringify(doc.diagnostics),
      );
      assert.match(doc.error, /no CSI record/);
    } finally {
      fs.unlinkSync(tmp);
    }
    const range = await inspect([file, '--records', '26', '--json']);
    assert.equal(range.code, 2);
    assert.equal(JSON.parse(range.out).recordCount, 26);
  });

  for (const [dir, name] of [
    ['atheros', 'ath_csi_1.dat'],
    ['nexmon', 'example_4366c0.pcap'],
    ['esp32', 'example_data.csv'],
    ['picoscenes', 'rx_by_qca9300.csi'],
  ] as const) {
    it(`works for any registered format: ${dir}/${name} (first and last record, [sc][rx][tx] shape)`, async () => {
      const r = await inspect([refdata(dir, name), '--json', '--records', '0,-1']);
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out);
      assert.equal(j.format, dir);
      assert.equal(j.records.length, 2);
      assert.equal(j.records[1].index, j.recordCount - 1);
      for (const rec of j.records) {
        assert.ok(Object.keys(rec.header).length > 0);
        assert.ok(rec.csi.length > 0 && rec.csi[0].length > 0 && rec.csi[0][0].length > 0);
        assert.equal(rec.csi[0][0][0].length, 2);
      }
    });
  }

  it('runs as the package command (node out/src/cli/main.js inspect …)', () => {
    const p = spawnSync(process.execPath, [path.join(REPO, 'out', 'src', 'cli', 'main.js'), 'inspect', file, '--json', '--records', '-1'], {
      encoding: 'utf8',
    });
    assert.equal(p.status, 0, p.stderr);
    assert.equal(JSON.parse(p.stdout).records[0].header.bfee_count, exp.last_record.bfee_count);
  });
});
