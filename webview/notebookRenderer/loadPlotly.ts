// Loads the shared dist/webview/plotly.min.js into the notebook's output webview, once. A notebook renderer cannot
// add <script> tags through VS Code, but it is itself an ES module loaded from the extension's folder, so a
// dynamic import() of a sibling URL is allowed by the webview like the renderer itself. plotly's UMD header
// assigns window.Plotly when it is not loaded as CommonJS, which is how it is read back here.
import type { PlotlyLike } from '../common/charts';

/** The renderer module's own URL: esbuild's banner (esbuild.js) defines it from import.meta.url, which tsc's
 *  CommonJS type-check of this tree does not accept directly. */
declare const CSIWB_RENDERER_URL: string | undefined;

let loading: Promise<PlotlyLike> | undefined;

export function plotlyUrl(rendererUrl: string): string {
  return new URL('./plotly.min.js', rendererUrl).href;
}

export function loadPlotly(): Promise<PlotlyLike> {
  const g = globalThis as { Plotly?: PlotlyLike };
  if (g.Plotly) return Promise.resolve(g.Plotly);
  loading ??= (async () => {
    if (typeof CSIWB_RENDERER_URL !== 'string') throw new Error('the renderer was built without its module URL (esbuild banner)');
    const url = plotlyUrl(CSIWB_RENDERER_URL);
    try {
      await import(url);
    } catch (e) {
      throw new Error(`cannot load ${url}: ${(e as Error).message}`);
    }
    if (!g.Plotly) throw new Error(`${url} loaded but did not define Plotly`);
    return g.Plotly;
  })();
  // A failed load may be retried by the next render (e.g. after a transient webview reload).
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
