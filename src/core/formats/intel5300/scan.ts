// Entry framing for the Intel 5300 "Linux 802.11n CSI Tool" log (FORMATS.md §1): where each entry starts and
// ends, whether it is a usable beamforming report (code 0xBB), and where to pick up again after garbage.
//
// Why a separate scanner: the whole-file reader, the chunked streaming reader, the record API used by the writer
// round-trip and the format sniffer must agree exactly on which bytes form a record, so they share this one
// decision procedure. It works on a window `b[0..n)` of the file and says NEED_MORE instead of guessing when the
// window ends before it can decide (streaming), unless `eof` says no more bytes will come.
//
// Validation rules (why these): the file has no header and no magic, so a record is only trusted when its fields
// agree with each other: L (u16 BE) == 21 + len, len == 60·Nrx·Ntx + 12, Nrx and Ntx in 1..3. Random bytes pass
// that by chance with probability ~1e-7, which is what makes resynchronisation after a stray byte safe.
// Entries with another code are skipped by their length as the MATLAB reader does, but only when the next entry
// also looks valid (or the file ends there): otherwise a corrupt length could make us jump over good records.

export const BFEE_CODE = 0xbb;
/** Code of the "rx MPDU" entries logged with connector_log=0x5 (FORMATS.md §1). */
export const RX_MPDU_CODE = 0xc1;
/** 2 bytes length + 1 code + 20 bytes bfee header: the bytes needed to validate a bfee. */
export const BFEE_HEADER_BYTES = 23;

/** CSI payload length for Nrx × Ntx streams: ceil(30·(16·Nrx·Ntx + 3) / 8) = 60·Nrx·Ntx + 12. */
export function bfeePayloadLength(nrx: number, ntx: number): number {
  return 60 * nrx * ntx + 12;
}

export enum EntryKind {
  /** A consistent 0xBB record ending at `end`. */
  Bfee,
  /** An entry with another code, skipped by its length. */
  Other,
  /** A 0xBB entry whose own fields disagree, but whose length leads to a valid next entry: skip it. */
  BadBfee,
  /** The file ends inside this entry (only with eof). */
  Truncated,
  /** Nothing here parses as an entry: resynchronise. */
  Invalid,
  /** The window ends before a decision can be made (only without eof). */
  NeedMore,
}

export interface EntryScan {
  kind: EntryKind;
  /** Offset just past the entry (Bfee, Other, BadBfee). */
  end: number;
  code: number;
  /** For BadBfee / Truncated: why, what was expected, and the diagnostic code. */
  problem?: string;
  diagCode?: string;
  expected?: string;
}

/** True when b[p..] holds a bfee header whose fields are mutually consistent (needs 23 bytes at p). */
export function bfeeHeaderConsistent(b: Uint8Array, p: number): boolean {
  if (b[p + 2] !== BFEE_CODE) return false;
  const L = (b[p] << 8) | b[p + 1];
  const nrx = b[p + 11];
  const ntx = b[p + 12];
  if (nrx < 1 || nrx > 3 || ntx < 1 || ntx > 3) return false;
  const len = b[p + 19] | (b[p + 20] << 8);
  return len === bfeePayloadLength(nrx, ntx) && L === 21 + len;
}

/**
 * Could an entry start at p? Used as one-entry lookahead before trusting the length of a non-bfee or bad entry.
 * Returns undefined when more bytes are needed to tell.
 */
function plausibleStart(b: Uint8Array, p: number, n: number, eof: boolean): boolean | undefined {
  if (p === n && eof) return true;
  if (n - p < 3) return eof ? false : undefined;
  const code = b[p + 2];
  if (code === BFEE_CODE) {
    if (n - p < BFEE_HEADER_BYTES) return eof ? true /* a truncated tail is still a start */ : undefined;
    return bfeeHeaderConsistent(b, p);
  }
  if (code === RX_MPDU_CODE) return ((b[p] << 8) | b[p + 1]) >= 1;
  return false;
}

const NEED_MORE: EntryScan = { kind: EntryKind.NeedMore, end: -1, code: -1 };

/** Classify the entry starting at `pos` in the window b[0..n). */
export function scanEntry(b: Uint8Array, pos: number, n: number, eof: boolean): EntryScan {
  const avail = n - pos;
  if (avail < 3) {
    if (!eof) return NEED_MORE;
    return {
      kind: EntryKind.Truncated,
      end: n,
      code: -1,
      problem: `${avail} byte(s) left, too few for an entry header`,
      expected: 'u16 big-endian length and a code byte (3 bytes)',
    };
  }
  const L = (b[pos] << 8) | b[pos + 1];
  const code = b[pos + 2];
  const end = pos + 2 + L;
  if (L === 0) return { kind: EntryKind.Invalid, end: -1, code };
  if (code === BFEE_CODE) {
    if (avail < BFEE_HEADER_BYTES) {
      if (!eof) return NEED_MORE;
      // The header itself is cut off; only call it a truncated record if the length is a bfee length at all.
      return L >= 21 + 72 && L <= 21 + 552
        ? {
            kind: EntryKind.Truncated,
            end: n,
            code,
            problem: `bfee header cut off after ${avail} of 23 bytes`,
            expected: `${L + 2} bytes for this entry`,
          }
        : { kind: EntryKind.Invalid, end: -1, code };
    }
    if (bfeeHeaderConsistent(b, pos)) {
      if (end <= n) {
        // A record cut short mid-file (the logger lost bytes, the next record follows at once) has a valid header
        // but its span runs into the next record. Detect it: if what follows is no entry and a consistent header
        // starts inside the span, this record is not whole and the bytes up to that header are skipped.
        const next = plausibleStart(b, end, n, eof);
        if (next === undefined) return NEED_MORE;
        // (the search window ends at end + 22, so any header found starts before `end`)
        if (!next && findResync(b, pos + 3, Math.min(n, end + BFEE_HEADER_BYTES - 1)) >= 0) {
          return { kind: EntryKind.Invalid, end: -1, code };
        }
        return { kind: EntryKind.Bfee, end, code };
      }
      if (!eof) return NEED_MORE;
      return {
        kind: EntryKind.Truncated,
        end: n,
        code,
        problem: `bfee record cut off after ${avail} of ${L + 2} bytes`,
        expected: `${L + 2} bytes (u16 length ${L} + 2)`,
      };
    }
    // Inconsistent header: trust its length only if that leads to another good entry (MATLAB always trusts it).
    if (L < 21 || end > n) {
      if (end > n && !eof && L >= 21) return NEED_MORE;
      return { kind: EntryKind.Invalid, end: -1, code };
    }
    const next = plausibleStart(b, end, n, eof);
    if (next === undefined) return NEED_MORE;
    if (!next) return { kind: EntryKind.Invalid, end: -1, code };
    const nrx = b[pos + 11],
      ntx = b[pos + 12];
    const len = b[pos + 19] | (b[pos + 20] << 8);
    const badAnt = nrx < 1 || nrx > 3 || ntx < 1 || ntx > 3;
    return {
      kind: EntryKind.BadBfee,
      end,
      code,
      diagCode: badAnt ? 'bad-antenna-count' : 'bad-length',
      problem: badAnt ? `bfee with Nrx=${nrx}, Ntx=${ntx}` : `bfee with len=${len}, entry length ${L}, Nrx=${nrx}, Ntx=${ntx}`,
      expected: badAnt ? 'Nrx and Ntx in 1..3' : `len = 60*Nrx*Ntx+12 = ${bfeePayloadLength(nrx, ntx)} and entry length = 21 + len`,
    };
  }
  if (end > n) {
    if (!eof) return NEED_MORE;
    return { kind: EntryKind.Invalid, end: -1, code };
  }
  const next = plausibleStart(b, end, n, eof);
  if (next === undefined) return NEED_MORE;
  return next ? { kind: EntryKind.Other, end, code } : { kind: EntryKind.Invalid, end: -1, code };
}

/**
 * First position ≥ from where a consistent bfee header starts, or -1 when none is in the window. Without eof the
 * caller must keep the last 22 bytes of the window, which may hold the start of a header cut by the window end.
 */
export function findResync(b: Uint8Array, from: number, n: number): number {
  const last = n - BFEE_HEADER_BYTES;
  for (let q = from; q <= last; q++) {
    if (b[q + 2] === BFEE_CODE && bfeeHeaderConsistent(b, q)) return q;
  }
  return -1;
}

/** The bfee header fields under read_bf_file.m's names: the reader's header and the writer's record share them. */
export interface BfeeFields {
  /** Low 32 bits of the NIC's 1 MHz clock (µs). */
  timestamp_low: number;
  bfee_count: number;
  /** Receive antennas, 1..3. */
  Nrx: number;
  /** Space/time streams, 1..3. */
  Ntx: number;
  rssi_a: number;
  rssi_b: number;
  rssi_c: number;
  /** Signed dBm, -127 = unknown. */
  noise: number;
  agc: number;
  antenna_sel: number;
}

/** The fixed-position fields of a bfee header; `h` is the offset of the entry (its length field). */
export interface BfeeHeader extends BfeeFields {
  len: number;
  /** Low 16 bits of iwlwifi rate_n_flags. */
  rate: number;
}

export function readBfeeHeader(b: Uint8Array, h: number): BfeeHeader {
  const o = h + 3;
  return {
    timestamp_low: (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0,
    bfee_count: b[o + 4] | (b[o + 5] << 8),
    Nrx: b[o + 8],
    Ntx: b[o + 9],
    rssi_a: b[o + 10],
    rssi_b: b[o + 11],
    rssi_c: b[o + 12],
    noise: (b[o + 13] << 24) >> 24,
    agc: b[o + 14],
    antenna_sel: b[o + 15],
    len: b[o + 16] | (b[o + 17] << 8),
    rate: b[o + 18] | (b[o + 19] << 8),
  };
}

/** A problem found while walking entries, before the file name is attached. */
export interface WalkProblem {
  offset: number;
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  expected?: string;
}

const RESYNC_EXPECTED =
  'an entry: u16 big-endian length L, code byte, L-1 body bytes; for code 0xBB a consistent header ' +
  '(Nrx, Ntx in 1..3, len = 60*Nrx*Ntx+12, L = 21+len)';

/**
 * Walks the entries of a log held in one window (whole file) or a sequence of windows (streaming), reporting every
 * consistent bfee and every problem. It keeps the state that spans windows: a resynchronisation in progress and the
 * entry codes already reported.
 */
export class Intel5300EntryWalker {
  /** File offset where the bytes being skipped by a resynchronisation began, or -1. */
  private resyncFrom = -1;
  /** Count of entries per code (0xBB included). */
  readonly codeCounts = new Map<number, number>();
  /** Set when onBfee asked to stop. */
  stopped = false;

  constructor(private readonly onProblem: (p: WalkProblem) => void) {}

  /**
   * Walk b[pos..n) where b[0] is at file offset `base`. Calls onBfee(p) with the window position of each consistent
   * bfee entry; returning false stops the walk. Returns the first window position not consumed: the caller keeps
   * b[ret..n) and appends the next chunk to it (without eof), or is done (with eof).
   */
  walk(b: Uint8Array, pos: number, n: number, eof: boolean, base: number, onBfee: (p: number) => boolean): number {
    while (!this.stopped) {
      if (this.resyncFrom >= 0) {
        const q = findResync(b, pos, n);
        if (q < 0) {
          if (!eof) return Math.max(pos, n - (BFEE_HEADER_BYTES - 1));
          this.onProblem({
            offset: this.resyncFrom,
            severity: 'error',
            code: 'trailing-garbage',
            message: `${base + n - this.resyncFrom} byte(s) from offset ${this.resyncFrom} to the end do not form a valid entry`,
            expected: RESYNC_EXPECTED,
          });
          this.resyncFrom = -1;
          return n;
        }
        this.onProblem({
          offset: this.resyncFrom,
          severity: 'error',
          code: 'resync',
          message:
            `${base + q - this.resyncFrom} byte(s) at offset ${this.resyncFrom} do not form a valid entry; ` +
            `skipped to the next valid bfee record at offset ${base + q}`,
          expected: RESYNC_EXPECTED,
        });
        this.resyncFrom = -1;
        pos = q;
      }
      if (pos >= n) return pos;
      const s = scanEntry(b, pos, n, eof);
      switch (s.kind) {
        case EntryKind.NeedMore:
          return pos;
        case EntryKind.Bfee:
          this.count(BFEE_CODE);
          if (!onBfee(pos)) {
            this.stopped = true;
            return s.end;
          }
          pos = s.end;
          break;
        case EntryKind.Other:
          if (this.count(s.code) === 1) {
            this.onProblem({
              offset: base + pos,
              severity: 'info',
              code: 'skipped-entry',
              message: `entries with code 0x${s.code.toString(16).padStart(2, '0')} carry no CSI and are skipped (first at offset ${base + pos})`,
              expected: 'code 0xBB (beamforming report)',
            });
          }
          pos = s.end;
          break;
        case EntryKind.BadBfee:
          this.count(BFEE_CODE);
          this.onProblem({
            offset: base + pos,
            severity: 'error',
            code: s.diagCode ?? 'bad-length',
            message: `${s.problem}; record skipped`,
            expected: s.expected,
          });
          pos = s.end;
          break;
        case EntryKind.Truncated:
          this.onProblem({
            offset: base + pos,
            severity: 'warning',
            code: 'truncated-record',
            message: `${s.problem} (file ends inside the entry); dropped as the MATLAB reader does`,
            expected: s.expected,
          });
          return n;
        case EntryKind.Invalid:
          this.resyncFrom = base + pos;
          pos += 1;
          break;
      }
    }
    return pos;
  }

  private count(code: number): number {
    const c = (this.codeCounts.get(code) ?? 0) + 1;
    this.codeCounts.set(code, c);
    return c;
  }
}
