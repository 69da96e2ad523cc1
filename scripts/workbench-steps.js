// Steps that prepare the sample workspace for `npm run workbench`, in order. Each is async ({ root, ws, sh }).
// Preset and notebook come from workbench-sample.js (shared with `npm run demo` and the first-hour test).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const sample = require('./workbench-sample');

const sha256 = file => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

module.exports = [
  // A synthetic Widar3.0-style dataset from the simulator (generated on demand, never committed). A dataset of
  // another preset (the 9-recording 'small' one of earlier versions, too small to split) is made again.
  async ({ root, ws, sh }) => {
    const cli = path.join(root, 'dist', 'cli.js');
    const out = path.join(ws, 'synthetic');
    const manifest = path.join(out, 'manifest.json');
    if (fs.existsSync(manifest)) {
      let preset;
      try {
        preset = JSON.parse(fs.readFileSync(manifest, 'utf8')).preset;
      } catch {
        /* unreadable: make it again */
      }
      if (preset === sample.PRESET) return;
      console.log(`(sample dataset ${out} is preset ${preset}: generating the ${sample.PRESET} preset instead)`);
      fs.rmSync(out, { recursive: true, force: true });
    }
    const help = require('child_process').spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    if (!/\bsimulate\b/.test(help.stdout || '')) {
      console.log('(simulator not available in this build: no synthetic dataset)');
      return;
    }
    sh(process.execPath, [cli, 'simulate', '--out', out, '--seed', String(sample.SEED), '--preset', sample.PRESET, '--quiet']);
  },
  // The ready example experiment notebook (GLSDA teacher → student on synthetic/): kept if the user edited it,
  // replaced when it is an unedited copy of an earlier version of the template.
  async ({ ws }) => {
    const nb = path.join(ws, 'glsda.csiexp');
    if (fs.existsSync(nb) && !sample.EARLIER_TEMPLATES.includes(sha256(nb))) return;
    fs.copyFileSync(sample.TEMPLATE, nb);
  },
];
