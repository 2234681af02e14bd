/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_emu.h - portable, branch-free C emulation of the lane primitives (template over IFMA_L).
 * It defines exactly the semantics of the native mapping (see ifma_avx256.c), lane by lane, so that the kernel's
 * arithmetic, control flow and memory addressing can be tested and checked for constant time on any machine.
 * It is written for clarity, not speed.
 */
#include <stdint.h>

typedef struct {
    uint64_t l[IFMA_L];
} vec;

#define IFMA_TARGET
#define EMU_LOOP(body)                                                                                                 \
    vec r;                                                                                                             \
    for (int i = 0; i < IFMA_L; i++)                                                                                   \
        r.l[i] = (body);                                                                                               \
    return r

static inline vec v_zero(void) { EMU_LOOP(0); }
static inline vec v_set1(uint64_t x) { EMU_LOOP(x); }
static inline vec v_loadu(const uint64_t *p) { EMU_LOOP(p[i]); }
static inline void v_storeu(uint64_t *p, vec a)
{
    for (int i = 0; i < IFMA_L; i++)
        p[i] = a.l[i];
}
static inline vec v_add(vec a, vec b) { EMU_LOOP(a.l[i] + b.l[i]); }
static inline vec v_and(vec a, vec b) { EMU_LOOP(a.l[i] & b.l[i]); }
static inline vec v_or(vec a, vec b) { EMU_LOOP(a.l[i] | b.l[i]); }
static inline vec v_srli52(vec a) { EMU_LOOP(a.l[i] >> 52); }
/* vpmadd52luq: a + bits 51..0 of (b[51:0] * c[51:0]), modulo 2^64 */
static inline vec v_madd52lo(vec a, vec b, vec c)
{
    EMU_LOOP(a.l[i] + ((uint64_t)((ifma_u128)(b.l[i] & IFMA_M52) * (c.l[i] & IFMA_M52)) & IFMA_M52));
}
/* vpmadd52huq: a + bits 103..52 of (b[51:0] * c[51:0]), modulo 2^64 */
static inline vec v_madd52hi(vec a, vec b, vec c)
{
    EMU_LOOP(a.l[i] + ((uint64_t)(((ifma_u128)(b.l[i] & IFMA_M52) * (c.l[i] & IFMA_M52)) >> 52) & IFMA_M52));
}
/* valignq imm 1 on (hi:lo) */
static inline vec v_shr1(vec hi, vec lo) { EMU_LOOP(i + 1 < IFMA_L ? lo.l[i + 1] : hi.l[0]); }
/* valignq imm L-1 on (hi:lo) */
static inline vec v_shl1(vec hi, vec lo) { EMU_LOOP(i == 0 ? lo.l[IFMA_L - 1] : hi.l[i - 1]); }
/* vpcmpuq -> k mask: lane i gives bit i; computed arithmetically (no data-dependent branch) */
static inline unsigned v_cmpgt_mask(vec a, vec b)
{
    unsigned k = 0;
    for (int i = 0; i < IFMA_L; i++)
        k |= (unsigned)(ct_lt_mask(b.l[i], a.l[i]) & 1) << i;
    return k;
}
static inline unsigned v_cmpeq_mask(vec a, vec b)
{
    unsigned k = 0;
    for (int i = 0; i < IFMA_L; i++)
        k |= (unsigned)(ct_is_zero_mask(a.l[i] ^ b.l[i]) & 1) << i;
    return k;
}
/* vpaddq with write mask k and a broadcast 1 */
static inline vec v_mask_add1(vec a, unsigned k) { EMU_LOOP(a.l[i] + ((k >> i) & 1)); }
static inline uint64_t v_lane0(vec a) { return a.l[0]; }
