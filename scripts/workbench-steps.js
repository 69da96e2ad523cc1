// Steps that prepare the sample workspace for `npm run workbench`, in order. Each is async ({ root, ws, sh }).
'use strict';
const fs = require('fs');
const path = require('path');

module.exports = [
  // A synthetic Widar3.0-style dataset from the simulator (generated on demand, never committed).
  async ({ root, ws, sh }) => {
    const cli = path.join(root, 'dist', 'cli.js');
    const out = path.join(ws, 'synthetic');
    if (fs.existsSync(path.join(out, 'manifest.json'))) return;
    const help = require('child_process').spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    if (!/\bsimulate\b/.test(help.stdout || '')) { console.log('(simulator not available in this build: no synthetic dataset)'); return; }
    sh(process.execPath, [cli, 'simulate', '--out', out, '--seed', '1', '--preset', 'small']);
  },
  // The ready example experiment notebook (GLSDA teacher → student on synthetic/); kept if the user edited it.
  async ({ root, ws }) => {
    const nb = path.join(ws, 'glsda.csiexp');
    if (!fs.existsSync(nb)) fs.copyFileSync(path.join(root, 'experiments', 'templates', 'glsda.csiexp'), nb);
  },
];
