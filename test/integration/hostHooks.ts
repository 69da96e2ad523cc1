// Requests to the test harness outside the extension host (screenshots, webview DOM reads, clicks), sent as
// console lines the harness watches. Only available under the code-server harness (CSI_HARNESS=1); on desktop VS
// Code the tests rely on what the webview reports about itself.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const inHarness = process.env.CSI_HARNESS === '1';
export const shotsDir = process.env.HARNESS_SHOTS;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function waitFile(file: string, timeoutMs: number): Promise<string> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (fs.existsSync(file)) {
      const t = fs.readFileSync(file, 'utf8');
      fs.unlinkSync(file);
      return t;
    }
    await sleep(100);
  }
  throw new Error('the harness did not answer: ' + file);
}

/** Save a screenshot of the whole workbench under the CI artifacts folder (no-op outside the harness). */
export async function screenshot(name: string): Promise<string | undefined> {
  if (!inHarness || !shotsDir) return undefined;
  const file = path.join(shotsDir, name.endsWith('.png') ? name : name + '.png');
  try {
    fs.unlinkSync(file);
  } catch {
    /* not there yet */
  }
  console.log('@@SCREENSHOT ' + file);
  const end = Date.now() + 15000;
  while (Date.now() < end) {
    if (fs.existsSync(file) && fs.statSync(file).size > 0) return file;
    await sleep(100);
  }
  throw new Error('screenshot not produced: ' + file);
}

let seq = 0;
const tmp = () => path.join(os.tmpdir(), `csiwb-hook-${process.pid}-${Date.now()}-${seq++}.json`);

/** textContent of the first element matching `selector` in any frame (webviews included), read by the harness. */
export async function webviewText(selector: string): Promise<string | null> {
  const out = tmp();
  console.log(`@@WEBVIEW_TEXT ${selector} ${out}`);
  return (JSON.parse(await waitFile(out, 15000)) as { text: string | null }).text;
}

/** Click the first element matching `selector` whose text contains `text`, in any frame. */
export async function click(selector: string, text = ''): Promise<boolean> {
  const out = tmp();
  console.log(`@@CLICK ${selector}\t${text} ${out}`);
  return (JSON.parse(await waitFile(out, 15000)) as { ok: boolean }).ok;
}

/** Focus the first element matching `selector` in any frame and press `keys` (playwright key names) in turn. */
export async function press(selector: string, keys: string[]): Promise<boolean> {
  const out = tmp();
  console.log(`@@PRESS ${selector}\t${keys.join(' ')} ${out}`);
  return (JSON.parse(await waitFile(out, 30000)) as { ok: boolean }).ok;
}

/** A console error/warning or uncaught exception seen by the browser, with the frame it came from. */
export interface ConsoleEntry {
  seq: number;
  time: number;
  kind: 'console' | 'exception' | 'log';
  level: 'error' | 'warning';
  /** URL of the frame whose script logged or threw (null for browser log entries, which have no frame). */
  frameUrl: string | null;
  /** Script URL (console / exception) or the document / resource a browser log entry is about. */
  url: string | null;
  source?: string;
  text: string;
}

/** Every console entry the harness collected so far (null outside the harness). */
export async function consoleEntries(): Promise<ConsoleEntry[] | null> {
  if (!inHarness) return null;
  const out = tmp();
  console.log(`@@CONSOLE ${out}`);
  const r = JSON.parse(await waitFile(out, 15000)) as { available: boolean; entries: ConsoleEntry[] };
  return r.available ? r.entries : null;
}

export interface RendererSample {
  t: number;
  rssKiB: number;
  jsHeapUsed?: number;
  jsHeapTotal?: number;
  domNodes?: number;
}
export interface RendererMemory {
  ok: boolean;
  pid?: number;
  samples?: number;
  first?: RendererSample;
  last?: RendererSample;
  peakRss?: RendererSample;
  peakJsHeap?: RendererSample;
  error?: string;
}

/** Start / stop sampling the workbench renderer (which hosts the webviews in code-server). */
export async function rendererMemory(action: 'start' | 'stop'): Promise<RendererMemory> {
  const out = tmp();
  console.log(`@@RENDERER_MEMORY ${action} ${out}`);
  return JSON.parse(await waitFile(out, 15000)) as RendererMemory;
}

export interface SwVersionEvent {
  t: number;
  versionId: string;
  registrationId: string;
  id: string | null;
  runningStatus: string;
  status: string;
  controlledClients: number;
}

/** Start / stop recording the service worker version changes of the workbench's origin (VS Code's webview worker). */
export async function swTrace(action: 'start' | 'stop'): Promise<{ ok: boolean; events?: SwVersionEvent[]; error?: string }> {
  const out = tmp();
  console.log(`@@SW_TRACE ${action} ${out}`);
  return JSON.parse(await waitFile(out, 15000)) as { ok: boolean; events?: SwVersionEvent[]; error?: string };
}
