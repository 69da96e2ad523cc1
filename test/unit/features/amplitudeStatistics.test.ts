// The amplitude-statistics baseline against values known in closed form: a subcarrier whose amplitude is a
// sinusoid has std B/√2, p90 − p10 = 2B·sin(0.4π) and mean |Δ| ≈ 4B/period per packet; a still one has zeros; the
// motion-energy profile sums to 1 and peaks where the motion is; real recordings give the documented width.
import { strict as assert } from 'node:assert';
import * as path from 'path';
import type { CsiRecording } from '../../../src/core/formats/types';
import { readMainLinkFile } from '../../../src/core/formats/mainLink';
import { MOTION_PROFILE_BINS, amplitudeStatistics } from '../../../src/core/features/amplitudeStatistics';
import { labeled } from '../../helpers/paths';

/** 1 rx × 2 subcarriers × 1 tx: subcarrier 0 still at A, subcarrier 1 at A + B·sin(2πt/P) inside [from, to). */
function rec(n: number, A: number, B: number, P: number, from = 0, to = n): CsiRecording {
  const csi = new Float32Array(2 * n * 2);
  for (let t = 0; t < n; t++) {
    csi[4 * t] = A; // |H| = A, phase 0
    const a = t >= from && t < to ? A + B * Math.sin((2 * Math.PI * (t - from)) / P) : A;
    csi[4 * t + 2] = a * Math.cos(0.3);
    csi[4 * t + 3] = a * Math.sin(0.3);
  }
  return {
    format: 'intel5300',
    file: 'synthetic',
    nPackets: n,
    nSubcarriers: 2,
    nRx: 1,
    nTx: 1,
    csi,
    subcarrierIndices: Int16Array.from([-1, 1]),
    bandwidthMHz: 20,
  } as unknown as CsiRecording;
}

describe('model: amplitude-statistics baseline', () => {
  it('std, mean |Δ| and p90 − p10 of a sinusoidal amplitude match their closed forms; a still subcarrier gives zeros', () => {
    const A = 100,
      B = 10,
      P = 50,
      n = 5000;
    const x = amplitudeStatistics(rec(n, A, B, P));
    assert.equal(x.length, 3 * 2 + MOTION_PROFILE_BINS);
    assert.deepEqual(
      Array.from(x.subarray(0, 3)).map(v => +v.toFixed(6)),
      [0, 0, 0],
    );
    const [sd, md, spread] = x.subarray(3, 6);
    assert.ok(Math.abs(sd - B / Math.SQRT2) < 0.01, `std ${sd}`);
    assert.ok(Math.abs(md - (4 * B) / P) / ((4 * B) / P) < 0.01, `mean |Δ| ${md}`);
    assert.ok(Math.abs(spread - 2 * B * Math.sin(0.4 * Math.PI)) < 0.05, `p90 − p10 ${spread}`);
  });

  it('the motion-energy profile sums to 1 and lies in the bins that hold the motion', () => {
    const n = 800,
      x = amplitudeStatistics(rec(n, 100, 10, 20, 300, 400)); // motion in packets 300–399: bin 3 of 8
    const prof = Array.from(x.subarray(6));
    assert.ok(Math.abs(prof.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    assert.ok(prof[3] > 0.95, `profile ${prof.map(v => v.toFixed(3))}`);
  });

  it('real recordings: 3 statistics per subcarrier and antenna (WiAR 30 × 3, Fition its 56 HT20 tones × 1) + the profile', async () => {
    const w = amplitudeStatistics(await readMainLinkFile(path.join(labeled('wiar'), 'volunteer_7', 'csi_a1_1.dat')));
    assert.equal(w.length, 3 * 30 * 3 + MOTION_PROFILE_BINS);
    const f = amplitudeStatistics(await readMainLinkFile(path.join(labeled('fition'), 'walking_user1_rm1', 'walking_user1_rm1_1.pcap')));
    assert.equal(f.length, 3 * 56 + MOTION_PROFILE_BINS);
    assert.ok([...w, ...f].every(Number.isFinite));
  });
});
