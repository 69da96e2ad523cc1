// Notebook renderer for experiment cell outputs (RESULT_MIME results and FAILURE_MIME failures). VS Code loads it
// as an ES module and calls activate(); it must export that, so esbuild builds it with format 'esm' (esbuild.js).
// plotly is not bundled in: the renderer imports the plotly.min.js that already ships next to it for the panels
// (dist/webview/), resolved against the renderer's own URL, so the .vsix carries plotly once (it was 4.6 MB twice).
import type { StepFailureView, StepResultView } from '../../src/shared/experimentView';
import { CHART_CSS, renderFailure, renderResult, type PlotlyLike } from '../common/charts';
import { loadPlotly } from './loadPlotly';

interface OutputItem {
  mime: string;
  json(): unknown;
}
interface RendererContext {
  readonly postMessage?: (m: unknown) => void;
}

function ensureStyle(): void {
  if (document.getElementById('csiwb-renderer-style')) return;
  const s = document.createElement('style');
  s.id = 'csiwb-renderer-style';
  s.textContent = CHART_CSS;
  document.head.append(s);
}

export function activate(_ctx: RendererContext) {
  let plotly: PlotlyLike | undefined;
  return {
    async renderOutputItem(item: OutputItem, element: HTMLElement, signal?: AbortSignal): Promise<void> {
      ensureStyle();
      if (plotly) for (const child of Array.from(element.querySelectorAll('.csiwb-plot'))) plotly.purge(child as HTMLElement);
      element.replaceChildren();
      const root = document.createElement('div');
      root.className = 'csiwb-output';
      element.append(root);
      if (item.mime.includes('failure')) {
        renderFailure(root, item.json() as StepFailureView);
        return;
      }
      try {
        plotly ??= await loadPlotly();
      } catch (e) {
        // Tables still render without charts; say why the charts are missing instead of failing silently.
        const p = document.createElement('p');
        p.className = 'csiwb-meta';
        p.textContent = `Charts unavailable: ${(e as Error).message}`;
        root.append(p);
        plotly = undefined;
      }
      if (signal?.aborted) return; // VS Code re-rendered this output while plotly was loading
      renderResult(plotly ?? NO_PLOTS, root, item.json() as StepResultView);
    },
    disposeOutputItem(): void {
      /* plots are purged on re-render */
    },
  };
}

/** Stands in for plotly when it could not be loaded: renderResult's tables still draw, charts stay empty. */
const NO_PLOTS: PlotlyLike = { newPlot: () => Promise.resolve(), react: () => Promise.resolve(), purge: () => undefined };
