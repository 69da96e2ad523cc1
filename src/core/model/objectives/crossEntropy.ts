// Plain cross-entropy on one-hot labels for any Net: the objective of a baseline that has neither a teacher to
// distil from nor a semantic prior (src/core/model/objectives.ts ties its objectives to the Teacher and Student
// classes). Built from the model area's loss and batching helpers, so it drives the project's training loop.
import { softCrossEntropy } from './losses';
import type { Objective } from './objectives';
import type { Net, Tf } from '../nets/net';
import { batchInput, oneHotRows } from '../../features/tensorDataset';

export function crossEntropyObjective(tf: Tf, net: Net): Objective {
  return {
    net,
    variables: net.variables,
    step(data, idx) {
      const out = net.forward(batchInput(tf, data, idx));
      const ce = softCrossEntropy(tf, oneHotRows(tf, data.labels, data.classes.length, idx), out.logits);
      return { loss: ce, logits: out.logits, parts: { ce } };
    },
    dispose() {
      /* no tensors of its own */
    },
  };
}
