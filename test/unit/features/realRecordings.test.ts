// Dual-path features on real recordings (WiAR, Fition) and the tone-plan and single-antenna crop rules they need.
import { strict as assert } from 'node:assert';
import * as path from 'path';
import { seededRandom } from '../../../src/core/data/seededRandom';
import {
  DEFAULT_FEATURES,
  activeSubcarriers,
  occupiedToneRange,
  buildTensorDataset,
  cropSegment,
  prepareReceiver,
  receiverFeatures,
} from '../../../src/core/features';
import { readRecordingFile } from '../../../src/core/formats/index';
import { labeled } from '../../helpers/paths';
import { singleAntenna } from './fixtures';

describe('features: real recordings, tone plans, single-antenna crop', () => {
  it('real WiAR recordings give finite features of the documented widths', async function () {
    this.timeout(20_000);
    const root = labeled('wiar');
    const s = {
      id: 'x',
      files: [path.join(root, 'volunteer_7', 'csi_a1_1.dat')],
      receivers: ['rx'],
      label: 0,
      className: 'a',
      domain: { user: '7' },
    };
    const d = await buildTensorDataset({ classes: ['a'] }, [s], DEFAULT_FEATURES);
    // 3 rx antennas × 30 amplitude groups, then 2 ratio pairs × ceil(30/6) subcarriers; 30 Doppler bands.
    assert.equal(d.F1, 90 + 10);
    assert.equal(d.F2, 30);
    assert.equal(d.amplitudeColumns, 90);
    assert.equal(d.dopplerZeroBand, 14.5, 'signed DFS (3 antennas): 0 Hz between bands 14 and 15 of 30');
    assert.ok(d.phase.every(Number.isFinite) && d.doppler.every(Number.isFinite));
    // Each part is standardised on its own: zero mean over the amplitude columns and over the phase columns.
    const T = d.T,
      partMean = (c0: number, c1: number) => {
        let m = 0;
        for (let t = 0; t < T; t++) for (let c = c0; c < c1; c++) m += d.phase[t * d.F1 + c];
        return m / (T * (c1 - c0));
      };
    assert.ok(Math.abs(partMean(0, 90)) < 1e-4 && Math.abs(partMean(90, 100)) < 1e-4);
  });

  it('finds the occupied 20 MHz sub-band of an 80 MHz Nexmon capture (Fition): its 56 HT20 tones, in every recording', async () => {
    // labeled/fition/README.md: only one 20 MHz sub-band carries signal; after fftshift its tones 4–31 and 33–60 (56
    // bins) are at ≈ 1000 and the rest near the noise floor, "except a few spurious edge bins". Which spurious bins
    // pass a threshold changes from one recording session to the next (guard bins 0–3, bins 88, 129, 253–255), so
    // the active set must be the tone plan's, the same for every file of the capture setup.
    const files = [
      'falling_user1_rm1/falling_user1_rm1_1.pcap',
      'falling_user2_rm2/falling_user2_rm2_1.pcap',
      'walking_user1_rm1/walking_user1_rm1_1.pcap',
      'nm_user3_rm3/nm_user3_rm3_0.pcap',
    ];
    // −96 ∓ 28…1, −96 ± 1…28
    const ht20 = [...Array.from({ length: 28 }, (_, i) => -124 + i), ...Array.from({ length: 28 }, (_, i) => -95 + i)];
    for (const f of files) {
      const rec = await readRecordingFile(path.join(labeled('fition'), f));
      const mean = new Float64Array(rec.nSubcarriers);
      for (let t = 0; t < rec.nPackets; t++)
        for (let sc = 0; sc < rec.nSubcarriers; sc++)
          mean[sc] += Math.hypot(rec.csi[2 * (t * rec.nSubcarriers + sc)], rec.csi[2 * (t * rec.nSubcarriers + sc) + 1]);
      const byThreshold = activeSubcarriers(mean);
      assert.ok(
        byThreshold.some(i => rec.subcarrierIndices[i] < -124 || rec.subcarrierIndices[i] > -68),
        `${f}: expected stray bins above the threshold alone`,
      );
      const act = activeSubcarriers(mean, rec.subcarrierIndices, rec.bandwidthMHz);
      assert.deepEqual(
        act.map(i => rec.subcarrierIndices[i]),
        ht20,
        f,
      );
    }
    // One antenna: the Doppler path is the 0…fs/2 amplitude spectrogram, 0 Hz at the lower edge of band 0.
    const d = await buildTensorDataset(
      { classes: ['a'] },
      [{ id: 'f', files: [path.join(labeled('fition'), files[0])], receivers: ['rx'], label: 0, className: 'a', domain: {} }],
      DEFAULT_FEATURES,
    );
    assert.equal(d.amplitudeColumns, 30);
    assert.equal(d.dopplerZeroBand, -0.5);
    // Every subcarrier occupied (Intel 5300's 30 groups): all pass, with or without indices.
    const intel = Array.from({ length: 30 }, (_, i) => 20 + (i % 7));
    assert.equal(activeSubcarriers(intel).length, 30);
    assert.equal(
      activeSubcarriers(
        intel,
        Array.from({ length: 30 }, (_, i) => -28 + 2 * i),
        20,
      ).length,
      30,
    );
  });

  it('occupiedToneRange: the tone plan of a 20, 40 or 80 MHz frame inside a wider capture, in any column order', () => {
    const span = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
    const capture80 = span(-128, 127);
    const colsOf = (idx: number[], tones: number[]) => tones.map(t => idx.indexOf(t));
    // A 20 MHz frame on the third sub-band (centre +32) plus stray bins elsewhere: that sub-band's ±28.
    const third = [...span(4, 31), ...span(33, 60)];
    assert.deepEqual(occupiedToneRange(capture80, colsOf(capture80, [...third, -100, 127]), 80), [4, 60]);
    // A 40 MHz frame on the upper half (sub-bands +32 and +96, DC nulls at 64 ± 1): centre 64 ± 58.
    const upper40 = [...span(6, 62), ...span(66, 122)];
    assert.deepEqual(occupiedToneRange(capture80, colsOf(capture80, upper40), 80), [6, 122]);
    // An 80 MHz frame: ±122 around the channel centre (VHT80).
    assert.deepEqual(occupiedToneRange(capture80, colsOf(capture80, [...span(-122, -2), ...span(2, 122)]), 80), [-122, 122]);
    // ESP32 buffer order (0…31, −32…−1) of a 20 MHz capture: the band is centred on 0.
    const esp = [...span(0, 31), ...span(-32, -1)];
    assert.deepEqual(occupiedToneRange(esp, colsOf(esp, [...span(-26, -1), ...span(1, 26)]), 20), [-28, 28]);
    // Indices that are not a 312.5 kHz grid for the stated bandwidth (an HE capture's finer tones): no plan.
    assert.equal(occupiedToneRange(capture80, colsOf(capture80, third), 20), undefined);
    // Two occupied sub-bands that are not adjacent are not one frame: no plan.
    assert.equal(occupiedToneRange(capture80, colsOf(capture80, [...span(-124, -68), ...span(4, 60)]), 80), undefined);
  });

  it("crop 'motion' on a single-antenna receiver finds the motion from the amplitudes; 'auto' leaves it uncropped", () => {
    // Nexmon-like: one antenna, 56 subcarriers, 50 packets/s for 10 s; a person moves 4–6.5 s, which modulates each
    // subcarrier's amplitude (a reflected path of rotating phase added to the static one); noise throughout.
    const fs = 50,
      T = 500,
      nSc = 56,
      rng = seededRandom(5);
    const csi = new Float32Array(2 * T * nSc);
    for (let p = 0; p < T; p++) {
      const t = p / fs,
        moving = t >= 4 && t < 6.5;
      for (let sc = 0; sc < nSc; sc++) {
        const ph = moving ? 2 * Math.PI * (3 * t + sc / 20) : 0;
        csi[2 * (p * nSc + sc)] = 100 + (moving ? 30 * Math.cos(ph) : 0) + 2 * (rng() - 0.5);
        csi[2 * (p * nSc + sc) + 1] = (moving ? 30 * Math.sin(ph) : 0) + 2 * (rng() - 0.5);
      }
    }
    const rec = singleAntenna(csi, T, fs, nSc);
    const prepared = prepareReceiver(rec);
    assert.equal(prepared.dfs, undefined, 'one antenna: no DFS');
    const seg = cropSegment([prepared], { ...DEFAULT_FEATURES, crop: 'motion' });
    assert.ok(seg, 'a segment');
    // The ±0.25 s variance window blurs each edge by up to its half-width, the ±5-packet smoothing by 0.1 s more.
    assert.ok(Math.abs(seg.startS - 4) < 0.4 && Math.abs(seg.endS - 6.5) < 0.4, JSON.stringify(seg));
    assert.equal(cropSegment([prepared], DEFAULT_FEATURES), undefined, "'auto' does not crop a single-antenna receiver");
    // The cropped amplitude path varies at every step (all motion); the uncropped one is flat for most of its steps.
    const varying = (seg?: { startS: number; endS: number }) => {
      const a = receiverFeatures(prepared, { ...DEFAULT_FEATURES, timeSteps: 16, normalize: 'none', crop: 'none' }, seg).amplitude;
      let n = 0;
      for (let t = 1; t < 16; t++) if (Math.abs(a.data[t * a.width] - a.data[(t - 1) * a.width]) > 1) n++;
      return n;
    };
    assert.ok(varying(seg) >= 12, `cropped: ${varying(seg)} of 15 steps change`);
    assert.ok(varying(undefined) <= 8, `uncropped: ${varying(undefined)} of 15 steps change`);
  });
});
