// "Build Semantic Prior…" in the extension host: offline provider, an embeddings endpoint configured in settings
// (a local fake server speaking Ollama's /api/embed), and the vscode.lm path without any model installed.
import * as assert from 'assert/strict';
import * as http from 'http';
import * as vscode from 'vscode';
import { builtInClasses } from '../../src/core/semantics/classPrompts';
import { readSemanticPrior } from '../../src/core/semantics/priorFile';

type Built =
  { file: string; prior: { classes: string[]; similarity: number[][]; provider: string; dims: number; sha256: string } } | undefined;
const ws = () => vscode.workspace.workspaceFolders![0].uri;

describe('semantic prior command', () => {
  it('builds the offline Widar prior into the workspace as a frozen, re-readable artifact', async () => {
    const out = vscode.Uri.joinPath(ws(), '.csi-workbench', 'priors', 'test-widar.prior.json');
    const r = await vscode.commands.executeCommand<Built>('csiWorkbench.buildSemanticPrior', {
      set: 'widar',
      provider: 'glove',
      out,
      quiet: true,
    });
    assert.ok(r);
    assert.deepEqual(r.prior.classes, builtInClasses('widar'));
    const again = await readSemanticPrior(out.fsPath); // validates shape, symmetry and the content hash
    assert.equal(again.sha256, r.prior.sha256);
    const C = again.classes.length;
    for (let i = 0; i < C; i++) {
      assert.ok(Math.abs(again.similarity[i][i] - 1) < 1e-5, 'cosine self-similarity is 1');
      for (let j = 0; j < C; j++) assert.ok(Math.abs(again.similarity[i][j] - again.similarity[j][i]) < 1e-6);
    }
  });

  it('uses the embeddings endpoint from settings (Ollama wire format) and records it in provenance', async () => {
    const seen: { path?: string; model?: string; n?: number } = {};
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', d => {
        body += d;
      });
      req.on('end', () => {
        const j = JSON.parse(body) as { model: string; input: string[] };
        Object.assign(seen, { path: req.url, model: j.model, n: j.input.length });
        // deterministic 8-d vectors from the text, so classes differ
        const embeddings = j.input.map(t =>
          Array.from({ length: 8 }, (_, k) => Math.sin((t.length + 1) * (k + 1)) + (t.charCodeAt(k % t.length) % 7) / 7),
        );
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ embeddings }));
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const cfg = vscode.workspace.getConfiguration('csiWorkbench.semantics.endpoint');
    try {
      await cfg.update('api', 'ollama', vscode.ConfigurationTarget.Global);
      await cfg.update('baseUrl', `http://127.0.0.1:${port}`, vscode.ConfigurationTarget.Global);
      await cfg.update('model', 'fake-embed', vscode.ConfigurationTarget.Global);
      const out = vscode.Uri.joinPath(ws(), '.csi-workbench', 'priors', 'test-endpoint.prior.json');
      const r = await vscode.commands.executeCommand<Built>('csiWorkbench.buildSemanticPrior', {
        set: 'fition',
        provider: 'endpoint',
        out,
        quiet: true,
      });
      assert.ok(r, 'the command produced a prior');
      assert.equal(seen.path, '/api/embed');
      assert.equal(seen.model, 'fake-embed');
      assert.ok((seen.n ?? 0) >= builtInClasses('fition').length, 'every class prompt was sent');
      assert.equal(r.prior.provider, 'ollama');
      assert.equal(r.prior.dims, 8);
    } finally {
      for (const k of ['api', 'baseUrl', 'model']) await cfg.update(k, undefined, vscode.ConfigurationTarget.Global);
      server.close();
    }
  });

  it('asks for descriptions from vscode.lm only when a model exists, and fails clearly when none does', async () => {
    const models = await vscode.lm.selectChatModels();
    const r = await vscode.commands.executeCommand<Built>('csiWorkbench.buildSemanticPrior', {
      set: 'wiar',
      provider: 'glove',
      describe: true,
      quiet: true,
    });
    if (models.length === 0) assert.equal(r, undefined, 'no model: a clear error message, no prior, no crash');
    else assert.ok(r && r.prior.classes.length === builtInClasses('wiar').length);
  });
});
