/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_mb_rsa.c - the multi-buffer RSA CRT private operation (Sources/CSignetIFMA/ifma_mb_rsa.c) against OpenSSL's
 * EVP_PKEY_sign with RSA_NO_PADDING: RSA-2048, 3072 and 4096, a different key in every lane (every fifth with
 * e = 3), random inputs and edge inputs (0, 1, n - 1) per lane, several batches on one blinding (the pair is
 * squared after each), a fresh blinding; then a fault injected into one lane (that lane zeroed and flagged, every
 * other lane's signature still released and correct) and an input >= n in one lane (refused, the others correct).
 * Build and run: perf/ifma/check.sh.
 *
 *   test_mb_rsa [--cache DIR] [--seed S] [--batches B] [--backend B]... [--bits 2048|3072|4096]...
 */
#define _POSIX_C_SOURCE 200809L
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ifma_mb.h"
#include "testkeys.h"

static unsigned long g_checks, g_fail;
#define CHECK(cond, ...)                                                                                               \
    do {                                                                                                               \
        g_checks++;                                                                                                    \
        if (!(cond)) {                                                                                                 \
            g_fail++;                                                                                                  \
            if (g_fail <= 20) {                                                                                        \
                fprintf(stderr, "FAIL ");                                                                              \
                fprintf(stderr, __VA_ARGS__);                                                                          \
                fputc('\n', stderr);                                                                                   \
            }                                                                                                          \
        }                                                                                                              \
    } while (0)

static uint64_t g_x;
static uint64_t rnd64(void)
{
    g_x ^= g_x << 13;
    g_x ^= g_x >> 7;
    g_x ^= g_x << 17;
    return g_x;
}

/* One batch: inputs per lane of kind (batch + lane) % 5 (random, 0, 1, n - 1, random), checked against OpenSSL.
   fault_lane >= 0: that lane is corrupted (expect it flagged and zero); big_lane >= 0: that lane gets n. */
static void batch(ifma_mb_rsa *ctx, EVP_PKEY *const *pk, const raw_key *rk, int L, size_t k, int b, int fault_lane,
                  int big_lane, const char *what)
{
    static uint8_t in[IFMA_MB_LMAX][512], out[IFMA_MB_LMAX][512], want[512];
    uint8_t *outp[IFMA_MB_LMAX];
    const uint8_t *inp[IFMA_MB_LMAX];
    for (int l = 0; l < L; l++) {
        const int kind = (b + l) % 5;
        for (size_t i = 0; i < k; i++)
            in[l][i] = (uint8_t)rnd64();
        in[l][0] &= 0x7F; /* < n */
        if (kind == 1 || kind == 2) {
            memset(in[l], 0, k);
            in[l][k - 1] = (uint8_t)(kind - 1);
        } else if (kind == 3) { /* n - 1 (n odd: clear the last bit) */
            memcpy(in[l], rk[l].n, k);
            in[l][k - 1] &= 0xFE;
        }
        if (l == big_lane)
            memcpy(in[l], rk[l].n, k);
        inp[l] = in[l];
        outp[l] = out[l];
    }
    ifma_mb_rsa_test_fault_lane = fault_lane + 1;
    const unsigned faults = ifma_mb_rsa_private(ctx, outp, inp);
    ifma_mb_rsa_test_fault_lane = 0;
    unsigned expect = 0;
    if (fault_lane >= 0)
        expect |= 1u << fault_lane;
    if (big_lane >= 0)
        expect |= 1u << big_lane;
    CHECK(faults == expect, "%s, RSA-%zu batch %d: fault mask 0x%x, expected 0x%x", what, 8 * k, b, faults, expect);
    for (int l = 0; l < L; l++) {
        if ((expect >> l) & 1) {
            int zero = 1;
            for (size_t i = 0; i < k; i++)
                zero &= out[l][i] == 0;
            CHECK(zero, "%s, RSA-%zu batch %d lane %d: a refused lane released a non-zero output", what, 8 * k, b, l);
            continue;
        }
        const int ok = ossl_raw_sign(pk[l], in[l], k, want);
        CHECK(ok && memcmp(out[l], want, k) == 0, "%s, RSA-%zu batch %d lane %d (input kind %d): signature != OpenSSL",
              what, 8 * k, b, l, (b + l) % 5);
    }
}

int main(int argc, char **argv)
{
    const char *cache = "/tmp/signet-ifma-keys";
    unsigned long long sd = 1;
    int batches = 3, only[8], nonly = 0, bits_only[3], nbits = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--cache") && i + 1 < argc)
            cache = argv[++i];
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            sd = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--batches") && i + 1 < argc)
            batches = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--backend") && i + 1 < argc && nonly < 8)
            only[nonly++] = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--bits") && i + 1 < argc && nbits < 3)
            bits_only[nbits++] = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [--cache DIR] [--seed S] [--batches B] [--backend B]... [--bits N]...\n",
                    argv[0]);
            return 64;
        }
    }
    if (nonly == 0) {
        static const int all[] = {0, 3, 1, 2};
        for (int i = 0; i < 4; i++)
            only[nonly++] = all[i];
    }
    if (nbits == 0) {
        bits_only[nbits++] = 2048;
        bits_only[nbits++] = 3072;
        bits_only[nbits++] = 4096;
    }
    g_x = sd * 0x9E3779B97F4A7C15ull + 1;
    mkdir(cache, 0700);
    printf("test_mb_rsa: seed %llu, %d batches per size and backend, keys from %s\n", sd, batches, cache);
    ifma_mb_rsa *ctx = aligned_alloc(64, (sizeof(ifma_mb_rsa) + 63) / 64 * 64);
    static uint8_t rnd[IFMA_MB_LMAX * 512];
    if (ctx == NULL)
        return 2;
    for (int bi = 0; bi < nonly; bi++) {
        const ifma_mb_backend *be = ifma_mb_backend_get(only[bi]);
        if (be == NULL) {
            printf("  backend %d: NOT RUN (not available on this CPU/build)\n", only[bi]);
            continue;
        }
        const int L = be->lanes;
        const unsigned long c0 = g_checks, f0 = g_fail;
        for (int si = 0; si < nbits; si++) {
            const int bits = bits_only[si];
            const size_t k = (size_t)bits / 8;
            EVP_PKEY *pk[IFMA_MB_LMAX];
            raw_key rk[IFMA_MB_LMAX];
            ifma_mb_rsa_lane_params lp[IFMA_MB_LMAX];
            for (int l = 0; l < L; l++) {
                pk[l] = get_key(cache, bits, l); /* a different key per lane; lane 4 has e = 3 */
                if (pk[l] == NULL || !raw_from_pkey(pk[l], &rk[l])) {
                    fprintf(stderr, "test_mb_rsa: no key\n");
                    return 2;
                }
                const ifma_mb_rsa_lane_params p = {rk[l].n,  rk[l].e,   rk[l].p,   rk[l].q,  rk[l].dp,
                                                   rk[l].dq, rk[l].qi,  rk[l].nl,  rk[l].el, rk[l].pl,
                                                   rk[l].ql, rk[l].dpl, rk[l].dql, rk[l].qil};
                lp[l] = p;
            }
            int rc = ifma_mb_rsa_init(ctx, only[bi], bits, lp, L);
            CHECK(rc == 0, "backend %d RSA-%d: init %d", only[bi], bits, rc);
            if (rc != 0)
                continue;
            RAND_bytes(rnd, (int)((size_t)L * k));
            rc = ifma_mb_rsa_blind(ctx, rnd, (size_t)L * k);
            CHECK(rc == 0, "backend %d RSA-%d: blind %d", only[bi], bits, rc);
            char what[64];
            snprintf(what, sizeof what, "backend %d", only[bi]);
            for (int b = 0; b < batches; b++)
                batch(ctx, pk, rk, L, k, b, -1, -1, what);
            RAND_bytes(rnd, (int)((size_t)L * k));
            CHECK(ifma_mb_rsa_blind(ctx, rnd, (size_t)L * k) == 0, "backend %d RSA-%d: fresh blinding", only[bi], bits);
            batch(ctx, pk, rk, L, k, batches, -1, -1, what);
            batch(ctx, pk, rk, L, k, batches + 1, 2, -1, what);     /* fault in lane 2 */
            batch(ctx, pk, rk, L, k, batches + 2, -1, L - 1, what); /* last lane's input == n */
            batch(ctx, pk, rk, L, k, batches + 3, -1, -1, what);    /* and everything is normal again */
            for (int l = 0; l < L; l++)
                EVP_PKEY_free(pk[l]);
        }
        printf("  backend %d (%d lanes): %lu checks, %lu failed\n", only[bi], L, g_checks - c0, g_fail - f0);
    }
    ifma_wipe(ctx, sizeof *ctx);
    free(ctx);
    printf("test_mb_rsa: %lu checks, %lu failed (seed %llu)\n", g_checks, g_fail, sd);
    return g_fail ? 1 : 0;
}
