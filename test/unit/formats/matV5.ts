// Minimal MATLAB level-5 MAT reader for the tests: enough to load the numeric matrices of refdata/matlab/*.mat
// (compressed elements, real or complex, any numeric storage type) so reader output can be compared with what
// MATLAB itself computed. Test-only: it throws on anything it does not understand.
import * as zlib from 'zlib';

export interface MatMatrix {
  dims: number[];
  re: Float64Array;
  im?: Float64Array;
}

const MI_MATRIX = 14;
const MI_COMPRESSED = 15;

function readNumeric(type: number, b: Buffer, off: number, n: number): Float64Array {
  const size = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8 }[type];
  if (!size) throw new Error(`MAT numeric type ${type} not supported`);
  const count = n / size;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const p = off + i * size;
    switch (type) {
      case 1:
        out[i] = b.readInt8(p);
        break;
      case 2:
        out[i] = b.readUInt8(p);
        break;
      case 3:
        out[i] = b.readInt16LE(p);
        break;
      case 4:
        out[i] = b.readUInt16LE(p);
        break;
      case 5:
        out[i] = b.readInt32LE(p);
        break;
      case 6:
        out[i] = b.readUInt32LE(p);
        break;
      case 7:
        out[i] = b.readFloatLE(p);
        break;
      case 9:
        out[i] = b.readDoubleLE(p);
        break;
      case 12:
        out[i] = Number(b.readBigInt64LE(p));
        break;
      default:
        out[i] = Number(b.readBigUInt64LE(p));
        break;
    }
  }
  return out;
}

/** Tag at off: [type, nbytes, dataOffset, nextOffset] (handles the small-element form). */
function tag(b: Buffer, off: number): [number, number, number, number] {
  const t = b.readUInt32LE(off);
  if (t >>> 16) return [t & 0xffff, t >>> 16, off + 4, off + 8];
  const n = b.readUInt32LE(off + 4);
  return [t, n, off + 8, off + 8 + Math.ceil(n / 8) * 8];
}

function parseMatrix(b: Buffer, off: number, end: number): [string, MatMatrix] {
  let p = off;
  const sub: [number, number, number][] = [];
  while (p < end) {
    const [t, n, d, next] = tag(b, p);
    sub.push([t, n, d]);
    p = next;
  }
  const [, , flagsAt] = sub[0];
  const complex = (b.readUInt32LE(flagsAt) & 0x0800) !== 0;
  const [, dn, dd] = sub[1];
  const dims = Array.from(readNumeric(5, b, dd, dn));
  const [, nn, nd] = sub[2];
  const name = b.toString('latin1', nd, nd + nn);
  const re = readNumeric(sub[3][0], b, sub[3][2], sub[3][1]);
  const im = complex ? readNumeric(sub[4][0], b, sub[4][2], sub[4][1]) : undefined;
  return [name, { dims, re, im }];
}

/** Every numeric matrix variable of a MAT v5 file, by name. */
export function readMat(file: Buffer): Record<string, MatMatrix> {
  const out: Record<string, MatMatrix> = {};
  let p = 128;
  while (p + 8 <= file.length) {
    const [t, n, d, next] = tag(file, p);
    let buf = file,
      start = d,
      stop = d + n;
    let type = t;
    if (t === MI_COMPRESSED) {
      buf = zlib.inflateSync(file.subarray(d, d + n));
      const [t2, n2, d2] = tag(buf, 0);
      type = t2;
      start = d2;
      stop = d2 + n2;
    }
    if (type === MI_MATRIX) {
      const [name, m] = parseMatrix(buf, start, stop);
      out[name] = m;
    }
    p = t === MI_COMPRESSED ? d + n : next;
  }
  return out;
}
