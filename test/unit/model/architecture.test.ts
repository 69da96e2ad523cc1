// Teacher/student shapes, parameter and FLOP counts against the architecture, and the size budget of the issue
// (student ≥ 5× fewer parameters AND FLOPs than the teacher, at the default configurations and a Widar-like input).
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_STUDENT, Student } from '../../../src/core/model/nets/student';
import { DEFAULT_TEACHER, Teacher } from '../../../src/core/model/nets/teacher';
import { ModelError } from '../../../src/core/model/errors';

const classEmb = (C: number, E: number) => Array.from({ length: C }, (_, c) => Float32Array.from({ length: E }, (_, e) => Math.cos(c + e)));

describe('model: teacher and student architecture', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('cross-modal attention is [B, T′, C] with rows summing to 1; outputs have the documented shapes', () => {
    const shape = { timeSteps: 10, phaseFeatures: 3, dopplerFeatures: 5, classes: 4 };
    const t = new Teacher(
      tf,
      shape,
      { ...DEFAULT_TEACHER, dModel: 8, heads: 2, ffn: 8, branchFilters: 4, blocks: 1, stride: 2 },
      1,
      classEmb(4, 6),
    );
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const o = t.forward({
        phase: tf.randomNormal([2, 10, 3], 0, 1, 'float32', 1) as tf.Tensor3D,
        doppler: tf.randomNormal([2, 10, 5], 0, 1, 'float32', 2) as tf.Tensor3D,
      });
      assert.deepEqual(o.logits.shape, [2, 4]);
      assert.deepEqual(o.features.shape, [2, 8]);
      assert.deepEqual(o.semantic!.shape, [2, 6]);
      assert.deepEqual(o.attention!.shape, [2, 5, 4]);
      const sums = tf.sum(o.attention!, 2).dataSync();
      for (const s of sums) assert.ok(Math.abs(s - 1) < 1e-5);
    });
    assert.equal(tf.memory().numTensors, before);
    t.dispose();
  });

  it('teacher without semantics has no attention/semantic head and fewer parameters', () => {
    const shape = { timeSteps: 8, phaseFeatures: 3, dopplerFeatures: 5, classes: 4 };
    const cfg = { ...DEFAULT_TEACHER, dModel: 8, heads: 2, ffn: 8, branchFilters: 4, blocks: 1 };
    const a = new Teacher(tf, shape, cfg, 1, classEmb(4, 6));
    const b = new Teacher(tf, shape, { ...cfg, semantic: false }, 1);
    const o = b.forward({ phase: tf.zeros([1, 8, 3]) as tf.Tensor3D, doppler: tf.zeros([1, 8, 5]) as tf.Tensor3D });
    assert.equal(o.attention, undefined);
    assert.equal(o.semantic, undefined);
    // Cross-attention LN (2d) + Wq, Wo (d²) + Wk, Wv (E·d) + semantic head (d·E).
    assert.equal(a.parameterCount - b.parameterCount, 2 * 8 + 2 * 64 + 2 * 6 * 8 + 8 * 6);
    assert.throws(() => new Teacher(tf, shape, cfg, 1), ModelError);
    a.dispose();
    b.dispose();
  });

  it('crossAttention false drops only the cross-attention: the semantic head, its parameters and FLOPs stay', () => {
    const shape = { timeSteps: 8, phaseFeatures: 3, dopplerFeatures: 5, classes: 4 };
    const cfg = { ...DEFAULT_TEACHER, dModel: 8, heads: 2, ffn: 8, branchFilters: 4, blocks: 1, stride: 2 };
    const full = new Teacher(tf, shape, cfg, 1, classEmb(4, 6));
    const noAtt = new Teacher(tf, shape, { ...cfg, crossAttention: false }, 1, classEmb(4, 6));
    const none = new Teacher(tf, shape, { ...cfg, semantic: false }, 1);
    tf.tidy(() => {
      const o = noAtt.forward({ phase: tf.zeros([2, 8, 3]) as tf.Tensor3D, doppler: tf.zeros([2, 8, 5]) as tf.Tensor3D });
      assert.equal(o.attention, undefined);
      assert.deepEqual(o.semantic!.shape, [2, 6]);
      assert.ok(noAtt.classEmbeddings, 'the class embeddings stay for the alignment loss');
    });
    // Cross-attention: LN (2d) + Wq, Wo (d²) + Wk, Wv (E·d); the semantic head (d·E) is what separates it from none.
    assert.equal(full.parameterCount - noAtt.parameterCount, 2 * 8 + 2 * 64 + 2 * 6 * 8);
    assert.equal(noAtt.parameterCount - none.parameterCount, 8 * 6);
    // FLOPs: T′ = 4 tokens, d = 8, C = 4, E = 6: queries and output projection 2·(2·T′·d²), keys and values 2·(2·C·E·d),
    // scores and mix 2·(2·T′·C·d); the semantic head 2·d·E.
    assert.equal(full.forwardFlopsPerSample() - noAtt.forwardFlopsPerSample(), 2 * 2 * 4 * 64 + 2 * 2 * 4 * 6 * 8 + 2 * 2 * 4 * 4 * 8);
    assert.equal(noAtt.forwardFlopsPerSample() - none.forwardFlopsPerSample(), 2 * 8 * 6);
    for (const t of [full, noAtt, none]) t.dispose();
  });

  it('a teacher for Doppler-only inputs (no phase features) builds one path of full width and gives finite outputs', () => {
    const cfg = { ...DEFAULT_TEACHER, dModel: 8, heads: 2, ffn: 8, branchFilters: 4, blocks: 1, semantic: false, kernels: [3, 5] };
    const one = new Teacher(tf, { timeSteps: 8, phaseFeatures: 0, dopplerFeatures: 5, classes: 4 }, cfg, 1);
    const two = new Teacher(tf, { timeSteps: 8, phaseFeatures: 5, dopplerFeatures: 5, classes: 4 }, cfg, 1);
    // Two paths of d/2 vs one of d: convs (3+5)·5·4 + 2·4 each; projection 8·(d/2) + d/2 vs 8·d + d.
    const conv = (3 + 5) * 5 * 4 + 2 * 4;
    assert.equal(two.parameterCount - one.parameterCount, conv + (8 * 4 + 4) * 2 - (8 * 8 + 8));
    tf.tidy(() => {
      const o = one.forward({
        phase: tf.zeros([2, 8, 0]) as tf.Tensor3D,
        doppler: tf.randomNormal([2, 8, 5], 0, 1, 'float32', 3) as tf.Tensor3D,
      });
      assert.deepEqual(o.logits.shape, [2, 4]);
      assert.ok(Array.from(o.logits.dataSync()).every(Number.isFinite));
    });
    assert.throws(() => new Teacher(tf, { timeSteps: 8, phaseFeatures: 0, dopplerFeatures: 0, classes: 4 }, cfg, 1), ModelError);
    one.dispose();
    two.dispose();
  });

  it('student parameter count follows the architecture and FLOPs follow the conv output lengths', () => {
    const shape = { timeSteps: 64, phaseFeatures: 60, dopplerFeatures: 180, dopplerBands: 30, classes: 6 };
    const [f1, f2] = DEFAULT_STUDENT.filters,
      [k1, k2] = DEFAULT_STUDENT.kernels;
    const flat = new Student(tf, shape, { ...DEFAULT_STUDENT, dopplerStem: [] }, 1);
    let F = 240;
    assert.equal(flat.parameterCount, k1 * F * f1 + f1 + k2 * f1 * f2 + f2 + f2 * 6 + 6);
    assert.equal(flat.forwardFlopsPerSample(), 2 * 32 * k1 * F * f1 + 2 * 16 * k2 * f1 * f2 + 2 * f2 * 6);
    flat.dispose();
    // Doppler stem of 8 filters: 3×3 over (time × 30 bands) with 6 receivers in, bands halved → 15 × 8 features.
    const s = new Student(tf, shape, { ...DEFAULT_STUDENT, dopplerStem: [8] }, 1);
    F = 60 + 15 * 8;
    assert.equal(s.parameterCount, 9 * 6 * 8 + 8 + k1 * F * f1 + f1 + k2 * f1 * f2 + f2 + f2 * 6 + 6);
    assert.equal(s.forwardFlopsPerSample(), 2 * 64 * 15 * 9 * 6 * 8 + 2 * 32 * k1 * F * f1 + 2 * 16 * k2 * f1 * f2 + 2 * f2 * 6);
    s.dispose();
  });

  it('default student is ≥ 5× smaller than the default teacher in parameters AND FLOPs', () => {
    // Widar-like input: 6 receivers × 2 ratio pairs × 5 subcarriers of phase (or none: Doppler only); 6 × 30
    // pooled Doppler bands; 32 steps.
    for (const phaseFeatures of [60, 0]) {
      const shape = { timeSteps: 32, phaseFeatures, dopplerFeatures: 180, dopplerBands: 30, classes: 6 };
      const t = new Teacher(tf, shape, DEFAULT_TEACHER, 1, classEmb(6, 100));
      const s = new Student(tf, shape, DEFAULT_STUDENT, 1);
      const pr = t.parameterCount / s.parameterCount,
        fr = t.forwardFlopsPerSample() / s.forwardFlopsPerSample();
      assert.ok(pr >= 5, `parameter ratio ${pr.toFixed(2)} (phase ${phaseFeatures})`);
      assert.ok(fr >= 5, `FLOP ratio ${fr.toFixed(2)} (phase ${phaseFeatures})`);
      t.dispose();
      s.dispose();
    }
  });
});
