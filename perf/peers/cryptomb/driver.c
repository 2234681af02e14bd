/* SPDX-License-Identifier: Apache-2.0 */
/*
 * driver.c - the peer Signet's RSA engine is measured against: Intel crypto_mb (Intel Cryptography Primitives
 * Library, the PyPI wheel `ipp-crypto`), eight RSA private-key operations per call (mbx_rsa_private_crt_mb8, CRT,
 * one key per lane), private operations per second on one core for RSA-2048, -3072 and -4096.
 *
 * Per size: 8 fresh keys from OpenSSL (e = 65537), a pool of random messages below each lane's modulus, then the
 * batch call in a timed loop on a monotonic clock. Every lane of the first batch, of the last batch and of every
 * CHECK_EVERY-th batch in between is checked against OpenSSL's public operation (out^e mod n must give the message
 * back); a lane that does not, or a lane whose status is not OK, fails the run (exit 1). The checks are outside the
 * timed span. No library code is vendored: perf/peers/cryptomb/run.sh installs the wheels and builds this file.
 *
 * crypto_mb's RSA runs only on AVX-512 IFMA (with AVX512F/DQ/BW/VBMI2). Where the CPU has none the driver says so on
 * one line and exits 77 (skipped) before any key is made, so the calling scripts print "not run" instead of a
 * failure. --force goes on past that check, to exercise key generation and the key conversion here (the library has
 * no fallback: without IFMA the call raises SIGILL, caught and reported as the same skip); --selftest checks the lane
 * checker and the status decoding on OpenSSL's own private operation, a damaged lane and made-up statuses.
 *
 * Usage: driver [--force] [--selftest] [SECONDS] [SIZES]
 *   SECONDS: per size (default 3; fractions allowed). SIZES: 2048,3072,4096 (default: all three).
 * Output (stdout): a "cpu:" line, then per size
 *   cryptomb rsa2048 ops_per_s=... best_batch_ops_per_s=... batches=... seconds=... checked_lanes=...
 * Exit: 0 measured, every checked lane right; 77 skipped (no IFMA, or the library refuses RSA here); 1 a wrong lane or
 * a lane status that is not OK; 2 bad arguments or an OpenSSL failure.
 */
#define _POSIX_C_SOURCE 200809L
#include <cpuid.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <crypto_mb/cpu_features.h>
#include <crypto_mb/rsa.h>
#include <crypto_mb/status.h>
#include <crypto_mb/version.h>

#define LANES 8
#define MAX_BYTES 512   /* RSA-4096 */
#define MAX_HWORDS 32   /* 64-bit words of a 2048-bit CRT half */
#define POOL 16         /* message sets, rotated over the batches so no two neighbours sign the same input */
#define CHECK_EVERY 16  /* besides the first and the last batch */
#define EXIT_SKIP 77

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU family and model as /proc/cpuinfo shows them (CPUID leaf 1 with the extended fields). */
static void cpu_family_model(unsigned *family, unsigned *model)
{
    unsigned a = 0, b, c, d;
    __get_cpuid(1, &a, &b, &c, &d);
    unsigned fam = (a >> 8) & 0xF, mod = (a >> 4) & 0xF;
    if (fam == 0xF)
        fam += (a >> 20) & 0xFF;
    if (fam == 0x6 || fam >= 0xF)
        mod |= ((a >> 16) & 0xF) << 4;
    *family = fam;
    *model = mod;
}

/* AVX-512 IFMA usable here: the CPUID bit (leaf 7, EBX bit 21) and the OS saving the zmm state (XCR0 bits 1, 2, 5, 6
   and 7). The same test the kernel applies before it lists avx512ifma in /proc/cpuinfo. */
static int have_ifma(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) /* OSXSAVE */
        return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xE6) != 0xE6)
        return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return 0;
    return (b >> 21) & 1;
}

/* Under --force on a CPU without IFMA the library does not refuse: it runs its IFMA code and the CPU raises SIGILL
   (seen on Zen 3 with the 2026.2.0 wheel). Report that as the skip it is, on one line. */
static void on_sigill(int sig)
{
    static const char line[] = "crypto_mb: needs AVX-512 IFMA; SIGILL inside crypto_mb (--force on a CPU without it) "
                               "— NOT RUN\n";
    (void)sig;
    (void)!write(STDOUT_FILENO, line, sizeof line - 1);
    _exit(EXIT_SKIP);
}

/* One size's 8 keys, in the layout mbx_rsa_private_crt_mb8 takes: CRT values as little-endian 64-bit words. */
typedef struct {
    EVP_PKEY *pk[LANES];
    EVP_PKEY_CTX *pub[LANES]; /* raw public operation (RSA_NO_PADDING), for the checks */
    uint64_t p[LANES][MAX_HWORDS], q[LANES][MAX_HWORDS], dp[LANES][MAX_HWORDS], dq[LANES][MAX_HWORDS],
        iq[LANES][MAX_HWORDS];
    uint8_t msg[POOL][LANES][MAX_BYTES];
} keyset;

static int get_bn(EVP_PKEY *pk, const char *name, uint64_t *out, int bytes)
{
    BIGNUM *bn = NULL;
    int ok = EVP_PKEY_get_bn_param(pk, name, &bn) && BN_bn2lebinpad(bn, (unsigned char *)out, bytes) == bytes;
    BN_clear_free(bn);
    return ok;
}

/* 8 fresh keys (e = 65537) and the message pool: random, the top byte zero, so below every (full-size) modulus.
   OpenSSL's factor1/factor2 are crypto_mb's p/q, exponent1/2 its dp/dq and coefficient1 (q^-1 mod p) its iq. */
static int make_keys(keyset *ks, int bits)
{
    const int half = bits / 16, k = bits / 8;
    memset(ks, 0, sizeof *ks);
    for (int i = 0; i < LANES; i++) {
        ks->pk[i] = EVP_RSA_gen((unsigned)bits);
        if (ks->pk[i] == NULL || EVP_PKEY_get_bits(ks->pk[i]) != bits ||
            !get_bn(ks->pk[i], OSSL_PKEY_PARAM_RSA_FACTOR1, ks->p[i], half) ||
            !get_bn(ks->pk[i], OSSL_PKEY_PARAM_RSA_FACTOR2, ks->q[i], half) ||
            !get_bn(ks->pk[i], OSSL_PKEY_PARAM_RSA_EXPONENT1, ks->dp[i], half) ||
            !get_bn(ks->pk[i], OSSL_PKEY_PARAM_RSA_EXPONENT2, ks->dq[i], half) ||
            !get_bn(ks->pk[i], OSSL_PKEY_PARAM_RSA_COEFFICIENT1, ks->iq[i], half))
            return 0;
        ks->pub[i] = EVP_PKEY_CTX_new(ks->pk[i], NULL);
        if (ks->pub[i] == NULL || EVP_PKEY_encrypt_init(ks->pub[i]) <= 0 ||
            EVP_PKEY_CTX_set_rsa_padding(ks->pub[i], RSA_NO_PADDING) <= 0)
            return 0;
    }
    if (RAND_bytes(&ks->msg[0][0][0], (int)sizeof ks->msg) != 1)
        return 0;
    for (int s = 0; s < POOL; s++)
        for (int i = 0; i < LANES; i++) {
            ks->msg[s][i][0] = 0;
            memset(ks->msg[s][i] + k, 0, MAX_BYTES - (size_t)k);
        }
    return 1;
}

static void free_keys(keyset *ks)
{
    for (int i = 0; i < LANES; i++) {
        EVP_PKEY_CTX_free(ks->pub[i]);
        EVP_PKEY_free(ks->pk[i]);
    }
    OPENSSL_cleanse(ks, sizeof *ks);
}

/* Lane i is right when OpenSSL's public operation on its output gives its message back (an output >= n fails in
   OpenSSL). Returns the number of wrong lanes, printing each. */
static int check_lanes(keyset *ks, int bits, int set, uint8_t out[LANES][MAX_BYTES], long batch)
{
    const size_t k = (size_t)bits / 8;
    int wrong = 0;
    for (int i = 0; i < LANES; i++) {
        uint8_t back[MAX_BYTES];
        size_t len = k;
        if (EVP_PKEY_encrypt(ks->pub[i], back, &len, out[i], k) <= 0 || len != k ||
            memcmp(back, ks->msg[set][i], k) != 0) {
            printf("cryptomb rsa%d WRONG: batch %ld lane %d does not verify with OpenSSL's public operation\n", bits,
                   batch, i);
            wrong++;
        }
    }
    return wrong;
}

static void pointers(keyset *ks, int set, uint8_t out[LANES][MAX_BYTES], const int8u *from[LANES], int8u *to[LANES],
                     const int64u *p[LANES], const int64u *q[LANES], const int64u *dp[LANES], const int64u *dq[LANES],
                     const int64u *iq[LANES])
{
    for (int i = 0; i < LANES; i++) {
        from[i] = ks->msg[set][i];
        to[i] = out[i];
        p[i] = (const int64u *)ks->p[i];
        q[i] = (const int64u *)ks->q[i];
        dp[i] = (const int64u *)ks->dp[i];
        dq[i] = (const int64u *)ks->dq[i];
        iq[i] = (const int64u *)ks->iq[i];
    }
}

static const char *status_name(unsigned s)
{
    switch (s) {
    case MBX_STATUS_OK: return "OK";
    case MBX_STATUS_MISMATCH_PARAM_ERR: return "MBX_STATUS_MISMATCH_PARAM_ERR";
    case MBX_STATUS_NULL_PARAM_ERR: return "MBX_STATUS_NULL_PARAM_ERR";
    case MBX_STATUS_LOW_ORDER_ERR: return "MBX_STATUS_LOW_ORDER_ERR";
    case MBX_STATUS_SIGNATURE_ERR: return "MBX_STATUS_SIGNATURE_ERR";
    case MBX_STATUS_UNSUPPORTED_ISA_ERR: return "MBX_STATUS_UNSUPPORTED_ISA_ERR";
    default: return "unknown status";
    }
}

/* The status word holds 4 bits per lane. All lanes UNSUPPORTED_ISA: the library has no code for this CPU (skip);
   any other non-OK lane: a failure. Returns 0 (all OK), EXIT_SKIP or 1. */
static int lane_status(mbx_status st, int bits, long batch, unsigned family, unsigned model)
{
    int unsupported = 0, bad = 0;
    for (int i = 0; i < LANES; i++) {
        unsigned s = MBX_GET_STS(st, i);
        if (s == MBX_STATUS_UNSUPPORTED_ISA_ERR)
            unsupported++;
        else if (s != MBX_STATUS_OK) {
            printf("cryptomb rsa%d FAILED: batch %ld lane %d status %u (%s)\n", bits, batch, i, s, status_name(s));
            bad++;
        }
    }
    if (unsupported == LANES) {
        printf("crypto_mb: needs AVX-512 IFMA; this CPU (family %u model %u) has none — NOT RUN "
               "(mbx_rsa_private_crt_mb8 returned %s on every lane)\n", family, model,
               status_name(MBX_STATUS_UNSUPPORTED_ISA_ERR));
        return EXIT_SKIP;
    }
    if (unsupported > 0)
        printf("cryptomb rsa%d FAILED: batch %ld: %d lanes unsupported, %d not\n", bits, batch, unsupported,
               LANES - unsupported);
    return unsupported || bad ? 1 : 0;
}

/* One size: returns 0, EXIT_SKIP, 1 or 2 (see the header). */
static int run_size(int bits, double secs, unsigned family, unsigned model)
{
    static keyset ks;
    static uint8_t out[LANES][MAX_BYTES];
    const mbx_RSA_Method *m = mbx_RSA_private_crt_Method(bits);
    if (m == NULL) {
        printf("cryptomb rsa%d FAILED: mbx_RSA_private_crt_Method(%d) returned NULL\n", bits, bits);
        return 1;
    }
    const int bufsize = mbx_RSA_Method_BufSize(m);
    int8u *buffer = aligned_alloc(64, ((size_t)bufsize + 63) / 64 * 64);
    if (buffer == NULL)
        return 2;
    const double tk = now();
    if (!make_keys(&ks, bits)) {
        printf("cryptomb rsa%d FAILED: OpenSSL key generation\n", bits);
        free(buffer);
        return 2;
    }
    fprintf(stderr, "crypto_mb: 8 fresh RSA-%d keys in %.1f s\n", bits, now() - tk);
    const int8u *from[LANES];
    int8u *to[LANES];
    const int64u *p[LANES], *q[LANES], *dp[LANES], *dq[LANES], *iq[LANES];
    long batches = 0, checked = 0;
    int rc = 0, last_checked = 0;
    double busy = 0, best = 1e30;
    const double t0 = now();
    do {
        const int set = (int)(batches % POOL);
        pointers(&ks, set, out, from, to, p, q, dp, dq, iq);
        const double s0 = now();
        const mbx_status st = mbx_rsa_private_crt_mb8(from, to, p, q, dp, dq, iq, bits, m, buffer);
        const double dt = now() - s0;
        busy += dt;
        if (dt < best)
            best = dt;
        last_checked = batches == 0 || batches % CHECK_EVERY == 0;
        if (st != MBX_STATUS_OK && (rc = lane_status(st, bits, batches, family, model)) != 0)
            break;
        if (last_checked) {
            checked += LANES;
            if (check_lanes(&ks, bits, set, out, batches) != 0) {
                rc = 1;
                break;
            }
        }
        batches++;
    } while (now() - t0 < secs);
    /* the last batch, if the sample missed it: its outputs are still in `out` */
    if (rc == 0 && !last_checked) {
        checked += LANES;
        if (check_lanes(&ks, bits, (int)((batches - 1) % POOL), out, batches - 1) != 0)
            rc = 1;
    }
    if (rc == 0)
        printf("cryptomb rsa%d ops_per_s=%.1f best_batch_ops_per_s=%.1f batches=%ld seconds=%.3f checked_lanes=%ld\n",
               bits, LANES * batches / busy, LANES / best, batches, busy, checked);
    fflush(stdout);
    free_keys(&ks);
    free(buffer);
    return rc;
}

/* The checker checked: OpenSSL's own raw private operation in every lane must pass, and one damaged lane must fail
   (alone). Runs without crypto_mb, so it runs on any CPU. */
static int selftest(int bits)
{
    static keyset ks;
    static uint8_t out[LANES][MAX_BYTES];
    const size_t k = (size_t)bits / 8;
    if (!make_keys(&ks, bits))
        return 2;
    for (int i = 0; i < LANES; i++) {
        EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(ks.pk[i], NULL);
        size_t len = k;
        if (c == NULL || EVP_PKEY_sign_init(c) <= 0 || EVP_PKEY_CTX_set_rsa_padding(c, RSA_NO_PADDING) <= 0 ||
            EVP_PKEY_sign(c, out[i], &len, ks.msg[3][i], k) <= 0 || len != k)
            return 2;
        EVP_PKEY_CTX_free(c);
    }
    int good = check_lanes(&ks, bits, 3, out, 0);
    out[5][k / 2] ^= 0x10;
    printf("(the next line must report batch 1 lane 5)\n");
    int damaged = check_lanes(&ks, bits, 3, out, 1);
    /* the status decoding too: lane 2 MISMATCH_PARAM, the rest OK must fail; all UNSUPPORTED_ISA must skip */
    mbx_status st = MBX_SET_STS(MBX_STATUS_OK, 2, MBX_STATUS_MISMATCH_PARAM_ERR);
    printf("(the next line must report batch 2 lane 2 MBX_STATUS_MISMATCH_PARAM_ERR)\n");
    int s1 = lane_status(st, bits, 2, 0, 0);
    printf("(the next line must be the skip line, for family 0 model 0)\n");
    int s2 = lane_status(MBX_SET_STS_ALL(MBX_STATUS_UNSUPPORTED_ISA_ERR), bits, 3, 0, 0);
    free_keys(&ks);
    const int ok = good == 0 && damaged == 1 && s1 == 1 && s2 == EXIT_SKIP;
    printf("cryptomb selftest rsa%d: %s (right lanes wrong: %d; damaged lanes caught: %d of 1; statuses: %d %d)\n",
           bits, ok ? "ok" : "FAILED", good, damaged, s1, s2);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    int force = 0, self = 0, nsizes = 0, sizes[3];
    double secs = 3;
    const char *list = "2048,3072,4096";
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--force"))
            force = 1;
        else if (!strcmp(argv[a], "--selftest"))
            self = 1;
        else if (strchr(argv[a], ','))
            list = argv[a];
        else if (atoi(argv[a]) >= 1024)
            list = argv[a];
        else if ((secs = atof(argv[a])) <= 0) {
            fprintf(stderr, "usage: driver [--force] [--selftest] [SECONDS] [SIZES: 2048,3072,4096]\n");
            return 2;
        }
    }
    for (const char *s = list; *s && nsizes < 3; s += strcspn(s, ","), s += *s == ',') {
        int b = atoi(s);
        if (b != 2048 && b != 3072 && b != 4096) {
            fprintf(stderr, "driver: size %d: only 2048, 3072 and 4096\n", b);
            return 2;
        }
        sizes[nsizes++] = b;
    }
    unsigned family, model;
    cpu_family_model(&family, &model);
    const int ifma = have_ifma();
    const mbxVersion *v = mbx_getversion();
    printf("cpu: family %u model %u; avx512ifma %s; %s; %s; %d lanes per call\n", family, model, ifma ? "yes" : "no",
           v != NULL ? v->strVersion : "crypto_mb (version unknown)", OpenSSL_version(OPENSSL_VERSION), LANES);
    fflush(stdout);
    if (self) {
        int rc = 0;
        for (int i = 0; i < nsizes && rc == 0; i++)
            rc = selftest(sizes[i]);
        return rc;
    }
    if (!ifma && !force) {
        printf("crypto_mb: needs AVX-512 IFMA; this CPU (family %u model %u) has none — NOT RUN\n", family, model);
        return EXIT_SKIP;
    }
    if (force) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigill;
        sigaction(SIGILL, &sa, NULL);
    }
    for (int i = 0; i < nsizes; i++) {
        /* the library's own view of this CPU (it also wants AVX512F/DQ/BW/VBMI2 besides IFMA) */
        static const enum MBX_ALGO algo[] = {MBX_ALGO_RSA_2K, MBX_ALGO_RSA_3K, MBX_ALGO_RSA_4K};
        const MBX_ALGO_INFO info = mbx_get_algo_info(algo[(sizes[i] - 2048) / 1024]);
        if (!(info & MBX_WIDTH_MB8) && !force) {
            printf("crypto_mb: the library reports RSA-%d unsupported on this CPU (family %u model %u; features "
                   "0x%llx) — NOT RUN\n", sizes[i], family, model, (unsigned long long)mbx_get_cpu_features());
            return EXIT_SKIP;
        }
        const int rc = run_size(sizes[i], secs, family, model);
        if (rc != 0)
            return rc;
    }
    return 0;
}
