#!/usr/bin/env node
// The project's test command: unit tests (mocha, plain Node) then integration tests (real VS Code extension host),
// ending with ONE line `N passed, N failed` that covers both (what CI reads). Exit code non-zero on any failure,
// including a stage that crashed before reporting its counts (counted as one failure).
//   node scripts/run-tests.js [--unit] [--integration]     (default: both; expects `npm run build` + `tsc` done)
'use strict';
const { spawn } = require('child_process');
const path = require('path');
const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'unit' : args.includes('--integration') ? 'integration' : 'both';

function run(cmd, argv, parse) {
  return new Promise(resolve => {
    const child = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let text = '';
    const tee = (stream, out) =>
      stream.on('data', d => {
        text += d;
        out.write(d);
      });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    child.on('close', code => resolve({ code, ...parse(text) }));
  });
}

/** mocha's spec reporter: "  12 passing (3s)", "  1 failing", "  2 pending". */
function parseMocha(text) {
  const num = re => {
    const m = re.exec(text);
    return m ? +m[1] : 0;
  };
  const found = /\d+ passing/.test(text) || /\d+ failing/.test(text);
  return { found, passed: num(/(\d+) passing/), failed: num(/(\d+) failing/) };
}
/** The in-host runner prints "integration: N passed, N failed, N skipped"; the .vsix smoke "ui-smoke: …". */
const parseStage = label => text => {
  const all = [...text.matchAll(new RegExp(`${label}: (\\d+) passed, (\\d+) failed`, 'g'))];
  const m = all[all.length - 1];
  return m ? { found: true, passed: +m[1], failed: +m[2] } : { found: false, passed: 0, failed: 0 };
};

(async () => {
  let passed = 0,
    failed = 0;
  if (only !== 'integration') {
    const r = await run(
      process.execPath,
      [
        require.resolve('mocha/bin/mocha.js'),
        '--reporter',
        'spec',
        '--timeout',
        '60000',
        path.join('out', 'test', 'unit', '**', '*.test.js'),
      ],
      parseMocha,
    );
    passed += r.passed;
    failed += r.failed;
    if (!r.found) {
      console.error('unit tests did not report results');
      failed += 1;
    }
    if (r.found && r.code !== 0 && r.failed === 0) {
      console.error(`unit test run exited with ${r.code}`);
      failed += 1;
    }
  }
  if (only !== 'unit') {
    for (const [label, script] of [
      ['integration', 'run-integration.js'],
      ['ui-smoke', 'run-ui-smoke.js'],
    ]) {
      const r = await run(process.execPath, [path.join(__dirname, script)], parseStage(label));
      passed += r.passed;
      failed += r.failed;
      if (!r.found) {
        console.error(`${label} did not report results`);
        failed += 1;
      }
      if (r.found && r.code !== 0 && r.failed === 0) {
        console.error(`${label} exited with ${r.code}`);
        failed += 1;
      }
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
})();
