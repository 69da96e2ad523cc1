// Nexmon frames → one CsiRecording: frames narrower than the widest placed on their own band's columns (from the
// chanspec), then the columnar arrays.
import { buildRecording } from '../frameTable';
import { chanspecCarrierHz } from './csi';
import type { CsiDiagnostic, CsiFrame, CsiRecording } from '../types';
import { NEXMON_PORT } from './csi';

/**
 * Frames of a narrower bandwidth (e.g. a 20 MHz packet in an 80 MHz capture) are placed on the columns of their own
 * subcarriers. Both grids have 312.5 kHz spacing, and each frame's chanspec gives its centre: a narrow frame of N
 * tones centred `shift` subcarriers from the wide grid's centre (shift = Δf / 312.5 kHz) covers columns
 * (Nmax − N)/2 + shift … (Nmax + N)/2 − 1 + shift. Why by frequency and not simply centred: a 20 MHz frame is sent
 * on the *primary* 20 MHz channel, which is one edge of the 80 MHz block (Fition: 20 MHz frames on channel 36,
 * 5180 MHz, inside an 80 MHz capture on channel 42, 5210 MHz; shift −96, so columns 0–63, where its 56 occupied
 * tones land on exactly the columns that carry the 80 MHz frames' signal). When either centre is unknown, or the
 * narrow band would not fit inside the wide one, the frame is centred (the warning says so).
 */
export function placeFrames(frames: CsiFrame[], nMax: number, wideCarrierHz: number): { frames: CsiFrame[]; centred: number } {
  let centred = 0;
  const out = frames.map(f => {
    if (f.nSubcarriers === nMax) return f;
    const fc = chanspecCarrierHz(parseInt(f.header.chanspec as string, 16));
    let start = (nMax - f.nSubcarriers) / 2;
    const shift = fc > 0 && wideCarrierHz > 0 ? Math.round((fc - wideCarrierHz) / 312.5e3) : NaN;
    if (Number.isFinite(shift) && start + shift >= 0 && start + shift + f.nSubcarriers <= nMax) start += shift;
    else centred++;
    const per = 2 * f.nRx * f.nTx;
    const csi = new Float32Array(nMax * per);
    csi.set(f.csi.subarray(0, f.nSubcarriers * per), start * per);
    return { ...f, nSubcarriers: nMax, csi };
  });
  return { frames: out, centred };
}

export function toRecording(frames: CsiFrame[], diagnostics: CsiDiagnostic[], file: string, meta: Record<string, unknown>): CsiRecording {
  const first = frames[0];
  let n = 0;
  let widest: CsiFrame | undefined;
  for (const f of frames)
    if (f.nSubcarriers > n) {
      n = f.nSubcarriers;
      widest = f;
    }
  const idx = new Int16Array(n);
  for (let c = 0; c < n; c++) idx[c] = c - n / 2;
  const chanspec = widest ? parseInt(widest.header.chanspec as string, 16) : 0;
  const narrow = frames.find(x => x.nSubcarriers !== n);
  const placed = narrow ? placeFrames(frames, n, chanspecCarrierHz(chanspec)) : { frames, centred: 0 };
  if (narrow) {
    const nNarrow = frames.filter(x => x.nSubcarriers !== n).length;
    diagnostics.push({
      file,
      offset: narrow.offset,
      severity: 'warning',
      code: 'mixed-bandwidth',
      message:
        `${nNarrow} frame(s) have fewer subcarriers than the widest (${narrow.nSubcarriers} vs ${n}); each is placed ` +
        `on the columns of its own band from its chanspec (zeros elsewhere)` +
        (placed.centred ? `, ${placed.centred} on the centre columns as their band is unknown or outside the widest` : ''),
      expected: `${n} subcarriers`,
    });
  }
  if (first === undefined && !diagnostics.some(d => d.severity === 'error')) {
    diagnostics.push({
      file,
      offset: 0,
      severity: 'error',
      code: 'no-csi',
      message: 'no Nexmon CSI packet (IPv4/UDP to port 5500 with a nexmon magic) in the capture',
      expected: `UDP destination port ${NEXMON_PORT}`,
    });
  }
  const chip = first ? (first.header.chip as string) : '';
  return buildRecording(placed.frames, {
    format: 'nexmon',
    file,
    device: chip ? `Broadcom bcm${chip} (nexmon_csi)` : 'Broadcom (nexmon_csi)',
    subcarrierIndices: idx,
    bandwidthMHz: n / 3.2,
    carrierHz: chanspecCarrierHz(chanspec),
    diagnostics,
    meta,
    rateOf: () => NaN,
    timestampModulus: 0,
  });
}
