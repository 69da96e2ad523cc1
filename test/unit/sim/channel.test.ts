// The fast channel evaluation (phasors carried across subcarriers and packets) against a direct, independent sum of
// a·e^{−j2π f_k L/c} over every path, computed here with one cos/sin per path, subcarrier and packet.
import { strict as assert } from 'node:assert';
import { synthesizeChannel } from '../../../src/core/sim/channel';
import { subcarrierFrequencies } from '../../../src/core/sim/widarLayout';
import type { Vec3 } from '../../../src/core/sim/vec3';

const C = 299_792_458;
const d3 = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe('sim channel evaluation', () => {
  it('matches the direct phasor sum to 1e-6 over 1000 packets of fast, accelerating motion', () => {
    const tx: Vec3 = [0, 0, 1],
      antennas: Vec3[] = [
        [1.2, 0.3, 1.1],
        [1.2, 0.326, 1.1],
        [1.2, 0.352, 1.1],
      ];
    const freqs = subcarrierFrequencies();
    const nPkt = 1000,
      nQ = 3;
    const positions = new Float64Array(nPkt * nQ * 3);
    for (let p = 0; p < nPkt; p++) {
      const t = p / 1000;
      // a hand-like point (up to ~2.5 m/s, so ~0.3 rad of carrier phase per packet), a slow one, a still one
      positions.set(
        [0.8 + 0.3 * Math.sin(2 * Math.PI * 1.3 * t), 1 + 0.2 * Math.cos(2 * Math.PI * 1.3 * t), 1.2 + 0.5 * t * t],
        p * nQ * 3,
      );
      positions.set([1.5 + 0.05 * t, 1.4, 1.0], (p * nQ + 1) * 3);
      positions.set([0.3, 1.9, 0.9], (p * nQ + 2) * 3);
    }
    const weights = Float64Array.of(1, 0.7, 1.5),
      bodyGain = 0.5;
    const staticH = new Float64Array(30 * 3 * 2);
    staticH[0] = 1e-3;
    staticH[7] = -2e-3;
    const H = synthesizeChannel({ tx, antennas, freqs, staticH, positions, weights, bodyGain });
    const lambda = C / freqs[15];
    let maxErr = 0,
      maxMag = 0;
    for (let p = 0; p < nPkt; p++)
      for (let k = 0; k < 30; k++)
        for (let a = 0; a < 3; a++) {
          const i = (k * 3 + a) * 2;
          let re = staticH[i],
            im = staticH[i + 1];
          for (let q = 0; q < nQ; q++) {
            const pos = positions.subarray((p * nQ + q) * 3, (p * nQ + q) * 3 + 3);
            const d1 = d3(pos, tx),
              d2 = d3(pos, antennas[a]);
            const amp = (bodyGain * weights[q] * lambda) / (Math.pow(4 * Math.PI, 1.5) * d1 * d2);
            const ph = (-2 * Math.PI * freqs[k] * (d1 + d2)) / C;
            re += amp * Math.cos(ph);
            im += amp * Math.sin(ph);
          }
          const j = p * 180 + i;
          maxErr = Math.max(maxErr, Math.hypot(H[j] - re, H[j + 1] - im));
          maxMag = Math.max(maxMag, Math.hypot(re, im));
        }
    assert.ok(maxErr < 1e-6 * maxMag, `max error ${maxErr} vs magnitude ${maxMag}`);
  });
});
