// PicoScenes `.csi` reader (Intel 5300, QCA9300, Intel AX200/AX210 captured with PicoScenes). Layout: FORMATS.md §5;
// segment decoding in picoscenesCsi.ts.
//
// Frame walk: u32 frameLength (bytes after it) · u32 magic 0x20150315 · u16 frameVersion · u8 numSegments ·
// segments · MPDU. Each segment: u32 segmentLength · u8 nameLen · name (newer files add a NUL) · u16 version · body.
// Choices:
// * A frame is trusted when the magic matches, 7 <= frameLength <= 16 MiB (the largest CSI + baseband payloads are
//   far below that) and its length leads to the next frame header, the end of the file, or garbage — but not past
//   another frame header hidden inside it (a corrupted length). Anything else is reported and the walker
//   resynchronises on the next magic — the 32-bit magic makes false matches negligible. A truncated last frame is
//   reported.
// * Segments: RxSBasic (v1-v3) and CSI (v1-v4) are decoded; all others (ExtraInfo, MVMExtra, PilotCSI, LegacyCSI,
//   BasebandSignal, PreEQSymbols …) are skipped by their length and counted in meta.segments. A segment running past
//   its frame stops the walk of that frame (diagnostic). A frame without a decodable CSI segment is skipped: one
//   diagnostic per distinct reason, totals in meta.framesWithoutCsi.
// * CSI values are the device's raw integers; the layout is our [subcarrier][rx][tx] with tx = STS + ESS streams.
//   subcarrierIndices are the toolbox's lists for the device / format / CBW plus the segment's subcarrierOffset.
// * Header fields keep the toolbox names (RxSBasic: deviceType, tstamp, centerFreq, controlFreq, cbw,
//   packetFormat, pkt_cbw, guardInterval, mcs, numSTS, numESS, numRx, numUser, userIndex, noiseFloor, rssi,
//   rssi_ctl0..2; CSI: csi_deviceType, firmwareVersion, csi_packetFormat, csi_cbw, carrierFreq, samplingRate,
//   subcarrierBandwidth, numTones, numTx, csi_numRx, numESS_csi, numCSI, antSel, subcarrierOffset). RSSI of v1/v2
//   files is reported as the toolbox does (noise floor + stored value, dBm).
// * Timestamp: RxSBasic tstamp as stored (the NIC's clock; µs for IWL5300/QCA9300); AX200/AX210 files leave it 0,
//   so there the MVMExtra segment's MAC time (u32 µs, unwrapped in the recording) is used. frame.seq: the 802.11 sequence
//   number of the MPDU that follows the segments (-1 without a 24-byte MAC header); its addr2 is header.addr2,
//   counted per transmitter in meta.sourceMacs and matched by ReadOptions.macFilter (as for Nexmon).
import { macString } from '../frameTable';
import { decodeDeviceCsi, parseCsiHeader, parseRxSBasic, type CsiSegment, type RxSBasic } from './csi';
import { ParseSink, runChunks, runChunksTo, runWhole, type PushParser } from '../pushParser';
import type { CsiReader, StreamOptions } from '../reader';
import type { CsiFrame, CsiRecording, ReadOptions } from '../types';
import { toRecording } from './recording';

export const PICOSCENES_MAGIC = 0x20150315;
const MAX_FRAME = 16 * 1024 * 1024;

const u32 = (b: Uint8Array, p: number) => (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;

function frameHeaderOk(b: Uint8Array, p: number): boolean {
  const len = u32(b, p);
  return u32(b, p + 4) === PICOSCENES_MAGIC && len >= 7 && len <= MAX_FRAME;
}

/** True when a plausible frame header starts somewhere in b[from..to). */
function frameInside(b: Uint8Array, from: number, to: number): boolean {
  for (let q = from; q < to; q++) {
    if (b[q + 4] === 0x15 && b[q + 5] === 0x03 && b[q + 6] === 0x15 && b[q + 7] === 0x20 && frameHeaderOk(b, q)) return true;
  }
  return false;
}

export class PicoScenesParser implements PushParser {
  private skipStart = -1;
  private skipEnd = 0;
  private readonly noCsiReasons = new Set<string>();
  framesWithoutCsi = 0;
  /** Frames timed by the MVMExtra MAC clock (u32 µs) instead of RxSBasic.tstamp. */
  macTimeFrames = 0;
  readonly segments: Record<string, number> = {};
  /** CSI segment of the first decoded frame: recording-level indices, bandwidth and carrier. */
  firstCsi: CsiSegment | null = null;

  /** CSI frames per transmitter (MPDU addr2), before filtering. */
  readonly sourceMacs: Record<string, number> = {};
  filtered = 0;

  constructor(
    private readonly sink: ParseSink,
    private readonly macFilter?: string,
    private readonly skipCsi = false,
  ) {}

  private endSkip(): void {
    if (this.skipStart < 0) return;
    this.sink.diag(
      'warning',
      'skipped-bytes',
      this.skipStart,
      `skipped ${this.skipEnd - this.skipStart} byte(s) that do not form PicoScenes frames`,
      'u32 frameLength, u32 magic 0x20150315',
    );
    this.skipStart = -1;
  }

  step(b: Uint8Array, pos: number, end: number, base: number, eof: boolean): number {
    const avail = end - pos;
    if (avail < 11) {
      if (!eof) return 0;
      if (this.skipStart >= 0) {
        this.skipEnd = base + end;
        this.endSkip();
        return avail;
      }
      this.sink.diag(
        'warning',
        'truncated-record',
        base + pos,
        `file ends inside a frame header (${avail} of 11 bytes)`,
        '11-byte frame header',
      );
      return avail;
    }
    if (!frameHeaderOk(b, pos)) {
      if (this.skipStart < 0) {
        const magic = u32(b, pos + 4);
        this.sink.diag(
          'warning',
          magic === PICOSCENES_MAGIC ? 'bad-length' : 'bad-magic',
          base + pos,
          magic === PICOSCENES_MAGIC ? `frame length ${u32(b, pos)}` : `magic 0x${magic.toString(16).padStart(8, '0')}`,
          magic === PICOSCENES_MAGIC ? `7..${MAX_FRAME}` : '0x20150315 at frame offset 4',
        );
        this.skipStart = base + pos;
      }
      this.skipEnd = base + pos + 1;
      return 1;
    }
    this.skipEnd = base + pos;
    this.endSkip();
    const flen = u32(b, pos);
    if (avail < 4 + flen) {
      if (!eof) return 0;
      this.sink.diag(
        'warning',
        'truncated-record',
        base + pos,
        `file ends inside a frame: ${avail} of ${4 + flen} bytes present`,
        `${4 + flen} bytes`,
      );
      return avail;
    }
    // A damaged length that is still plausible would swallow the frames after it. So when no frame header follows,
    // look inside the claimed frame: a frame header there means the length is wrong (reject, resync); none means
    // the frame is fine and garbage follows it (keep it; the garbage is reported by the resync).
    const next = pos + 4 + flen;
    if (end - next < 11 && !eof) return 0;
    if (end - next >= 11 && !frameHeaderOk(b, next) && frameInside(b, pos + 11, next)) {
      this.sink.diag(
        'warning',
        'bad-length',
        base + pos,
        `frame length ${flen} does not lead to another frame header (offset ${base + next})`,
        'frameLength reaching the next frame or the end of the file',
      );
      this.skipStart = base + pos;
      this.skipEnd = base + pos + 1;
      return 1;
    }
    this.frame(b, pos, next, base);
    return 4 + flen;
  }

  finish(): void {
    this.endSkip();
  }

  private noCsi(reason: string, at: number): void {
    this.framesWithoutCsi++;
    if (this.noCsiReasons.has(reason)) return;
    this.noCsiReasons.add(reason);
    this.sink.diag('warning', 'no-csi', at, `frame skipped: ${reason}`, 'a decodable CSI segment');
  }

  private frame(b: Uint8Array, pos: number, fend: number, base: number): void {
    const at = base + pos;
    const version = b[pos + 8] | (b[pos + 9] << 8);
    const nseg = b[pos + 10];
    let o = pos + 11;
    let basic: RxSBasic | null = null;
    let csiSeg: CsiSegment | null = null;
    let macTime = -1;
    let ftmClock = -1;
    let walkOk = true;
    const layout: string[] = [];
    for (let s = 0; s < nseg; s++) {
      if (o + 5 > fend) {
        walkOk = false;
        break;
      }
      const slen = u32(b, o);
      const nlen = b[o + 4];
      const send = o + 4 + slen;
      if (slen < 1 + nlen + 2 || send > fend) {
        this.sink.diag(
          'warning',
          'bad-segment',
          base + o,
          `segment ${s} length ${slen} runs past its frame or is too short`,
          `<= ${fend - o - 4} bytes and >= name + version`,
        );
        walkOk = false;
        break;
      }
      let name = '';
      for (let i = 0; i < nlen; i++) {
        const c = b[o + 5 + i];
        if (c !== 0) name += String.fromCharCode(c);
      }
      const sver = b[o + 5 + nlen] | (b[o + 6 + nlen] << 8);
      const body = o + 7 + nlen;
      const blen = send - body;
      if (!this.skipCsi) {
        // Segment statistics and the frame's segment list: meta and header of a read, not needed by an index pass.
        const key = `${name}.v${sver}`;
        this.segments[key] = (this.segments[key] ?? 0) + 1;
        layout.push(`${key}:${slen}`);
      }
      if (name === 'RxSBasic') {
        basic = parseRxSBasic(b, body, blen, sver);
        if (!basic)
          this.sink.diag('warning', 'bad-segment', base + o, `RxSBasic v${sver} body of ${blen} bytes`, 'v1 26, v2 28, v3 32 bytes');
      } else if (name === 'MVMExtra' && blen >= 2 + 96) {
        // Intel MVM CSI header after a u16 length: ftmClock (u32, 320 MHz) at +8, MAC time (u32 µs) at +88.
        const h = body + 2;
        ftmClock = u32(b, h + 8);
        macTime = u32(b, h + 88);
      } else if (name === 'CSI' && !csiSeg) {
        csiSeg = parseCsiHeader(b, body, blen, sver);
        if (csiSeg && csiSeg.dataOffset + csiSeg.csiBufferLength > send) {
          this.sink.diag(
            'warning',
            'bad-segment',
            base + o,
            `CSI buffer of ${csiSeg.csiBufferLength} bytes runs past its segment`,
            `<= ${send - csiSeg.dataOffset}`,
          );
          csiSeg = null;
        } else if (!csiSeg) this.noCsi(`CSI segment v${sver} not understood (${blen} bytes)`, base + o);
      }
      o = send;
    }
    if (!csiSeg) {
      if (walkOk) this.noCsi('no CSI segment', at);
      else this.noCsi('segment walk failed before the CSI segment', at);
      return;
    }
    const dec = decodeDeviceCsi(b, csiSeg, this.skipCsi);
    if (typeof dec === 'string') {
      this.noCsi(dec, at);
      return;
    }
    // MPDU after the segments: 802.11 header (frame control, duration, addr1-3, sequence control).
    let seq = -1;
    let addr2 = '';
    if (walkOk && fend - o >= 24) {
      seq = (b[o + 22] | (b[o + 23] << 8)) >> 4;
      // Also in the index pass: the editor lists the transmitters of a big file from it (frameIndex.ts sourceMacs).
      addr2 = macString(b, o + 10);
      this.sourceMacs[addr2] = (this.sourceMacs[addr2] ?? 0) + 1;
    }
    if (this.macFilter !== undefined && addr2 !== this.macFilter) {
      this.filtered++;
      return;
    }
    this.firstCsi ??= csiSeg;
    const c = csiSeg;
    // AX200/AX210 captures leave RxSBasic.tstamp at 0; their MAC time (µs) is the usable receive clock.
    const useMac = (!basic || basic.tstamp === 0) && macTime >= 0;
    if (useMac) this.macTimeFrames++;
    const rssi = basic ? [basic.rssi_ctl0, basic.rssi_ctl1, basic.rssi_ctl2].slice(0, dec.nRx) : [];
    while (rssi.length < dec.nRx) rssi.push(NaN);
    const timestampUs = useMac ? macTime : basic ? basic.tstamp : NaN,
      noise = basic ? basic.noiseFloor : NaN;
    const emit = (header: CsiFrame['header']) =>
      this.sink.frame({
        offset: at,
        timestampUs,
        seq,
        nRx: dec.nRx,
        nTx: dec.nTx,
        nSubcarriers: dec.nTones,
        rssi,
        noise,
        agc: NaN,
        csi: dec.csi,
        header,
      });
    if (this.skipCsi) {
      // Index pass: no values, and of the header only what decides the column layout (ReadOptions.skipCsi).
      const layoutKeys = {
        csi_deviceType: c.deviceType,
        csi_packetFormat: c.packetFormat,
        csi_cbw: c.cbw,
        subcarrierOffset: c.subcarrierOffset,
      };
      emit({ ...layoutKeys, ...(addr2 ? { addr2 } : {}) });
      return;
    }
    const header: CsiFrame['header'] = {
      frameLength: fend - pos - 4,
      frameVersion: version,
      numSegments: nseg,
      segments: layout.join(','),
      mpdu_bytes: walkOk ? fend - o : -1,
      csi_deviceType: c.deviceType,
      firmwareVersion: c.firmwareVersion,
      csi_packetFormat: c.packetFormat,
      csi_cbw: c.cbw,
      carrierFreq: c.carrierFreq,
      samplingRate: c.samplingRate,
      subcarrierBandwidth: c.subcarrierBandwidth,
      numTones: c.numTones,
      numTx: c.numTx,
      csi_numRx: c.numRx,
      numESS_csi: c.numESS,
      numCSI: c.numCSI,
      antSel: c.antSel,
      subcarrierOffset: c.subcarrierOffset,
      csi_version: c.version,
    };
    if (basic) {
      for (const [k, v] of Object.entries(basic)) header[k === 'version' ? 'rxsbasic_version' : k] = v;
    }
    if (addr2) header.addr2 = addr2;
    if (macTime >= 0) {
      header.mvm_macTime = macTime;
      header.mvm_ftmClock = ftmClock;
    }
    header.mpdu_seq = seq;
    emit(header);
  }
}

export const picoscenesReader: CsiReader = {
  format: 'picoscenes',

  sniff(head: Uint8Array): number {
    try {
      if (head.length < 11 || !frameHeaderOk(head, 0)) return 0;
      const next = 4 + u32(head, 0);
      if (next + 11 <= head.length) return frameHeaderOk(head, next) ? 0.98 : 0.6;
      return 0.9;
    } catch {
      return 0;
    }
  },

  read(bytes: Uint8Array, opts: ReadOptions = {}): CsiRecording {
    const file = opts.file ?? '<buffer>';
    const sink = new ParseSink(file, opts.maxFrames ?? Infinity, undefined, [
      'mcs',
      'csi_deviceType',
      'csi_packetFormat',
      'csi_cbw',
      'subcarrierOffset',
    ]);
    const parser = new PicoScenesParser(sink, opts.macFilter?.toLowerCase());
    runWhole(parser, bytes, sink);
    return toRecording(sink.frames, sink.diagnostics, file, parser);
  },

  frames(chunks: AsyncIterable<Uint8Array>, opts: StreamOptions = {}) {
    const sink = new ParseSink(opts.file ?? '<buffer>', opts.maxFrames ?? Infinity, opts.onDiagnostic);
    return runChunks(new PicoScenesParser(sink, opts.macFilter?.toLowerCase(), opts.skipCsi === true), chunks, sink);
  },

  scan(chunks: AsyncIterable<Uint8Array>, onFrame: (f: CsiFrame) => void, opts: StreamOptions = {}) {
    const sink = new ParseSink(opts.file ?? '<buffer>', opts.maxFrames ?? Infinity, opts.onDiagnostic, undefined, onFrame);
    return runChunksTo(new PicoScenesParser(sink, opts.macFilter?.toLowerCase(), opts.skipCsi === true), chunks, sink);
  },
};
