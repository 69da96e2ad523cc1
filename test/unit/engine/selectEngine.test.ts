// Engine selection: tfjs-wasm with our kernels when tfjs-node is absent; a broken tfjs-node (its binding throws on
// require) falls back with exactly one clear log line instead of crashing; the engine works inside a worker_threads
// worker (as the extension host and CLI run it); missing/invalid binaries give typed errors naming the file.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { GemmModuleError, loadGemmWasm, GemmWasm } from '../../../src/core/engine/gemmWasm';
import { setWasmDir, locateWasm, WasmDirError } from '../../../src/core/engine/wasmDir';

const ENGINE_JS = path.resolve(__dirname, '../../../src/core/engine/selectEngine.js');

/** Run a small script in a fresh node process (engine selection is once per process) and parse its JSON output. */
function runChild(script: string, env: NodeJS.ProcessEnv = {}): { info: Record<string, unknown>; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return { info: line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : {}, stderr: r.stderr, status: r.status };
}

/**
 * Child-process preambles that control what require('@tensorflow/tfjs-node') finds, whatever this machine has
 * installed (it is an optionalDependency: present where npm could download libtensorflow, absent offline).
 */
const ABSENT_TFJS_NODE = `
  const Module = require('module'); const resolve = Module._resolveFilename;
  Module._resolveFilename = function (req, ...rest) {
    if (req === '@tensorflow/tfjs-node') { const e = new Error("Cannot find module '@tensorflow/tfjs-node'"); e.code = 'MODULE_NOT_FOUND'; throw e; }
    return resolve.call(this, req, ...rest);
  };`;
const brokenTfjsNodeAt = (index: string) => `
  const Module = require('module'); const resolve = Module._resolveFilename;
  Module._resolveFilename = function (req, ...rest) {
    return req === '@tensorflow/tfjs-node' ? ${JSON.stringify(index)} : resolve.call(this, req, ...rest);
  };`;

const selectScript = `
  const { selectEngine } = require(${JSON.stringify(ENGINE_JS)});
  selectEngine().then(async ({ tf, info }) => {
    const y = tf.matMul(tf.ones([3, 4]), tf.ones([5, 4]), false, true).dataSync();
    console.log(JSON.stringify({ ...info, check: y[0] }));
  }, e => { console.error('FAILED', e && e.stack || e); process.exit(3); });`;

describe('engine: selection and fallback', function () {
  this.timeout(60_000);
  let tmp: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-test-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('without tfjs-node, selects tfjs-wasm with SIMD and the project kernels, silently', () => {
    const { info, stderr, status } = runChild(ABSENT_TFJS_NODE + selectScript);
    assert.equal(status, 0, stderr);
    assert.equal(info.engine, 'tfjs-wasm');
    assert.equal(info.backend, 'wasm');
    assert.equal(info.simd, true);
    assert.equal(info.threads, 1);
    assert.equal(info.check, 4); // a row of ones times a column of ones, 4 long
    for (const k of ['BatchMatMul', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'UnsortedSegmentSum']) {
      assert.ok((info.kernels as string[]).includes(k), `kernel ${k} registered`);
    }
    assert.doesNotMatch(stderr, /\[engine\]/);
  });

  it('with a broken tfjs-node package (binding throws on require), falls back to wasm with one clear log line', () => {
    const pkg = path.join(tmp, 'node_modules', '@tensorflow', 'tfjs-node');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(
      path.join(pkg, 'package.json'),
      JSON.stringify({ name: '@tensorflow/tfjs-node', version: '4.22.0', main: 'index.js' }),
    );
    // What a failed libtensorflow download leaves behind: the JS loads, the native binding does not.
    fs.writeFileSync(
      path.join(pkg, 'index.js'),
      "throw new Error('The specified module could not be found: lib/napi-v8/tfjs_binding.node');\n",
    );
    const { info, stderr, status } = runChild(brokenTfjsNodeAt(path.join(pkg, 'index.js')) + selectScript);
    assert.equal(status, 0, stderr);
    assert.equal(info.engine, 'tfjs-wasm');
    assert.match(String(info.fallbackReason), /tfjs_binding\.node/);
    const lines = stderr.split('\n').filter(l => l.includes('[engine]'));
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0], /@tensorflow\/tfjs-node is installed but failed to load .*tfjs_binding\.node.*falling back to tfjs-wasm/);
  });

  it('enables the threaded SIMD build in Node with threads: 2 (2 XNNPACK threads), gradients still exact', () => {
    const { info, stderr, status } = runChild(`
      const { selectEngine } = require(${JSON.stringify(ENGINE_JS)});
      selectEngine({ prefer: 'wasm', threads: 2 }).then(({ tf, info }) => {
        // conv1d-shaped filter gradient, stride 2: our kernel, on a shared-memory heap now.
        const x = tf.ones([2, 8, 1, 3]), w = tf.ones([3, 1, 3, 4]);
        const g = tf.grad(f => tf.conv2d(x, f, [2, 1], 'same').sum())(w).dataSync();
        const y = tf.matMul(tf.ones([300, 200]), tf.ones([200, 100])).dataSync(); // XNNPACK, threaded
        console.log(JSON.stringify({ ...info, g: Array.from(g), y0: y[0] }));
        process.exit(0); // pthread workers keep Node alive otherwise
      }, e => { console.error('FAILED', e && e.stack || e); process.exit(3); });`);
    assert.equal(status, 0, stderr);
    assert.equal(info.threads, 2);
    assert.equal(info.y0, 200);
    // dW[kh,0,ci,co] = number of output positions whose tap kh lands inside the input: 'same' padding with k=3,
    // stride 2 on 8 samples pads 0 before/1 after → outputs 0..3 read rows 2o+kh; row 8 (kh=2, o=3) is padding.
    const perTap = [4, 4, 3].map(n => n * 2); // × batch 2
    const want: number[] = [];
    for (const n of perTap) for (let ci = 0; ci < 3; ci++) for (let co = 0; co < 4; co++) want.push(n);
    assert.deepEqual(info.g, want);
  });

  it("prefer: 'node' without tfjs-node rejects with a typed EngineUnavailableError", () => {
    const r = runChild(`
      const { selectEngine } = require(${JSON.stringify(ENGINE_JS)});
      ${ABSENT_TFJS_NODE}
      selectEngine({ prefer: 'node' }).then(() => console.log('{"ok":true}'),
        e => console.log(JSON.stringify({ name: e.name, message: e.message })));`);
    assert.equal(r.info.name, 'EngineUnavailableError');
    assert.match(String(r.info.message), /@tensorflow\/tfjs-node requested but unavailable/);
  });

  it('runs a training step inside a worker_threads worker', async () => {
    const src = `
      const { parentPort } = require('worker_threads');
      const { selectEngine } = require(${JSON.stringify(ENGINE_JS)});
      selectEngine({ prefer: 'wasm' }).then(({ tf, info }) => {
        const w = tf.variable(tf.randomNormal([5, 1, 3, 4], 0, 1, 'float32', 1));
        const x = tf.randomNormal([2, 16, 1, 3], 0, 1, 'float32', 2);
        const opt = tf.train.sgd(0.01);
        const losses = [];
        for (let i = 0; i < 5; i++) {
          const l = opt.minimize(() => tf.conv2d(x, w, [2, 1], 'same').square().mean(), true, [w]);
          losses.push(l.dataSync()[0]); l.dispose();
        }
        parentPort.postMessage({ engine: info.engine, losses });
      }, e => parentPort.postMessage({ error: String(e && e.stack || e) }));`;
    const worker = new Worker(src, { eval: true });
    try {
      const msg = await new Promise<{ engine?: string; losses?: number[]; error?: string }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      assert.equal(msg.error, undefined);
      assert.equal(msg.engine, 'tfjs-wasm');
      // Gradient descent on a convex quadratic in w must decrease the loss every step.
      for (let i = 1; i < msg.losses!.length; i++) assert.ok(msg.losses![i] < msg.losses![i - 1], `${msg.losses}`);
    } finally {
      await worker.terminate();
    }
  });

  it('names the file when gemm.wasm is missing or not a wasm module', () => {
    const missing = path.join(tmp, 'nope', 'gemm.wasm');
    assert.throws(
      () => loadGemmWasm(missing),
      (e: unknown) => e instanceof GemmModuleError && e.message.includes(missing) && /ENOENT/.test(e.message),
    );
    assert.throws(
      () => new GemmWasm(new Uint8Array([0, 97, 115, 109, 9, 9]), 'bad.wasm'),
      (e: unknown) => e instanceof GemmModuleError && e.message.startsWith('bad.wasm:'),
    );
  });

  it('setWasmDir overrides the location and reports every folder it looked in', () => {
    try {
      setWasmDir(tmp);
      assert.throws(
        () => locateWasm(),
        (e: unknown) => e instanceof WasmDirError && e.message.includes(tmp),
      );
      fs.writeFileSync(path.join(tmp, 'tfjs-backend-wasm-simd.wasm'), '');
      assert.deepEqual(locateWasm(), { binDir: tmp, glueDir: tmp, how: 'override' });
    } finally {
      setWasmDir(undefined);
    }
    assert.equal(locateWasm().how, 'package');
  });
});
