// npm run bench -- editor [--quick]
//
// Time to the recording editor's first view on generated 100 MB and 1 GB Intel 5300 logs, and peak memory of the
// process that holds the extension host's worker client and the worker thread (worker_threads share the process,
// so its peak RSS covers both). Each size runs in a fresh child process so one run cannot inflate the next.
// "First view" = recordingOpen (index pass) + recordingView (decimated overview) through the real WorkerClient and
// dist/worker.js, i.e. what the host waits for before it posts data to the webview. Also measured: a zoom to 10 %
// of the recording (the window request), the JSON size of the overview message the webview receives, and, as the
// reference in the same run, fs.readFile and the whole-file readRecording of the 100 MB file (what opening cost
// before the index path). Webview memory is not measured here (no browser in this process); see the report.
//
// The generated logs are real records (refdata/intel5300/*) with timestamp_low and bfee_count rewritten to a
// monotone 1 kHz clock and a gap-free counter, so the time axis and the loss count are meaningful. They are
// written to the OS temp dir in chunks and deleted afterwards.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REFDATA, REPO } from '../test/helpers/paths';
import { readRecording } from '../src/core/formats/index';
import { WorkerClient } from '../src/worker/workerClient';
import type { ViewControls } from '../src/shared/recordingView';

const MB = 1e6;
const quick = process.argv.includes('--quick');

/** Whole bfee entries (u16 BE length + body) of the refdata Intel logs. */
function realEntries(): Buffer[] {
  const out: Buffer[] = [];
  for (const f of ['log.all_csi.6.7.6', '76bpm.dat', 'example.dat']) {
    const b = fs.readFileSync(path.join(REFDATA, 'intel5300', f));
    for (let p = 0; p + 3 <= b.length;) {
      const len = b.readUInt16BE(p);
      if (p + 2 + len > b.length) break;
      if (b[p + 2] === 0xbb) out.push(Buffer.from(b.subarray(p, p + 2 + len)));
      p += 2 + len;
    }
  }
  return out;
}

function generate(file: string, bytes: number): number {
  const entries = realEntries();
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(8 << 20);
  let used = 0, written = 0, i = 0;
  while (written + used < bytes) {
    const e = entries[i % entries.length];
    if (used + e.length > chunk.length) { fs.writeSync(fd, chunk, 0, used); written += used; used = 0; }
    e.copy(chunk, used);
    chunk.writeUInt32LE((i * 1000) >>> 0, used + 3);   // timestamp_low: 1 kHz, wraps like the real 32-bit counter
    chunk.writeUInt16LE(i & 0xffff, used + 7);         // bfee_count: gap-free
    used += e.length; i++;
  }
  fs.writeSync(fd, chunk, 0, used); written += used;
  fs.closeSync(fd);
  return i;
}

const controls: ViewControls = { rx: 0, tx: 0, rx2: 1, subcarriers: [15], useScaled: true, phaseMode: 'sanitised',
  colorScale: 'Viridis', dopplerWindowS: 0.25, dopplerBandHz: 60 };

/** Child: one editor session on `file`, as the extension host runs it. */
async function child(file: string): Promise<void> {
  const worker = new WorkerClient(path.join(REPO, 'dist', 'worker.js'));
  let peak = 0;
  const sample = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const opened = await worker.run('recordingOpen', { path: file });
  const tOpen = performance.now() - t0;
  const view = await worker.run('recordingView', { path: file, controls, maxColumns: 2000 });
  const tFirst = performance.now() - t0;
  // CPU time of the process (host-side client + worker thread) for the first view: robust to other jobs on a
  // shared machine, where wall time is inflated by waiting for a core.
  const cpu1 = process.cpuUsage(cpu0);
  const firstViewCpuMs = (cpu1.user + cpu1.system) / 1000;
  const json = JSON.stringify(view);
  // The same amplitude as base64 Float32 (the alternative transfer encoding), for the size comparison.
  const f32 = new Float32Array(view.amplitude.flat());
  const b64 = Buffer.from(f32.buffer).toString('base64').length;
  const d = opened.summary.durationS;
  const t1 = performance.now();
  const zoom = await worker.run('recordingView', { path: file, controls, maxColumns: 2000, rangeS: [0.45 * d, 0.55 * d] });
  const tZoom = performance.now() - t1;
  const t2 = performance.now();
  const narrow = await worker.run('recordingView', { path: file, controls, maxColumns: 2000, rangeS: [0.5 * d, 0.5 * d + 1] });
  const tNarrow = performance.now() - t2;
  const t3 = performance.now();
  const dop = await worker.run('recordingDoppler', { path: file, controls, maxColumns: 2000, rangeS: [0.5 * d, 0.5 * d + 10] });
  const tDoppler = performance.now() - t3;
  clearInterval(sample);
  await worker.dispose();
  const maxRssKiB = process.resourceUsage().maxRSS;
  console.log(JSON.stringify({
    mode: opened.mode, packets: opened.summary.records, durationS: d, lostPackets: opened.summary.lostPackets,
    openMs: tOpen, firstViewMs: tFirst, firstViewCpuMs, overviewColumns: view.timeS.length, overviewResolution: view.resolution,
    overviewJsonBytes: json.length, amplitudeJsonBytes: JSON.stringify(view.amplitude).length, amplitudeBase64Bytes: b64,
    zoom10pct: { ms: tZoom, columns: zoom.timeS.length, resolution: zoom.resolution },
    zoom1s: { ms: tNarrow, columns: narrow.timeS.length, resolution: narrow.resolution },
    doppler10s: { ms: tDoppler, columns: dop.timeS.length, bins: dop.freqsHz.length, unavailable: dop.unavailable },
    peakRssMiB: Math.max(peak, maxRssKiB * 1024) / 1048576,
  }));
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--child');
  if (i >= 0) { await child(process.argv[i + 1]); return; }
  const loadBefore = os.loadavg();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csiwb-editor-bench-'));
  const sizes = quick ? [100 * MB] : [100 * MB, 1000 * MB];
  const runs: Record<string, unknown>[] = [];
  let reference: Record<string, number> = {};
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
      fs.rmSync(file, { force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const cpus = os.cpus();
  const out = {
    benchmark: 'editor',
    date: new Date().toISOString(),
    machine: { cpu: cpus[0]?.model, cores: cpus.length, memGiB: os.totalmem() / 2 ** 30, node: process.version, platform: `${os.platform()} ${os.release()}`,
               loadAverage1mBefore: loadBefore[0], loadAverage1mAfter: os.loadavg()[0] },
    target: { firstViewMs100MB: 1000, oneGBOpens: 'without exhausting memory' },
    reference100MB: reference,
    runs,
    notes: [
      'firstViewMs = recordingOpen + recordingView(overview) through WorkerClient and dist/worker.js (host-side wait); the webview draw is not included',
      'peakRssMiB covers the host-side client and the worker thread (same process)',
      'firstViewCpuMs = process CPU time (all threads) for the first view; compare it with firstViewMs when the load average exceeds the core count',
      'webview (renderer) memory is not measured by this benchmark',
    ],
  };
  fs.mkdirSync(path.join(REPO, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(REPO, 'bench', 'results', 'editor.json'), JSON.stringify(out, null, 2) + '\n');
  console.log(JSON.stringify(out, null, 2));
}

main().catch(e => { console.error(e); process.exit(1); });
