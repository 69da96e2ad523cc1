// Notebook renderer for experiment cell outputs (RESULT_MIME results and FAILURE_MIME failures). VS Code loads it
// as an ES module and calls activate(); it must export that, so esbuild builds it with format 'esm' (esbuild.js).
// plotly is bundled in: a renderer cannot add <script> tags to the notebook's webview.
import Plotly from 'plotly.js-dist-min';
import type { StepFailureView, StepResultView } from '../../src/shared/experimentView';
import { CHART_CSS, renderFailure, renderResult, type PlotlyLike } from './charts';

interface OutputItem { mime: string; json(): unknown }
interface RendererContext { readonly postMessage?: (m: unknown) => void }

function ensureStyle(): void {
  if (document.getElementById('csiwb-renderer-style')) return;
  const s = document.createElement('style');
  s.id = 'csiwb-renderer-style';
  s.textContent = CHART_CSS;
  document.head.append(s);
}

export function activate(_ctx: RendererContext) {
  return {
    renderOutputItem(item: OutputItem, element: HTMLElement): void {
      ensureStyle();
      for (const child of Array.from(element.querySelectorAll('.csiwb-plot'))) (Plotly as unknown as PlotlyLike).purge(child as HTMLElement);
      element.replaceChildren();
      const root = document.createElement('div');
      root.className = 'csiwb-output';
      element.append(root);
      if (item.mime.includes('failure')) renderFailure(root, item.json() as StepFailureView);
      else renderResult(Plotly as unknown as PlotlyLike, root, item.json() as StepResultView);
    },
    disposeOutputItem(): void { /* plots are purged on re-render */ },
  };
}
