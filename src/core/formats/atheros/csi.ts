// The Atheros CSI Tool's 10-bit CSI packing (FORMATS.md §2), shared by the Atheros .dat reader and the QCA9300 CSI
// segment of PicoScenes files (which stores the NIC's bytes unchanged).
//
// The bytes are consecutive little-endian 16-bit words read as one LSB-first bit stream — which is the same thing as
// reading the bytes themselves LSB-first, so no word swapping is needed on any host. Each value is 10-bit two's
// complement; per complex value the IMAGINARY part comes first, then the real part. Order in the stream: for each
// tone k, for each transmit stream tx < nc, for each receive antenna rx < nr (upstream read_csi.c; csiread walks
// rx before tx, which only moves values between [rx][tx] cells).

/** Bits one complex value takes. */
export const ATH_BITS_PER_VALUE = 20;

/** Bytes of CSI for `tones` × `nr` × `nc` values (the tool writes whole bytes: 140 per antenna pair at 56 tones). */
export function athCsiBytes(tones: number, nr: number, nc: number): number {
  return Math.ceil((tones * nr * nc * ATH_BITS_PER_VALUE) / 8);
}

/**
 * Decode into `out` (interleaved re, im) in our subcarrier × rx × tx layout. The caller guarantees
 * `len >= athCsiBytes(tones, nr, nc)`; bytes past `off + len` are never read.
 */
export function decodeAth10(b: Uint8Array, off: number, len: number, tones: number, nr: number, nc: number, out: Float32Array): void {
  const last = off + len; // exclusive bound
  let bit = 0;
  const read10 = (): number => {
    const i = off + (bit >> 3);
    const sh = bit & 7;
    // Up to 3 bytes hold a 10-bit field starting at any bit offset; never look past the CSI bytes.
    const w = b[i] | (i + 1 < last ? b[i + 1] << 8 : 0) | (i + 2 < last ? b[i + 2] << 16 : 0);
    bit += 10;
    const v = (w >>> sh) & 0x3ff;
    return v & 0x200 ? v - 1024 : v;
  };
  for (let k = 0; k < tones; k++) {
    for (let tx = 0; tx < nc; tx++) {
      for (let rx = 0; rx < nr; rx++) {
        const im = read10();
        const re = read10();
        const d = 2 * ((k * nr + rx) * nc + tx);
        out[d] = re;
        out[d + 1] = im;
      }
    }
  }
}

/** HT subcarrier indices the Atheros/QCA hardware reports: 56 tones at 20 MHz, 114 at 40 MHz. */
export function athSubcarrierIndices(tones: number): Int16Array {
  const idx: number[] = [];
  if (tones === 114) {
    for (let i = -58; i <= -2; i++) idx.push(i);
    for (let i = 2; i <= 58; i++) idx.push(i);
  } else if (tones === 56) {
    for (let i = -28; i <= -1; i++) idx.push(i);
    for (let i = 1; i <= 28; i++) idx.push(i);
  } else {
    // Unknown tone count: column numbers, so nothing pretends to be a physical index.
    for (let i = 0; i < tones; i++) idx.push(i);
  }
  return Int16Array.from(idx);
}
