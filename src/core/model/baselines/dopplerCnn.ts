// The calibration baseline of issue 5 ("a simple Doppler-spectrogram CNN", csi-simulator.md §8.3 B1): a 3-layer
// 2-D CNN over one sample's Doppler image, bands × frames with the six receivers as input channels, so the first
// layer already combines the links (the direction of a motion is only visible across links):
//   doppler [B, T, R·K] → [B, K, T, R] → conv 3×3 (c1, stride 1) → conv 3×3 (c2, stride 2) → conv 3×3 (c3, stride 2)
//   (ReLU, same padding) → flatten (the pooled "features") → dense → logits [B, C].
// Flatten rather than global pooling: where energy sits in frequency (the sign and speed of the Doppler) is the
// class information, and global pooling would throw it away. Strided convolutions rather than max-pooling: the
// project's tfjs-wasm engine registers gradients for Conv2D, not for the pooling ops.
//
// It implements the project's Net contract (src/core/model/net.ts) so it trains with the project's own loop
// (src/core/model/train.ts) and evaluator; parameters come from the seeded ParamFactory, so a model is a pure
// function of (shape, config, seed). The phase half of DualInput is unused (F1 = 0): the baseline sees Doppler only.
import { ModelError } from '../errors';
import { ParamFactory, countParams } from '../nets/init';
import type { DualInput, InputShape, Net, NetOutputs, Tensor, Tensor2D, Tf, Variable } from '../nets/net';

export interface DopplerCnnConfig {
  /** Receivers (input channels); the Doppler feature axis is receivers × bands, receiver-major. */
  receivers: number;
  filters: [number, number, number];
}

export const DEFAULT_DOPPLER_CNN: Omit<DopplerCnnConfig, 'receivers'> = { filters: [16, 32, 32] };

const STRIDES = [1, 2, 2] as const;
const KERNEL = 3;

export class DopplerCnn implements Net {
  readonly kind = 'doppler-cnn';
  readonly variables: Variable[];
  private readonly convs: { w: Variable; b: Variable; stride: number }[] = [];
  private readonly dense: { w: Variable; b: Variable };
  private readonly bands: number;
  private readonly flatDims: number;

  constructor(
    private readonly tf: Tf,
    readonly shape: InputShape,
    readonly config: DopplerCnnConfig,
    seed: number,
  ) {
    const R = config.receivers;
    if (!(Number.isInteger(R) && R >= 1 && shape.dopplerFeatures % R === 0)) {
      throw new ModelError('bad-config', `doppler-cnn: ${shape.dopplerFeatures} Doppler features do not split into ${R} receivers`);
    }
    if (config.filters.length !== 3 || config.filters.some(f => !(Number.isInteger(f) && f >= 1))) {
      throw new ModelError('bad-config', `doppler-cnn filters must be three positive integers, got ${JSON.stringify(config.filters)}`);
    }
    this.bands = shape.dopplerFeatures / R;
    const pf = new ParamFactory(tf, seed);
    let cin = R,
      h = this.bands,
      w = shape.timeSteps;
    // In a tidy scope: ParamFactory's initial-value tensors would otherwise outlive the model (variables are kept).
    tf.tidy(() => {
      config.filters.forEach((cout, i) => {
        const fanIn = KERNEL * KERNEL * cin,
          fanOut = KERNEL * KERNEL * cout;
        this.convs.push({ w: pf.glorot([KERNEL, KERNEL, cin, cout], fanIn, fanOut), b: pf.constant([cout], 0), stride: STRIDES[i] });
        h = Math.ceil(h / STRIDES[i]);
        w = Math.ceil(w / STRIDES[i]);
        cin = cout;
      });
    });
    this.flatDims = h * w * cin;
    this.dense = tf.tidy(() => ({
      w: pf.glorot([this.flatDims, shape.classes], this.flatDims, shape.classes),
      b: pf.constant([shape.classes], 0),
    }));
    this.variables = pf.variables;
  }

  get parameterCount(): number {
    return countParams(this.variables);
  }

  forward(x: DualInput): NetOutputs {
    const tf = this.tf;
    return tf.tidy(() => {
      const B = x.doppler.shape[0],
        T = this.shape.timeSteps,
        R = this.config.receivers;
      // [B, T, R·K] → [B, T, R, K] → [B, K, T, R]: an image of bands × frames with one channel per receiver.
      let h: Tensor = tf.transpose(tf.reshape(x.doppler, [B, T, R, this.bands]), [0, 3, 1, 2]);
      for (const c of this.convs)
        h = tf.relu(tf.add(tf.conv2d(h as Parameters<Tf['conv2d']>[0], c.w as Parameters<Tf['conv2d']>[1], c.stride, 'same'), c.b));
      const features = tf.reshape(h, [B, this.flatDims]) as Tensor2D;
      const logits = tf.add(tf.matMul(features, this.dense.w), this.dense.b) as Tensor2D;
      return { logits, features };
    });
  }

  forwardFlopsPerSample(): number {
    let cin = this.config.receivers,
      h = this.bands,
      w = this.shape.timeSteps,
      flops = 0;
    this.config.filters.forEach((cout, i) => {
      h = Math.ceil(h / STRIDES[i]);
      w = Math.ceil(w / STRIDES[i]);
      flops += 2 * h * w * KERNEL * KERNEL * cin * cout;
      cin = cout;
    });
    return flops + 2 * this.flatDims * this.shape.classes;
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
