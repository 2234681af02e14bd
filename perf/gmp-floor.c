/* SPDX-License-Identifier: Apache-2.0
 * GMP driven from C: the floor for GMPVerifier's verify (issue 3). Per verify: hash the ~700-byte signing input with
 * OpenSSL's EVP_Digest, import the signature, mpz_powm(s, e = 65537, n), export, and compare the whole
 * EMSA-PKCS1-v1_5 block. Usage: gmp-floor SECONDS -> one JSON line per (alg, bits). Built by perf/compare.sh. */
#include <gmp.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/core_names.h>
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
    unsigned char msg[700];
    for (int i = 0; i < (int)sizeof msg; i++) msg[i] = (unsigned char)('A' + i % 26);
    unsigned char sig[1024], em[1024], out[1024];
    size_t siglen = sizeof sig;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestSignInit_ex(ctx, NULL, md, NULL, NULL, key, NULL);
    EVP_DigestSign(ctx, sig, &siglen, msg, sizeof msg);
    EVP_MD_CTX_free(ctx);
    BIGNUM *bn = NULL;
    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &bn);
    unsigned char nbytes[1024];
    int nlen = BN_bn2bin(bn, nbytes);
    mpz_t n, e, s, m;
    mpz_inits(n, e, s, m, NULL);
    mpz_import(n, nlen, 1, 1, 1, 0, nbytes);
    mpz_set_ui(e, 65537);
    /* Expected block: 00 01 FF.. 00 DigestInfo H — taken from one verify (the comparison cost is what matters). */
    mpz_import(s, siglen, 1, 1, 1, 0, sig);
    mpz_powm(m, s, e, n);
    size_t cnt = 0;
    memset(em, 0, sizeof em);
    mpz_export(em + (siglen - (mpz_sizeinbase(m, 2) + 7) / 8), &cnt, 1, 1, 1, 0, m);
    long count = 0, bad = 0;
    double start = now(), t;
    do {
        for (int k = 0; k < 16; k++) {
            unsigned char h[64];
            unsigned int hl = 0;
            EVP_Digest(msg, sizeof msg, h, &hl, EVP_get_digestbyname(md), NULL);
            mpz_import(s, siglen, 1, 1, 1, 0, sig);
            if (mpz_cmp(s, n) >= 0) bad++;
            mpz_powm(m, s, e, n);
            memset(out, 0, siglen);
            mpz_export(out + (siglen - (mpz_sizeinbase(m, 2) + 7) / 8), &cnt, 1, 1, 1, 0, m);
            if (memcmp(out, em, siglen) != 0 || memcmp(out + siglen - hl, h, hl) != 0) bad++;
        }
        count += 16;
    } while ((t = now()) - start < seconds);
    if (bad) { fprintf(stderr, "gmp-floor: %ld bad verifies\n", bad); exit(1); }
    printf("{\"peer\":\"gmp-floor (C: GMP mpz_powm + EVP_Digest)\",\"alg\":\"%s\",\"bits\":%u,\"verifyPerSecond\":%.1f}\n",
           alg, bits, count / (t - start));
    mpz_clears(n, e, s, m, NULL);
    BN_free(bn);
    EVP_PKEY_free(key);
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    run("RS256", "SHA256", 2048, seconds);
    run("RS512", "SHA512", 4096, seconds);
    return 0;
}
