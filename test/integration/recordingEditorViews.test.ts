// The recording editor's linked views in a real VS Code host: one real file of each format from refdata, the
// rendered charts checked through the webview's own report (captions written from the plotly graph divs: trace
// count, x-axis range, columns, packet range), antenna and zoom changed through the UI, linked side-by-side
// editors, export and copy commands, and truncated / Widar-named files. Expected numbers come from
// refdata/expected/*.json (independent numpy readers) or from the bytes themselves, never from our own output.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CsiWorkbenchApi } from '../../src/extension/extension';
import type { RenderedEvent } from '../../src/extension/recordingEditor';
import { click, consoleEntries, inHarness, press, screenshot, type ConsoleEntry } from './hostHooks';

const EXT_ID = 'csi-workbench.csi-workbench';
const ws = () => vscode.workspace.workspaceFolders![0].uri;
const shared = process.env.CSI_SHARED!;
const expected = (name: string) => JSON.parse(fs.readFileSync(path.join(shared, 'refdata', 'expected', name + '.json'), 'utf8'));
const refUri = (...p: string[]) => vscode.Uri.joinPath(ws(), 'refdata', ...p);

async function api(): Promise<CsiWorkbenchApi> {
  const ext = vscode.extensions.getExtension<CsiWorkbenchApi>(EXT_ID);
  assert.ok(ext, `extension ${EXT_ID} is loaded`);
  return ext.activate();
}

/** Resolves with the first render of `uri` that satisfies `ok` (subscribe before acting). */
async function nextRender(uri: vscode.Uri, ok: (e: RenderedEvent) => boolean, what: string, timeoutMs = 30000): Promise<RenderedEvent> {
  const a = await api();
  let last: RenderedEvent | undefined;
  return new Promise<RenderedEvent>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`${path.basename(uri.fsPath)}: ${what} (last report: ${JSON.stringify(last?.dom ?? null).slice(0, 1500)})`));
    }, timeoutMs);
    const sub = a.recordingEditor.onDidRender(e => {
      if (e.uri !== uri.toString()) return;
      last = e;
      if (e.view === 'error' || ok(e)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(e);
      }
    });
  });
}

const chartsReady = (e: RenderedEvent) => e.charts && !/computing/.test(e.dom['caption-doppler'] ?? 'computing');

async function openCharts(uri: vscode.Uri, viewType = 'csiWorkbench.recording'): Promise<RenderedEvent> {
  // 60 s: under a heavily loaded CI machine the webview (plotly is 3.5 MB of script) can take long to boot.
  const done = nextRender(uri, chartsReady, 'charts were not drawn', 60000);
  await vscode.commands.executeCommand('vscode.openWith', uri, viewType);
  const r = await done;
  assert.equal(r.view, 'summary', r.dom.error);
  return r;
}

/** "1 trace · x 0.000–2.014 s · 26 columns (full resolution), packets 0–25 · …" → parts. */
function caption(text: string | undefined) {
  assert.ok(text, 'caption present');
  const traces = /^(\d+) traces?/.exec(text);
  const x = /x (-?[\d.]+)–(-?[\d.]+) s/.exec(text);
  const cols = /(\d+) columns \(([^)]+)\)/.exec(text);
  const pk = /packets (\d+)–(\d+)/.exec(text);
  return {
    traces: traces ? +traces[1] : NaN,
    x: x ? ([+x[1], +x[2]] as [number, number]) : undefined,
    columns: cols ? +cols[1] : NaN,
    resolution: cols?.[2],
    packets: pk ? ([+pk[1], +pk[2]] as [number, number]) : undefined,
    text,
  };
}

function nexmonFrames(e: Record<string, unknown>): number {
  const frames = [...(e.first_frames as { seq: number }[]), e.last_frame as { seq: number }];
  assert.equal(frames.length, e.num_frames, 'the expected file lists every packet (first_frames + last_frame)');
  return new Set(frames.map(f => f.seq)).size;
}

/** Screenshots of the page top (amplitude, phase) and, scrolled, of the lower charts. */
async function screenshotCharts(uri: vscode.Uri, name: string): Promise<void> {
  await screenshot(`${name}-a-amplitude-phase`);
  const p = (await api()).recordingEditor.panelsFor(uri)[0];
  for (const [chart, tag] of [
    ['ratio', 'b-ratio-doppler'],
    ['packets', 'c-packets'],
  ] as const) {
    p.post({ type: 'reveal', chart });
    await new Promise(r => setTimeout(r, 400));
    await screenshot(`${name}-${tag}`);
  }
}

interface FormatCase {
  name: string;
  file: string[];
  count: (e: Record<string, unknown>) => number;
  viewType?: string;
  nRxMin: number;
}
const CASES: FormatCase[] = [
  { name: 'intel5300', file: ['intel5300', 'log.all_csi.6.7.6'], count: e => e.num_records as number, nRxMin: 3 },
  { name: 'atheros', file: ['atheros', 'ath_csi_1.dat'], count: e => e.num_records as number, nRxMin: 1 },
  // Nexmon sends one UDP packet per (core, stream); packets sharing a sequence number are one received frame
  // (example.pcap: 4 packets = 1 frame × 2 cores × 2 streams).
  { name: 'nexmon', file: ['nexmon', 'example.pcap'], count: e => nexmonFrames(e), nRxMin: 2 },
  { name: 'esp32', file: ['esp32', 'example_csi.csv'], count: e => e.num_rows as number, viewType: 'csiWorkbench.recordingCsv', nRxMin: 1 },
  { name: 'picoscenes', file: ['picoscenes', 'rx_by_iwl5300.csi'], count: e => e.num_frames as number, nRxMin: 1 },
];

describe('recording editor views (plotly charts on a linked time axis)', function () {
  this.timeout(120000);
  beforeEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(`failed-views-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  for (const [i, c] of CASES.entries()) {
    it(`draws every view for a real ${c.name} file with the reader's packet count`, async () => {
      const name = c.file[c.file.length - 1];
      const n = c.count(expected(name));
      const r = await openCharts(refUri(...c.file), c.viewType);
      assert.equal(r.dom.records, String(n), "packet count = the independent reader's");
      assert.equal(r.dom.format, c.name);
      // The transmitter row: Nexmon names it (the independent reader's src_mac of the first frame); Intel does not.
      if (c.name === 'nexmon') assert.equal(r.dom.transmitters, (expected(name).first_frames as { src_mac: string }[])[0].src_mac);
      if (c.name === 'intel5300') assert.equal(r.dom.transmitters, undefined);
      const dur = Number(/([\d.]+) s/.exec(r.dom.duration)![1]);
      const amp = caption(r.dom['caption-amplitude']);
      assert.equal(amp.traces, 1, 'one heatmap');
      // Fewer packets than the column budget: one column per packet, covering all of them.
      assert.equal(amp.columns, n);
      assert.equal(amp.resolution, 'full resolution');
      assert.deepEqual(amp.packets, [0, n - 1]);
      assert.ok(amp.x && amp.x[0] <= 0.0005 && amp.x[1] >= dur - 0.0005, `x axis ${amp.x} spans the recording 0–${dur} s`);
      const phase = caption(r.dom['caption-phase']);
      assert.equal(phase.traces, 1);
      assert.deepEqual(phase.x, amp.x, 'phase shares the time axis');
      const packets = caption(r.dom['caption-packets']);
      assert.ok(packets.traces >= 4, 'RSSI per chain, AGC, packet rate and gap markers');
      assert.deepEqual(packets.x, amp.x);
      const ratio = caption(r.dom['caption-ratio']);
      const nRx = Number(r.dom.antennas.split('×')[0]);
      assert.ok(nRx >= c.nRxMin);
      assert.equal(ratio.traces, nRx >= 2 ? 1 : 0, 'one ratio line for the default subcarrier when there are two antennas');
      assert.ok(r.dom['caption-doppler'], 'the Doppler chart reports what it shows or why it cannot');
      if (inHarness) await screenshotCharts(refUri(...c.file), `2${i}-views-${c.name}`);
    });
  }

  it('draws the first view from the overview computed while the webview booted, sent with the metadata once computed', async () => {
    const n = expected('example.dat').num_records as number;
    const r = await openCharts(refUri('intel5300', 'example.dat'));
    assert.equal(r.dom.records, String(n));
    const h = r.timing?.host,
      w = r.timing?.webview;
    assert.ok(h && w, 'the page reports its timeline');
    // The page never asked for the whole-recording view: the host sent the one the worker computed ahead.
    assert.equal(h['recv:view'], undefined, 'the page requested the overview itself');
    assert.ok(
      h.workerOverview !== undefined && w.viewDataReceived !== undefined && w.previewShown !== undefined,
      `overview computed ahead and drawn first as the canvas preview (host ${Object.keys(h).join(', ')}; page ${Object.keys(w).join(', ')})`,
    );
    if (h.workerOverview <= h['recv:ready']) {
      // Computed before the page said 'ready' (the usual case): it travels inside 'opened', with no message of its own.
      assert.equal(h['post:viewData'], undefined, 'a separate viewData message was posted');
      assert.equal(w['recv:viewData'], undefined);
      assert.ok(w.viewDataReceived >= w['recv:opened']);
    } else {
      assert.ok(h['post:viewData'] >= h['post:opened'], 'the overview follows the metadata as its own message');
    }
  });

  it('logs no console error and throws no exception in the editor webview for a real file of each format', async function () {
    if (!inHarness) this.skip(); // only the harness's browser sees the webview's console
    const before = (await consoleEntries())!;
    // The collector attributes messages to frames (VS Code logs a few warnings of its own at start-up).
    assert.ok(
      before.some(e => e.frameUrl),
      'console entries carry the frame they came from',
    );
    const start = before.length;
    for (const c of CASES) {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await openCharts(refUri(...c.file), c.viewType);
    }
    await new Promise(r => setTimeout(r, 500));
    // Ours: anything from a webview document (VS Code's webview host pages only ever hold extension content) or
    // from our own bundles; VS Code's workbench frames and its own resources are someone else's noise.
    const ours = (e: ConsoleEntry) =>
      [e.frameUrl, e.url].some(u => !!u && (/\/contrib\/webview\/browser\/pre\//.test(u) || /\/dist\/webview\//.test(u)));
    const after = (await consoleEntries())!.slice(start);
    const errors = after.filter(e => ours(e) && e.level === 'error');
    const warnings = after.filter(e => ours(e) && e.level === 'warning');
    console.log(
      `console while opening ${CASES.length} recordings: ${after.length} entries, ${errors.length} errors and ${warnings.length} warnings from the editor webviews`,
    );
    for (const w of warnings) console.log(`  webview warning: ${w.text.slice(0, 200)}`);
    assert.deepEqual(
      errors.map(e => `${e.kind}: ${e.text.slice(0, 300)} (${e.url ?? e.frameUrl})`),
      [],
    );
  });

  it('zooms and pans every chart from the keyboard on a focused chart', async function () {
    if (!inHarness) this.skip(); // key presses need the harness's browser
    const uri = refUri('intel5300', 'example.dat');
    const first = await openCharts(uri);
    const [w0, w1] = caption(first.dom['caption-amplitude']).x!;
    const ids = ['amplitude', 'phase', 'ratio', 'doppler', 'packets'];
    const near = (x: [number, number] | undefined, want: [number, number]) =>
      !!x && Math.abs(x[0] - want[0]) < 0.002 && Math.abs(x[1] - want[1]) < 0.002;
    /** Press `keys` on a chart and wait until every chart shows `want`. */
    const step = async (chart: string, keys: string[], want: [number, number], what: string) => {
      const done = nextRender(uri, e => e.charts && ids.every(id => near(caption(e.dom[`caption-${id}`]).x, want)), what);
      assert.ok(await press(`#chart-${chart}`, keys), `focused #chart-${chart} and pressed ${keys.join(' ')}`);
      await done;
    };
    const c = (w0 + w1) / 2,
      q = (w1 - w0) / 4;
    await step('amplitude', ['+'], [c - q, c + q], '+ did not halve the range of every chart');
    await step('doppler', ['ArrowRight'], [c - q / 2, c + (3 * q) / 2], 'ArrowRight did not pan every chart by a quarter of the range');
    await step('packets', ['ArrowLeft', 'ArrowLeft'], [c - (3 * q) / 2, c + q / 2], 'ArrowLeft did not pan back');
    // − doubles the width about the centre, clipped to the recording: the first stops at the start, the second
    // reaches the whole recording.
    await step('phase', ['-'], [w0, c + (3 * q) / 2], '- did not zoom out (clipped at the start)');
    await step('phase', ['-'], [w0, w1], 'a second - did not zoom out to the whole recording');
    await step('ratio', ['+', '+', 'Home'], [w0, w1], 'Home did not reset');
    if (inHarness) await screenshot('36-views-keyboard');
  });

  it('follows an antenna change made in the UI', async () => {
    const uri = refUri('intel5300', 'example.dat');
    const first = await openCharts(uri);
    assert.match(first.dom['caption-amplitude'], /rx 1, tx 1/);
    const changed = nextRender(
      uri,
      e => e.charts && /rx 2, tx 1/.test(e.dom['caption-amplitude'] ?? ''),
      'amplitude did not switch to rx 2',
    );
    if (inHarness) assert.ok(await click('vscode-radio[data-testid="rx-2"]'), 'clicked the rx 2 radio');
    else (await api()).recordingEditor.panelsFor(uri)[0].post({ type: 'setControls', controls: { rx: 1 } });
    const r = await changed;
    assert.match(r.dom['caption-phase'], /rx 2, tx 1/, 'phase follows the antenna too');
    if (inHarness) await screenshotCharts(uri, '30-views-rx2');
  });

  it('zooms every chart together and fetches the window at full resolution', async () => {
    const uri = refUri('intel5300', 'example.dat');
    const n = expected('example.dat').num_records as number;
    const first = await openCharts(uri);
    const whole = caption(first.dom['caption-amplitude']).x!;
    const zoomed = nextRender(uri, e => e.charts && caption(e.dom['caption-amplitude']).columns < n, 'zoom did not fetch a window');
    if (inHarness) assert.ok(await click('vscode-button[data-testid="zoom-in"]'), 'clicked Zoom in');
    else
      (await api()).recordingEditor
        .panelsFor(uri)[0]
        .post({ type: 'setRange', rangeS: [(whole[0] + whole[1]) / 4, (3 * (whole[0] + whole[1])) / 4] });
    const r = await zoomed;
    const amp = caption(r.dom['caption-amplitude']);
    const w0 = whole[1] - whole[0],
      w1 = amp.x![1] - amp.x![0];
    assert.ok(Math.abs(w1 / w0 - 0.5) < 0.05, `zoom in halves the visible range (${w0} → ${w1})`);
    for (const id of ['phase', 'ratio', 'packets', 'doppler'])
      assert.deepEqual(caption(r.dom[`caption-${id}`]).x, amp.x, `${id} follows the zoom`);
    assert.equal(amp.resolution, 'full resolution');
    assert.ok(amp.packets![1] - amp.packets![0] + 1 === amp.columns, 'one column per packet of the window');
    const text = await vscode.commands.executeCommand<string>('csiWorkbench.editor.copyFrameRange');
    assert.match(text ?? '', new RegExp(`packets ${amp.packets![0]}-${amp.packets![1]} `), 'Copy Frame Range copies the visible packets');
    if (inHarness) await screenshotCharts(uri, '31-views-zoomed');
  });

  it('links the time axis of a recording opened side by side', async () => {
    const a = refUri('intel5300', 'example.dat'),
      b = refUri('intel5300', '76bpm.dat');
    await openCharts(a);
    const bReady = nextRender(b, chartsReady, 'second editor did not draw');
    assert.equal(await vscode.commands.executeCommand('csiWorkbench.editor.openSideBySide', b), true);
    const rb = await bReady;
    assert.match(rb.dom.linked ?? '', /example\.dat/, 'the second editor says it is linked');
    const follows = nextRender(
      b,
      e => e.charts && /x 0\.500–1\.000 s/.test(e.dom['caption-amplitude'] ?? ''),
      'the linked editor did not follow',
    );
    // Zoom the first editor as a user zoom (broadcast): its webview reports the range and the host relays it.
    (await api()).recordingEditor.panelsFor(a)[0].post({ type: 'setRange', rangeS: [0.5, 1.0], broadcast: true });
    await follows;
    if (inHarness) await screenshot('32-views-side-by-side');
  });

  it('exports the charts as PNG and SVG', async () => {
    await openCharts(refUri('intel5300', 'example.dat'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csiwb-export-'));
    try {
      const png = await vscode.commands.executeCommand<vscode.Uri>(
        'csiWorkbench.editor.exportPng',
        vscode.Uri.file(path.join(dir, 'v.png')),
      );
      const bytes = fs.readFileSync(png!.fsPath);
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
      const width = bytes.readUInt32BE(16),
        height = bytes.readUInt32BE(20);
      assert.ok(width >= 800 && height >= 1000, `all five charts stacked (${width}×${height})`);
      const svg = await vscode.commands.executeCommand<vscode.Uri>(
        'csiWorkbench.editor.exportSvg',
        vscode.Uri.file(path.join(dir, 'v.svg')),
      );
      const text = fs.readFileSync(svg!.fsPath, 'utf8');
      assert.match(text, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.ok((text.match(/<svg /g) ?? []).length >= 6, 'one nested svg per chart');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows what a truncated file holds, with the diagnostic and its byte offset', async () => {
    const src = fs.readFileSync(path.join(shared, 'refdata', 'intel5300', 'log.all_csi.6.7.6'));
    // Independent framing: each entry is a u16 big-endian length L followed by L bytes.
    const starts: number[] = [];
    for (let p = 0; p + 2 <= src.length; p += 2 + src.readUInt16BE(p)) starts.push(p);
    const last = starts[starts.length - 1];
    const cut = vscode.Uri.joinPath(ws(), 'truncated.dat');
    await vscode.workspace.fs.writeFile(cut, src.subarray(0, last + 40));
    const r = await openCharts(cut);
    assert.equal(r.dom.records, String(starts.length - 1), 'every complete record is shown');
    assert.match(r.dom.diagnostics, new RegExp(`@${last}\\b.*truncated`), "the diagnostic names the cut record's offset");
    assert.equal(caption(r.dom['caption-amplitude']).columns, starts.length - 1);
    if (inHarness) await screenshot('33-views-truncated');
  });

  it('follows the colour theme (light → dark → high contrast)', async () => {
    const uri = refUri('intel5300', 'example.dat');
    const first = await openCharts(uri);
    const lum = (text: string) => {
      const hex = /background #([0-9a-f]{6})/i.exec(text);
      assert.ok(hex, `a hex background colour in "${text}"`);
      const v = parseInt(hex[1], 16);
      return (0.2126 * (v >> 16) + 0.7152 * ((v >> 8) & 255) + 0.0722 * (v & 255)) / 255;
    };
    assert.ok(lum(first.dom['chart-colors']) > 0.5, 'the light theme has a light chart background');
    const cfg = vscode.workspace.getConfiguration('workbench');
    const before = cfg.inspect<string>('colorTheme')?.globalValue;
    try {
      for (const [theme, dark, shot] of [
        ['Default Dark Modern', true, '34-views-dark'],
        ['Default High Contrast', true, '35-views-high-contrast'],
      ] as const) {
        const changed = nextRender(
          uri,
          e => lum(e.dom['chart-colors'] ?? 'background #ffffff') < 0.5 === dark && e.dom['chart-colors'] !== first.dom['chart-colors'],
          `charts did not follow ${theme}`,
        );
        await cfg.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        await changed;
        await new Promise(r => setTimeout(r, 500));
        // Every view in this theme (the page top, then scrolled to the lower charts), to be looked at.
        if (inHarness) await screenshotCharts(uri, shot);
      }
    } finally {
      await cfg.update('colorTheme', before, vscode.ConfigurationTarget.Global);
    }
  });

  it('takes its defaults from the csiWorkbench.editor settings', async () => {
    const cfg = vscode.workspace.getConfiguration('csiWorkbench.editor');
    // A file no other test opened, so no per-file choice overrides the settings.
    const uri = refUri('intel5300', 'sample_0x1_ap.dat');
    await cfg.update('phaseMode', 'raw', vscode.ConfigurationTarget.Global);
    await cfg.update('maxColumns', 100, vscode.ConfigurationTarget.Global);
    try {
      const r = await openCharts(uri);
      const n = expected('sample_0x1_ap.dat').num_records as number;
      assert.ok(n > 100);
      assert.match(r.dom['caption-phase'], /· raw$/, 'phase mode from the setting');
      const amp = caption(r.dom['caption-amplitude']);
      assert.equal(amp.columns, 100, 'column budget from the setting');
      assert.equal(amp.resolution, 'bucket means');
      assert.deepEqual(amp.packets, [0, n - 1]);
    } finally {
      await cfg.update('phaseMode', undefined, vscode.ConfigurationTarget.Global);
      await cfg.update('maxColumns', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('decodes a Widar3.0 file name', async () => {
    const widar = vscode.Uri.joinPath(ws(), 'user1-2-3-4-5-r6.dat');
    await vscode.workspace.fs.copy(refUri('intel5300', 'example.dat'), widar, { overwrite: true });
    const r = await openCharts(widar);
    assert.equal(r.dom.widar, 'user 1 · gesture 2 · location 3 · orientation 4 · repetition 5 · receiver r6');
  });
});
