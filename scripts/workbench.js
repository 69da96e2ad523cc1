#!/usr/bin/env node
// The main job: open CSI Workbench in a local VS Code (code-server 1.100.3) with the extension installed from the
// freshly packaged .vsix and a sample workspace: the shared real recordings (linked, not copied) and, once the
// simulator is available, a generated synthetic Widar-style dataset. Prints the URL; Ctrl-C stops it.
//   node scripts/workbench.js [--port 8080] [--workspace DIR]
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseArgs } = require('util');

const root = path.resolve(__dirname, '..');
const { values: a } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT || '8080' },
    workspace: { type: 'string', default: path.join(root, 'samples', 'generated', 'workspace') },
  },
});
const hdir = process.env.HARNESS_DIR || path.join(os.homedir(), '.cache', 'vscode-harness');
process.env.CODE_SERVER_ENTRY ||= path.join(hdir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const { startCodeServer } = require('../.ci/vscode-harness/harness');

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status})`);
}

async function main() {
  const vsix = path.join(root, 'dist-vsix', 'csi-workbench.vsix');
  sh('npm', ['run', '--silent', 'package']);
  const ws = path.resolve(a.workspace);
  fs.mkdirSync(ws, { recursive: true });
  const shared = process.env.CSI_SHARED || path.resolve(root, '..', 'shared');
  for (const d of ['refdata', 'labeled']) {
    const link = path.join(ws, d);
    if (fs.existsSync(path.join(shared, d)) && !fs.existsSync(link)) fs.symlinkSync(path.join(shared, d), link);
  }
  for (const step of require('./workbench-steps')) await step({ root, ws, sh });
  const server = await startCodeServer({ vsix: [vsix], port: +a.port, settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  console.log(`\nCSI Workbench is running: ${server.url}/?folder=${encodeURIComponent(ws)}\n(Ctrl-C to stop)`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.proc.on('exit', code => {
    console.error(`code-server exited (${code})`);
    process.exit(1);
  });
}
main().catch(e => {
  console.error(e.message || e);
  process.exit(1);
});
