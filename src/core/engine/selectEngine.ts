// Run-time choice of the training engine: native @tensorflow/tfjs-node when the user installed it and it loads,
// otherwise @tensorflow/tfjs on the wasm backend with the project's own kernels (native/gemm.wasm). Both expose the
// same tfjs API, so model code is written once. The choice and its details go into every run's metadata.
//
// tfjs-node is deliberately not a dependency: its install script downloads libtensorflow, which fails offline (see
// the engine README section in DEVELOPING notes / report). It is loaded only if present, and a present-but-broken
// install (e.g. a binding that throws on require) falls back with one log line instead of crashing the run.
import * as os from 'os';
import type * as TfNamespace from '@tensorflow/tfjs';
import { loadGemmWasm } from './gemmWasm';
import { registerFastKernels } from './kernels/registerFastKernels';
import { locateWasm } from './wasmDir';
import { installThreadShim, withDoubledCpuCount } from './wasmThreads';

export type Tf = typeof TfNamespace;

/** What ran the model; recorded in run metadata. */
export interface EngineInfo {
  engine: 'tfjs-node' | 'tfjs-wasm';
  /** tfjs backend name ('tensorflow' or 'wasm'). */
  backend: string;
  /** Threads one engine instance computes with (tfjs-wasm: XNNPACK pool size; our GEMM runs on the calling thread). */
  threads: number;
  /** Kernels the project registered over tfjs's own (empty for tfjs-node, whose gradients are all native). */
  kernels: string[];
  simd: boolean;
  /** Where tfjs-wasm's binaries were found ('package', 'bundled' or 'override'). */
  wasmDir?: string;
  /** Why tfjs-node was not used, when it was installed but failed. */
  fallbackReason?: string;
  tfjsVersion: string;
  cpus: number;
}

export interface Engine {
  tf: Tf;
  info: EngineInfo;
}

export interface SelectEngineOptions {
  /** 'auto' (default): tfjs-node if it loads, else wasm. 'wasm' skips the tfjs-node probe. */
  prefer?: 'auto' | 'node' | 'wasm';
  /** Module loader, injectable for tests (default: require). */
  load?: (id: string) => unknown;
  /** Where the one fallback line goes (default: console.warn). */
  log?: (line: string) => void;
  /** Route plain 2-D matmuls through our GEMM as well (default false: XNNPACK was faster on them). */
  ownPlainMatMul?: boolean;
  /** Path of gemm.wasm (default: next to the bundle or native/ in the repo). */
  gemmWasmPath?: string;
  /**
   * XNNPACK threads of tfjs-wasm (default 1). Above 1 the threaded build is enabled through wasmThreads.ts; the
   * process then has pthread workers alive and must exit explicitly. Data-parallel training is the default way to
   * use more cores (see dataParallelTrainer.ts); this option exists to measure the alternative.
   */
  threads?: number;
}

/** Typed error when no engine can start (for example, tfjs-wasm's binaries are missing). */
export class EngineUnavailableError extends Error {
  constructor(
    message: string,
    readonly causes: string[],
  ) {
    super(message);
    this.name = 'EngineUnavailableError';
  }
}

const TFJS_NODE = '@tensorflow/tfjs-node';
const selected = new Map<string, Promise<Engine>>();

/**
 * Select and initialise the engine, once per thread and preference (the wasm module can only be initialised once;
 * later calls with the same `prefer` return the same engine whatever other options they pass). tfjs's active backend
 * is global: a later selection with a different preference (e.g. tests forcing 'wasm' after an 'auto' caller got
 * tfjs-node) makes its backend the active one for everybody in the thread.
 */
export function selectEngine(opts: SelectEngineOptions = {}): Promise<Engine> {
  const key = opts.prefer ?? 'auto';
  let engine = selected.get(key);
  if (!engine) {
    // An 'auto' selection that ended on wasm is also the 'wasm' engine (one wasm module per thread).
    engine = doSelect(opts).then(e => {
      if (e.info.engine === 'tfjs-wasm' && !selected.has('wasm')) selected.set('wasm', Promise.resolve(e));
      return e;
    });
    selected.set(key, engine);
  }
  return engine;
}

async function doSelect(opts: SelectEngineOptions): Promise<Engine> {
  const load = opts.load ?? defaultLoad;
  const log = opts.log ?? ((line: string) => console.warn(line));
  const prefer = opts.prefer ?? 'auto';
  let fallbackReason: string | undefined;
  if (prefer !== 'wasm') {
    const probe = await tryTfjsNode(load);
    if (probe.engine) return probe.engine;
    if (probe.installedButBroken) {
      fallbackReason = probe.reason;
      log(`[engine] ${TFJS_NODE} is installed but failed to load (${probe.reason}); falling back to tfjs-wasm`);
    }
    if (prefer === 'node') throw new EngineUnavailableError(`${TFJS_NODE} requested but unavailable: ${probe.reason}`, [probe.reason]);
  }
  const wasm = selected.get('wasm');
  if (wasm && prefer !== 'wasm') {
    const e = await wasm;
    return { tf: e.tf, info: { ...e.info, fallbackReason } };
  }
  return startWasm(load, opts, fallbackReason);
}

interface NodeProbe {
  engine?: Engine;
  installedButBroken: boolean;
  reason: string;
}

async function tryTfjsNode(load: (id: string) => unknown): Promise<NodeProbe> {
  let tf: Tf;
  try {
    tf = load(TFJS_NODE) as Tf;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // Not installed at all is the normal case here and deserves no log line; anything else is a broken install.
    const notInstalled = err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(`'${TFJS_NODE}'`);
    return { installedButBroken: !notInstalled, reason: firstLine(err.message ?? String(e)) };
  }
  try {
    if (!(await tf.setBackend('tensorflow'))) throw new Error('tf.setBackend("tensorflow") returned false');
    await tf.ready();
  } catch (e) {
    return { installedButBroken: true, reason: firstLine((e as Error).message ?? String(e)) };
  }
  return {
    installedButBroken: false,
    reason: '',
    engine: {
      tf,
      info: {
        engine: 'tfjs-node',
        backend: 'tensorflow',
        threads: os.cpus().length,
        kernels: [],
        simd: true,
        tfjsVersion: tf.version.tfjs,
        cpus: os.cpus().length,
      },
    },
  };
}

async function startWasm(load: (id: string) => unknown, opts: SelectEngineOptions, fallbackReason?: string): Promise<Engine> {
  const tf = load('@tensorflow/tfjs') as Tf;
  const wasmBackend = load('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  const where = locateWasm();
  wasmBackend.setWasmPaths(where.binDir.endsWith('/') ? where.binDir : `${where.binDir}/`);
  const threads = Math.max(1, Math.floor(opts.threads ?? 1));
  wasmBackend.setThreadsCount(threads);
  if (threads > 1) {
    installThreadShim(where.glueDir);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  }
  let ok: boolean;
  try {
    const init = async () => {
      const r = await tf.setBackend('wasm');
      await tf.ready();
      return r;
    };
    ok = threads > 1 ? await withDoubledCpuCount(init) : await init();
  } catch (e) {
    throw new EngineUnavailableError(`tfjs-wasm failed to start from ${where.binDir}: ${(e as Error).message}`, [String(e)]);
  }
  if (!ok) throw new EngineUnavailableError(`tfjs-wasm failed to start from ${where.binDir}`, []);
  const gemm = loadGemmWasm(opts.gemmWasmPath);
  const kernels = registerFastKernels(tf, gemm, { ownPlainMatMul: opts.ownPlainMatMul ?? false });
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return {
    tf,
    info: {
      engine: 'tfjs-wasm',
      backend: 'wasm',
      threads: wasmBackend.getThreadsCount(),
      kernels,
      simd,
      wasmDir: where.how,
      fallbackReason,
      tfjsVersion: tf.version.tfjs,
      cpus: os.cpus().length,
    },
  };
}

/**
 * Literal requires, so that esbuild bundles tfjs and tfjs-backend-wasm into dist/*.js (a require of a variable id is
 * left to run time and fails in a bundle). tfjs-node is marked external in esbuild.js: resolved at run time if present.
 */
function defaultLoad(id: string): unknown {
  switch (id) {
    case '@tensorflow/tfjs':
      return require('@tensorflow/tfjs');
    case '@tensorflow/tfjs-backend-wasm':
      return require('@tensorflow/tfjs-backend-wasm');
    case TFJS_NODE:
      return require('@tensorflow/tfjs-node');
    default:
      throw new EngineUnavailableError(`unknown engine module ${id}`, []);
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}
