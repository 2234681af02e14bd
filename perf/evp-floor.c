/* SPDX-License-Identifier: Apache-2.0
 * The raw OpenSSL 3 EVP floor, as a C program would do it: one fresh EVP_MD_CTX per operation,
 * EVP_DigestSignInit_ex/EVP_DigestSign (and Verify) over the same ~700-byte signing input a client assertion has.
 * Usage: evp-floor SECONDS   prints one JSON line per (alg, bits). Built by perf/compare.sh. */
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run(const char *alg, const char *md, unsigned bits, double seconds) {
    EVP_PKEY *key = EVP_RSA_gen(bits);
    if (!key) { fprintf(stderr, "keygen failed\n"); exit(1); }
    unsigned char msg[700];
    for (int i = 0; i < (int)sizeof msg; i++) msg[i] = (unsigned char)('A' + i % 26);
    unsigned char sig[1024];
    size_t siglen = sizeof sig;
    long n = 0;
    double start = now(), t;
    do {
        for (int k = 0; k < 4; k++) {
            EVP_MD_CTX *ctx = EVP_MD_CTX_new();
            siglen = sizeof sig;
            if (EVP_DigestSignInit_ex(ctx, NULL, md, NULL, NULL, key, NULL) != 1 ||
                EVP_DigestSign(ctx, sig, &siglen, msg, sizeof msg) != 1) { fprintf(stderr, "sign failed\n"); exit(1); }
            EVP_MD_CTX_free(ctx);
        }
        n += 4;
    } while ((t = now()) - start < seconds);
    double signRate = n / (t - start);
    n = 0;
    start = now();
    do {
        for (int k = 0; k < 16; k++) {
            EVP_MD_CTX *ctx = EVP_MD_CTX_new();
            if (EVP_DigestVerifyInit_ex(ctx, NULL, md, NULL, NULL, key, NULL) != 1 ||
                EVP_DigestVerify(ctx, sig, siglen, msg, sizeof msg) != 1) { fprintf(stderr, "verify failed\n"); exit(1); }
            EVP_MD_CTX_free(ctx);
        }
        n += 16;
    } while ((t = now()) - start < seconds);
    double verifyRate = n / (t - start);
    printf("{\"alg\":\"%s\",\"bits\":%u,\"signPerSecond\":%.1f,\"verifyPerSecond\":%.1f}\n", alg, bits, signRate, verifyRate);
    EVP_PKEY_free(key);
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    run("RS256", "SHA256", 2048, seconds);
    run("RS512", "SHA512", 4096, seconds);
    return 0;
}
