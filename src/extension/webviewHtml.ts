// HTML shell for every webview: strict Content-Security-Policy (no remote origins; scripts only with this page's
// nonce and only from the extension's dist/webview), local assets through asWebviewUri, theme-aware CSS.
import * as crypto from 'crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  /** Bundle name under dist/webview (without .js), e.g. 'editor'. */
  script: string;
  /** Stylesheet names under dist/webview (without .css). */
  styles?: string[];
  /** Classic scripts under dist/webview loaded before the bundle with the same nonce (e.g. 'plotly.min.js'). */
  extraScripts?: string[];
  /** Scripts under dist/webview the page loads itself when it needs them (`<meta name="csi-lazy-script">` gives
   *  their URLs; the page adds them with its own script's nonce): a big library then does not delay the page's
   *  first view (the recording editor draws its first view before plotly has loaded). */
  lazyScripts?: string[];
  title: string;
}

export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')];
}

export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  // style-src needs 'unsafe-inline' for the style attributes that lit components and plotly set; scripts stay
  // nonce-only. img-src allows data:/blob: for plotly's PNG/SVG export.
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data: blob:`,
  ].join('; ');
  const esc = (s: string) => s.replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
${(page.styles ?? []).map(s => `<link rel="stylesheet" href="${asset(s + '.css')}">`).join('\n')}
${(page.lazyScripts ?? []).map(s => `<meta name="csi-lazy-script" content="${esc(asset(s))}">`).join('\n')}
<title>${esc(page.title)}</title>
</head>
<body>
<main id="root" aria-live="polite"></main>
${(page.extraScripts ?? []).map(s => `<script nonce="${nonce}" src="${asset(s)}"></script>`).join('\n')}
<script nonce="${nonce}" src="${asset(page.script + '.js')}"></script>
</body>
</html>`;
}
