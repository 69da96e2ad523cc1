// The experiment notebook file (`*.csiexp`): pure read/write shared by the VS Code NotebookSerializer, the headless
// CLI (`csi-workbench run file.csiexp`) and `npm run demo`, so all three execute exactly the same file.
//
// On disk it is pretty-printed JSON, chosen over ipynb so that a diff of an experiment shows the step parameters and
// not base64 blobs:
//   { "format": "csi-workbench/experiment-notebook@1", "metadata": {...},
//     "cells": [ { "kind": "markdown", "source": "..." },
//                { "kind": "step", "source": "{ \"step\": \"teacher\", ... }", "outputs": [...], "execution": {...} } ] }
// A step cell keeps its source as the user's text (it may be half-typed, invalid JSON while editing; saving must
// never lose it). Parsing the text into a step happens separately (parseStepCell) with diagnostics that name the
// cell and the character offset. Outputs are stored as JSON values under their mime type, not base64, so they persist
// readably and the renderer gets them back unchanged.
import { createHash } from 'crypto';

export const NOTEBOOK_FORMAT = 'csi-workbench/experiment-notebook@1';
/** Mime type of the structured results a step cell outputs; the notebook renderer draws them with plotly. */
export const RESULT_MIME = 'application/vnd.csi-workbench.result+json';

/** The pipeline's steps in dependency order: each step's result depends on every step before it. */
export const STEP_KINDS = ['dataset', 'features', 'prior', 'teacher', 'student', 'evaluate', 'compare'] as const;
export type StepKind = typeof STEP_KINDS[number];

export interface CellOutputItem { mime: string; /** JSON value for *json mimes, string otherwise. */ data: unknown }
export interface CellExecution { success?: boolean; startTime?: number; endTime?: number; executionOrder?: number }

export interface MarkdownCell { kind: 'markdown'; source: string }
export interface StepCell { kind: 'step'; source: string; outputs: CellOutputItem[][]; execution?: CellExecution }
export type NotebookCellData = MarkdownCell | StepCell;

export interface ExperimentNotebook {
  format: typeof NOTEBOOK_FORMAT;
  metadata: Record<string, unknown>;
  cells: NotebookCellData[];
}

/** A step cell's parsed content: `step` names the kind, every other key is that step's parameters. */
export interface ExperimentStep { step: StepKind; [param: string]: unknown }

/** Bad notebook file or cell, with where: the file (or cell) and the character offset into its text. */
export class NotebookFormatError extends Error {
  constructor(readonly file: string, readonly offset: number, readonly expected: string) {
    super(`${file}: at character ${offset}: expected ${expected}`);
    this.name = 'NotebookFormatError';
  }
}

/**
 * Character offset of a JSON.parse failure. V8 says "at position N" for some errors but not for an unexpected
 * token ("Unexpected token 'x', ... is not valid JSON"), so otherwise find the shortest prefix whose failure is not
 * "the text ended early": a prefix of valid JSON only fails that way, so the shortest other failure ends at the bad
 * character.
 */
function jsonErrorOffset(text: string, err: unknown): number {
  const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  if (m) return Number(m[1]);
  const badAt = (k: number): boolean => {
    try { JSON.parse(text.slice(0, k)); return false; } catch (e) {
      const msg = e instanceof Error ? e.message : '';
      const at = /position (\d+)/.exec(msg);
      // An error reported at the very end of the prefix is the prefix ending early, not a bad character.
      return at ? Number(at[1]) < k : !/end of (JSON )?input|unterminated/i.test(msg);
    }
  };
  let lo = 0, hi = text.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (badAt(mid)) hi = mid; else lo = mid + 1; }
  return Math.max(0, lo - 1);
}

function parseJson(text: string, where: string, what: string): unknown {
  try { return JSON.parse(text); } catch (err) {
    throw new NotebookFormatError(where, jsonErrorOffset(text, err), `${what} (${err instanceof Error ? err.message : String(err)})`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readOutputs(v: unknown, where: string): CellOutputItem[][] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new NotebookFormatError(where, 0, '"outputs" to be an array of outputs');
  return v.map((out, i) => {
    if (!Array.isArray(out)) throw new NotebookFormatError(`${where} output ${i}`, 0, 'an array of {mime, data} items');
    return out.map((item, j) => {
      if (!isObject(item) || typeof item.mime !== 'string') throw new NotebookFormatError(`${where} output ${i} item ${j}`, 0, 'an object with a string "mime"');
      return { mime: item.mime, data: item.data };
    });
  });
}

/** Parse a `.csiexp` file's text. An empty file is an empty notebook (what VS Code creates on "New File"). */
export function parseNotebook(text: string, file = 'notebook'): ExperimentNotebook {
  if (text.trim() === '') return { format: NOTEBOOK_FORMAT, metadata: {}, cells: [] };
  const raw = parseJson(text, file, 'a JSON experiment notebook');
  if (!isObject(raw)) throw new NotebookFormatError(file, 0, 'a JSON object with "format" and "cells"');
  if (raw.format !== NOTEBOOK_FORMAT) throw new NotebookFormatError(file, 0, `"format": "${NOTEBOOK_FORMAT}" (got ${JSON.stringify(raw.format)})`);
  if (!Array.isArray(raw.cells)) throw new NotebookFormatError(file, 0, '"cells" to be an array');
  const cells = raw.cells.map((c, i): NotebookCellData => {
    const where = `${file} cell ${i + 1}`;
    if (!isObject(c) || typeof c.source !== 'string') throw new NotebookFormatError(where, 0, 'an object with a string "source"');
    if (c.kind === 'markdown') return { kind: 'markdown', source: c.source };
    if (c.kind !== 'step') throw new NotebookFormatError(where, 0, `"kind" "markdown" or "step" (got ${JSON.stringify(c.kind)})`);
    const cell: StepCell = { kind: 'step', source: c.source, outputs: readOutputs(c.outputs, where) };
    if (isObject(c.execution)) cell.execution = c.execution as CellExecution;
    return cell;
  });
  return { format: NOTEBOOK_FORMAT, metadata: isObject(raw.metadata) ? raw.metadata : {}, cells };
}

/** Serialise a notebook; stable key order and a trailing newline so saving an unchanged notebook is a no-op diff. */
export function serializeNotebook(nb: Omit<ExperimentNotebook, 'format'>): string {
  const cells = nb.cells.map(c => c.kind === 'markdown' ? { kind: c.kind, source: c.source }
    : { kind: c.kind, source: c.source, outputs: c.outputs, ...(c.execution ? { execution: c.execution } : {}) });
  return JSON.stringify({ format: NOTEBOOK_FORMAT, metadata: nb.metadata, cells }, null, 2) + '\n';
}

/** Parse one step cell's text; `where` names the cell in errors (e.g. "exp.csiexp cell 3"). */
export function parseStepCell(source: string, where: string): ExperimentStep {
  const v = parseJson(source, where, 'a JSON object like { "step": "teacher", ... }');
  if (!isObject(v)) throw new NotebookFormatError(where, 0, 'a JSON object like { "step": "teacher", ... }');
  if (typeof v.step !== 'string' || !(STEP_KINDS as readonly string[]).includes(v.step)) {
    const at = source.indexOf('"step"');
    throw new NotebookFormatError(where, Math.max(0, at), `"step" to be one of ${STEP_KINDS.join(', ')} (got ${JSON.stringify(v.step)})`);
  }
  return v as ExperimentStep;
}

/** JSON with object keys sorted at every level, so a hash does not change when the user reorders keys. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map(k => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** The steps of a notebook (in cell order) with each step's cell index; duplicates of a kind are an error. */
export function notebookSteps(nb: ExperimentNotebook, file = 'notebook'): { cell: number; step: ExperimentStep }[] {
  const seen = new Map<StepKind, number>();
  const out: { cell: number; step: ExperimentStep }[] = [];
  nb.cells.forEach((c, i) => {
    if (c.kind !== 'step') return;
    const step = parseStepCell(c.source, `${file} cell ${i + 1}`);
    const prev = seen.get(step.step);
    if (prev !== undefined) throw new NotebookFormatError(`${file} cell ${i + 1}`, 0, `one "${step.step}" step per notebook (cell ${prev + 1} has one already)`);
    seen.set(step.step, i);
    out.push({ cell: i, step });
  });
  return out;
}

/**
 * Content key of a step: a hash of this step and of every step it depends on (the kinds before it in STEP_KINDS),
 * whatever order the cells are in. Editing the student cell changes the keys of student/evaluate/compare only, so
 * the teacher's cached result stays valid.
 */
export function stepKey(steps: readonly ExperimentStep[], kind: StepKind): string {
  const upto = STEP_KINDS.indexOf(kind);
  const byKind = new Map(steps.map(s => [s.step, s]));
  const chain = STEP_KINDS.slice(0, upto + 1).map(k => byKind.get(k) ?? null);
  return createHash('sha256').update(canonicalJson(chain)).digest('hex').slice(0, 16);
}

/** The whole notebook as one experiment spec object: step kind → parameters (the `step` key removed). */
export function notebookToSpec(steps: readonly ExperimentStep[]): Partial<Record<StepKind, Record<string, unknown>>> {
  const spec: Partial<Record<StepKind, Record<string, unknown>>> = {};
  for (const s of steps) { const { step, ...params } = s; spec[step] = params; }
  return spec;
}
