#!/usr/bin/env node
// ui-smoke.js — black-box check of the packaged extension, as a user gets it: install the .vsix into code-server,
// open a workspace, open a real Intel 5300 recording from the explorer's Quick Open, read the editor's webview,
// run a palette command, save screenshots. Prints "ui-smoke: N passed, N failed".
//   node ui-smoke.js <ext.vsix> <workspaceFolder> <shotsDir> <expectedRecords>
'use strict';
const fs = require('fs');
const { startCodeServer, launchChromium, workbenchUrl, findFrame, runCommand } = require('./harness');
const [vsix, folder, shots, expectedRecords] = process.argv.slice(2);
const t0 = Date.now();
const log = (...a) => console.log(`[ui-smoke ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
let passed = 0,
  failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    log('✔', name);
  } catch (e) {
    failed++;
    log('✘', name, '—', e.message);
  }
}

(async () => {
  fs.mkdirSync(shots, { recursive: true });
  const server = await startCodeServer({ vsix: [vsix] });
  const browser = await launchChromium();
  const consoleErrors = [];
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    page.on('console', m => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(workbenchUrl(server, { folder }));
    await check('workbench loads the workspace', async () => {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'refdata' }).waitFor({ timeout: 90000 });
    });
    await check('the walkthrough opens on the first start of the installed extension', async () => {
      // The extension activates on startup and opens its walkthrough once (src/extension/firstRun.ts); it takes the
      // editor area, so it must be there before the next check types into the quick open.
      await page
        .locator('.tab', { hasText: 'Walkthrough' })
        .or(page.locator('.tab', { hasText: 'Welcome' }))
        .first()
        .waitFor({ timeout: 30000 });
      await page
        .locator('.getting-started-category, .gettingStartedSlideDetails, .getting-started-step')
        .first()
        .waitFor({ timeout: 15000 });
      await page.screenshot({ path: `${shots}/09-vsix-walkthrough.png` });
    });
    await check('the installed .vsix opens a real Intel 5300 file in the CSI recording editor', async () => {
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill('log.all_csi.6.7.6');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'log.all_csi.6.7.6' }).first().waitFor();
      await page.keyboard.press('Enter');
      const wv = await findFrame(page, '[data-testid="records"]', 60000);
      const records = (await wv.textContent('[data-testid="records"]')).trim();
      if (records !== expectedRecords) throw new Error(`records shown ${records}, expected ${expectedRecords}`);
      const format = (await wv.textContent('[data-testid="format"]')).trim();
      if (format !== 'intel5300') throw new Error('format shown: ' + format);
      await page.screenshot({ path: `${shots}/10-vsix-editor.png` });
    });
    await check('palette command runs in the worker and reports', async () => {
      await runCommand(page, 'CSI Workbench: Check Worker');
      const toast = page.locator('.notification-toast', { hasText: 'worker OK' });
      await toast.waitFor({ timeout: 30000 });
      await page.waitForTimeout(400);
      await page.screenshot({ path: `${shots}/11-vsix-command.png` });
    });
    await check('webviews log no CSP violations', async () => {
      const csp = consoleErrors.filter(e => /Content Security Policy|Refused to/.test(e));
      if (csp.length) throw new Error(csp.slice(0, 3).join(' | '));
    });
  } finally {
    await browser.close();
    await server.stop();
  }
  log(`ui-smoke: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch(e => {
  console.error(e);
  console.log('ui-smoke: 0 passed, 1 failed');
  process.exit(1);
});
