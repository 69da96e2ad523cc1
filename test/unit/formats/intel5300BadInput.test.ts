// Damaged and unusual Intel 5300 logs: every valid record is kept, each problem is one typed diagnostic at the
// right byte offset, and the streaming path agrees with the whole-file path whatever the chunk size.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { refdata } from '../../helpers/paths';
import { intel5300Reader } from '../../../src/core/formats/intel5300/reader';
import { readIntel5300Records } from '../../../src/core/formats/intel5300/records';
import { writeIntel5300, type Intel5300Record } from '../../../src/core/formats/intel5300/writer';
import { csiIndex, type CsiDiagnostic, type CsiRecording } from '../../../src/core/formats/types';

const EXAMPLE = new Uint8Array(fs.readFileSync(refdata('intel5300', 'example.dat'))); // 26 × 395-byte 3x2 records
const REC = 395;
const N = 26;

async function* chunksOf(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function streamed(bytes: Uint8Array, chunk: number): Promise<{ offsets: number[]; seq: number[]; diags: CsiDiagnostic[] }> {
  const diags: CsiDiagnostic[] = [];
  const offsets: number[] = [],
    seq: number[] = [];
  for await (const f of intel5300Reader.frames(chunksOf(bytes, chunk), { onDiagnostic: d => diags.push(d) })) {
    offsets.push(f.offset);
    seq.push(f.seq);
  }
  return { offsets, seq, diags };
}

/** Whole-file read, plus a check that streaming at several chunk sizes yields the same frames and problems. */
async function readBoth(bytes: Uint8Array): Promise<CsiRecording> {
  const rec = intel5300Reader.read(bytes);
  for (const chunk of [1, 7, 400, 1 << 16]) {
    const s = await streamed(bytes, chunk);
    assert.deepEqual(s.offsets, Array.from(rec.offsets), `offsets, chunk ${chunk}`);
    assert.deepEqual(s.seq, Array.from(rec.seq), `seq, chunk ${chunk}`);
    const key = (d: CsiDiagnostic): string => `${d.code}@${d.offset}`;
    assert.deepEqual(
      s.diags.map(key).sort(),
      rec.diagnostics
        .filter(d => d.code !== 'mixed-bandwidth')
        .map(key)
        .sort(),
      `diagnostics, chunk ${chunk}`,
    );
  }
  return rec;
}

function mutate(f: (b: Uint8Array) => void): Uint8Array {
  const b = EXAMPLE.slice();
  f(b);
  return b;
}

const codes = (r: CsiRecording): string[] => r.diagnostics.map(d => `${d.code}@${d.offset}`);
const seqOf = (r: CsiRecording): number[] => Array.from(r.seq);
const allSeq = seqOf(intel5300Reader.read(EXAMPLE));

describe('intel5300 reader: bad and unusual input', () => {
  it('truncated tail: keeps every complete record, warns at the cut record', async () => {
    for (const cut of [1, 2, 3, 20, 23, 100, REC - 1]) {
      const rec = await readBoth(EXAMPLE.subarray(0, EXAMPLE.length - cut));
      assert.equal(rec.nPackets, N - 1, `cut ${cut}`);
      assert.deepEqual(codes(rec), [`truncated-record@${(N - 1) * REC}`], `cut ${cut}`);
      assert.equal(rec.diagnostics[0].severity, 'warning');
      assert.ok(rec.diagnostics[0].expected);
    }
  });

  it('a stray leading byte: resynchronises and keeps all records', async () => {
    for (const lead of [0x00, 0x01, 0xbb, 0xff]) {
      const b = new Uint8Array(EXAMPLE.length + 1);
      b[0] = lead;
      b.set(EXAMPLE, 1);
      const rec = await readBoth(b);
      assert.deepEqual(seqOf(rec), allSeq);
      assert.equal(rec.offsets[0], 1);
      assert.deepEqual(codes(rec), ['resync@0']);
      assert.match(rec.diagnostics[0].message, /^1 byte\(s\) at offset 0/);
    }
  });

  it('a record with another code is skipped by its length (reported once per code)', async () => {
    const rec = await readBoth(
      mutate(b => {
        b[3 * REC + 2] = 0xc1;
        b[7 * REC + 2] = 0xc1;
      }),
    );
    assert.equal(rec.nPackets, N - 2);
    assert.deepEqual(codes(rec), [`skipped-entry@${3 * REC}`]);
    assert.equal(rec.diagnostics[0].severity, 'info');
    assert.deepEqual(rec.meta.entryCodes as Record<string, number>, { '0xbb': N - 2, '0xc1': 2 });
  });

  it('impossible len field: that record is skipped with bad-length, the rest kept', async () => {
    const rec = await readBoth(
      mutate(b => {
        b[2 * REC + 19] = 0x0f;
        b[2 * REC + 20] = 0x27;
      }),
    );
    assert.equal(rec.nPackets, N - 1);
    assert.deepEqual(codes(rec), [`bad-length@${2 * REC}`]);
    assert.ok(!seqOf(rec).includes(allSeq[2]));
  });

  it('huge entry length: never allocated from, resynchronises on the next record', async () => {
    const rec = await readBoth(
      mutate(b => {
        b[5 * REC] = 0xff;
        b[5 * REC + 1] = 0xff;
      }),
    );
    assert.equal(rec.nPackets, N - 1);
    assert.deepEqual(codes(rec), [`resync@${5 * REC}`]);
    assert.match(rec.diagnostics[0].message, new RegExp(`^${REC} byte`));
  });

  it('wrong antenna counts: Nrx=5 is bad-antenna-count, Nrx 3→2 is bad-length (len disagrees)', async () => {
    const r1 = await readBoth(
      mutate(b => {
        b[4 * REC + 11] = 5;
      }),
    );
    assert.deepEqual(codes(r1), [`bad-antenna-count@${4 * REC}`]);
    assert.equal(r1.nPackets, N - 1);
    const r2 = await readBoth(
      mutate(b => {
        b[4 * REC + 11] = 2;
      }),
    );
    assert.deepEqual(codes(r2), [`bad-length@${4 * REC}`]);
    assert.equal(r2.nPackets, N - 1);
  });

  it('a record cut short mid-file (next record follows at once): dropped with a resync, neighbours kept', async () => {
    for (const keep of [30, 100, REC - 30]) {
      const b = new Uint8Array(EXAMPLE.length - (REC - keep));
      b.set(EXAMPLE.subarray(0, 5 * REC + keep), 0);
      b.set(EXAMPLE.subarray(6 * REC), 5 * REC + keep);
      const rec = await readBoth(b);
      assert.deepEqual(
        seqOf(rec),
        allSeq.filter((_, i) => i !== 5),
        `keep ${keep}`,
      );
      assert.deepEqual(codes(rec), [`resync@${5 * REC}`], `keep ${keep}`);
      assert.equal(rec.offsets[5], 5 * REC + keep);
    }
  });

  it('zero-filled and random garbage between records: one resync each, all records kept', async () => {
    const junk = new Uint8Array(1000);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 2654435761) >>> 24;
    const b = new Uint8Array(EXAMPLE.length + 1000 + 37);
    b.set(EXAMPLE.subarray(0, 10 * REC), 0);
    b.set(junk, 10 * REC);
    b.set(EXAMPLE.subarray(10 * REC), 10 * REC + 1000 + 37); // 37 zero bytes after the junk
    const rec = await readBoth(b);
    assert.deepEqual(seqOf(rec), allSeq);
    assert.deepEqual(codes(rec), [`resync@${10 * REC}`]);
  });

  it('empty and tiny inputs give no frames and no crash', async () => {
    assert.equal((await readBoth(new Uint8Array(0))).nPackets, 0);
    const r = await readBoth(new Uint8Array([0x01]));
    assert.deepEqual(codes(r), ['truncated-record@0']);
  });

  it('maxFrames stops early on both paths', async () => {
    assert.equal(intel5300Reader.read(EXAMPLE, { maxFrames: 5 }).nPackets, 5);
    let n = 0;
    for await (const _ of intel5300Reader.frames(chunksOf(EXAMPLE, 100), { maxFrames: 5 })) n++;
    assert.equal(n, 5);
  });
});

function rec1(over: Partial<Intel5300Record>): Intel5300Record {
  const nrx = over.Nrx ?? 3,
    ntx = over.Ntx ?? 1;
  const csi = new Int8Array(60 * nrx * ntx);
  // value encodes (sc, payload rx, tx) so any reordering is visible
  for (let sc = 0; sc < 30; sc++)
    for (let rx = 0; rx < nrx; rx++)
      for (let tx = 0; tx < ntx; tx++) {
        const k = 2 * ((sc * nrx + rx) * ntx + tx);
        csi[k] = 10 * (rx + 1) + tx;
        csi[k + 1] = -sc;
      }
  return {
    timestamp_low: 0,
    bfee_count: 0,
    Nrx: nrx,
    Ntx: ntx,
    rssi_a: 40,
    rssi_b: 40,
    rssi_c: 40,
    noise: -90,
    agc: 30,
    antenna_sel: 0,
    fake_rate_n_flags: 0x100,
    csi,
    ...over,
  };
}

describe('intel5300 reader: read_bf_file.m semantics', () => {
  const rxOrder = (r: CsiRecording, p: number): number[] =>
    [0, 1, 2].slice(0, r.nRxPerPacket[p]).map(rx => r.csi[csiIndex(r, p, 7, rx, 0)] / 10 - 1);

  it('applies a valid perm: csi_out[perm[i]] = csi_in[i]', () => {
    // antenna_sel 0b00_01_10 → perm [3,2,1]; 0b01_00_10 → perm [3,1,2]
    const r = intel5300Reader.read(writeIntel5300([rec1({ antenna_sel: 0b000110 }), rec1({ antenna_sel: 0b010010 })]));
    assert.deepEqual(rxOrder(r, 0), [2, 1, 0]);
    assert.deepEqual(rxOrder(r, 1), [1, 2, 0]); // out[2]=in0, out[0]=in1, out[1]=in2
    assert.deepEqual(r.diagnostics, []);
  });

  it('perm [2,2,2] (sum 6) is applied as MATLAB does: last assignment wins, other slots keep their value', () => {
    const r = intel5300Reader.read(writeIntel5300([rec1({ antenna_sel: 0b010101 })]));
    assert.deepEqual(rxOrder(r, 0), [0, 2, 2]);
  });

  it('invalid perm (sum test fails) is left as read with one warning per file', () => {
    const r = intel5300Reader.read(writeIntel5300([rec1({ antenna_sel: 0 }), rec1({ antenna_sel: 0 })]));
    assert.deepEqual(rxOrder(r, 0), [0, 1, 2]);
    assert.deepEqual(codes(r), ['invalid-perm@0']);
  });

  it('perm naming antenna 4 ([1,1,4], sum 6) is left as read with a warning', () => {
    const r = intel5300Reader.read(writeIntel5300([rec1({ antenna_sel: 0b110000 })]));
    assert.deepEqual(rxOrder(r, 0), [0, 1, 2]);
    assert.deepEqual(codes(r), ['invalid-perm@0']);
  });

  it('mixed Nrx/Ntx: dims are the maxima, smaller records zero-padded, per-packet counts kept', () => {
    const bytes = writeIntel5300([
      rec1({ Nrx: 1, Ntx: 1 }),
      rec1({ Nrx: 2, Ntx: 3, antenna_sel: 0b100100 }),
      rec1({ Nrx: 3, Ntx: 2, antenna_sel: 0b100100 }),
    ]);
    const r = intel5300Reader.read(bytes);
    assert.equal(r.nRx, 3);
    assert.equal(r.nTx, 3);
    assert.deepEqual(Array.from(r.nRxPerPacket), [1, 2, 3]);
    assert.deepEqual(Array.from(r.nTxPerPacket), [1, 3, 2]);
    assert.equal(r.csi[csiIndex(r, 0, 5, 0, 0)], 10);
    for (const [rx, tx] of [
      [0, 1],
      [1, 0],
      [2, 2],
    ])
      assert.equal(r.csi[csiIndex(r, 0, 5, rx, tx)], 0);
    assert.equal(r.csi[csiIndex(r, 1, 5, 1, 2)], 22);
    assert.equal(r.csi[csiIndex(r, 2, 5, 2, 2)], 0);
    // the 1x1 record (95 bytes, last one CSIKit would drop) is kept when it is final
    assert.equal(
      intel5300Reader.read(writeIntel5300([rec1({ Nrx: 3, Ntx: 3, antenna_sel: 0b100100 }), rec1({ Nrx: 1, Ntx: 1 })])).nPackets,
      2,
    );
  });

  it('unwraps the 32-bit µs counter, keeps small backward jumps as clock resets', () => {
    const ts = [0xfffff000, 0xffffff00, 0x00000100, 0x00001000, 0x00000800];
    const r = intel5300Reader.read(writeIntel5300(ts.map(t => rec1({ timestamp_low: t, antenna_sel: 0b100100 }))));
    const W = 2 ** 32;
    assert.deepEqual(Array.from(r.timestampUs), [0xfffff000, 0xffffff00, W + 0x100, W + 0x1000, W + 0x800]);
  });

  it('HT40 flag selects the 40 MHz subcarrier indices', () => {
    const r = intel5300Reader.read(writeIntel5300([rec1({ fake_rate_n_flags: 0x900, antenna_sel: 0b100100 })]));
    assert.equal(r.bandwidthMHz, 40);
    assert.deepEqual(Array.from(r.subcarrierIndices.subarray(13, 17)), [-6, -2, 2, 6]);
  });

  it('scaling is linear in total RSS: +10 dB on one antenna with others off raises |H_scaled|² by the SNR law', () => {
    // get_scaled_csi: factor² = scale / (thermal + scale·Nrx·Ntx), scale ∝ 10^(rss/10). Check it analytically.
    const mk = (rssi: number): CsiRecording =>
      intel5300Reader.read(writeIntel5300([rec1({ rssi_a: rssi, rssi_b: 0, rssi_c: 0, agc: 0, noise: -92, antenna_sel: 0b100100 })]));
    for (const rssi of [20, 30, 50]) {
      const r = mk(rssi);
      let pwr = 0;
      for (let i = 0; i < 180; i++) pwr += r.csi[i] ** 2;
      const scale = 10 ** ((rssi - 44) / 10) / (pwr / 30);
      const expected = Math.sqrt(scale / (10 ** -9.2 + scale * 3));
      assert.ok(r.scaleFactor && Math.abs(r.scaleFactor[0] - expected) / expected < 1e-12);
    }
    assert.deepEqual(readIntel5300Records(writeIntel5300([rec1({})])).diagnostics, []);
  });
});
