// The GLSDA loss terms, written as plain tf ops so each can be checked against hand-computed values:
//   softCrossEntropy   −mean_b Σ_c q_bc · log softmax(z_b)_c       (one-hot, semantic soft labels or controls)
//   distillationKL     T² · mean_b Σ_c p^T_bc · (log p^T_bc − log p^S_bc),  p^· = softmax(z/T)  (Hinton KD: the T²
//                      keeps the gradient scale independent of T)
//   featureMSE         mean over all elements of (a − b)²
//   infoNCE            softCrossEntropy(onehot(y), cos(u_b, e_c)/τ): pooled embedding u aligned with the class
//                      semantic embeddings e (the class set is the negatives, as in CLIP-style alignment)
import type { Scalar, Tensor, Tensor2D, Tf } from '../nets/net';

export function softCrossEntropy(tf: Tf, targets: Tensor2D, logits: Tensor2D): Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))) as Scalar);
}

export function distillationKL(tf: Tf, teacherLogits: Tensor2D, studentLogits: Tensor2D, temperature: number): Scalar {
  return tf.tidy(() => {
    const lt = tf.logSoftmax(tf.div(teacherLogits, temperature));
    const ls = tf.logSoftmax(tf.div(studentLogits, temperature));
    const kl = tf.sum(tf.mul(tf.exp(lt), tf.sub(lt, ls)), 1);
    return tf.mul(tf.mean(kl), temperature * temperature) as Scalar;
  });
}

export function featureMSE(tf: Tf, a: Tensor, b: Tensor): Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(a, b))) as Scalar);
}

/** Row-wise L2 normalisation with a floor, so an all-zero row stays finite. */
export function l2Normalize(tf: Tf, x: Tensor2D): Tensor2D {
  return tf.tidy(() => tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), 1, true), 1e-12))) as Tensor2D);
}

/** Cosine-similarity logits [B, C] between embeddings u [B, E] and class embeddings e [C, E], divided by τ. */
export function cosineLogits(tf: Tf, u: Tensor2D, classEmb: Tensor2D, tau: number): Tensor2D {
  return tf.tidy(() => tf.div(tf.matMul(l2Normalize(tf, u), l2Normalize(tf, classEmb), false, true), tau) as Tensor2D);
}

export function infoNCE(tf: Tf, u: Tensor2D, classEmb: Tensor2D, oneHot: Tensor2D, tau: number): Scalar {
  return tf.tidy(() => softCrossEntropy(tf, oneHot, cosineLogits(tf, u, classEmb, tau)));
}
