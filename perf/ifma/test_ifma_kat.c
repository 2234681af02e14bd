/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ifma_kat.c - known-answer test of Sources/CSignetIFMA through its public API only (signet_ifma.h), with no
 * GMP and no OpenSSL, so that it links against the production objects (no -DSIGNET_IFMA_TESTING) on any
 * architecture: perf/ccheck.sh runs it natively and as a static aarch64 binary under qemu-user.
 *
 * Input (--vectors FILE): `perf/ifma/wycheproof_to_txt.py --em` of the rsa_pkcs1_{2048,3072,4096}_sig_gen files,
 * K lines (the CRT key) followed by M lines (the PKCS#1 v1.5 encoding EM and the expected signature). For every
 * backend asked for (default: the two emulated ones, plus the native ones where signet_ifma_support() reports IFMA):
 *   - each balanced key loads, each unbalanced one is refused as SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE;
 *   - signet_rsa_engine_private(EM) is the expected signature byte for byte, on one blinding per key, and the first
 *     key's vectors repeat until 34 calls have gone through one blinding (the pair is regenerated every 32 calls);
 *   - signet_rsa_public_engine_op(signature) is EM again; a signature >= n is refused as SIGNET_IFMA_ERR_INPUT_RANGE.
 * --per-group N runs only the first N vectors of each group (the 34-call run repeats them): for slow emulation.
 * Also: signet_ifma_support() must be 0 off x86-64, and the native backends must be refused (SIGNET_IFMA_ERR_BACKEND)
 * wherever it reports no IFMA - the contract the Swift side relies on to fall back to OpenSSL.
 *
 * Prints "test_ifma_kat: N passed, M failed" last; exits 1 on any failure, 2 on a usage or input error.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../ctest.h"
#include "signet_ifma.h"


static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Blinding randomness: any bytes do for a known-answer test (the result does not depend on r). */
static uint64_t g_rng = 0x5157A3C1D2E4F607ull;
static void rnd_bytes(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t z = (g_rng += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        p[i] = (uint8_t)(z ^ (z >> 31));
    }
}

/* Hex into out (an odd digit count has an implicit leading zero); the length, or (size_t)-1 if it does not fit. */

typedef struct {
    uint8_t n[512], e[8], p[256], q[256], dp[256], dq[256], qi[256];
    size_t nl, el, pl, ql, dpl, dql, qil;
} raw_key;

typedef struct {
    uint8_t em[512], sig[512];
    char id[16];
} vector;

typedef struct {
    raw_key key;
    vector *v;
    size_t count;
} group;

static group *g_groups;
static size_t g_ngroups;
static size_t g_per_group = (size_t)-1; /* --per-group: vectors run per key group (the 34-call run aside) */

static int load(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        return 0;
    }
    static char line[1 << 14];
    int ok = 1;
    while (ok && fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = 0;
        char *tok[9];
        int nt = 0;
        for (char *s = strtok(line, " "); s != NULL && nt < 9; s = strtok(NULL, " "))
            tok[nt++] = s;
        if (nt == 9 && !strcmp(tok[0], "K")) {
            group *g = realloc(g_groups, (g_ngroups + 1) * sizeof *g);
            if (g == NULL)
                exit(2);
            g_groups = g;
            g = &g_groups[g_ngroups++];
            memset(g, 0, sizeof *g);
            raw_key *k = &g->key;
            size_t *lens[7] = {&k->nl, &k->el, &k->pl, &k->ql, &k->dpl, &k->dql, &k->qil};
            uint8_t *bufs[7] = {k->n, k->e, k->p, k->q, k->dp, k->dq, k->qi};
            size_t caps[7] = {sizeof k->n, sizeof k->e, sizeof k->p, sizeof k->q, sizeof k->dp, sizeof k->dq,
                              sizeof k->qi};
            for (int i = 0; i < 7; i++) {
                *lens[i] = ctest_unhex(bufs[i], tok[2 + i], caps[i]);
                ok &= *lens[i] != 0; /* no key field is empty, and 0 is also what an overlong one gives */
            }
        } else if (nt == 4 && !strcmp(tok[0], "M") && g_ngroups > 0) {
            group *g = &g_groups[g_ngroups - 1];
            vector *v = realloc(g->v, (g->count + 1) * sizeof *v);
            if (v == NULL)
                exit(2);
            g->v = v;
            v = &g->v[g->count++];
            snprintf(v->id, sizeof v->id, "%s", tok[1]);
            ok &= ctest_unhex(v->em, tok[2], sizeof v->em) == g->key.nl && ctest_unhex(v->sig, tok[3], sizeof v->sig) == g->key.nl;
        } else {
            ok = 0;
        }
    }
    fclose(f);
    if (!ok)
        fprintf(stderr, "%s: malformed (write it with perf/ifma/wycheproof_to_txt.py --em)\n", path);
    return ok;
}

static void run_backend(int backend)
{
    const double t0 = now();
    unsigned long priv = 0, pub = 0, refused = 0, fail0 = g_failed;
    int longest = 0;
    uint8_t got[512], fresh[512], big[512];
    for (size_t gi = 0; gi < g_ngroups; gi++) {
        const group *g = &g_groups[gi];
        const raw_key *k = &g->key;
        const signet_rsa_key_params params = {k->n, k->nl, k->e, k->el, k->p, k->pl, k->q, k->ql,
                                              k->dp, k->dpl, k->dq, k->dql, k->qi, k->qil};
        const int nbits = ctest_bitlen(k->n, k->nl);
        const int balanced = ctest_bitlen(k->p, k->pl) * 2 == nbits && ctest_bitlen(k->q, k->ql) * 2 == nbits;
        int err = -1;
        signet_rsa_engine_key *key = signet_rsa_engine_key_new(&params, backend, &err);
        if (!balanced) {
            CHECK(key == NULL && err == SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE, "backend %d: unbalanced key: err %d",
                  backend, err);
            refused++;
        } else {
            CHECK(key != NULL && err == SIGNET_IFMA_OK, "backend %d: key group %zu refused: err %d", backend, gi, err);
        }
        signet_rsa_public_engine *pe = signet_rsa_public_engine_new(k->n, k->nl, k->e, k->el, backend, &err);
        CHECK(pe != NULL && err == SIGNET_IFMA_OK, "backend %d: public key of group %zu refused: err %d", backend, gi,
              err);
        signet_rsa_blinding *bl = NULL;
        if (key != NULL) {
            CHECK(signet_rsa_engine_key_size(key) == k->nl, "key size");
            rnd_bytes(fresh, k->nl);
            bl = signet_rsa_blinding_new(key, fresh, k->nl, &err);
            CHECK(bl != NULL, "backend %d: blinding err %d", backend, err);
        }
        /* the first balanced key: at least 34 calls on one blinding (regeneration at the 33rd) */
        const size_t count = g->count < g_per_group ? g->count : g_per_group;
        const size_t calls = (bl != NULL && longest == 0 && count > 0) ? (count > 34 ? count : 34) : count;
        for (size_t c = 0; c < calls; c++) {
            const vector *v = &g->v[c % count];
            if (bl != NULL) {
                const int fresh_needed = signet_rsa_blinding_needs_random(bl);
                if (fresh_needed)
                    rnd_bytes(fresh, k->nl);
                int rc = signet_rsa_engine_private(key, bl, v->em, got, fresh_needed ? fresh : NULL,
                                                   fresh_needed ? k->nl : 0);
                CHECK(rc == SIGNET_IFMA_OK && memcmp(got, v->sig, k->nl) == 0, "backend %d: tcId %s private: rc %d",
                      backend, v->id, rc);
                priv++;
            }
            if (pe != NULL && c < count) {
                int rc = signet_rsa_public_engine_op(pe, v->sig, k->nl, got, k->nl);
                CHECK(rc == SIGNET_IFMA_OK && memcmp(got, v->em, k->nl) == 0, "backend %d: tcId %s public: rc %d",
                      backend, v->id, rc);
                pub++;
            }
        }
        if (bl != NULL && longest == 0)
            longest = (int)calls;
        if (pe != NULL) {
            memcpy(big, k->n, k->nl);
            CHECK(signet_rsa_public_engine_op(pe, big, k->nl, got, k->nl) == SIGNET_IFMA_ERR_INPUT_RANGE,
                  "backend %d: public op on n accepted", backend);
        }
        signet_rsa_blinding_free(bl);
        signet_rsa_engine_key_free(key);
        signet_rsa_public_engine_free(pe);
    }
    printf("  backend %d: %zu key groups (%lu unbalanced refused), %lu private ops byte-identical to Wycheproof (%d on "
           "one blinding), %lu public ops%s, %.1f s\n", backend, g_ngroups, refused, priv, longest, pub,
           g_failed == fail0 ? "" : " (FAILURES)", now() - t0);
}

int main(int argc, char **argv)
{
    const char *vectors = NULL;
    int only[4], nonly = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--vectors") && i + 1 < argc)
            vectors = argv[++i];
        else if (!strcmp(argv[i], "--backend") && i + 1 < argc && nonly < 4)
            only[nonly++] = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--per-group") && i + 1 < argc)
            g_per_group = (size_t)strtoul(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: %s --vectors FILE [--backend B]... [--per-group N]\n", argv[0]);
            return 2;
        }
    }
    if (vectors == NULL || !load(vectors) || g_ngroups == 0) {
        fprintf(stderr, "%s: --vectors FILE (perf/ifma/wycheproof_to_txt.py --em) is required\n", argv[0]);
        return 2;
    }
    const double t0 = now();
    const int support = signet_ifma_support();
#if defined(__x86_64__)
    const char *arch = "x86-64";
#elif defined(__aarch64__)
    const char *arch = "aarch64";
#else
    const char *arch = "other";
#endif
    printf("test_ifma_kat: %s, signet_ifma_support() = %d\n", arch, support);
#if !defined(__x86_64__)
    CHECK(support == 0, "signet_ifma_support() = %d off x86-64", support);
#endif
    /* native backends where IFMA is missing: refused, so that the Swift side keeps OpenSSL */
    const group *g0 = &g_groups[0];
    static const struct {
        int id, bit;
    } natives[2] = {{SIGNET_IFMA_BACKEND_NATIVE256, SIGNET_IFMA_SUPPORT_256},
                    {SIGNET_IFMA_BACKEND_NATIVE512, SIGNET_IFMA_SUPPORT_512}};
    for (int i = 0; i < 2; i++) {
        if (support & natives[i].bit)
            continue;
        int err = -1;
        signet_rsa_public_engine *pe =
            signet_rsa_public_engine_new(g0->key.n, g0->key.nl, g0->key.e, g0->key.el, natives[i].id, &err);
        CHECK(pe == NULL && err == SIGNET_IFMA_ERR_BACKEND, "native backend %d without IFMA: err %d", natives[i].id,
              err);
        signet_rsa_public_engine_free(pe);
        printf("  backend %d: refused here (SIGNET_IFMA_ERR_BACKEND), as it must be without IFMA\n", natives[i].id);
    }
    if (nonly == 0) {
        only[nonly++] = SIGNET_IFMA_BACKEND_EMULATED;
        only[nonly++] = SIGNET_IFMA_BACKEND_EMULATED512;
        for (int i = 0; i < 2; i++)
            if (support & natives[i].bit)
                only[nonly++] = natives[i].id;
    }
    for (int i = 0; i < nonly; i++)
        run_backend(only[i]);
    for (size_t i = 0; i < g_ngroups; i++)
        free(g_groups[i].v);
    free(g_groups);
    printf("test_ifma_kat: %lu passed, %lu failed (%.1f s)\n", g_passed, g_failed, now() - t0);
    return g_failed ? 1 : 0;
}
