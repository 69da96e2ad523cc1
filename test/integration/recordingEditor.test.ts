// The recording editor and the worker command in a real VS Code extension host.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CsiWorkbenchApi } from '../../src/extension/extension';
import type { RenderedEvent } from '../../src/extension/recordingEditor';
import type { RecordingSummary } from '../../src/shared/recordingSummary';
import { click, inHarness, screenshot, webviewText } from './hostHooks';

const EXT_ID = 'csi-workbench.csi-workbench';
const ws = () => vscode.workspace.workspaceFolders![0].uri;
const shared = process.env.CSI_SHARED!;
const expected = (name: string) => JSON.parse(fs.readFileSync(path.join(shared, 'refdata', 'expected', name + '.json'), 'utf8'));

async function api(): Promise<CsiWorkbenchApi> {
  const ext = vscode.extensions.getExtension<CsiWorkbenchApi>(EXT_ID);
  assert.ok(ext, `extension ${EXT_ID} is loaded`);
  return ext.activate();
}

/** Open `uri` in the recording editor and wait until its webview reports a final view (summary or error). */
async function openAndWait(uri: vscode.Uri, viewType = 'csiWorkbench.recording'): Promise<RenderedEvent> {
  const a = await api();
  const done = new Promise<RenderedEvent>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('editor did not render ' + uri.fsPath));
    }, 30000);
    const sub = a.recordingEditor.onDidRender(e => {
      if (e.uri === uri.toString() && e.view !== 'loading') {
        clearTimeout(timer);
        sub.dispose();
        resolve(e);
      }
    });
  });
  await vscode.commands.executeCommand('vscode.openWith', uri, viewType);
  return done;
}

describe('recording editor (custom editor + worker + webview)', () => {
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  it('runs in a real extension host and activates', async () => {
    console.log(`vscode ${vscode.version}, node ${process.version}, appHost ${vscode.env.appHost}`);
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    const a = await api();
    assert.ok(a.worker && a.recordingEditor);
  });

  it('opens a real Intel 5300 log and shows its size and record count', async () => {
    const uri = vscode.Uri.joinPath(ws(), 'refdata', 'intel5300', 'log.all_csi.6.7.6');
    const exp = expected('log.all_csi.6.7.6');
    const r = await openAndWait(uri);
    assert.equal(r.view, 'summary');
    assert.equal(r.dom.records, String(exp.num_records));
    assert.equal(r.dom.format, 'intel5300');
    assert.match(r.dom.size, new RegExp(`\\(${exp.size_bytes} bytes\\)`));
    assert.equal(r.dom.antennas, '3 × 3', 'the file mixes 3x1, 3x2 and 3x3 records: the maxima are shown');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputCustom && tab.input.viewType === 'csiWorkbench.recording');
    if (inHarness) {
      // Read the DOM through the browser too, independently of what the webview reports about itself.
      assert.equal(await webviewText('[data-testid="records"]'), String(exp.num_records));
      await screenshot('01-editor-intel5300');
    }
  });

  it('opens the other Intel files with the expected record counts', async () => {
    for (const name of ['example.dat', '76bpm.dat', 'sample_0x1_ap.dat']) {
      const r = await openAndWait(vscode.Uri.joinPath(ws(), 'refdata', 'intel5300', name));
      assert.equal(r.dom.records, String(expected(name).num_records), name);
    }
  });

  it('shows a clear error view for a garbage file, and the host keeps working', async () => {
    const garbage = vscode.Uri.joinPath(ws(), 'garbage.dat');
    const bytes = new Uint8Array(4096);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      bytes[i] = x >>> 24;
    }
    await vscode.workspace.fs.writeFile(garbage, bytes);
    const r = await openAndWait(garbage);
    assert.equal(r.view, 'summary');
    assert.equal(r.dom.records, '0');
    assert.match(r.dom.status, /not a CSI recording|No complete record/);
    assert.match(r.dom['diagnostics-panel'] ?? r.dom.diagnostics, /\S/, 'the diagnostics say what was wrong');
    if (inHarness) await screenshot('02-editor-garbage');
    // The host is alive: a worker round trip still works.
    const s = await vscode.commands.executeCommand<RecordingSummary>(
      'csiWorkbench.inspectRecording',
      vscode.Uri.joinPath(ws(), 'refdata', 'intel5300', 'log.all_csi.6.7.6'),
    );
    assert.equal(s?.records, expected('log.all_csi.6.7.6').num_records);
  });

  it('shows an error view (not a blank page) for an empty file', async () => {
    const empty = vscode.Uri.joinPath(ws(), 'empty.pcap');
    await vscode.workspace.fs.writeFile(empty, new Uint8Array(0));
    const r = await openAndWait(empty);
    assert.equal(r.dom.records, '0');
    assert.ok((r.dom.status ?? '').length > 0);
  });
});

describe('worker command with progress and cancel', () => {
  it('runs a task in the worker thread, not on the extension host thread', async () => {
    const r = await vscode.commands.executeCommand<{ completed: number; cancelled: boolean; workerThreadId: number }>(
      'csiWorkbench.checkWorker',
      { steps: 5, stepMs: 10 },
    );
    assert.equal(r.completed, 5);
    assert.equal(r.cancelled, false);
    assert.notEqual(r.workerThreadId, 0, 'thread 0 is the main thread');
  });

  it('cancels from the progress notification', async () => {
    const abort = new AbortController();
    const running = vscode.commands.executeCommand<{ cancelled: boolean; completed: number }>('csiWorkbench.checkWorker', {
      steps: 200,
      stepMs: 50,
      cancel: inHarness ? undefined : abort.signal,
    });
    await new Promise(r => setTimeout(r, 1500));
    if (inHarness) {
      await screenshot('03-worker-progress');
      // Click the notification's own Cancel button, as a user would.
      assert.ok(await click('.notification-toast .monaco-button', 'Cancel'), 'found the Cancel button of the progress notification');
    } else {
      abort.abort();
    }
    const r = await running;
    assert.equal(r.cancelled, true);
  });
});
