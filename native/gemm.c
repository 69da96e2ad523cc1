// WebAssembly SIMD128 single-precision GEMM plus im2col/col2im, for the project's tfjs-wasm kernels.
//
// Why our own: tfjs-backend-wasm 4.22 routes every transposed or batched matmul (exactly what backprop and attention
// produce) through a naive triple loop at ~1 GFLOP/s, and it has no Conv2DBackpropFilter at all. This file is the
// fast path for those cases (see docs/training-engine.md in the shared notes, section 3).
//
// Design: classic Goto/BLIS blocking. op(A) and op(B) are read through (row stride, column stride) pairs, so every
// transpose combination is just a different pair of strides at packing time; the micro-kernel only ever sees packed
// panels. Micro-tile is 6 rows x 8 columns (12 v128 accumulators + 2 B vectors + 1 broadcast = 15 registers, which
// fits x64's 16 xmm registers that V8 maps v128 onto). Partial edge tiles are computed into a scratch tile and
// copied, so the inner loop has no bounds checks. No libc: the module imports nothing and the JS side owns the
// memory layout (it passes in every pointer, including the packing buffers).
#include <wasm_simd128.h>

#define MR 6
#define NR 8
#define KC 256
#define MC 120  // multiple of MR; MC*KC*4 = 120 KB packed A stays in L2
#define NC 2048 // multiple of NR; bounds the packed B panel (2 MB) for large N

typedef unsigned int u32;

// Pack an mc x kc block of op(A) (element (i,p) at a[i*rs + p*cs]) into MR-row slivers, zero padded to MR rows.
static void pack_a(int mc, int kc, const float *a, int rs, int cs, float *dst) {
  for (int i0 = 0; i0 < mc; i0 += MR) {
    int mr = mc - i0 < MR ? mc - i0 : MR;
    const float *src = a + i0 * rs;
    if (mr == MR && cs == 1) {
      for (int p = 0; p < kc; p++) {
        for (int i = 0; i < MR; i++) dst[i] = src[i * rs + p];
        dst += MR;
      }
    } else {
      for (int p = 0; p < kc; p++) {
        int i = 0;
        for (; i < mr; i++) dst[i] = src[i * rs + p * cs];
        for (; i < MR; i++) dst[i] = 0.0f;
        dst += MR;
      }
    }
  }
}

// Pack a kc x nc block of op(B) (element (p,j) at b[p*rs + j*cs]) into NR-column slivers, zero padded to NR columns.
static void pack_b(int kc, int nc, const float *b, int rs, int cs, float *dst) {
  for (int j0 = 0; j0 < nc; j0 += NR) {
    int nr = nc - j0 < NR ? nc - j0 : NR;
    const float *src = b + j0 * cs;
    if (nr == NR && cs == 1) {
      for (int p = 0; p < kc; p++) {
        const float *row = src + p * rs;
        wasm_v128_store(dst, wasm_v128_load(row));
        wasm_v128_store(dst + 4, wasm_v128_load(row + 4));
        dst += NR;
      }
    } else {
      for (int p = 0; p < kc; p++) {
        int j = 0;
        for (; j < nr; j++) dst[j] = src[p * rs + j * cs];
        for (; j < NR; j++) dst[j] = 0.0f;
        dst += NR;
      }
    }
  }
}

// c[MR x NR] (row stride ldc) += packed A sliver * packed B sliver over kc. `first` means overwrite (beta = 0 on the
// first K block) instead of accumulate, which saves zeroing C beforehand.
static void micro_6x8(int kc, const float *pa, const float *pb, float *c, int ldc, int first) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  v128_t c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int p = 0; p < kc; p++) {
    v128_t b0 = wasm_v128_load(pb), b1 = wasm_v128_load(pb + 4);
    v128_t a;
    a = wasm_v128_load32_splat(pa + 0); c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(a, b0)); c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(pa + 1); c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(a, b0)); c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(pa + 2); c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(a, b0)); c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(pa + 3); c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(a, b0)); c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(pa + 4); c40 = wasm_f32x4_add(c40, wasm_f32x4_mul(a, b0)); c41 = wasm_f32x4_add(c41, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(pa + 5); c50 = wasm_f32x4_add(c50, wasm_f32x4_mul(a, b0)); c51 = wasm_f32x4_add(c51, wasm_f32x4_mul(a, b1));
    pa += MR;
    pb += NR;
  }
#define STORE_ROW(r, lo, hi)                                                                              \
  do {                                                                                                    \
    float *row = c + (r) * ldc;                                                                           \
    if (first) {                                                                                          \
      wasm_v128_store(row, lo);                                                                           \
      wasm_v128_store(row + 4, hi);                                                                       \
    } else {                                                                                              \
      wasm_v128_store(row, wasm_f32x4_add(wasm_v128_load(row), lo));                                      \
      wasm_v128_store(row + 4, wasm_f32x4_add(wasm_v128_load(row + 4), hi));                              \
    }                                                                                                     \
  } while (0)
  STORE_ROW(0, c00, c01); STORE_ROW(1, c10, c11); STORE_ROW(2, c20, c21);
  STORE_ROW(3, c30, c31); STORE_ROW(4, c40, c41); STORE_ROW(5, c50, c51);
#undef STORE_ROW
}

// Bytes of scratch the caller must provide for packing (A block + B panel + one edge tile).
__attribute__((export_name("gemm_scratch_bytes"))) u32 gemm_scratch_bytes(void) {
  return (u32)((MC * KC + KC * NC + MR * NR) * sizeof(float));
}

// C[m x n] (row stride ldc) = (accumulate ? C : 0) + op(A)[m x k] * op(B)[k x n].
// op(A)(i,p) = a[i*rsa + p*csa]; op(B)(p,j) = b[p*rsb + j*csb]. Non-transposed row-major A is (rsa=k, csa=1),
// transposed (stored k x m) is (rsa=1, csa=m); likewise for B.
__attribute__((export_name("sgemm"))) void sgemm(int m, int n, int k, const float *a, int rsa, int csa,
                                                  const float *b, int rsb, int csb, float *c, int ldc,
                                                  int accumulate, float *scratch) {
  float *pa = scratch, *pb = scratch + MC * KC, *tile = pb + KC * NC;
  if (k == 0) {
    if (!accumulate)
      for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) c[i * ldc + j] = 0.0f;
    return;
  }
  for (int jc = 0; jc < n; jc += NC) {
    int nc = n - jc < NC ? n - jc : NC;
    for (int pc = 0; pc < k; pc += KC) {
      int kc = k - pc < KC ? k - pc : KC;
      int first = pc == 0 && !accumulate;
      pack_b(kc, nc, b + pc * rsb + jc * csb, rsb, csb, pb);
      for (int ic = 0; ic < m; ic += MC) {
        int mc = m - ic < MC ? m - ic : MC;
        pack_a(mc, kc, a + ic * rsa + pc * csa, rsa, csa, pa);
        for (int jr = 0; jr < nc; jr += NR) {
          int nr = nc - jr < NR ? nc - jr : NR;
          const float *bp = pb + jr * kc;
          for (int ir = 0; ir < mc; ir += MR) {
            int mr = mc - ir < MR ? mc - ir : MR;
            const float *ap = pa + ir * kc;
            float *cp = c + (ic + ir) * ldc + jc + jr;
            if (mr == MR && nr == NR) {
              micro_6x8(kc, ap, bp, cp, ldc, first);
            } else {
              micro_6x8(kc, ap, bp, tile, NR, 1);
              for (int i = 0; i < mr; i++)
                for (int j = 0; j < nr; j++)
                  cp[i * ldc + j] = first ? tile[i * NR + j] : cp[i * ldc + j] + tile[i * NR + j];
            }
          }
        }
      }
    }
  }
}

// NHWC im2col for one image: cols[(oh*OW+ow), (kh*KW+kw)*C + ci] = x[ih, iw, ci] (0 outside the image).
// Row length is KH*KW*C, so the patch layout matches tfjs's filter layout [KH, KW, C, CO] flattened to rows.
__attribute__((export_name("im2col"))) void im2col(const float *x, int h, int w, int ch, int kh, int kw, int sh,
                                                    int sw, int dh, int dw, int pt, int pl, int oh, int ow,
                                                    float *cols) {
  for (int y = 0; y < oh; y++) {
    for (int xo = 0; xo < ow; xo++) {
      float *dst = cols;
      for (int i = 0; i < kh; i++) {
        int iy = y * sh - pt + i * dh;
        for (int j = 0; j < kw; j++) {
          int ix = xo * sw - pl + j * dw;
          if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
            for (int c = 0; c < ch; c++) dst[c] = 0.0f;
          } else {
            const float *src = x + (iy * w + ix) * ch;
            for (int c = 0; c < ch; c++) dst[c] = src[c];
          }
          dst += ch;
        }
      }
      cols += kh * kw * ch;
    }
  }
}

// Inverse scatter of im2col for one image: x[ih, iw, ci] += cols[...] (x must be zeroed by the caller).
__attribute__((export_name("col2im"))) void col2im(const float *cols, int h, int w, int ch, int kh, int kw, int sh,
                                                    int sw, int dh, int dw, int pt, int pl, int oh, int ow,
                                                    float *x) {
  for (int y = 0; y < oh; y++) {
    for (int xo = 0; xo < ow; xo++) {
      const float *src = cols;
      for (int i = 0; i < kh; i++) {
        int iy = y * sh - pt + i * dh;
        for (int j = 0; j < kw; j++) {
          int ix = xo * sw - pl + j * dw;
          if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
            float *dst = x + (iy * w + ix) * ch;
            for (int c = 0; c < ch; c++) dst[c] += src[c];
          }
          src += ch;
        }
      }
      cols += kh * kw * ch;
    }
  }
}

// Zero n floats (the JS side uses it for col2im targets; avoids a JS fill over a large view).
__attribute__((export_name("zero"))) void zero(float *x, int n) {
  for (int i = 0; i < n; i++) x[i] = 0.0f;
}
