/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_mb.c - exactness driver for the multi-buffer kernel (Sources/CSignetIFMA/ifma_mb_kernel.h, issue 30),
 * against GMP. Build and run: perf/ifma/check.sh.
 *
 * For N = 20, 30, 40 (1024-, 1536-, 2048-bit moduli, top bit set, odd; a different modulus in every lane, with the
 * edge moduli 2^k - 1 and 2^(k-1) + 1 in some lanes) and every backend available (emulated 4 and 8 lanes always;
 * native 256/512 where the CPU has IFMA, or on Intel's pseudocode in the fake-intrinsics build):
 *   - mb_amm, mb_ams: result == a b R^-1 (a^2 R^-1) mod m and < 2m in every lane, operands drawn per lane from
 *     0, 1, 2, m - 1, m, m + 1, 2m - 1, 2^k - 1 (all-ones limbs), random < m, random < 2m;
 *   - mb_redc: == w R^-1 mod m and < 2m for 2N-limb w: 0, 1, m R - 1, 2^(2k) - 1, random 2k-bit, random < m R;
 *     and mb_amm(mb_redc(w), R^2) == w mod m, < 2m (how a CRT input enters);
 *   - mb_exp: == mpz_powm in every lane, a different exponent per lane: all ones, 0, 1, 2, top bit only, random,
 *     random with a short length; ebits = k, and also short exponent lengths (0, 1, 5, 6, 64, 65 bits);
 *   - --mutants: two deliberately broken kernels (a dropped carry in the reduction step; the top column of the
 *     squaring dropped) must each be caught.
 * Deterministic given --seed (printed). Exits 1 on any mismatch, naming backend, N, lane and operation.
 *
 *   test_mb [--seed S] [--count C] [--exps E] [--backend B]... [--mutants]
 */
#define _POSIX_C_SOURCE 200809L
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ifma_mb.h"
#include "signet_ifma.h"

/* ---- two mutant kernels, 8 emulated lanes (only --mutants runs them: each must fail the checks) ---- */
#define IFMA_L 8
#define IFMA_MB_EMULATED
#include "ifma_emu.h"
#define IFMA_MB_CARRY_IN(acc0, c) ((void)(c), (acc0)) /* mutant 1: the carry out of limb 0 is dropped */
#define IFMA_N 20
#define MBN(x) mut1_n20_##x
#include "ifma_mb_kernel.h"
#undef IFMA_N
#undef MBN
#define IFMA_N 30
#define MBN(x) mut1_n30_##x
#include "ifma_mb_kernel.h"
#undef IFMA_N
#undef MBN
#define IFMA_N 40
#define MBN(x) mut1_n40_##x
#include "ifma_mb_kernel.h"
#undef IFMA_N
#undef MBN
#undef IFMA_MB_CARRY_IN
#define IFMA_MB_CARRY_IN(acc0, c) v_add((acc0), (c))
#undef IFMA_MB_TOP_COLUMN
#define IFMA_MB_TOP_COLUMN(h) ((void)(h), v_zero()) /* mutant 2: hi(a_(N-2) a_(N-1)) is lost */
#define IFMA_N 20
#define MBN(x) mut2_n20_##x
#include "ifma_mb_kernel.h"
#undef IFMA_N
#undef MBN
#define IFMA_N 30
#define MBN(x) mut2_n30_##x
#include "ifma_mb_kernel.h"
#undef IFMA_N
#undef MBN
#define IFMA_N 40
#define MBN(x) mut2_n40_##x
#include "ifma_mb_kernel.h"
#undef IFMA_N
#undef MBN
static const ifma_mb_backend mutant1 = {8,
                                        {mut1_n20_mb_amm, mut1_n30_mb_amm, mut1_n40_mb_amm},
                                        {mut1_n20_mb_ams, mut1_n30_mb_ams, mut1_n40_mb_ams},
                                        {mut1_n20_mb_redc, mut1_n30_mb_redc, mut1_n40_mb_redc},
                                        {mut1_n20_mb_exp, mut1_n30_mb_exp, mut1_n40_mb_exp}};
static const ifma_mb_backend mutant2 = {8,
                                        {mut2_n20_mb_amm, mut2_n30_mb_amm, mut2_n40_mb_amm},
                                        {mut2_n20_mb_ams, mut2_n30_mb_ams, mut2_n40_mb_ams},
                                        {mut2_n20_mb_redc, mut2_n30_mb_redc, mut2_n40_mb_redc},
                                        {mut2_n20_mb_exp, mut2_n30_mb_exp, mut2_n40_mb_exp}};

/* ---- checks ---- */
static unsigned long g_checks, g_fail;
static int g_quiet; /* mutant runs: count failures, print only the first */

#define CHECK(cond, ...)                                                                                               \
    do {                                                                                                               \
        g_checks++;                                                                                                    \
        if (!(cond)) {                                                                                                 \
            g_fail++;                                                                                                  \
            if (g_fail <= (g_quiet ? 1u : 20u)) {                                                                      \
                fprintf(stderr, "%s ", g_quiet ? "  (mutant, expected) FAIL" : "FAIL");                                \
                fprintf(stderr, __VA_ARGS__);                                                                          \
                fputc('\n', stderr);                                                                                   \
            }                                                                                                          \
        }                                                                                                              \
    } while (0)

static gmp_randstate_t g_rs;

/* lane l of the vertical block p (N limbs of 52 bits, L lanes) from / to an mpz */
static void to_block(uint64_t *p, int n, int L, int l, const mpz_t x)
{
    mpz_t t;
    mpz_init_set(t, x);
    for (int i = 0; i < n; i++) {
        p[i * L + l] = (uint64_t)mpz_get_ui(t) & IFMA_M52; /* unsigned long is 64-bit on LP64 */
        mpz_fdiv_q_2exp(t, t, 52);
    }
    if (mpz_sgn(t) != 0) {
        fprintf(stderr, "test_mb: value does not fit %d limbs\n", n);
        exit(2);
    }
    mpz_clear(t);
}
static void from_block(mpz_t x, const uint64_t *p, int n, int L, int l)
{
    mpz_set_ui(x, 0);
    for (int i = n - 1; i >= 0; i--) {
        mpz_mul_2exp(x, x, 52);
        mpz_add_ui(x, x, (unsigned long)p[i * L + l]);
    }
}
/* every limb of the block < 2^52 (the output contract: normalised) */
static int normalised(const uint64_t *p, int n, int L, int l)
{
    for (int i = 0; i < n; i++)
        if (p[i * L + l] >> 52)
            return 0;
    return 1;
}

/* One lane's modulus for case c: 2^k - 1, 2^(k-1) + 1, or random odd with the top bit set. */
static void make_modulus(mpz_t m, unsigned k, int c)
{
    if (c == 0) {
        mpz_set_ui(m, 0);
        mpz_setbit(m, k);
        mpz_sub_ui(m, m, 1);
    } else if (c == 1) {
        mpz_set_ui(m, 1);
        mpz_setbit(m, k - 1);
    } else {
        mpz_urandomb(m, g_rs, k);
        mpz_setbit(m, k - 1);
        mpz_setbit(m, 0);
    }
}

#define NKIND 10
/* Operand kind c for modulus m, always < 2m: 0, 1, 2, m-1, m, m+1, 2m-1, 2^k - 1, random < m, random < 2m. */
static void make_operand(mpz_t a, const mpz_t m, unsigned k, int c)
{
    switch (c) {
    case 0: mpz_set_ui(a, 0); break;
    case 1: mpz_set_ui(a, 1); break;
    case 2: mpz_set_ui(a, 2); break;
    case 3: mpz_sub_ui(a, m, 1); break;
    case 4: mpz_set(a, m); break;
    case 5: mpz_add_ui(a, m, 1); break;
    case 6: mpz_mul_2exp(a, m, 1), mpz_sub_ui(a, a, 1); break;
    case 7: mpz_set_ui(a, 0), mpz_setbit(a, k), mpz_sub_ui(a, a, 1); break; /* < 2m: m >= 2^(k-1) + 1 */
    case 8: mpz_urandomm(a, g_rs, m); break;
    default: {
        mpz_t m2;
        mpz_init(m2);
        mpz_mul_2exp(m2, m, 1);
        mpz_urandomm(a, g_rs, m2);
        mpz_clear(m2);
    }
    }
}

typedef struct {
    int n, L;
    unsigned k;
    mpz_t m[IFMA_MB_LMAX], rinv[IFMA_MB_LMAX];
    _Alignas(64) uint64_t mb[IFMA_MB_BLOCK];
    uint64_t k0[IFMA_MB_LMAX];
    _Alignas(64) uint64_t rr[IFMA_MB_BLOCK];
} lanes_t;

/* Fresh moduli: lane l gets case (l + shift) % 4 (0: 2^k - 1, 1: 2^(k-1) + 1, else random). */
static void setup_lanes(lanes_t *z, int n, int L, int shift)
{
    z->n = n;
    z->L = L;
    z->k = 512u * (unsigned)n / 10u; /* 1024, 1536, 2048 bits for N = 20, 30, 40 (4m < R = 2^(52N)) */
    mpz_t r, rr;
    mpz_inits(r, rr, NULL);
    mpz_set_ui(r, 0);
    mpz_setbit(r, 52u * (unsigned)n);
    memset(z->mb, 0, sizeof z->mb);
    memset(z->rr, 0, sizeof z->rr);
    for (int l = 0; l < L; l++) {
        make_modulus(z->m[l], z->k, (l + shift) % 4);
        to_block(z->mb, n, L, l, z->m[l]);
        z->k0[l] = ifma_mb_k0(z->mb[l]);
        mpz_invert(z->rinv[l], r, z->m[l]);
        mpz_mul(rr, r, r);
        mpz_mod(rr, rr, z->m[l]);
        to_block(z->rr, n, L, l, rr);
    }
    mpz_clears(r, rr, NULL);
}

static void check_mul(const ifma_mb_backend *be, const char *bname, lanes_t *z, int trial)
{
    const int n = z->n, L = z->L, ni = ifma_mb_nidx(n);
    _Alignas(64) uint64_t a[IFMA_MB_BLOCK], b[IFMA_MB_BLOCK], r[IFMA_MB_BLOCK], r2[IFMA_MB_BLOCK];
    mpz_t av[IFMA_MB_LMAX], bv[IFMA_MB_LMAX], x, want, m2;
    mpz_inits(x, want, m2, NULL);
    for (int l = 0; l < L; l++) {
        mpz_inits(av[l], bv[l], NULL);
        make_operand(av[l], z->m[l], z->k, (trial + l) % NKIND);
        make_operand(bv[l], z->m[l], z->k, (trial * 7 + 3 * l + 1) % NKIND);
        to_block(a, n, L, l, av[l]);
        to_block(b, n, L, l, bv[l]);
    }
    be->amm[ni](r, a, b, z->mb, z->k0);
    be->ams[ni](r2, a, z->mb, z->k0);
    for (int l = 0; l < L; l++) {
        mpz_mul_2exp(m2, z->m[l], 1);
        /* amm */
        from_block(x, r, n, L, l);
        mpz_mul(want, av[l], bv[l]);
        mpz_mul(want, want, z->rinv[l]);
        CHECK(normalised(r, n, L, l) && mpz_cmp(x, m2) < 0 && mpz_congruent_p(x, want, z->m[l]),
              "%s N=%d lane %d trial %d: mb_amm (operand kinds %d, %d)%s", bname, n, l, trial, (trial + l) % NKIND,
              (trial * 7 + 3 * l + 1) % NKIND, mpz_cmp(x, m2) < 0 ? "" : " >= 2m");
        /* ams */
        from_block(x, r2, n, L, l);
        mpz_mul(want, av[l], av[l]);
        mpz_mul(want, want, z->rinv[l]);
        CHECK(normalised(r2, n, L, l) && mpz_cmp(x, m2) < 0 && mpz_congruent_p(x, want, z->m[l]),
              "%s N=%d lane %d trial %d: mb_ams (operand kind %d)%s", bname, n, l, trial, (trial + l) % NKIND,
              mpz_cmp(x, m2) < 0 ? "" : " >= 2m");
    }
    /* mb_redc of a double-length w < m R: w R^-1 mod m, < 2m; then mb_amm(., R^2) == w mod m (the CRT input) */
    static _Alignas(64) uint64_t w[IFMA_MB_WBLOCK];
    mpz_t wv[IFMA_MB_LMAX];
    for (int l = 0; l < L; l++) {
        mpz_init(wv[l]);
        const int wk = (trial + 2 * l) % 6;
        if (wk == 0)
            mpz_set_ui(wv[l], 0);
        else if (wk == 1)
            mpz_set_ui(wv[l], 1);
        else if (wk == 2) /* m R - 1, the largest allowed */
            mpz_mul_2exp(wv[l], z->m[l], 52u * (unsigned)n), mpz_sub_ui(wv[l], wv[l], 1);
        else if (wk == 3) /* 2^(2k) - 1: all-ones, like the largest c < n = p q */
            mpz_set_ui(wv[l], 0), mpz_setbit(wv[l], 2 * z->k), mpz_sub_ui(wv[l], wv[l], 1);
        else if (wk == 4)
            mpz_urandomb(wv[l], g_rs, 2 * z->k);
        else {
            mpz_mul_2exp(m2, z->m[l], 52u * (unsigned)n);
            mpz_urandomm(wv[l], g_rs, m2);
        }
        to_block(w, 2 * n, L, l, wv[l]);
    }
    be->redc[ni](r, w, z->mb, z->k0);
    be->amm[ni](r2, r, z->rr, z->mb, z->k0);
    for (int l = 0; l < L; l++) {
        mpz_mul_2exp(m2, z->m[l], 1);
        from_block(x, r, n, L, l);
        mpz_mul(want, wv[l], z->rinv[l]);
        CHECK(normalised(r, n, L, l) && mpz_cmp(x, m2) < 0 && mpz_congruent_p(x, want, z->m[l]),
              "%s N=%d lane %d trial %d: mb_redc (input kind %d)", bname, n, l, trial, (trial + 2 * l) % 6);
        from_block(x, r2, n, L, l);
        CHECK(normalised(r2, n, L, l) && mpz_cmp(x, m2) < 0 && mpz_congruent_p(x, wv[l], z->m[l]),
              "%s N=%d lane %d trial %d: mb_amm(mb_redc(w), R^2) != w mod m (input kind %d)", bname, n, l, trial,
              (trial + 2 * l) % 6);
        mpz_clear(wv[l]);
    }

    /* aliasing: r == a (the exponentiation squares and multiplies in place) */
    memcpy(r2, a, sizeof a);
    be->ams[ni](r2, r2, z->mb, z->k0);
    memcpy(b, a, sizeof a);
    be->amm[ni](b, b, b, z->mb, z->k0); /* a * a via amm, in place: the two must agree mod m */
    for (int l = 0; l < L; l++) {
        mpz_t y;
        mpz_init(y);
        from_block(x, r2, n, L, l);
        from_block(y, b, n, L, l);
        CHECK(mpz_congruent_p(x, y, z->m[l]), "%s N=%d lane %d trial %d: in-place ams != amm(a, a)", bname, n, l,
              trial);
        mpz_clear(y);
        mpz_clears(av[l], bv[l], NULL);
    }
    mpz_clears(x, want, m2, NULL);
}

#define NEKIND 7
static const char *const ekind_name[NEKIND] = {"all ones", "0", "1", "2", "top bit only", "random", "random short"};

static void check_exp(const ifma_mb_backend *be, const char *bname, lanes_t *z, int trial, unsigned ebits,
                      ifma_mb_ws *ws)
{
    const int n = z->n, L = z->L, ni = ifma_mb_nidx(n);
    _Alignas(64) uint64_t x[IFMA_MB_BLOCK], out[IFMA_MB_BLOCK];
    static uint64_t e[IFMA_MB_LMAX * IFMA_MB_EWORDS];
    mpz_t xv[IFMA_MB_LMAX], ev[IFMA_MB_LMAX], got, want;
    mpz_inits(got, want, NULL);
    memset(x, 0, sizeof x);
    memset(e, 0, sizeof e);
    for (int l = 0; l < L; l++) {
        mpz_inits(xv[l], ev[l], NULL);
        const int bk = (trial + 3 * l) % 5; /* bases: random, 0, 1, m - 1, 2^k - 1 - m (random-ish, < m) */
        if (bk == 0)
            mpz_urandomm(xv[l], g_rs, z->m[l]);
        else if (bk == 1)
            mpz_set_ui(xv[l], 0);
        else if (bk == 2)
            mpz_set_ui(xv[l], 1);
        else if (bk == 3)
            mpz_sub_ui(xv[l], z->m[l], 1);
        else {
            mpz_set_ui(xv[l], 0), mpz_setbit(xv[l], z->k), mpz_sub_ui(xv[l], xv[l], 1);
            mpz_mod(xv[l], xv[l], z->m[l]);
        }
        const int ek = (trial + l) % NEKIND;
        switch (ek) {
        case 0: mpz_set_ui(ev[l], 0), mpz_setbit(ev[l], ebits), mpz_sub_ui(ev[l], ev[l], 1); break; /* 0 if ebits 0 */
        case 1: mpz_set_ui(ev[l], 0); break;
        case 2: mpz_set_ui(ev[l], ebits ? 1 : 0); break;
        case 3: mpz_set_ui(ev[l], ebits >= 2 ? 2 : ebits); break;
        case 4:
            mpz_set_ui(ev[l], 0);
            if (ebits)
                mpz_setbit(ev[l], ebits - 1);
            break;
        case 5: mpz_urandomb(ev[l], g_rs, ebits); break;
        default: mpz_urandomb(ev[l], g_rs, (ebits + 1) / 2); break;
        }
        to_block(x, n, L, l, xv[l]);
        size_t cnt = 0;
        mpz_export(e + (size_t)l * IFMA_MB_EWORDS, &cnt, -1, 8, 0, 0, ev[l]);
    }
    be->exp[ni](out, x, e, ebits, z->mb, z->k0, z->rr, ws);
    for (int l = 0; l < L; l++) {
        from_block(got, out, n, L, l);
        mpz_powm(want, xv[l], ev[l], z->m[l]);
        CHECK(normalised(out, n, L, l) && mpz_cmp(got, want) == 0,
              "%s N=%d lane %d trial %d: mb_exp, ebits %u, exponent %s, modulus %s", bname, n, l, trial, ebits,
              ekind_name[(trial + l) % NEKIND], mpz_popcount(z->m[l]) == z->k ? "2^k-1" : "other");
        mpz_clears(xv[l], ev[l], NULL);
    }
    mpz_clears(got, want, NULL);
}

/* All checks of one backend; returns the number of failures it added. */
static unsigned long run_backend(const ifma_mb_backend *be, const char *bname, int count, int exps, ifma_mb_ws *ws)
{
    const unsigned long f0 = g_fail, c0 = g_checks;
    lanes_t z;
    for (int l = 0; l < IFMA_MB_LMAX; l++)
        mpz_inits(z.m[l], z.rinv[l], NULL);
    for (int n = 20; n <= 40; n += 10) {
        for (int t = 0; t < count; t++) {
            if (t % 4 == 0)
                setup_lanes(&z, n, be->lanes, t / 4);
            check_mul(be, bname, &z, t);
        }
        static const unsigned short_bits[] = {1, 5, 6, 64, 65, 0};
        for (int t = 0; t < exps; t++) {
            setup_lanes(&z, n, be->lanes, t);
            check_exp(be, bname, &z, t, z.k, ws);
            /* shorter exponents (one window, a window boundary, a word boundary) on the same moduli */
            for (int sb = 0; sb < 6; sb++)
                check_exp(be, bname, &z, t + 1 + sb, short_bits[sb], ws);
        }
    }
    for (int l = 0; l < IFMA_MB_LMAX; l++)
        mpz_clears(z.m[l], z.rinv[l], NULL);
    if (!g_quiet)
        printf("  %-22s %lu checks, %lu failed\n", bname, g_checks - c0, g_fail - f0);
    return g_fail - f0;
}

int main(int argc, char **argv)
{
    unsigned long long sd = 1;
    int count = 40, exps = 2, mutants = 0, nonly = 0, only[8];
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            sd = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--count") && i + 1 < argc)
            count = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--exps") && i + 1 < argc)
            exps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--backend") && i + 1 < argc && nonly < 8)
            only[nonly++] = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--mutants"))
            mutants = 1;
        else {
            fprintf(stderr, "usage: %s [--seed S] [--count C] [--exps E] [--backend B]... [--mutants]\n", argv[0]);
            return 64;
        }
    }
    gmp_randinit_default(g_rs);
    gmp_randseed_ui(g_rs, (unsigned long)sd);
    ifma_mb_ws *ws = aligned_alloc(64, sizeof(ifma_mb_ws));
    if (ws == NULL)
        return 2;
    printf("test_mb: seed %llu, %d amm/ams/redc calls and %d x 7 exp calls (full length + 6 short) per N and backend\n",
           sd, count, exps);

    static const struct {
        int id;
        const char *name;
    } backends[] = {{SIGNET_IFMA_BACKEND_EMULATED, "emulated 4 lanes"},
                    {SIGNET_IFMA_BACKEND_EMULATED512, "emulated 8 lanes"},
                    {SIGNET_IFMA_BACKEND_NATIVE256, "native 256 (ymm)"},
                    {SIGNET_IFMA_BACKEND_NATIVE512, "native 512 (zmm)"}};
    for (size_t b = 0; b < sizeof backends / sizeof backends[0]; b++) {
        int want = nonly == 0;
        for (int i = 0; i < nonly; i++)
            want |= only[i] == backends[b].id;
        if (!want)
            continue;
        const ifma_mb_backend *be = ifma_mb_backend_get(backends[b].id);
        if (be == NULL) {
            printf("  %-22s NOT RUN (not available on this CPU/build)\n", backends[b].name);
            continue;
        }
        run_backend(be, backends[b].name, count, exps, ws);
    }
    if (mutants) {
        const unsigned long f = g_fail;
        g_quiet = 1;
        g_fail = 0;
        const unsigned long c1 = run_backend(&mutant1, "mutant: carry dropped", 4, 1, ws);
        g_fail = 0;
        const unsigned long c2 = run_backend(&mutant2, "mutant: top column dropped", 4, 1, ws);
        g_quiet = 0;
        g_fail = f;
        printf("  mutants: carry dropped -> %lu failed checks, top squaring column dropped -> %lu (must be > 0)\n", c1,
               c2);
        if (c1 == 0 || c2 == 0) {
            fprintf(stderr, "FAIL a mutant kernel passed the checks\n");
            g_fail++;
        }
    }
    free(ws);
    gmp_randclear(g_rs);
    printf("test_mb: %lu checks, %lu failed (seed %llu)\n", g_checks, g_fail, sd);
    return g_fail ? 1 : 0;
}
