// Byte-level helpers of the ESP32 CSV parser: the CSI buffer's integer list, and latin1 text of a byte range.

let decoder: TextDecoder | null = null;

/**
 * Integers separated by spaces and/or commas in s[start..end). Hand-written because it runs on every value of every
 * row (regex split + Number was 3x slower on the esp-csi sample). Returns a message for a malformed token; with
 * `keep` false only the count (the same checks, no array: the index pass).
 */
export function parseIntList(s: string, start: number, end: number, keep = true): { count: number; values?: Int32Array } | string {
  let count = 0;
  const tmp: number[] | null = keep ? [] : null;
  let i = start;
  while (i < end) {
    let c = s.charCodeAt(i);
    if (c === 32 || c === 44 || c === 9) {
      i++;
      continue;
    }
    const tokStart = i;
    let neg = false;
    if (c === 45 || c === 43) {
      neg = c === 45;
      i++;
      c = s.charCodeAt(i);
    }
    let v = 0;
    let digits = 0;
    while (i < end && c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      i++;
      c = s.charCodeAt(i);
    }
    if (digits === 0 || (i < end && c !== 32 && c !== 44 && c !== 9) || digits > 9) {
      let e = i;
      while (e < end && s.charCodeAt(e) !== 32 && s.charCodeAt(e) !== 44) e++;
      return `CSI value "${s.slice(tokStart, Math.min(e, tokStart + 20))}" at position ${count} is not an integer`;
    }
    tmp?.push(neg ? -v : v);
    count++;
  }
  return tmp ? { count, values: Int32Array.from(tmp) } : { count };
}

/** Same subcarrier for each of the first n columns (column numbers where a layout is unknown). */
export function samePrefix(a: number[] | null, b: number[] | null, n: number): boolean {
  for (let c = 0; c < n; c++) {
    const x = a && c < a.length ? a[c] : c;
    const y = b && c < b.length ? b[c] : c;
    if (x !== y) return false;
  }
  return true;
}

export function latin1(b: Uint8Array, start: number, end: number): string {
  decoder ??= new TextDecoder('latin1');
  return decoder.decode(b.subarray(start, end));
}
