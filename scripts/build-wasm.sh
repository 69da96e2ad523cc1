#!/usr/bin/env bash
# Rebuild native/build/gemm.wasm from native/gemm.c with Debian clang + lld (apt-get install -y clang lld).
# The .wasm is committed so that installs need no compiler; rerun this after editing the C source.
# Flags: wasm32 freestanding (no libc: the module imports nothing), SIMD128 for the micro-kernel, bulk-memory so
# that loops clang recognises as memset/memcpy lower to memory.fill/copy instead of libc calls.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
CLANG="${CLANG:-clang}"
"$CLANG" --target=wasm32 -O3 -msimd128 -mbulk-memory -ffreestanding -nostdlib -fno-builtin \
  -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--initial-memory=1048576 \
  -Wl,--max-memory=2147483648 -Wl,--stack-first -Wl,-z,stack-size=65536 -Wl,--strip-all \
  -o "$here/native/build/gemm.wasm" "$here/native/gemm.c"
echo "built native/build/gemm.wasm ($(stat -c %s "$here/native/build/gemm.wasm") bytes)"
