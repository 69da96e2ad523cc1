// The test hooks of the VS Code harness: the lines an extension test prints to ask the harness for something only
// the browser side can do (screenshots, typing, renderer memory, service-worker traces; see the list in harness.js),
// the workbench console watch, and the renderer process sampling behind them.
'use strict';
const fs = require('fs'),
  path = require('path');

/**
 * Console errors/warnings and uncaught exceptions of every frame, from a CDP session of our own: unlike playwright's
 * page 'console' event, CDP names the execution context (hence the frame) a message came from, so a test can keep
 * exactly its webview's messages and leave VS Code's own (same page, other frames) out by origin.
 * Log entries (CSP violations, failed loads) have no context; they keep the URL the browser gives (the document or
 * resource concerned).
 */
async function watchConsole(page) {
  const cdp = await page.context().newCDPSession(page);
  const entries = [],
    contexts = new Map(),
    frames = new Map();
  const frameUrl = ctxId => frames.get(contexts.get(ctxId)) ?? null;
  const push = e => entries.push({ seq: entries.length, time: Date.now(), ...e });
  cdp.on('Page.frameNavigated', e => frames.set(e.frame.id, e.frame.url));
  cdp.on('Runtime.executionContextCreated', e => {
    if (e.context.auxData?.frameId) contexts.set(e.context.id, e.context.auxData.frameId);
  });
  cdp.on('Runtime.consoleAPICalled', e => {
    if (e.type !== 'error' && e.type !== 'warning' && e.type !== 'assert') return;
    const text = e.args.map(a => a.value ?? a.description ?? '').join(' ');
    push({
      kind: 'console',
      level: e.type === 'warning' ? 'warning' : 'error',
      frameUrl: frameUrl(e.executionContextId),
      url: e.stackTrace?.callFrames?.[0]?.url ?? null,
      text,
    });
  });
  cdp.on('Runtime.exceptionThrown', e => {
    const d = e.exceptionDetails;
    push({
      kind: 'exception',
      level: 'error',
      frameUrl: frameUrl(d.executionContextId),
      url: d.url ?? d.stackTrace?.callFrames?.[0]?.url ?? null,
      text: d.exception?.description ?? d.text,
    });
  });
  cdp.on('Log.entryAdded', e => {
    if (e.entry.level !== 'error' && e.entry.level !== 'warning') return;
    push({ kind: 'log', level: e.entry.level, source: e.entry.source, frameUrl: null, url: e.entry.url ?? null, text: e.entry.text });
  });
  await cdp.send('Page.enable');
  const walk = n => {
    frames.set(n.frame.id, n.frame.url);
    for (const c of n.childFrames ?? []) walk(c);
  };
  walk((await cdp.send('Page.getFrameTree')).frameTree);
  await cdp.send('Runtime.enable');
  await cdp.send('Log.enable');
  return { entries, cdp };
}

/** The renderer process that draws the workbench page (and, same-origin in code-server, its webviews). */
async function workbenchRendererPid(browser) {
  const b = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = await b.send('SystemInfo.getProcessInfo');
    let best = null,
      bestRss = -1;
    for (const p of processInfo.filter(x => x.type === 'renderer')) {
      let cmd = '',
        rss = 0;
      try {
        cmd = fs.readFileSync(`/proc/${p.id}/cmdline`, 'utf8');
        rss = procStatus(p.id).VmRSS;
      } catch {
        continue;
      }
      if (cmd.includes('--top-chrome-webui')) continue; // the browser's own UI pages, not ours
      if (rss > bestRss) {
        best = p.id;
        bestRss = rss;
      }
    }
    return best;
  } finally {
    await b.detach().catch(() => {});
  }
}

/** VmRSS / VmHWM of a process in KiB. */
function procStatus(pid) {
  const t = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = k => Number((new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(t) || [])[1]);
  return { VmRSS: kib('VmRSS'), VmHWM: kib('VmHWM') };
}

/** Samples the workbench renderer every 50 ms: RSS from /proc, JS heap from CDP Performance.getMetrics. */
function rendererWatch(pid, cdp) {
  const samples = [];
  let busy = false;
  const take = async () => {
    if (busy) return;
    busy = true;
    try {
      const s = { t: Date.now(), rssKiB: procStatus(pid).VmRSS };
      const m = (await cdp.send('Performance.getMetrics')).metrics;
      s.jsHeapUsed = m.find(x => x.name === 'JSHeapUsedSize')?.value;
      s.jsHeapTotal = m.find(x => x.name === 'JSHeapTotalSize')?.value;
      s.domNodes = m.find(x => x.name === 'Nodes')?.value;
      samples.push(s);
    } catch {
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(take, 50);
  void take();
  return async () => {
    clearInterval(timer);
    await take();
    const max = k => samples.reduce((a, s) => (s[k] > a[k] ? s : a), samples[0]);
    return {
      pid,
      samples: samples.length,
      first: samples[0],
      last: samples[samples.length - 1],
      peakRss: max('rssKiB'),
      peakJsHeap: max('jsHeapUsed'),
    };
  };
}

const NOISE =
  /^(Resolving connection token|Resolved connection token|Creating a socket|\[Service Worker\]|Updating additional builtin|ChatSessionStore|Ignoring fetching additional builtin|Creation of workbench contribution)/;

/** A hook's answer file, written whole before it appears (the test polls for it and must never read it half-written). */
function answer(file, value) {
  fs.writeFileSync(file + '.part', JSON.stringify(value));
  fs.renameSync(file + '.part', file);
}

/** Handle the in-test hooks; returns true when the line was a hook. `ctx`: { browser, console, watch } of the run. */
async function handleHook(page, line, ctx = {}) {
  let m;
  if ((m = /^@@PRESS (.+)\t(.*) (\S+)$/.exec(line))) {
    let ok = false;
    for (const f of page.frames()) {
      try {
        const loc = f.locator(m[1]).first();
        if (!(await loc.count())) continue;
        await loc.focus({ timeout: 5000 });
        for (const k of m[2].split(' ').filter(Boolean)) await loc.press(k, { timeout: 5000 });
        ok = true;
        break;
      } catch {}
    }
    answer(m[3], { ok });
    return true;
  }
  if ((m = /^@@CONSOLE (\S+)/.exec(line))) {
    answer(m[1], { available: !!ctx.console, entries: ctx.console?.entries ?? [] });
    return true;
  }
  if ((m = /^@@RENDERER_MEMORY (start|stop) (\S+)/.exec(line))) {
    let out = { ok: false };
    try {
      if (m[1] === 'start') {
        const pid = await workbenchRendererPid(ctx.browser);
        await ctx.console.cdp.send('Performance.enable');
        ctx.stopWatch = rendererWatch(pid, ctx.console.cdp);
        out = { ok: true, pid };
      } else if (ctx.stopWatch) {
        out = { ok: true, ...(await ctx.stopWatch()) };
        ctx.stopWatch = undefined;
      }
    } catch (e) {
      out = { ok: false, error: e.message };
    }
    answer(m[2], out);
    return true;
  }
  if ((m = /^@@SW_TRACE (start|stop) (\S+)/.exec(line))) {
    // Service worker versions of the page's origin (VS Code's webview worker): every state change, with its time.
    let out = { ok: false };
    try {
      const cdp = ctx.console.cdp;
      if (m[1] === 'start') {
        ctx.swEvents = [];
        ctx.swListener ??= e => {
          const t = Date.now();
          for (const v of e.versions)
            ctx.swEvents?.push({
              t,
              versionId: v.versionId,
              registrationId: v.registrationId,
              id: new URL(v.scriptURL).searchParams.get('id'),
              runningStatus: v.runningStatus,
              status: v.status,
              controlledClients: (v.controlledClients ?? []).length,
            });
        };
        if (!ctx.swEnabled) {
          cdp.on('ServiceWorker.workerVersionUpdated', ctx.swListener);
          await cdp.send('ServiceWorker.enable');
          ctx.swEnabled = true;
        }
        out = { ok: true };
      } else {
        out = { ok: true, events: ctx.swEvents ?? [] };
        ctx.swEvents = undefined;
      }
    } catch (e) {
      out = { ok: false, error: e.message };
    }
    answer(m[2], out);
    return true;
  }
  if ((m = /^@@SCREENSHOT (\S+)/.exec(line))) {
    fs.mkdirSync(path.dirname(m[1]), { recursive: true });
    await page.screenshot({ path: m[1] }).catch(e => console.error('[harness] screenshot failed: ' + e.message));
    return true;
  }
  if ((m = /^@@WEBVIEW_TEXT (\S+) (\S+)/.exec(line))) {
    let text = null;
    for (const f of page.frames()) {
      try {
        const el = await f.$(m[1]);
        if (el) {
          text = await el.textContent();
          break;
        }
      } catch {}
    }
    answer(m[2], { text });
    return true;
  }
  if ((m = /^@@CLICK (.+)\t(.*) (\S+)$/.exec(line))) {
    let ok = false;
    for (const f of page.frames()) {
      try {
        const loc = f.locator(m[1], m[2] ? { hasText: m[2] } : {}).first();
        if (await loc.count()) {
          await loc.click({ timeout: 5000 });
          ok = true;
          break;
        }
      } catch {}
    }
    answer(m[3], { ok });
    return true;
  }
  return false;
}

module.exports = { handleHook, NOISE, watchConsole };
