// Problems in experiment step cells, checked as the user types against experiment.schema.json with the runner's
// own validator, so a cell shows the same error the run would fail with (the jsonValidation contribution adds
// completion and hovers where VS Code's JSON service covers notebook cells).
import * as vscode from 'vscode';
import { stepCellProblems } from '../../core/experiment/notebookFile';
import { checkSchema } from '../../core/experiment/schemaCheck';
import { EXPERIMENT_SCHEMA } from '../../core/experiment/spec';
import { NOTEBOOK_TYPE } from './serializer';

export function registerCellDiagnostics(): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('csi-workbench-experiment');
  const check = (doc: vscode.TextDocument) => {
    const nb = vscode.workspace.notebookDocuments.find(n => n.notebookType === NOTEBOOK_TYPE && n.getCells().some(c => c.document === doc));
    const cell = nb?.getCells().find(c => c.document === doc);
    if (!cell || cell.kind !== vscode.NotebookCellKind.Code) return;
    const text = doc.getText();
    collection.set(
      doc.uri,
      stepCellProblems(text, EXPERIMENT_SCHEMA, checkSchema).map(p => {
        const d = new vscode.Diagnostic(
          new vscode.Range(doc.positionAt(p.offset), doc.positionAt(Math.min(text.length, p.offset + p.length))),
          p.message,
          vscode.DiagnosticSeverity.Error,
        );
        d.source = 'experiment schema';
        return d;
      }),
    );
  };
  const checkNotebook = (nb: vscode.NotebookDocument) => {
    if (nb.notebookType === NOTEBOOK_TYPE) for (const c of nb.getCells()) check(c.document);
  };
  vscode.workspace.notebookDocuments.forEach(checkNotebook);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenNotebookDocument(checkNotebook),
    vscode.workspace.onDidChangeTextDocument(e => check(e.document)),
    vscode.workspace.onDidChangeNotebookDocument(e => {
      for (const c of e.contentChanges) for (const cell of c.addedCells) check(cell.document);
    }),
    vscode.workspace.onDidCloseNotebookDocument(nb => {
      for (const c of nb.getCells()) collection.delete(c.document.uri);
    }),
  );
}
