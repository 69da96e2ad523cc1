// Every webview page is built by renderWebviewHtml: check its Content-Security-Policy is strict.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import { renderWebviewHtml } from '../../src/extension/webviewHtml';

describe('webview HTML', () => {
  const fakeWebview = {
    cspSource: 'https://self.vscode-cdn.example',
    asWebviewUri: (u: vscode.Uri) => u.with({ scheme: 'https', authority: 'self.vscode-cdn.example' }),
  } as unknown as vscode.Webview;
  const html = renderWebviewHtml(fakeWebview, vscode.Uri.file('/ext'), { script: 'editor', styles: ['editor'], title: '<x>' });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  const directives = Object.fromEntries(
    csp
      .split(';')
      .map(d => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k, v]),
  );

  it('denies everything by default and allows scripts only with a per-page nonce', () => {
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.equal(directives['script-src'].length, 1);
    assert.match(directives['script-src'][0], /^'nonce-[A-Za-z0-9+/=]{16,}'$/);
    const nonce = directives['script-src'][0].slice(7, -1);
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map(m => m[1]);
    assert.ok(scripts.length > 0);
    for (const s of scripts) assert.ok(s.includes(`nonce="${nonce}"`), 'every script tag carries the nonce');
  });

  it('names no remote origin other than the webview resource origin', () => {
    for (const [k, v] of Object.entries(directives)) {
      for (const src of v as string[]) {
        assert.ok(!/^https?:/.test(src) || src === fakeWebview.cspSource, `${k} allows ${src}`);
      }
    }
    assert.ok(!/unsafe-eval/.test(csp));
  });

  it('uses a fresh nonce per render and escapes the title', () => {
    const again = renderWebviewHtml(fakeWebview, vscode.Uri.file('/ext'), { script: 'editor', title: '<x>' });
    assert.notEqual(/nonce-([^']+)/.exec(html)![1], /nonce-([^']+)/.exec(again)![1]);
    assert.ok(html.includes('<title>&lt;x&gt;</title>'));
  });
});
