/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench.c - private operations per second, side by side in one run: every engine backend available here and
 * OpenSSL's own raw RSA private operation (EVP_PKEY_sign, RSA_NO_PADDING, with its blinding), RSA-2048 and -4096.
 * Also the time of the work around the kernel (everything but the exponentiation), with both row kernels of the
 * mod-n arithmetic: a private operation costs that plus the kernel's time.
 * Run: perf/ifma/bench.sh [seconds per measurement]. On an IFMA CPU this is the measurement that picks the width.
 */
#define _POSIX_C_SOURCE 200809L
#include <openssl/rand.h>
#include <stdlib.h>
#include <time.h>

#include "ifma_test_api.h"
#include "signet_ifma.h"
#include "testkeys.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
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
    for (int bits = 2048; bits <= 4096; bits *= 2) {
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
        int err;
        signet_rsa_engine_key *key = load_raw(&rk, SIGNET_IFMA_BACKEND_EMULATED, &err);
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
            qsort(samples, (size_t)n, sizeof samples[0], cmp_double);
            /* the median leaves out the blinding regeneration (every 32nd call: one more kernel run, here emulated) */
            printf("RSA-%d  work around the kernel (%-10s row)      %8.1f us per operation (median of %d)\n", bits,
                   row ? "MULX/ADX" : "portable C", samples[n / 2] * 1e6, n);
        }
        signet_ifma_test_row(1);
        signet_rsa_blinding_free(bl);
        signet_rsa_engine_key_free(key);
        EVP_PKEY_free(pk);
    }
    return 0;
}
