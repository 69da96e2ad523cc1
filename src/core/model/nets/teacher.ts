// The GLSDA teacher (glsda-widar-notes.md §1.3; every size is a configurable choice, the paper's are unknown):
//   phase [B,T,F1] ─┬─ conv1d k∈kernels (parallel, stride s, ReLU) ─ concat ─ linear → d/2 ─┐
//   doppler [B,T,F2] ┴─ (same, own weights) ──────────────────────────────────────────────────┴ concat → [B,T',d]
//   + sinusoidal positions → pre-LN transformer blocks (self-attention + MLP)
//   → cross-modal attention: queries from the tokens, keys/values from the frozen class semantic embeddings
//     (the prior), residual  → mean pool → LayerNorm → h [B,d] (the distillation feature)
//   → semantic head  u = h·Wp  [B,E]  (contrastive alignment with the class embeddings)
//   → classifier     z = h·Wc + b [B,C]
// `semantic: false` is the control without semantics: no cross-attention and no semantic head; `crossAttention:
// false` keeps the semantic head (alignment) without the attention.
// Written with raw variables (not tfjs-layers) because tfjs-layers 4.22 has no attention layer, and so the FLOP
// count below follows the forward exactly. Dilated convs are avoided: tfjs has no gradient for dilation > 1, so
// the multiscale receptive fields come from parallel kernel sizes instead.
import { ModelError } from '../errors';
import { stemGeometry, type StemGeometry } from './dopplerStem';
import { ParamFactory, countParams } from './init';
import type { DualInput, InputShape, Net, NetOutputs, Tensor, Tensor2D, Tensor3D, Tf, Variable } from './net';

export interface TeacherConfig {
  kernels: number[];
  branchFilters: number;
  stride: number;
  dModel: number;
  heads: number;
  ffn: number;
  blocks: number;
  /** Cross-modal attention + semantic head on (GLSDA) or off (control). */
  semantic: boolean;
  /**
   * With `semantic`: false drops the cross-modal attention but keeps the semantic head (and so the alignment loss);
   * default true. Why it exists: one at a time, the attention to the class embeddings cost accuracy on most splits
   * (research/results/glsda-teacher-ablation.json: −0.3 pt on the simulator, −4.3 on WiAR's Doppler inputs) while the
   * alignment and the soft labels added about a point each. Measured there: this variant 49.5 / 31.6 % mean accuracy
   * (simulator / WiAR) against 48.8 / 32.5 for the full teacher and 47.9 / 35.1 without semantics: not a default.
   */
  crossAttention?: boolean;
  /**
   * Filters of the Doppler path's 2-D stem: 3×3 convolutions over (time × Doppler band) with the receivers as input
   * channels, the first at stride 1, later ones halving the bands; [] feeds the spectrogram to the temporal encoder
   * as flat features. Why: a Doppler spectrogram is an image whose class evidence moves along the band axis with the
   * user's speed and the link geometry; weights shared along that axis generalise across users where a dense map of
   * every band does not (simulator leave-user-out, research/results/glsda.json). Four layers (bands 30 → 30 → 15 → 8 → 4)
   * by default since runner @4: leaving user 3 out of the simulator (paired seeds 1–3), the teacher went 50.8 → 52.9 %
   * with [16, 16] → [16, 16, 16, 16], and the student distilled from it 54.3 → 60.9 %; a dense map of 15 bands × 16
   * filters still let the temporal encoder learn each band on its own.
   */
  dopplerStem: number[];
}

export const DEFAULT_TEACHER: TeacherConfig = {
  kernels: [3, 5, 9],
  branchFilters: 32,
  stride: 2,
  dModel: 64,
  heads: 4,
  ffn: 128,
  blocks: 2,
  semantic: true,
  dopplerStem: [16, 16, 16, 16],
};

interface PathParams {
  stem: { w: Variable; b: Variable; strideBands: number }[];
  convs: { w: Variable; b: Variable; k: number }[];
  proj: Variable;
  projB: Variable;
}
interface Block {
  ln1g: Variable;
  ln1b: Variable;
  wqkv: Variable;
  bqkv: Variable;
  wo: Variable;
  bo: Variable;
  ln2g: Variable;
  ln2b: Variable;
  w1: Variable;
  b1: Variable;
  w2: Variable;
  b2: Variable;
}

export class Teacher implements Net {
  readonly kind: string;
  readonly variables: Variable[];
  readonly tokens: number;
  private readonly paths: (PathParams | undefined)[] = [];
  private readonly stem?: StemGeometry;
  private readonly blocks: Block[] = [];
  private readonly cross?: { lng: Variable; lnb: Variable; wq: Variable; wk: Variable; wv: Variable; wo: Variable };
  private readonly lnFg: Variable;
  private readonly lnFb: Variable;
  private readonly semHead?: Variable;
  private readonly cls: { w: Variable; b: Variable };
  private readonly positions: Tensor2D;
  private readonly classEmb?: Tensor2D;

  /** classEmbeddings: C × E frozen prior embeddings (required when config.semantic). */
  constructor(
    private readonly tf: Tf,
    readonly shape: InputShape,
    readonly config: TeacherConfig,
    seed: number,
    classEmbeddings?: readonly ArrayLike<number>[],
  ) {
    const c = config,
      d = c.dModel;
    if (d % 2 !== 0 || d % c.heads !== 0)
      throw new ModelError('bad-config', `teacher dModel ${d} must be even and divisible by heads ${c.heads}`);
    if (!c.kernels.length || c.kernels.some(k => !(Number.isInteger(k) && k >= 1)))
      throw new ModelError('bad-config', `teacher kernels must be positive integers, got ${JSON.stringify(c.kernels)}`);
    if (!(Number.isInteger(c.stride) && c.stride >= 1))
      throw new ModelError('bad-config', `teacher stride must be an integer ≥ 1, got ${c.stride}`);
    if (c.semantic) {
      if (!classEmbeddings || classEmbeddings.length !== shape.classes) {
        throw new ModelError('bad-config', `semantic teacher needs ${shape.classes} class embeddings, got ${classEmbeddings?.length ?? 0}`);
      }
    }
    this.kind = c.semantic ? 'teacher' : 'teacher-no-semantics';
    const p = new ParamFactory(tf, seed);
    const nk = c.kernels.length;
    // A path with no features (e.g. Doppler-only inputs) is not built; the other path then gets all d channels.
    const live = [shape.phaseFeatures, shape.dopplerFeatures].filter(f => f > 0);
    if (!live.length) throw new ModelError('bad-config', 'teacher needs at least one input path with features');
    const dp = d / live.length;
    const geo = (this.stem = shape.dopplerFeatures > 0 ? stemGeometry(shape, c.dopplerStem) : undefined);
    for (const [i, f0] of [shape.phaseFeatures, shape.dopplerFeatures].entries()) {
      if (f0 === 0) {
        this.paths.push(undefined);
        continue;
      }
      const stem =
        i === 1 && geo
          ? geo.layers.map(l => ({
              w: p.glorot([3, 3, l.cin, l.cout], 9 * l.cin, 9 * l.cout),
              b: p.constant([l.cout], 0),
              strideBands: l.strideBands,
            }))
          : [];
      const fin = i === 1 && geo ? geo.outFeatures : f0;
      this.paths.push({
        stem,
        convs: c.kernels.map(k => ({
          w: p.glorot([k, fin, c.branchFilters], k * fin, k * c.branchFilters),
          b: p.constant([c.branchFilters], 0),
          k,
        })),
        proj: p.glorot([nk * c.branchFilters, dp], nk * c.branchFilters, dp),
        projB: p.constant([dp], 0),
      });
    }
    this.tokens = Math.ceil(shape.timeSteps / c.stride);
    for (let i = 0; i < c.blocks; i++) {
      this.blocks.push({
        ln1g: p.constant([d], 1),
        ln1b: p.constant([d], 0),
        wqkv: p.glorot([d, 3 * d], d, d),
        bqkv: p.constant([3 * d], 0),
        wo: p.glorot([d, d], d, d),
        bo: p.constant([d], 0),
        ln2g: p.constant([d], 1),
        ln2b: p.constant([d], 0),
        w1: p.glorot([d, c.ffn], d, c.ffn),
        b1: p.constant([c.ffn], 0),
        w2: p.glorot([c.ffn, d], c.ffn, d),
        b2: p.constant([d], 0),
      });
    }
    let E = 0;
    if (c.semantic && classEmbeddings) {
      E = classEmbeddings[0].length;
      if (!(E > 0) || classEmbeddings.some(e => e.length !== E))
        throw new ModelError('bad-config', 'class embeddings must be non-empty and of equal length');
      this.classEmb = tf.tensor2d(
        classEmbeddings.map(e => Array.from(e)),
        [shape.classes, E],
      );
      if (c.crossAttention !== false) {
        this.cross = {
          lng: p.constant([d], 1),
          lnb: p.constant([d], 0),
          wq: p.glorot([d, d], d, d),
          wk: p.glorot([E, d], E, d),
          wv: p.glorot([E, d], E, d),
          wo: p.glorot([d, d], d, d),
        };
      }
    }
    this.lnFg = p.constant([d], 1);
    this.lnFb = p.constant([d], 0);
    if (c.semantic) this.semHead = p.glorot([d, E], d, E);
    this.cls = { w: p.glorot([d, shape.classes], d, shape.classes), b: p.constant([shape.classes], 0) };
    this.variables = p.variables;
    this.positions = sinusoid(tf, this.tokens, d);
  }

  get parameterCount(): number {
    return countParams(this.variables);
  }

  /** The frozen class embeddings the cross-attention and alignment loss use ([C, E]). */
  get classEmbeddings(): Tensor2D | undefined {
    return this.classEmb;
  }

  forward(x: DualInput): NetOutputs {
    const tf = this.tf,
      c = this.config,
      d = c.dModel;
    const [B, T] = x.phase.shape;
    if (
      T !== this.shape.timeSteps ||
      x.doppler.shape[1] !== T ||
      x.phase.shape[2] !== this.shape.phaseFeatures ||
      x.doppler.shape[2] !== this.shape.dopplerFeatures
    ) {
      throw new ModelError(
        'bad-data',
        `teacher built for phase [B,${this.shape.timeSteps},${this.shape.phaseFeatures}] + doppler [B,${this.shape.timeSteps},${this.shape.dopplerFeatures}], got [${x.phase.shape}] + [${x.doppler.shape}]`,
      );
    }
    const encodePath = (inp0: Tensor3D, pp: PathParams): Tensor => {
      let inp = inp0;
      if (pp.stem.length && this.stem) {
        // [B, T, R·Q] → [B, T, Q, R]: an image of time × bands with one channel per receiver.
        let h: Tensor = tf.transpose(tf.reshape(inp, [B, T, this.stem.R, this.stem.Q]), [0, 1, 3, 2]);
        for (const st of pp.stem)
          h = tf.relu(
            tf.add(tf.conv2d(h as Parameters<Tf['conv2d']>[0], st.w as Parameters<Tf['conv2d']>[1], [1, st.strideBands], 'same'), st.b),
          );
        inp = tf.reshape(h, [B, T, -1]) as Tensor3D;
      }
      const branches = pp.convs.map(cv => tf.relu(tf.add(tf.conv1d(inp, cv.w as Tensor3D, c.stride, 'same'), cv.b)));
      const cat = branches.length > 1 ? tf.concat(branches, 2) : branches[0];
      const Tp = cat.shape[1]!;
      return tf.reshape(tf.add(tf.matMul(tf.reshape(cat, [B * Tp, -1]), pp.proj), pp.projB), [B, Tp, pp.proj.shape[1]!]);
    };
    const Tp = this.tokens;
    const encoded = [x.phase, x.doppler].flatMap((inp, i) => {
      const pp = this.paths[i];
      return pp ? [encodePath(inp, pp)] : [];
    });
    let z: Tensor = tf.add(encoded.length > 1 ? tf.concat(encoded, 2) : encoded[0], this.positions);
    z = tf.reshape(z, [B * Tp, d]);
    const dh = d / c.heads;
    for (const blk of this.blocks) {
      const qkv = tf.add(tf.matMul(layerNorm(tf, z, blk.ln1g, blk.ln1b), blk.wqkv), blk.bqkv);
      const [q, k, v] = tf.split(qkv, 3, 1).map(t => tf.transpose(tf.reshape(t, [B, Tp, c.heads, dh]), [0, 2, 1, 3]));
      const att = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)));
      const ctx = tf.reshape(tf.transpose(tf.matMul(att, v), [0, 2, 1, 3]), [B * Tp, d]);
      z = tf.add(z, tf.add(tf.matMul(ctx, blk.wo), blk.bo));
      const h = tf.relu(tf.add(tf.matMul(layerNorm(tf, z, blk.ln2g, blk.ln2b), blk.w1), blk.b1));
      z = tf.add(z, tf.add(tf.matMul(h, blk.w2), blk.b2));
    }
    let attention: Tensor3D | undefined;
    if (this.cross && this.classEmb) {
      const cr = this.cross,
        C = this.shape.classes;
      const q = tf.matMul(layerNorm(tf, z, cr.lng, cr.lnb), cr.wq); // [B·T', d]
      const keys = tf.matMul(this.classEmb, cr.wk),
        vals = tf.matMul(this.classEmb, cr.wv); // [C, d]
      const a = tf.softmax(tf.mul(tf.matMul(q, keys, false, true), 1 / Math.sqrt(d))); // [B·T', C]
      attention = tf.reshape(a, [B, Tp, C]) as Tensor3D;
      z = tf.add(z, tf.matMul(tf.matMul(a, vals), cr.wo));
    }
    const pooled = layerNorm(tf, tf.mean(tf.reshape(z, [B, Tp, d]), 1), this.lnFg, this.lnFb) as Tensor2D;
    const logits = tf.add(tf.matMul(pooled, this.cls.w), this.cls.b) as Tensor2D;
    const semantic = this.semHead ? (tf.matMul(pooled, this.semHead) as Tensor2D) : undefined;
    return { logits, features: pooled, semantic, attention };
  }

  forwardFlopsPerSample(): number {
    const c = this.config,
      s = this.shape,
      d = c.dModel,
      Tp = this.tokens,
      C = s.classes;
    const ksum = c.kernels.reduce((a, b) => a + b, 0),
      nk = c.kernels.length;
    let f = 0;
    const live = [s.phaseFeatures, s.dopplerFeatures].filter(fin => fin > 0);
    const geo = this.stem;
    f += geo?.flops ?? 0;
    const ins = [s.phaseFeatures, geo ? geo.outFeatures : 0].filter(fin => fin > 0);
    for (const fin of ins) f += 2 * Tp * ksum * fin * c.branchFilters + 2 * Tp * nk * c.branchFilters * (d / live.length);
    f += c.blocks * (2 * Tp * d * 3 * d + 2 * 2 * Tp * Tp * d + 2 * Tp * d * d + 2 * 2 * Tp * d * c.ffn);
    if (this.classEmb) {
      const E = this.classEmb.shape[1];
      // Cross-attention: queries, keys and values of the C classes, scores and mix, output projection; semantic head.
      if (this.cross) f += 2 * Tp * d * d + 2 * 2 * C * E * d + 2 * 2 * Tp * C * d + 2 * Tp * d * d;
      f += 2 * d * E;
    }
    return f + 2 * d * C;
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
    this.variables.length = 0;
    this.positions.dispose();
    this.classEmb?.dispose();
  }
}

export function layerNorm(tf: Tf, x: Tensor, gamma: Tensor, beta: Tensor): Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta);
}

/** Fixed sinusoidal position code [T, d] (Vaswani et al.): no parameters, so it adds nothing to the size budget. */
function sinusoid(tf: Tf, T: number, d: number): Tensor2D {
  const a = new Float32Array(T * d);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < d; i += 2) {
      const w = t / Math.pow(10000, i / d);
      a[t * d + i] = Math.sin(w);
      if (i + 1 < d) a[t * d + i + 1] = Math.cos(w);
    }
  }
  return tf.tensor2d(a, [T, d]);
}
