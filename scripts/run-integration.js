#!/usr/bin/env node
// Integration tests in a real VS Code extension host. The entry point is @vscode/test-electron's runTests, as on a
// developer's laptop; here (no desktop VS Code offline) its executable is the code-server shim of .ci/vscode-harness.
// Set VSCODE_EXECUTABLE to a desktop VS Code binary to run the same tests there instead.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runTests } = require('@vscode/test-electron');

const root = path.resolve(__dirname, '..');
const shared = process.env.CSI_SHARED || path.resolve(root, '..', 'shared');

async function main() {
  const shots = process.env.HARNESS_SHOTS || path.join(root, '.ci-artifacts', 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  // A throw-away workspace: links to the shared reference data (never copied into the repo) and room for files
  // the tests create (e.g. a garbage recording).
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'csiwb-ws-'));
  fs.symlinkSync(path.join(shared, 'refdata'), path.join(ws, 'refdata'));
  if (fs.existsSync(path.join(shared, 'labeled'))) fs.symlinkSync(path.join(shared, 'labeled'), path.join(ws, 'labeled'));
  const harness = path.join(root, '.ci', 'vscode-harness');
  const hdir = process.env.HARNESS_DIR || path.join(os.homedir(), '.cache', 'vscode-harness');
  const env = {
    CODE_SERVER_ENTRY: process.env.CODE_SERVER_ENTRY || path.join(hdir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    NODE_PATH: [path.join(hdir, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(path.delimiter),
    HARNESS_SHOTS: shots,
  };
  Object.assign(process.env, env);
  try {
    await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || path.join(harness, 'code-shim.js'),
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'integration', 'index'),
      launchArgs: [ws, '--disable-extensions'],
      extensionTestsEnv: { CSI_SHARED: shared, CSI_TEST_WORKSPACE: ws, HARNESS_SHOTS: shots },
    });
    return 0;
  } catch (e) {
    console.error(`integration run failed: ${e && e.message ? e.message : e}`);
    return 1;
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
}
main().then(code => process.exit(code));
