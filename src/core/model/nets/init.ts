// Seeded parameter initialisation shared by the hand-written networks: Glorot-uniform weights and constant
// biases, each variable drawing from its own seed (base seed + running counter) so a model is a pure function of
// (architecture, seed) on every backend — the basis of the "resume equals uninterrupted run" guarantee.
import type { Tf, Variable } from './net';

export class ParamFactory {
  readonly variables: Variable[] = [];
  private next: number;

  constructor(
    private readonly tf: Tf,
    seed: number,
  ) {
    this.next = seed * 1000 + 1;
  }

  glorot(shape: number[], fanIn: number, fanOut: number): Variable {
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    return this.keep(this.tf.variable(this.tf.randomUniform(shape, -lim, lim, 'float32', this.next++)));
  }

  constant(shape: number[], v: number): Variable {
    return this.keep(this.tf.variable(this.tf.fill(shape, v)));
  }

  private keep(v: Variable): Variable {
    this.variables.push(v);
    return v;
  }
}

export function countParams(vars: readonly Variable[]): number {
  return vars.reduce((n, v) => n + v.size, 0);
}
