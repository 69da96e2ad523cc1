// "CSI Workbench: Build Semantic Prior…": the one place a prior is made interactively. It runs on the extension
// host (not the worker) because the endpoint key lives in SecretStorage and vscode.lm exists only here; the
// result is a frozen artifact file that experiments then read, so training never talks to a provider.
import * as path from 'path';
import * as vscode from 'vscode';
import { builtInClasses, BUILT_IN_PROMPT_SETS, resolvePrompts, type BuiltInPromptSet } from '../../core/semantics/classPrompts';
import { defaultGloveProvider } from '../../core/semantics/gloveProvider';
import { HttpEmbeddingProvider, type EmbeddingApi } from '../../core/semantics/httpEmbeddingProvider';
import { buildSemanticPrior, type SemanticPrior } from '../../core/semantics/prior';
import { writeSemanticPrior } from '../../core/semantics/priorFile';
import type { EmbeddingProvider, GestureDescriptionProvider } from '../../core/semantics/provider';
import { parseUserGestures, type UserGestureSettings } from '../../core/semantics/userGestures';
import { lmDescriptionProvider, pickChatModel } from './lmDescriber';

export const API_KEY_SECRET = 'csiWorkbench.semantics.endpoint.apiKey';

export interface BuildPriorArgs {
  /** Built-in class/prompt set; default asks. */
  set?: BuiltInPromptSet;
  /** 'glove' (offline, default) or 'endpoint'. */
  provider?: 'glove' | 'endpoint';
  /** Enrich the prompts with a VS Code language model first. */
  describe?: boolean;
  /** Output file; default <workspace>/.csi-workbench/priors/<set>-<provider>-<sha8>.prior.json. */
  out?: vscode.Uri;
  /** Do not open the written file (tests). */
  quiet?: boolean;
}

async function readUserGestures(): Promise<UserGestureSettings | undefined> {
  const setting = vscode.workspace.getConfiguration('csiWorkbench.semantics').get<string>('userGesturesFile', '');
  if (!setting) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = path.isAbsolute(setting) || !folder ? vscode.Uri.file(setting) : vscode.Uri.joinPath(folder, setting);
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  return parseUserGestures(text, uri.fsPath);
}

async function endpointProvider(secrets: vscode.SecretStorage): Promise<EmbeddingProvider> {
  const cfg = vscode.workspace.getConfiguration('csiWorkbench.semantics.endpoint');
  const baseUrl = cfg.get<string>('baseUrl', '');
  if (!baseUrl) throw new Error('set "csiWorkbench.semantics.endpoint.baseUrl" (e.g. http://localhost:11434 for Ollama) first');
  return new HttpEmbeddingProvider({
    api: cfg.get<EmbeddingApi>('api', 'openai'),
    baseUrl,
    model: cfg.get<string>('model', ''),
    apiKey: (await secrets.get(API_KEY_SECRET)) || undefined,
    timeoutMs: cfg.get<number>('timeoutMs', 30000),
  });
}

export async function buildPriorCommand(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  args: BuildPriorArgs = {},
): Promise<{ file: string; prior: SemanticPrior } | undefined> {
  const set =
    args.set ??
    ((
      await vscode.window.showQuickPick(
        BUILT_IN_PROMPT_SETS.map(s => ({ label: s, description: `${builtInClasses(s).length} classes` })),
        { title: 'Semantic prior: which gesture classes?' },
      )
    )?.label as BuiltInPromptSet | undefined);
  if (!set) return undefined;
  const providerKind =
    args.provider ??
    ((
      await vscode.window.showQuickPick(
        [
          { label: 'glove', description: 'offline word vectors shipped with the extension (default)' },
          { label: 'endpoint', description: 'OpenAI-compatible or Ollama embeddings endpoint (settings + stored API key)' },
        ],
        { title: 'Semantic prior: embedding provider' },
      )
    )?.label as 'glove' | 'endpoint' | undefined);
  if (!providerKind) return undefined;
  const user = await readUserGestures();
  let describer: GestureDescriptionProvider | undefined;
  if (args.describe) {
    const model = await pickChatModel();
    if (!model)
      throw new Error('no VS Code language model is available (install/enable a chat model extension), or build without descriptions');
    describer = lmDescriptionProvider(model);
  }
  const classes = [...new Set([...builtInClasses(set), ...(user?.gestures.map(g => g.name) ?? [])])];
  const prompts = resolvePrompts(classes, { sets: [set], user });
  const provider =
    providerKind === 'glove'
      ? defaultGloveProvider({ oov: user || describer ? 'skip' : 'error' })
      : await endpointProvider(context.secrets);
  const prior = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Building the ${set} semantic prior (${provider.id})`, cancellable: true },
    (_p, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return buildSemanticPrior({
        classes,
        prompts,
        provider,
        describer,
        signal: abort.signal,
        tool: `csi-workbench ${context.extension.packageJSON.version}`,
      });
    },
  );
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const out =
    args.out ??
    (folder
      ? vscode.Uri.joinPath(folder, '.csi-workbench', 'priors', `${set}-${provider.id}-${prior.sha256.slice(0, 8)}.prior.json`)
      : undefined);
  if (!out) throw new Error('open a folder first: the prior is written into the workspace');
  await writeSemanticPrior(out.fsPath, prior);
  log.info(
    `semantic prior ${out.fsPath}: ${prior.classes.length} classes, ${prior.dims} dims, provider ${prior.provider}/${prior.model}, sha256 ${prior.sha256}; use it in an experiment with { "type": "prior", "file": "<this path, relative to the experiment file>" }`,
  );
  if (!args.quiet) await vscode.window.showTextDocument(out, { preview: true });
  return { file: out.fsPath, prior };
}

export async function setApiKeyCommand(context: vscode.ExtensionContext): Promise<boolean> {
  const key = await vscode.window.showInputBox({
    title: 'Embeddings endpoint API key',
    password: true,
    ignoreFocusOut: true,
    prompt: 'Stored in VS Code SecretStorage, never in settings or run files. Leave empty to delete it.',
  });
  if (key === undefined) return false;
  if (key) await context.secrets.store(API_KEY_SECRET, key);
  else await context.secrets.delete(API_KEY_SECRET);
  return true;
}
