// Plotly is not a <script> of the page: the editor loads it after its first view is on screen (see preview.ts).
// The page's HTML names its URL in <meta name="csi-lazy-script"> (src/extension/webviewHtml.ts); the script element
// added here carries the nonce of the page's own script, which the Content-Security-Policy requires.
import { mark } from './bootTiming';

/** The nonce of the script running now (the editor bundle), read while it runs: scripts added later need it. */
const nonce =
  (document.currentScript as HTMLScriptElement | null)?.nonce || document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce || '';

let resolveLoaded: () => void = () => {};
let rejectLoaded: (e: Error) => void = () => {};
const loaded = new Promise<void>((res, rej) => {
  resolveLoaded = res;
  rejectLoaded = rej;
});
loaded.catch(() => {
  /* reported by whoever awaits it */
});
let started = false;

const present = () => typeof (window as unknown as { Plotly?: unknown }).Plotly !== 'undefined';

/** Resolves once plotly has loaded (does not start loading it). */
export function whenPlotly(): Promise<void> {
  if (present()) return Promise.resolve();
  return loaded;
}

export function plotlyStarted(): boolean {
  return started;
}

/** Start loading plotly (once); resolves when it is there. */
export function loadPlotly(): Promise<void> {
  if (started || present()) {
    if (present()) resolveLoaded();
    return whenPlotly();
  }
  started = true;
  const url = document.querySelector<HTMLMetaElement>('meta[name="csi-lazy-script"][content*="plotly"]')?.content;
  if (!url) {
    rejectLoaded(new Error('the page names no plotly script'));
    return loaded;
  }
  mark('plotlyRequested');
  const s = document.createElement('script');
  s.nonce = nonce;
  s.src = url;
  s.async = true;
  s.onload = () => {
    mark('plotlyLoaded');
    if (present()) resolveLoaded();
    else rejectLoaded(new Error(`${url} did not define Plotly`));
  };
  s.onerror = () => rejectLoaded(new Error(`could not load ${url}`));
  document.head.append(s);
  return loaded;
}

/** Start loading plotly once the browser has painted what is on screen now (the first view comes first). */
export function loadPlotlyAfterPaint(): void {
  if (started || present()) return;
  requestAnimationFrame(() => setTimeout(() => void loadPlotly(), 0));
}
