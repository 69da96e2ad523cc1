// research/featureRows.ts dopplerRows: a TensorDataset's Doppler block [N, T, R·Q] becomes pooled-DFS-layout rows
// (receiver-major, then band, frames fastest) with the sample's label and numeric domain factors; and
// research/summary.ts merges a study's splits and models into summary.json without dropping the others.
import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dopplerRows } from '../../../research/featureRows';
import { mergeSummary } from '../../../research/summary';
import type { TensorDataset } from '../../../src/core/features/tensorDataset';

describe('dopplerRows (feature ladder)', () => {
  it('reorders [T, R·Q] to receivers × bands × frames and keeps label and domains', () => {
    const N = 2,
      T = 3,
      R = 2,
      Q = 4,
      F = R * Q;
    const doppler = new Float32Array(N * T * F);
    // value encodes (n, t, r, k)
    for (let n = 0; n < N; n++)
      for (let t = 0; t < T; t++)
        for (let r = 0; r < R; r++) for (let k = 0; k < Q; k++) doppler[(n * T + t) * F + r * Q + k] = 1000 * n + 100 * t + 10 * r + k;
    const d: TensorDataset = {
      T,
      F1: 0,
      F2: F,
      dopplerBands: Q,
      classes: ['a', 'b'],
      ids: ['x', 'y'],
      phase: new Float32Array(0),
      doppler,
      labels: Int32Array.of(1, 0),
      domains: [
        { user: '3', room: '1', location: '5', orientation: '2' },
        { user: '1', room: '2', location: '1', orientation: '4' },
      ],
    };
    const rows = dopplerRows(d);
    assert.equal(rows.length, 2);
    for (let n = 0; n < N; n++)
      for (let t = 0; t < T; t++)
        for (let r = 0; r < R; r++)
          for (let k = 0; k < Q; k++) assert.equal(rows[n].x[(r * Q + k) * T + t], 1000 * n + 100 * t + 10 * r + k);
    assert.deepEqual({ ...rows[0], x: undefined }, { x: undefined, label: 1, user: 3, room: 1, location: 5, orientation: 2 });
    assert.equal(rows[1].orientation, 4);
  });
});

describe('mergeSummary (research/results/summary.json)', () => {
  it('merges models of a split, keeps other splits, rounds to 0.01 and skips non-finite values', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'summary-')), 'summary.json');
    mergeSummary({ 'sim-default/leave-user-3-out': { teacher: 55.123, ridge: 30 } }, file);
    mergeSummary(
      { 'sim-default/leave-user-3-out': { student: 60, ridge: 31 }, 'wiar/leave-volunteer-9-out': { teacher: 40, ce: NaN } },
      file,
    );
    const s = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(s, {
      'sim-default/leave-user-3-out': { ridge: 31, student: 60, teacher: 55.12 },
      'wiar/leave-volunteer-9-out': { teacher: 40 },
    });
  });
});
