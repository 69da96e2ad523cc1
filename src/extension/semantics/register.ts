// Registers the semantic-prior commands (build a prior file; store the endpoint API key).
import * as vscode from 'vscode';
import { buildPriorCommand, setApiKeyCommand, type BuildPriorArgs } from './buildPrior';

export function registerSemantics(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('csiWorkbench.buildSemanticPrior', async (args?: BuildPriorArgs) => {
      try {
        return await buildPriorCommand(context, log, args);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        log.error(`build semantic prior: ${msg}`);
        void vscode.window.showErrorMessage(`Cannot build the semantic prior: ${msg}`);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('csiWorkbench.setEmbeddingsApiKey', () => setApiKeyCommand(context)),
  );
}
