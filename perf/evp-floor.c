/* SPDX-License-Identifier: Apache-2.0
 * The raw OpenSSL 3 EVP floor, as a C program would do it: one fresh EVP_MD_CTX per operation,
 * EVP_DigestSignInit_ex/EVP_DigestSign (and Verify) over the same ~700-byte signing input a client assertion has,
 * for every JWS algorithm Signet benchmarks: RS256/PS256 (RSA-2048), RS384/PS384 (RSA-3072), RS512/PS512 (RSA-4096),
 * ES256/ES384/ES512 (P-256/P-384/P-521, DER signatures as EVP returns them) and EdDSA (Ed25519, no digest).
 * PSS: RSA_PKCS1_PSS_PADDING, salt length = digest length, MGF1 with the same hash. RS and PS of one size share a key.
 * Usage: evp-floor SECONDS [ALG ...]   (ALG: names separated by spaces or commas; default: all)
 * prints one JSON line per (alg, bits). Built by perf/compare.sh. */
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum kind { RSA_PKCS1, RSA_PSS, ECDSA, EDDSA };

static const struct alg {
    const char *name, *md, *curve; /* md NULL: EdDSA (no digest); curve: the EC group or "ED25519" */
    unsigned bits;
    enum kind kind;
} algs[] = {
    {"RS256", "SHA256", NULL, 2048, RSA_PKCS1},   {"PS256", "SHA256", NULL, 2048, RSA_PSS},
    {"RS384", "SHA384", NULL, 3072, RSA_PKCS1},   {"PS384", "SHA384", NULL, 3072, RSA_PSS},
    {"RS512", "SHA512", NULL, 4096, RSA_PKCS1},   {"PS512", "SHA512", NULL, 4096, RSA_PSS},
    {"ES256", "SHA256", "P-256", 256, ECDSA},     {"ES384", "SHA384", "P-384", 384, ECDSA},
    {"ES512", "SHA512", "P-521", 521, ECDSA},     {"EdDSA", NULL, "ED25519", 256, EDDSA},
};
#define NALGS (sizeof algs / sizeof algs[0])

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One key per RSA size, EC curve or Ed25519, generated on first use. */
static EVP_PKEY *key_for(const struct alg *a) {
    static struct { unsigned bits; const char *curve; EVP_PKEY *key; } cache[NALGS];
    static size_t cached;
    for (size_t i = 0; i < cached; i++)
        if (cache[i].bits == a->bits && (cache[i].curve == a->curve ||
                                          (cache[i].curve && a->curve && !strcmp(cache[i].curve, a->curve))))
            return cache[i].key;
    EVP_PKEY *key = a->kind == ECDSA   ? EVP_EC_gen(a->curve)
                    : a->kind == EDDSA ? EVP_PKEY_Q_keygen(NULL, NULL, a->curve)
                                       : EVP_RSA_gen(a->bits);
    if (!key) { fprintf(stderr, "keygen failed (%s)\n", a->name); exit(1); }
    cache[cached].bits = a->bits;
    cache[cached].curve = a->curve;
    cache[cached++].key = key;
    return key;
}

/* PSS parameters on the context EVP_DigestSignInit_ex/EVP_DigestVerifyInit_ex set up; a no-op for the others. */
static int set_padding(const struct alg *a, EVP_PKEY_CTX *pctx) {
    if (a->kind != RSA_PSS) return 1;
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, a->md, NULL) == 1;
}

static void run(const struct alg *a, double seconds) {
    EVP_PKEY *key = key_for(a);
    unsigned char msg[700];
    for (int i = 0; i < (int)sizeof msg; i++) msg[i] = (unsigned char)('A' + i % 26);
    unsigned char sig[1024];
    size_t siglen = sizeof sig;
    long n = 0;
    double start = now(), t;
    do {
        for (int k = 0; k < 4; k++) {
            EVP_MD_CTX *ctx = EVP_MD_CTX_new();
            EVP_PKEY_CTX *pctx = NULL;
            siglen = sizeof sig;
            if (EVP_DigestSignInit_ex(ctx, &pctx, a->md, NULL, NULL, key, NULL) != 1 || !set_padding(a, pctx) ||
                EVP_DigestSign(ctx, sig, &siglen, msg, sizeof msg) != 1) {
                fprintf(stderr, "sign failed (%s)\n", a->name);
                exit(1);
            }
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
            EVP_PKEY_CTX *pctx = NULL;
            if (EVP_DigestVerifyInit_ex(ctx, &pctx, a->md, NULL, NULL, key, NULL) != 1 || !set_padding(a, pctx) ||
                EVP_DigestVerify(ctx, sig, siglen, msg, sizeof msg) != 1) {
                fprintf(stderr, "verify failed (%s)\n", a->name);
                exit(1);
            }
            EVP_MD_CTX_free(ctx);
        }
        n += 16;
    } while ((t = now()) - start < seconds);
    double verifyRate = n / (t - start);
    printf("{\"alg\":\"%s\",\"bits\":%u,\"signPerSecond\":%.1f,\"verifyPerSecond\":%.1f}\n", a->name, a->bits,
           signRate, verifyRate);
    fflush(stdout);
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    int wanted[NALGS] = {0}, any = 0, all = 0;
    for (int i = 2; i < argc; i++) {
        char *list = strdup(argv[i]);
        for (char *name = strtok(list, ", "); name; name = strtok(NULL, ", ")) {
            if (!strcmp(name, "all")) { all = 1; continue; }
            size_t j = 0;
            while (j < NALGS && strcmp(algs[j].name, name)) j++;
            if (j == NALGS) { fprintf(stderr, "evp-floor: unknown algorithm %s\n", name); return 2; }
            wanted[j] = any = 1;
        }
        free(list);
    }
    for (size_t j = 0; j < NALGS; j++)
        if (all || !any || wanted[j]) run(&algs[j], seconds);
    return 0;
}
