// Writes a generated markdown table into research/RESULTS.md between its `<!-- NAME:start -->` and
// `<!-- NAME:end -->` markers (or prints it with --print), so the page never carries hand-copied numbers.
'use strict';
const fs = require('fs');
const path = require('path');

function writeTable(name, table, rows, print) {
  if (print) {
    console.log(table);
    return;
  }
  const page = path.join(__dirname, '..', 'RESULTS.md'),
    START = `<!-- ${name}:start -->`,
    END = `<!-- ${name}:end -->`;
  const text = fs.readFileSync(page, 'utf8'),
    a = text.indexOf(START),
    b = text.indexOf(END);
  if (a < 0 || b < a) {
    console.error(`${page} has no ${START} … ${END} markers`);
    process.exit(2);
  }
  fs.writeFileSync(page, text.slice(0, a + START.length) + '\n' + table + '\n' + text.slice(b));
  console.log(`wrote ${rows} rows into ${path.relative(process.cwd(), page)}`);
}

module.exports = { writeTable };
