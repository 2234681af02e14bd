/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_avx512.c - the kernel on native 512-bit AVX-512 IFMA lanes (zmm, 8 x 64-bit).
 *
 * Same mappings as ifma_avx256.c (see there for Intel's definitions), at 512 bits:
 *   v_madd52lo/hi _mm512_madd52lo_epu64 / _mm512_madd52hi_epu64 (VPMADD52LUQ / VPMADD52HUQ zmm, AVX512IFMA)
 *   v_shr1 _mm512_alignr_epi64(hi,lo,1) -> {lo1..lo7, hi0};  v_shl1 _mm512_alignr_epi64(hi,lo,7) -> {lo7, hi0..hi6}
 *     (VALIGNQ zmm: imm8 taken mod 8)
 *   v_cmpgt_mask/_eq_ _mm512_cmpgt_epu64_mask / _mm512_cmpeq_epu64_mask (VPCMPUQ -> k, bit i per lane)
 *   v_mask_add1 _mm512_mask_add_epi64(a, k, a, 1);  v_lane0 _mm_cvtsi128_si64(_mm512_castsi512_si128(a))
 *   others _mm512_setzero_si512, _mm512_set1_epi64, _mm512_loadu_si512, _mm512_storeu_si512, _mm512_add_epi64,
 *     _mm512_and_si512, _mm512_or_si512, _mm512_srli_epi64(a, 52)
 * (avx512vl is in the target list only because the shared kernel source is compiled with one attribute set.)
 */
#include "ifma_internal.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#if defined(SIGNET_IFMA_FAKE_INTRINSICS)
/* TEST ONLY: Intel's intrinsic pseudocode in portable C (perf/ifma/fake_immintrin.h) runs these one-liners on
   CPUs without AVX-512; no target attribute then, so the compiler cannot emit AVX-512 for the fake loops. */
#include "fake_immintrin.h"
#define IFMA_TARGET
#else
#include <immintrin.h>
#define IFMA_TARGET __attribute__((target("avx512f,avx512vl,avx512ifma")))
#endif

#define IFMA_L 8
typedef __m512i vec;

IFMA_TARGET static inline vec v_zero(void) { return _mm512_setzero_si512(); }
IFMA_TARGET static inline vec v_set1(uint64_t x) { return _mm512_set1_epi64((long long)x); }
IFMA_TARGET static inline vec v_loadu(const uint64_t *p) { return _mm512_loadu_si512((const void *)p); }
IFMA_TARGET static inline void v_storeu(uint64_t *p, vec a) { _mm512_storeu_si512((void *)p, a); }
IFMA_TARGET static inline vec v_add(vec a, vec b) { return _mm512_add_epi64(a, b); }
IFMA_TARGET static inline vec v_and(vec a, vec b) { return _mm512_and_si512(a, b); }
IFMA_TARGET static inline vec v_or(vec a, vec b) { return _mm512_or_si512(a, b); }
IFMA_TARGET static inline vec v_srli52(vec a) { return _mm512_srli_epi64(a, 52); }
IFMA_TARGET static inline vec v_madd52lo(vec a, vec b, vec c) { return _mm512_madd52lo_epu64(a, b, c); }
IFMA_TARGET static inline vec v_madd52hi(vec a, vec b, vec c) { return _mm512_madd52hi_epu64(a, b, c); }
IFMA_TARGET static inline vec v_shr1(vec hi, vec lo) { return _mm512_alignr_epi64(hi, lo, 1); }
IFMA_TARGET static inline vec v_shl1(vec hi, vec lo) { return _mm512_alignr_epi64(hi, lo, 7); }
IFMA_TARGET static inline unsigned v_cmpgt_mask(vec a, vec b) { return _mm512_cmpgt_epu64_mask(a, b); }
IFMA_TARGET static inline unsigned v_cmpeq_mask(vec a, vec b) { return _mm512_cmpeq_epu64_mask(a, b); }
IFMA_TARGET static inline vec v_mask_add1(vec a, unsigned k)
{
    return _mm512_mask_add_epi64(a, (__mmask8)k, a, _mm512_set1_epi64(1));
}
IFMA_TARGET static inline uint64_t v_lane0(vec a) { return (uint64_t)_mm_cvtsi128_si64(_mm512_castsi512_si128(a)); }

#define IFMA_KERNEL_PRIVATE
#define IFMA_N 20
#define KN(x) ifma_avx512_n20_##x
#include "ifma_kernel.h"
#undef IFMA_N
#undef KN

#define IFMA_KERNEL_PUBLIC
#define IFMA_N 40
#define KN(x) ifma_avx512_n40_##x
#include "ifma_kernel.h"
#undef IFMA_N
#undef KN

#undef IFMA_KERNEL_PRIVATE
#define IFMA_N 80
#define KN(x) ifma_avx512_n80_##x
#include "ifma_kernel.h"
#undef IFMA_N
#undef KN
#undef IFMA_KERNEL_PUBLIC

/* RSA-3072: 1536-bit CRT halves (N = 30) and the whole 3072-bit modulus (N = 60). */
#define IFMA_KERNEL_PRIVATE
#define IFMA_N 30
#define KN(x) ifma_avx512_n30_##x
#include "ifma_kernel.h"
#undef IFMA_N
#undef KN
#undef IFMA_KERNEL_PRIVATE

#define IFMA_KERNEL_PUBLIC
#define IFMA_N 60
#define KN(x) ifma_avx512_n60_##x
#include "ifma_kernel.h"
#undef IFMA_N
#undef KN
#undef IFMA_KERNEL_PUBLIC

#define PRIM_FN ifma_avx512_prim
#include "ifma_prim_test.h"

/* The multi-buffer kernel (issue 30, ifma_mb_kernel.h): 8 lanes, one number and modulus per lane. */
#include "ifma_mb.h"
#define IFMA_N 20
#define MBN(x) ifma_avx512_n20_##x
#include "ifma_mb_kernel.h"
#undef IFMA_N
#undef MBN
#define IFMA_N 30
#define MBN(x) ifma_avx512_n30_##x
#include "ifma_mb_kernel.h"
#undef IFMA_N
#undef MBN
#define IFMA_N 40
#define MBN(x) ifma_avx512_n40_##x
#include "ifma_mb_kernel.h"
#undef IFMA_N
#undef MBN
const ifma_mb_backend ifma_mb_backend_avx512 = {
    8,
    {ifma_avx512_n20_mb_amm, ifma_avx512_n30_mb_amm, ifma_avx512_n40_mb_amm},
    {ifma_avx512_n20_mb_ams, ifma_avx512_n30_mb_ams, ifma_avx512_n40_mb_ams},
    {ifma_avx512_n20_mb_redc, ifma_avx512_n30_mb_redc, ifma_avx512_n40_mb_redc},
    {ifma_avx512_n20_mb_exp, ifma_avx512_n30_mb_exp, ifma_avx512_n40_mb_exp}};

const ifma_backend ifma_backend_avx512 = {8,
                                          {ifma_avx512_n20_crt_exp, ifma_avx512_n40_crt_exp, ifma_avx512_n30_crt_exp},
                                          {ifma_avx512_n40_pub_exp, ifma_avx512_n80_pub_exp, ifma_avx512_n60_pub_exp},
                                          ifma_avx512_prim};

#endif
