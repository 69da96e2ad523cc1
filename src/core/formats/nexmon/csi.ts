// Nexmon CSI word decoding (FORMATS.md §3): which chip stores what, and the EXACT value of each word.
//
// Why exact values instead of the upstream integers: nexmon's unpack_float_acphy (used by csireader.m, csiread and
// CSIKit) scales every packet by a power of two and truncates toward zero, so its numbers are the exact value
// × 2^k rounded — a per-packet scale that destroys small values. The packed float is sign/magnitude mantissas with a
// shared signed exponent: value = (±mag_re + j·±mag_im) · 2^exp. With at most 11-bit mantissas and |exp| ≤ 32 every
// such value is exactly representable in a Float32, so nothing is lost.

export interface ChipInfo {
  /** Short chip name as nexmon_csi spells it. */
  name: string;
  /** 'int16': two int16 LE per word, I (real) in bytes 0-1 then Q (imag) in bytes 2-3. */
  kind: 'int16' | 'float';
  nman: number;
  nexp: number;
}

const CHIPS: Record<number, ChipInfo> = {
  1: { name: '4339', kind: 'int16', nman: 0, nexp: 0 },
  3: { name: '4358', kind: 'float', nman: 9, nexp: 5 },
  101: { name: '43455c0', kind: 'int16', nman: 0, nexp: 0 },
  106: { name: '4366c0', kind: 'float', nman: 12, nexp: 6 },
};

export function chipFromField(field: number): ChipInfo | undefined {
  return CHIPS[field];
}

/**
 * Captures older than Oct 2019 carry 0xdead instead of a chip id. The three chips of that era differ in how many
 * word bits they can use: bcm4358 packed floats fit in 23 bits, bcm4366c0 in 30, int16 pairs use all 32 (any
 * negative Q sets bit 31). So the highest bit set over a packet's words identifies the layout.
 */
export function inferChip(b: Uint8Array, off: number, nWords: number): ChipInfo {
  let or = 0;
  for (let i = 0; i < nWords; i++) {
    const p = off + 4 * i;
    or |= b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
  }
  or >>>= 0;
  if (or < 1 << 23) return CHIPS[3];
  if (or < 1 << 30) return CHIPS[106];
  return CHIPS[101];
}

/** Decode `n` words at `off` into out[2i], out[2i+1] (re, im), in the order they are stored (FFT order). */
export function decodeWords(b: Uint8Array, off: number, n: number, chip: ChipInfo, out: Float32Array): void {
  if (chip.kind === 'int16') {
    for (let i = 0; i < n; i++) {
      const p = off + 4 * i;
      out[2 * i] = ((b[p] | (b[p + 1] << 8)) << 16) >> 16;
      out[2 * i + 1] = ((b[p + 2] | (b[p + 3] << 8)) << 16) >> 16;
    }
    return;
  }
  const { nman, nexp } = chip;
  const mmask = (1 << (nman - 1)) - 1;
  const emask = (1 << nexp) - 1;
  const signRe = 2 ** (nexp + 2 * nman - 1);
  const signIm = 2 ** (nexp + nman - 1);
  for (let i = 0; i < n; i++) {
    const p = off + 4 * i;
    const w = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
    let e = w & emask;
    if (e >= 1 << (nexp - 1)) e -= 1 << nexp;
    const scale = 2 ** e;
    let re = (w >>> (nexp + nman)) & mmask;
    let im = (w >>> nexp) & mmask;
    // A zero magnitude stays +0 whatever its sign bit (no -0 leaking into comparisons).
    if (re !== 0 && Math.floor(w / signRe) & 1) re = -re;
    if (im !== 0 && Math.floor(w / signIm) & 1) im = -im;
    out[2 * i] = re * scale;
    out[2 * i + 1] = im * scale;
  }
}

/** Broadcom d11ac chanspec: bandwidth in MHz from bits 11-13 (2=20, 3=40, 4=80, 5=160), 0 if not one of those. */
export function chanspecBandwidth(cs: number): number {
  switch ((cs >> 11) & 7) {
    case 2:
      return 20;
    case 3:
      return 40;
    case 4:
      return 80;
    case 5:
      return 160;
    default:
      return 0;
  }
}

/** Centre frequency in Hz of a d11ac chanspec (channel = bits 0-7, band = bits 14-15: 0xC000 5 GHz, 0 2.4 GHz). */
export function chanspecCarrierHz(cs: number): number {
  const ch = cs & 0xff;
  const band = cs & 0xc000;
  if (band === 0xc000) return (5000 + 5 * ch) * 1e6;
  if (band === 0) return (ch === 14 ? 2484 : 2407 + 5 * ch) * 1e6;
  return 0;
}

/** The UDP destination port nexmon_csi sends its CSI frames to. */
export const NEXMON_PORT = 5500;
