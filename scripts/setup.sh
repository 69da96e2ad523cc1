#!/usr/bin/env bash
# Sets up a fresh machine for CSI Workbench: Debian packages + a real VS Code host (code-server, via
# .ci/vscode-harness/setup-harness.sh), the project's npm dependencies, and the bundles. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/vscode-harness/setup-harness.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
