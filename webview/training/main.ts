// Live training panel: loss and accuracy per epoch (and the running batch values), learning rate, samples/s and
// ETA for each model being trained. The host forwards the worker's TrainingProgressView messages as they come.
import type { TrainingProgressView } from '../../src/shared/experimentView';
import type { HostToTraining, TrainingToHost, WebviewApi } from '../../src/shared/panelProtocol';
import { baseLayout, CHART_CSS, type PlotlyLike } from '../common/charts';
import { readTheme, watchTheme } from '../common/theme';

declare const Plotly: PlotlyLike;
declare function acquireVsCodeApi(): WebviewApi<TrainingToHost>;
const vscode = acquireVsCodeApi();

interface Track {
  epochs: number[];
  loss: number[];
  acc: number[];
  lr: number[];
  valLoss: number[];
  valAcc: number[];
  last?: TrainingProgressView;
}
const tracks = new Map<string, Track>();

const root = document.getElementById('root')!;
const style = document.createElement('style');
style.textContent = CHART_CSS + '#train-status { font-variant-numeric: tabular-nums; margin: 4px 0 8px; } .idle { opacity: .7 }';
document.head.append(style);
const status = document.createElement('div');
status.id = 'train-status';
status.setAttribute('role', 'status');
status.className = 'idle';
status.textContent = 'Waiting for a training step to start (run a teacher or student cell).';
const grid = document.createElement('div');
grid.className = 'csiwb-grid';
const lossEl = document.createElement('div'),
  accEl = document.createElement('div'),
  lrEl = document.createElement('div');
for (const [e, label] of [
  [lossEl, 'training and validation loss per epoch'],
  [accEl, 'training and validation accuracy per epoch'],
  [lrEl, 'learning rate per epoch'],
] as const) {
  e.className = 'csiwb-plot';
  e.setAttribute('role', 'img');
  e.setAttribute('aria-label', label);
  grid.append(e);
}
root.append(status, grid);

function fmtEta(s: number): string {
  if (!Number.isFinite(s)) return '—';
  return s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.round(s)} s`;
}

let pending = false;
function draw(): void {
  pending = false;
  const t = readTheme();
  // Copies, not the live arrays: Plotly.react redraws only data whose array identity changed.
  const series = (pick: (k: Track) => number[]) =>
    [...tracks].map(([name, k]) => ({
      type: 'scatter',
      mode: k.epochs.length > 30 ? 'lines' : 'lines+markers',
      name,
      x: [...k.epochs],
      y: [...pick(k)],
    }));
  // Validation series (dashed) for models whose epochs reported them.
  const valSeries = (pick: (k: Track) => number[]) =>
    [...tracks]
      .filter(([, k]) => k.valLoss.some(Number.isFinite))
      .map(([name, k]) => ({
        type: 'scatter',
        mode: k.epochs.length > 30 ? 'lines' : 'lines+markers',
        name: `${name} (val)`,
        line: { dash: 'dash' },
        x: [...k.epochs],
        y: [...pick(k)],
      }));
  const maxEpoch = Math.max(1, ...[...tracks.values()].map(k => k.epochs[k.epochs.length - 1] ?? 1));
  const xaxis = {
    title: { text: 'epoch' },
    color: t.foreground,
    gridcolor: t.grid,
    dtick: Math.max(1, Math.ceil(maxEpoch / 10)),
    range: [0.5, maxEpoch + 0.5],
  };
  const config = { displaylogo: false, displayModeBar: false, responsive: true };
  void Plotly.react(
    lossEl,
    [...series(k => k.loss), ...valSeries(k => k.valLoss)],
    baseLayout(t, 'loss (train, val dashed)', { xaxis }),
    config,
  );
  void Plotly.react(
    accEl,
    [...series(k => k.acc), ...valSeries(k => k.valAcc)],
    baseLayout(t, 'accuracy (train, val dashed)', {
      xaxis,
      yaxis: { range: [0, 1], tickformat: '.0%', color: t.foreground, gridcolor: t.grid },
    }),
    config,
  );
  void Plotly.react(
    lrEl,
    series(k => k.lr),
    baseLayout(t, 'learning rate', { xaxis, yaxis: { exponentformat: 'e', color: t.foreground, gridcolor: t.grid } }),
    config,
  );
}

function update(p: TrainingProgressView): void {
  const k = tracks.get(p.model) ?? { epochs: [], loss: [], acc: [], lr: [], valLoss: [], valAcc: [] };
  tracks.set(p.model, k);
  k.last = p;
  if (p.kind === 'epoch') {
    // A resumed run repeats no epochs, but a re-run from scratch restarts at 1: start the curve again then.
    if (k.epochs.length && p.epoch <= k.epochs[k.epochs.length - 1]) {
      k.epochs = [];
      k.loss = [];
      k.acc = [];
      k.lr = [];
      k.valLoss = [];
      k.valAcc = [];
    }
    k.epochs.push(p.epoch);
    k.loss.push(p.loss);
    k.acc.push(p.acc);
    k.lr.push(p.lr);
    k.valLoss.push(p.valLoss ?? NaN);
    k.valAcc.push(p.valAcc ?? NaN);
    // setTimeout, not requestAnimationFrame: rAF is paused while the panel is in a background tab, and the
    // curves must be current when it is shown again.
    if (!pending) {
      pending = true;
      setTimeout(draw, 150);
    }
  }
  status.className = '';
  const val = p.valAcc !== undefined ? `val accuracy ${(100 * p.valAcc).toFixed(1)} % · ` : '';
  status.textContent =
    `${p.model}: epoch ${p.epoch}/${p.epochs}, batch ${p.batch}/${p.batches} · loss ${p.loss.toFixed(4)} · accuracy ${(100 * p.acc).toFixed(1)} % · ${val}` +
    `lr ${p.lr.toExponential(2)} · ${p.samplesPerS.toFixed(0)} samples/s · ETA ${fmtEta(p.etaS)}`;
}

window.addEventListener('message', (e: MessageEvent<HostToTraining>) => {
  if (e.data?.type === 'progress') update(e.data.progress);
  else if (e.data?.type === 'reset') {
    tracks.clear();
    draw();
  }
});
watchTheme(() => draw());
draw();
vscode.postMessage({ type: 'ready' });
