#!/usr/bin/env bash
# setup-harness.sh — install a real VS Code host (code-server 4.100.3 = VS Code 1.100.3) and headless Chromium,
# offline except for the npm registry and Debian apt. Idempotent: ~2 min on a fresh 2-core machine, instant after.
# Why each env var exists: ../shared/docs/vscode-harness.md §2 (root postinstall, ripgrep download, npx prompt).
set -euo pipefail
HARNESS_DIR="${HARNESS_DIR:-$HOME/.cache/vscode-harness}"
CS_VERSION=4.100.3            # last code-server on npm whose engines.node is 20
PWC_VERSION=1.65.1            # playwright-core: driver only, never downloads a browser

need=()
command -v chromium >/dev/null || need+=(chromium)
[ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
command -v rg >/dev/null || need+=(ripgrep)
command -v clang >/dev/null || need+=(clang lld)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache holds the asset: seed it with Debian's rg.
RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
RG_ASSET="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_ASSET" ]; then
  mkdir -p "$RG_CACHE"; tmp=$(mktemp -d); cp "$(command -v rg)" "$tmp/rg"
  tar czf "$RG_ASSET" -C "$tmp" rg; rm -rf "$tmp"
fi

if [ ! -f "$HARNESS_DIR/.ok-$CS_VERSION-$PWC_VERSION" ]; then
  mkdir -p "$HARNESS_DIR"; cd "$HARNESS_DIR"
  [ -f package.json ] || echo '{ "name": "vscode-harness", "private": true }' > package.json
  npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
  npm_config_dangerously_allow_all_scripts=true \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" "playwright-core@$PWC_VERSION"
  node node_modules/code-server/out/node/entry.js --config /dev/null --version >/dev/null
  touch ".ok-$CS_VERSION-$PWC_VERSION"
fi
echo "CODE_SERVER_ENTRY=$HARNESS_DIR/node_modules/code-server/out/node/entry.js"
