// The GLSDA student and the equal-size CE baseline (the same network, trained without distillation): a small
// 1-D CNN over the two paths concatenated along features, [B, T, F1+F2] → (Doppler part through a small 2-D stem,
// see dopplerStem) → conv1d(k1, stride s1, ReLU) →
// conv1d(k2, stride s2, ReLU) → global mean pool (the distillation feature) → dense logits.
// Built with tfjs-layers (unlike the teacher) so it exports as a standard tfjs layers model (model.json +
// weights.bin) that any tfjs runtime loads without our code. Initialisers are seeded: a pure function of the seed.
import { ModelError } from '../errors';
import { stemGeometry } from './dopplerStem';
import type { DualInput, InputShape, Net, NetOutputs, Tensor, Tensor2D, Tf, Variable } from './net';
import type * as TfNamespace from '@tensorflow/tfjs';

export interface StudentConfig {
  filters: [number, number];
  kernels: [number, number];
  strides: [number, number];
  /**
   * Filters of a 2-D stem on the Doppler part (3×3 over time × band, receivers as channels, bands halved by each
   * layer), as in the teacher (teacher.ts dopplerStem: why); [] for none. Built from standard layers only (permute,
   * cropping, reshape, conv2d), so the exported model still loads in any tfjs runtime.
   */
  dopplerStem: number[];
}

// Doppler stem [8, 8, 8] (30 bands → 15 → 8 → 4, 8 filters): measured on the simulator leaving user 3 out (paired
// seeds 1–3, distilled from the teacher of runner @3, 50.8 %), the one-layer stem [8] the student had before (runner
// ≤ @3) gave 41.1 % distilled and 38.1 % as the CE baseline; [8, 8] 50.2 / 48.1; [8, 8, 8] 54.3 / 48.1. The band axis is where a Doppler
// spectrogram moves with the user's speed and the link geometry, and a dense conv over 15 bands × 8 filters learns
// each band separately, while three shared 3×3 layers that pool the bands to 4 see a shifted pattern alike. It is
// also smaller: 9.4 k parameters and ~1.0 M FLOPs on the simulator's 6 × 30 bands, against 18.8 k and 0.93 M.
export const DEFAULT_STUDENT: StudentConfig = { filters: [24, 48], kernels: [5, 3], strides: [2, 2], dopplerStem: [8, 8, 8] };

export class Student implements Net {
  readonly kind: string;
  /** Training model: outputs [logits, pooled features]. */
  readonly model: TfNamespace.LayersModel;
  /** Inference model sharing the same layers: outputs logits only (what gets exported). */
  readonly inferenceModel: TfNamespace.LayersModel;

  constructor(
    private readonly tf: Tf,
    readonly shape: InputShape,
    readonly config: StudentConfig,
    seed: number,
    kind = 'student',
  ) {
    const c = config;
    for (const [name, arr] of [
      ['filters', c.filters],
      ['kernels', c.kernels],
      ['strides', c.strides],
    ] as const) {
      if (arr.length !== 2 || arr.some(v => !(Number.isInteger(v) && v >= 1)))
        throw new ModelError('bad-config', `student ${name} must be two positive integers, got ${JSON.stringify(arr)}`);
    }
    this.kind = kind;
    const F = shape.phaseFeatures + shape.dopplerFeatures,
      F1 = shape.phaseFeatures,
      F2 = shape.dopplerFeatures,
      T = shape.timeSteps;
    const init = (i: number) => tf.initializers.glorotUniform({ seed: seed * 1000 + i });
    type Sym = TfNamespace.SymbolicTensor;
    const input = tf.input({ shape: [T, F], name: 'csi_dual_path' });
    let x: Sym = input;
    if (c.dopplerStem.length && F2 > 0) {
      const geo = stemGeometry(shape, c.dopplerStem, true);
      // Feature slices with standard layers: [T, F] → [T, F, 1], crop columns, → [T, to − from].
      const part = (from: number, to: number, name: string): Sym => {
        let h = tf.layers.reshape({ targetShape: [T, F, 1], name: `${name}_img` }).apply(input) as Sym;
        h = tf.layers
          .cropping2D({
            cropping: [
              [0, 0],
              [from, F - to],
            ],
            name: `${name}_crop`,
          })
          .apply(h) as Sym;
        return tf.layers.reshape({ targetShape: [T, to - from], name: `${name}_part` }).apply(h) as Sym;
      };
      let d = tf.layers.reshape({ targetShape: [T, geo.R, geo.Q], name: 'doppler_rq' }).apply(part(F1, F, 'doppler')) as Sym;
      d = tf.layers.permute({ dims: [1, 3, 2], name: 'doppler_image' }).apply(d) as Sym; // [T, Q, R]
      geo.layers.forEach((l, i) => {
        d = tf.layers
          .conv2d({
            filters: l.cout,
            kernelSize: 3,
            strides: [1, l.strideBands],
            padding: 'same',
            activation: 'relu',
            kernelInitializer: init(10 + i),
            name: `stem${i + 1}`,
          })
          .apply(d) as Sym;
      });
      d = tf.layers.reshape({ targetShape: [T, geo.outFeatures], name: 'doppler_tokens' }).apply(d) as Sym;
      x = F1 > 0 ? (tf.layers.concatenate({ axis: 2, name: 'paths' }).apply([part(0, F1, 'phase'), d]) as Sym) : d;
    }
    let h = tf.layers
      .conv1d({
        filters: c.filters[0],
        kernelSize: c.kernels[0],
        strides: c.strides[0],
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
        name: 'conv1',
      })
      .apply(x) as TfNamespace.SymbolicTensor;
    h = tf.layers
      .conv1d({
        filters: c.filters[1],
        kernelSize: c.kernels[1],
        strides: c.strides[1],
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(2),
        name: 'conv2',
      })
      .apply(h) as TfNamespace.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling1d({ name: 'pool' }).apply(h) as TfNamespace.SymbolicTensor;
    const logits = tf.layers
      .dense({ units: shape.classes, kernelInitializer: init(3), name: 'logits' })
      .apply(pooled) as TfNamespace.SymbolicTensor;
    this.model = tf.model({ inputs: input, outputs: [logits, pooled], name: kind });
    this.inferenceModel = tf.model({ inputs: input, outputs: logits, name: `${kind}_inference` });
  }

  get variables(): Variable[] {
    // LayerVariable.read() is the underlying tf.Variable the optimiser updates.
    return this.model.trainableWeights.map(w => w.read() as Variable);
  }

  get parameterCount(): number {
    return this.model.countParams();
  }

  get featureDims(): number {
    return this.config.filters[1];
  }

  /** The exported model's input: phase and Doppler concatenated along the feature axis. */
  concatInput(x: DualInput): Tensor {
    return this.tf.concat([x.phase, x.doppler], 2);
  }

  forward(x: DualInput): NetOutputs {
    const [logits, features] = this.model.apply(this.concatInput(x)) as Tensor[];
    return { logits: logits as Tensor2D, features: features as Tensor2D };
  }

  forwardFlopsPerSample(): number {
    const c = this.config,
      s = this.shape;
    let F = s.phaseFeatures + s.dopplerFeatures,
      stem = 0;
    if (c.dopplerStem.length && s.dopplerFeatures > 0) {
      const geo = stemGeometry(s, c.dopplerStem, true);
      stem = geo.flops;
      F = s.phaseFeatures + geo.outFeatures;
    }
    const t1 = Math.ceil(s.timeSteps / c.strides[0]),
      t2 = Math.ceil(t1 / c.strides[1]);
    return (
      stem + 2 * t1 * c.kernels[0] * F * c.filters[0] + 2 * t2 * c.kernels[1] * c.filters[0] * c.filters[1] + 2 * c.filters[1] * s.classes
    );
  }

  dispose(): void {
    this.model.dispose();
  }
}
