/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fake_immintrin.h - TEST ONLY. The few Intel intrinsics used by ifma_avx256.c / ifma_avx512.c, written in portable
 * C directly from the "Operation" pseudocode of the Intel Intrinsics Guide, so that the native backends' one-line
 * primitive mappings (argument order, immediates, index vectors, masks) can be executed and checked on a CPU
 * without AVX-512. Selected by -DSIGNET_IFMA_FAKE_INTRINSICS -Iperf/ifma; never part of a real build.
 *
 * This is deliberately a second, independent transcription: ifma_emu.h defines the kernel's primitives by their
 * intended meaning; this file defines the intrinsics by Intel's definition. The kernel run through this file
 * agreeing with GMP and OpenSSL shows that each one-liner means what the kernel assumes.
 */
#ifndef SIGNET_FAKE_IMMINTRIN_H
#define SIGNET_FAKE_IMMINTRIN_H
#include <stdint.h>

typedef struct { uint64_t q[2]; } __m128i;
typedef struct { uint64_t q[4]; } __m256i;
typedef struct { uint64_t q[8]; } __m512i;
typedef uint8_t __mmask8;

#define FAKE_M52 0xFFFFFFFFFFFFFull

/* ---- 256-bit ---- */
static inline __m256i _mm256_setzero_si256(void) { __m256i r = {{0, 0, 0, 0}}; return r; }
static inline __m256i _mm256_set1_epi64x(long long a)
{
    uint64_t v = (uint64_t)a;
    __m256i r = {{v, v, v, v}};
    return r;
}
static inline __m256i _mm256_loadu_si256(const __m256i *p)
{
    __m256i r;
    const uint64_t *s = (const uint64_t *)(const void *)p;
    for (int j = 0; j < 4; j++) r.q[j] = s[j];
    return r;
}
static inline void _mm256_storeu_si256(__m256i *p, __m256i a)
{
    uint64_t *d = (uint64_t *)(void *)p;
    for (int j = 0; j < 4; j++) d[j] = a.q[j];
}
static inline __m256i _mm256_add_epi64(__m256i a, __m256i b) { for (int j = 0; j < 4; j++) a.q[j] += b.q[j]; return a; }
static inline __m256i _mm256_and_si256(__m256i a, __m256i b) { for (int j = 0; j < 4; j++) a.q[j] &= b.q[j]; return a; }
static inline __m256i _mm256_or_si256(__m256i a, __m256i b) { for (int j = 0; j < 4; j++) a.q[j] |= b.q[j]; return a; }
/* IF imm8 > 63: 0 ELSE ZeroExtend64(a[i+63:i] >> imm8) */
static inline __m256i _mm256_srli_epi64(__m256i a, int imm8)
{
    for (int j = 0; j < 4; j++) a.q[j] = imm8 > 63 ? 0 : a.q[j] >> imm8;
    return a;
}
/* tmp[127:0] := ZeroExtend64(b[i+51:i]) * ZeroExtend64(c[i+51:i]); dst := a + ZeroExtend64(tmp[51:0]) */
static inline __m256i _mm256_madd52lo_epu64(__m256i a, __m256i b, __m256i c)
{
    for (int j = 0; j < 4; j++) {
        __extension__ unsigned __int128 tmp = (unsigned __int128)(b.q[j] & FAKE_M52) * (c.q[j] & FAKE_M52);
        a.q[j] += (uint64_t)tmp & FAKE_M52;
    }
    return a;
}
/* ... dst := a + ZeroExtend64(tmp[103:52]) */
static inline __m256i _mm256_madd52hi_epu64(__m256i a, __m256i b, __m256i c)
{
    for (int j = 0; j < 4; j++) {
        __extension__ unsigned __int128 tmp = (unsigned __int128)(b.q[j] & FAKE_M52) * (c.q[j] & FAKE_M52);
        a.q[j] += (uint64_t)(tmp >> 52) & FAKE_M52;
    }
    return a;
}
/* temp[511:256] := a; temp[255:0] := b; temp := temp >> (64 * imm8[1:0]); dst := temp[255:0] */
static inline __m256i _mm256_alignr_epi64(__m256i a, __m256i b, int imm8)
{
    uint64_t temp[8];
    for (int j = 0; j < 4; j++) { temp[j] = b.q[j]; temp[4 + j] = a.q[j]; }
    int s = imm8 & 3;
    __m256i r;
    for (int j = 0; j < 4; j++) r.q[j] = (j + s < 8) ? temp[j + s] : 0;
    return r;
}
/* k[j] := (a[i+63:i] > b[i+63:i]) ? 1 : 0, unsigned; k[MAX:4] := 0 */
static inline __mmask8 _mm256_cmpgt_epu64_mask(__m256i a, __m256i b)
{
    unsigned k = 0;
    for (int j = 0; j < 4; j++) k |= (unsigned)(a.q[j] > b.q[j]) << j;
    return (__mmask8)k;
}
static inline __mmask8 _mm256_cmpeq_epu64_mask(__m256i a, __m256i b)
{
    unsigned k = 0;
    for (int j = 0; j < 4; j++) k |= (unsigned)(a.q[j] == b.q[j]) << j;
    return (__mmask8)k;
}
/* IF k[j]: dst := a + b ELSE dst := src */
static inline __m256i _mm256_mask_add_epi64(__m256i src, __mmask8 k, __m256i a, __m256i b)
{
    __m256i r;
    for (int j = 0; j < 4; j++) r.q[j] = ((k >> j) & 1) ? a.q[j] + b.q[j] : src.q[j];
    return r;
}
static inline __m128i _mm256_castsi256_si128(__m256i a) { __m128i r = {{a.q[0], a.q[1]}}; return r; }
static inline long long _mm_cvtsi128_si64(__m128i a) { return (long long)a.q[0]; }

/* ---- 512-bit ---- */
static inline __m512i _mm512_setzero_si512(void) { __m512i r = {{0}}; return r; }
static inline __m512i _mm512_set1_epi64(long long a)
{
    __m512i r;
    for (int j = 0; j < 8; j++) r.q[j] = (uint64_t)a;
    return r;
}
static inline __m512i _mm512_loadu_si512(const void *p)
{
    __m512i r;
    const uint64_t *s = (const uint64_t *)p;
    for (int j = 0; j < 8; j++) r.q[j] = s[j];
    return r;
}
static inline void _mm512_storeu_si512(void *p, __m512i a)
{
    uint64_t *d = (uint64_t *)p;
    for (int j = 0; j < 8; j++) d[j] = a.q[j];
}
static inline __m512i _mm512_add_epi64(__m512i a, __m512i b) { for (int j = 0; j < 8; j++) a.q[j] += b.q[j]; return a; }
static inline __m512i _mm512_and_si512(__m512i a, __m512i b) { for (int j = 0; j < 8; j++) a.q[j] &= b.q[j]; return a; }
static inline __m512i _mm512_or_si512(__m512i a, __m512i b) { for (int j = 0; j < 8; j++) a.q[j] |= b.q[j]; return a; }
static inline __m512i _mm512_srli_epi64(__m512i a, unsigned int imm8)
{
    for (int j = 0; j < 8; j++) a.q[j] = imm8 > 63 ? 0 : a.q[j] >> imm8;
    return a;
}
static inline __m512i _mm512_madd52lo_epu64(__m512i a, __m512i b, __m512i c)
{
    for (int j = 0; j < 8; j++) {
        __extension__ unsigned __int128 tmp = (unsigned __int128)(b.q[j] & FAKE_M52) * (c.q[j] & FAKE_M52);
        a.q[j] += (uint64_t)tmp & FAKE_M52;
    }
    return a;
}
static inline __m512i _mm512_madd52hi_epu64(__m512i a, __m512i b, __m512i c)
{
    for (int j = 0; j < 8; j++) {
        __extension__ unsigned __int128 tmp = (unsigned __int128)(b.q[j] & FAKE_M52) * (c.q[j] & FAKE_M52);
        a.q[j] += (uint64_t)(tmp >> 52) & FAKE_M52;
    }
    return a;
}
/* temp[1023:512] := a; temp[511:0] := b; temp := temp >> (64 * imm8[2:0]); dst := temp[511:0] */
static inline __m512i _mm512_alignr_epi64(__m512i a, __m512i b, int imm8)
{
    uint64_t temp[16];
    for (int j = 0; j < 8; j++) { temp[j] = b.q[j]; temp[8 + j] = a.q[j]; }
    int s = imm8 & 7;
    __m512i r;
    for (int j = 0; j < 8; j++) r.q[j] = (j + s < 16) ? temp[j + s] : 0;
    return r;
}
static inline __mmask8 _mm512_cmpgt_epu64_mask(__m512i a, __m512i b)
{
    unsigned k = 0;
    for (int j = 0; j < 8; j++) k |= (unsigned)(a.q[j] > b.q[j]) << j;
    return (__mmask8)k;
}
static inline __mmask8 _mm512_cmpeq_epu64_mask(__m512i a, __m512i b)
{
    unsigned k = 0;
    for (int j = 0; j < 8; j++) k |= (unsigned)(a.q[j] == b.q[j]) << j;
    return (__mmask8)k;
}
static inline __m512i _mm512_mask_add_epi64(__m512i src, __mmask8 k, __m512i a, __m512i b)
{
    __m512i r;
    for (int j = 0; j < 8; j++) r.q[j] = ((k >> j) & 1) ? a.q[j] + b.q[j] : src.q[j];
    return r;
}
static inline __m128i _mm512_castsi512_si128(__m512i a) { __m128i r = {{a.q[0], a.q[1]}}; return r; }

#endif
