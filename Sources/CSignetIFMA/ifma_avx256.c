/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_avx256.c - the kernel on native 256-bit AVX-512 IFMA lanes (ymm, 4 x 64-bit).
 *
 * Every primitive is one intrinsic (or a fixed pair for lane0). Each mapping is stated against Intel's definition
 * (Intel Intrinsics Guide / SDM vol. 2) and matches the emulation in ifma_emu.h lane for lane:
 *   v_madd52lo  _mm256_madd52lo_epu64(a,b,c)  VPMADD52LUQ: "Multiply packed unsigned 52-bit integers in each
 *               64-bit element of b and c to form a 104-bit intermediate result. Add the low 52-bit unsigned
 *               integer from the intermediate result with the corresponding unsigned 64-bit integer in a".
 *   v_madd52hi  _mm256_madd52hi_epu64(a,b,c)  VPMADD52HUQ: same, adding the high 52 bits (bits 103:52).
 *   v_shr1      _mm256_alignr_epi64(hi,lo,1)  VALIGNQ: concatenate hi:lo (hi in the upper half), shift right by
 *               imm8 (mod 4) 64-bit elements, keep the low 256 bits -> {lo1, lo2, lo3, hi0}.
 *   v_shl1      _mm256_alignr_epi64(hi,lo,3)  -> {lo3, hi0, hi1, hi2}.
 *   v_cmpgt_mask _mm256_cmpgt_epu64_mask(a,b) VPCMPUQ imm 6 (NLE): bit i = a[i] > b[i], unsigned.
 *   v_cmpeq_mask _mm256_cmpeq_epu64_mask(a,b) VPCMPUQ imm 0: bit i = a[i] == b[i].
 *   v_mask_add1 _mm256_mask_add_epi64(a, k, a, 1)  VPADDQ with merge mask: dst[i] = k[i] ? a[i] + 1 : a[i].
 *   v_lane0     _mm_cvtsi128_si64(_mm256_castsi256_si128(a))  VMOVQ of the low element.
 *   others      _mm256_setzero_si256, _mm256_set1_epi64x, _mm256_loadu_si256, _mm256_storeu_si256,
 *               _mm256_add_epi64, _mm256_and_si256, _mm256_or_si256, _mm256_srli_epi64(a, 52).
 * The EVEX-encoded 256-bit forms need AVX512F + AVX512VL (+ AVX512IFMA for vpmadd52); every function that uses
 * them carries the target attribute and is reached only through ifma_backend_get(), which checks CPUID and XCR0.
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

#define IFMA_L 4
typedef __m256i vec;

IFMA_TARGET static inline vec v_zero(void) { return _mm256_setzero_si256(); }
IFMA_TARGET static inline vec v_set1(uint64_t x) { return _mm256_set1_epi64x((long long)x); }
IFMA_TARGET static inline vec v_loadu(const uint64_t *p)
{
    return _mm256_loadu_si256((const __m256i *)(const void *)p);
}
IFMA_TARGET static inline void v_storeu(uint64_t *p, vec a) { _mm256_storeu_si256((__m256i *)(void *)p, a); }
IFMA_TARGET static inline vec v_add(vec a, vec b) { return _mm256_add_epi64(a, b); }
IFMA_TARGET static inline vec v_and(vec a, vec b) { return _mm256_and_si256(a, b); }
IFMA_TARGET static inline vec v_or(vec a, vec b) { return _mm256_or_si256(a, b); }
IFMA_TARGET static inline vec v_srli52(vec a) { return _mm256_srli_epi64(a, 52); }
IFMA_TARGET static inline vec v_madd52lo(vec a, vec b, vec c) { return _mm256_madd52lo_epu64(a, b, c); }
IFMA_TARGET static inline vec v_madd52hi(vec a, vec b, vec c) { return _mm256_madd52hi_epu64(a, b, c); }
IFMA_TARGET static inline vec v_shr1(vec hi, vec lo) { return _mm256_alignr_epi64(hi, lo, 1); }
IFMA_TARGET static inline vec v_shl1(vec hi, vec lo) { return _mm256_alignr_epi64(hi, lo, 3); }
IFMA_TARGET static inline unsigned v_cmpgt_mask(vec a, vec b) { return _mm256_cmpgt_epu64_mask(a, b); }
IFMA_TARGET static inline unsigned v_cmpeq_mask(vec a, vec b) { return _mm256_cmpeq_epu64_mask(a, b); }
IFMA_TARGET static inline vec v_mask_add1(vec a, unsigned k)
{
    return _mm256_mask_add_epi64(a, (__mmask8)k, a, _mm256_set1_epi64x(1));
}
IFMA_TARGET static inline uint64_t v_lane0(vec a) { return (uint64_t)_mm_cvtsi128_si64(_mm256_castsi256_si128(a)); }

#define IFMA_KERNEL_PRIVATE
#define IFMA_N 20
#define KN(x) ifma_avx256_n20_##x
#include "ifma_kernel.h"
#undef IFMA_N
#undef KN

#define IFMA_KERNEL_PUBLIC
#define IFMA_N 40
#define KN(x) ifma_avx256_n40_##x
#include "ifma_kernel.h"
#undef IFMA_N
#undef KN

#undef IFMA_KERNEL_PRIVATE
#define IFMA_N 80
#define KN(x) ifma_avx256_n80_##x
#include "ifma_kernel.h"
#undef IFMA_N
#undef KN
#undef IFMA_KERNEL_PUBLIC

/* RSA-3072: 1536-bit CRT halves (N = 30) and the whole 3072-bit modulus (N = 60). */
#define IFMA_KERNEL_PRIVATE
#define IFMA_N 30
#define KN(x) ifma_avx256_n30_##x
#include "ifma_kernel.h"
#undef IFMA_N
#undef KN
#undef IFMA_KERNEL_PRIVATE

#define IFMA_KERNEL_PUBLIC
#define IFMA_N 60
#define KN(x) ifma_avx256_n60_##x
#include "ifma_kernel.h"
#undef IFMA_N
#undef KN
#undef IFMA_KERNEL_PUBLIC

#define PRIM_FN ifma_avx256_prim
#include "ifma_prim_test.h"

/* The multi-buffer kernel (issue 30, ifma_mb_kernel.h): 4 lanes, one number and modulus per lane. */
#include "ifma_mb.h"
#define IFMA_N 20
#define MBN(x) ifma_avx256_n20_##x
#include "ifma_mb_kernel.h"
#undef IFMA_N
#undef MBN
#define IFMA_N 30
#define MBN(x) ifma_avx256_n30_##x
#include "ifma_mb_kernel.h"
#undef IFMA_N
#undef MBN
#define IFMA_N 40
#define MBN(x) ifma_avx256_n40_##x
#include "ifma_mb_kernel.h"
#undef IFMA_N
#undef MBN
const ifma_mb_backend ifma_mb_backend_avx256 = {
    4,
    {ifma_avx256_n20_mb_amm, ifma_avx256_n30_mb_amm, ifma_avx256_n40_mb_amm},
    {ifma_avx256_n20_mb_ams, ifma_avx256_n30_mb_ams, ifma_avx256_n40_mb_ams},
    {ifma_avx256_n20_mb_redc, ifma_avx256_n30_mb_redc, ifma_avx256_n40_mb_redc},
    {ifma_avx256_n20_mb_exp, ifma_avx256_n30_mb_exp, ifma_avx256_n40_mb_exp}};

const ifma_backend ifma_backend_avx256 = {4,
                                          {ifma_avx256_n20_crt_exp, ifma_avx256_n40_crt_exp, ifma_avx256_n30_crt_exp},
                                          {ifma_avx256_n40_pub_exp, ifma_avx256_n80_pub_exp, ifma_avx256_n60_pub_exp},
                                          ifma_avx256_prim};

#endif
