/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_kernel.h - the radix-2^52 Montgomery kernel, written once against the lane primitives.
 *
 * This file is a template: a backend translation unit defines the vector type `vec`, the primitives below and
 * the macros IFMA_L (lanes per vector), IFMA_N (limbs per number), KN(name) (name mangling) and IFMA_TARGET
 * (function attributes), then includes this file once per N. The same source therefore runs on the portable
 * emulated lanes (tested everywhere) and on the native AVX-512 IFMA lanes. Each inclusion also says which entry
 * points it wants: IFMA_KERNEL_PRIVATE (crt_exp, N = 20, 30 and 40: the CRT halves of RSA-2048, -3072 and -4096)
 * and/or IFMA_KERNEL_PUBLIC (pub_exp, N = 40, 60 and 80: the whole modulus of RSA-2048, -3072 and -4096).
 *
 * Primitives (all lane-wise on L unsigned 64-bit lanes unless noted):
 *   v_zero() v_set1(x) v_loadu(p) v_storeu(p, a) v_add(a, b) v_and(a, b) v_or(a, b) v_srli52(a)
 *   v_madd52lo(a, b, c) = a + lo52(b[51:0] * c[51:0])      v_madd52hi(a, b, c) = a + hi52(b[51:0] * c[51:0])
 *   v_shr1(hi, lo) = {lo[1..L-1], hi[0]}                   v_shl1(hi, lo) = {lo[L-1], hi[0..L-2]}
 *   v_cmpgt_mask(a, b), v_cmpeq_mask(a, b): bit i = (a[i] > b[i]), (a[i] == b[i])
 *   v_mask_add1(a, k): a[i] + bit i of k                   v_lane0(a) = a[0]
 *
 * Algorithms
 *   amm2: almost Montgomery multiplication (Gueron-Krasnov), word-serial over the N limbs of b, for two
 *     independent moduli at once (the CRT halves): the two serial y-chains interleave. Limb 0 of the accumulator
 *     lives in a scalar, so the chain from one step's y to the next is scalar (see amm_h). Per limb b_i:
 *       acc += lo(a*b_i); y = acc_0 * k0 mod 2^52; acc += lo(m*y); acc >>= 52 (one limb, carry kept);
 *       acc += hi(a*b_i) + hi(m*y).
 *     Limbs stay unnormalised (64-bit lanes absorb the sums) until one normalisation at the end.
 *     For a, b < 2m and 4m < R = 2^(52N): result = (a*b + Y*m) / R < 2m, so no subtraction is ever needed inside
 *     the exponentiation (the "almost" in AMM); the only conditional subtraction is at the very end, by the caller.
 *     Squarings are multiplications too: a dedicated squaring (Drucker-Gueron: half the products, then a separate
 *     reduction) does 3/4 of the IFMA work, but measured slower than this multiplication on Zen 5 in both the
 *     exponentiation and the public-key operation (perf/RESULTS.md, issue 16).
 *   redc2: the Montgomery reduction alone, of a double-length value (the exponentiation's input, any x < p^2).
 *   crt_exp: fixed-window exponentiation, 5-bit windows, 32-entry tables for both halves, constant-time table
 *     selection (every entry read and masked), exponent windows read at public bit positions.
 *   amm1: the same multiplication for one modulus (amm_h and redc_h are the always-inlined bodies of both forms,
 *     unrolled over H = 1 or 2 moduli at compile time).
 *   pub_exp: x^e mod n for the public exponent e (the public-key operation: verify, and the engine's verify-after-
 *     sign): left-to-right square-and-multiply on the bits of e, which are public; the data path is the same
 *     constant-time arithmetic as above, so the base may be secret (the verify-after-sign's unverified signature).
 *
 * Bounds (64-bit lanes and the scalar limb never overflow): amm adds at most 4 products of < 2^52 to a lane per
 * limb of b, over N <= 80 limbs: < 2^61; the scalar limb 0 is a lane plus a carry < 2^53 plus two terms < 2^52:
 * < 2^62. redc starts from positions < 2^62 and adds at most 2N terms < 2^52: < 2^62 + 2^60 < 2^63.
 */

#ifndef IFMA_KERNEL_TABLES
#define IFMA_KERNEL_TABLES
/* Full unrolling of the short fixed-count loops over halves and vectors keeps the accumulators in registers (up to
   K_V = 20 vectors: 256-bit lanes at N = 80; a count below K_V would leave them in memory). */
#define IFMA_UNROLL _Pragma("GCC unroll 32")
/* normalize() takes the accumulators by address: it must be inlined or they would live in memory. */
#if defined(__GNUC__) || defined(__clang__)
#define IFMA_ALWAYS_INLINE __attribute__((always_inline)) inline
#else
#define IFMA_ALWAYS_INLINE inline
#endif
/* ifma_ge_tab[k][i] = all ones iff i >= k; ifma_lt_tab[k][i] = all ones iff i < k (first L columns are used). */
#define IFMA_X (~(uint64_t)0)
static const uint64_t ifma_ge_tab[9][8] = {{IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X},
                                           {0, IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X},
                                           {0, 0, IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X},
                                           {0, 0, 0, IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X},
                                           {0, 0, 0, 0, IFMA_X, IFMA_X, IFMA_X, IFMA_X},
                                           {0, 0, 0, 0, 0, IFMA_X, IFMA_X, IFMA_X},
                                           {0, 0, 0, 0, 0, 0, IFMA_X, IFMA_X},
                                           {0, 0, 0, 0, 0, 0, 0, IFMA_X},
                                           {0, 0, 0, 0, 0, 0, 0, 0}};
static const uint64_t ifma_lt_tab[9][8] = {{0, 0, 0, 0, 0, 0, 0, 0},
                                           {IFMA_X, 0, 0, 0, 0, 0, 0, 0},
                                           {IFMA_X, IFMA_X, 0, 0, 0, 0, 0, 0},
                                           {IFMA_X, IFMA_X, IFMA_X, 0, 0, 0, 0, 0},
                                           {IFMA_X, IFMA_X, IFMA_X, IFMA_X, 0, 0, 0, 0},
                                           {IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X, 0, 0, 0},
                                           {IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X, 0, 0},
                                           {IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X, 0},
                                           {IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X, IFMA_X}};
#undef IFMA_X
/* Public clamp of a lane offset to [0, 8]. */
static inline int ifma_clamp8(int k) { return k < 0 ? 0 : (k > 8 ? 8 : k); }
/* The 5-bit exponent window at public bit position pos (the word after the last one must exist and be zero). */
static inline uint64_t ifma_window(const uint64_t *e, unsigned pos)
{
    unsigned w = pos / 64, s = pos % 64;
    /* (x << 1) << (63 - s) == x << (64 - s) without the undefined shift by 64 when s == 0 */
    return ((e[w] >> s) | ((e[w + 1] << 1) << (63 - s))) & (IFMA_TBL - 1);
}
/* All ones iff a == b, for the secret window value b. */
static inline uint64_t ifma_eq_mask(uint64_t a, uint64_t b) { return ct_is_zero_mask(a ^ b); }
#endif

#define K_NP ((IFMA_N + IFMA_L - 1) / IFMA_L * IFMA_L)
#define K_V (K_NP / IFMA_L)
/* One bit per limb for normalize's carry-lookahead (plus the carry out of the top): 64 or 128 bits. */
#if K_NP > 63
#define K_MASK ifma_u128
#else
#define K_MASK uint64_t
#endif

#if K_NP > 127 || IFMA_L > 8 || (defined(IFMA_KERNEL_PRIVATE) && IFMA_N > IFMA_NMAX) ||                                \
    (defined(IFMA_KERNEL_PUBLIC) && IFMA_N > IFMA_PUB_NMAX)
#error "kernel size parameters out of range"
#endif

/*
 * Full carry propagation of V unnormalised vectors into 52-bit limbs, without a serial scalar ripple:
 * one vector pass moves every lane's excess (< 2^12) one limb up; then every lane is <= 2^52 - 1 + 2^12, so it
 * either generates a carry (> 2^52 - 1), propagates one (== 2^52 - 1) or neither. The carries into each lane are
 * the carry bits of the integer addition (G|P) + G, where G and P are the generate and propagate lane masks
 * (carry-lookahead by one 64-bit add, or a 128-bit one beyond 63 limbs), i.e. ((G|P) + G) ^ P. Constant time:
 * masks are data, never branched on.
 * The caller guarantees the value fits in NP limbs (no carry out of the top lane).
 */
IFMA_TARGET static IFMA_ALWAYS_INLINE void KN(normalize)(uint64_t *r, vec *x)
{
    const vec m52 = v_set1(IFMA_M52);
    vec c[K_V];
    IFMA_UNROLL
    for (int v = 0; v < K_V; v++) {
        c[v] = v_srli52(x[v]);
        x[v] = v_and(x[v], m52);
    }
    IFMA_UNROLL
    for (int v = 0; v < K_V; v++)
        x[v] = v_add(x[v], v_shl1(c[v], v == 0 ? v_zero() : c[v - 1]));
    K_MASK g = 0, p = 0;
    IFMA_UNROLL
    for (int v = 0; v < K_V; v++) {
        g |= (K_MASK)v_cmpgt_mask(x[v], m52) << (v * IFMA_L);
        p |= (K_MASK)v_cmpeq_mask(x[v], m52) << (v * IFMA_L);
    }
    K_MASK cin = ((g | p) + g) ^ p;
    IFMA_UNROLL
    for (int v = 0; v < K_V; v++) {
        unsigned k = (unsigned)(cin >> (v * IFMA_L)) & ((1u << IFMA_L) - 1);
        v_storeu(r + v * IFMA_L, v_and(v_mask_add1(x[v], k), m52));
    }
}

/* Lanes 1 and 2 of a vector (the accumulator's limbs 1 and 2). */
IFMA_TARGET static IFMA_ALWAYS_INLINE uint64_t KN(lane1)(vec a) { return v_lane0(v_shr1(a, a)); }
IFMA_TARGET static IFMA_ALWAYS_INLINE uint64_t KN(lane2)(vec a) { return KN(lane1)(v_shr1(a, a)); }

/* a with lane 0 replaced by s (the scalar limb 0 going back into the vector before normalisation). */
IFMA_TARGET static IFMA_ALWAYS_INLINE vec KN(with_lane0)(vec a, uint64_t s)
{
    return v_add(v_and(a, v_loadu(ifma_ge_tab[1])), v_and(v_set1(s), v_loadu(ifma_lt_tab[1])));
}

/* (m_0 y + s) >> 52 for y = s k0 mod 2^52, without a 128-bit add and shift: s + m_0 y == 0 mod 2^52 by the choice
   of y, so the low 52 bits of s and of m_0 y sum to 0 or to 2^52, the latter exactly when s's are not all zero.
   m0s = m_0 << 12, so that the high word of m0s y is m_0 y >> 52 (m_0 y < 2^104). Branch-free. */
static IFMA_ALWAYS_INLINE uint64_t KN(redc_carry)(uint64_t s, uint64_t y, uint64_t m0s)
{
    return (uint64_t)(((ifma_u128)m0s * y) >> 64) + (s >> 52) + (((s & IFMA_M52) + IFMA_M52) >> 52);
}

/*
 * r_h = a_h * b_h / R mod m_h (almost: < 2m_h) for h < H (H = 1 or 2, a constant once inlined). a, b, r: data
 * pointers of NP limbs (limbs N.. zero); r may alias a or b (it is written only at the end).
 *
 * Word-serial, with limb 0 kept in a scalar s (authoritative; the vector's lane 0 is a stale copy that the next
 * shift drops), so that the serial chain from one step's y to the next is scalar (imul, mul, adds) and never a
 * vector round trip. Per limb b_i, with acc already holding lo(a b_i) and s its limb 0:
 *   y = s k0 mod 2^52;  q = acc + lo(m y);  acc = (q >> one limb) + hi(a b_i) + lo(a b_(i+1)) + hi(m y);
 *   s = (s + m_0 y) >> 52 + s1 + lo(m_1 y) + u_i,   u_i = hi(a_0 b_i) + lo(a_0 b_(i+1))
 * s1 is limb 1 (exact in the vector too), also kept in a scalar one step ahead: the next step's s1 is lane 2 of acc
 * + lo(m_2 y) + hi(m_1 y) + u1_i (u1_i as u_i with a_1), so the one read from the vector into the scalar chain has
 * two steps to arrive (at N = 20 that read was the bound; PERF: perf/ifma/amm.sh, perf/RESULTS.md issue 16).
 * The products with b_i and b_(i+1) do not depend on y, so they run ahead of the chain; hi(a b_i) and the next
 * step's lo(a b_(i+1)) land on the same (shifted) positions and share one temporary. u and u1 are formed for all
 * i at once by vector multiply-adds before the loop (the scalar multiplier is the busiest unit inside it), and
 * lo(m_j y) = lo(m_j k0 s) takes its multiply off y's chain.
 */
IFMA_TARGET static IFMA_ALWAYS_INLINE void KN(amm_h)(const int H, uint64_t *const r[2], const uint64_t *const a[2],
                                                     const uint64_t *const b[2], const uint64_t *const m[2],
                                                     const uint64_t k0[2])
{
    /* Only the accumulators live in registers (H V <= 20 vectors); a and m are re-read from L1 at every use so
       that the compiler can fold them into the multiply-adds as memory operands instead of spilling copies. */
    vec acc[2][K_V];
    uint64_t u[2][K_NP], u1[2][K_NP], bs[2][K_NP]; /* bs: b shifted down one limb (b_(i+1)) */
    uint64_t s[2], s1[2], m0s[2], m1s[2], m1k0[2], m2k0[2];
    IFMA_UNROLL
    for (int h = 0; h < H; h++) {
        const vec b0 = v_set1(b[h][0]), a0 = v_set1(a[h][0]), a1 = v_set1(a[h][1]);
        IFMA_UNROLL
        for (int v = 0; v < K_V; v++) {
            acc[h][v] = v_madd52lo(v_zero(), v_loadu(a[h] + v * IFMA_L), b0);
            const vec bv = v_loadu(b[h] + v * IFMA_L);
            const vec bn = v_shr1(v + 1 < K_V ? v_loadu(b[h] + (v + 1) * IFMA_L) : v_zero(), bv); /* b_(i+1) */
            v_storeu(bs[h] + v * IFMA_L, bn);
            v_storeu(u[h] + v * IFMA_L, v_madd52lo(v_madd52hi(v_zero(), bv, a0), bn, a0));
            v_storeu(u1[h] + v * IFMA_L, v_madd52lo(v_madd52hi(v_zero(), bv, a1), bn, a1));
        }
        s[h] = v_lane0(acc[h][0]);
        s1[h] = KN(lane1)(acc[h][0]);
        m0s[h] = m[h][0] << 12;
        m1s[h] = m[h][1] << 12;
        m1k0[h] = m[h][1] * k0[h]; /* lo(m_1 y) = lo(m_1 k0 s): one multiply off y's chain */
        m2k0[h] = m[h][2] * k0[h];
    }
    for (int i = 0; i < IFMA_N; i++) {
        IFMA_UNROLL
        for (int h = 0; h < H; h++) {
            const uint64_t y = (s[h] * k0[h]) & IFMA_M52;
            const vec vbi = v_set1(b[h][i]), vbn = v_set1(bs[h][i]), vy = v_set1(y);
            const uint64_t next1 = KN(lane2)(acc[h][0]) + ((m2k0[h] * s[h]) & IFMA_M52) +
                                   (uint64_t)(((ifma_u128)m1s[h] * y) >> 64) + u1[h][i];
            s[h] = KN(redc_carry)(s[h], y, m0s[h]) + s1[h] + ((m1k0[h] * s[h]) & IFMA_M52) + u[h][i];
            s1[h] = next1;
            IFMA_UNROLL
            for (int v = 0; v < K_V; v++)
                acc[h][v] = v_madd52lo(acc[h][v], v_loadu(m[h] + v * IFMA_L), vy);
            IFMA_UNROLL
            for (int v = 0; v < K_V; v++) {
                const vec av = v_loadu(a[h] + v * IFMA_L), mv = v_loadu(m[h] + v * IFMA_L);
                vec t = v_madd52hi(v_zero(), av, vbi);
                t = v_madd52lo(t, av, vbn);
                t = v_madd52hi(t, mv, vy);
                acc[h][v] = v_add(v_shr1(v + 1 < K_V ? acc[h][v + 1] : v_zero(), acc[h][v]), t);
            }
        }
    }
    IFMA_UNROLL
    for (int h = 0; h < H; h++) {
        acc[h][0] = KN(with_lane0)(acc[h][0], s[h]); /* the lane is stale; the scalar is limb 0 */
        KN(normalize)(r[h], acc[h]);
    }
}

/*
 * Montgomery reduction of H double-length values: r_h = w_h / R mod m_h (almost), for w_h given as 2*NP
 * unnormalised positions (< 2^62 each) with value < 4 m_h^2 (or < 2^(2 bits(m_h)) for input conversion).
 * The low N positions enter the word-serial reduction (limb 0 in a scalar, as in amm_h); positions N.. are added
 * afterwards: (w + Y m)/R = floor-free split (w_lo + Y m)/R + w_hi, both exact; the sum is < w/R + m < 2m.
 */
IFMA_TARGET static IFMA_ALWAYS_INLINE void KN(redc_h)(const int H, uint64_t *const r[2], const uint64_t *const w[2],
                                                      const uint64_t *const m[2], const uint64_t k0[2])
{
    vec acc[2][K_V];
    uint64_t s[2], s1[2], m0s[2], m1s[2], m1k0[2], m2k0[2];
    IFMA_UNROLL
    for (int h = 0; h < H; h++) {
        IFMA_UNROLL
        for (int v = 0; v < K_V; v++)
            acc[h][v] = v_and(v_loadu(w[h] + v * IFMA_L), v_loadu(ifma_lt_tab[ifma_clamp8(IFMA_N - v * IFMA_L)]));
        s[h] = w[h][0];
        s1[h] = w[h][1];
        m0s[h] = m[h][0] << 12;
        m1s[h] = m[h][1] << 12;
        m1k0[h] = m[h][1] * k0[h];
        m2k0[h] = m[h][2] * k0[h];
    }
    for (int i = 0; i < IFMA_N; i++) {
        IFMA_UNROLL
        for (int h = 0; h < H; h++) {
            const uint64_t y = (s[h] * k0[h]) & IFMA_M52;
            const vec vy = v_set1(y);
            const uint64_t next1 =
                KN(lane2)(acc[h][0]) + ((m2k0[h] * s[h]) & IFMA_M52) + (uint64_t)(((ifma_u128)m1s[h] * y) >> 64);
            s[h] = KN(redc_carry)(s[h], y, m0s[h]) + s1[h] + ((m1k0[h] * s[h]) & IFMA_M52);
            s1[h] = next1;
            IFMA_UNROLL
            for (int v = 0; v < K_V; v++)
                acc[h][v] = v_madd52lo(acc[h][v], v_loadu(m[h] + v * IFMA_L), vy);
            IFMA_UNROLL
            for (int v = 0; v < K_V; v++)
                acc[h][v] = v_add(v_shr1(v + 1 < K_V ? acc[h][v + 1] : v_zero(), acc[h][v]),
                                  v_madd52hi(v_zero(), v_loadu(m[h] + v * IFMA_L), vy));
        }
    }
    IFMA_UNROLL
    for (int h = 0; h < H; h++) {
        acc[h][0] = KN(with_lane0)(acc[h][0], s[h]);
        IFMA_UNROLL
        for (int v = 0; v < K_V; v++)
            acc[h][v] = v_add(acc[h][v], v_loadu(w[h] + IFMA_N + v * IFMA_L));
        KN(normalize)(r[h], acc[h]);
    }
}

/* r = a * b / R mod m (almost: < 2m) for one modulus m (data pointer) with -m^-1 mod 2^52 = k0; r may alias a, b. */
IFMA_TARGET static IFMA_ALWAYS_INLINE void KN(amm_one)(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                                       const uint64_t *m, uint64_t k0)
{
    uint64_t *const rr[2] = {r, r};
    const uint64_t *const aa[2] = {a, a}, *const bb[2] = {b, b}, *const mm[2] = {m, m};
    const uint64_t kk[2] = {k0, k0};
    KN(amm_h)(1, rr, aa, bb, mm, kk);
}

IFMA_TARGET static void KN(copy)(uint64_t *r, const uint64_t *a)
{
    IFMA_UNROLL
    for (int v = 0; v < K_V; v++)
        v_storeu(r + v * IFMA_L, v_loadu(a + v * IFMA_L));
}

#if defined(IFMA_KERNEL_PRIVATE)
/* r_h = a_h * b_h / R mod m_h (almost) for both CRT halves; r may alias a or b. */
IFMA_TARGET static void KN(amm2)(uint64_t *r0, uint64_t *r1, const uint64_t *a0, const uint64_t *b0, const uint64_t *a1,
                                 const uint64_t *b1, const ifma_mod *m0, const ifma_mod *m1)
{
    uint64_t *const r[2] = {r0, r1};
    const uint64_t *const a[2] = {a0, a1}, *const b[2] = {b0, b1};
    const uint64_t *const m[2] = {m0->m + IFMA_OFF, m1->m + IFMA_OFF};
    const uint64_t k0[2] = {m0->k0, m1->k0};
#if K_V > 8
    /* 256-bit lanes at N = 40: two interleaved halves would keep 40 accumulators and temporaries live in 32
       registers; one half after the other spills nothing (PERF: perf/ifma/amm.sh) */
    for (int h = 0; h < 2; h++)
        KN(amm_one)(r[h], a[h], b[h], m[h], k0[h]);
#else
    KN(amm_h)(2, r, a, b, m, k0);
#endif
}

/* r_h = w_h / R mod m_h (almost) for both CRT halves (w_h: double-length, see redc_h). */
IFMA_TARGET static void KN(redc2)(uint64_t *r0, uint64_t *r1, const uint64_t *w0, const uint64_t *w1,
                                  const ifma_mod *m0, const ifma_mod *m1)
{
    uint64_t *const r[2] = {r0, r1};
    const uint64_t *const w[2] = {w0, w1};
    const uint64_t *const m[2] = {m0->m + IFMA_OFF, m1->m + IFMA_OFF};
    const uint64_t k0[2] = {m0->k0, m1->k0};
    KN(redc_h)(2, r, w, m, k0);
}

/* r = tbl[idx] for a secret idx: every entry is read, and all but one are masked to zero. */
IFMA_TARGET static void KN(select)(uint64_t *r, const uint64_t (*tbl)[IFMA_NMAX], uint64_t idx)
{
    vec acc[K_V];
    IFMA_UNROLL
    for (int v = 0; v < K_V; v++)
        acc[v] = v_zero();
    for (int k = 0; k < IFMA_TBL; k++) {
        const vec mask = v_set1(ifma_eq_mask((uint64_t)k, idx));
        IFMA_UNROLL
        for (int v = 0; v < K_V; v++)
            acc[v] = v_or(acc[v], v_and(v_loadu(tbl[k] + v * IFMA_L), mask));
    }
    IFMA_UNROLL
    for (int v = 0; v < K_V; v++)
        v_storeu(r + v * IFMA_L, acc[v]);
}

IFMA_TARGET static void KN(crt_exp)(const ifma_mod *mp, const ifma_mod *mq, const uint64_t *xp, const uint64_t *xq,
                                    const uint64_t *ep, const uint64_t *eq, unsigned ebits, uint64_t *outp,
                                    uint64_t *outq, ifma_ws *ws)
{
    uint64_t(*tp)[IFMA_NMAX] = ws->table[0], (*tq)[IFMA_NMAX] = ws->table[1];
    uint64_t *ap = ws->acc[0] + IFMA_OFF, *aq = ws->acc[1] + IFMA_OFF;
    uint64_t *bp = ws->tmp[0] + IFMA_OFF, *bq = ws->tmp[1] + IFMA_OFF;

    /* x R^-1 (redc of the double-length input), then x R = AMM(x R^-1, R^3) */
    KN(redc2)(ap, aq, xp, xq, mp, mq);
    KN(amm2)(tp[1], tq[1], ap, mp->rr3 + IFMA_OFF, aq, mq->rr3 + IFMA_OFF, mp, mq);
    KN(copy)(tp[0], mp->one + IFMA_OFF);
    KN(copy)(tq[0], mq->one + IFMA_OFF);
    /* Squarings are multiplications here: with the scalar limb-0 chain the multiplication runs near the IFMA
       throughput, and a dedicated squaring (fewer products, but a separate reduction and an unaligned
       triangular product) measured slower inside the exponentiation (perf/RESULTS.md). */
    for (int k = 2; k < IFMA_TBL; k++) {
        const int j = k % 2 == 0 ? k / 2 : k - 1, l = k % 2 == 0 ? k / 2 : 1;
        KN(amm2)(tp[k], tq[k], tp[j], tp[l], tq[j], tq[l], mp, mq);
    }

    const unsigned nwin = (ebits + IFMA_WIN - 1) / IFMA_WIN;
    KN(select)(ap, (const uint64_t(*)[IFMA_NMAX])tp, ifma_window(ep, (nwin - 1) * IFMA_WIN));
    KN(select)(aq, (const uint64_t(*)[IFMA_NMAX])tq, ifma_window(eq, (nwin - 1) * IFMA_WIN));
    for (unsigned win = nwin - 1; win-- > 0;) {
        for (int s = 0; s < IFMA_WIN; s++)
            KN(amm2)(ap, aq, ap, ap, aq, aq, mp, mq);
        KN(select)(bp, (const uint64_t(*)[IFMA_NMAX])tp, ifma_window(ep, win * IFMA_WIN));
        KN(select)(bq, (const uint64_t(*)[IFMA_NMAX])tq, ifma_window(eq, win * IFMA_WIN));
        KN(amm2)(ap, aq, ap, bp, aq, bq, mp, mq);
    }

    /* out of the Montgomery domain: AMM(a, 1) = a R^-1 <= m (the caller does the one conditional subtraction) */
    for (int i = 0; i < K_NP; i++)
        bp[i] = bq[i] = (i == 0);
    KN(amm2)(outp, outq, ap, bp, aq, bq, mp, mq);
}

#endif /* IFMA_KERNEL_PRIVATE */

#if defined(IFMA_KERNEL_PUBLIC)
/* r = a * b / R mod m (almost: < 2m), one modulus; r may alias a or b. */
IFMA_TARGET static void KN(amm1)(uint64_t *r, const uint64_t *a, const uint64_t *b, const ifma_pmod *md)
{
    KN(amm_one)(r, a, b, md->m + IFMA_OFF, md->k0);
}

IFMA_TARGET static void KN(pub_exp)(const ifma_pmod *md, const uint64_t *x, uint64_t e, uint64_t *out, ifma_pws *ws)
{
    uint64_t *xm = ws->x + IFMA_OFF, *acc = ws->acc + IFMA_OFF, *one = ws->one + IFMA_OFF;
    KN(amm1)(xm, x, md->rr + IFMA_OFF, md); /* x R^2 / R = x R (Montgomery form) */
    KN(copy)(acc, xm);
    int top = 63;
    while (top > 0 && ((e >> top) & 1) == 0) /* e is public */
        top--;
    for (int bit = top - 1; bit >= 0; bit--) {
        KN(amm1)(acc, acc, acc, md); /* squaring as a multiplication: see crt_exp */
        if ((e >> bit) & 1)
            KN(amm1)(acc, acc, xm, md);
    }
    for (int i = 0; i < K_NP; i++)
        one[i] = (i == 0);
    KN(amm1)(out, acc, one, md); /* out of the Montgomery domain: <= m (the caller subtracts m once) */
}
#endif /* IFMA_KERNEL_PUBLIC */

#undef K_NP
#undef K_V
#undef K_MASK
