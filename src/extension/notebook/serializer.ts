// NotebookSerializer for `*.csiexp` experiment notebooks. The file format itself (and its errors) lives in
// src/core/experiment/notebookFile.ts so the CLI reads exactly what VS Code writes; this file only maps it to and
// from VS Code's NotebookData, including outputs, which are kept as JSON (see outputItemToData).
import * as vscode from 'vscode';
import {
  NotebookFormatError,
  parseNotebook,
  serializeNotebook,
  type CellOutputItem,
  type NotebookCellData,
} from '../../core/experiment/notebookFile';

export const NOTEBOOK_TYPE = 'csi-workbench-experiment';
/** Step cells are JSON documents (so the contributed JSON Schema gives completion and errors inside them). */
export const STEP_LANGUAGE = 'json';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** JSON mimes (our results, VS Code's error item) are stored as JSON values; everything else as text. */
function isJsonMime(mime: string): boolean {
  return mime.endsWith('json') || mime === 'application/vnd.code.notebook.error';
}

export function outputItemToData(item: vscode.NotebookCellOutputItem): CellOutputItem {
  const text = decoder.decode(item.data);
  if (isJsonMime(item.mime)) {
    try {
      return { mime: item.mime, data: JSON.parse(text) };
    } catch {
      /* not JSON after all: keep the text */
    }
  }
  return { mime: item.mime, data: text };
}

export function dataToOutputItem(d: CellOutputItem): vscode.NotebookCellOutputItem {
  const text = typeof d.data === 'string' && !isJsonMime(d.mime) ? d.data : JSON.stringify(d.data);
  return new vscode.NotebookCellOutputItem(encoder.encode(text), d.mime);
}

export class ExperimentNotebookSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    let nb;
    try {
      nb = parseNotebook(decoder.decode(content), 'experiment notebook');
    } catch (e) {
      // VS Code shows this message in place of the notebook; the text names the character offset.
      if (e instanceof NotebookFormatError) throw new Error(e.message);
      throw e;
    }
    const cells = nb.cells.map(c => {
      if (c.kind === 'markdown') return new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, c.source, 'markdown');
      const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, c.source, STEP_LANGUAGE);
      cell.outputs = c.outputs.map(items => new vscode.NotebookCellOutput(items.map(dataToOutputItem)));
      if (c.execution)
        cell.executionSummary = {
          success: c.execution.success,
          executionOrder: c.execution.executionOrder,
          timing:
            c.execution.startTime !== undefined && c.execution.endTime !== undefined
              ? { startTime: c.execution.startTime, endTime: c.execution.endTime }
              : undefined,
        };
      return cell;
    });
    const data = new vscode.NotebookData(cells);
    data.metadata = nb.metadata;
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const cells = data.cells.map((c): NotebookCellData => {
      if (c.kind === vscode.NotebookCellKind.Markup) return { kind: 'markdown', source: c.value };
      const s = c.executionSummary;
      return {
        kind: 'step',
        source: c.value,
        outputs: (c.outputs ?? []).map(o => o.items.map(outputItemToData)),
        ...(s && (s.success !== undefined || s.executionOrder !== undefined)
          ? {
              execution: {
                success: s.success,
                executionOrder: s.executionOrder,
                startTime: s.timing?.startTime,
                endTime: s.timing?.endTime,
              },
            }
          : {}),
      };
    });
    return encoder.encode(serializeNotebook({ metadata: data.metadata ?? {}, cells }));
  }
}
