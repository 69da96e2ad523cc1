// The evaluate and compare step kinds. Evaluate measures each trained model once on the test split (accuracy,
// per-domain accuracy, batch-1 latency, per-sample predictions) into metrics.evaluations; compare only lays those
// measurements side by side (metrics.table), so every number of the comparison is the evaluation's number.
import * as path from 'path';
import { batch1LatencyMs, evaluate } from '../../model/evaluate';
import type { Student } from '../../model/nets/student';
import type { Teacher } from '../../model/nets/teacher';
import { ExperimentError } from '../errors';
import { predictionRows, writePredictions } from '../predictions';
import type { CompareStep, EvaluateStep } from '../spec';
import { EventFileWriter } from '../tfevents';
import type { ModelRow, StepContext } from './types';

export async function evaluateStep(c: StepContext, step: EvaluateStep): Promise<void> {
  const { tf, metrics, paths, models, features, emit } = c;
  const ids = step.models ?? [...models.keys()];
  for (const m of ids) {
    const st = models.get(m);
    if (!st) throw new ExperimentError('bad-spec', `evaluate: "${m}" is not a trained model step`);
    const fsState =
      [...features.values()].find(f => f.data.T === (st.net as Teacher | Student).shape.timeSteps) ?? [...features.values()][0];
    // An empty test set would report 0 % as if it were a measurement.
    if (!fsState.test.length)
      throw new ExperimentError('bad-spec', `evaluate: no test samples for "${m}" (the dataset step's split left its test part empty)`);
    const factors = step.factors ?? Object.keys(fsState.data.domains[0] ?? {}).filter(k => k !== 'repetition' && k !== 'date');
    const ev = await evaluate(tf, st.net, fsState.data, fsState.test, factors);
    const latencyMs = await batch1LatencyMs(tf, st.net, fsState.data, step.latencyRepeats ?? 20);
    const { pred: _p, logits: _l, ...rest } = ev;
    metrics.evaluations[m] = {
      ...rest,
      latencyMs,
      params: st.net.parameterCount,
      flops: st.net.forwardFlopsPerSample(),
      sizeBytes: st.sizeBytes,
    };
    // Per-sample predictions: what the comparison panel's agreement and McNemar test are computed from.
    await writePredictions(
      paths.run,
      m,
      predictionRows(fsState.data.ids, fsState.data.labels, fsState.data.classes, fsState.test, ev.pred, ev.logits),
    );
    const w = new EventFileWriter(path.join(paths.tb, m));
    await w.scalars(st.history.length, { 'test/accuracy': ev.accuracy, 'test/macro_f1': ev.macroF1 });
    emit({
      kind: 'log',
      step: step.id,
      message: `${m}: test accuracy ${(100 * ev.accuracy).toFixed(1)} %, macro-F1 ${ev.macroF1.toFixed(3)}, ${st.net.parameterCount} params, ${latencyMs.toFixed(2)} ms batch-1`,
    });
  }
}

export function compareStep(c: StepContext, step: CompareStep): void {
  const { metrics, models } = c;
  const ids = step.models ?? Object.keys(metrics.evaluations);
  metrics.table = ids
    .filter(m => metrics.evaluations[m])
    .map((m): ModelRow => {
      const e = metrics.evaluations[m],
        st = models.get(m)!;
      return {
        model: m,
        kind: st.kind,
        accuracy: e.accuracy,
        macroF1: e.macroF1,
        params: e.params,
        flops: e.flops,
        sizeBytes: e.sizeBytes,
        latencyMs: e.latencyMs,
        epochsRun: st.epochsRun,
        epochs: st.history.length,
        perDomain: e.perDomain,
      };
    });
}
