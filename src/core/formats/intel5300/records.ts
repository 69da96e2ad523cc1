// Intel 5300 bfee records as the file stores them: every header field under the tool's name and the CSI as raw
// int8 values in payload order (30 groups × Nrx × Ntx, tx fastest, interleaved re, im; no permutation, no
// scaling). This is the exchange type of the writer (writer.ts) and of the simulator, and what makes a
// byte-exact round trip testable: read → records → write.
import type { CsiDiagnostic, ReadOptions } from '../types';
import { BFEE_HEADER_BYTES, Intel5300EntryWalker, readBfeeHeader, type BfeeFields } from './scan';
import { unpackPayloadRaw } from './decode';

export interface Intel5300Record extends BfeeFields {
  /** Low 16 bits of iwlwifi rate_n_flags (MATLAB's `rate`). */
  fake_rate_n_flags: number;
  /** 30 × Nrx × Ntx complex values as int8, interleaved re, im, in payload order (k = rx*Ntx + tx). */
  csi: Int8Array;
}

/** Every consistent bfee record of a log, in file order, plus the problems found (same rules as the reader). */
export function readIntel5300Records(
  bytes: Uint8Array,
  opts: ReadOptions = {},
): { records: Intel5300Record[]; offsets: number[]; diagnostics: CsiDiagnostic[] } {
  const file = opts.file ?? '<buffer>';
  const maxFrames = opts.maxFrames ?? Infinity;
  const records: Intel5300Record[] = [];
  const offsets: number[] = [];
  const diagnostics: CsiDiagnostic[] = [];
  if (maxFrames <= 0) return { records, offsets, diagnostics };
  const walker = new Intel5300EntryWalker(p => diagnostics.push({ file, ...p }));
  walker.walk(bytes, 0, bytes.length, true, 0, h => {
    const hd = readBfeeHeader(bytes, h);
    records.push({
      timestamp_low: hd.timestamp_low,
      bfee_count: hd.bfee_count,
      Nrx: hd.Nrx,
      Ntx: hd.Ntx,
      rssi_a: hd.rssi_a,
      rssi_b: hd.rssi_b,
      rssi_c: hd.rssi_c,
      noise: hd.noise,
      agc: hd.agc,
      antenna_sel: hd.antenna_sel,
      fake_rate_n_flags: hd.rate,
      csi: unpackPayloadRaw(bytes, h + BFEE_HEADER_BYTES, hd.Nrx, hd.Ntx),
    });
    offsets.push(h);
    return records.length < maxFrames;
  });
  return { records, offsets, diagnostics };
}
