/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ifma.c - correctness driver for Sources/CSignetIFMA (build and run: perf/ifma/check.sh).
 *
 * For every backend available here (the two emulated ones always; native 256/512 where signet_ifma_support()
 * reports IFMA):
 *   1. lane primitives vs a plain 128-bit-product scalar reference, random and edge values;
 *   2. dual modular exponentiation vs GMP mpz_powm, 1024- and 2048-bit moduli, random and edge bases/exponents;
 *   3. RSA private operation vs OpenSSL (EVP_PKEY_sign, RSA_NO_PADDING), random keys x random inputs, including
 *      >= 70 calls on one blinding (the regeneration path runs every 32 calls);
 *   4. Wycheproof rsa_pkcs1_{2048,4096}_sig_gen: PKCS#1 v1.5 EM built here, signature compared byte for byte;
 *   5. fault injection (CRT half corrupted) -> SIGNET_IFMA_ERR_FAULT and a zeroed output; error paths.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <gmp.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ifma_internal.h"
#include "ifma_test_api.h"
#include "signet_ifma.h"
#include "testkeys.h"
#define CTEST_OWN_CHECK
#include "../ctest.h"

static int g_fail;
static unsigned long g_checks;

#define CHECK(cond, ...)                                                                                               \
    do {                                                                                                               \
        g_checks++;                                                                                                    \
        if (!(cond)) {                                                                                                 \
            g_fail++;                                                                                                  \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                                       \
            fprintf(stderr, __VA_ARGS__);                                                                              \
            fprintf(stderr, "\n");                                                                                     \
            if (g_fail > 20)                                                                                           \
                exit(1);                                                                                               \
        }                                                                                                              \
    } while (0)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* xoshiro256** for reproducible test values */
static uint64_t g_s[4];
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t rnd(void)
{
    uint64_t r = rotl(g_s[1] * 5, 7) * 9, t = g_s[1] << 17;
    g_s[2] ^= g_s[0];
    g_s[3] ^= g_s[1];
    g_s[1] ^= g_s[2];
    g_s[0] ^= g_s[3];
    g_s[2] ^= t;
    g_s[3] = rotl(g_s[3], 45);
    return r;
}
static void seed(uint64_t s)
{
    for (int i = 0; i < 4; i++) {
        s += 0x9E3779B97F4A7C15ull;
        uint64_t z = s;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        g_s[i] = z ^ (z >> 31);
    }
}

/* ---------------------------------------------------------------------------------------------------------- */
/* 1. primitives                                                                                               */

static const uint64_t k_edges[] = {0,
                                   1,
                                   2,
                                   IFMA_M52 - 1,
                                   IFMA_M52,
                                   IFMA_M52 + 1,
                                   (uint64_t)1 << 52,
                                   ((uint64_t)1 << 53) - 1,
                                   (uint64_t)1 << 63,
                                   ~(uint64_t)0,
                                   ~(uint64_t)0 - 1,
                                   0x8000000000000001ull,
                                   0x000FFFFF00000000ull,
                                   0xFFF0000000000000ull,
                                   0x7FFFFFFFFFFFFFFFull};

static uint64_t pick(void)
{
    switch (rnd() % 4) {
    case 0: return k_edges[rnd() % (sizeof k_edges / sizeof k_edges[0])];
    case 1: return rnd() & IFMA_M52;
    case 2: return rnd() >> (rnd() % 64);
    default: return rnd();
    }
}

__extension__ typedef unsigned __int128 ref_u128; /* the reference's own 128-bit product */

static void ref_prim(int op, int L, const uint64_t *a, const uint64_t *b, const uint64_t *c, uint64_t *out)
{
    memset(out, 0, 8 * sizeof *out);
    for (int i = 0; i < L; i++) {
        ref_u128 prod = (ref_u128)(b[i] & IFMA_M52) * (c[i] & IFMA_M52);
        switch (op) {
        case IFMA_OP_ADD: out[i] = a[i] + b[i]; break;
        case IFMA_OP_AND: out[i] = a[i] & b[i]; break;
        case IFMA_OP_OR: out[i] = a[i] | b[i]; break;
        case IFMA_OP_SRLI52: out[i] = a[i] >> 52; break;
        case IFMA_OP_MADD52LO: out[i] = a[i] + (uint64_t)(prod % ((ref_u128)1 << 52)); break;
        case IFMA_OP_MADD52HI: out[i] = a[i] + (uint64_t)(prod / ((ref_u128)1 << 52)); break;
        case IFMA_OP_SHR1: out[i] = i + 1 < L ? b[i + 1] : a[0]; break; /* (hi = a, lo = b) */
        case IFMA_OP_SHL1: out[i] = i == 0 ? b[L - 1] : a[i - 1]; break;
        case IFMA_OP_CMPGT: out[0] |= (uint64_t)(a[i] > b[i]) << i; break;
        case IFMA_OP_CMPEQ: out[0] |= (uint64_t)(a[i] == b[i]) << i; break;
        case IFMA_OP_MASKADD1: out[i] = a[i] + ((c[0] >> i) & 1); break;
        case IFMA_OP_LANE0: out[0] = a[0]; break;
        case IFMA_OP_SET1: out[i] = a[0]; break;
        case IFMA_OP_ZERO: out[i] = 0; break;
        default: break;
        }
    }
}

static void test_prims(int backend)
{
    const int L = signet_ifma_test_lanes(backend);
    const int fail0 = g_fail;
    unsigned long n = 0;
    for (int iter = 0; iter < 20000; iter++) {
        uint64_t a[8], b[8], c[8], got[8], want[8];
        for (int i = 0; i < 8; i++) {
            a[i] = pick();
            b[i] = (rnd() % 8 == 0) ? a[i] : pick(); /* equal lanes exercise cmpeq */
            c[i] = pick();
        }
        c[0] = rnd() & ((1u << L) - 1);
        for (int op = 0; op < IFMA_OP_COUNT; op++) {
            uint64_t cc[8];
            memcpy(cc, c, sizeof cc);
            if (op != IFMA_OP_MASKADD1)
                cc[0] = pick();
            memset(got, 0, sizeof got);
            signet_ifma_test_prim(backend, op, a, b, cc, got);
            ref_prim(op, L, a, b, cc, want);
            int lanes = (op == IFMA_OP_CMPGT || op == IFMA_OP_CMPEQ || op == IFMA_OP_LANE0) ? 1 : L;
            CHECK(memcmp(got, want, (size_t)lanes * 8) == 0, "backend %d prim op %d lane mismatch", backend, op);
            n++;
        }
    }
    printf("  primitives: %lu op evaluations vs 128-bit reference, L = %d: %s\n", n, L,
           g_fail != fail0 ? "FAIL" : "ok");
}

/* ---------------------------------------------------------------------------------------------------------- */
/* 2. modexp vs GMP                                                                                             */

static void to_mpz(mpz_t r, const uint64_t *w, size_t n) { mpz_import(r, n, -1, 8, 0, 0, w); }
static void from_mpz(uint64_t *w, size_t n, const mpz_t x)
{
    memset(w, 0, n * 8);
    size_t cnt = 0;
    mpz_export(w, &cnt, -1, 8, 0, 0, x);
}

/* Mod-n Montgomery arithmetic of ifma_bn.c (blinding, Garner, unblinding, verify-after-sign) vs GMP, with the row
   kernel currently selected: sizes 1..64 words (the rows of the squaring have every length), random and edge
   moduli (all-ones words, 2^(64n-1)+1) and operands (0, 1, m-1, all-ones below m). */
static void test_modn(int rounds)
{
    uint64_t m[64], a[64], b[64], r[64], want[64], t[130];
    mpz_t M, A, B, W, Rinv;
    mpz_inits(M, A, B, W, Rinv, NULL);
    for (size_t n = 1; n <= 64; n++) {
        for (int k = 0; k < rounds; k++) {
            for (size_t i = 0; i < n; i++)
                m[i] = k == 1 ? ~(uint64_t)0 : rnd();
            if (k == 2) {
                memset(m, 0, n * 8);
                m[0] = 1;
            }
            m[0] |= 1;
            m[n - 1] |= (uint64_t)1 << 63;
            to_mpz(M, m, n);
            for (int v = 0; v < 2; v++) {
                uint64_t *x = v ? b : a;
                int kind = (k + 2 * v) % 6;
                mpz_t X;
                mpz_init(X);
                if (kind == 0) mpz_set_ui(X, 0);
                else if (kind == 1) mpz_set_ui(X, 1);
                else if (kind == 2) mpz_sub_ui(X, M, 1);
                else {
                    uint64_t w[64];
                    for (size_t i = 0; i < n; i++)
                        w[i] = kind == 3 ? ~(uint64_t)0 : rnd();
                    to_mpz(X, w, n);
                    mpz_mod(X, X, M);
                }
                from_mpz(x, n, X);
                mpz_clear(X);
            }
            uint64_t minv = sbn_neg_inv64(m[0]);
            to_mpz(A, a, n);
            to_mpz(B, b, n);
            mpz_set_ui(Rinv, 1);
            mpz_mul_2exp(Rinv, Rinv, 64 * n);
            mpz_invert(Rinv, Rinv, M);
            /* mul */
            mpz_mul(W, A, B);
            mpz_mul(W, W, Rinv);
            mpz_mod(W, W, M);
            from_mpz(want, n, W);
            sbn_mont_mul(r, a, b, m, minv, n, t);
            CHECK(memcmp(r, want, n * 8) == 0, "mont_mul n=%zu round %d", n, k);
            memcpy(r, a, n * 8);
            sbn_mont_mul(r, r, b, m, minv, n, t); /* r aliases a */
            CHECK(memcmp(r, want, n * 8) == 0, "mont_mul aliased n=%zu round %d", n, k);
            /* sqr */
            mpz_mul(W, A, A);
            mpz_mul(W, W, Rinv);
            mpz_mod(W, W, M);
            from_mpz(want, n, W);
            memcpy(r, a, n * 8);
            sbn_mont_sqr(r, r, m, minv, n, t);
            CHECK(memcmp(r, want, n * 8) == 0, "mont_sqr n=%zu round %d", n, k);
            /* redc */
            mpz_mul(W, A, Rinv);
            mpz_mod(W, W, M);
            from_mpz(want, n, W);
            sbn_mont_redc(r, a, m, minv, n, t);
            CHECK(memcmp(r, want, n * 8) == 0, "mont_redc n=%zu round %d", n, k);
            /* 2^k mod m by Montgomery squarings, k = 64n (the start), 64n + 1, 128n, 104 * ceil(64n / 52) + 64n,
               and a random k up to 64n + 4096 */
            {
                const size_t ks[] = {64 * n, 64 * n + 1, 128 * n, 104 * ((64 * n + 51) / 52) + 64 * n,
                                     64 * n + (size_t)(rnd() % 4097)};
                for (size_t q = 0; q < sizeof ks / sizeof ks[0]; q++) {
                    mpz_set_ui(W, 2);
                    mpz_t K;
                    mpz_init_set_ui(K, (unsigned long)ks[q]);
                    mpz_powm(W, W, K, M);
                    mpz_clear(K);
                    from_mpz(want, n, W);
                    sbn_mod_pow2_mont(r, ks[q], m, minv, n, t);
                    CHECK(memcmp(r, want, n * 8) == 0, "mod_pow2_mont n=%zu k=%zu round %d", n, ks[q], k);
                }
            }
            /* plain product */
            uint64_t prod[128];
            mpz_mul(W, A, B);
            {
                uint64_t full[128];
                memset(full, 0, sizeof full);
                size_t cnt = 0;
                mpz_export(full, &cnt, -1, 8, 0, 0, W);
                sbn_mul(prod, a, n, b, n);
                CHECK(memcmp(prod, full, 2 * n * 8) == 0, "mul n=%zu round %d", n, k);
            }
        }
    }
    mpz_clears(M, A, B, W, Rinv, NULL);
    printf("  mod-n Montgomery mul/sqr/redc, 2^k mod m and products vs GMP (%s row): 1..64 words x %d rounds\n",
           sbn_row_kind() ? "MULX/ADX" : "portable C", rounds);
}

static void test_modexp(int backend, unsigned hbits, int nmod)
{
    const size_t hw = hbits / 64;
    uint64_t m[2][32], x[2][64], e[2][32], r[2][32], want[32];
    mpz_t M, X, E, R;
    mpz_inits(M, X, E, R, NULL);
    int count = 0;
    for (int t = 0; t < nmod; t++) {
        for (int h = 0; h < 2; h++) {
            for (size_t i = 0; i < hw; i++)
                m[h][i] = rnd();
            m[h][0] |= 1;
            m[h][hw - 1] |= (uint64_t)1 << 63;
            if (t == 1 && h == 1) /* edge modulus: 2^hbits - 1 */
                memset(m[h], 0xFF, hw * 8);
            if (t == 2 && h == 0) { /* edge modulus: 2^(hbits-1) + 1 */
                memset(m[h], 0, hw * 8);
                m[h][0] = 1;
                m[h][hw - 1] = (uint64_t)1 << 63;
            }
        }
        ifma_test_ctx *ctx = signet_ifma_test_ctx_new(backend, hbits, m[0], m[1]);
        CHECK(ctx != NULL, "ctx");
        if (ctx == NULL)
            continue;
        for (int c = 0; c < 7; c++) {
            for (int h = 0; h < 2; h++) {
                /* base */
                memset(x[h], 0, sizeof x[h]);
                int bk = (c + h) % 7;
                switch (bk) {
                case 0: for (size_t i = 0; i < 2 * hw; i++) x[h][i] = rnd(); break; /* random double length */
                case 1: break;                                                      /* 0 */
                case 2: x[h][0] = 1; break;                                         /* 1 */
                case 3: memcpy(x[h], m[h], hw * 8); x[h][0] -= 1; break;             /* m - 1 */
                case 4: memcpy(x[h], m[h], hw * 8); break;                           /* m */
                case 5: memset(x[h], 0xFF, 2 * hw * 8); break;                      /* 2^(2 hbits) - 1 */
                default: for (size_t i = 0; i < hw; i++) x[h][i] = rnd(); break;    /* random single length */
                }
                /* exponent */
                memset(e[h], 0, sizeof e[h]);
                int ek = (c + 3 * h) % 7;
                switch (ek) {
                case 0: memset(e[h], 0xFF, hw * 8); break; /* all ones */
                case 1: e[h][0] = 1; break;                 /* 1 */
                case 2: break;                              /* 0 */
                case 3: e[h][0] = 2; break;
                case 4: e[h][hw - 1] = (uint64_t)1 << 63; break; /* top bit only */
                default: for (size_t i = 0; i < hw; i++) e[h][i] = rnd(); break;
                }
            }
            signet_ifma_test_ctx_exp(ctx, x[0], x[1], e[0], e[1], r[0], r[1]);
            for (int h = 0; h < 2; h++) {
                to_mpz(M, m[h], hw);
                to_mpz(X, x[h], 2 * hw);
                to_mpz(E, e[h], hw);
                mpz_powm(R, X, E, M);
                from_mpz(want, hw, R);
                CHECK(memcmp(want, r[h], hw * 8) == 0, "backend %d modexp %u-bit case %d/%d half %d", backend,
                      hbits, t, c, h);
                count++;
            }
        }
        signet_ifma_test_ctx_free(ctx);
    }
    mpz_clears(M, X, E, R, NULL);
    printf("  modexp %u-bit vs mpz_powm: %d results (random + edge bases 0, 1, m-1, m, 2^2k-1; exponents all-ones,"
           " 0, 1, 2, top bit, random)\n", hbits, count);
}

/* The public-key operation (signet_rsa_public_engine_*) vs mpz_powm: random and edge moduli (2^bits - 1,
   2^(bits-1) + 1), bases 0, 1, 2, n-1, n/2, random; exponents 3, 65537, 2^64 - 1, random odd; input n rejected. */
static void test_pubexp(int backend, int bits, int nmod)
{
    const size_t k = (size_t)bits / 8, nw = k / 8;
    uint64_t n[64], x[64], w[64];
    uint8_t nb[512], xb[512], out[512], want[512], eb[8];
    mpz_t N, X, E, R;
    mpz_inits(N, X, E, R, NULL);
    int count = 0;
    for (int t = 0; t < nmod; t++) {
        for (size_t i = 0; i < nw; i++)
            n[i] = rnd();
        n[0] |= 1;
        n[nw - 1] |= (uint64_t)1 << 63;
        if (t == 1)
            memset(n, 0xFF, nw * 8);
        if (t == 2) {
            memset(n, 0, nw * 8);
            n[0] = 1;
            n[nw - 1] = (uint64_t)1 << 63;
        }
        to_mpz(N, n, nw);
        bytes_from_words(nb, k, n);
        for (int c = 0; c < 4; c++) {
            uint64_t e = c == 0 ? 3 : c == 1 ? 65537 : c == 2 ? ~(uint64_t)0 : (rnd() | 1 | ((uint64_t)1 << 40));
            for (int j = 0; j < 8; j++)
                eb[j] = (uint8_t)(e >> (56 - 8 * j));
            int err = -1;
            signet_rsa_public_engine *key = signet_rsa_public_engine_new(nb, k, eb, 8, backend, &err);
            CHECK(key != NULL && err == SIGNET_IFMA_OK, "backend %d pub %d-bit load (err %d)", backend, bits, err);
            if (key == NULL)
                continue;
            CHECK(signet_rsa_public_engine_size(key) == k, "pub size");
            for (int b = 0; b < 7; b++) {
                memset(x, 0, sizeof x);
                switch (b) {
                case 0: break;                                                    /* 0 */
                case 1: x[0] = 1; break;                                          /* 1 */
                case 2: x[0] = 2; break;                                          /* 2 */
                case 3: memcpy(x, n, nw * 8); x[0] -= 1; break;                   /* n - 1 */
                case 4: for (size_t i = 0; i < nw; i++) x[i] = (n[i] >> 1) | (i + 1 < nw ? n[i + 1] << 63 : 0); break;
                default: for (size_t i = 0; i < nw; i++) x[i] = rnd(); x[nw - 1] >>= 1; break; /* random < n/2 */
                }
                to_mpz(X, x, nw);
                bytes_from_words(xb, k, x);
                mpz_set_ui(E, 0);
                mpz_import(E, 1, -1, 8, 0, 0, &e);
                mpz_powm(R, X, E, N);
                from_mpz(w, nw, R);
                bytes_from_words(want, k, w);
                int rc = signet_rsa_public_engine_op(key, xb, k, out, k);
                CHECK(rc == SIGNET_IFMA_OK && memcmp(out, want, k) == 0, "backend %d pub %d-bit modulus %d e case %d "
                      "base case %d (rc %d)", backend, bits, t, c, b, rc);
                count++;
            }
            /* in place, and the range check: n itself and all ones are refused */
            memcpy(out, xb, k);
            CHECK(signet_rsa_public_engine_op(key, out, k, out, k) == SIGNET_IFMA_OK && memcmp(out, want, k) == 0,
                  "pub in place");
            CHECK(signet_rsa_public_engine_op(key, nb, k, out, k) == SIGNET_IFMA_ERR_INPUT_RANGE, "pub input n");
            memset(xb, 0xFF, k);
            CHECK(signet_rsa_public_engine_op(key, xb, k, out, k) == SIGNET_IFMA_ERR_INPUT_RANGE, "pub input 2^k-1");
            CHECK(signet_rsa_public_engine_op(key, xb, k - 1, out, k) == SIGNET_IFMA_ERR_ARGUMENT, "pub length");
            signet_rsa_public_engine_free(key);
        }
    }
    /* shapes the public engine refuses */
    int err = 0;
    uint8_t e3[1] = {3}, e2[1] = {2}, e1[1] = {1};
    memset(nb, 0xFF, k);
    CHECK(signet_rsa_public_engine_new(nb, k - 1, e3, 1, backend, &err) == NULL &&
              err == SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE, "pub refuses a short modulus");
    CHECK(signet_rsa_public_engine_new(nb, k, e2, 1, backend, &err) == NULL && err == SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE,
          "pub refuses even e");
    CHECK(signet_rsa_public_engine_new(nb, k, e1, 1, backend, &err) == NULL && err == SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE,
          "pub refuses e = 1");
    nb[k - 1] = 0xFE;
    CHECK(signet_rsa_public_engine_new(nb, k, e3, 1, backend, &err) == NULL && err == SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE,
          "pub refuses even n");
    mpz_clears(N, X, E, R, NULL);
    printf("  public-key operation %d-bit vs mpz_powm: %d results (random + edge moduli; bases 0, 1, 2, n-1, n/2, "
           "random; e = 3, 65537, 2^64-1, random), range and shape refusals\n", bits, count);
}

/* ---------------------------------------------------------------------------------------------------------- */
/* 3. RSA private operation vs OpenSSL                                                                          */

static void random_below(uint8_t *x, const uint8_t *n, size_t k)
{
    for (size_t i = 0; i < k; i++)
        x[i] = (uint8_t)rnd();
    x[0] = (uint8_t)(rnd() % n[0]); /* < n's top byte: x < n */
}

static void test_rsa_random(int backend, int bits, int nkeys, int nmsgs, int nlong, const char *cache)
{
    const size_t k = (size_t)bits / 8;
    uint8_t in[512], want[512], got[512], fresh[512];
    int ops = 0, long_run = 0;
    double t0 = now();
    for (int idx = 0; idx < nkeys; idx++) {
        EVP_PKEY *pk = get_key(cache, bits, idx);
        raw_key rk;
        CHECK(pk != NULL && raw_from_pkey(pk, &rk), "keygen/params %d", idx);
        if (pk == NULL)
            continue;
        int err = -1;
        signet_rsa_engine_key *key = load_raw(&rk, backend, &err);
        CHECK(key != NULL && err == 0, "key_new backend %d bits %d idx %d err %d", backend, bits, idx, err);
        RAND_bytes(fresh, (int)k);
        signet_rsa_blinding *bl = key ? signet_rsa_blinding_new(key, fresh, k, &err) : NULL;
        CHECK(bl != NULL, "blinding_new err %d", err);
        int calls = (idx == 0) ? nlong : nmsgs; /* first key: through the regeneration path (every 32 calls) */
        for (int j = 0; bl != NULL && j < calls; j++) {
            if (j == 1) { /* edge inputs: 0, 1, n - 1 */
                memset(in, 0, k);
            } else if (j == 2) {
                memset(in, 0, k);
                in[k - 1] = 1;
            } else if (j == 3) {
                memcpy(in, rk.n, k);
                in[k - 1] -= 1; /* n is odd */
            } else {
                random_below(in, rk.n, k);
            }
            CHECK(ossl_raw_sign(pk, in, k, want), "openssl sign");
            RAND_bytes(fresh, (int)k);
            int rc = signet_rsa_engine_private(key, bl, in, got, fresh, k);
            CHECK(rc == 0 && memcmp(got, want, k) == 0, "private backend %d bits %d key %d msg %d rc %d", backend,
                  bits, idx, j, rc);
            ops++;
            if (idx == 0)
                long_run++;
        }
        signet_rsa_blinding_free(bl);
        signet_rsa_engine_key_free(key);
        EVP_PKEY_free(pk);
    }
    printf("  RSA-%d vs OpenSSL: %d keys, %d private ops byte-identical (%d on one blinding: %d regeneration(s)), "
           "%.1f s\n", bits, nkeys, ops, long_run, long_run > 0 ? (long_run - 1) / 32 : 0, now() - t0);
}

/* ---------------------------------------------------------------------------------------------------------- */
/* 4. Wycheproof                                                                                                */


static const struct {
    const char *name;
    const uint8_t prefix[19];
    size_t plen;
} k_digest_info[] = {
    {"SHA-1",
     {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14},
     15},
    {"SHA-224",
     {0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0x04, 0x1c},
     19},
    {"SHA-256",
     {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20},
     19},
    {"SHA-384",
     {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30},
     19},
    {"SHA-512",
     {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40},
     19},
};

static void test_wycheproof(int backend, const char *path)
{
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "open %s", path);
    if (f == NULL)
        return;
    static char line[1 << 16];
    raw_key rk;
    int di = -1, groups = 0, tests = 0, by_size[3] = {0, 0, 0}, refused = 0, skipped = 0;
    signet_rsa_engine_key *key = NULL;
    signet_rsa_blinding *bl = NULL;
    uint8_t msg[8192], sig[512], em[512], got[512], fresh[512];
    double t0 = now();
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = 0;
        char *tok[9];
        int nt = 0;
        for (char *s = strtok(line, " "); s != NULL && nt < 9; s = strtok(NULL, " "))
            tok[nt++] = s;
        if (nt == 9 && strcmp(tok[0], "K") == 0) {
            signet_rsa_blinding_free(bl);
            signet_rsa_engine_key_free(key);
            bl = NULL;
            key = NULL;
            di = -1;
            for (size_t i = 0; i < sizeof k_digest_info / sizeof k_digest_info[0]; i++)
                if (strcmp(tok[1], k_digest_info[i].name) == 0)
                    di = (int)i;
            CHECK(di >= 0, "digest %s", tok[1]);
            rk.nl = ctest_unhex(rk.n, tok[2], sizeof rk.n);
            rk.el = ctest_unhex(rk.e, tok[3], sizeof rk.e);
            rk.pl = ctest_unhex(rk.p, tok[4], sizeof rk.p);
            rk.ql = ctest_unhex(rk.q, tok[5], sizeof rk.q);
            rk.dpl = ctest_unhex(rk.dp, tok[6], sizeof rk.dp);
            rk.dql = ctest_unhex(rk.dq, tok[7], sizeof rk.dq);
            rk.qil = ctest_unhex(rk.qi, tok[8], sizeof rk.qi);
            int err = -1;
            key = load_raw(&rk, backend, &err);
            /* the engine covers p and q of exactly half of n's bits; other keys must be refused (EVP signs them) */
            int nbits = ctest_bitlen(rk.n, rk.nl);
            int balanced = ctest_bitlen(rk.p, rk.pl) * 2 == nbits && ctest_bitlen(rk.q, rk.ql) * 2 == nbits;
            if (balanced) {
                CHECK(key != NULL, "wycheproof key_new err %d", err);
            } else {
                CHECK(key == NULL && err == SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE, "unbalanced key accepted? err %d", err);
                refused++;
            }
            if (key != NULL) {
                RAND_bytes(fresh, (int)signet_rsa_engine_key_size(key));
                bl = signet_rsa_blinding_new(key, fresh, signet_rsa_engine_key_size(key), &err);
                CHECK(bl != NULL, "wycheproof blinding err %d", err);
            }
            groups++;
        } else if (nt == 4 && strcmp(tok[0], "T") == 0 && (key == NULL || bl == NULL)) {
            skipped++;
        } else if (nt == 4 && strcmp(tok[0], "T") == 0 && di >= 0) {
            size_t k = signet_rsa_engine_key_size(key);
            size_t ml = ctest_unhex(msg, tok[2], sizeof msg), sl = ctest_unhex(sig, tok[3], sizeof sig);
            CHECK(sl == k, "sig length");
            const char *mdname = k_digest_info[di].name;
            EVP_MD *md = EVP_MD_fetch(NULL, mdname, NULL);
            uint8_t hash[64];
            unsigned hl = 0;
            CHECK(md != NULL && EVP_Digest(msg, ml, hash, &hl, md, NULL), "digest");
            EVP_MD_free(md);
            /* EM = 0x00 0x01 FF..FF 0x00 DigestInfo H (RFC 8017 section 9.2) */
            size_t tl = k_digest_info[di].plen + hl;
            em[0] = 0x00;
            em[1] = 0x01;
            memset(em + 2, 0xFF, k - tl - 3);
            em[k - tl - 1] = 0x00;
            memcpy(em + k - tl, k_digest_info[di].prefix, k_digest_info[di].plen);
            memcpy(em + k - hl, hash, hl);
            RAND_bytes(fresh, (int)k);
            int rc = signet_rsa_engine_private(key, bl, em, got, fresh, k);
            CHECK(rc == 0 && memcmp(got, sig, k) == 0, "wycheproof tcId %s backend %d rc %d", tok[1], backend, rc);
            tests++;
            by_size[k == 256 ? 0 : k == 384 ? 1 : 2]++;
        }
    }
    fclose(f);
    signet_rsa_blinding_free(bl);
    signet_rsa_engine_key_free(key);
    printf("  Wycheproof sig_gen: %d key groups, %d signatures byte-identical (2048: %d, 3072: %d, 4096: %d); %d "
           "groups with unbalanced primes refused as unsupported (%d vectors left to EVP), %.1f s\n", groups, tests,
           by_size[0], by_size[1], by_size[2], refused, skipped, now() - t0);
}

/* ---------------------------------------------------------------------------------------------------------- */
/* 5. faults and error paths                                                                                    */

static void test_faults(int backend, const char *cache)
{
    EVP_PKEY *pk = get_key(cache, 2048, 0);
    raw_key rk;
    CHECK(pk != NULL && raw_from_pkey(pk, &rk), "key");
    if (pk == NULL)
        return;
    const size_t k = 256;
    uint8_t in[512], out[512], want[512], fresh[512];
    int err;
    signet_rsa_engine_key *key = load_raw(&rk, backend, &err);
    RAND_bytes(fresh, (int)k);
    signet_rsa_blinding *bl = signet_rsa_blinding_new(key, fresh, k, &err);
    CHECK(key != NULL && bl != NULL, "fault setup");
    int faults = 0;
    static const int kinds[] = {1, 2, 3, 5}; /* CRT half p, half q, exponent dp; 5: the public-key operation */
    for (size_t f = 0; f < sizeof kinds / sizeof kinds[0]; f++) {
        const int kind = kinds[f];
        random_below(in, rk.n, k);
        memset(out, 0xAA, k);
        signet_ifma_test_fault = kind;
        int rc = signet_rsa_engine_private(key, bl, in, out, fresh, k);
        signet_ifma_test_fault = 0;
        uint8_t acc = 0;
        for (size_t i = 0; i < k; i++)
            acc |= out[i];
        CHECK(rc == SIGNET_IFMA_ERR_FAULT && acc == 0, "fault kind %d: rc %d, output %s", kind, rc,
              acc ? "NOT zeroed" : "zeroed");
        faults++;
        /* and the next, unfaulted call is fine again */
        rc = signet_rsa_engine_private(key, bl, in, out, fresh, k);
        CHECK(rc == 0 && ossl_raw_sign(pk, in, k, want) && memcmp(out, want, k) == 0, "after fault %d", kind);
    }

    /* a faulty public-key operation at load: the public engine's self-check and the private key's round trip */
    signet_ifma_test_fault = 5;
    CHECK(signet_rsa_public_engine_new(rk.n, rk.nl, rk.e, rk.el, backend, &err) == NULL && err == SIGNET_IFMA_ERR_FAULT,
          "public engine self-check under a fault: %d", err);
    CHECK(load_raw(&rk, backend, &err) == NULL && err == SIGNET_IFMA_ERR_KEY_INCONSISTENT,
          "private key round trip under a fault: %d", err);
    signet_ifma_test_fault = 0;
    signet_rsa_public_engine *pub = signet_rsa_public_engine_new(rk.n, rk.nl, rk.e, rk.el, backend, &err);
    CHECK(pub != NULL, "public engine after the fault: %d", err);
    signet_rsa_public_engine_free(pub);

    /* error paths */
    int paths = 0;
    memcpy(in, rk.n, k); /* in == n: out of range */
    CHECK(signet_rsa_engine_private(key, bl, in, out, fresh, k) == SIGNET_IFMA_ERR_INPUT_RANGE, "in >= n");
    CHECK(signet_rsa_engine_private(key, bl, in, out, fresh, k - 1) == SIGNET_IFMA_ERR_ARGUMENT, "short random");
    memset(fresh, 0, k);
    CHECK(signet_rsa_blinding_new(key, fresh, k, &err) == NULL && err == SIGNET_IFMA_ERR_RANDOM, "r = 0");
    raw_key bad = rk;
    bad.qi[bad.qil - 1] ^= 2; /* qinv wrong */
    CHECK(load_raw(&bad, backend, &err) == NULL && err == SIGNET_IFMA_ERR_KEY_INCONSISTENT, "bad qinv: %d", err);
    bad = rk;
    bad.dp[bad.dpl - 1] ^= 2; /* dp wrong */
    CHECK(load_raw(&bad, backend, &err) == NULL && err == SIGNET_IFMA_ERR_KEY_INCONSISTENT, "bad dp: %d", err);
    bad = rk;
    bad.n[10] ^= 1; /* n != p q */
    CHECK(load_raw(&bad, backend, &err) == NULL && err == SIGNET_IFMA_ERR_KEY_INCONSISTENT, "bad n: %d", err);
    bad = rk;
    bad.e[bad.el - 1] ^= 1; /* even e */
    CHECK(load_raw(&bad, backend, &err) == NULL && err == SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE, "even e: %d", err);
    bad = rk;
    bad.nl = 200; /* 1600-bit modulus */
    CHECK(load_raw(&bad, backend, &err) == NULL && err == SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE, "n size: %d", err);
    CHECK(signet_rsa_engine_key_new(NULL, backend, &err) == NULL && err == SIGNET_IFMA_ERR_ARGUMENT, "NULL params: %d",
          err);
    const signet_rsa_key_params no_qinv = {
        .n = rk.n, .n_len = rk.nl, .e = rk.e, .e_len = rk.el, .p = rk.p, .p_len = rk.pl, .q = rk.q, .q_len = rk.ql,
        .dp = rk.dp, .dp_len = rk.dpl, .dq = rk.dq, .dq_len = rk.dql, .qinv = NULL, .qinv_len = rk.qil,
    };
    CHECK(signet_rsa_engine_key_new(&no_qinv, backend, &err) == NULL && err == SIGNET_IFMA_ERR_ARGUMENT,
          "NULL component: %d", err);
    bad = rk;
    memcpy(bad.p + 1, rk.p, rk.pl); /* p with one more byte (leading 0x00 allowed, then nonzero: too large) */
    bad.p[0] = 1;
    bad.pl = rk.pl + 1;
    CHECK(load_raw(&bad, backend, &err) == NULL && err == SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE, "p size: %d", err);
    bad.p[0] = 0; /* a leading zero byte is accepted */
    signet_rsa_engine_key *k2 = load_raw(&bad, backend, &err);
    CHECK(k2 != NULL, "leading zero: %d", err);
    RAND_bytes(fresh, (int)k);
    random_below(in, rk.n, k);
    CHECK(signet_rsa_engine_private(k2, bl, in, out, fresh, k) == SIGNET_IFMA_ERR_WRONG_KEY, "wrong key");
    signet_rsa_engine_key_free(k2);
    /* randomness only when the blinding regenerates: NULL is fine on the other 31 calls, not on that one */
    RAND_bytes(fresh, (int)k);
    signet_rsa_blinding *b2 = signet_rsa_blinding_new(key, fresh, k, &err);
    int nulls = 0, needed = 0;
    for (int call = 0; call < 70 && b2 != NULL; call++) {
        random_below(in, rk.n, k);
        int rc;
        if (signet_rsa_blinding_needs_random(b2)) {
            needed++;
            CHECK(signet_rsa_engine_private(key, b2, in, out, NULL, 0) == SIGNET_IFMA_ERR_ARGUMENT, "NULL on regen");
            CHECK(signet_rsa_blinding_needs_random(b2), "a refused call does not consume the regeneration");
            RAND_bytes(fresh, (int)k);
            rc = signet_rsa_engine_private(key, b2, in, out, fresh, k);
        } else {
            nulls++;
            CHECK(signet_rsa_engine_private(key, b2, in, out, NULL, 1) == SIGNET_IFMA_ERR_ARGUMENT, "NULL with length");
            rc = signet_rsa_engine_private(key, b2, in, out, NULL, 0);
        }
        CHECK(rc == 0 && ossl_raw_sign(pk, in, k, want) && memcmp(out, want, k) == 0, "needs_random call %d", call);
    }
    CHECK(needed == 2 && nulls == 68, "regenerations %d (want 2: calls 33 and 65), NULL calls %d", needed, nulls);
    CHECK(signet_rsa_blinding_needs_random(NULL) == 0, "needs_random(NULL)");
    signet_rsa_blinding_free(b2);
    paths = 17;
    signet_rsa_blinding_free(bl);
    signet_rsa_engine_key_free(key);
    EVP_PKEY_free(pk);
    printf("  faults: %d injected faults (CRT halves, exponent, public-key operation) -> ERR_FAULT with zeroed output; "
           "a faulty public-key operation refused at load (public engine and private key); %d error paths\n",
           faults, paths);
}

/* ---------------------------------------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    int nkeys = 20, nmsgs = 3, nmod = 3, nlong = 70, nlong4k = -1;
    const char *cache = "/tmp/signet-ifma-keys", *wyche = NULL;
    uint64_t sd = (uint64_t)time(NULL);
    int only = -1, row = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--keys") && i + 1 < argc)
            nkeys = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--msgs") && i + 1 < argc)
            nmsgs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--long4k") && i + 1 < argc)
            nlong4k = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--long") && i + 1 < argc)
            nlong = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--moduli") && i + 1 < argc)
            nmod = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--cache") && i + 1 < argc)
            cache = argv[++i];
        else if (!strcmp(argv[i], "--wycheproof") && i + 1 < argc)
            wyche = argv[++i];
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            sd = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--backend") && i + 1 < argc)
            only = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--row") && i + 1 < argc)
            row = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [--keys N] [--msgs N] [--long N] [--long4k N] [--moduli N] [--cache DIR] "
                            "[--wycheproof FILE] "
                            "[--seed S] [--backend B] [--row 0|1]\n", argv[0]);
            return 2;
        }
    }
    if (mkdir(cache, 0700) != 0 && errno != EEXIST) {
        perror(cache);
        return 2;
    }
    seed(sd);
    int support = signet_ifma_support();
    printf("signet_ifma_support() = %d (256-bit: %s, 512-bit: %s); seed %llu\n", support,
           (support & SIGNET_IFMA_SUPPORT_256) ? "yes" : "no", (support & SIGNET_IFMA_SUPPORT_512) ? "yes" : "no",
           (unsigned long long)sd);
    static const struct {
        int id;
        const char *name;
    } backends[] = {{SIGNET_IFMA_BACKEND_EMULATED, "emulated, 4 lanes"},
                    {SIGNET_IFMA_BACKEND_EMULATED512, "emulated, 8 lanes"},
                    {SIGNET_IFMA_BACKEND_NATIVE256, "native AVX-512 IFMA, 256-bit"},
                    {SIGNET_IFMA_BACKEND_NATIVE512, "native AVX-512 IFMA, 512-bit"}};
    if (row >= 0 && !signet_ifma_test_row(row)) {
        printf("mod-n row %d: NOT RUN (%s)\n", row, row == 1 ? "this CPU lacks BMI2/ADX" : "unknown row");
        return 0;
    }
    printf("mod-n row kernel: %s\n", sbn_row_kind() ? "MULX/ADCX/ADOX" : "portable C");
    double t00 = now();
    test_modn(12);
    for (size_t b = 0; b < sizeof backends / sizeof backends[0]; b++) {
        int id = backends[b].id;
        if (only >= 0 && id != only)
            continue;
        if (signet_ifma_test_lanes(id) == 0) {
            printf("backend %d (%s): NOT RUN (not supported by this CPU/OS/build)\n", id, backends[b].name);
            continue;
        }
#if defined(SIGNET_IFMA_FAKE_INTRINSICS)
        printf("backend %d (%s): RUN%s\n", id, backends[b].name,
               (id == 1 || id == 2) ? " - on perf/ifma/fake_immintrin.h (Intel pseudocode in C), not on hardware" : "");
#else
        printf("backend %d (%s): RUN\n", id, backends[b].name);
#endif
        double t0 = now();
        test_prims(id);
        test_modexp(id, 1024, nmod);
        test_modexp(id, 1536, nmod);
        test_modexp(id, 2048, nmod);
        test_pubexp(id, 2048, nmod);
        test_pubexp(id, 3072, nmod);
        test_pubexp(id, 4096, nmod);
        test_rsa_random(id, 2048, nkeys, nmsgs, nlong, cache);
        test_rsa_random(id, 3072, nkeys, nmsgs, nlong4k >= 0 ? nlong4k : nlong, cache);
        test_rsa_random(id, 4096, nkeys, nmsgs, nlong4k >= 0 ? nlong4k : nlong, cache);
        if (wyche != NULL)
            test_wycheproof(id, wyche);
        test_faults(id, cache);
        printf("  backend %d done in %.1f s\n", id, now() - t0);
    }
    printf("%s: %lu checks, %d failures, %.1f s\n", g_fail ? "FAILED" : "PASSED", g_checks, g_fail, now() - t00);
    return g_fail ? 1 : 0;
}
