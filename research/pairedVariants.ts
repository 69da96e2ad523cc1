// The loop shared by the benches that compare model variants inside one run per (split, seed) (glsda-teacher-ablation,
// glsda-augment): variants of one architecture share initial weights and batch order under a seed, so their per-seed
// differences are paired. Runs every split and seed, prints each run's accuracies, writes the JSON after every split
// (results of splits not run this time are kept), and ends with each contrast's mean paired difference over all.
import * as fs from 'fs';
import type { SplitDef } from './glsdaSteps';
import { runExperiment } from '../src/core/experiment/runner';
import { machineFacts } from '../src/core/experiment/runStore';
import { selectEngine } from '../src/core/engine/selectEngine';

/** [what, a, b]: the paired difference accuracy(a) − accuracy(b). */
export type Contrast = [string, string, string];

export interface PairedVariantsBench {
  benchmark: string;
  outFile: string;
  workspace: string;
  defs: SplitDef[];
  seeds: number[];
  simProvenance?: Record<string, unknown>;
  /** The model steps of one run (ids are the variant names). */
  models: (d: SplitDef) => Record<string, unknown>[];
  contrasts: Contrast[];
  /** Extra fields of a variant's row (e.g. its settings). */
  rowExtra?: (model: Record<string, unknown>) => Record<string, unknown>;
  /** Extra top-level fields of the JSON (settings of the bench). */
  header: Record<string, unknown>;
}

const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const r4 = (x: number) => +x.toFixed(4);

export async function runPairedVariants(b: PairedVariantsBench): Promise<void> {
  const engine = await selectEngine({ prefer: 'wasm' });
  const prev = fs.existsSync(b.outFile) ? (JSON.parse(fs.readFileSync(b.outFile, 'utf8')) as { results?: Record<string, unknown>[] }) : {};
  const results: Record<string, unknown>[] = [];
  const t0 = Date.now();
  for (const d of b.defs) {
    const perSeed: Record<string, number[]> = {};
    const runIds: string[] = [];
    const ms = b.models(d);
    for (const seed of b.seeds) {
      console.log(`\n== ${d.dataset} ${d.label} seed ${seed}`);
      const steps = [
        { id: 'data', type: 'dataset', folder: d.folder, split: d.split },
        { id: 'features', type: 'features', timeSteps: 32, phaseSubcarrierStride: 6, dopplerBands: 30, amplitudeGroups: 30, ...d.features },
        { id: 'prior', type: 'prior', alpha: 0.15, tau: 1 },
        ...ms,
        { id: 'eval', type: 'evaluate', factors: d.factors, latencyRepeats: 1 },
        { id: 'compare', type: 'compare' }, // fills metrics.table
      ];
      const r = await runExperiment(
        { name: `${b.benchmark}-${d.dataset}-${d.label}-s${seed}`, seed, steps },
        {
          workspace: b.workspace,
          tf: engine.tf,
          engineInfo: engine.info,
          onEvent: e => {
            if (e.kind === 'step-start') console.log(`  ${e.step}…`);
          },
        },
      );
      if (r.metrics.table.length !== ms.length)
        throw new Error(
          `${d.label} seed ${seed}: expected ${ms.length} models in the run's table, got ${r.metrics.table.length} (${r.metrics.status}${r.metrics.error ? `: ${r.metrics.error}` : ''})`,
        );
      runIds.push(r.id);
      for (const x of r.metrics.table) (perSeed[x.model] ??= []).push(r4(x.accuracy));
      console.log('  ' + r.metrics.table.map(x => `${x.model} ${(100 * x.accuracy).toFixed(1)}`).join(' | '));
    }
    const rows = ms.map(m => ({
      model: m.id as string,
      ...(b.rowExtra?.(m) ?? {}),
      accuracy: r4(mean(perSeed[m.id as string])),
      accuracyPerSeed: perSeed[m.id as string],
    }));
    const contrasts = b.contrasts.map(([what, a, c]) => {
      const diff = perSeed[a].map((x, i) => x - perSeed[c][i]);
      return { what, a, b: c, meanDiff: r4(mean(diff)), perSeed: diff.map(r4), aAhead: diff.filter(x => x > 0).length, seeds: diff.length };
    });
    results.push({
      dataset: d.dataset,
      split: d.label,
      seeds: b.seeds,
      rows,
      contrasts,
      runIds,
      ...(d.dataset === 'sim' ? { simulator: b.simProvenance } : {}),
    });
    const kept = (prev.results ?? []).filter(x => !results.some(y => y.dataset === x.dataset && y.split === x.split));
    fs.writeFileSync(
      b.outFile,
      JSON.stringify(
        {
          benchmark: b.benchmark,
          date: new Date().toISOString(),
          machine: machineFacts(),
          engine: engine.info,
          ...b.header,
          totalSeconds: (Date.now() - t0) / 1000,
          results: [...kept, ...results],
        },
        null,
        1,
      ) + '\n',
    );
  }
  const all = b.contrasts.map(([what]) => {
    const d = results.flatMap(r => (r.contrasts as { what: string; perSeed: number[] }[]).find(c => c.what === what)!.perSeed);
    return `${what}: ${(100 * mean(d)).toFixed(1)} pt (ahead on ${d.filter(x => x > 0).length} of ${d.length})`;
  });
  console.log(`\n${all.join('\n')}\nwrote ${b.outFile}`);
}
