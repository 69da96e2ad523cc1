// The one in-memory model every reader produces and every later stage (DSP, viewer, simulator, models) consumes.
//
// Why columnar typed arrays instead of an array of frame objects: a 1000 Hz recording has 60 000 packets a
// minute; per-packet objects cost ~10x the memory and make slicing a subcarrier across time a pointer chase.
// Complex values are interleaved [re, im] Float32 pairs in a packets × subcarriers × rx × tx layout, so one
// packet is one contiguous block and one (sc, rx, tx) stream is a fixed stride.
//
// Raw and scaled CSI are kept apart: `csi` is always exactly what the file holds (integers for Intel/Atheros/
// ESP32, the exact decoded value for packed-float Nexmon chips); `scaled`, where a format defines a scaling
// (Intel 5300 get_scaled_csi), is a separate array in physical units.

/** Formats the project reads. Detection is by content (see detect.ts), not by file extension. */
export type CsiFormat = 'intel5300' | 'atheros' | 'nexmon' | 'esp32' | 'picoscenes';

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/**
 * A typed problem found while reading. Readers never throw for bad content: they keep every valid frame and
 * report each problem here. `offset` is the byte offset in the file (or the 1-based line number for text
 * formats, with `line` set).
 */
export interface CsiDiagnostic {
  file: string;
  /** Byte offset of the problem in the file. For text formats, the byte offset of the line's start. */
  offset: number;
  /** 1-based line number, text formats only. */
  line?: number;
  severity: DiagnosticSeverity;
  /** Stable machine-readable code, e.g. 'truncated-record', 'bad-length', 'bad-magic', 'unknown-code'. */
  code: string;
  /** Human-readable: what was found. */
  message: string;
  /** What the reader expected at that place. */
  expected?: string;
}

/** One packet as it appears in the file, for streaming readers and for the header-field CLI. */
export interface CsiFrame {
  /** Index of this frame among the frames the reader kept (0-based). */
  index: number;
  /** Byte offset of the record (its length/prefix field) in the file. */
  offset: number;
  /** Timestamp in microseconds, as stored (not yet unwrapped). */
  timestampUs: number;
  /** Sequence / count field of the format (bfee_count, 802.11 seq, esp-csi id …); -1 when absent. */
  seq: number;
  nRx: number;
  nTx: number;
  nSubcarriers: number;
  /** RSSI per receive chain (dB or dBm, format-specific; NaN where absent). */
  rssi: number[];
  noise: number;
  agc: number;
  /** Raw CSI, interleaved [re, im], layout subcarriers × rx × tx. */
  csi: Float32Array;
  /** Scaled CSI (same layout) where the format defines a scaling; otherwise undefined. */
  scaled?: Float32Array;
  /** Every header field under the original tool's names (Intel: timestamp_low, bfee_count, Nrx, …). */
  header: Record<string, number | string | number[] | boolean>;
}

/** Whole-file, columnar recording. Dimensions are the maxima over the file; smaller frames are zero-padded. */
export interface CsiRecording {
  format: CsiFormat;
  /** Path or name of the source, used in diagnostics. */
  file: string;
  /** Human-readable device/chip, e.g. 'Intel 5300', 'bcm4366c0', 'ESP32 (esp-csi)'. */
  device: string;
  nPackets: number;
  nSubcarriers: number;
  nRx: number;
  nTx: number;
  /** OFDM subcarrier index of each CSI column (e.g. Intel 20 MHz: -28,-26,…,28). */
  subcarrierIndices: Int16Array;
  /** Channel bandwidth in MHz where known (20/40/80/160), else 0. */
  bandwidthMHz: number;
  /** Carrier (centre) frequency in Hz where known, else 0. */
  carrierHz: number;
  /** Per-packet timestamp in µs, unwrapped (monotone except for genuine clock resets), as float64. */
  timestampUs: Float64Array;
  /** Per-packet sequence/count, -1 when the format has none. */
  seq: Int32Array;
  /** Per-packet receive / transmit antenna counts actually present in that packet. */
  nRxPerPacket: Uint8Array;
  nTxPerPacket: Uint8Array;
  /** Per-packet RSSI per chain, layout packets × nRx (NaN where absent). */
  rssi: Float32Array;
  /** Per-packet noise floor (dBm; NaN where unknown). */
  noise: Float32Array;
  /** Per-packet AGC gain (dB; NaN where absent). */
  agc: Float32Array;
  /** Per-packet rate / MCS code as stored (format-specific; NaN where absent). */
  rate: Float32Array;
  /** Raw CSI, interleaved [re, im], layout packets × subcarriers × rx × tx. */
  csi: Float32Array;
  /** Scaled CSI, same layout, where the format defines one. */
  scaled?: Float32Array;
  /**
   * Per-packet factor with scaled = csi × scaleFactor, in float64, where the scaling is one factor per packet
   * (Intel 5300 get_scaled_csi). `scaled` is Float32 (~7 digits); use this for full double precision.
   */
  scaleFactor?: Float64Array;
  /** Byte offset of each kept record in the file: the seek index for viewers. */
  offsets: Float64Array;
  diagnostics: CsiDiagnostic[];
  /** Format-specific extras (e.g. Nexmon source MACs, chip id, ESP32 tool flavour). */
  meta: Record<string, unknown>;
}

/** Index of a complex value's real part in `CsiRecording.csi`. */
export function csiIndex(
  rec: Pick<CsiRecording, 'nSubcarriers' | 'nRx' | 'nTx'>,
  packet: number,
  sc: number,
  rx: number,
  tx: number,
): number {
  return 2 * (((packet * rec.nSubcarriers + sc) * rec.nRx + rx) * rec.nTx + tx);
}

/** Options every reader accepts. */
export interface ReadOptions {
  /** Name used in diagnostics (defaults to '<buffer>'). */
  file?: string;
  /** Nexmon, PicoScenes, ESP32: keep only frames whose transmitter MAC matches (case-insensitive, 'aa:bb:…'). */
  macFilter?: string;
  /** Stop after this many frames (for previews). */
  maxFrames?: number;
  /**
   * Streaming (`frames()` / `scan()`) for an index only (frameIndex.ts): the readers keep exactly the frames and
   * diagnostics of a normal read (every check that decides whether a record is kept still runs) but do not decode
   * the CSI values: `frame.csi` is empty, and `frame.header` may hold only the fields that decide the frame's column
   * layout (frameIndex's LAYOUT_KEYS: chanspec, bandwidth, CSI device type / packet format / CBW, subcarrier
   * offset) and the transmitter where the format names one (Nexmon src_mac, PicoScenes addr2, ESP32 mac). Atheros, Nexmon,
   * ESP32 and PicoScenes honour it; read() ignores it.
   */
  skipCsi?: boolean;
}
