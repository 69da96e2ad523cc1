// A baseline classifier over a table of samples (a feature row per recording with its label and domain factors), so
// the pooled-DFS CNN and softmax regression are scored on exactly the same folds as each other and as the GLSDA
// models.
import { predictSoftmax, trainSoftmax, type TrainOptions } from './softmaxRegression';

export interface Row {
  x: Float32Array;
  label: number;
  user: number;
  room: number;
  location: number;
  orientation: number;
}

/** Trains on `train` and returns the accuracy on `test`. */
export type Classifier = (train: Row[], test: Row[], nClasses: number) => Promise<number>;

/** Softmax regression (softmaxRegression.ts) as a Classifier. */
export function softmaxClassifier(o: TrainOptions = {}): Classifier {
  return async (train, test, nClasses) => {
    const m = trainSoftmax(
      train.map(r => r.x),
      train.map(r => r.label),
      nClasses,
      o,
    );
    return test.filter(r => predictSoftmax(m, r.x) === r.label).length / test.length;
  };
}
