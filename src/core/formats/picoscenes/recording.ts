// PicoScenes frames → one CsiRecording: frames aligned on their subcarrier indices, then the columnar arrays.
import { buildRecording } from '../frameTable';
import { deviceName, toolboxIndices, type CsiSegment } from './csi';
import type { CsiDiagnostic, CsiFrame, CsiRecording } from '../types';
import type { PicoScenesParser } from './reader';

/** The toolbox index list of one decoded frame (from its CSI header fields), offset applied; null if none. */
export function frameIndices(f: CsiFrame): number[] | null {
  const h = f.header;
  const seg = { deviceType: h.csi_deviceType, packetFormat: h.csi_packetFormat, cbw: h.csi_cbw } as CsiSegment;
  const list = toolboxIndices(seg, f.nSubcarriers);
  const off = h.subcarrierOffset as number;
  return list && off ? list.map(i => i + off) : list;
}

/**
 * Files can mix packet formats (the AX200 sample has 778 HT frames with 56 tones and 107 non-HT frames with 52).
 * When every frame has a known index list, the recording's columns are the sorted union of those lists and each
 * frame's values go to the columns of their own subcarriers (absent ones stay 0), so column c always means the same
 * subcarrier. Otherwise columns are tone positions and a warning says so.
 */
export function alignFrames(frames: CsiFrame[]): { frames: CsiFrame[]; idx: Int16Array; aligned: boolean } {
  const lists = frames.map(frameIndices);
  if (frames.length === 0 || lists.some(l => l === null)) {
    const n = frames.reduce((a, f) => Math.max(a, f.nSubcarriers), 0);
    const first = lists[0];
    const idx = new Int16Array(n);
    for (let i = 0; i < n; i++) idx[i] = first && i < first.length ? first[i] : i;
    return { frames, idx, aligned: false };
  }
  const keyOf = (l: number[]) => `${l.length}:${l[0]}:${l[l.length - 1]}`;
  const distinct = new Map<string, number[]>();
  for (const l of lists) distinct.set(keyOf(l!), l!);
  if (distinct.size === 1) return { frames, idx: Int16Array.from(lists[0]!), aligned: true };
  const union = [...new Set([...distinct.values()].flat())].sort((a, b) => a - b);
  const col = new Map(union.map((v, i) => [v, i]));
  const out = frames.map((f, p) => {
    const l = lists[p]!;
    const csi = new Float32Array(2 * union.length * f.nRx * f.nTx);
    const per = 2 * f.nRx * f.nTx;
    for (let k = 0; k < l.length; k++) csi.set(f.csi.subarray(k * per, (k + 1) * per), col.get(l[k])! * per);
    return { ...f, nSubcarriers: union.length, csi };
  });
  return { frames: out, idx: Int16Array.from(union), aligned: true };
}

export function toRecording(frames: CsiFrame[], diagnostics: CsiDiagnostic[], file: string, p: PicoScenesParser): CsiRecording {
  const c = p.firstCsi;
  const first = frames[0];
  const { frames: cols, idx, aligned } = alignFrames(frames);
  const kinds = new Set(frames.map(f => `${f.header.csi_deviceType}/${f.header.csi_packetFormat}/${f.header.csi_cbw}/${f.nSubcarriers}`));
  if (first && !aligned) {
    diagnostics.push({
      file,
      offset: first.offset,
      severity: kinds.size > 1 ? 'warning' : 'info',
      code: 'unknown-indices',
      message:
        'no subcarrier index list for some frames (device/format/CBW); columns are tone positions' +
        (kinds.size > 1 ? ' and frames of different layouts share them' : ''),
      expected: 'IWL5300, QCA9300 or IWLMVM with a known format and CBW',
    });
  }
  if (!first && !diagnostics.some(d => d.code === 'no-csi' || d.severity === 'error')) {
    diagnostics.push({
      file,
      offset: 0,
      severity: 'error',
      code: 'not-picoscenes',
      message: 'no PicoScenes frame with CSI found',
      expected: 'frames with magic 0x20150315',
    });
  }
  return buildRecording(cols, {
    format: 'picoscenes',
    file,
    device: c ? `${deviceName(c.deviceType)} (PicoScenes)` : 'PicoScenes',
    subcarrierIndices: idx,
    bandwidthMHz: c ? c.cbw : 0,
    carrierHz: c ? c.carrierFreq : 0,
    diagnostics,
    meta: {
      tool: 'PicoScenes',
      segments: p.segments,
      framesWithoutCsi: p.framesWithoutCsi,
      layouts: [...kinds],
      sourceMacs: p.sourceMacs,
      filteredFrames: p.filtered,
      timestampSource: p.macTimeFrames > 0 ? 'MVMExtra MAC time (u32 µs, unwrapped)' : 'RxSBasic tstamp',
    },
    rateOf: f => (typeof f.header.mcs === 'number' ? f.header.mcs : NaN),
    timestampModulus: p.macTimeFrames > 0 ? 2 ** 32 : 0,
  });
}
