#!/usr/bin/env node
// code-shim.js — a stand-in "VS Code executable" for @vscode/test-electron's `vscodeExecutablePath`. It accepts the
// desktop CLI flags test-electron passes and runs the tests in code-server + headless Chromium instead.
// Exit code = test result. Needs CODE_SERVER_ENTRY and NODE_PATH (the harness's node_modules) in the environment.
'use strict';
const path = require('path');
const { runExtensionTests } = require('./harness');
const dev = [],
  positional = [];
let tests;
const timeout = +(process.env.HARNESS_TIMEOUT_MS || 900000);
const takesValue = ['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir', 'folder-uri'];
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  const kv = /^--([^=]+)(?:=(.*))?$/.exec(arg);
  if (!kv) {
    positional.push(arg);
    continue;
  }
  const [, k, v0] = kv;
  const v = v0 ?? (takesValue.includes(k) ? process.argv[++i] : undefined);
  if (k === 'extensionDevelopmentPath') dev.push(v);
  else if (k === 'extensionTestsPath') tests = v;
  else if (k === 'folder-uri') positional.push(new URL(v).pathname);
  else if (k === 'version' || k === 'v') {
    console.log('1.100.3\n(code-server shim)\nx64');
    process.exit(0);
  }
  // all other desktop flags (--no-sandbox, --disable-gpu-sandbox, --user-data-dir, --disable-extensions, …) do not apply
}
if (!tests) {
  console.error('code-shim: only test runs (--extensionTestsPath) are supported');
  process.exit(2);
}
const folder = positional.find(p => !p.endsWith('.code-workspace'));
runExtensionTests({
  extensionDevelopmentPath: dev,
  extensionTestsPath: tests,
  folder: folder && path.resolve(folder),
  shots: process.env.HARNESS_SHOTS,
  timeout,
  verbose: !!process.env.HARNESS_VERBOSE,
  out: l => console.log(l),
}).then(
  code => process.exit(code === 0 ? 0 : 1),
  e => {
    console.error(e);
    process.exit(2);
  },
);
