// Where the editor's first view spends its time, in epoch milliseconds (performance.timeOrigin + now(), comparable
// with the extension host's clock on the same machine). Imported first by main.ts, so 'scriptStart' is taken
// before any other module of the bundle is evaluated. The marks travel with the 'rendered' messages; the editor
// benchmark (bench/editorHostRun.ts) turns them into phases measured from `vscode.openWith`.
const now = () => performance.timeOrigin + performance.now();
const marks: Record<string, number> = {};

/** Record `name` once (the first time it happens). */
export function mark(name: string): void {
  if (marks[name] === undefined) marks[name] = now();
}

/** The marks so far, with the document's navigation and the load of our own assets (resource timing). */
export function bootTiming(): Record<string, number> {
  const out: Record<string, number> = { ...marks, documentStart: performance.timeOrigin };
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (nav) {
    // The document's own load: VS Code loads a placeholder page (pre/fake.html) into the frame and then writes our
    // HTML into it, so these time that placeholder's request (service worker start, request, response).
    for (const k of ['workerStart', 'fetchStart', 'connectStart', 'connectEnd', 'requestStart', 'responseStart'] as const) {
      if (nav[k] > 0) out[`document:${k}`] = performance.timeOrigin + nav[k];
    }
    out.documentResponseEnd = performance.timeOrigin + nav.responseEnd;
    out.domInteractive = performance.timeOrigin + nav.domInteractive;
    if (nav.domContentLoadedEventEnd > 0) out.domContentLoaded = performance.timeOrigin + nav.domContentLoadedEventEnd;
  }
  for (const r of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    const name = /\/dist\/webview\/([\w.-]+)(?:\?|$)/.exec(r.name)?.[1];
    if (!name) continue;
    out[`fetch:${name}:start`] = performance.timeOrigin + r.startTime;
    out[`fetch:${name}:end`] = performance.timeOrigin + r.responseEnd;
  }
  return out;
}

mark('scriptStart');

// VS Code keeps a webview's frame hidden (visibility: hidden) until the frame's load event or 200 ms after it wrote
// the page into it, whichever comes first (pre/index.html: hookupOnLoadHandlers); a view drawn before then is not
// yet visible. The page cannot see its frame's style (VS Code deletes window.parent), so the load event is recorded
// and the benchmark takes the earlier of it and the first asset request + 200 ms.
window.addEventListener('load', () => mark('loadEvent'), { once: true });
