// Turns the run store's metrics (runner.RunMetrics, as written to <run>/metrics.json) into what the notebook
// renderer and the comparison panel draw. Pure: the comparison panel's numbers are exactly the run store's
// numbers, which the integration test checks by reading metrics.json itself.
import type { RunMetrics, StepRecord } from '../../core/experiment/runner';
import type { EpochStats } from '../../core/model/train/train';
import type { StepKind } from '../../core/experiment/notebookFile';
import type {
  ComparisonView,
  ConfusionView,
  CurvesView,
  ModelSummaryView,
  PerDomainView,
  StepResultView,
  TableView,
} from '../../shared/experimentView';

const pct = (x: number) => Math.round(x * 1000) / 10;

/** Class names of a run (from its dataset step), or c0…cN-1 when the run has none recorded. */
export function runClasses(m: RunMetrics, n = 0): string[] {
  const ds = m.steps.find(s => s.type === 'dataset');
  const c = ds?.info.classes;
  return Array.isArray(c) ? c.map(String) : Array.from({ length: n }, (_, i) => `c${i}`);
}

function historyCurves(id: string, h: EpochStats[]): CurvesView[] {
  if (!h.length) return [];
  const x = h.map(e => e.epoch);
  // Validation series when the run measured them (runs before it did have none): NaN where an epoch lacks them.
  const val = h.some(e => e.val)
    ? [
        { name: 'val loss', y: h.map(e => e.val?.loss ?? NaN) },
        { name: 'val accuracy', y: h.map(e => e.val?.acc ?? NaN), axis: 'y2' as const },
      ]
    : [];
  return [
    {
      title: `${id}: loss and accuracy (train${val.length ? ', validation' : ''})`,
      x,
      xLabel: 'epoch',
      series: [{ name: 'loss', y: h.map(e => e.loss) }, { name: 'train accuracy', y: h.map(e => e.acc), axis: 'y2' }, ...val],
    },
    { title: `${id}: learning rate`, x, xLabel: 'epoch', series: [{ name: 'learning rate', y: h.map(e => e.lr) }] },
  ];
}

function perDomainViews(m: RunMetrics, models: string[]): PerDomainView[] {
  const factors = new Set<string>();
  for (const k of models) for (const f of Object.keys(m.evaluations[k]?.perDomain ?? {})) factors.add(f);
  return [...factors].map(factor => {
    const values = [...new Set(models.flatMap(k => Object.keys(m.evaluations[k]?.perDomain[factor] ?? {})))].sort((a, b) =>
      a.localeCompare(b, undefined, { numeric: true }),
    );
    return {
      title: `accuracy per ${factor}`,
      factor,
      values,
      series: models.map(k => ({ name: k, accuracy: values.map(v => m.evaluations[k]?.perDomain[factor]?.[v]?.accuracy ?? NaN) })),
    };
  });
}

function modelTable(m: RunMetrics, models: string[]): TableView {
  return {
    title: 'test results',
    columns: ['model', 'accuracy %', 'macro-F1', 'params', 'MFLOPs', 'size kB', 'latency ms'],
    rows: models
      .filter(k => m.evaluations[k])
      .map(k => {
        const e = m.evaluations[k];
        return [
          k,
          pct(e.accuracy),
          Number(e.macroF1.toFixed(3)),
          e.params,
          Number((e.flops / 1e6).toFixed(3)),
          Number((e.sizeBytes / 1024).toFixed(1)),
          Number(e.latencyMs.toFixed(2)),
        ];
      }),
  };
}

/**
 * 2-D PCA of row vectors (power iteration with deflation on the centred covariance; exact enough for a picture,
 * and dependency-free). Rows are class embeddings here, so the matrix is tiny (C × dims).
 */
export function pca2(rows: readonly (readonly number[])[]): [number, number][] {
  const n = rows.length,
    d = rows[0]?.length ?? 0;
  if (n === 0 || d === 0) return [];
  const mean = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / n;
  const X = rows.map(r => r.map((v, j) => v - mean[j]));
  const comps: number[][] = [];
  for (let c = 0; c < 2; c++) {
    let v = Array.from({ length: d }, (_, j) => Math.sin(j + 1 + c)); // deterministic start
    for (let it = 0; it < 200; it++) {
      const xv = X.map(r => r.reduce((a, x, j) => a + x * v[j], 0));
      const w = new Array<number>(d).fill(0);
      X.forEach((r, i) => {
        for (let j = 0; j < d; j++) w[j] += r[j] * xv[i];
      });
      for (const p of comps) {
        const dot = w.reduce((a, x, j) => a + x * p[j], 0);
        for (let j = 0; j < d; j++) w[j] -= dot * p[j];
      }
      const norm = Math.hypot(...w);
      if (norm < 1e-12) break;
      v = w.map(x => x / norm);
    }
    comps.push(v);
  }
  return X.map(r => [r.reduce((a, x, j) => a + x * comps[0][j], 0), r.reduce((a, x, j) => a + x * comps[1][j], 0)]);
}

/** The view of one finished step of a run. */
export function stepView(
  m: RunMetrics,
  runDir: string,
  s: StepRecord,
  prior?: { similarity?: number[][]; embeddings?: number[][] },
): StepResultView {
  const priorSimilarity = prior?.similarity;
  const base = { id: s.id, type: s.type as StepKind, hash: s.hash, reused: s.reused, seconds: s.seconds, runId: m.id, runDir };
  const info = s.info as Record<string, unknown>;
  const reused = s.reused ? ' (reused from cache)' : '';
  // Split warnings and the runner's notes (e.g. the amplitude level across domains) end the step's summary.
  const notes = [...((info.warnings as string[] | undefined) ?? []), ...((info.notes as string[] | undefined) ?? [])]
    .map(n => ` Note: ${n}.`)
    .join('');
  switch (s.type) {
    case 'dataset': {
      const sp = m.split;
      return {
        ...base,
        summary: `${info.samples} samples, ${(info.classes as unknown[] | undefined)?.length ?? '?'} classes (layout ${info.layout}); ${sp?.description ?? ''}${notes}`,
        tables: sp ? [{ title: 'split', columns: ['split', 'train', 'val', 'test'], rows: [[sp.name, sp.train, sp.val, sp.test]] }] : [],
      };
    }
    case 'features':
      return {
        ...base,
        summary: `${info.samples} samples → phase ${info.F1} + Doppler ${info.F2} features per step; ${info.skippedCount ?? 0} skipped${notes}`,
      };
    case 'prior': {
      const classes = (info.classes as string[] | undefined) ?? [];
      return {
        ...base,
        summary: `${info.provider}, ${info.dims} dims, ${classes.length} classes`,
        confusions: priorSimilarity ? [{ title: 'class similarity (semantic prior)', labels: classes, matrix: priorSimilarity }] : [],
        embeddings: prior?.embeddings?.length
          ? [
              {
                title: 'class semantic embeddings (PCA, 2-D)',
                points: pca2(prior.embeddings).map(([x, y], i) => ({ x, y, label: classes[i] ?? `c${i}` })),
              },
            ]
          : [],
      };
    }
    case 'teacher':
    case 'student': {
      const h = (info.history as EpochStats[] | undefined) ?? [];
      const last = h[h.length - 1];
      const val = last?.val ? `, validation accuracy ${pct(last.val.acc)} %` : '';
      // The objective in words comes from the step's own settings (runner steps/models.ts objectiveText).
      const objective = typeof info.objective === 'string' ? `. Objective: ${info.objective}` : '';
      return {
        ...base,
        summary: `${info.kind}: ${info.params} parameters, ${((info.flops as number) / 1e6).toFixed(2)} MFLOPs/sample; ${h.length} epochs${reused}${last ? `, final loss ${last.loss.toFixed(4)}, train accuracy ${pct(last.acc)} %${val}` : ''}${objective}`,
        curves: historyCurves(s.id, h),
      };
    }
    case 'evaluate': {
      const models = Object.keys(m.evaluations);
      const classes = runClasses(m, m.evaluations[models[0]]?.confusion.length ?? 0);
      return {
        ...base,
        summary:
          models.map(k => `${k} ${pct(m.evaluations[k].accuracy)} %`).join(', ') +
          (m.chance !== undefined ? ` (chance ${pct(m.chance)} %)` : ''),
        tables: [modelTable(m, models)],
        confusions: models.map((k): ConfusionView => ({
          title: `${k}: confusion (rows true, columns predicted)`,
          labels: classes,
          matrix: m.evaluations[k].confusion,
        })),
        perDomain: perDomainViews(m, models),
      };
    }
    case 'compare': {
      const models = m.table.map(r => r.model);
      return {
        ...base,
        summary: m.table
          .map(
            r =>
              `${r.model}: ${pct(r.accuracy)} %, ${r.params} params, ${(r.sizeBytes / 1024).toFixed(1)} kB, ${r.latencyMs.toFixed(2)} ms`,
          )
          .join(' · '),
        tables: [
          {
            title: 'teacher vs student',
            columns: ['model', 'kind', 'accuracy %', 'macro-F1', 'params', 'MFLOPs', 'size kB', 'latency ms', 'epochs trained', 'this run'],
            rows: m.table.map(r => [
              r.model,
              r.kind,
              pct(r.accuracy),
              Number(r.macroF1.toFixed(3)),
              r.params,
              Number((r.flops / 1e6).toFixed(3)),
              Number((r.sizeBytes / 1024).toFixed(1)),
              Number(r.latencyMs.toFixed(2)),
              epochsTrained(m, r),
              r.epochsRun === 0 ? 'reused from cache' : `trained ${r.epochsRun} epochs`,
            ]),
          },
        ],
        perDomain: perDomainViews(m, models),
      };
    }
  }
  return { ...base, summary: '' };
}

/** Epochs a model of the table has been trained in all: stored since runner@4's table, else its step's history. */
function epochsTrained(m: RunMetrics, r: RunMetrics['table'][number]): number {
  if (r.epochs !== undefined) return r.epochs;
  const h = m.steps.find(s => s.id === r.model)?.info.history;
  return Array.isArray(h) ? h.length : r.epochsRun;
}

/** One evaluated model of a run as the comparison panel shows it; undefined when the run did not evaluate it. */
export function modelSummary(m: RunMetrics, model: string): ModelSummaryView | undefined {
  const e = m.evaluations[model];
  if (!e) return undefined;
  const classes = runClasses(m, e.confusion.length);
  const testName = m.split ? `test (${m.split.name})` : 'test';
  return {
    name: model,
    params: e.params,
    sizeBytes: e.sizeBytes,
    flops: e.flops,
    latencyMs: e.latencyMs,
    epochs: (() => {
      const h = m.steps.find(s => s.id === model)?.info.history;
      return Array.isArray(h) ? h.length : null;
    })(),
    accuracy: { [testName]: e.accuracy },
    macroF1: e.macroF1,
    confusion: { title: `${model}: confusion`, labels: classes, matrix: e.confusion },
    perDomain: Object.fromEntries(
      Object.entries(e.perDomain).map(([f, vals]) => [f, Object.fromEntries(Object.entries(vals).map(([v, x]) => [v, x.accuracy]))]),
    ),
  };
}

/**
 * Agreement of two models from their confusion matrices alone is not defined (it needs per-sample predictions,
 * which the run store does not keep), so it is only given when the runner recorded predictions for both.
 */
export function agreementOf(a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined): number | null {
  if (!a || !b || a.length !== b.length || a.length === 0) return null;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

export function comparison(ma: RunMetrics, modelA: string, mb: RunMetrics, modelB: string): ComparisonView | string {
  const a = modelSummary(ma, modelA),
    b = modelSummary(mb, modelB);
  if (!a) return `run ${ma.id} has no evaluation of "${modelA}" (evaluated: ${Object.keys(ma.evaluations).join(', ') || 'none'})`;
  if (!b) return `run ${mb.id} has no evaluation of "${modelB}" (evaluated: ${Object.keys(mb.evaluations).join(', ') || 'none'})`;
  const preds = (m: RunMetrics, k: string) => (m.evaluations[k] as unknown as { predictions?: number[] }).predictions;
  return {
    title: ma.id === mb.id ? `${modelA} vs ${modelB} (${ma.id})` : `${ma.id}/${modelA} vs ${mb.id}/${modelB}`,
    a,
    b,
    agreement: ma.id === mb.id ? agreementOf(preds(ma, modelA), preds(mb, modelB)) : null,
    source: { a: `${ma.id}/${modelA}`, b: `${mb.id}/${modelB}` },
  };
}
