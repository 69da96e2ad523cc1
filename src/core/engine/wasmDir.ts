// Where tfjs-backend-wasm's .wasm binaries (and the threaded build's worker .js) are found at run time.
//
// Unbundled (tests, CLI from out/): the package's own dist/ (binaries) next to wasm-out/ (emscripten JS).
// Bundled (dist/extension.js, dist/worker.js): esbuild copies them into dist/wasm/, i.e. path.join(__dirname, 'wasm').
// setWasmDir() overrides both, e.g. for a .vsix layout we do not foresee.
import * as fs from 'fs';
import * as path from 'path';

const BINARY = 'tfjs-backend-wasm-simd.wasm';
let override: string | undefined;

/** Point the engine at a folder holding tfjs-backend-wasm*.wasm (and, for threads, the wasm-out/*.js files). */
export function setWasmDir(dir: string | undefined): void {
  override = dir === undefined ? undefined : path.resolve(dir);
}

export interface WasmLocation {
  /** Folder with tfjs-backend-wasm*.wasm. */
  binDir: string;
  /** Folder with tfjs-backend-wasm-threaded-simd.js (emscripten glue the pthread workers load). */
  glueDir: string;
  how: 'override' | 'bundled' | 'package';
}

/** Resolve the folders; throws a typed error naming every place looked at when the binaries are missing. */
export function locateWasm(): WasmLocation {
  const tried: string[] = [];
  const check = (binDir: string, glueDir: string, how: WasmLocation['how']): WasmLocation | undefined => {
    tried.push(binDir);
    return fs.existsSync(path.join(binDir, BINARY)) ? { binDir, glueDir, how } : undefined;
  };
  if (override) {
    const hit = check(override, override, 'override');
    if (hit) return hit;
    throw new WasmDirError(tried);
  }
  const bundled = check(path.join(__dirname, 'wasm'), path.join(__dirname, 'wasm'), 'bundled');
  if (bundled) return bundled;
  let pkgDir: string | undefined;
  try {
    pkgDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  } catch {
    throw new WasmDirError(tried);
  }
  const viaPackage =
    check(path.join(pkgDir, 'wasm-out'), path.join(pkgDir, 'wasm-out'), 'package') ??
    check(path.join(pkgDir, 'dist'), path.join(pkgDir, 'wasm-out'), 'package');
  if (viaPackage) return viaPackage;
  throw new WasmDirError(tried);
}

export class WasmDirError extends Error {
  constructor(readonly tried: string[]) {
    super(`cannot find ${BINARY}; looked in ${tried.join(', ')} (call setWasmDir() with the folder holding it)`);
    this.name = 'WasmDirError';
  }
}
