// The .npy writer against bytes numpy 2.4 wrote for the same arrays (np.save of float32 '<f4' arrays, recorded
// here): same preamble, same header text and padding to 64 bytes, same little-endian values.
import { strict as assert } from 'node:assert';
import { encodeNpyFloat32 } from '../../../src/core/data/npyWriter';

// numpy: len(bytes), preamble (magic, version 1.0, header length 118), header without its padding.
const NUMPY = [
  { shape: [2, 3], data: [1, 2, 3, 4, 5, 6.5], total: 152, header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" },
  { shape: [3], data: [1, 2, 3], total: 140, header: "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }" },
  { shape: [0, 4], data: [], total: 128, header: "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }" },
];

describe('data: .npy writer', () => {
  for (const c of NUMPY) {
    it(`matches numpy's np.save for shape (${c.shape.join(', ')})`, () => {
      const b = encodeNpyFloat32(Float32Array.from(c.data), c.shape);
      assert.equal(b.length, c.total);
      assert.equal(Buffer.from(b.subarray(0, 10)).toString('hex'), '934e554d505901007600');
      const header = Buffer.from(b.subarray(10, 128)).toString('latin1');
      assert.equal(header, c.header.padEnd(117, ' ') + '\n');
      const dv = new DataView(b.buffer, b.byteOffset + 128);
      c.data.forEach((v, i) => assert.equal(dv.getFloat32(4 * i, true), v));
    });
  }
  it('refuses a shape that does not hold the data', () => {
    assert.throws(() => encodeNpyFloat32(new Float32Array(5), [2, 3]), /shape \(2, 3\) does not hold 5 values/);
  });
});
