// npm run bench -- editor [--quick] [--out FILE] [--host-repeat N]
//   --quick: 100 MB files only (Intel and Nexmon); --out: write the JSON there instead of bench/results/editor.json;
//   --host-repeat N: run each in-host session N times (default 3; the machine is shared, one session can be off by
//   ±0.1 s): inHost / inHostFirstEditor keep the first session in full, inHostRepeats every session's first views
//
// Time to the recording editor's first view on generated 100 MB and 1 GB Intel 5300 logs, and peak memory of the
// process that holds the extension host's worker client and the worker thread (worker_threads share the process,
// so its peak RSS covers both). Each size runs in a fresh child process so one run cannot inflate the next.
// "First view" = recordingOpen (index pass) + recordingView (decimated overview) through the real WorkerClient and
// dist/worker.js, i.e. what the host waits for before it posts data to the webview. Also measured: a zoom to 10 %
// of the recording (the window request), the JSON size of the overview message the webview receives, and, as the
// reference in the same run, fs.readFile and the whole-file readRecording of the 100 MB file (what opening cost
// before the index path).
//
// Then the same files are opened in the real editor inside a real VS Code host (bench/editorHostRun.ts through the
// code-server harness, .ci/vscode-harness): time to first view as the user sees it (charts drawn in the webview),
// peak RSS of the extension host, and the webview's memory (the Chromium renderer that draws it: RSS and JS heap,
// before and at peak). `--no-host` skips this part (e.g. where the harness is not installed).
//
// The generated logs are real records (refdata/intel5300/*) with timestamp_low and bfee_count rewritten to a
// monotone 1 kHz clock and a gap-free counter, so the time axis and the loss count are meaningful. They are
// written to the OS temp dir in chunks and deleted afterwards.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REFDATA, REPO } from '../test/helpers/paths';
import { generate, generateNexmon } from './bigRecordings';
import { readRecording } from '../src/core/formats/index';
import { WorkerClient } from '../src/worker/workerClient';
import { columnBudget, type ViewControls } from '../src/shared/recordingView';
import { packView } from '../src/shared/viewWire';
import { buildFrameIndex } from '../src/core/formats/frameIndex';
import type { CsiFormat } from '../src/core/formats/types';

const MB = 1e6;
const quick = process.argv.includes('--quick');
const inHost = !process.argv.includes('--no-host');
const outArg = process.argv.indexOf('--out');
const outFile = outArg >= 0 ? path.resolve(process.argv[outArg + 1]) : path.join(REPO, 'bench', 'results', 'editor.json');
const repeatArg = process.argv.indexOf('--host-repeat');
const hostRepeat = repeatArg >= 0 ? Math.max(1, Number(process.argv[repeatArg + 1]) || 1) : 3;

/** One in-host session's first views, per file: what inHostRepeats keeps of every session. */
function firstViews(session: Record<string, unknown>): Record<string, unknown>[] {
  const runs = [session.warmUp, ...(session.runs as unknown[])].filter(Boolean) as Record<string, unknown>[];
  return runs.map(r => {
    const p = r.phases as Record<string, number | string | null>;
    // A session's first editor registers VS Code's webview service worker afresh; every later one waits ~1 s for it.
    const role = r === runs[0] ? 'first editor' : 'later editor';
    return {
      file: path.basename(String(r.file)),
      role,
      firstViewMs: r.firstViewMs,
      chartsMs: r.chartsMs,
      vscodeCreatesWebviewMs: p.vscodeCreatesWebviewMs,
      serviceWorkerWaitMs: p.serviceWorkerWaitMs,
      documentToFirstViewMs: p.documentToFirstViewMs,
      overviewSent: p.overviewSent,
    };
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

/**
 * Run bench/editorHostRun.ts in a real VS Code host (code-server harness) on `files`; its JSON result. `warmUp`: open
 * a small real file first (the measured editors are then not the session's first webview).
 */
function hostRun(files: string[], workspace: string, warmUp = true): Record<string, unknown> {
  const hdir = process.env.HARNESS_DIR || path.join(os.homedir(), '.cache', 'vscode-harness');
  const out = path.join(workspace, `host-result-${warmUp ? 'warm' : 'first'}.json`);
  const env = {
    ...process.env,
    CODE_SERVER_ENTRY: process.env.CODE_SERVER_ENTRY || path.join(hdir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    NODE_PATH: [path.join(hdir, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(path.delimiter),
    CSI_EDITOR_BENCH_FILES: JSON.stringify(files),
    CSI_EDITOR_BENCH_OUT: out,
    CSI_EDITOR_BENCH_WARMUP: warmUp ? path.join(REFDATA, 'intel5300', 'example.dat') : '',
    HARNESS_TIMEOUT_MS: String(20 * 60000),
  };
  const r = spawnSync(
    process.execPath,
    [
      path.join(REPO, '.ci', 'vscode-harness', 'code-shim.js'),
      '--extensionDevelopmentPath',
      REPO,
      '--extensionTestsPath',
      path.join(REPO, 'out', 'bench', 'editorHostRun'),
      workspace,
      '--disable-extensions',
    ],
    { env, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (r.status !== 0 || !fs.existsSync(out))
    throw new Error(`in-host run failed (${r.status}):\n${(r.stdout ?? '').slice(-4000)}\n${(r.stderr ?? '').slice(-4000)}`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>;
}

/**
 * Index pass (core/formats/frameIndex.ts, what the editor runs on opening a big non-Intel file) over ~100 MB of each
 * format: its largest refdata recording repeated (records only after the first copy, as bench/parse.bench.ts
 * builds them). Wall and CPU time of buildFrameIndex, in this process, after one warm-up pass on the same file.
 */
async function indexing(dir: string, bytes: number): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const sources: Record<string, string> = {
    atheros: 'ath_csi_1.dat',
    nexmon: 'example_4366c0.pcap',
    esp32: 'log.console_test.20210205155636.csv',
    picoscenes: 'picoscenes_ax200_example.csi',
  };
  for (const [format, name] of Object.entries(sources) as [CsiFormat, string][]) {
    const b = fs.readFileSync(path.join(REFDATA, format, name));
    let body = b.subarray(0);
    if (format === 'nexmon') body = b.subarray(24);
    if (format === 'esp32' && b[0] === 0x74) body = b.subarray(b.indexOf(0x0a) + 1);
    const file = path.join(dir, `index-${format}.bin`);
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, b);
    let size = b.length;
    while (size < bytes) {
      fs.writeSync(fd, body);
      size += body.length;
    }
    fs.closeSync(fd);
    await buildFrameIndex(file); // warm-up (JIT, page cache)
    const c0 = process.cpuUsage(),
      t0 = performance.now();
    const ix = await buildFrameIndex(file);
    const ms = performance.now() - t0,
      c = process.cpuUsage(c0);
    out.push({
      format,
      source: `refdata/${format}/${name}, repeated`,
      sizeBytes: size,
      frames: ix.n,
      indexMs: ms,
      indexCpuMs: (c.user + c.system) / 1000,
      MBps: size / 1e6 / (ms / 1000),
    });
    console.log(JSON.stringify(out[out.length - 1]));
    fs.rmSync(file);
  }
  return out;
}

const controls: ViewControls = {
  rx: 0,
  tx: 0,
  rx2: 1,
  subcarriers: [15],
  useScaled: true,
  phaseMode: 'sanitised',
  colorScale: 'Viridis',
  dopplerWindowS: 0.25,
  dopplerBandHz: 60,
};

/** Child: one editor session on `file`, as the extension host runs it. */
async function child(file: string): Promise<void> {
  const worker = new WorkerClient(path.join(REPO, 'dist', 'worker.js'));
  let peak = 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const opened = await worker.run('recordingOpen', { path: file });
  const tOpen = performance.now() - t0;
  // The editor's column budget (2000 columns, fewer for recordings with more than 64 subcarriers).
  const maxColumns = columnBudget(2000, opened.summary.nSubcarriers);
  const view = await worker.run('recordingView', { path: file, controls, maxColumns });
  const tFirst = performance.now() - t0;
  // CPU time of the process (host-side client + worker thread) for the first view: robust to other jobs on a
  // shared machine, where wall time is inflated by waiting for a core.
  const cpu1 = process.cpuUsage(cpu0);
  const firstViewCpuMs = (cpu1.user + cpu1.system) / 1000;
  const json = JSON.stringify(view);
  // What the host now posts to the webview: the view as Float32 matrices (src/shared/viewWire.ts), which VS Code
  // sends as binary buffers, plus the small rest as JSON.
  const packed = packView(view);
  let bufferBytes = 0;
  const rest = JSON.stringify(packed, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v)) {
      bufferBytes += v.byteLength;
      return null;
    }
    return v;
  });
  const packedBytes = bufferBytes + rest.length;
  // The same amplitude as base64 Float32 (the alternative transfer encoding), for the size comparison.
  const f32 = new Float32Array(view.amplitude.flat());
  const b64 = Buffer.from(f32.buffer).toString('base64').length;
  const d = opened.summary.durationS;
  const t1 = performance.now();
  const zoom = await worker.run('recordingView', { path: file, controls, maxColumns, rangeS: [0.45 * d, 0.55 * d] });
  const tZoom = performance.now() - t1;
  const t2 = performance.now();
  const narrow = await worker.run('recordingView', { path: file, controls, maxColumns, rangeS: [0.5 * d, 0.5 * d + 1] });
  const tNarrow = performance.now() - t2;
  const t3 = performance.now();
  const dop = await worker.run('recordingDoppler', { path: file, controls, maxColumns, rangeS: [0.5 * d, 0.5 * d + 10] });
  const tDoppler = performance.now() - t3;
  clearInterval(sample);
  await worker.dispose();
  const maxRssKiB = process.resourceUsage().maxRSS;
  console.log(
    JSON.stringify({
      mode: opened.mode,
      packets: opened.summary.records,
      durationS: d,
      lostPackets: opened.summary.lostPackets,
      openMs: tOpen,
      firstViewMs: tFirst,
      firstViewCpuMs,
      overviewColumns: view.timeS.length,
      overviewResolution: view.resolution,
      overviewJsonBytes: json.length,
      overviewPackedBytes: packedBytes,
      amplitudeJsonBytes: JSON.stringify(view.amplitude).length,
      amplitudeBase64Bytes: b64,
      zoom10pct: { ms: tZoom, columns: zoom.timeS.length, resolution: zoom.resolution },
      zoom1s: { ms: tNarrow, columns: narrow.timeS.length, resolution: narrow.resolution },
      doppler10s: { ms: tDoppler, columns: dop.timeS.length, bins: dop.freqsHz.length, unavailable: dop.unavailable },
      peakRssMiB: Math.max(peak, maxRssKiB * 1024) / 1048576,
    }),
  );
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--child');
  if (i >= 0) {
    await child(process.argv[i + 1]);
    return;
  }
  const loadBefore = os.loadavg();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csiwb-editor-bench-'));
  const sizes = quick ? [100 * MB] : [100 * MB, 1000 * MB];
  const runs: Record<string, unknown>[] = [];
  let reference: Record<string, number> = {};
  let host: Record<string, unknown> | undefined;
  let firstEditor: Record<string, unknown> | undefined;
  let indexRuns: Record<string, unknown>[] = [];
  const files: string[] = [];
  const otherFormats: Record<string, unknown>[] = [];
  const repeats: { session: string; loadAverage1mBefore: number; loadAverage1mAfter: number; editors: Record<string, unknown>[] }[] = [];
  try {
    for (const size of sizes) {
      const file = path.join(dir, `bench-${size / MB}MB.dat`);
      const tg = performance.now();
      const records = generate(file, size);
      const bytes = fs.statSync(file).size;
      console.log(`generated ${file}: ${bytes} bytes, ${records} records in ${((performance.now() - tg) / 1000).toFixed(1)} s`);
      const r = spawnSync(process.execPath, [__filename, '--child', file], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) throw new Error(`child failed on ${file}: ${r.stderr}`);
      const res = JSON.parse(r.stdout.trim().split('\n').pop()!);
      if (res.packets !== records) throw new Error(`${file}: editor counted ${res.packets} packets, generated ${records}`);
      runs.push({ sizeBytes: bytes, ...res });
      console.log(JSON.stringify(runs[runs.length - 1]));
      if (size === 100 * MB) {
        // Reference, same file and machine: reading it, and parsing it whole (the path small files take).
        const t0 = performance.now();
        const buf = fs.readFileSync(file);
        const readMs = performance.now() - t0;
        const t1 = performance.now();
        const rec = readRecording(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), { file });
        const parseMs = performance.now() - t1;
        reference = { readFileMs: readMs, wholeParseMs: parseMs, wholeParsePackets: rec.nPackets };
      }
      files.push(file);
    }
    // A big file of another format (frame index, core/formats/frameIndex.ts): bounded memory, not speed, is the aim.
    const nexSize = quick ? 100 * MB : 1000 * MB;
    const nexFile = path.join(dir, `bench-${nexSize / MB}MB.pcap`);
    const nexRecords = generateNexmon(nexFile, nexSize);
    const rn = spawnSync(process.execPath, [__filename, '--child', nexFile], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (rn.status !== 0) throw new Error(`child failed on ${nexFile}: ${rn.stderr}`);
    const resN = JSON.parse(rn.stdout.trim().split('\n').pop()!);
    if (resN.packets !== nexRecords) throw new Error(`${nexFile}: editor counted ${resN.packets} frames, generated ${nexRecords}`);
    otherFormats.push({ format: 'nexmon', sizeBytes: fs.statSync(nexFile).size, ...resN });
    console.log(JSON.stringify(otherFormats[otherFormats.length - 1]));
    files.push(nexFile);
    indexRuns = await indexing(dir, 100 * MB);
    if (inHost) {
      for (let k = 0; k < hostRepeat; k++) {
        const loadHost = os.loadavg()[0];
        const h = { loadAverage1mBefore: loadHost, ...hostRun(files, dir), loadAverage1mAfter: os.loadavg()[0] };
        host ??= h;
        repeats.push({
          session: 'warm-up editor, then each file',
          loadAverage1mBefore: h.loadAverage1mBefore,
          loadAverage1mAfter: h.loadAverage1mAfter,
          editors: firstViews(h),
        });
        console.log(JSON.stringify(repeats[repeats.length - 1]));
        // The 100 MB Intel file as the first editor of a fresh session (no other webview opened before it).
        const loadFirst = os.loadavg()[0];
        const f = { loadAverage1mBefore: loadFirst, ...hostRun([files[0]], dir, false), loadAverage1mAfter: os.loadavg()[0] };
        firstEditor ??= f;
        repeats.push({
          session: 'first editor of a fresh session',
          loadAverage1mBefore: f.loadAverage1mBefore,
          loadAverage1mAfter: f.loadAverage1mAfter,
          editors: firstViews(f),
        });
        console.log(JSON.stringify(repeats[repeats.length - 1]));
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const cpus = os.cpus();
  const out = {
    benchmark: 'editor',
    date: new Date().toISOString(),
    machine: {
      cpu: cpus[0]?.model,
      cores: cpus.length,
      memGiB: os.totalmem() / 2 ** 30,
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAverage1mBefore: loadBefore[0],
      loadAverage1mAfter: os.loadavg()[0],
    },
    target: { firstViewMs100MB: 1000, oneGBOpens: 'without exhausting memory (any format)' },
    reference100MB: reference,
    runs,
    otherFormats,
    indexing: indexRuns,
    inHost: host ?? 'skipped (--no-host)',
    inHostFirstEditor: firstEditor ?? 'skipped (--no-host)',
    inHostRepeats: repeats,
    // Median over the sessions of each editor's first view (ms after openWith), and of the part after the page's
    // document loaded (this extension's own page work); the service-worker wait for the same editors next to it.
    inHostMedians: (() => {
      const by = new Map<string, Record<string, number[]>>();
      for (const r of repeats)
        for (const e of r.editors) {
          const key = `${String(e.role)}: ${String(e.file)}`;
          const m = by.get(key) ?? { firstViewMs: [], documentToFirstViewMs: [], serviceWorkerWaitMs: [], vscodeCreatesWebviewMs: [] };
          for (const k of Object.keys(m)) if (typeof e[k] === 'number') m[k].push(e[k] as number);
          by.set(key, m);
        }
      return Object.fromEntries(
        [...by].map(([k, m]) => [
          k,
          { sessions: m.firstViewMs.length, ...Object.fromEntries(Object.entries(m).map(([n, xs]) => [n, Math.round(median(xs))])) },
        ]),
      );
    })(),
    notes: [
      'runs: firstViewMs = recordingOpen + recordingView(overview) through WorkerClient and dist/worker.js outside VS Code (host-side wait, no webview draw): the reference for inHost',
      'otherFormats: a generated Nexmon capture (refdata example_4366c0.pcap records repeated), opened through the frame index like any big Atheros / Nexmon / ESP32 / PicoScenes file',
      'runs: peakRssMiB covers the host-side client and the worker thread (same process)',
      'runs: firstViewCpuMs = process CPU time (all threads) for the first view; compare it with firstViewMs when the load average exceeds the core count',
      'inHost: the real editor in code-server 4.100.3 (VS Code 1.100.3) + headless Chromium, each file opened after a warm-up editor (example.dat); inHostFirstEditor: the 100 MB file as the first editor of a fresh session',
      'inHost firstViewMs = vscode.openWith until the host hears that the first view of the data is drawn (canvas amplitude + phase heatmaps of the overview, webview/editor/preview.ts); firstViewVisibleMs = the later of that and the moment VS Code shows the webview frame (its load event or 200 ms after writing the page, whichever first; estimated from the page load event and its first asset request); chartsMs = until the plotly charts are drawn (the earlier definition of firstViewMs)',
      "inHost phases (ms after openWith unless named …Ms durations): vscodeCreatesWebviewMs = the page document starts loading; serviceWorkerWaitMs = the document request waiting for VS Code's webview service worker to activate (see serviceWorker); pageBootMs = document loaded → the page says ready; readyToDataMs = ready → overview received (overviewSent: inside the 'opened' message when the worker had computed it before the page was ready, else as a message of its own); dataToFirstViewMs; documentToFirstViewMs = document loaded → first view drawn (all of this extension's own page work); timeline = every host and page mark in ms after openWith",
      "inHost serviceWorker (CDP ServiceWorker events recorded by the harness, ms after openWith; registered = the version this editor's webview registered, earlier = the one before it): VS Code 1.100.3's webview index.html registers service-worker.js?…&id=<webview id>, a new script URL and so a new worker version for every webview. Loading the new webview's index.html (in the worker's scope) runs the previous version; Chromium stops it once the new version is installed and then activates the new one with a fixed 1 s delay (content/browser/service_worker/service_worker_registration.cc: ActivateWaitingVersion(delay = true) after OnNoWork / OnNoControllees posts ContinueActivation 1 s later); the document request waits for that activation. Every editor but a session's first shows it: previous version stopped at ~0.2 s, new version activating then and activated ~1.0 s later (serviceWorkerWaitMs ≈ 0.98–0.99 s). It does not depend on the time since the last editor: with 35 s between editors (CSI_EDITOR_BENCH_SETTLE_MS=35000, load 2.3–4.0) the waits were 990 and 985 ms. The session's first webview has no previous version and activates at once (~5 ms). Nothing an extension controls changes this (the script URL, the origin and the worker are VS Code's); upstream: microsoft/vscode PR #244910 says the same of the webview id in the registration URL (a new worker registered per webview; the code-server 4.100.3 build measured here still has the id in it), issue #138257 reported the same ~1 s per webview in 2021",
      "inHostRepeats: every in-host session of this run (--host-repeat, default 3; the load average of each), inHostMedians: per editor the median over the sessions; role 'first editor' = the session's first webview (the warm-up example.dat, or the 100 MB file in a fresh session), 'later editor' = every one after it",
      "before/after (this machine, shared with a training job): with the overview inside 'opened' the page's ready → data went from 95–119 ms (6 later editors on the previous page code, load 3.2–3.7) to 44–75 ms; the worker (dist/worker.js) starts answering in ~45 ms instead of 100–135 ms since it no longer loads tfjs at start (only the session's first editor waits for the worker)",
      'indexing: buildFrameIndex over ~100 MB of each non-Intel format (no CSI decoded in this pass, ReadOptions.skipCsi); before this change (same machine, loaded): Atheros 507 ms, Nexmon 891 ms (4366c0) / 1083 ms (43455c0), PicoScenes 1063 ms, ESP32 2090 ms',
      'runs: overviewPackedBytes = the overview as the host posts it now (Float32 matrices as binary + JSON rest) vs overviewJsonBytes (the JSON it used to post)',
      'inHost.host: extension host process RSS (worker thread included) sampled every 20 ms; the 1 GB run follows the 100 MB one in the same host (the worker keeps up to 3 recordings indexed)',
      'inHost.webview: the Chromium renderer that draws the workbench; code-server serves webviews as same-origin iframes, so the webview shares it and its cost is the rise over the level just before the editor opened (addedRssMiB, addedJsHeapMiB)',
    ],
  };
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify(out, null, 2) + '\n');
  console.log(JSON.stringify(out, null, 2));
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
