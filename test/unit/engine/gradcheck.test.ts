// Gradient checks for every custom wasm kernel: against the tfjs `cpu` backend and against central finite
// differences of independent float64 reference implementations (reference64.ts), on odd shapes (stride 2 and 3,
// 'same' and 'valid', batch 1, sizes that are not multiples of the GEMM's 4/6/8 tiles, sizes that cross its K/M
// blocks). Tolerance: relative error ≤ 1e-4 in float32, as the issue requires.
import { strict as assert } from 'node:assert';
import { selectEngine, type Tf } from '../../../src/core/engine/selectEngine';
import { type Conv2DCase, conv2d64, convOutShape, finiteDiffLinear, matmul64, randoms, relError } from './reference64';

const TOL = 1e-4;
let tf: Tf;

/** Run fn on a backend and return its results as plain float arrays (tensors are freed). */
async function on(backend: 'wasm' | 'cpu', fn: () => import('@tensorflow/tfjs').Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(fn).map(t => {
    const d = t.dataSync() as Float32Array;
    t.dispose();
    return d;
  });
}

/** Gradients of L = <op(x, w), r> with respect to x and w. */
function convGrads(c: Conv2DCase, r: number[]): () => import('@tensorflow/tfjs').Tensor[] {
  return () => {
    const x = tf.tensor4d(c.x, c.xShape),
      w = tf.tensor4d(c.w, c.wShape);
    const rt = tf.tensor4d(r, convOutShape(c));
    const op = c.depthwise
      ? (a: import('@tensorflow/tfjs').Tensor4D, b: import('@tensorflow/tfjs').Tensor4D) => tf.depthwiseConv2d(a, b, c.strides, c.pad)
      : (a: import('@tensorflow/tfjs').Tensor4D, b: import('@tensorflow/tfjs').Tensor4D) => tf.conv2d(a, b, c.strides, c.pad);
    const g = tf.grads((a, b) =>
      tf.sum(tf.mul(op(a as import('@tensorflow/tfjs').Tensor4D, b as import('@tensorflow/tfjs').Tensor4D), rt)),
    );
    return [...g([x, w]), op(x, w)];
  };
}

function makeCase(
  xShape: Conv2DCase['xShape'],
  wShape: Conv2DCase['wShape'],
  strides: [number, number],
  pad: 'same' | 'valid',
  seed: number,
  depthwise = false,
): Conv2DCase {
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  return { x: randoms(size(xShape), seed), xShape, w: randoms(size(wShape), seed + 1), wShape, strides, pad, depthwise };
}

async function checkConv(c: Conv2DCase): Promise<void> {
  const outShape = convOutShape(c);
  const r = randoms(
    outShape.reduce((a, b) => a * b, 1),
    99,
  );
  const [dxW, dwW, yW] = await on('wasm', convGrads(c, r));
  const [dxC, dwC] = await on('cpu', convGrads(c, r));
  // Forward sanity first: if the geometry of the float64 reference disagreed with tfjs, every later check would be moot.
  assert.ok(relError(yW, conv2d64(c)) <= TOL, `forward differs from float64 reference: ${relError(yW, conv2d64(c))}`);
  const dwFd = finiteDiffLinear(c.w, w => conv2d64(c, c.x, w), r);
  assert.ok(relError(dwW, dwFd) <= TOL, `filter gradient vs finite differences: ${relError(dwW, dwFd)}`);
  assert.ok(relError(dwW, dwC) <= TOL, `filter gradient vs tfjs cpu: ${relError(dwW, dwC)}`);
  assert.ok(relError(dxW, dxC) <= TOL, `input gradient vs tfjs cpu: ${relError(dxW, dxC)}`);
  const dxFd = finiteDiffLinear(c.x, x => conv2d64(c, x, c.w), r);
  assert.ok(relError(dxW, dxFd) <= TOL, `input gradient vs finite differences: ${relError(dxW, dxFd)}`);
}

describe('engine: gradient checks of the custom wasm kernels', function () {
  this.timeout(60_000);

  before(async () => {
    tf = (await selectEngine({ prefer: 'wasm' })).tf;
  });
  after(async () => {
    await tf.setBackend('wasm');
  });

  describe('Conv2DBackpropFilter / Conv2DBackpropInput (im2col/col2im + GEMM)', () => {
    it('conv1d as [B,T,1,C], stride 2, same padding, odd sizes', () => checkConv(makeCase([2, 17, 1, 5], [5, 1, 5, 6], [2, 1], 'same', 1)));
    it('2-D 3x3, stride 1, valid padding, batch 1', () => checkConv(makeCase([1, 9, 7, 3], [3, 3, 3, 5], [1, 1], 'valid', 2)));
    it('2-D 3x2, stride 2x2, same padding (asymmetric pad), 7 output channels', () =>
      checkConv(makeCase([3, 10, 11, 2], [3, 2, 2, 7], [2, 2], 'same', 3)));
    it('stride 3 with valid padding that drops trailing inputs', () =>
      checkConv(makeCase([2, 13, 1, 6], [4, 1, 6, 3], [3, 1], 'valid', 4)));
    it('mixed strides [1,2] on a 2-D input', () => checkConv(makeCase([2, 6, 9, 3], [2, 3, 3, 4], [1, 2], 'same', 5)));
    it('a GEMM reduction longer than one K block (B*OH*OW = 640 > 256) and M crossing MR/MC tiles', () =>
      checkConv(makeCase([8, 80, 1, 7], [3, 1, 7, 9], [1, 1], 'same', 6)));
    it('patch length 165 and 10 output channels (not multiples of 6 or 8)', () =>
      checkConv(makeCase([4, 64, 1, 33], [5, 1, 33, 10], [2, 1], 'same', 7)));
  });

  describe('DepthwiseConv2dNativeBackpropFilter / -Input', () => {
    it('3x3 depthwise, channel multiplier 2, stride 2, same padding', () =>
      checkConv(makeCase([2, 9, 8, 3], [3, 3, 3, 2], [2, 2], 'same', 11, true)));
    it('2x3 depthwise, multiplier 1, stride 1, valid padding, batch 1', () =>
      checkConv(makeCase([1, 7, 5, 4], [2, 3, 4, 1], [1, 1], 'valid', 12, true)));
  });

  describe('BatchMatMul (SIMD GEMM for transposed/batched products)', () => {
    const cases: { name: string; a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [];
    for (const ta of [false, true])
      for (const tb of [false, true]) {
        cases.push({ name: `2-D 7x13·13x9 ta=${ta} tb=${tb}`, a: ta ? [13, 7] : [7, 13], b: tb ? [9, 13] : [13, 9], ta, tb });
        cases.push({
          name: `batched 3x(5x11·11x10) ta=${ta} tb=${tb}`,
          a: ta ? [3, 11, 5] : [3, 5, 11],
          b: tb ? [3, 10, 11] : [3, 11, 10],
          ta,
          tb,
        });
      }
    cases.push({ name: 'crosses M (130 > 120) and K (260 > 256) blocks, transposed A', a: [260, 130], b: [260, 9], ta: true, tb: false });
    cases.push({ name: 'rank-4 attention shape [2,3,17,8]·[2,3,17,8]^T', a: [2, 3, 17, 8], b: [2, 3, 17, 8], ta: false, tb: true });

    for (const c of cases) {
      it(c.name, async () => {
        const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
        const A = randoms(size(c.a), 21),
          B = randoms(size(c.b), 22);
        const r = c.a.length;
        const m = c.ta ? c.a[r - 1] : c.a[r - 2],
          k = c.ta ? c.a[r - 2] : c.a[r - 1];
        const n = c.tb ? c.b[r - 2] : c.b[r - 1];
        const batch = size(c.a.slice(0, -2));
        const R = randoms(batch * m * n, 23);
        const run = () => {
          const a = tf.tensor(A, c.a),
            b = tf.tensor(B, c.b);
          const rt = tf.tensor(R, [...c.a.slice(0, -2), m, n]);
          const f = (x: import('@tensorflow/tfjs').Tensor, y: import('@tensorflow/tfjs').Tensor) => tf.matMul(x, y, c.ta, c.tb);
          return [...tf.grads((x, y) => tf.sum(tf.mul(f(x, y), rt)))([a, b]), f(a, b)];
        };
        const [daW, dbW, yW] = await on('wasm', run);
        const [daC, dbC, yC] = await on('cpu', run);
        // Reference: per-batch float64 products and exact finite differences of <A·B, R>.
        const ref = (a: number[], b: number[]) => {
          const out = new Float64Array(batch * m * n);
          for (let i = 0; i < batch; i++) {
            out.set(matmul64(a.slice(i * m * k, (i + 1) * m * k), b.slice(i * k * n, (i + 1) * k * n), m, n, k, c.ta, c.tb), i * m * n);
          }
          return out;
        };
        assert.ok(relError(yW, ref(A, B)) <= TOL, `product vs float64: ${relError(yW, ref(A, B))}`);
        assert.ok(relError(yW, yC) <= TOL, `product vs cpu: ${relError(yW, yC)}`);
        assert.ok(relError(daW, daC) <= TOL && relError(dbW, dbC) <= TOL, 'gradients vs cpu');
        const daFd = finiteDiffLinear(A, a => ref(a, B), R, 24),
          dbFd = finiteDiffLinear(B, b => ref(A, b), R, 24);
        assert.ok(relError(daW, daFd) <= TOL, `dA vs finite differences: ${relError(daW, daFd)}`);
        assert.ok(relError(dbW, dbFd) <= TOL, `dB vs finite differences: ${relError(dbW, dbFd)}`);
      });
    }

    it('broadcast batch ([1,m,k] · [4,k,n]) forward matches float64', async () => {
      const A = randoms(6 * 5, 31),
        B = randoms(4 * 5 * 7, 32);
      const [y] = await on('wasm', () => [tf.matMul(tf.tensor3d(A, [1, 6, 5]), tf.tensor3d(B, [4, 5, 7]))]);
      const want = new Float64Array(4 * 6 * 7);
      for (let i = 0; i < 4; i++) want.set(matmul64(A, B.slice(i * 35, (i + 1) * 35), 6, 7, 5, false, false), i * 42);
      assert.ok(relError(y, want) <= TOL);
    });
  });

  describe('Sum over leading axes (bias gradients)', () => {
    for (const c of [
      { shape: [37, 13], axis: [0], keepDims: false },
      { shape: [3, 5, 7], axis: [0, 1], keepDims: true },
      { shape: [3, 5, 7], axis: [2], keepDims: false }, // trailing: delegated to tfjs, checked all the same
      { shape: [4, 6], axis: [0, 1], keepDims: false }, // full reduction: delegated
    ]) {
      it(`sum of [${c.shape}] over axes [${c.axis}]${c.keepDims ? ' keepDims' : ''} matches float64 and cpu`, async () => {
        const n = c.shape.reduce((a, b) => a * b, 1);
        const v = randoms(n, 51);
        const run = () => [tf.sum(tf.tensor(v, c.shape), c.axis, c.keepDims)];
        const [w] = await on('wasm', run);
        const [cp] = await on('cpu', run);
        // float64 reference: accumulate each element into the output cell its kept coordinates select.
        const kept = c.shape.map((_, i) => !c.axis.includes(i));
        const outDims = c.shape.filter((_, i) => kept[i]);
        const want = new Float64Array(
          Math.max(
            1,
            outDims.reduce((a, b) => a * b, 1),
          ),
        );
        for (let flat = 0; flat < n; flat++) {
          let rem = flat,
            o = 0,
            mul = 1;
          for (let d = c.shape.length - 1; d >= 0; d--) {
            const idx = rem % c.shape[d];
            rem = Math.floor(rem / c.shape[d]);
            if (kept[d]) {
              o += idx * mul;
              mul *= c.shape[d];
            }
          }
          want[o] += v[flat];
        }
        assert.ok(relError(w, want) <= TOL, `vs float64: ${relError(w, want)}`);
        assert.ok(relError(w, cp) <= TOL, `vs cpu: ${relError(w, cp)}`);
      });
    }
  });

  describe('UnsortedSegmentSum (gradient of gather / embeddings)', () => {
    it('scatter-adds rows for repeated and unused ids, matching the analytic gradient and cpu', async () => {
      const table = randoms(11 * 6, 41);
      const ids = [3, 0, 3, 10, 7, 3, 0];
      const R = randoms(ids.length * 6, 42);
      const run = () => {
        const t = tf.tensor2d(table, [11, 6]);
        const g = tf.grad(e => tf.sum(tf.mul(tf.gather(e, tf.tensor1d(ids, 'int32')), tf.tensor2d(R, [ids.length, 6]))));
        return [g(t)];
      };
      const [gW] = await on('wasm', run);
      const [gC] = await on('cpu', run);
      // d/dE[i,:] of <E[ids], R> is the sum of R's rows whose id is i.
      const want = new Float64Array(11 * 6);
      ids.forEach((id, row) => {
        for (let j = 0; j < 6; j++) want[id * 6 + j] += R[row * 6 + j];
      });
      assert.ok(relError(gW, want) <= TOL);
      assert.ok(relError(gW, gC) <= TOL);
    });

    it('drops out-of-range segment ids as TensorFlow does', async () => {
      const [y] = await on('wasm', () => [tf.unsortedSegmentSum(tf.tensor1d([1, 2, 4, 8]), tf.tensor1d([0, -1, 2, 5], 'int32'), 3)]);
      assert.deepEqual(Array.from(y), [1, 0, 4]);
    });
  });
});
