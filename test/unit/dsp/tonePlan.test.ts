// Issue 23, item 4: the phase sanitiser on captures that dump the whole FFT (Nexmon, ESP32). Expectations: the
// 802.11 tone plans (IEEE 802.11-2020 §19.3.7, §21.3.7), the physics of the per-packet phase error (an offset plus
// a slope over the subcarrier index), and the real Nexmon captures in refdata.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { readRecording } from '../../../src/core/formats';
import { sanitizedPhase, sanitizeRow } from '../../../src/core/dsp/phase';
import { carriesChannel, subcarrierAxis, toneKinds } from '../../../src/core/dsp/tonePlan';
import { INTEL_20MHZ, rng } from './synth';
import { refdata } from '../../helpers/paths';

const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

describe('dsp/tonePlan and the sanitiser on full-FFT captures', () => {
  it('classifies an 80 MHz grid per the VHT tone plan: 234 data, 8 pilots, 3 DC nulls, 11 guards', () => {
    const kinds = toneKinds(range(-128, 127));
    const count = (k: string) => kinds.filter(x => x === k).length;
    assert.deepEqual([count('data'), count('pilot'), count('null'), count('guard')], [234, 8, 3, 11]);
    for (const k of [-103, -75, -39, -11, 11, 39, 75, 103]) assert.equal(kinds[k + 128], 'pilot');
    for (const k of [-128, -123, 123, 127]) assert.equal(kinds[k + 128], 'guard');
    assert.equal(kinds[-122 + 128], 'data');
    // A device that lists only occupied tones (Intel 5300's 30 groups) has no nulls or guards to remove.
    assert.ok(toneKinds(INTEL_20MHZ).every(k => k === 'data'));
    // 20 MHz: 52 data + 4 pilots, DC, 7 guards.
    const k20 = toneKinds([...range(0, 31), ...range(-32, -1)]);
    assert.deepEqual(
      ['data', 'pilot', 'null', 'guard'].map(k => k20.filter(x => x === k).length),
      [52, 4, 1, 7],
    );
  });

  it('recovers the channel phase of a packet in FFT order with garbage on nulls and guards', () => {
    const r = rng(7);
    // FFT order as a Nexmon chip sends it (0 … 127, −128 … −1), one 80 MHz packet.
    const k = [...range(0, 127), ...range(-128, -1)];
    const kinds = toneKinds(k);
    const usable = kinds.map(carriesChannel);
    const channel = (x: number) => 0.8 * Math.sin(x / 23) + 0.0001 * x * x; // smooth, non-linear channel phase
    const slope = -0.9,
      off = 2.2; // per-packet timing slope (rad per tone, steeper than π / 4) and offset
    const re = new Float64Array(256),
      im = new Float64Array(256);
    for (let i = 0; i < 256; i++) {
      const garbage = !usable[i];
      const a = garbage ? 1e4 * r() : 900 + 200 * Math.cos(k[i] / 17);
      const p = garbage ? 2 * Math.PI * r() : channel(k[i]) + slope * k[i] + off;
      re[i] = a * Math.cos(p);
      im[i] = a * Math.sin(p);
    }
    const out = new Float64Array(256);
    assert.equal(sanitizeRow(re, im, k, usable, out), 242);
    // Expected residual: the channel phase minus its own least-squares line over the used tones.
    const used = k.filter((_, i) => usable[i]);
    const km = used.reduce((s, x) => s + x, 0) / used.length;
    const pm = used.reduce((s, x) => s + channel(x), 0) / used.length;
    const a = used.reduce((s, x) => s + (x - km) * (channel(x) - pm), 0) / used.reduce((s, x) => s + (x - km) ** 2, 0);
    for (let i = 0; i < 256; i++) {
      if (!usable[i]) {
        assert.ok(Number.isNaN(out[i]), `tone ${k[i]} (${kinds[i]}) is left out`);
        continue;
      }
      const want = channel(k[i]) - pm - a * (k[i] - km);
      assert.ok(Math.abs(out[i] - want) < 1e-9, `tone ${k[i]}: ${out[i]} vs ${want}`);
    }
  });

  for (const name of ['example_43455c0.pcap', 'example_4366c0.pcap', '40mhz_1600085286.pcap', 'output-40.pcap']) {
    it(`sanitised phase of the real Nexmon capture ${name} stays within a few radians`, () => {
      const file = refdata('nexmon', name);
      const rec = readRecording(new Uint8Array(fs.readFileSync(file)), { file });
      const ph = sanitizedPhase(rec, { unwrapTime: false });
      const S = rec.nSubcarriers;
      const abs: number[] = [];
      const fitted: number[] = [];
      for (let t = 0; t < rec.nPackets; t++) {
        let n = 0;
        for (let s = 0; s < S; s++) {
          const x = ph[t * S + s];
          if (x === x) {
            abs.push(Math.abs(x));
            n++;
          }
        }
        fitted.push(n);
      }
      abs.sort((x, y) => x - y);
      fitted.sort((x, y) => x - y);
      // Before: ±51 rad (43455c0), ±31 rad (4366c0). A residual channel phase is a fraction of a turn.
      assert.ok(abs[Math.floor(0.99 * abs.length)] < Math.PI, `99th percentile ${abs[Math.floor(0.99 * abs.length)]}`);
      assert.ok(abs[abs.length - 1] < 2 * Math.PI, `max ${abs[abs.length - 1]}`);
      // Not by leaving everything out: a packet keeps at least most of a 20 MHz frame's 52 occupied tones.
      assert.ok(fitted[fitted.length >> 1] >= 45, `median ${fitted[fitted.length >> 1]} tones fitted per packet`);
    });
  }

  it('the ESP32 axis of a segmented buffer names what it shows (no "0 … −1")', () => {
    const idx = [...range(0, 63), ...range(0, 63), ...range(-64, -1)];
    const ax = subcarrierAxis(idx);
    assert.deepEqual(ax.indices, range(-64, 63));
    assert.ok(ax.columns.every(c => c >= 64));
  });
});
