// Loader and typed front end for native/gemm.wasm (the project's WebAssembly SIMD GEMM, im2col and col2im).
//
// Why a separate module instead of writing into tfjs-wasm's heap: our module owns its memory, imports nothing and
// therefore works the same next to the single-threaded and the threaded (shared-memory) tfjs builds. The price is one
// copy in and one copy out per call, which is O(size) against the O(size*K) of the product.
import * as fs from 'fs';
import * as path from 'path';

/** Typed error for a missing or unusable GEMM module (names the file and what was expected). */
export class GemmModuleError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'GemmModuleError';
  }
}

// The C signatures of native/gemm.c, one per line as they are declared there.
// prettier-ignore
interface GemmExports {
  memory: WebAssembly.Memory;
  gemm_scratch_bytes(): number;
  sgemm(m: number, n: number, k: number, a: number, rsa: number, csa: number, b: number, rsb: number, csb: number,
        c: number, ldc: number, accumulate: number, scratch: number): void;
  im2col(x: number, h: number, w: number, ch: number, kh: number, kw: number, sh: number, sw: number, dh: number, dw: number,
         pt: number, pl: number, oh: number, ow: number, cols: number): void;
  col2im(cols: number, h: number, w: number, ch: number, kh: number, kw: number, sh: number, sw: number, dh: number, dw: number,
         pt: number, pl: number, oh: number, ow: number, x: number): void;
  zero(x: number, n: number): void;
}

/** A geometry as the C functions' middle arguments (h, w, ch, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow). */
function geometryArgs(
  g: ConvGeometry,
): [number, number, number, number, number, number, number, number, number, number, number, number, number] {
  return [g.inH, g.inW, g.inC, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft, g.outH, g.outW];
}

/** Geometry of one NHWC 2-D convolution image, as consumed by im2col/col2im. */
export interface ConvGeometry {
  inH: number;
  inW: number;
  inC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
  outH: number;
  outW: number;
}

// Memory below this offset holds the C stack and static data (the module is linked with --stack-first and a 1 MiB
// initial memory); everything above is a bump arena the JS side lays out per call.
const ARENA_BASE = 1 << 20;
const PAGE = 65536;

/**
 * One instance of the GEMM module with a bump allocator. Not re-entrant: each call lays out its own operands from the
 * arena base, which is fine because JS kernels run to completion on one thread.
 */
export class GemmWasm {
  private readonly ex: GemmExports;
  private readonly scratch: number;
  private top = 0;
  private f32: Float32Array;

  constructor(
    bytes: BufferSource,
    readonly file = 'gemm.wasm',
  ) {
    let inst: WebAssembly.Instance;
    try {
      inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    } catch (e) {
      throw new GemmModuleError(file, `not a loadable WebAssembly SIMD module (${(e as Error).message})`);
    }
    const ex = inst.exports as unknown as GemmExports;
    for (const name of ['memory', 'gemm_scratch_bytes', 'sgemm', 'im2col', 'col2im', 'zero'] as const) {
      if (!(name in ex)) throw new GemmModuleError(file, `missing export "${name}"`);
    }
    this.ex = ex;
    this.scratch = ARENA_BASE;
    this.top = ARENA_BASE + align(ex.gemm_scratch_bytes());
    this.ensure(this.top);
    this.f32 = new Float32Array(ex.memory.buffer);
  }

  /** Forget all operand allocations of the previous call (the packing scratch stays). */
  reset(): void {
    this.top = this.scratch + align(this.ex.gemm_scratch_bytes());
  }

  /** Reserve `n` floats in the arena and return their byte offset. */
  alloc(n: number): number {
    const at = this.top;
    this.top = at + align(n * 4);
    this.ensure(this.top);
    return at;
  }

  /** Copy `src` into the arena and return its byte offset. */
  put(src: Float32Array): number {
    const at = this.alloc(src.length);
    this.view().set(src, at >> 2);
    return at;
  }

  /** A Float32Array view of `n` floats at byte offset `at` (invalidated by the next alloc). */
  read(at: number, n: number): Float32Array {
    return this.view().subarray(at >> 2, (at >> 2) + n);
  }

  /**
   * C[m x n] (row stride ldc) = (accumulate ? C : 0) + op(A) * op(B), with operands addressed by byte offsets and
   * element strides (see native/gemm.c).
   */
  sgemm(
    m: number,
    n: number,
    k: number,
    a: number,
    rsa: number,
    csa: number,
    b: number,
    rsb: number,
    csb: number,
    c: number,
    ldc: number,
    accumulate = false,
  ): void {
    this.ex.sgemm(m, n, k, a, rsa, csa, b, rsb, csb, c, ldc, accumulate ? 1 : 0, this.scratch);
  }

  im2col(x: number, g: ConvGeometry, cols: number): void {
    this.ex.im2col(x, ...geometryArgs(g), cols);
  }

  col2im(cols: number, g: ConvGeometry, x: number): void {
    this.ex.col2im(cols, ...geometryArgs(g), x);
  }

  zero(at: number, n: number): void {
    this.ex.zero(at, n);
  }

  private view(): Float32Array {
    if (this.f32.buffer !== this.ex.memory.buffer) this.f32 = new Float32Array(this.ex.memory.buffer);
    return this.f32;
  }

  private ensure(bytes: number): void {
    const have = this.ex.memory.buffer.byteLength;
    if (bytes <= have) return;
    try {
      this.ex.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      throw new GemmModuleError(this.file, `cannot grow memory to ${bytes} bytes (limit 2 GiB)`);
    }
  }
}

function align(bytes: number): number {
  return (bytes + 63) & ~63;
}

/** Default location of gemm.wasm: native/build/ in the repo (unbundled) or dist/wasm/ (esbuild copies it there). */
export function defaultGemmWasmPath(): string {
  const candidates = [
    path.join(__dirname, 'gemm.wasm'),
    path.join(__dirname, 'wasm', 'gemm.wasm'),
    path.resolve(__dirname, '..', '..', '..', 'native', 'build', 'gemm.wasm'), // src/core/engine → repo
    path.resolve(__dirname, '..', '..', '..', '..', 'native', 'build', 'gemm.wasm'), // out/src/… → repo
  ];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  return candidates[candidates.length - 1];
}

/** Load the GEMM module from a file, with a typed error naming the file when it is missing. */
export function loadGemmWasm(file = defaultGemmWasmPath()): GemmWasm {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new GemmModuleError(
      file,
      `cannot read the GEMM module (${(e as NodeJS.ErrnoException).code ?? e}); ` + 'run scripts/build-wasm.sh or pass its path',
    );
  }
  return new GemmWasm(new Uint8Array(bytes), file);
}
