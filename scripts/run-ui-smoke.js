#!/usr/bin/env node
// Packages the .vsix and runs the black-box UI smoke (.ci/vscode-harness/ui-smoke.js) on it: the extension as a
// user installs it. Expected values come from ../shared/refdata/expected, not from our reader.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const root = path.resolve(__dirname, '..');
const shared = process.env.CSI_SHARED || path.resolve(root, '..', 'shared');
const hdir = process.env.HARNESS_DIR || path.join(os.homedir(), '.cache', 'vscode-harness');
const env = {
  ...process.env,
  CODE_SERVER_ENTRY: process.env.CODE_SERVER_ENTRY || path.join(hdir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  NODE_PATH: [path.join(hdir, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(path.delimiter),
};
const pkg = spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (pkg.status !== 0) {
  console.log('ui-smoke: 0 passed, 1 failed (npm run package failed)');
  process.exit(1);
}
const vsix = path.join(root, 'dist-vsix', 'csi-workbench.vsix');
console.log(`packaged ${path.relative(root, vsix)}: ${(fs.statSync(vsix).size / 1048576).toFixed(2)} MiB`);
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'csiwb-smoke-'));
fs.symlinkSync(path.join(shared, 'refdata'), path.join(ws, 'refdata'));
const expected = JSON.parse(fs.readFileSync(path.join(shared, 'refdata', 'expected', 'log.all_csi.6.7.6.json'), 'utf8')).num_records;
const shots = process.env.HARNESS_SHOTS || path.join(root, '.ci-artifacts', 'screenshots');
const r = spawnSync(process.execPath, [path.join(root, '.ci', 'vscode-harness', 'ui-smoke.js'), vsix, ws, shots, String(expected)], {
  cwd: root,
  stdio: 'inherit',
  env,
});
fs.rmSync(ws, { recursive: true, force: true });
process.exit(r.status ?? 1);
