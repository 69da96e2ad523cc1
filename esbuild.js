// Bundles the three kinds of entry point and copies the assets that must not be bundled.
//   node esbuild.js [--watch] [--production]
//   dist/extension.js  extension host (CommonJS, `vscode` external)
//   dist/worker.js     worker_threads worker (CommonJS)
//   dist/cli.js        headless CLI (package bin)
//   dist/tfjs.js       tfjs, shared by the node bundles above that train or run models (see tfjsShared)
//   dist/webview/*.js  webview UIs (browser IIFE), one per folder in webview/ with a main.ts
//   dist/webview/      + plotly.min.js, codicons, webview CSS;  dist/wasm/ + .wasm files (tfjs-backend-wasm, ours)
'use strict';
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const root = __dirname;
const dist = path.join(root, 'dist');

/** Copy a file when it exists; assets that are optional (e.g. wasm not built yet) are reported, not fatal. */
function copy(from, to, required = true) {
  if (!fs.existsSync(from)) {
    if (required) throw new Error(`asset missing: ${from}`);
    console.warn(`[esbuild] optional asset not found: ${path.relative(root, from)}`);
    return;
  }
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

function copyAssets() {
  const wv = path.join(dist, 'webview');
  const nm = path.join(root, 'node_modules');
  // plotly's official cartesian partial bundle (scatter, heatmap, bar, … — every trace type the webviews draw):
  // 1.5 MB instead of the full 4.8 MB build, which the webview must parse before its first chart.
  copy(path.join(nm, 'plotly.js-cartesian-dist-min', 'plotly-cartesian.min.js'), path.join(wv, 'plotly.min.js'));
  copy(path.join(nm, '@vscode', 'codicons', 'dist', 'codicon.css'), path.join(wv, 'codicon.css'));
  copy(path.join(nm, '@vscode', 'codicons', 'dist', 'codicon.ttf'), path.join(wv, 'codicon.ttf'));
  for (const dir of fs.readdirSync(path.join(root, 'webview'))) {
    const d = path.join(root, 'webview', dir);
    if (!fs.statSync(d).isDirectory()) continue;
    for (const f of fs.readdirSync(d)) if (f.endsWith('.css')) copy(path.join(d, f), path.join(wv, f));
  }
  // Experiment workbench: notebook templates, and the schema of one notebook step cell (the items of the experiment
  // schema's `steps`, with its definitions) for the jsonValidation contribution.
  const tpl = path.join(root, 'experiments', 'templates');
  if (fs.existsSync(tpl))
    for (const f of fs.readdirSync(tpl)) if (f.endsWith('.csiexp')) copy(path.join(tpl, f), path.join(dist, 'templates', f));
  const expSchema = path.join(root, 'src', 'core', 'experiment', 'experiment.schema.json');
  if (fs.existsSync(expSchema)) {
    const s = JSON.parse(fs.readFileSync(expSchema, 'utf8'));
    fs.mkdirSync(path.join(dist, 'schemas'), { recursive: true });
    fs.writeFileSync(
      path.join(dist, 'schemas', 'experiment-step.schema.json'),
      JSON.stringify(
        {
          $schema: s.$schema,
          title: 'CSI Workbench experiment step (one notebook cell)',
          ...s.properties.steps.items,
          definitions: s.definitions,
        },
        null,
        1,
      ),
    );
  }
  // WebAssembly: tfjs-backend-wasm's binaries and the project's own kernels (native/ → *.wasm, committed).
  const tfw = path.join(nm, '@tensorflow', 'tfjs-backend-wasm', 'dist');
  if (fs.existsSync(tfw)) for (const f of fs.readdirSync(tfw)) if (f.endsWith('.wasm')) copy(path.join(tfw, f), path.join(dist, 'wasm', f));
  const own = path.join(root, 'native', 'build');
  if (fs.existsSync(own)) for (const f of fs.readdirSync(own)) if (f.endsWith('.wasm')) copy(path.join(own, f), path.join(dist, 'wasm', f));
}

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

// tfjs (core, layers, backends: ~2 MB of the 5 MB bundles) lives once, in dist/tfjs.js, and every node bundle that
// imports it (worker.js, cli.js) requires that file instead of carrying its own copy. The
// require runs when the importing module is first evaluated, so a bundle that only reaches tfjs through a lazily
// loaded module (the worker's experiment tasks, src/worker/tasks/index.ts) starts without parsing or running it.
// One module instance per process also keeps tfjs's single engine/backend registry shared by the wasm backend.
const TFJS_SHARED = ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm'];
const tfjsShared = {
  name: 'tfjs-shared',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs(-core|-backend-wasm)?$/ }, a => ({ path: a.path, namespace: 'tfjs-shared' }));
    build.onResolve({ filter: /^\.\/tfjs\.js$/, namespace: 'tfjs-shared' }, () => ({ path: './tfjs.js', external: true }));
    build.onLoad({ filter: /.*/, namespace: 'tfjs-shared' }, a => ({
      contents: `module.exports = require('./tfjs.js')[${JSON.stringify(a.path)}];`,
      loader: 'js',
    }));
  },
};

/** dist/tfjs.js: the shared tfjs modules, as `{ [package name]: module }`. */
function tfjsEntry() {
  return {
    ...common,
    outfile: 'dist/tfjs.js',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@tensorflow/tfjs-node'],
    stdin: {
      contents: `module.exports = {\n${TFJS_SHARED.map(s => `  ${JSON.stringify(s)}: require(${JSON.stringify(s)}),`).join('\n')}\n};`,
      resolveDir: root,
      sourcefile: 'tfjs-shared-entry.js',
      loader: 'js',
    },
  };
}

function nodeEntry(entry, outfile, extra = {}) {
  return {
    ...common,
    entryPoints: [entry],
    outfile,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // vscode is provided by the host; tfjs-node is an optional native accelerator loaded at run time if present.
    external: ['vscode', '@tensorflow/tfjs-node'],
    plugins: [tfjsShared],
    ...extra,
  };
}

function webviewEntries() {
  const dir = path.join(root, 'webview');
  return fs
    .readdirSync(dir)
    .filter(d => fs.existsSync(path.join(dir, d, 'main.ts')) && d !== 'notebookRenderer')
    .map(d => ({
      ...common,
      entryPoints: { [d]: path.join(dir, d, 'main.ts') },
      outdir: path.join(dist, 'webview'),
      platform: 'browser',
      target: 'chrome120',
      format: 'iife',
    }));
}

async function main() {
  // A production build starts clean so stale source maps or assets never reach the .vsix.
  if (production) fs.rmSync(dist, { recursive: true, force: true });
  fs.mkdirSync(dist, { recursive: true });
  copyAssets();
  const configs = [
    tfjsEntry(),
    nodeEntry('src/extension/extension.ts', 'dist/extension.js'),
    nodeEntry('src/worker/worker.ts', 'dist/worker.js'),
    // Simulator sample worker: dataset.ts spawns it from next to itself (dist/ when bundled into cli.js).
    nodeEntry('src/core/sim/sampleWorker.ts', 'dist/sampleWorker.js'),
    nodeEntry('src/cli/main.ts', 'dist/cli.js', { banner: { js: '#!/usr/bin/env node' } }),
    ...webviewEntries(),
    // Notebook renderer: VS Code imports it as an ES module and calls its exported activate(). It imports the shared
    // plotly.min.js beside it at run time (webview/notebookRenderer/loadPlotly.ts), located from its own module URL.
    {
      ...common,
      entryPoints: { notebookRenderer: path.join(root, 'webview', 'notebookRenderer', 'main.ts') },
      outdir: path.join(dist, 'webview'),
      platform: 'browser',
      target: 'chrome120',
      format: 'esm',
      banner: { js: 'const CSIWB_RENDERER_URL = import.meta.url;' },
    },
  ];
  if (watch) {
    for (const c of configs) await (await esbuild.context(c)).watch();
    console.log('[esbuild] watching…');
  } else {
    await Promise.all(configs.map(c => esbuild.build(c)));
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
