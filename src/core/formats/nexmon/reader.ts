// Nexmon CSI reader (Broadcom chips patched with nexmon_csi; tcpdump/Wireshark captures). Layout: FORMATS.md §3.
//
// Container: classic pcap (either byte order, µs or ns) and pcapng (pcap.ts). Link types Ethernet (1), raw IPv4
// (101, 228), Linux cooked SLL (113) and SLL2 (276). A CSI report is an IPv4/UDP datagram to port 5500; every other
// packet is ordinary traffic and only counted (meta.nonCsiPackets).
//
// Choices (original tool = nexmon_csi's csireader.m / csi_extractor.c unless the file says otherwise):
// * Payload header: current 2-byte magic 0x1111 with rssi (s8 dBm) and fctl, or the old 4-byte magic 0x11111111
//   without them (rssi NaN). Any other magic: the packet is reported (bad-magic) and skipped.
// * CSI words per chip (nexmonCsi.ts): bcm4339 / bcm43455c0 int16 pairs stored I then Q (the June-2020+ firmware
//   order; older firmware swapped them and the file cannot tell, so we keep the stored order); bcm4358 / bcm4366c0
//   packed floats decoded to their EXACT value (csireader.m's integer output is that value × 2^k truncated). Chip
//   field 0xdead (pre Oct 2019): the layout is inferred from the bits the words use (info diagnostic).
// * N = 3.2 × bandwidth from the chanspec (bits 11-13). A packet with more than N words (example_43455c0.pcap has
//   18 with 257) keeps its first N — csiread's choice; csireader.m drops such packets, which loses good CSI — and
//   gets an info diagnostic. Fewer than N words: reported and skipped. Unknown chanspec bandwidth: N from the size.
// * Assembly: one UDP packet per (RX core, spatial stream). Consecutive packets with the same source MAC and
//   sequence number form one frame, until a (core, stream) pair repeats (firmware that leaves the sequence number
//   constant, like example_43455c0.pcap, then gives one frame per packet). Frame nRx = highest core + 1, nTx =
//   highest stream + 1; a pair that was not received stays zero and the header lists what was (cores/streams).
// * Subcarrier order: nexmon sends FFT order (index 0 = DC, N/2 = most negative). We store columns fftshifted, so
//   column c is OFDM subcarrier c − N/2 and subcarrierIndices = −N/2 … N/2−1. Guard/null subcarriers (and the PHY
//   status words newer firmware writes over a few of them) are kept as received; removing them is a DSP decision.
// * Multiple transmitters: meta.sourceMacs counts CSI packets per source MAC (before filtering); ReadOptions.macFilter
//   keeps only frames from that MAC (case-insensitive).
// * Frame timestamp: pcap capture time (µs) of its first packet; frame.seq = the 16-bit 802.11 sequence-control field
//   as nexmon stores it (sequence number << 4 | fragment).
import { macString } from '../frameTable';
import { chanspecBandwidth, chipFromField, decodeWords, inferChip, NEXMON_PORT, type ChipInfo } from './csi';
import { PcapWalker, type CapturedPacket } from './pcap';
import { NO_CSI, ParseSink, runChunks, runChunksTo, runWhole } from '../pushParser';
import type { CsiReader, StreamOptions } from '../reader';
import type { CsiFrame, CsiRecording, ReadOptions } from '../types';
import { toRecording } from './recording';

export { NEXMON_PORT } from './csi';
const NEXMON_HEADER = 18;

interface NexPacket {
  offset: number;
  tsUs: number;
  tsSec: number;
  tsFrac: number;
  magic: string;
  rssi: number;
  fctl: number;
  mac: string;
  seq: number;
  core: number;
  ss: number;
  chanspec: number;
  chipField: number;
  chip: ChipInfo;
  nWords: number;
  n: number;
  csi: Float32Array;
}

/** Offset of the UDP payload for port 5500 inside a captured packet, or -1 when it is not a Nexmon report. */
function nexmonPayload(d: Uint8Array, linktype: number): number {
  let ip: number;
  let ethertype: number;
  if (linktype === 1) {
    if (d.length < 14) return -1;
    ethertype = (d[12] << 8) | d[13];
    ip = 14;
    if (ethertype === 0x8100 && d.length >= 18) {
      ethertype = (d[16] << 8) | d[17];
      ip = 18;
    }
  } else if (linktype === 113) {
    if (d.length < 16) return -1;
    ethertype = (d[14] << 8) | d[15];
    ip = 16;
  } else if (linktype === 276) {
    if (d.length < 20) return -1;
    ethertype = (d[0] << 8) | d[1];
    ip = 20;
  } else if (linktype === 101 || linktype === 228) {
    ethertype = 0x0800;
    ip = 0;
  } else return -1;
  if (ethertype !== 0x0800 || d.length < ip + 20) return -1;
  if (d[ip] >> 4 !== 4 || d[ip + 9] !== 17) return -1;
  const udp = ip + (d[ip] & 0x0f) * 4;
  if (d.length < udp + 8) return -1;
  if (((d[udp + 2] << 8) | d[udp + 3]) !== NEXMON_PORT) return -1;
  return udp + 8;
}

class NexmonAssembler {
  private group: NexPacket[] = [];
  private inferredNoted = false;
  readonly sourceMacs: Record<string, number> = {};
  packets = 0;
  nonCsi = 0;
  filtered = 0;
  readonly chips = new Set<string>();

  constructor(
    private readonly sink: ParseSink,
    private readonly macFilter: string | undefined,
    private readonly skipCsi = false,
  ) {}

  onPacket = (pk: CapturedPacket): void => {
    const d = pk.data;
    const p0 = nexmonPayload(d, pk.linktype);
    if (p0 < 0) {
      this.nonCsi++;
      return;
    }
    const at = pk.offset; // diagnostics point at the capture record
    if (d.length < p0 + NEXMON_HEADER) {
      this.sink.diag(
        'warning',
        'truncated-record',
        at,
        `UDP 5500 payload of ${d.length - p0} bytes is shorter than the 18-byte nexmon header`,
        '>= 18 bytes',
      );
      return;
    }
    const u16 = (o: number) => d[p0 + o] | (d[p0 + o + 1] << 8);
    let magic: string;
    let rssi = NaN;
    let fctl = -1;
    if (u16(0) === 0x1111 && u16(2) === 0x1111) magic = '0x11111111';
    else if (u16(0) === 0x1111) {
      magic = '0x1111';
      rssi = (d[p0 + 2] << 24) >> 24;
      fctl = d[p0 + 3];
    } else {
      this.sink.diag(
        'warning',
        'bad-magic',
        at,
        `nexmon payload magic 0x${u16(0).toString(16).padStart(4, '0')}`,
        '0x1111 (current firmware) or 0x11111111 (older firmware)',
      );
      return;
    }
    const mac = macString(d, p0 + 4);
    this.sourceMacs[mac] = (this.sourceMacs[mac] ?? 0) + 1;
    this.packets++;
    if (this.macFilter !== undefined && mac !== this.macFilter) {
      this.filtered++;
      return;
    }
    const seq = u16(10);
    const coreStream = u16(12);
    const chanspec = u16(14);
    const chipField = u16(16);
    const nWords = Math.floor((d.length - p0 - NEXMON_HEADER) / 4);
    const words = p0 + NEXMON_HEADER;
    const bw = chanspecBandwidth(chanspec);
    let n = bw * 3.2;
    if (n === 0) {
      n = [512, 256, 128, 64].find(x => x <= nWords) ?? 0;
      this.sink.diag(
        'warning',
        'bad-chanspec',
        at,
        `chanspec 0x${chanspec.toString(16)} has no known bandwidth; ` + `using ${n} subcarriers from the packet size`,
        'bits 11-13 = 2, 3, 4 or 5 (20/40/80/160 MHz)',
      );
      if (n === 0) return;
    }
    if (nWords < n) {
      this.sink.diag('warning', 'truncated-csi', at, `${nWords} CSI words for a ${bw} MHz chanspec (packet skipped)`, `${n} words`);
      return;
    }
    if (nWords > n || (d.length - p0 - NEXMON_HEADER) % 4 !== 0) {
      this.sink.diag(
        'info',
        'odd-csi-size',
        at,
        `${nWords} CSI words (+${(d.length - p0 - NEXMON_HEADER) % 4} bytes) ` + `where ${n} are expected; the first ${n} are used`,
        `${n} words`,
      );
    }
    let chip = chipFromField(chipField);
    if (!chip) {
      chip = inferChip(d, words, n);
      if (!this.inferredNoted) {
        this.inferredNoted = true;
        this.sink.diag(
          'info',
          'chip-inferred',
          at,
          `chip field 0x${chipField.toString(16)} names no chip; ` +
            `words decoded as bcm${chip.name} (${chip.kind}) from the bits they use`,
          'chip 1, 3, 101 or 106',
        );
      }
    }
    this.chips.add(chip.name);
    let csi = NO_CSI;
    if (!this.skipCsi) {
      csi = new Float32Array(2 * n);
      decodeWords(d, words, n, chip, csi);
    }
    const pkt: NexPacket = {
      offset: pk.offset,
      tsUs: pk.timestampUs,
      tsSec: pk.tsSec,
      tsFrac: pk.tsFrac,
      magic,
      rssi,
      fctl,
      mac,
      seq,
      core: coreStream & 7,
      ss: (coreStream >> 3) & 7,
      chanspec,
      chipField,
      chip,
      nWords,
      n,
      csi,
    };
    const g = this.group;
    if (g.length > 0) {
      const h = g[0];
      const repeat = g.some(q => q.core === pkt.core && q.ss === pkt.ss);
      if (repeat || h.mac !== pkt.mac || h.seq !== pkt.seq || h.n !== pkt.n || h.chanspec !== pkt.chanspec) this.flush();
    }
    this.group.push(pkt);
  };

  flush(): void {
    const g = this.group;
    if (g.length === 0) return;
    this.group = [];
    const h = g[0];
    const n = h.n;
    let nRx = 0,
      nTx = 0;
    for (const q of g) {
      nRx = Math.max(nRx, q.core + 1);
      nTx = Math.max(nTx, q.ss + 1);
    }
    const rssi = new Array<number>(nRx).fill(NaN);
    for (const q of g) rssi[q.core] = q.rssi;
    const chanspec = `0x${h.chanspec.toString(16).padStart(4, '0')}`;
    if (this.skipCsi) {
      // Index pass: no values, and of the header only what decides the column layout (ReadOptions.skipCsi), and the
      // transmitter (the editor lists them).
      this.sink.frame({
        offset: h.offset,
        timestampUs: h.tsUs,
        seq: h.seq,
        nRx,
        nTx,
        nSubcarriers: n,
        rssi,
        noise: NaN,
        agc: NaN,
        csi: NO_CSI,
        header: { chanspec, bandwidth: n / 3.2, src_mac: h.mac },
      });
      return;
    }
    const csi = new Float32Array(2 * n * nRx * nTx);
    const half = n / 2;
    for (const q of g) {
      for (let c = 0; c < n; c++) {
        const fft = (c + half) % n; // column c holds OFDM index c - N/2
        const d = 2 * ((c * nRx + q.core) * nTx + q.ss);
        csi[d] = q.csi[2 * fft];
        csi[d + 1] = q.csi[2 * fft + 1];
      }
    }
    const frame: Omit<CsiFrame, 'index'> = {
      offset: h.offset,
      timestampUs: h.tsUs,
      seq: h.seq,
      nRx,
      nTx,
      nSubcarriers: n,
      rssi,
      noise: NaN,
      agc: NaN,
      csi,
      header: {
        ts_sec: h.tsSec,
        ts_frac: h.tsFrac,
        magic: h.magic,
        rssi: g.map(q => q.rssi),
        frame_control: h.fctl,
        src_mac: h.mac,
        seq: h.seq,
        core: g.map(q => q.core),
        spatial_stream: g.map(q => q.ss),
        chanspec,
        chip_field: `0x${h.chipField.toString(16).padStart(4, '0')}`,
        chip: h.chip.name,
        nsub: g.map(q => q.nWords),
        packet_offsets: g.map(q => q.offset),
        bandwidth: n / 3.2,
      },
    };
    this.sink.frame(frame);
  }
}

function makeParser(sink: ParseSink, opts: ReadOptions) {
  const asm = new NexmonAssembler(sink, opts.macFilter?.toLowerCase(), opts.skipCsi === true);
  const walker = new PcapWalker(sink, asm.onPacket, () => asm.flush());
  return { asm, walker };
}

export const nexmonReader: CsiReader = {
  format: 'nexmon',

  sniff(head: Uint8Array): number {
    try {
      if (head.length < 24) return 0;
      const m = (head[0] | (head[1] << 8) | (head[2] << 16) | (head[3] << 24)) >>> 0;
      const classic = [0xa1b2c3d4, 0xa1b23c4d, 0xd4c3b2a1, 0x4d3cb2a1].includes(m);
      if (!classic && m !== 0x0a0d0d0a) return 0;
      // A capture; it is a Nexmon capture if a UDP 5500 packet with a nexmon magic shows up in the head.
      const sink = new ParseSink('<sniff>', 1);
      const { walker, asm } = makeParser(sink, {});
      runWhole(walker, head, sink);
      return asm.packets > 0 ? 0.95 : 0.3;
    } catch {
      return 0;
    }
  },

  read(bytes: Uint8Array, opts: ReadOptions = {}): CsiRecording {
    const file = opts.file ?? '<buffer>';
    const sink = new ParseSink(file, opts.maxFrames ?? Infinity, undefined, ['chanspec', 'chip']);
    // skipCsi is for streaming an index only: a whole read always decodes.
    const { walker, asm } = makeParser(sink, { ...opts, skipCsi: false });
    runWhole(walker, bytes, sink);
    return toRecording(sink.frames, sink.diagnostics, file, {
      tool: 'nexmon_csi',
      container: walker.container,
      sourceMacs: asm.sourceMacs,
      csiPackets: asm.packets,
      nonCsiPackets: asm.nonCsi,
      filteredPackets: asm.filtered,
      chips: [...asm.chips],
      macFilter: opts.macFilter ?? null,
    });
  },

  frames(chunks: AsyncIterable<Uint8Array>, opts: StreamOptions = {}) {
    const sink = new ParseSink(opts.file ?? '<buffer>', opts.maxFrames ?? Infinity, opts.onDiagnostic);
    const { walker } = makeParser(sink, opts);
    return runChunks(walker, chunks, sink);
  },

  scan(chunks: AsyncIterable<Uint8Array>, onFrame: (f: CsiFrame) => void, opts: StreamOptions = {}) {
    const sink = new ParseSink(opts.file ?? '<buffer>', opts.maxFrames ?? Infinity, opts.onDiagnostic, undefined, onFrame);
    return runChunksTo(makeParser(sink, opts).walker, chunks, sink);
  },
};
