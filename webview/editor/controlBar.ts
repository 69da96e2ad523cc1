// The recording editor's control bar: antennas, ratio pair and subcarriers, phase mode, colour scale, scaling,
// Doppler window and band, and the linked time axis, built from @vscode-elements form controls. The page's state
// comes in through ControlBarContext, so the bar is rebuilt whenever the host or the user changes a control.
import type { RecordingSummary } from '../../src/shared/recordingSummary';
import type { ViewControls } from '../../src/shared/recordingView';
import { el } from './metadata';

export interface ControlBarContext {
  controls: ViewControls;
  /** The Doppler band's upper limit (the packet rate's Nyquist), once a spectrogram told it. */
  maxBandHz: number | undefined;
  setControls(next: Partial<ViewControls>, refetch?: { view?: boolean; doppler?: boolean }): void;
  rerenderControls(): void;
  charts: { zoom(f: number): void; pan(f: number): void; apply(range: undefined, y: undefined, broadcast: boolean): unknown } | undefined;
}

export function radioGroup(
  name: string,
  label: string,
  n: number,
  value: number,
  prefix: string,
  onPick: (v: number) => void,
): HTMLElement {
  const group = el('vscode-radio-group', { 'aria-label': label, id: `ctl-${name}` });
  for (let i = 0; i < n; i++) {
    const r = el(
      'vscode-radio',
      { name, value: String(i), label: `${prefix} ${i + 1}`, 'data-testid': `${name}-${i + 1}`, ...(i === value ? { checked: '' } : {}) },
      `${prefix} ${i + 1}`,
    );
    r.addEventListener('change', () => {
      if ((r as HTMLElement & { checked: boolean }).checked) onPick(i);
    });
    group.append(r);
  }
  return el('div', { class: 'ctl' }, el('vscode-label', { for: `ctl-${name}` }, label), group);
}

export function select(name: string, label: string, options: [string, string][], value: string, onPick: (v: string) => void): HTMLElement {
  const s = el(
    'vscode-single-select',
    { id: `ctl-${name}`, 'aria-label': label, 'data-testid': `ctl-${name}` },
    ...options.map(([v, text]) => el('vscode-option', { value: v, ...(v === value ? { selected: '' } : {}) }, text)),
  );
  s.addEventListener('change', () => onPick((s as HTMLElement & { value: string }).value));
  return el('div', { class: 'ctl' }, el('vscode-label', { for: `ctl-${name}` }, label), s);
}

export function textfield(name: string, label: string, value: string, width: string, onCommit: (v: string) => boolean): HTMLElement {
  const t = el('vscode-textfield', {
    id: `ctl-${name}`,
    value,
    'aria-label': label,
    style: `width:${width}`,
    'data-testid': `ctl-${name}`,
  });
  t.addEventListener('change', () => {
    const ok = onCommit((t as HTMLElement & { value: string }).value);
    if (ok) t.removeAttribute('invalid');
    else t.setAttribute('invalid', '');
  });
  return el('div', { class: 'ctl' }, el('vscode-label', { for: `ctl-${name}` }, label), t);
}

export function button(text: string, testid: string, onClick: () => void, icon?: string): HTMLElement {
  const b = el('vscode-button', { 'data-testid': testid, secondary: '', ...(icon ? { icon } : {}) }, text);
  b.addEventListener('click', onClick);
  return b;
}

/** The band control's label, with the Nyquist limit once a spectrogram told it. */
export function bandLabel(maxBandHz: number | undefined): string {
  return maxBandHz ? `Doppler band (± Hz, ≤ ${maxBandHz.toFixed(maxBandHz < 10 ? 1 : 0)})` : 'Doppler band (± Hz)';
}

export function controlBar(s: RecordingSummary, ctx: ControlBarContext): HTMLElement {
  // The context's getters are read when a control fires, so a callback sees the page's state of that moment.
  const { setControls, rerenderControls } = ctx;
  const nRx = Math.max(1, s.nRx),
    nTx = Math.max(1, s.nTx);
  return el(
    'section',
    { class: 'controls', 'aria-label': 'View controls' },
    radioGroup('rx', 'Receive antenna', nRx, ctx.controls.rx, 'rx', v => {
      // Keep the CSI-ratio pair two different antennas when the first one moves onto the second.
      const rx2 = v === ctx.controls.rx2 && nRx > 1 ? (v + 1) % nRx : ctx.controls.rx2;
      setControls({ rx: v, rx2 });
      if (rx2 !== ctx.controls.rx2 || rx2 === v) rerenderControls();
    }),
    radioGroup('tx', 'Transmit antenna', nTx, ctx.controls.tx, 'tx', v => setControls({ tx: v })),
    radioGroup('rx2', 'CSI ratio with', nRx, ctx.controls.rx2, 'rx', v => setControls({ rx2: v }, { view: true })),
    textfield('subcarriers', `Ratio subcarriers (1–${s.nSubcarriers})`, ctx.controls.subcarriers.map(x => x + 1).join(', '), '9em', v => {
      const list = v
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map(Number);
      if (!list.length || list.some(x => !Number.isInteger(x) || x < 1 || x > s.nSubcarriers)) return false;
      setControls({ subcarriers: list.map(x => x - 1) }, { view: true });
      return true;
    }),
    select(
      'phase',
      'Phase',
      [
        ['sanitised', 'sanitised'],
        ['raw', 'raw (wrapped)'],
      ],
      ctx.controls.phaseMode,
      v => setControls({ phaseMode: v === 'raw' ? 'raw' : 'sanitised' }, { view: true }),
    ),
    select(
      'colors',
      'Colour scale',
      ['Viridis', 'Cividis', 'Jet', 'Hot', 'Greys', 'RdBu'].map(x => [x, x] as [string, string]),
      ctx.controls.colorScale,
      v => setControls({ colorScale: v }, { view: true, doppler: true }),
    ),
    (() => {
      // Only a format that defines a scaling (Intel 5300 get_scaled_csi) offers the choice; elsewhere say what is shown.
      if (s.scaledAvailable === false)
        return el(
          'div',
          { class: 'ctl' },
          el('vscode-label', {}, 'Values'),
          el('span', { 'data-testid': 'ctl-scaled', title: 'this format defines no scaling of its CSI' }, 'raw (no scaling defined)'),
        );
      const cb = el('vscode-checkbox', {
        label: 'Scaled CSI',
        'data-testid': 'ctl-scaled',
        ...(ctx.controls.useScaled ? { checked: '' } : {}),
      });
      cb.addEventListener('change', () => setControls({ useScaled: (cb as HTMLElement & { checked: boolean }).checked }, { view: true }));
      return el('div', { class: 'ctl' }, el('vscode-label', {}, 'Values'), cb);
    })(),
    textfield('window', 'Doppler window (s)', String(ctx.controls.dopplerWindowS), '5em', v => {
      const x = Number(v);
      if (!(x >= 0.01 && x <= 10)) return false;
      setControls({ dopplerWindowS: x }, { doppler: true });
      return true;
    }),
    textfield('band', bandLabel(ctx.maxBandHz), String(ctx.controls.dopplerBandHz), '5em', v => {
      const x = Number(v);
      // At most the Nyquist frequency of the packet rate (known once a spectrogram was computed).
      if (!(x >= 1 && x <= 1000) || (ctx.maxBandHz !== undefined && x > ctx.maxBandHz + 1e-9)) return false;
      setControls({ dopplerBandHz: x }, { doppler: true });
      return true;
    }),
    el(
      'div',
      { class: 'ctl zoom', role: 'group', 'aria-label': 'Time axis' },
      el('vscode-label', {}, 'Time axis (all charts)'),
      el(
        'div',
        { class: 'buttons' },
        button('Zoom in', 'zoom-in', () => ctx.charts?.zoom(0.5)),
        button('Zoom out', 'zoom-out', () => ctx.charts?.zoom(2)),
        button('◀', 'pan-left', () => ctx.charts?.pan(-0.5)),
        button('▶', 'pan-right', () => ctx.charts?.pan(0.5)),
        button('Reset', 'zoom-reset', () => void ctx.charts?.apply(undefined, undefined, true)),
      ),
    ),
  );
}
