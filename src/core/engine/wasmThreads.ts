// Turns on tfjs-backend-wasm's threaded SIMD build inside Node, which tfjs 4.22 blocks in three ways (measured and
// described in the shared training-engine notes, section 1):
//  1. WASM_HAS_MULTITHREAD_SUPPORT is hard-coded false under Node (tfjs#3830): the caller sets the flag to true
//     after loading the backend and before initialising it.
//  2. The pthread worker script is handed over as a Blob URL, which Node's worker_threads cannot load: while this
//     shim is installed, URL.createObjectURL on a JavaScript Blob returns a real file instead, holding the shipped
//     wasm-out worker script with one line prepended, so that inside each pthread worker the "main script blob"
//     also resolves to a file (the shipped raw emscripten glue). Emscripten's own Node support does the rest.
//  3. The C++ side caps the pool at emscripten_num_logical_cores()/2, i.e. os.cpus().length/2 in Node, so on a
//     2-core machine setThreadsCount(2) silently gives 1 thread: os.cpus() reports twice the cores during init.
// The shim stays installed for the process lifetime (emscripten may allocate more pthread workers later); it only
// intercepts JavaScript Blobs. Pthread workers keep Node alive: processes using threads must exit explicitly.
import * as fs from 'fs';
// The real module object (not an import-star wrapper, whose properties are read-only getters), so cpus can be patched.
import os = require('os');
import * as path from 'path';

const WORKER = 'tfjs-backend-wasm-threaded-simd.worker.js';
const GLUE = 'tfjs-backend-wasm-threaded-simd.js';
let installed: string | undefined;

export class WasmThreadsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WasmThreadsError';
  }
}

/** Install the Blob-URL redirection (once per process) and return the worker file it serves. */
export function installThreadShim(glueDir: string, tmpDir = process.env.TFWASM_TMP ?? os.tmpdir()): string {
  if (installed) return installed;
  const workerSrc = path.join(glueDir, WORKER),
    glue = path.join(glueDir, GLUE);
  let src: string;
  try {
    // The shipped file is a CommonJS module whose export is the worker script's text.
    src = (require(workerSrc) as { wasmWorkerContents?: unknown }).wasmWorkerContents as string;
  } catch (e) {
    throw new WasmThreadsError(`${workerSrc}: cannot load the pthread worker script (${(e as Error).message})`);
  }
  if (typeof src !== 'string') throw new WasmThreadsError(`${workerSrc}: expected an export wasmWorkerContents (string)`);
  if (!fs.existsSync(glue)) throw new WasmThreadsError(`${glue}: threaded emscripten glue not found`);
  const file = path.join(tmpDir, `csi-workbench-tfjs-pthread-${process.pid}.worker.js`);
  // The template literal the text comes from has turned the script's "\n" escapes into real newlines (the script is
  // minified to one line otherwise); restore them exactly as tfjs does before making its Blob.
  const script = src.replace(/\n/g, '\\n');
  fs.writeFileSync(file, `URL.createObjectURL = function () { return ${JSON.stringify(glue)}; };\n${script}`);
  const original = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (obj: Blob | MediaSource): string =>
    obj instanceof Blob && /javascript/.test(obj.type) ? file : original(obj as Blob);
  process.once('exit', () => fs.rmSync(file, { force: true }));
  installed = file;
  return file;
}

/** Run the backend initialisation with os.cpus() doubled, so that XNNPACK's pool can reach `threads` threads. */
export async function withDoubledCpuCount<T>(init: () => Promise<T>): Promise<T> {
  const cpus = os.cpus;
  (os as { cpus: typeof os.cpus }).cpus = () => {
    const c = cpus();
    return [...c, ...c];
  };
  try {
    return await init();
  } finally {
    (os as { cpus: typeof os.cpus }).cpus = cpus;
  }
}
