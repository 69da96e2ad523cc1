// What the editor's first view and the `inspect` worker task show about a recording: small, JSON-safe.
import type { SubcarrierAxis } from '../core/dsp/tonePlan';
import type { CsiDiagnostic, CsiFormat } from '../core/formats/types';
export type { CsiDiagnostic, CsiFormat } from '../core/formats/types';

export interface RecordingSummary {
  file: string;
  sizeBytes: number;
  /** undefined when the content matched no known format. */
  format?: CsiFormat;
  device?: string;
  records: number;
  nSubcarriers: number;
  nRx: number;
  nTx: number;
  bandwidthMHz: number;
  durationS: number;
  /** Mean packet rate over the recording, packets/s (0 when fewer than two packets). */
  meanRateHz: number;
  /** The first `maxDiagnostics` diagnostics, and how many there were in all. */
  diagnostics: CsiDiagnostic[];
  diagnosticCount: number;
  parseMs: number;
  /** OFDM index of each subcarrier column (editor only; absent from `inspect`). */
  subcarrierIndices?: number[];
  /** The charts' subcarrier axis: one row per distinct subcarrier, sorted, with its CSI column and tone kind
   *  (core/dsp/tonePlan.ts; editor only). */
  subcarrierAxis?: SubcarrierAxis;
  /** Diagnostics by severity (info notes are not problems: e.g. the 0xC1 entries every Intel log holds). */
  severityCounts?: { error: number; warning: number; info: number };
  /** The format defines a scaled CSI (Intel 5300 get_scaled_csi): the editor's "Scaled CSI" choice applies. */
  scaledAvailable?: boolean;
  /** Carrier frequency in Hz where known. */
  carrierHz?: number;
  /** Packets missing according to the sequence-number gaps (undefined when the format has no sequence field). */
  lostPackets?: number;
  /**
   * CSI frames per transmitter MAC, most first, where the format names the transmitter (Nexmon, PicoScenes).
   * Several: the charts show all of them interleaved; feature extraction uses the first (formats/mainLink.ts).
   */
  transmitters?: { mac: string; frames: number }[];
  /** Decoded Widar3.0 file name (`userA-B-C-D-E-rF.dat`). */
  widar?: { user: string; gesture: number; location: string; orientation: string; repetition: string; receiver: string };
}
