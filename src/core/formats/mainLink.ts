// The one link a model should learn from when a capture holds CSI from several transmitters.
//
// Why: a Nexmon or PicoScenes monitor captures CSI from every frame it overhears. A sensing capture has one intended
// transmitter (the one the experiment set up, sending tens to thousands of frames a second) plus stray frames from
// phones and access points nearby: on Fition 0–4 % of each file, from up to three other MACs. Each stray frame is the
// channel of another link, so in a time series of the intended one it is a jump of the whole profile that the DSP
// reads as motion. The readers keep every frame (the viewer shows all, meta.sourceMacs counts them); feature
// extraction keeps the transmitter with the most CSI frames, as the published Nexmon pipelines do by filtering on
// the transmitter's MAC. Within that transmitter, only frames of its most common bandwidth are kept: an 80 MHz
// capture also holds the transmitter's 20 MHz frames (beacons, retries at a basic rate; Fition has bursts of a dozen),
// measured with another gain on a quarter of the band, so next to the 80 MHz frames each is a jump too.
import { detectFormat, SNIFF_BYTES } from './detect';
import { readFileBytes, readRecording } from './index';
import type { CsiRecording, ReadOptions } from './types';

/**
 * Transmitters by CSI frame count, most first (ties: the smaller MAC string), from a `meta.sourceMacs`-style record;
 * empty when there is none. One ordering for training (dominantSourceMac) and the editor's list, so the editor names
 * the transmitter training reads.
 */
export function transmittersByFrames(sourceMacs: unknown): { mac: string; frames: number }[] {
  if (!sourceMacs || typeof sourceMacs !== 'object') return [];
  return Object.entries(sourceMacs as Record<string, number>)
    .filter(([, n]) => typeof n === 'number' && n > 0)
    .map(([mac, frames]) => ({ mac, frames }))
    .sort((a, b) => b.frames - a.frames || (a.mac < b.mac ? -1 : 1));
}

/** The source MAC with the most CSI frames (ties: the smaller MAC string), or undefined with fewer than two sources. */
export function dominantSourceMac(rec: Pick<CsiRecording, 'meta'>): string | undefined {
  const list = transmittersByFrames(rec.meta.sourceMacs);
  return list.length >= 2 ? list[0].mac : undefined;
}

/** What readMainLink dropped: recorded in meta.mainLink of the recording it returns. */
export interface MainLinkInfo {
  /** The transmitter kept, when the capture had several (else undefined). */
  mac?: string;
  sources: number;
  /** Frames of other transmitters, and the kept transmitter's frames of another bandwidth, that were dropped. */
  otherTransmitterFrames: number;
  otherBandwidthFrames: number;
  /** Subcarriers per frame of the bandwidth kept. */
  subcarriers: number;
}

/** Packets `keep` (ascending indices) of a recording, every per-packet array copied. */
export function selectPackets(rec: CsiRecording, keep: readonly number[]): CsiRecording {
  const block = 2 * rec.nSubcarriers * rec.nRx * rec.nTx,
    n = keep.length;
  const pick = <T extends Float32Array | Float64Array | Int32Array | Uint8Array>(src: T, per: number, make: (len: number) => T): T => {
    const out = make(n * per);
    keep.forEach((p, i) => out.set(src.subarray(p * per, (p + 1) * per), i * per));
    return out;
  };
  const scaled = rec.scaled ? pick(rec.scaled, block, l => new Float32Array(l)) : undefined;
  return {
    format: rec.format,
    file: rec.file,
    device: rec.device,
    nPackets: n,
    nSubcarriers: rec.nSubcarriers,
    nRx: rec.nRx,
    nTx: rec.nTx,
    subcarrierIndices: rec.subcarrierIndices,
    bandwidthMHz: rec.bandwidthMHz,
    carrierHz: rec.carrierHz,
    timestampUs: pick(rec.timestampUs, 1, l => new Float64Array(l)),
    seq: pick(rec.seq, 1, l => new Int32Array(l)),
    nRxPerPacket: pick(rec.nRxPerPacket, 1, l => new Uint8Array(l)),
    nTxPerPacket: pick(rec.nTxPerPacket, 1, l => new Uint8Array(l)),
    rssi: pick(rec.rssi, rec.nRx, l => new Float32Array(l)),
    noise: pick(rec.noise, 1, l => new Float32Array(l)),
    agc: pick(rec.agc, 1, l => new Float32Array(l)),
    rate: pick(rec.rate, 1, l => new Float32Array(l)),
    csi: pick(rec.csi, block, l => new Float32Array(l)),
    ...(scaled ? { scaled } : {}),
    ...(rec.scaleFactor ? { scaleFactor: pick(rec.scaleFactor, 1, l => new Float64Array(l)) } : {}),
    offsets: pick(rec.offsets, 1, l => new Float64Array(l)),
    diagnostics: rec.diagnostics,
    meta: rec.meta,
  };
}

/** Subcarriers of each kept frame, from the reader's streaming pass without decoding CSI (same frames as read()). */
async function frameWidths(bytes: Uint8Array, opts: ReadOptions): Promise<number[] | undefined> {
  const reader = detectFormat(bytes.subarray(0, SNIFF_BYTES))?.reader;
  if (!reader?.scan) return undefined;
  const widths: number[] = [];
  async function* one() {
    yield bytes;
  }
  await reader.scan(
    one(),
    f => {
      widths.push(f.nSubcarriers);
    },
    { ...opts, skipCsi: true, onDiagnostic: () => {} },
  );
  return widths;
}

/**
 * Read `bytes` as the one link a model should learn from: the dominant transmitter's frames when there are several
 * (dominantSourceMac; an explicit `opts.macFilter` wins), and of those, when the capture mixes bandwidths, only the
 * frames of the most common one. A capture with one source and one bandwidth is returned as read.
 */
export async function readMainLink(bytes: Uint8Array, opts: ReadOptions = {}): Promise<CsiRecording> {
  const all = readRecording(bytes, opts);
  const mac = opts.macFilter === undefined ? dominantSourceMac(all) : undefined;
  let rec = mac ? readRecording(bytes, { ...opts, macFilter: mac }) : all;
  const info: MainLinkInfo = {
    mac,
    sources: Object.keys((all.meta.sourceMacs as object | undefined) ?? {}).length,
    otherTransmitterFrames: all.nPackets - rec.nPackets,
    otherBandwidthFrames: 0,
    subcarriers: rec.nSubcarriers,
  };
  // Only where the reader saw frames of different widths (mixed-bandwidth: Nexmon, Atheros, Intel; mixed-layout: ESP32).
  if (rec.diagnostics.some(d => d.code === 'mixed-bandwidth' || d.code === 'mixed-layout')) {
    const widths = await frameWidths(bytes, mac ? { ...opts, macFilter: mac } : opts);
    if (widths && widths.length === rec.nPackets) {
      const count = new Map<number, number>();
      for (const w of widths) count.set(w, (count.get(w) ?? 0) + 1);
      const [common] = [...count.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0];
      const keep = widths.flatMap((w, i) => (w === common ? [i] : []));
      info.otherBandwidthFrames = rec.nPackets - keep.length;
      info.subcarriers = common;
      if (keep.length < rec.nPackets) rec = selectPackets(rec, keep);
    }
  }
  if (!mac && !info.otherBandwidthFrames) return rec;
  return { ...rec, meta: { ...rec.meta, mainLink: info } };
}

/** readMainLink on a file from disk (Node only). */
export async function readMainLinkFile(path: string, opts: ReadOptions = {}): Promise<CsiRecording> {
  return readMainLink(await readFileBytes(path, opts.file ?? path), { ...opts, file: opts.file ?? path });
}
