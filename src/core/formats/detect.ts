// Format detection by content. Several formats share extensions (.dat is Intel 5300 or Atheros; .csv is any
// text), so the extension is never consulted: every registered reader sniffs the head and the most confident wins.
import type { CsiFormat } from './types';
import type { CsiReader } from './reader';
import { READERS } from './registry';

/** Bytes of the file head given to the sniffers (the CsiReader contract). */
export const SNIFF_BYTES = 64 * 1024;
/** Below this confidence a reader's claim is treated as noise. */
export const MIN_CONFIDENCE = 0.2;

export interface Detection {
  format: CsiFormat;
  confidence: number;
  reader: CsiReader;
}

/** The most confident reader for a file starting with `head`, or undefined when none claims it. */
export function detectFormat(head: Uint8Array, readers: readonly CsiReader[] = READERS): Detection | undefined {
  const h = head.length > SNIFF_BYTES ? head.subarray(0, SNIFF_BYTES) : head;
  let best: Detection | undefined;
  for (const reader of readers) {
    let c = 0;
    try {
      c = reader.sniff(h);
    } catch {
      c = 0; // a sniffer must not throw; if one does, it simply does not claim the file
    }
    if (!(c >= MIN_CONFIDENCE)) continue;
    if (!best || c > best.confidence) best = { format: reader.format, confidence: Math.min(c, 1), reader };
  }
  return best;
}
