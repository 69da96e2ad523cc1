// A hand-built run store of two runs over the same 30 test samples, whose per-sample predictions are constructed
// so the paired numbers are known by design: 18 both right, 7 only A right, 1 only B right, 4 both wrong (2 of
// them the same wrong class) → agreement 20/30, McNemar exact p = 2·(1 + 8)/2⁸ = 0.0703125.
// Used by the compare-task unit test and the comparison-panel integration test (no training needed).
import * as fs from 'fs';
import * as path from 'path';

export const PAIRED_EXPECTED = { n: 30, bothRight: 18, onlyA: 7, onlyB: 1, bothWrong: 4, agreement: 20 / 30, pValue: 18 / 256 };

const CLASSES = ['push', 'pull', 'clap'];

function metrics(id: string, model: string, truth: number[], pred: number[]) {
  const confusion = CLASSES.map(() => CLASSES.map(() => 0));
  truth.forEach((t, i) => confusion[t][pred[i]]++);
  const accuracy = truth.filter((t, i) => t === pred[i]).length / truth.length;
  return {
    id,
    name: id,
    status: 'done',
    chance: 1 / 3,
    split: { name: 'random', description: 'constructed', train: 0, val: 0, test: truth.length },
    steps: [{ id: 'data', type: 'dataset', hash: 'h', seconds: 0, reused: false, info: { classes: CLASSES } }],
    evaluations: {
      [model]: {
        n: truth.length,
        accuracy,
        macroF1: 0.5,
        perClassF1: [0.5, 0.5, 0.5],
        confusion,
        perDomain: {},
        latencyMs: 1,
        params: 100,
        flops: 1000,
        sizeBytes: 400,
      },
    },
    table: [],
  };
}

/** Writes <root>/.csi-workbench/runs/{runA,runB}; returns the two run folders (model "teacher" in A, "student" in B). */
export function writePairedRunStore(root: string): { runA: string; runB: string } {
  const truth: number[] = [],
    predA: number[] = [],
    predB: number[] = [];
  const wrong = (t: number, k = 1) => (t + k) % 3;
  for (let i = 0; i < 30; i++) {
    const t = i % 3;
    truth.push(t);
    if (i < 18) {
      predA.push(t);
      predB.push(t);
    } // both right
    else if (i < 25) {
      predA.push(t);
      predB.push(wrong(t));
    } // only A right
    else if (i < 26) {
      predA.push(wrong(t));
      predB.push(t);
    } // only B right
    else if (i < 28) {
      predA.push(wrong(t));
      predB.push(wrong(t));
    } // both wrong, same class
    else {
      predA.push(wrong(t));
      predB.push(wrong(t, 2));
    } // both wrong, different classes
  }
  const out = { runA: '', runB: '' };
  for (const [key, id, model, pred] of [
    ['runA', '20260101T000000-paired-a', 'teacher', predA],
    ['runB', '20260101T000001-paired-b', 'student', predB],
  ] as const) {
    const dir = path.join(root, '.csi-workbench', 'runs', id);
    fs.mkdirSync(path.join(dir, 'predictions'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'metrics.json'), JSON.stringify(metrics(id, model, truth, pred)));
    // Rows in a different order in each file: the comparison joins by sample id, not by position.
    const order = key === 'runA' ? truth.map((_, i) => i) : truth.map((_, i) => 29 - i);
    fs.writeFileSync(
      path.join(dir, 'predictions', `${model}.csv`),
      ['sample,true,predicted,top_probability', ...order.map(i => `user1/s${i}.dat,${CLASSES[truth[i]]},${CLASSES[pred[i]]},0.8`)].join(
        '\n',
      ) + '\n',
    );
    out[key] = dir;
  }
  return out;
}
