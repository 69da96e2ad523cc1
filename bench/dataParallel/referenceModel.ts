// The reference model of the training-engine notes, used to benchmark and gradient-check the engine (the GLSDA
// teacher/student live elsewhere): input [T, C] CSI windows, N strided conv1d+ReLU layers, pre-LayerNorm transformer
// blocks (multi-head self-attention + ReLU MLP), mean pooling over time, dense classifier.
//
// Written with raw tf ops and variables rather than tfjs-layers because tfjs-layers 4.22 has no attention layer, and
// because an explicit forward lets us count FLOPs exactly for the GFLOP/s figure of the benchmark.
import type * as TfNamespace from '@tensorflow/tfjs';

type Tf = typeof TfNamespace;
type Tensor = TfNamespace.Tensor;
type Variable = TfNamespace.Variable;

export interface ReferenceModelConfig {
  timeSteps: number;
  channels: number;
  convFilters: number[];
  convKernels: number[];
  convStrides: number[];
  dModel: number;
  heads: number;
  ffn: number;
  blocks: number;
  classes: number;
}

/** The notes' representative model: [128, 60] input, 3 conv1d + 2 transformer blocks + dense (≈0.35 M parameters). */
export const TEACHER_CONFIG: ReferenceModelConfig = {
  timeSteps: 128,
  channels: 60,
  convFilters: [64, 96, 128],
  convKernels: [5, 5, 3],
  convStrides: [1, 2, 2],
  dModel: 128,
  heads: 4,
  ffn: 256,
  blocks: 2,
  classes: 6,
};

/** A student-sized model of the same family (≈20 k parameters), for the "student ≥ 5× faster" target. */
export const STUDENT_CONFIG: ReferenceModelConfig = {
  timeSteps: 128,
  channels: 60,
  convFilters: [32, 32],
  convKernels: [5, 3],
  convStrides: [2, 2],
  dModel: 32,
  heads: 2,
  ffn: 64,
  blocks: 1,
  classes: 6,
};

export class ModelConfigError extends Error {
  constructor(message: string) {
    super(`reference model config: ${message}`);
    this.name = 'ModelConfigError';
  }
}

interface Block {
  ln1g: Variable;
  ln1b: Variable;
  wq: Variable;
  bq: Variable;
  wk: Variable;
  bk: Variable;
  wv: Variable;
  bv: Variable;
  wo: Variable;
  bo: Variable;
  ln2g: Variable;
  ln2b: Variable;
  w1: Variable;
  b1: Variable;
  w2: Variable;
  b2: Variable;
}

export class ReferenceModel {
  readonly variables: Variable[] = [];
  private readonly convs: { w: Variable; b: Variable; stride: number }[] = [];
  private readonly blocks: Block[] = [];
  private readonly head: { w: Variable; b: Variable };
  /** Time steps after the conv stack ('same' padding: ceil division by each stride). */
  readonly tokens: number;

  constructor(
    private readonly tf: Tf,
    readonly config: ReferenceModelConfig,
    seed = 1,
  ) {
    const c = config;
    if (c.convFilters.length !== c.convKernels.length || c.convFilters.length !== c.convStrides.length) {
      throw new ModelConfigError('convFilters, convKernels and convStrides must have the same length');
    }
    if (c.dModel % c.heads !== 0) throw new ModelConfigError(`dModel ${c.dModel} is not divisible by heads ${c.heads}`);
    if (c.convFilters.length > 0 && c.convFilters[c.convFilters.length - 1] !== c.dModel) {
      throw new ModelConfigError('the last conv layer must output dModel channels');
    }
    let s = seed;
    // Glorot-uniform weights and zero biases; deterministic per seed so backends can be compared weight for weight.
    const glorot = (shape: number[], fanIn: number, fanOut: number): Variable => {
      const lim = Math.sqrt(6 / (fanIn + fanOut));
      return this.keep(tf.variable(tf.randomUniform(shape, -lim, lim, 'float32', s++)));
    };
    const constant = (shape: number[], v: number): Variable => this.keep(tf.variable(tf.fill(shape, v)));
    let cin = c.channels;
    let t = c.timeSteps;
    c.convFilters.forEach((cout, i) => {
      const k = c.convKernels[i];
      this.convs.push({ w: glorot([k, cin, cout], k * cin, k * cout), b: constant([cout], 0), stride: c.convStrides[i] });
      cin = cout;
      t = Math.ceil(t / c.convStrides[i]);
    });
    this.tokens = t;
    const d = c.dModel;
    for (let i = 0; i < c.blocks; i++) {
      this.blocks.push({
        ln1g: constant([d], 1),
        ln1b: constant([d], 0),
        wq: glorot([d, d], d, d),
        bq: constant([d], 0),
        wk: glorot([d, d], d, d),
        bk: constant([d], 0),
        wv: glorot([d, d], d, d),
        bv: constant([d], 0),
        wo: glorot([d, d], d, d),
        bo: constant([d], 0),
        ln2g: constant([d], 1),
        ln2b: constant([d], 0),
        w1: glorot([d, c.ffn], d, c.ffn),
        b1: constant([c.ffn], 0),
        w2: glorot([c.ffn, d], c.ffn, d),
        b2: constant([d], 0),
      });
    }
    this.head = { w: glorot([d, c.classes], d, c.classes), b: constant([c.classes], 0) };
  }

  private keep(v: Variable): Variable {
    this.variables.push(v);
    return v;
  }

  get parameterCount(): number {
    return this.variables.reduce((n, v) => n + v.size, 0);
  }

  /** Logits [B, classes] for x [B, T, C]. */
  forward(x: Tensor): Tensor {
    const tf = this.tf;
    const c = this.config;
    let h = x as TfNamespace.Tensor3D;
    for (const conv of this.convs) {
      h = tf.relu(tf.add(tf.conv1d(h, conv.w as TfNamespace.Tensor3D, conv.stride, 'same'), conv.b)) as TfNamespace.Tensor3D;
    }
    const [B, T, d] = h.shape;
    const dh = d / c.heads;
    let z: Tensor = tf.reshape(h, [B * T, d]);
    for (const blk of this.blocks) {
      // Separate q/k/v projections rather than one fused [d, 3d] product: the split of the fused output (and the
      // concat in its gradient) cost more on tfjs-wasm than the two extra GEMM calls.
      const normed = layerNorm(tf, z, blk.ln1g, blk.ln1b);
      const heads = (w: Tensor, b: Tensor) => tf.transpose(tf.reshape(tf.add(tf.matMul(normed, w), b), [B, T, c.heads, dh]), [0, 2, 1, 3]);
      const q = heads(blk.wq, blk.bq),
        k = heads(blk.wk, blk.bk),
        v = heads(blk.wv, blk.bv);
      const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh));
      const ctx = tf.matMul(tf.softmax(scores), v);
      const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [B * T, d]);
      z = tf.add(z, tf.add(tf.matMul(merged, blk.wo), blk.bo));
      const mlp = tf.relu(tf.add(tf.matMul(layerNorm(tf, z, blk.ln2g, blk.ln2b), blk.w1), blk.b1));
      z = tf.add(z, tf.add(tf.matMul(mlp, blk.w2), blk.b2));
    }
    const pooled = tf.mean(tf.reshape(z, [B, T, d]), 1);
    return tf.add(tf.matMul(pooled, this.head.w), this.head.b);
  }

  /** Mean softmax cross-entropy against integer labels. */
  loss(x: Tensor, labels: Tensor): TfNamespace.Scalar {
    const tf = this.tf;
    return tf.losses.softmaxCrossEntropy(
      tf.oneHot(labels as TfNamespace.Tensor1D, this.config.classes),
      this.forward(x),
    ) as TfNamespace.Scalar;
  }

  /**
   * Floating-point operations of one forward pass per sample (multiply and add counted separately; elementwise ops,
   * softmax and normalisation excluded, so GFLOP/s figures are GEMM-equivalent throughput).
   */
  forwardFlopsPerSample(): number {
    const c = this.config;
    let flops = 0,
      t = c.timeSteps,
      cin = c.channels;
    c.convFilters.forEach((cout, i) => {
      t = Math.ceil(t / c.convStrides[i]);
      flops += 2 * t * c.convKernels[i] * cin * cout;
      cin = cout;
    });
    const d = c.dModel;
    const perBlock = 2 * t * d * 3 * d + 2 * 2 * t * t * d + 2 * t * d * d + 2 * 2 * t * d * c.ffn;
    return flops + c.blocks * perBlock + 2 * d * c.classes;
  }

  /** Training step FLOPs per sample: forward plus the two backward products of each forward product. */
  trainFlopsPerSample(): number {
    return 3 * this.forwardFlopsPerSample();
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
    this.variables.length = 0;
  }
}

function layerNorm(tf: Tf, x: Tensor, gamma: Tensor, beta: Tensor): Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta);
}

/** ModelFactorySpec entry point (see trainable.ts): builds the reference model inside a training worker. */
export function createReferenceModel(tf: Tf, config: ReferenceModelConfig, seed = 1): ReferenceModel {
  return new ReferenceModel(tf, config, seed);
}
