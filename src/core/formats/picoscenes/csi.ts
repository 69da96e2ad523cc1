// Decoding of the PicoScenes `RxSBasic` and `CSI` segments (FORMATS.md §5), kept apart from the frame walker in
// picoscenes.ts. Layouts follow the PicoScenes RXS parsing core (RxSBasicSegment.cxx / CSISegment.cxx, as shipped
// in csiread), plus CSI v4 from FORMATS.md (adds firmwareVersion after deviceType).
//
// Device CSI payloads:
// * IWL5300 (0x5300): the Intel 5300 bit packing (FORMATS.md §1.2): per group 3 pad bits, then for rx, for tx:
//   int8 real, int8 imag, LSB-first. Streams = (len − 12) / 60 / numRx. Unpacking and the receive-chain
//   permutation are the Intel reader's (read_bf_file.m's rule: permute when sum(perm) == [1 3 6](Nrx)). The
//   PicoScenes toolbox ranks the antSel fields instead and masks the first with 0x1; on the sample files (Nrx = 2,
//   antSel 6 / 18: perm sums 6 ≠ 3) neither reorders.
// * QCA9300 (0x9300): the Atheros 10-bit packing (atherosCsi.ts): tone > tx > rx, imaginary first. Streams =
//   len / (140 | 285 bytes per chain at 20 | 40 MHz) / numRx, as the toolbox computes it.
// * Intel AX200 / AX210 (0x2000 / 0x2100, "IWLMVM"): int16 LE real, int16 LE imag per value; tone varies fastest,
//   then transmit stream, then receive chain (the toolbox's column-major [tones, STS, rx]).
// Other devices (USRP / SDR) are reported as unsupported and their frames skipped.
import { athCsiBytes, decodeAth10 } from '../atheros/csi';
import { u64 } from '../frameTable';
import { permDecision, permFromAntennaSel, unpackPayloadRaw } from '../intel5300/decode';
import { NO_CSI } from '../pushParser';

export interface RxSBasic {
  version: number;
  deviceType: number;
  tstamp: number;
  centerFreq: number;
  controlFreq: number;
  cbw: number;
  packetFormat: number;
  pkt_cbw: number;
  guardInterval: number;
  mcs: number;
  numSTS: number;
  numESS: number;
  numRx: number;
  numUser: number;
  userIndex: number;
  noiseFloor: number;
  rssi: number;
  rssi_ctl0: number;
  rssi_ctl1: number;
  rssi_ctl2: number;
}

const s8 = (v: number) => (v << 24) >> 24;

/** Parse an RxSBasic body; null when the version is unknown or the body has the wrong size. */
export function parseRxSBasic(b: Uint8Array, p: number, len: number, version: number): RxSBasic | null {
  const need = version === 1 ? 26 : version === 2 ? 28 : version === 3 ? 32 : -1;
  if (need < 0 || len !== need) return null;
  const dv = new DataView(b.buffer, b.byteOffset + p, len);
  const r = { version, deviceType: dv.getUint16(0, true), tstamp: u64(dv, 2, true) } as RxSBasic;
  let o = 10;
  if (version === 3) {
    r.centerFreq = dv.getInt16(o, true);
    r.controlFreq = dv.getInt16(o + 2, true);
    r.cbw = dv.getInt16(o + 4, true);
    r.packetFormat = b[p + o + 6];
    r.pkt_cbw = dv.getUint16(o + 7, true);
    r.guardInterval = dv.getUint16(o + 9, true);
    o += 11;
  } else {
    r.centerFreq = dv.getInt16(o, true);
    r.controlFreq = r.centerFreq;
    r.packetFormat = b[p + o + 2];
    r.cbw = dv.getUint16(o + 3, true);
    r.pkt_cbw = r.cbw;
    r.guardInterval = dv.getUint16(o + 5, true);
    o += 7;
  }
  r.mcs = b[p + o];
  r.numSTS = b[p + o + 1];
  r.numESS = b[p + o + 2];
  r.numRx = b[p + o + 3];
  o += 4;
  if (version >= 2) {
    r.numUser = b[p + o];
    r.userIndex = b[p + o + 1];
    o += 2;
  } else {
    r.numUser = 1;
    r.userIndex = 0;
  }
  r.noiseFloor = s8(b[p + o]);
  // v1/v2 store RSSI relative to the noise floor; the toolbox reports noiseFloor + value (dBm). v3 stores dBm.
  const rel = version < 3 ? r.noiseFloor : 0;
  r.rssi = rel + s8(b[p + o + 1]);
  r.rssi_ctl0 = rel + s8(b[p + o + 2]);
  r.rssi_ctl1 = rel + s8(b[p + o + 3]);
  r.rssi_ctl2 = rel + s8(b[p + o + 4]);
  return r;
}

export interface CsiSegment {
  version: number;
  deviceType: number;
  firmwareVersion: number;
  packetFormat: number;
  cbw: number;
  carrierFreq: number;
  samplingRate: number;
  subcarrierBandwidth: number;
  numTones: number;
  numTx: number;
  numRx: number;
  numESS: number;
  numCSI: number;
  antSel: number;
  subcarrierOffset: number;
  csiBufferLength: number;
  /** Offset of the device CSI bytes in the buffer. */
  dataOffset: number;
}

/** Parse the CSI segment header; null when the version is unknown or the body is too short for it. */
export function parseCsiHeader(b: Uint8Array, p: number, len: number, version: number): CsiSegment | null {
  const head = version === 1 ? 35 : version === 2 ? 37 : version === 3 ? 39 : version === 4 ? 40 : -1;
  if (head < 0 || len < head) return null;
  const dv = new DataView(b.buffer, b.byteOffset + p, head);
  const c = { version, deviceType: dv.getUint16(0, true) } as CsiSegment;
  let o = 2;
  c.firmwareVersion = version === 4 ? b[p + o++] : 0;
  c.packetFormat = s8(b[p + o]);
  o += 1;
  c.cbw = dv.getUint16(o, true);
  o += 2;
  c.carrierFreq = u64(dv, o, true);
  o += 8;
  c.samplingRate = u64(dv, o, true);
  o += 8;
  c.subcarrierBandwidth = dv.getUint32(o, true);
  o += 4;
  c.numTones = dv.getUint16(o, true);
  o += 2;
  c.numTx = b[p + o];
  c.numRx = b[p + o + 1];
  c.numESS = b[p + o + 2];
  o += 3;
  if (version >= 3) {
    c.numCSI = dv.getUint16(o, true);
    o += 2;
  } else c.numCSI = 1;
  c.antSel = b[p + o];
  o += 1;
  c.subcarrierOffset = version >= 2 ? dv.getInt16(o, true) : 0;
  if (version >= 2) o += 2;
  c.csiBufferLength = dv.getUint32(o, true);
  o += 4;
  c.dataOffset = p + o;
  return c;
}

export interface DecodedCsi {
  nTones: number;
  nRx: number;
  nTx: number;
  csi: Float32Array;
}

/**
 * Decode the device CSI bytes, or return a message saying why they cannot be. `skip` (ReadOptions.skipCsi): run
 * every check, return the shape with an empty `csi`.
 */
export function decodeDeviceCsi(b: Uint8Array, c: CsiSegment, skip = false): DecodedCsi | string {
  const p = c.dataOffset;
  const len = c.csiBufferLength;
  const nRx = c.numRx;
  if (nRx < 1 || nRx > 8) return `numRx ${nRx} out of range 1..8`;
  switch (c.deviceType) {
    case 0x5300: {
      if (len < 72 || (len - 12) % (60 * nRx) !== 0) return `IWL5300 CSI of ${len} bytes does not fit ${nRx} rx chains (60·Nrx·Ntx + 12)`;
      const nTx = (len - 12) / 60 / nRx;
      if (nTx > 3) return `IWL5300 CSI with ${nTx} streams`;
      return { nTones: 30, nRx, nTx, csi: skip ? NO_CSI : decodeIwl5300(b, p, nRx, nTx, c.antSel) };
    }
    case 0x9300: {
      const perChain = c.cbw === 20 ? 140 : 285;
      const tones = c.cbw === 20 ? 56 : 114;
      if (len === 0 || len % (perChain * nRx) !== 0) return `QCA9300 CSI of ${len} bytes does not fit ${nRx} chains × ${perChain}`;
      const nTx = len / perChain / nRx;
      if (nTx > 4 || c.numTones !== tones || len < athCsiBytes(tones, nRx, nTx))
        return `QCA9300 CSI shape ${c.numTones} tones × ${nRx} × ${nTx}`;
      if (skip) return { nTones: tones, nRx, nTx, csi: NO_CSI };
      const csi = new Float32Array(2 * tones * nRx * nTx);
      decodeAth10(b, p, len, tones, nRx, nTx, csi);
      return { nTones: tones, nRx, nTx, csi };
    }
    case 0x2000:
    case 0x2100: {
      const nTx = c.numTx + c.numESS;
      const nTones = c.numTones;
      if (nTx < 1 || nTx > 8 || nTones < 1) return `IWLMVM CSI shape ${nTones} tones × ${nRx} × ${nTx}`;
      if (len !== 4 * nTones * nRx * nTx) return `IWLMVM CSI of ${len} bytes, expected 4·tones·rx·tx = ${4 * nTones * nRx * nTx}`;
      if (skip) return { nTones, nRx, nTx, csi: NO_CSI };
      const csi = new Float32Array(2 * nTones * nRx * nTx);
      const dv = new DataView(b.buffer, b.byteOffset + p, len);
      let i = 0;
      for (let rx = 0; rx < nRx; rx++)
        for (let tx = 0; tx < nTx; tx++)
          for (let k = 0; k < nTones; k++, i++) {
            const d = 2 * ((k * nRx + rx) * nTx + tx);
            csi[d] = dv.getInt16(4 * i, true);
            csi[d + 1] = dv.getInt16(4 * i + 2, true);
          }
      return { nTones, nRx, nTx, csi };
    }
    default:
      return `device type 0x${c.deviceType.toString(16)} is not supported (IWL5300, QCA9300, AX200, AX210 are)`;
  }
}

/**
 * Intel 5300 payload into [sc][rx][tx]: the Intel reader's own unpacking and read_bf_file permutation rule
 * (intel5300Decode.ts), so a 5300 record means the same thing whichever container it came in.
 */
function decodeIwl5300(b: Uint8Array, p: number, nRx: number, nTx: number, antSel: number): Float32Array {
  const raw = unpackPayloadRaw(b, p, nRx, nTx); // k = rx*Ntx + tx fastest, 30 groups
  const slot = [0, 1, 2];
  if (permDecision(nRx, antSel) === 'applied') {
    const perm = permFromAntennaSel(antSel);
    for (let rx = 0; rx < nRx; rx++) slot[rx] = perm[rx] - 1; // MATLAB: csi(:, perm(i), :) = csi_in(:, i, :)
  }
  const out = new Float32Array(2 * 30 * nRx * nTx);
  let j = 0;
  for (let sc = 0; sc < 30; sc++)
    for (let rx = 0; rx < nRx; rx++)
      for (let tx = 0; tx < nTx; tx++, j += 2) {
        const d = 2 * ((sc * nRx + slot[rx]) * nTx + tx);
        out[d] = raw[j];
        out[d + 1] = raw[j + 1];
      }
  return out;
}

const span = (lo: number, hi: number): number[] => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

/** Subcarrier indices as the toolbox assigns them (before subcarrierOffset); null when it has no list. */
export function toolboxIndices(c: CsiSegment, nTones: number): number[] | null {
  if (c.deviceType === 0x5300) {
    return c.cbw === 40
      ? [-58, -54, -50, -46, -42, -38, -34, -30, -26, -22, -18, -14, -10, -6, -2, 2, 6, 10, 14, 18, 22, 26, 30, 34, 38, 42, 46, 50, 54, 58]
      : [-28, -26, -24, -22, -20, -18, -16, -14, -12, -10, -8, -6, -4, -2, -1, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 28];
  }
  const f = c.packetFormat; // 0 NonHT, 1 HT, 2 VHT, 3 HE-SU, 4 HE-MU
  let idx: number[] | null = null;
  if (c.deviceType === 0x9300 || f === 1 || f === 2) {
    if (c.cbw === 20) idx = [...span(-28, -1), ...span(1, 28)];
    else if (c.cbw === 40) idx = [...span(-58, -2), ...span(2, 58)];
    else if (c.cbw === 80 && f === 2) idx = [...span(-122, -2), ...span(2, 122)];
    else if (c.cbw === 160 && f === 2) idx = [...span(-250, -130), ...span(-126, -6), ...span(6, 126), ...span(130, 250)];
  } else if (f === 0 && c.cbw === 20) idx = [...span(-26, -1), ...span(1, 26)];
  else if (f === 3 || f === 4) {
    if (c.cbw === 20) idx = [...span(-122, -2), ...span(2, 122)];
    else if (c.cbw === 40) idx = [...span(-244, -3), ...span(3, 244)];
    else if (c.cbw === 80) idx = [...span(-500, -3), ...span(3, 500)];
    else if (c.cbw === 160) idx = [...span(-1012, -515), ...span(-509, -12), ...span(12, 509), ...span(515, 1012)];
  }
  return idx && idx.length === nTones ? idx : null;
}

export function deviceName(type: number): string {
  switch (type) {
    case 0x5300:
      return 'Intel 5300';
    case 0x9300:
      return 'QCA9300';
    case 0x2000:
      return 'Intel AX200';
    case 0x2100:
      return 'Intel AX210';
    case 0x1234:
      return 'USRP';
    default:
      return `device 0x${type.toString(16)}`;
  }
}
