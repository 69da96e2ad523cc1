// Packet-capture container walking for the Nexmon reader: classic libpcap (both byte orders, µs and ns timestamps)
// and pcapng (Section Header / Interface Description / Enhanced and Simple Packet blocks, if_tsresol honoured).
// Written here rather than taken from a library because the readers must run on chunks with bounded memory, report
// byte offsets for every problem, and never throw — none of the small npm pcap parsers do all three.
//
// It is a PushParser (pushParser.ts) that hands each captured packet to `onPacket`; what is inside the packet is the
// caller's business. Damage handling: a classic record whose lengths are implausible (incl_len > orig_len,
// incl_len > 256 KiB, sub-second field out of range) is reported and the walker resynchronises on the next offset
// where two consecutive plausible record headers line up. pcapng blocks carry their length twice; a block whose two
// copies disagree ends the walk with an error (there is no safe way to find the next block).
import type { ParseSink, PushParser } from '../pushParser';

export interface CapturedPacket {
  /** File offset of the record / block header. */
  offset: number;
  /** Capture timestamp in µs (NaN when the block has none, e.g. pcapng Simple Packet Block). */
  timestampUs: number;
  tsSec: number;
  tsFrac: number;
  linktype: number;
  /** Captured bytes; valid only during the callback (the streaming buffer is reused). */
  data: Uint8Array;
  origLen: number;
}

/** Largest captured packet accepted (tcpdump's default snaplen is 262144). */
export const MAX_PACKET = 262144;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_MAX_BLOCK = MAX_PACKET + 4096;

type Mode = 'start' | 'pcap' | 'pcapng' | 'dead';

export class PcapWalker implements PushParser {
  private mode: Mode = 'start';
  private le = true;
  private nano = false;
  private linktype = 1;
  // pcapng interfaces: linktype and timestamp units per second.
  private ifaces: { linktype: number; unitsPerSec: number }[] = [];
  private skipStart = -1;
  container = '';

  constructor(
    private readonly sink: ParseSink,
    private readonly onPacket: (p: CapturedPacket) => void,
    private readonly onEnd: () => void = () => {},
  ) {}

  private u32(b: Uint8Array, p: number, le = this.le): number {
    return le
      ? (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0
      : ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  }
  private u16(b: Uint8Array, p: number, le = this.le): number {
    return le ? b[p] | (b[p + 1] << 8) : (b[p] << 8) | b[p + 1];
  }

  step(b: Uint8Array, pos: number, end: number, base: number, eof: boolean): number {
    switch (this.mode) {
      case 'start':
        return this.stepStart(b, pos, end, base, eof);
      case 'pcap':
        return this.stepPcap(b, pos, end, base, eof);
      case 'pcapng':
        return this.stepPcapng(b, pos, end, base, eof);
      default:
        return end - pos; // 'dead': nothing more can be trusted
    }
  }

  finish(): void {
    if (this.skipStart >= 0) this.endSkip(this.skipEndAt);
    this.onEnd();
  }

  private skipEndAt = 0;

  private stepStart(b: Uint8Array, pos: number, end: number, base: number, eof: boolean): number {
    const avail = end - pos;
    if (avail < 24) {
      if (!eof) return 0;
      this.sink.diag(
        'error',
        'not-pcap',
        base + pos,
        `file too short for a pcap header (${avail} bytes)`,
        '24-byte pcap global header or pcapng section header',
      );
      this.mode = 'dead';
      return avail;
    }
    const m = this.u32(b, pos, true);
    if (m === 0xa1b2c3d4 || m === 0xa1b23c4d || m === 0xd4c3b2a1 || m === 0x4d3cb2a1) {
      this.le = m === 0xa1b2c3d4 || m === 0xa1b23c4d;
      this.nano = m === 0xa1b23c4d || m === 0x4d3cb2a1;
      this.linktype = this.u32(b, pos + 20) & 0x0fffffff; // upper bits: FCS flags
      this.mode = 'pcap';
      this.container = `pcap (${this.le ? 'little' : 'big'}-endian, ${this.nano ? 'ns' : 'µs'})`;
      return 24;
    }
    if (m === PCAPNG_SHB) {
      this.mode = 'pcapng';
      this.container = 'pcapng';
      return this.stepPcapng(b, pos, end, base, eof);
    }
    this.sink.diag(
      'error',
      'not-pcap',
      base + pos,
      `unknown capture magic 0x${m.toString(16).padStart(8, '0')}`,
      'pcap magic a1b2c3d4 / a1b23c4d (either byte order) or pcapng 0a0d0d0a',
    );
    this.mode = 'dead';
    return avail;
  }

  /** Plausible classic record header at p (needs 16 bytes). */
  private plausible(b: Uint8Array, p: number): boolean {
    const frac = this.u32(b, p + 4);
    const incl = this.u32(b, p + 8);
    const orig = this.u32(b, p + 12);
    return frac < (this.nano ? 1e9 : 1e6) && incl <= orig && incl <= MAX_PACKET && orig <= 0x7fffffff;
  }

  private endSkip(at: number): void {
    if (this.skipStart < 0) return;
    this.sink.diag(
      'warning',
      'skipped-bytes',
      this.skipStart,
      `skipped ${at - this.skipStart} byte(s) that do not form pcap records`,
      '16-byte record header with incl_len <= orig_len, incl_len <= 262144',
    );
    this.skipStart = -1;
  }

  private stepPcap(b: Uint8Array, pos: number, end: number, base: number, eof: boolean): number {
    const avail = end - pos;
    if (avail < 16) {
      if (!eof) return 0;
      if (this.skipStart >= 0) {
        this.skipEndAt = base + end;
        return avail;
      }
      this.sink.diag(
        'warning',
        'truncated-record',
        base + pos,
        `file ends inside a pcap record header (${avail} of 16 bytes)`,
        '16-byte record header',
      );
      return avail;
    }
    if (this.skipStart >= 0) {
      // Resynchronising: accept an offset only when this header and the next one (or the file end) line up.
      if (!this.plausible(b, pos)) {
        this.skipEndAt = base + pos + 1;
        return 1;
      }
      const next = pos + 16 + this.u32(b, pos + 8);
      if (next + 16 > end) {
        if (!eof) return 0;
        if (next !== end) {
          this.skipEndAt = base + pos + 1;
          return 1;
        }
      } else if (!this.plausible(b, next)) {
        this.skipEndAt = base + pos + 1;
        return 1;
      }
      this.endSkip(base + pos);
    }
    if (!this.plausible(b, pos)) {
      this.sink.diag(
        'warning',
        'bad-length',
        base + pos,
        `implausible pcap record header (incl_len ${this.u32(b, pos + 8)}, orig_len ${this.u32(b, pos + 12)})`,
        `incl_len <= orig_len and <= ${MAX_PACKET}, sub-second field < ${this.nano ? '1e9' : '1e6'}`,
      );
      this.skipStart = base + pos;
      this.skipEndAt = base + pos + 1;
      return 1;
    }
    const incl = this.u32(b, pos + 8);
    if (avail < 16 + incl) {
      if (!eof) return 0;
      this.sink.diag(
        'warning',
        'truncated-record',
        base + pos,
        `file ends inside a packet: ${avail - 16} of ${incl} captured bytes present`,
        `${16 + incl} bytes`,
      );
      return avail;
    }
    const sec = this.u32(b, pos);
    const frac = this.u32(b, pos + 4);
    this.onPacket({
      offset: base + pos,
      tsSec: sec,
      tsFrac: frac,
      timestampUs: sec * 1e6 + (this.nano ? frac / 1000 : frac),
      linktype: this.linktype,
      data: b.subarray(pos + 16, pos + 16 + incl),
      origLen: this.u32(b, pos + 12),
    });
    return 16 + incl;
  }

  private stepPcapng(b: Uint8Array, pos: number, end: number, base: number, eof: boolean): number {
    const avail = end - pos;
    if (avail < 12) {
      if (!eof) return 0;
      this.sink.diag('warning', 'truncated-record', base + pos, `file ends inside a pcapng block header`, '12-byte minimum block');
      return avail;
    }
    const type = this.u32(b, pos, true);
    if (type === PCAPNG_SHB) {
      const bom = this.u32(b, pos + 8, true);
      if (bom === 0x1a2b3c4d) this.le = true;
      else if (bom === 0x4d3c2b1a) this.le = false;
      else {
        this.sink.diag('error', 'bad-magic', base + pos + 8, `pcapng byte-order magic 0x${bom.toString(16)}`, '1a2b3c4d');
        this.mode = 'dead';
        return avail;
      }
      this.ifaces = [];
    }
    const len = this.u32(b, pos + 4);
    if (len < 12 || len % 4 !== 0 || len > PCAPNG_MAX_BLOCK) {
      this.sink.diag('error', 'bad-length', base + pos + 4, `pcapng block length ${len}`, `multiple of 4 in 12..${PCAPNG_MAX_BLOCK}`);
      this.mode = 'dead';
      return avail;
    }
    if (avail < len) {
      if (!eof) return 0;
      this.sink.diag(
        'warning',
        'truncated-record',
        base + pos,
        `file ends inside a pcapng block (${avail} of ${len} bytes)`,
        `${len} bytes`,
      );
      return avail;
    }
    if (this.u32(b, pos + len - 4) !== len) {
      this.sink.diag('error', 'bad-length', base + pos + len - 4, 'pcapng trailing block length differs from the leading one', `${len}`);
      this.mode = 'dead';
      return avail;
    }
    const t = this.u32(b, pos);
    if (t === 1) {
      // Interface Description Block
      let unitsPerSec = 1e6;
      // Options start at +16: code u16, length u16, value padded to 4.
      let o = pos + 16;
      while (o + 4 <= pos + len - 4) {
        const code = this.u16(b, o);
        const olen = this.u16(b, o + 2);
        if (code === 0) break;
        if (code === 9 && olen >= 1 && o + 4 < pos + len - 4) {
          const v = b[o + 4];
          unitsPerSec = v & 0x80 ? Math.pow(2, v & 0x7f) : Math.pow(10, v);
        }
        o += 4 + ((olen + 3) & ~3);
      }
      this.ifaces.push({ linktype: this.u16(b, pos + 8), unitsPerSec });
    } else if (t === 6 && len >= 32) {
      // Enhanced Packet Block
      const iface = this.ifaces[this.u32(b, pos + 8)];
      const cap = this.u32(b, pos + 20);
      if (!iface || 28 + cap > len - 4) {
        this.sink.diag(
          'warning',
          'bad-length',
          base + pos,
          iface ? `captured length ${cap} exceeds its block` : 'packet block names an interface that was not described',
          iface ? `<= ${len - 32}` : 'an earlier IDB',
        );
      } else {
        const ts = this.u32(b, pos + 12) * 4294967296 + this.u32(b, pos + 16);
        const sec = Math.floor(ts / iface.unitsPerSec);
        this.onPacket({
          offset: base + pos,
          tsSec: sec,
          tsFrac: ts - sec * iface.unitsPerSec,
          timestampUs: (ts / iface.unitsPerSec) * 1e6,
          linktype: iface.linktype,
          data: b.subarray(pos + 28, pos + 28 + cap),
          origLen: this.u32(b, pos + 24),
        });
      }
    } else if (t === 3 && len >= 16) {
      // Simple Packet Block: no timestamp
      const iface = this.ifaces[0];
      const orig = this.u32(b, pos + 8);
      const cap = Math.min(orig, len - 16);
      if (iface) {
        this.onPacket({
          offset: base + pos,
          tsSec: NaN,
          tsFrac: NaN,
          timestampUs: NaN,
          linktype: iface.linktype,
          data: b.subarray(pos + 12, pos + 12 + cap),
          origLen: orig,
        });
      }
    }
    return len;
  }
}
