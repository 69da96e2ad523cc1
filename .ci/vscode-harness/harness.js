// harness.js — a real VS Code host for tests without desktop VS Code: code-server 4.100.3 (VS Code 1.100.3 server +
// web workbench) driven by Debian's headless Chromium through playwright-core. Adapted from the verified recipe in
// ../shared/docs/vscode-harness.md. Exposes hooks that tests inside the extension host reach by console.log:
//   @@SCREENSHOT <abs.png>                 page screenshot
//   @@WEBVIEW_TEXT <selector> <abs.json>   textContent of the first match in any frame (webviews included)
//   @@CLICK <selector>\t<text> <abs.json>   click the first element matching selector whose text contains <text>
//   @@PRESS <selector>\t<k1 k2 …> <abs.json> focus the first match in any frame and press the keys (playwright names)
//   @@CONSOLE <abs.json>                   every console error/warning and uncaught exception so far, each with the
//                                          URL of the frame it came from (see watchConsole)
//   @@RENDERER_MEMORY start|stop <abs.json> sample the workbench renderer's RSS and JS heap every 50 ms until stop;
//                                          stop answers the first, peak and last samples
//   @@SW_TRACE start|stop <abs.json>       record the page origin's service worker version changes (CDP ServiceWorker
//                                          domain: running status, install/activation state, time) until stop
'use strict';
const { handleHook, NOISE, watchConsole } = require('./hooks');
const { spawn } = require('child_process');
const fs = require('fs'),
  os = require('os'),
  path = require('path'),
  util = require('util');

const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'workbench.colorTheme': 'Default Light Modern',
  'window.restoreWindows': 'none',
};

/** Start code-server on 127.0.0.1:<random port> with its own throw-away profile. */
async function startCodeServer({
  entry = process.env.CODE_SERVER_ENTRY,
  vsix = [],
  settings = {},
  env = {},
  log = process.env.HARNESS_SERVER_LOG,
  port = 0,
  keepData = false,
} = {}) {
  if (!entry || !fs.existsSync(entry))
    throw new Error('code-server entry.js not found (set CODE_SERVER_ENTRY; run .ci/vscode-harness/setup-harness.sh): ' + entry);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsch-'));
  const userDir = path.join(dataDir, 'user'),
    extDir = path.join(dataDir, 'ext');
  fs.mkdirSync(path.join(userDir, 'User'), { recursive: true });
  fs.mkdirSync(extDir);
  fs.writeFileSync(path.join(userDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));
  const common = ['--config', '/dev/null', '--user-data-dir', userDir, '--extensions-dir', extDir];
  // EXTENSIONS_GALLERY={} => no marketplace look-ups; XDG_* keep code-server's own logs in the temp dir.
  const fullEnv = {
    ...process.env,
    EXTENSIONS_GALLERY: '{}',
    XDG_DATA_HOME: path.join(dataDir, 'xdg-data'),
    XDG_CONFIG_HOME: path.join(dataDir, 'xdg-config'),
    ...env,
  };
  for (const v of vsix) {
    await new Promise((res, rej) =>
      spawn(process.execPath, [entry, ...common, '--install-extension', v, '--force'], { stdio: 'inherit', env: fullEnv }).on('exit', c =>
        c === 0 ? res() : rej(new Error('install-extension failed: ' + v)),
      ),
    );
  }
  const proc = spawn(
    process.execPath,
    [
      entry,
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
    ],
    { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const logStream = log ? fs.createWriteStream(log) : null;
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    const onData = d => {
      buf += d;
      logStream?.write(d);
      const m = /HTTP server listening on (http:\/\/[\d.]+:\d+)/.exec(buf);
      if (m) resolve(m[1]);
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', c => reject(new Error('code-server exited early (' + c + '):\n' + buf)));
    setTimeout(() => reject(new Error('code-server did not start in 60s:\n' + buf)), 60000).unref();
  });
  const stop = async () => {
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {} // the whole group: wrapper, server, ext hosts
    await new Promise(r => {
      if (proc.exitCode !== null) r();
      else {
        proc.on('exit', r);
        setTimeout(r, 5000).unref();
      }
    });
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {}
    if (!keepData) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, authority: new URL(url).host, proc, dataDir, stop };
}

async function launchChromium() {
  const { chromium } = require('playwright-core'); // lazily: the workbench launcher needs no browser
  const exe = process.env.CHROMIUM || '/usr/bin/chromium';
  return chromium.launch({
    executablePath: exe,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Workbench URL; extension development/test paths travel as the web "payload" (as in VS Code's debug-in-web flow). */
function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const remote = p => `vscode-remote://${server.authority}${path.resolve(p)}`;
  const q = new URLSearchParams();
  if (folder) q.set('folder', path.resolve(folder));
  const payload = [];
  for (const p of [].concat(extensionDevelopmentPath || [])) payload.push(['extensionDevelopmentPath', remote(p)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  if (payload.length) q.set('payload', JSON.stringify(payload));
  return `${server.url}/?${q}`;
}

/** First frame (webview iframes included) that has `selector`. */
async function findFrame(page, selector, timeout = 30000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      try {
        if (await f.$(selector)) return f;
      } catch {}
    }
    await page.waitForTimeout(200);
  }
  throw new Error('no frame contains ' + selector);
}

async function runCommand(page, label) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>' + label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Run extension tests (an extensionTestsPath module exporting run()) in code-server's Node extension host.
 * Resolves to the exit code the workbench reports (0 = pass) or 'timeout'.
 */
async function runExtensionTests({
  extensionDevelopmentPath,
  extensionTestsPath,
  folder,
  shots,
  timeout = 600000,
  verbose = false,
  vsix = [],
  env = {},
  settings = {},
  out = console.log,
}) {
  const server = await startCodeServer({ vsix, settings, env: { ...(shots ? { HARNESS_SHOTS: shots } : {}), CSI_HARNESS: '1', ...env } });
  let browser,
    code = 'unknown';
  try {
    browser = await launchChromium();
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    const hookCtx = { browser, console: await watchConsole(page) };
    let exit;
    const exited = new Promise(r => (exit = r));
    await page.exposeFunction('codeAutomationExit', c => exit(c));
    await page.exposeFunction('codeAutomationLog', async (type, a) => {
      const line = util.format(...a);
      if (line.startsWith('@@') && (await handleHook(page, line, hookCtx))) return;
      if (verbose || type === 'error' || !NOISE.test(line)) out(type === 'error' ? `[error] ${line}` : line);
    });
    page.on('pageerror', e => out('[pageerror] ' + e.message));
    await page.goto(workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath }));
    code = await Promise.race([exited, new Promise(r => setTimeout(() => r('timeout'), timeout).unref())]);
    if (code !== 0 && shots) await page.screenshot({ path: path.join(shots, 'after-failure.png') }).catch(() => {});
  } finally {
    await browser?.close().catch(() => {});
    await server.stop();
  }
  return code;
}

module.exports = { startCodeServer, launchChromium, workbenchUrl, findFrame, runCommand, runExtensionTests };
