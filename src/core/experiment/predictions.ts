// Per-sample test predictions of one evaluated model, stored next to the run's metrics as
// <run>/predictions/<model>.csv with the columns `sample,true,predicted,top_probability` (class names, RFC 4180
// quoting). Confusion matrices cannot say whether two models err on the same samples; these rows can, so the
// comparison panel computes agreement and McNemar's test from them, also across runs (joined by sample id).
// CSV rather than JSON so a researcher can load it straight into pandas / a spreadsheet.
import { promises as fs } from 'fs';
import * as path from 'path';
import { ExperimentError } from './errors';

export interface SamplePrediction {
  /** The dataset index's sample id (stable across runs over the same folder). */
  id: string;
  truth: string;
  pred: string;
  /** Softmax probability of the predicted class. */
  topProb: number;
}

export const PREDICTIONS_HEADER = ['sample', 'true', 'predicted', 'top_probability'] as const;

export function predictionsFile(runDir: string, model: string): string {
  return path.join(runDir, 'predictions', `${model.replace(/[^\w.-]+/g, '_')}.csv`);
}

/**
 * Rows from a network's outputs: idx are the evaluated dataset rows, pred/logits are in idx order (logits
 * row-major, C per sample). The top probability is the softmax of the logits at the predicted class, computed
 * with the max subtracted so large logits do not overflow.
 */
export function predictionRows(
  ids: readonly string[],
  labels: ArrayLike<number>,
  classes: readonly string[],
  idx: readonly number[],
  pred: ArrayLike<number>,
  logits: ArrayLike<number>,
): SamplePrediction[] {
  const C = classes.length;
  if (pred.length !== idx.length || logits.length !== idx.length * C) {
    throw new RangeError(`predictions: ${idx.length} samples but ${pred.length} predictions and ${logits.length} logits (${C} classes)`);
  }
  return idx.map((row, s) => {
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, logits[s * C + c]);
    let z = 0;
    for (let c = 0; c < C; c++) z += Math.exp(logits[s * C + c] - max);
    return { id: ids[row], truth: classes[labels[row]], pred: classes[pred[s]], topProb: Math.exp(logits[s * C + pred[s]] - max) / z };
  });
}

const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function formatPredictionsCsv(rows: readonly SamplePrediction[]): string {
  const lines = [PREDICTIONS_HEADER.join(',')];
  for (const r of rows) lines.push([quote(r.id), quote(r.truth), quote(r.pred), r.topProb.toPrecision(6)].join(','));
  return lines.join('\n') + '\n';
}

/** UTF-8 byte offset of character k (only computed for error messages). */
const byteAt = (text: string, k: number) => Buffer.byteLength(text.slice(0, k));

/** RFC 4180 records with the character offset each starts at. */
function csvRecords(text: string, file: string): { fields: string[]; start: number }[] {
  const out: { fields: string[]; start: number }[] = [];
  let i = 0;
  const at = (k: number) => byteAt(text, k);
  while (i < text.length) {
    const start = i,
      fields: string[] = [];
    for (;;) {
      let v = '';
      if (text[i] === '"') {
        const open = i++;
        for (;;) {
          if (i >= text.length) throw new ExperimentError('bad-file', `unterminated quoted field starting at byte ${at(open)}`, file);
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              v += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          v += text[i++];
        }
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new ExperimentError('bad-file', `expected "," or end of line after a quoted field at byte ${at(i)}`, file);
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') v += text[i++];
      }
      fields.push(v);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      break;
    }
    if (!(fields.length === 1 && fields[0] === '')) out.push({ fields, start });
  }
  return out;
}

/** Parses a predictions CSV; a malformed file is an ExperimentError naming the file, the byte offset and what was expected. */
export function parsePredictionsCsv(text: string, file: string): SamplePrediction[] {
  const recs = csvRecords(text, file);
  const head = recs[0];
  if (!head || head.fields.join(',') !== PREDICTIONS_HEADER.join(',')) {
    throw new ExperimentError(
      'bad-file',
      `expected the header "${PREDICTIONS_HEADER.join(',')}" at byte 0${head ? `, found "${head.fields.join(',')}"` : ' (file is empty)'}`,
      file,
    );
  }
  return recs.slice(1).map(({ fields, start }) => {
    const offset = () => byteAt(text, start);
    if (fields.length !== 4)
      throw new ExperimentError('bad-file', `expected 4 fields in the record at byte ${offset()}, found ${fields.length}`, file);
    const p = Number(fields[3]);
    if (fields[3].trim() === '' || !Number.isFinite(p) || p < 0 || p > 1) {
      throw new ExperimentError(
        'bad-file',
        `expected a probability in [0, 1] as top_probability of the record at byte ${offset()}, found "${fields[3]}"`,
        file,
      );
    }
    return { id: fields[0], truth: fields[1], pred: fields[2], topProb: p };
  });
}

export async function writePredictions(runDir: string, model: string, rows: readonly SamplePrediction[]): Promise<string> {
  const file = predictionsFile(runDir, model);
  await fs.mkdir(path.dirname(file), { recursive: true });
  // temp + rename like the metrics, so the panel never reads half a file while a run is writing it.
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, formatPredictionsCsv(rows));
  await fs.rename(tmp, file);
  return file;
}

/** The stored predictions of a model, or undefined when the run has none (runs from before predictions were kept). */
export async function readPredictions(runDir: string, model: string): Promise<SamplePrediction[] | undefined> {
  const file = predictionsFile(runDir, model);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ExperimentError('bad-file', `cannot read: ${(e as Error).message}`, file);
  }
  return parsePredictionsCsv(text, file);
}
