// research/results/summary.json, the machine-readable summary issue 22 asks for:
//   { "<dataset or preset>/<split>": { "<model>": mean test accuracy in percent, … }, … }
// Each study merges its keys into the file (a split's models are merged, other splits are kept), so the studies
// that report different splits or models can all rewrite it.
import * as fs from 'fs';
import * as path from 'path';
import { REPO } from '../test/helpers/paths';

export type Summary = Record<string, Record<string, number>>;

export const SUMMARY_FILE = path.join(REPO, 'research', 'results', 'summary.json');

/** Merge `entries` into `file` (models of a split merged, keys sorted) and return the merged summary. */
export function mergeSummary(entries: Summary, file = SUMMARY_FILE): Summary {
  const prev: Summary = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Summary) : {};
  for (const [split, models] of Object.entries(entries)) {
    prev[split] = { ...(prev[split] ?? {}) };
    for (const [m, acc] of Object.entries(models)) if (Number.isFinite(acc)) prev[split][m] = +acc.toFixed(2);
  }
  const sorted: Summary = {};
  for (const k of Object.keys(prev).sort()) sorted[k] = Object.fromEntries(Object.entries(prev[k]).sort(([a], [b]) => a.localeCompare(b)));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(sorted, null, 1) + '\n');
  return sorted;
}
