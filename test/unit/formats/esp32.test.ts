// ESP32 CSV reader against refdata/expected (independent Python csv-module reader; csiread agrees on the imag-first
// pairing), the ESP-IDF subcarrier table, synthetic variants (C5/C6 rows, console noise, CRLF, quoting) and bad input.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { esp32Reader } from '../../../src/core/formats/esp32/reader';
import type { CsiFrame } from '../../../src/core/formats/types';
import { refdata } from '../../helpers/paths';
import { LAYOUT_KEYS } from '../../../src/core/formats/frameIndex';
import { assertFramesMatchRecording, assertSkipCsiPass, collect, damaged, diagKeys } from './streamCompare';

interface ExpRow {
  [k: string]: unknown;
  line: number;
  num_values: number;
  first_8_values: number[];
  subcarrier_pairs: number;
  csi_imag_first: Record<string, [number, number]>;
}
interface Expected {
  header_line: boolean;
  columns: string[];
  num_rows: number;
  skipped_lines: number;
  values_per_row_histogram: Record<string, number>;
  first_rows: ExpRow[];
  last_row_index: number;
  last_row: ExpRow;
}

const FILES = ['example_csi.csv', 'example_data.csv', 'log.console_test.20210205155636.csv'];
const load = (name: string) => new Uint8Array(fs.readFileSync(refdata('esp32', name)));
const expected = (name: string): Expected => JSON.parse(fs.readFileSync(refdata('expected', `${name}.json`), 'utf8')) as Expected;
const enc = (s: string) => new TextEncoder().encode(s);

async function allFrames(bytes: Uint8Array): Promise<CsiFrame[]> {
  return (await collect(esp32Reader, bytes, [1 << 20])).frames;
}

function checkRow(f: CsiFrame, e: ExpRow, cols: string[], what: string): void {
  for (const c of cols.slice(0, -1)) {
    // The reference keeps every field as text; we convert numeric fields to numbers.
    const v = f.header[c];
    if (typeof v === 'number') assert.equal(v, Number(e[c]), `${what} field ${c}`);
    else assert.equal(v, e[c], `${what} field ${c}`);
  }
  assert.equal(f.header.line, e.line, what);
  assert.equal(f.header.num_values, e.num_values, what);
  assert.equal(f.nSubcarriers, e.subcarrier_pairs, what);
  // Raw values: pair i is (imag = v[2i], real = v[2i+1]) in ESP-IDF order.
  for (let i = 0; i < 4; i++) {
    assert.equal(f.csi[2 * i + 1], e.first_8_values[2 * i], `${what} imag of pair ${i}`);
    assert.equal(f.csi[2 * i], e.first_8_values[2 * i + 1], `${what} real of pair ${i}`);
  }
  for (const [k, v] of Object.entries(e.csi_imag_first)) {
    assert.deepEqual([f.csi[2 * +k], f.csi[2 * +k + 1]], v, `${what} pair ${k}`);
  }
}

describe('formats/esp32', () => {
  for (const name of FILES) {
    describe(name, () => {
      const bytes = load(name);
      const exp = expected(name);
      const rec = esp32Reader.read(bytes, { file: name });

      it('reads every row with the right column set and header detection', () => {
        assert.equal(rec.nPackets, exp.num_rows);
        assert.equal(rec.meta.skippedLines, exp.skipped_lines);
        assert.equal(rec.meta.headerColumns !== undefined, exp.header_line);
        const tool = exp.columns.includes('role') ? 'ESP32-CSI-Tool' : 'esp-csi';
        assert.equal(rec.meta.tool, tool);
        assert.equal(rec.nRx, 1);
        assert.equal(rec.nTx, 1);
        assert.ok(rec.diagnostics.every(d => d.severity !== 'error'));
      });

      it('matches the reference header fields and raw (imag, real) values of the first rows and the last row', async () => {
        const frames = await allFrames(bytes);
        const hist: Record<string, number> = {};
        for (const f of frames) hist[String(f.header.num_values)] = (hist[String(f.header.num_values)] ?? 0) + 1;
        assert.deepEqual(hist, exp.values_per_row_histogram);
        exp.first_rows.forEach((e, i) => checkRow(frames[i], e, exp.columns, `row ${i}`));
        checkRow(frames[exp.last_row_index], exp.last_row, exp.columns, 'last row');
        // The recording holds the same values in its columns.
        const last = exp.last_row_index;
        for (const [k, v] of Object.entries(exp.last_row.csi_imag_first)) {
          const i = 2 * (last * rec.nSubcarriers + +k);
          assert.deepEqual([rec.csi[i], rec.csi[i + 1]], v);
        }
        assert.equal(rec.timestampUs[0], Number(exp.first_rows[0].local_timestamp));
      });

      it('frames() over 1-byte, 7-byte and odd chunks gives the same frames as read()', async () => {
        for (const sizes of name.startsWith('log.') ? [[7], [3, 5, 4093]] : [[1], [7], [3, 5, 4093]]) {
          const { frames, diagnostics } = await collect(esp32Reader, bytes, sizes, { file: name });
          assertFramesMatchRecording(frames, rec);
          assert.deepEqual(diagKeys(diagnostics), diagKeys(rec.diagnostics));
        }
      });
    });
  }

  describe('subcarrier layout (ESP-IDF CSI table)', () => {
    it('esp-csi HT40, secondary below: LLTF 0~63 then HT-LTF 0~63, -64~-1', () => {
      const rec = esp32Reader.read(load('log.console_test.20210205155636.csv'));
      const idx = Array.from(rec.subcarrierIndices);
      assert.equal(idx.length, 192);
      assert.deepEqual(
        idx.slice(0, 64),
        Array.from({ length: 64 }, (_, i) => i),
      );
      assert.deepEqual(
        idx.slice(64, 128),
        Array.from({ length: 64 }, (_, i) => i),
      );
      assert.deepEqual(
        idx.slice(128),
        Array.from({ length: 64 }, (_, i) => i - 64),
      );
      assert.deepEqual(rec.meta.trainingFields, [
        { name: 'LLTF', start: 0, count: 64 },
        { name: 'HT-LTF', start: 64, count: 128 },
      ]);
      assert.equal(rec.bandwidthMHz, 40);
      // Primary channel 13 (2472 MHz) with the secondary below: the 40 MHz channel is centred 10 MHz lower.
      assert.equal(rec.carrierHz, 2462e6);
    });

    it('ESP32-CSI-Tool prints only the LLTF (128 of len 384 bytes): secondary above gives -64~-1', () => {
      const rec = esp32Reader.read(load('example_csi.csv'));
      assert.equal(rec.nSubcarriers, 64);
      assert.deepEqual(
        Array.from(rec.subcarrierIndices),
        Array.from({ length: 64 }, (_, i) => i - 64),
      );
      assert.ok(rec.diagnostics.some(d => d.code === 'len-mismatch' && d.severity === 'info' && d.line === 1));
    });

    it('no secondary channel: LLTF in FFT order 0~31, -32~-1', () => {
      const rec = esp32Reader.read(load('example_data.csv'));
      const idx = Array.from(rec.subcarrierIndices);
      assert.deepEqual(
        idx.slice(0, 32),
        Array.from({ length: 32 }, (_, i) => i),
      );
      assert.deepEqual(
        idx.slice(32),
        Array.from({ length: 32 }, (_, i) => i - 32),
      );
      assert.equal(rec.carrierHz, 2437e6);
    });
  });

  describe('variants', () => {
    const c5 = (seq: number, ts: number) => `CSI_DATA,${seq},1a:2b:3c:4d:5e:6f,-40,11,-95,12,30,6,${ts},100,0,8,0,"[1,2,3,4,-5,6,7,-8]"`;

    it('reads the 15-field ESP32-C5/C6 variant with console lines interleaved and CRLF endings', () => {
      const text = ['I (123) wifi: connected', c5(7, 1000), 'garbage line', c5(8, 2000), ''].join('\r\n');
      const rec = esp32Reader.read(enc(text));
      assert.equal(rec.nPackets, 2);
      assert.equal(rec.meta.tool, 'esp-csi (ESP32-C5/C6)');
      assert.equal(rec.meta.skippedLines, 2);
      assert.deepEqual(Array.from(rec.seq), [7, 8]);
      assert.deepEqual(Array.from(rec.timestampUs), [1000, 2000]);
      assert.equal(rec.agc[0], 30);
      assert.equal(rec.noise[0], -95);
      assert.deepEqual(Array.from(rec.csi.subarray(0, 8)), [2, 1, 4, 3, 6, -5, -8, 7]);
      // No ESP-IDF table entry for this row type: indices are column numbers, said once.
      assert.deepEqual(Array.from(rec.subcarrierIndices), [0, 1, 2, 3]);
      assert.ok(rec.diagnostics.some(d => d.code === 'unknown-layout'));
      const skip = rec.diagnostics.find(d => d.code === 'skipped-line');
      assert.ok(skip);
      assert.equal(skip.line, 1);
      assert.equal(skip.offset, 0);
    });

    it('unwraps the u32 local_timestamp', () => {
      const text = [c5(1, 4294967000), c5(2, 200)].join('\n');
      const rec = esp32Reader.read(enc(text));
      assert.deepEqual(Array.from(rec.timestampUs), [4294967000, 2 ** 32 + 200]);
    });

    it('warns about rows whose subcarriers differ from the first row, not about coinciding prefixes', () => {
      // example_csi.csv mixes HT40 and non-HT rows with the secondary channel above: both print the LLTF -64~-1.
      assert.ok(!esp32Reader.read(load('example_csi.csv')).diagnostics.some(d => d.code === 'mixed-layout'));
      const row = (sec: number, bw: number) =>
        'CSI_DATA,AP,3C:71:BF:6D:2A:78,-73,11,1,0,' + bw + ',1,1,0,0,0,0,-93,0,1,' + sec + ',80272146,0,101,0,0,80.36,4,[1 2 3 4 ]';
      const rec = esp32Reader.read(enc([row(1, 1), row(0, 0)].join('\n')));
      const d = rec.diagnostics.find(x => x.code === 'mixed-layout');
      assert.ok(d);
      assert.equal(d.line, 2);
    });

    it('a header line with a custom column order is honoured', () => {
      const text =
        'type,seq,mac,rssi,rate,noise_floor,fft_gain,agc_gain,channel,local_timestamp,sig_len,rx_state,len,first_word,data\n' + c5(3, 5);
      const rec = esp32Reader.read(enc(text));
      assert.equal(rec.nPackets, 1);
      assert.deepEqual(rec.meta.headerColumns, [
        'type',
        'seq',
        'mac',
        'rssi',
        'rate',
        'noise_floor',
        'fft_gain',
        'agc_gain',
        'channel',
        'local_timestamp',
        'sig_len',
        'rx_state',
        'len',
        'first_word',
        'data',
      ]);
    });
  });

  it('the index pass (skipCsi, scan()) frames exactly as a normal pass, without CSI values; read() ignores the option', async () => {
    for (const name of ['example_csi.csv', 'example_data.csv', 'log.console_test.20210205155636.csv']) {
      await assertSkipCsiPass(esp32Reader, load(name), [65536], LAYOUT_KEYS, name);
      await assertSkipCsiPass(esp32Reader, load(name), [997], LAYOUT_KEYS, `${name} (small chunks)`);
      await assertSkipCsiPass(esp32Reader, damaged(load(name)), [4093], LAYOUT_KEYS, `${name} damaged`);
    }
    // A row with a value that is not an integer is skipped by both passes (the index pass checks every value too).
    const text = new TextDecoder('latin1').decode(load('example_data.csv'));
    const lines = text.split('\n');
    const row = lines.findIndex((l, i) => i > 3 && l.startsWith('CSI_DATA'));
    lines[row] = lines[row].replace(/\[(-?\d+)/, '[x$1');
    const bad = new TextEncoder().encode(lines.join('\n'));
    assert.ok((await collect(esp32Reader, bad, [4096])).diagnostics.some(d => d.code === 'bad-value'));
    await assertSkipCsiPass(esp32Reader, bad, [4096], LAYOUT_KEYS, 'example_data.csv with a bad value');
  });

  describe('several transmitters (the mac column)', () => {
    // A real esp-csi log (one station) with the MAC of every odd CSI row rewritten, as a promiscuous ESP32 logs
    // every station it hears.
    const lines = new TextDecoder().decode(load('example_data.csv')).split('\n');
    let k = 0;
    const mixed = enc(
      lines.map(l => (l.startsWith('CSI_DATA') && k++ % 2 === 1 ? l.replace(/D0:6E:DE:27:6B:63/, 'AA:BB:CC:00:11:22') : l)).join('\n'),
    );
    const one = esp32Reader.read(load('example_data.csv'));

    it('counts rows per transmitter and keeps only the filtered one, in either case', () => {
      const all = esp32Reader.read(mixed);
      assert.deepEqual(all.meta.sourceMacs, { 'd0:6e:de:27:6b:63': 30, 'aa:bb:cc:00:11:22': 30 });
      assert.equal(all.nPackets, 60);
      const a = esp32Reader.read(mixed, { macFilter: 'd0:6e:de:27:6b:63' });
      const b = esp32Reader.read(mixed, { macFilter: 'AA:BB:CC:00:11:22' });
      assert.equal(a.nPackets, 30);
      assert.equal(b.nPackets, 30);
      assert.equal(a.meta.filteredPackets, 30);
      // The kept rows are exactly the even rows of the one-station log.
      const per = 2 * one.nSubcarriers;
      for (let i = 0; i < a.nPackets; i++) {
        assert.deepEqual(a.csi.subarray(i * per, (i + 1) * per), one.csi.subarray(2 * i * per, (2 * i + 1) * per));
        assert.equal(a.offsets[i], one.offsets[2 * i]);
      }
    });

    it('honours macFilter in the streaming pass and names the transmitter in the index pass', async () => {
      async function* chunks() {
        yield mixed;
      }
      const frames: CsiFrame[] = [];
      for await (const f of esp32Reader.frames(chunks(), { macFilter: 'aa:bb:cc:00:11:22' })) frames.push(f);
      assert.equal(frames.length, 30);
      const macs: string[] = [];
      await esp32Reader.scan!(
        chunks(),
        f => {
          macs.push(f.header.mac as string);
        },
        { skipCsi: true },
      );
      assert.equal(macs.length, 60);
      assert.deepEqual([...new Set(macs)].sort(), ['aa:bb:cc:00:11:22', 'd0:6e:de:27:6b:63']);
    });
  });

  describe('bad input', () => {
    const good = load('log.console_test.20210205155636.csv');
    const text = new TextDecoder().decode(good);
    const lines = text.split('\n');
    const lineStart = (n: number) => lines.slice(0, n - 1).reduce((a, l) => a + l.length + 1, 0); // 1-based line n

    it('a truncated row (file cut mid-array) is reported with line number and byte offset', () => {
      const cutAt = lineStart(11) + 300;
      const rec = esp32Reader.read(good.subarray(0, cutAt), { file: 'cut.csv' });
      assert.equal(rec.nPackets, 9); // header + rows on lines 2..10
      const d = rec.diagnostics.find(x => x.code === 'truncated-line');
      assert.ok(d);
      assert.equal(d.line, 11);
      assert.equal(d.offset, lineStart(11));
      assert.equal(d.file, 'cut.csv');
    });

    it('a row missing its closing bracket in the middle is skipped; later rows survive', () => {
      const bad = [...lines];
      bad[4] = bad[4].replace(']"', '"'); // line 5
      bad[6] = bad[6].slice(0, 200); // line 7: truncated, open quote
      const rec = esp32Reader.read(enc(bad.join('\n')));
      assert.equal(rec.nPackets, 1684 - 2);
      assert.deepEqual(
        rec.diagnostics.filter(d => d.code === 'truncated-line').map(d => d.line),
        [5, 7],
      );
    });

    it('non-integer values, odd counts and wrong field counts are diagnosed', () => {
      const rows = [
        'CSI_DATA,AP,3C:71:BF:6D:2A:78,-73,11,1,0,1,1,1,0,0,0,0,-93,0,1,1,80272146,0,101,0,0,80.36,6,[1 2 x 4 5 6 ]',
        'CSI_DATA,AP,3C:71:BF:6D:2A:78,-73,11,1,0,1,1,1,0,0,0,0,-93,0,1,1,80272147,0,101,0,0,80.37,5,[1 2 3 4 5 ]',
        'CSI_DATA,AP,3C:71:BF:6D:2A:78,-73,11,[1 2 ]',
      ];
      const rec = esp32Reader.read(enc(rows.join('\n')));
      assert.equal(rec.nPackets, 1);
      assert.equal(rec.nSubcarriers, 2);
      assert.ok(rec.diagnostics.some(d => d.code === 'bad-value' && d.line === 1));
      assert.ok(rec.diagnostics.some(d => d.code === 'odd-value-count' && d.line === 2));
      assert.ok(rec.diagnostics.some(d => d.code === 'bad-field-count' && d.line === 3));
    });

    it('binary garbage and a huge line without newline end with a diagnostic, no throw, no hang', () => {
      const big = new Uint8Array(200000).fill(0x41);
      const rec = esp32Reader.read(big, { file: 'big' });
      assert.equal(rec.nPackets, 0);
      assert.ok(rec.diagnostics.some(d => d.code === 'line-too-long' && d.offset === 0));
      assert.ok(rec.diagnostics.some(d => d.severity === 'error' && d.code === 'no-csi'));
      const empty = esp32Reader.read(new Uint8Array(0));
      assert.equal(empty.nPackets, 0);
    });

    it('sniff accepts the CSV files and rejects binary formats', () => {
      for (const name of FILES) assert.ok(esp32Reader.sniff(load(name).subarray(0, 65536)) >= 0.9, name);
      assert.equal(esp32Reader.sniff(new Uint8Array(1000)), 0);
      assert.equal(esp32Reader.sniff(new Uint8Array(fs.readFileSync(refdata('nexmon', 'example.pcap')))), 0);
    });
  });
});
