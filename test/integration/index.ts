// extensionTestsPath module: loaded by the VS Code extension host, runs every *.test.js beside it with mocha.
import * as fs from 'fs';
import * as path from 'path';
import Mocha = require('mocha');

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  // CSIWB_INTEGRATION_ONLY=workbench,firstHour runs only the files whose names contain one of those (for debugging).
  const only = process.env.CSIWB_INTEGRATION_ONLY?.split(',').filter(Boolean);
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js') && (!only || only.some(o => f.includes(o)))) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run(failures => {
      const st = runner.stats!;
      console.log(`integration: ${st.passes} passed, ${st.failures} failed, ${st.pending} skipped`);
      if (failures) reject(new Error(`${failures} integration tests failed`));
      else resolve();
    });
  });
}
