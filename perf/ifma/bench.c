/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench.c - private operations per second, side by side in one run: every engine backend available here and
 * OpenSSL's own raw RSA private operation (EVP_PKEY_sign, RSA_NO_PADDING, with its blinding), RSA-2048, -3072 and -4096.
 * Also the time of the work around the kernel (everything but the exponentiation), with both row kernels of the
 * mod-n arithmetic: a private operation costs that plus the kernel's time. And the kernel alone per backend, with
 * its IFMA instruction count (from the loop structure) per cycle at the estimated core clock: the figure that says
 * whether the kernel is bound by IFMA throughput or by the latency of its serial chains (issue 9, item 5). And the
 * public-key operation (verify, e = 65537): OpenSSL's, the engine's vector one per backend, and the portable scalar
 * one (time_public).
 * Run: perf/ifma/bench.sh [seconds per measurement]. On an IFMA CPU this is the measurement that picks the width.
 */
#define _POSIX_C_SOURCE 200809L
#include <openssl/rand.h>
#include <stdlib.h>

#include "ifma_test_api.h"
#include "signet_ifma.h"
#include "clock.h"
#include "testkeys.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of n samples (sorts them). */
static double median(double *samples, int n)
{
    qsort(samples, (size_t)n, sizeof samples[0], cmp_double);
    return samples[n / 2];
}

/*
 * Vector IFMA instructions (vpmadd52luq + vpmadd52huq) of one dual exponentiation of two hbits-bit halves, counted
 * from the kernel's loops (ifma_kernel.h) for N limbs and L lanes: amm2 = 2 halves x (K_V for lo(a b_0), 2 K_V for
 * the u_i, N limbs x 4 K_V); redc2 = 2 x N x 2 K_V. The exponentiation (squarings are amm2 too): input redc2 +
 * amm2, a 32-entry table (30 amm2), then per 5-bit window after the first 6 amm2, and one amm2 out of the
 * Montgomery domain.
 */
static double ifma_instructions(int hbits, int L)
{
    const int N = hbits == 1024 ? 20 : hbits == 1536 ? 30 : 40, NP = (N + L - 1) / L * L, KV = NP / L;
    const double amm2 = 2.0 * (3 * KV + N * 4 * KV), redc2 = 2.0 * N * 2 * KV;
    const int nwin = (hbits + 4) / 5;
    return redc2 + (1 + 30 + 6.0 * (nwin - 1) + 1) * amm2;
}

/* The dual exponentiation alone (test entry, random bases and full-size random exponents): median seconds. */
static double time_kernel(int backend, int hbits, const raw_key *rk, double secs)
{
    const size_t hw = (size_t)hbits / 64;
    uint64_t m[2][32], x[2][64], e[2][32], r[2][32];
    words_from_bytes(m[0], 32, rk->p, rk->pl);
    words_from_bytes(m[1], 32, rk->q, rk->ql);
    ifma_test_ctx *ctx = signet_ifma_test_ctx_new(backend, (unsigned)hbits, m[0], m[1]);
    if (ctx == NULL)
        return 0;
    static double samples[1 << 14];
    int n = 0;
    double t0 = now();
    do {
        RAND_bytes((uint8_t *)x, sizeof x);
        RAND_bytes((uint8_t *)e, sizeof e);
        for (int h = 0; h < 2; h++) {
            memset(x[h] + 2 * hw, 0, sizeof x[h] - 2 * hw * 8);
            x[h][2 * hw - 1] &= 0x7FFFFFFFFFFFFFFFull;
            memset(e[h] + hw, 0, sizeof e[h] - hw * 8);
        }
        double s0 = now();
        signet_ifma_test_ctx_exp(ctx, x[0], x[1], e[0], e[1], r[0], r[1]);
        samples[n++] = now() - s0;
    } while (now() - t0 < secs && n < (int)(sizeof samples / sizeof samples[0]));
    signet_ifma_test_ctx_free(ctx);
    return median(samples, n);
}

/* Vector IFMA instructions of one public-key operation with e = 65537 on an nbits-bit modulus (N limbs, L lanes):
   amm1 = 3 K_V + N x 4 K_V (see ifma_instructions); pub_exp = conversion (amm1) + 16 squarings and 1 multiplication
   (amm1 each) + conversion out (amm1). */
static double ifma_instructions_public(int nbits, int L)
{
    const int N = nbits == 2048 ? 40 : nbits == 3072 ? 60 : 80, NP = (N + L - 1) / L * L, KV = NP / L;
    return 19.0 * (3 * KV + (double)N * 4 * KV);
}

/* Median seconds of `op` over `secs` seconds; -1 if it fails (returns non-zero) or gives another result than `want`. */
typedef int (*public_op)(void *ctx, const uint8_t *in, uint8_t *out);
static double time_public_op(public_op op, void *ctx, const uint8_t *in, uint8_t *out, const uint8_t *want, size_t k,
                             double secs)
{
    static double samples[1 << 16];
    int n = 0;
    double t0 = now();
    do {
        double s0 = now();
        if (op(ctx, in, out) != 0)
            return -1;
        samples[n++] = now() - s0;
    } while (now() - t0 < secs && n < (int)(sizeof samples / sizeof samples[0]));
    return want == NULL || memcmp(out, want, k) == 0 ? median(samples, n) : -1;
}

typedef struct {
    EVP_PKEY_CTX *ctx;
    size_t k;
} ossl_public;
static int op_ossl(void *c, const uint8_t *in, uint8_t *out)
{
    ossl_public *o = c;
    size_t len = o->k;
    return EVP_PKEY_encrypt(o->ctx, out, &len, in, o->k) > 0 && len == o->k ? 0 : 1;
}
static int op_engine(void *c, const uint8_t *in, uint8_t *out)
{
    const size_t k = signet_rsa_public_engine_size(c);
    return signet_rsa_public_engine_op(c, in, k, out, k);
}
static int op_scalar(void *c, const uint8_t *in, uint8_t *out) { return signet_ifma_test_public_scalar(c, in, out); }

/* The public-key operation (verification; verify-after-sign), per operation, side by side: OpenSSL's raw public
   operation (EVP_PKEY_encrypt with RSA_NO_PADDING on one reused context: BN_mod_exp_mont), the engine's vector
   operation per backend (with its IFMA instructions per cycle), and the portable scalar arithmetic that the
   engine's verify-after-sign used before. Every result is checked against OpenSSL's. */
static void time_public(EVP_PKEY *pk, const raw_key *rk, int bits, double secs, double ghz)
{
    const size_t k = (size_t)bits / 8;
    uint8_t in[512], out[512], want[512];
    RAND_bytes(in, (int)k);
    in[0] = 0;
    ossl_public o = {EVP_PKEY_CTX_new(pk, NULL), k};
    if (o.ctx == NULL || EVP_PKEY_encrypt_init(o.ctx) <= 0 || EVP_PKEY_CTX_set_rsa_padding(o.ctx, RSA_NO_PADDING) <= 0 ||
        op_ossl(&o, in, want) != 0) {
        printf("RSA-%d  public op: OpenSSL failed\n", bits);
        EVP_PKEY_CTX_free(o.ctx);
        return;
    }
    const double tossl = time_public_op(op_ossl, &o, in, out, want, k, secs);
    printf("RSA-%d  public op, OpenSSL EVP_PKEY_encrypt (raw)          %8.1f us\n", bits, tossl * 1e6);
    EVP_PKEY_CTX_free(o.ctx);
    static const int ids[] = {1, 2, 0, 3}, lanes[] = {4, 8, 4, 8};
    static const char *names[] = {"native 256-bit", "native 512-bit", "emulated 4-lane", "emulated 8-lane"};
    for (int b = 0; b < 4; b++) {
        int err;
        signet_rsa_public_engine *key = signet_rsa_public_engine_new(rk->n, rk->nl, rk->e, rk->el, ids[b], &err);
        if (key == NULL) {
            printf("RSA-%d  public op, engine backend %d (%-16s) not available (error %d)\n", bits, ids[b], names[b],
                   err);
            continue;
        }
        const double t = time_public_op(op_engine, key, in, out, want, k, secs);
        printf("RSA-%d  public op, engine backend %d (%-16s) %8.1f us (%.2f x OpenSSL's rate); %.0f k IFMA "
               "instructions", bits, ids[b], names[b], t * 1e6, tossl / t, ifma_instructions_public(bits, lanes[b]) / 1e3);
        if (ghz > 0 && t > 0)
            printf(", %.2f per cycle%s", ifma_instructions_public(bits, lanes[b]) / (t * ghz * 1e9),
                   ids[b] == 0 || ids[b] == 3 ? " (emulated: not IFMA)" : "");
        printf("%s\n", t < 0 ? " - WRONG RESULT" : "");
        if (b == 2) {
            for (int row = 0; row < 2; row++) {
                if (!signet_ifma_test_row(row))
                    continue;
                const double ts = time_public_op(op_scalar, key, in, out, want, k, secs);
                printf("RSA-%d  public op, portable mod-n arithmetic (%-10s row) %8.1f us (%.2f x OpenSSL's rate)%s\n",
                       bits, row ? "MULX/ADX" : "portable C", ts * 1e6, tossl / ts, ts < 0 ? " - WRONG RESULT" : "");
            }
            signet_ifma_test_row(1);
        }
        signet_rsa_public_engine_free(key);
    }
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 1.0;
    const char *cache = argc > 2 ? argv[2] : "/tmp/signet-ifma-keys";
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256], fam[64] = "?", model[64] = "?", name[128] = "?";
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (!strncmp(line, "cpu family", 10)) sscanf(line, "cpu family : %63s", fam);
        else if (!strncmp(line, "model name", 10)) sscanf(line, "model name : %127[^\n]", name);
        else if (!strncmp(line, "model", 5) && model[0] == '?') sscanf(line, "model : %63s", model);
    }
    if (f != NULL) fclose(f);
    printf("CPU: %s (family %s, model %s); signet_ifma_support() = %d; %s\n", name, fam, model, signet_ifma_support(),
           OpenSSL_version(OPENSSL_VERSION));
    const double ghz = ghz_estimate();
    printf("core clock estimate (dependent ADD chain): %.2f GHz\n", ghz);
    for (int bits = 2048; bits <= 4096; bits += 1024) {
        const size_t k = (size_t)bits / 8;
        EVP_PKEY *pk = get_key(cache, bits, 0);
        raw_key rk;
        if (pk == NULL || !raw_from_pkey(pk, &rk))
            return 2;
        uint8_t in[512], out[512], fresh[512];
        RAND_bytes(in, (int)k);
        in[0] = 0;
        int n = 0;
        double t0 = now(), t;
        do {
            ossl_raw_sign(pk, in, k, out);
            n++;
        } while ((t = now() - t0) < secs);
        printf("RSA-%d  %-36s %8.1f ops/s\n", bits, "OpenSSL EVP_PKEY_sign (raw, blinded)", n / t);
        static const int ids[] = {1, 2, 0, 3};
        static const char *names[] = {"native 256-bit", "native 512-bit", "emulated 4-lane", "emulated 8-lane"};
        for (int b = 0; b < 4; b++) {
            int err;
            signet_rsa_engine_key *key = load_raw(&rk, ids[b], &err);
            if (key == NULL) {
                printf("RSA-%d  engine backend %d (%-16s)       not available (error %d)\n", bits, ids[b], names[b],
                       err);
                continue;
            }
            RAND_bytes(fresh, (int)k);
            signet_rsa_blinding *bl = signet_rsa_blinding_new(key, fresh, k, &err);
            n = 0;
            t0 = now();
            do {
                RAND_bytes(fresh, (int)k);
                if (signet_rsa_engine_private(key, bl, in, out, fresh, k) != 0)
                    return 1;
                n++;
            } while ((t = now() - t0) < secs);
            printf("RSA-%d  engine backend %d (%-16s)       %8.1f ops/s\n", bits, ids[b], names[b], n / t);
            signet_rsa_blinding_free(bl);
            signet_rsa_engine_key_free(key);
        }
        /* The work around the kernel (blinding, conversions, Garner, unblinding, verify-after-sign, wipes), timed by
           skipping the exponentiation (test hook; the operation then fails its verify, after doing all the work),
           with each row kernel of the mod-n arithmetic. Backend-independent: the kernel is the only vector code. */
        /* The verify-after-sign inside runs on the backend's vector public-key operation: a native backend where
           there is one, else emulated (then this line includes emulated lanes: see the public-op lines). */
        int err, around = signet_ifma_test_lanes(1) ? 1 : signet_ifma_test_lanes(2) ? 2 : 0;
        signet_rsa_engine_key *key = load_raw(&rk, around, &err);
        RAND_bytes(fresh, (int)k);
        signet_rsa_blinding *bl = key != NULL ? signet_rsa_blinding_new(key, fresh, k, &err) : NULL;
        for (int row = 0; row < 2 && bl != NULL; row++) {
            if (!signet_ifma_test_row(row))
                continue;
            signet_ifma_test_fault = 4;
            static double samples[1 << 16];
            n = 0;
            t0 = now();
            do {
                RAND_bytes(fresh, (int)k);
                double s0 = now();
                signet_rsa_engine_private(key, bl, in, out, fresh, k); /* fails (on purpose) after all its work */
                samples[n++] = now() - s0;
            } while ((t = now() - t0) < secs && n < (int)(sizeof samples / sizeof samples[0]));
            signet_ifma_test_fault = 0;
            const double med = median(samples, n);
            /* the median leaves out the blinding regeneration (every 32nd call: one more kernel run, here emulated) */
            printf("RSA-%d  work around the kernel (%-10s row, backend %d) %8.1f us per operation (median of %d)\n",
                   bits, row ? "MULX/ADX" : "portable C", around, med * 1e6, n);
        }
        signet_ifma_test_row(1);
        signet_rsa_blinding_free(bl);
        signet_rsa_engine_key_free(key);
        /* Which bound holds the kernel: its IFMA instructions per cycle against the CPU's IFMA throughput (e.g. 2
           ymm or 1 zmm per cycle where 512-bit operations are split in two). Far below it: the serial chain per
           limb (latency) dominates; near it: throughput. Emulated backends: C instead of IFMA, for reference. */
        for (int b = 0; b < 4; b++) {
            static const int ids[] = {1, 2, 0, 3}, lanes[] = {4, 8, 4, 8};
            if (signet_ifma_test_lanes(ids[b]) == 0)
                continue;
            double t1 = time_kernel(ids[b], bits / 2, &rk, secs);
            double ifma = ifma_instructions(bits / 2, lanes[b]);
            printf("RSA-%d  kernel alone, backend %d: %8.1f us per dual %d-bit exponentiation; %.0f k IFMA "
                   "instructions", bits, ids[b], t1 * 1e6, bits / 2, ifma / 1e3);
            if (ghz > 0)
                printf(", %.2f per cycle at %.2f GHz%s", ifma / (t1 * ghz * 1e9), ghz,
                       ids[b] == 0 || ids[b] == 3 ? " (emulated: not IFMA)" : "");
            printf("\n");
        }
        time_public(pk, &rk, bits, secs, ghz);
        EVP_PKEY_free(pk);
    }
    return 0;
}
