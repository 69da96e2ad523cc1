// The vscode.lm side of the semantic prior: a GestureDescriptionProvider whose chat function is a VS Code
// language model. Everything model-independent (request wording, JSON validation, one repair round) is in
// src/core/semantics/chatDescriptionProvider.ts; this file only adapts the VS Code API to a `(prompt) → text`.
import * as vscode from 'vscode';
import { ChatDescriptionProvider } from '../../core/semantics/chatDescriptionProvider';

/** Pick a chat model (the user chooses when several are available); undefined when none is installed. */
export async function pickChatModel(): Promise<vscode.LanguageModelChat | undefined> {
  const models = await vscode.lm.selectChatModels();
  if (models.length === 0) return undefined;
  if (models.length === 1) return models[0];
  const pick = await vscode.window.showQuickPick(
    models.map(m => ({ label: m.name, description: `${m.vendor} · ${m.family}`, model: m })),
    { title: 'Language model for gesture descriptions' },
  );
  return pick?.model;
}

export function lmDescriptionProvider(model: vscode.LanguageModelChat): ChatDescriptionProvider {
  const chat = async (prompt: string, signal?: AbortSignal): Promise<string> => {
    const cts = new vscode.CancellationTokenSource();
    signal?.addEventListener('abort', () => cts.cancel(), { once: true });
    try {
      // The API has no system role: the whole instruction is one user message.
      const res = await model.sendRequest(
        [vscode.LanguageModelChatMessage.User(prompt)],
        { justification: 'CSI Workbench asks for short kinematic descriptions of your gesture classes to build a semantic prior.' },
        cts.token,
      );
      let text = '';
      for await (const part of res.text) text += part;
      return text;
    } finally {
      cts.dispose();
    }
  };
  return new ChatDescriptionProvider(`vscode.lm:${model.vendor}/${model.id}`, chat, {
    vendor: model.vendor,
    family: model.family,
    id: model.id,
  });
}
