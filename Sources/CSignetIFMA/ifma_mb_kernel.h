/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_mb_kernel.h - the multi-buffer Montgomery kernel (issue 30), written once against the lane primitives.
 *
 * Template, like ifma_kernel.h: a backend translation unit defines `vec`, the primitives, IFMA_L, IFMA_TARGET, then
 * includes this file once per IFMA_N (20, 30, 40) with MBN(name) naming the instance. Interface: ifma_mb.h.
 *
 * Vertical layout: each of the L lanes is its own number with its own modulus m and k0 = -m^-1 mod 2^52; limb i of
 * all lanes is one vector (block index i*L + lane). Every step is lane-wise: there is no shift or permutation
 * across lanes, and each lane's serial y-chain is independent of the others (8 chains per vector in zmm).
 * Primitives used: v_zero v_set1 v_loadu v_storeu v_add v_and v_or v_srli52 v_madd52lo v_madd52hi (no new ones).
 *
 * mb_amm (almost Montgomery multiplication, operand scanning over the limbs b_i of b; acc = N vectors):
 *     acc += lo(a b_i);  y = lo(acc_0 k0);  acc += lo(m y);  c = acc_0 >> 52 (acc_0 is now 0 mod 2^52);
 *     acc = (acc >> one limb) + hi(a b_i) + hi(m y) + c      (the shift is renaming acc[j] <- acc[j+1])
 *   IFMA per call: N (4N + 1) = 4N^2 + N: 1620, 3630, 6440 for N = 20, 30, 40.
 * mb_ams (dedicated squaring, then a separate reduction):
 *     off-diagonal a_i a_j, i < j, once, column by column (lo into column i+j, hi into i+j+1; two partial sums
 *     per column so that no accumulator chain is longer than ~N/4 multiply-adds); every column doubled with one
 *     add (pre-doubling an operand is impossible: IFMA reads 52 bits); the diagonal lo/hi(a_i^2) added; then N
 *     reduction steps (the mb_amm step without the a b_i terms) over the 2N-limb square, its upper N limbs
 *     entering the window one per step.
 *   IFMA per call: (N^2 - N) + 2N + N (2N + 1) = 3N^2 + 2N: 1240, 2760, 4880 for N = 20, 30, 40, i.e. 0.765,
 *   0.760, 0.758 of mb_amm's (the same counts as crypto_mb's ifma_ams52x40 / amm52x40: 4,880 / 6,440).
 * Bounds (64-bit lanes never overflow; N <= 40):
 *   mb_amm: a lane of acc receives at most 4 terms < 2^52 per step (lo a b_i, lo m y, and the hi pair once it is
 *     shifted in) plus a carry c < 2^9, over at most N steps: < 4N 2^52 + N 2^9 < 2^60. c = (acc_0 + lo(m_0 y))
 *     >> 52 < 2^8 + 1.
 *   mb_ams: column k gets at most N/2 lo and N/2 hi off-diagonal terms: < N 2^52; doubled plus the diagonal:
 *     < (2N + 1) 2^52; the reduction adds at most N lo(m y) and N hi(m y) terms and small carries to each
 *     position: < (4N + 2) 2^52 < 2^60.
 *   Result: for a, b < 2m (a = b for ams) and 4m < R, (a b + Y m) / R < (4m^2 + R m) / R = m (1 + 4m/R) < 2m, where
 *     Y < R is the sum of y_i 2^(52i). So results feed the next call without any subtraction, and mb_amm and
 *     mb_ams are interchangeable. The unnormalised result (< 2m < R) is normalised by one carry ripple over the
 *     N limb vectors (serial across limbs, which are different vectors; lane-wise, so 8 ripples at once).
 * mb_redc: the reduction alone, of a 2N-limb block w < m R (the CRT input c < p q): w R^-1 mod m, < 2m;
 *   2N^2 + N IFMA: 820, 1830, 3240 for N = 20, 30, 40.
 * mb_exp: fixed window w = 5: table x^0..x^31 in Montgomery form (even entries by mb_ams, odd by mb_amm), then per
 *   window 5 mb_ams and one mb_amm with the selected entry; in with mb_amm(x, R^2), out with mb_amm(., 1) <= m and
 *   one masked subtraction.
 *
 * Constant time (secret: every limb, m, k0, the exponents): loop counts and the branches below depend on N, L,
 * IFMA_TBL and ebits only; memory addresses on those and on loop indices. The window of each lane is extracted
 * with shifts at public bit positions; table selection reads all 32 entries and keeps one per lane by AND with a
 * per-lane mask computed arithmetically (ct_is_zero_mask, behind an optimisation barrier); the final subtraction
 * selects by masks made arithmetically from each lane's borrow. Per-lane values are never branched on or used as
 * an index.
 */

#ifndef IFMA_MB_KERNEL_ONCE
#define IFMA_MB_KERNEL_ONCE
/* Full unrolling over the limbs (up to 2N = 80 vectors): the accumulators are then named values, not memory.
   Not for lanes emulated in C (ifma_emu*.c define IFMA_MB_EMULATED; the fake-intrinsics test build): each
   primitive is a loop there, and unrolling it all tripled the compile time for no use. Same arithmetic. */
#if defined(IFMA_MB_EMULATED) || defined(SIGNET_IFMA_FAKE_INTRINSICS)
#define IFMA_MB_UNROLL
#else
#define IFMA_MB_UNROLL _Pragma("GCC unroll 128")
#endif
/* The outer (per-limb-step) loops stay loops, except in the static-analysis build (perf/ifma/mca.sh defines
   IFMA_MB_MCA), where a loop-free body lets llvm-mca time a whole call. */
#if defined(IFMA_MB_MCA)
#define IFMA_MB_OUTER _Pragma("GCC unroll 128")
#else
#define IFMA_MB_OUTER
#endif
#if defined(__GNUC__) || defined(__clang__)
/* Hides a pointer's value from the optimiser once per limb step, so that the a and m limbs are loaded where they
   are used (folded into the multiply-adds) instead of hoisted out of the step loop and spilled: at N = 20 clang
   kept all 40 of them "in registers", i.e. in 40 spill slots (llvm-mca: mb_amm 1131 -> 995 cycles at N = 20). */
#define IFMA_MB_OPAQUE(p) __asm__("" : "+r"(p))
#define IFMA_MB_INLINE __attribute__((always_inline)) inline
#define IFMA_MB_NOINLINE __attribute__((noinline))
#else
#define IFMA_MB_OPAQUE(p) ((void)0)
#define IFMA_MB_INLINE inline
#define IFMA_MB_NOINLINE
#endif
/* The 5-bit window at public bit position pos of one lane's exponent (the word after the top one exists, zero). */
static inline uint64_t ifma_mb_window(const uint64_t *e, unsigned pos)
{
    const unsigned w = pos / 64, s = pos % 64;
    return ((e[w] >> s) | ((e[w + 1] << 1) << (63 - s))) & (IFMA_TBL - 1); /* no shift by 64 when s == 0 */
}
#endif

/* Test hooks: perf/ifma/test_mb.c instantiates mutants (a dropped carry, a dropped column) to show it catches them. */
#ifndef IFMA_MB_CARRY_IN
#define IFMA_MB_CARRY_IN(acc0, c) v_add((acc0), (c))
#endif
#ifndef IFMA_MB_TOP_COLUMN
#define IFMA_MB_TOP_COLUMN(h) (h)
#endif

#if IFMA_N % 10 != 0 || IFMA_N > IFMA_MB_NMAX || IFMA_L > IFMA_MB_LMAX
#error "multi-buffer kernel size parameters out of range"
#endif

#define MB_LD(p, i) v_loadu((p) + (size_t)(i)*IFMA_L)
#define MB_ST(p, i, x) v_storeu((p) + (size_t)(i)*IFMA_L, (x))

/* r = acc normalised to 52-bit limbs by one carry ripple across the limb vectors (value < R: no carry out). */
IFMA_TARGET static IFMA_MB_INLINE void MBN(mb_norm)(uint64_t *r, const vec *acc)
{
    const vec m52 = v_set1(IFMA_M52);
    vec c = v_zero();
    IFMA_MB_UNROLL
    for (int i = 0; i < IFMA_N; i++) {
        const vec t = v_add(acc[i], c);
        c = v_srli52(t);
        MB_ST(r, i, v_and(t, m52));
    }
}

/* r = a b / R mod m per lane (almost: < 2m); see the header comment. r may alias a or b. */
IFMA_TARGET static IFMA_MB_NOINLINE void MBN(mb_amm)(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                                     const uint64_t *m, const uint64_t *k0p)
{
    const vec k0 = v_loadu(k0p);
    vec acc[IFMA_N];
    IFMA_MB_UNROLL
    for (int j = 0; j < IFMA_N; j++)
        acc[j] = v_zero();
    IFMA_MB_OUTER
    for (int i = 0; i < IFMA_N; i++) {
        IFMA_MB_OPAQUE(a);
        IFMA_MB_OPAQUE(m);
        const vec bi = MB_LD(b, i);
        IFMA_MB_UNROLL
        for (int j = 0; j < IFMA_N; j++)
            acc[j] = v_madd52lo(acc[j], MB_LD(a, j), bi);
        const vec y = v_madd52lo(v_zero(), acc[0], k0);             /* acc_0 k0 mod 2^52, per lane */
        const vec c = v_srli52(v_madd52lo(acc[0], MB_LD(m, 0), y)); /* acc_0 + lo(m_0 y) == 0 mod 2^52 */
        IFMA_MB_UNROLL
        for (int j = 1; j < IFMA_N; j++)
            acc[j] = v_madd52lo(acc[j], MB_LD(m, j), y);
        /* shift down one limb; hi(a_j b_i), hi(m_j y) belong at j + 1, i.e. at j after the shift */
        IFMA_MB_UNROLL
        for (int j = 0; j < IFMA_N - 1; j++)
            acc[j] = v_madd52hi(v_madd52hi(acc[j + 1], MB_LD(a, j), bi), MB_LD(m, j), y);
        acc[IFMA_N - 1] = v_madd52hi(v_madd52hi(v_zero(), MB_LD(a, IFMA_N - 1), bi), MB_LD(m, IFMA_N - 1), y);
        acc[0] = IFMA_MB_CARRY_IN(acc[0], c);
    }
    MBN(mb_norm)(r, acc);
}

/* r = t / R mod m per lane, normalised, for 2N unnormalised columns t (each < 2^59): N reduction steps over the
   window acc = columns i .. i + N - 1 (the mb_amm step without the a b_i terms), column i + N entering at step i.
   (t + Y m) / R < t / R + m: < 2m whenever t < m R. */
IFMA_TARGET static IFMA_MB_INLINE void MBN(mb_reduce)(uint64_t *r, const vec *t, const uint64_t *m, const uint64_t *k0p)
{
    const vec k0 = v_loadu(k0p);
    vec acc[IFMA_N];
    IFMA_MB_UNROLL
    for (int j = 0; j < IFMA_N; j++)
        acc[j] = t[j];
    IFMA_MB_OUTER
    for (int i = 0; i < IFMA_N; i++) {
        IFMA_MB_OPAQUE(m);
        const vec y = v_madd52lo(v_zero(), acc[0], k0);
        const vec c = v_srli52(v_madd52lo(acc[0], MB_LD(m, 0), y));
        IFMA_MB_UNROLL
        for (int j = 1; j < IFMA_N; j++)
            acc[j] = v_madd52lo(acc[j], MB_LD(m, j), y);
        IFMA_MB_UNROLL
        for (int j = 0; j < IFMA_N - 1; j++)
            acc[j] = v_madd52hi(acc[j + 1], MB_LD(m, j), y);
        acc[IFMA_N - 1] = v_madd52hi(t[IFMA_N + i], MB_LD(m, IFMA_N - 1), y); /* column i + N enters */
        acc[0] = IFMA_MB_CARRY_IN(acc[0], c);
    }
    MBN(mb_norm)(r, acc);
}

/* r = a^2 / R mod m per lane (almost: < 2m), dedicated squaring + reduction; see the header comment. r may alias a. */
IFMA_TARGET static IFMA_MB_NOINLINE void MBN(mb_ams)(uint64_t *r, const uint64_t *a, const uint64_t *m,
                                                     const uint64_t *k0p)
{
    vec t[2 * IFMA_N]; /* the 2N-limb square, unnormalised columns */
    /* 1. off-diagonal products a_i a_j (i < j) once: pairs with i + j = s, lo into column s, hi into s + 1 */
    vec hprev = v_zero();
    t[0] = v_zero();
    IFMA_MB_OUTER
    for (int s = 1; s < 2 * IFMA_N - 2; s++) {
        vec lo0 = v_zero(), lo1 = v_zero(), hi0 = v_zero(), hi1 = v_zero();
        int i = s - (IFMA_N - 1) > 0 ? s - (IFMA_N - 1) : 0; /* j = s - i <= N - 1 */
        IFMA_MB_OUTER
        for (; 2 * (i + 1) < s; i += 2) { /* pairs i and i + 1, both with i < j */
            const vec x0 = MB_LD(a, i), y0 = MB_LD(a, s - i), x1 = MB_LD(a, i + 1), y1 = MB_LD(a, s - i - 1);
            lo0 = v_madd52lo(lo0, x0, y0);
            hi0 = v_madd52hi(hi0, x0, y0);
            lo1 = v_madd52lo(lo1, x1, y1);
            hi1 = v_madd52hi(hi1, x1, y1);
        }
        if (2 * i < s) { /* odd count: the last pair (public: depends on s only) */
            const vec x0 = MB_LD(a, i), y0 = MB_LD(a, s - i);
            lo0 = v_madd52lo(lo0, x0, y0);
            hi0 = v_madd52hi(hi0, x0, y0);
        }
        t[s] = v_add(v_add(lo0, lo1), hprev);
        hprev = v_add(hi0, hi1);
    }
    t[2 * IFMA_N - 2] = IFMA_MB_TOP_COLUMN(hprev);
    t[2 * IFMA_N - 1] = v_zero();
    /* 2. double every column, add the diagonal squares */
    IFMA_MB_UNROLL
    for (int i = 0; i < IFMA_N; i++) {
        const vec ai = MB_LD(a, i);
        t[2 * i] = v_madd52lo(v_add(t[2 * i], t[2 * i]), ai, ai);
        t[2 * i + 1] = v_madd52hi(v_add(t[2 * i + 1], t[2 * i + 1]), ai, ai);
    }
    MBN(mb_reduce)(r, t, m, k0p); /* 3. the Montgomery reduction of the 2N columns */
}

/* r = w / R mod m per lane (almost: < 2m for w < m R), w a 2N-limb block, normalised; r: N limbs. For the CRT
   input (c < n = p q < m R when q < R): then mb_amm(r, R^2) == c mod m, < 2m. */
IFMA_TARGET static IFMA_MB_NOINLINE void MBN(mb_redc)(uint64_t *r, const uint64_t *w, const uint64_t *m,
                                                      const uint64_t *k0p)
{
    vec t[2 * IFMA_N];
    IFMA_MB_UNROLL
    for (int i = 0; i < 2 * IFMA_N; i++)
        t[i] = MB_LD(w, i);
    MBN(mb_reduce)(r, t, m, k0p);
}

/* r = tbl[w_l] in lane l, w_l the 5-bit window at bit pos of lane l's exponent: all 32 entries read, masked. */
IFMA_TARGET static void MBN(mb_select)(uint64_t *r, const uint64_t (*tbl)[IFMA_MB_BLOCK], const uint64_t *e,
                                       unsigned pos)
{
    uint64_t w[IFMA_L], msk[IFMA_TBL][IFMA_L];
    for (int l = 0; l < IFMA_L; l++)
        w[l] = ifma_mb_window(e + (size_t)l * IFMA_MB_EWORDS, pos);
    for (int k = 0; k < IFMA_TBL; k++)
        for (int l = 0; l < IFMA_L; l++)
            msk[k][l] = ct_is_zero_mask((uint64_t)k ^ w[l]);
    /* 10 limbs at a time: 10 accumulators and the mask stay in registers while the 32 entries stream past */
    for (int j0 = 0; j0 < IFMA_N; j0 += 10) {
        vec acc[10];
        IFMA_MB_UNROLL
        for (int j = 0; j < 10; j++)
            acc[j] = v_zero();
        for (int k = 0; k < IFMA_TBL; k++) {
            const vec mk = v_loadu(msk[k]);
            IFMA_MB_UNROLL
            for (int j = 0; j < 10; j++)
                acc[j] = v_or(acc[j], v_and(MB_LD(tbl[k], j0 + j), mk));
        }
        IFMA_MB_UNROLL
        for (int j = 0; j < 10; j++)
            MB_ST(r, j0 + j, acc[j]);
    }
}

/* out = x^e mod m per lane, 0 <= out < m (contract in ifma_mb.h). */
IFMA_TARGET static void MBN(mb_exp)(uint64_t *out, const uint64_t *x, const uint64_t *e, unsigned ebits,
                                    const uint64_t *m, const uint64_t *k0, const uint64_t *rr, ifma_mb_ws *ws)
{
    uint64_t(*tb)[IFMA_MB_BLOCK] = ws->table;
    uint64_t *acc = ws->acc, *tmp = ws->tmp, *one = ws->one;
    for (int i = 0; i < IFMA_N * IFMA_L; i++)
        one[i] = i < IFMA_L;            /* the number 1 in every lane */
    MBN(mb_amm)(tb[0], one, rr, m, k0); /* R mod m (< m) */
    MBN(mb_amm)(tb[1], x, rr, m, k0);   /* x R mod m (< 2m) */
    for (int k = 2; k < IFMA_TBL; k++) {
        if (k % 2 == 0)
            MBN(mb_ams)(tb[k], tb[k / 2], m, k0);
        else
            MBN(mb_amm)(tb[k], tb[k - 1], tb[1], m, k0);
    }
    /* ebits = 0: one window at bit 0, which the contract makes 0 (x^0 = 1); never a window below bit 0 */
    const unsigned nwin = ebits == 0 ? 1 : (ebits + IFMA_WIN - 1) / IFMA_WIN;
    MBN(mb_select)(acc, (const uint64_t(*)[IFMA_MB_BLOCK])tb, e, (nwin - 1) * IFMA_WIN);
    for (unsigned win = nwin - 1; win-- > 0;) {
        for (int s = 0; s < IFMA_WIN; s++)
            MBN(mb_ams)(acc, acc, m, k0);
        MBN(mb_select)(tmp, (const uint64_t(*)[IFMA_MB_BLOCK])tb, e, win * IFMA_WIN);
        MBN(mb_amm)(acc, acc, tmp, m, k0);
    }
    MBN(mb_amm)(acc, acc, one, m, k0); /* acc R^-1: (acc + Y m) / R < 2m/R + m, so <= m */

    /* out = acc >= m ? acc - m : acc, per lane: d = acc + (R - 1 - m) + 1 rippled, carry out 1 iff acc >= m */
    for (int i = 0; i < IFMA_N * IFMA_L; i++)
        tmp[i] = IFMA_M52 - m[i];
    const vec m52 = v_set1(IFMA_M52);
    vec c = v_set1(1);
    IFMA_MB_UNROLL
    for (int j = 0; j < IFMA_N; j++) {
        const vec t = v_add(v_add(MB_LD(acc, j), MB_LD(tmp, j)), c);
        c = v_srli52(t);
        MB_ST(tmp, j, v_and(t, m52));
    }
    uint64_t cl[IFMA_L], take[IFMA_L], keep[IFMA_L];
    v_storeu(cl, c);
    for (int l = 0; l < IFMA_L; l++) {
        take[l] = 0 - cl[l]; /* all ones iff acc >= m */
        keep[l] = cl[l] - 1;
    }
    const vec vt = v_loadu(take), vk = v_loadu(keep);
    IFMA_MB_UNROLL
    for (int j = 0; j < IFMA_N; j++)
        MB_ST(out, j, v_or(v_and(MB_LD(tmp, j), vt), v_and(MB_LD(acc, j), vk)));
}

#undef MB_LD
#undef MB_ST
