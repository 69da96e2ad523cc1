// The experiment notebook file (`*.csiexp`): pure read/write shared by the VS Code NotebookSerializer, the headless
// CLI (`csi-workbench run file.csiexp`) and `npm run demo`, so all three execute exactly the same file.
//
// On disk it is pretty-printed JSON, chosen over ipynb so that a diff of an experiment shows the step parameters and
// not base64 blobs:
//   { "format": "csi-workbench/experiment-notebook@1", "metadata": {...},
//     "cells": [ { "kind": "markdown", "source": "..." },
//                { "kind": "step", "source": "{ \"id\": \"teacher\", \"type\": \"teacher\", ... }",
//                  "outputs": [...], "execution": {...} } ] }
// A step cell keeps its source as the user's text (it may be half-typed, invalid JSON while editing; saving must
// never lose it). Parsing the text into a step happens separately (parseStepCell) with diagnostics that name the
// cell and the character offset. Outputs are stored as JSON values under their mime type, not base64, so they persist
// readably and the renderer gets them back unchanged.
import { promises as fs } from 'fs';
import { ExperimentError } from './errors';

export const NOTEBOOK_FORMAT = 'csi-workbench/experiment-notebook@1';
/** Mime type of the structured results a step cell outputs; the notebook renderer draws them with plotly. */
export const RESULT_MIME = 'application/vnd.csi-workbench.result+json';

/** Step types of experiment.schema.json; a step cell holds one step object exactly as in a spec's `steps`. */
export const STEP_KINDS = ['dataset', 'features', 'prior', 'teacher', 'student', 'evaluate', 'compare'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export interface CellOutputItem {
  mime: string;
  /** JSON value for *json mimes, string otherwise. */ data: unknown;
}
export interface CellExecution {
  success?: boolean;
  startTime?: number;
  endTime?: number;
  executionOrder?: number;
}

export interface MarkdownCell {
  kind: 'markdown';
  source: string;
}
export interface StepCell {
  kind: 'step';
  source: string;
  outputs: CellOutputItem[][];
  execution?: CellExecution;
}
export type NotebookCellData = MarkdownCell | StepCell;

export interface ExperimentNotebook {
  format: typeof NOTEBOOK_FORMAT;
  metadata: Record<string, unknown>;
  cells: NotebookCellData[];
}

/**
 * A step cell's parsed content: one item of the experiment spec's `steps` (`id`, `type`, parameters). Only the
 * shape needed to place it is checked here; the runner validates every step against experiment.schema.json.
 */
export interface ExperimentStep {
  id: string;
  type: StepKind;
  [param: string]: unknown;
}

/** Bad notebook file or cell, with where: the file (or cell) and the character offset into its text. */
export class NotebookFormatError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly expected: string,
  ) {
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
    try {
      JSON.parse(text.slice(0, k));
      return false;
    } catch (e) {
      const msg = e instanceof Error ? e.message : '';
      const at = /position (\d+)/.exec(msg);
      // An error reported at the very end of the prefix is the prefix ending early, not a bad character.
      return at ? Number(at[1]) < k : !/end of (JSON )?input|unterminated/i.test(msg);
    }
  };
  let lo = 0,
    hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (badAt(mid)) hi = mid;
    else lo = mid + 1;
  }
  return Math.max(0, lo - 1);
}

function parseJson(text: string, where: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
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
      if (!isObject(item) || typeof item.mime !== 'string')
        throw new NotebookFormatError(`${where} output ${i} item ${j}`, 0, 'an object with a string "mime"');
      return { mime: item.mime, data: item.data };
    });
  });
}

/** Parse a `.csiexp` file's text. An empty file is an empty notebook (what VS Code creates on "New File"). */
export function parseNotebook(text: string, file = 'notebook'): ExperimentNotebook {
  if (text.trim() === '') return { format: NOTEBOOK_FORMAT, metadata: {}, cells: [] };
  const raw = parseJson(text, file, 'a JSON experiment notebook');
  if (!isObject(raw)) throw new NotebookFormatError(file, 0, 'a JSON object with "format" and "cells"');
  if (raw.format !== NOTEBOOK_FORMAT)
    throw new NotebookFormatError(file, 0, `"format": "${NOTEBOOK_FORMAT}" (got ${JSON.stringify(raw.format)})`);
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
  const cells = nb.cells.map(c =>
    c.kind === 'markdown'
      ? { kind: c.kind, source: c.source }
      : { kind: c.kind, source: c.source, outputs: c.outputs, ...(c.execution ? { execution: c.execution } : {}) },
  );
  return JSON.stringify({ format: NOTEBOOK_FORMAT, metadata: nb.metadata, cells }, null, 2) + '\n';
}

/** Parse one step cell's text; `where` names the cell in errors (e.g. "exp.csiexp cell 3"). */
export function parseStepCell(source: string, where: string): ExperimentStep {
  const example = 'a JSON object like { "id": "teacher", "type": "teacher", ... }';
  const v = parseJson(source, where, example);
  if (!isObject(v)) throw new NotebookFormatError(where, 0, example);
  if (typeof v.type !== 'string' || !(STEP_KINDS as readonly string[]).includes(v.type)) {
    const at = source.indexOf('"type"');
    throw new NotebookFormatError(where, Math.max(0, at), `"type" to be one of ${STEP_KINDS.join(', ')} (got ${JSON.stringify(v.type)})`);
  }
  if (typeof v.id !== 'string' || v.id === '')
    throw new NotebookFormatError(where, Math.max(0, source.indexOf('"id"')), '"id": a non-empty string naming the step');
  return v as ExperimentStep;
}

/** The step cells of a notebook, parsed, each with its cell index; a step id used twice is an error naming both cells. */
export function notebookSteps(nb: ExperimentNotebook, file = 'notebook'): { cell: number; step: ExperimentStep }[] {
  const seen = new Map<string, number>();
  const out: { cell: number; step: ExperimentStep }[] = [];
  nb.cells.forEach((c, i) => {
    if (c.kind !== 'step') return;
    const step = parseStepCell(c.source, `${file} cell ${i + 1}`);
    const prev = seen.get(step.id);
    if (prev !== undefined)
      throw new NotebookFormatError(
        `${file} cell ${i + 1}`,
        Math.max(0, c.source.indexOf('"id"')),
        `a step id not used before (cell ${prev + 1} is "${step.id}" already)`,
      );
    seen.set(step.id, i);
    out.push({ cell: i, step });
  });
  return out;
}

/**
 * The experiment spec (experiment.schema.json) a notebook stands for, up to and including the step cell `uptoCell`
 * (all steps when absent): running a cell runs the pipeline to that cell; the runner's content-hash cache makes the
 * unchanged upstream steps cheap (an unchanged teacher is restored, not retrained). Name and seed come from the
 * notebook metadata.
 */
export function notebookToSpec(
  nb: ExperimentNotebook,
  file = 'notebook',
  uptoCell?: number,
): { name: string; description?: string; seed?: number; steps: ExperimentStep[] } {
  const steps = notebookSteps(nb, file)
    .filter(s => uptoCell === undefined || s.cell <= uptoCell)
    .map(s => s.step);
  const m = nb.metadata;
  const base = file.replace(/^.*[\\/]/, '').replace(/\.csiexp$/, '') || 'experiment';
  return {
    name: typeof m.name === 'string' && m.name ? m.name : base,
    ...(typeof m.description === 'string' ? { description: m.description } : {}),
    ...(Number.isInteger(m.seed) ? { seed: m.seed as number } : {}),
    steps,
  };
}

/** Read a `.csiexp` file as an experiment spec (CLI, demo); errors are ExperimentError('bad-spec') naming the file. */
export async function readNotebookSpec(file: string): Promise<ReturnType<typeof notebookToSpec>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new ExperimentError('bad-spec', `cannot read: ${(e as Error).message}`, file);
  }
  try {
    return notebookToSpec(parseNotebook(text, file), file);
  } catch (e) {
    if (e instanceof NotebookFormatError) throw new ExperimentError('bad-spec', e.message);
    throw e;
  }
}

export interface CellProblem {
  offset: number;
  length: number;
  message: string;
}

/**
 * Problems of one step cell against experiment.schema.json (the same check the runner makes before running), each
 * placed on the key it names so the editor can underline it. Empty for a valid step.
 */
export function stepCellProblems(
  source: string,
  schema: Record<string, unknown>,
  check: (v: unknown, s: Record<string, unknown>, root: Record<string, unknown>, where: string) => string[],
): CellProblem[] {
  let value: unknown;
  try {
    value = parseStepCell(source, 'cell');
  } catch (e) {
    if (e instanceof NotebookFormatError) return [{ offset: e.offset, length: 1, message: e.message.replace(/^cell: /, '') }];
    throw e;
  }
  const items = (schema.properties as Record<string, Record<string, unknown>>).steps.items as Record<string, unknown>;
  return check(value, items, schema, '$').map(message => {
    // "$.train.epochs: …" names a key path; `unknown property "k"` names the key itself.
    const key = /unknown property "([^"]+)"/.exec(message)?.[1] ?? /^\$(?:\.[\w$]+)*\.([\w$]+)(?:\[\d+\])*:/.exec(message)?.[1];
    const at = key ? source.indexOf(`"${key}"`) : -1;
    return at >= 0 ? { offset: at, length: key!.length + 2, message } : { offset: 0, length: 1, message };
  });
}
