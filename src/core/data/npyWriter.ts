// NumPy .npy writer (format version 1.0) for float32 arrays, so features computed here load in Python with
// numpy.load and need nothing else. Written here because the format is ten bytes of preamble and one Python-literal
// header line (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html); no npm package is worth a
// dependency for that.

/** The .npy bytes of a C-order little-endian float32 array of `shape`. */
export function encodeNpyFloat32(data: Float32Array, shape: readonly number[]): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  if (shape.some(d => !(Number.isInteger(d) && d >= 0)) || n !== data.length)
    throw new RangeError(`shape (${shape.join(', ')}) does not hold ${data.length} values`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces and ended by '\n' to a multiple of 64.
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const out = new Uint8Array(10 + header.length + 4 * n);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]); // \x93NUMPY v1.0
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const dv = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < n; i++) dv.setFloat32(4 * i, data[i], true);
  return out;
}
