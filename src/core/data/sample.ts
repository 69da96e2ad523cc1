// The dataset model every layout reader produces: a list of labelled samples, each one gesture instance with one
// file per receiver/link, and the domain factors splits are made over. Domain values are strings so every split
// treats every factor the same way (user '7', orientation '3', environment 'A').
import type { DatasetDiagnostic } from './errors';

/** Known domain factors; layouts may add others (e.g. CSV manifest extra columns). */
export interface DomainFactors {
  user?: string;
  location?: string;
  orientation?: string;
  room?: string;
  environment?: string;
  session?: string;
  repetition?: string;
  /** Widar3.0 date folder (gesture numbering depends on it). */
  date?: string;
  [factor: string]: string | undefined;
}

export interface DatasetSample {
  /** Stable id, unique within the index (relative path without receiver/extension). */
  id: string;
  /** Absolute paths, one per receiver/link, in receiver order. */
  files: string[];
  /** Receiver/link name of each file ('r1'…'r6'; 'rx' for single-link datasets). */
  receivers: string[];
  /** Index into DatasetIndex.classes. */
  label: number;
  className: string;
  domain: DomainFactors;
}

export type DatasetLayout = 'widar' | 'simulator' | 'wiar' | 'fition' | 'csv';

export interface DatasetIndex {
  root: string;
  layout: DatasetLayout;
  /** Class names; sample.label indexes this array. */
  classes: string[];
  samples: DatasetSample[];
  diagnostics: DatasetDiagnostic[];
  /** Where labels came from, e.g. 'manifest.csv' or 'file names'. */
  labelSource: string;
}

/** Count samples per value of a key function (for summaries and tests). */
export function countBy(samples: readonly DatasetSample[], key: (s: DatasetSample) => string | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of samples) {
    const k = key(s) ?? '(none)';
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}
