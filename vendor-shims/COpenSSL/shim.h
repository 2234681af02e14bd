/* SPDX-License-Identifier: Apache-2.0 */
/* OpenSSL 3 (libcrypto) for Signet's SignetKeys module.
 * Swift cannot import function-like or alias macros, and C's uint8_t* may alias anything while Swift's may not,
 * so each macro or byte-pointer function SignetKeys needs is wrapped here as a one-line static inline taking void*. */
#ifndef SIGNET_COPENSSL_SHIM_H
#define SIGNET_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/x509.h>
#include <openssl/pkcs12.h>
#include <openssl/sha.h>

/* BIO_get_mem_data (function-like macro) */
static inline long COpenSSL_BIO_get_mem_data(BIO *b, char **pp) { return BIO_get_mem_data(b, pp); }
/* BN_num_bytes (function-like macro) */
static inline int COpenSSL_BN_num_bytes(const BIGNUM *bn) { return BN_num_bytes(bn); }
/* OPENSSL_free (function-like macro) */
static inline void COpenSSL_OPENSSL_free(void *p) { OPENSSL_free(p); }
/* EVP_RSA_gen (macro over the variadic EVP_PKEY_Q_keygen) */
static inline EVP_PKEY *COpenSSL_EVP_RSA_gen(unsigned int bits) { return EVP_RSA_gen(bits); }
/* EVP_PKEY_KEYPAIR ((A | B): not importable) */
static const int COpenSSL_EVP_PKEY_KEYPAIR = EVP_PKEY_KEYPAIR;
static const int COpenSSL_EVP_PKEY_PUBLIC_KEY = EVP_PKEY_PUBLIC_KEY;

/* void* forms of byte-pointer functions (see the header comment). */
static inline int COpenSSL_EVP_DigestUpdate(EVP_MD_CTX *c, const void *d, size_t n) { return EVP_DigestUpdate(c, d, n); }
static inline int COpenSSL_EVP_DigestFinal_ex(EVP_MD_CTX *c, void *md, unsigned int *n) {
    return EVP_DigestFinal_ex(c, (unsigned char *)md, n);
}
static inline int COpenSSL_EVP_PKEY_sign(EVP_PKEY_CTX *c, void *sig, size_t *siglen, const void *tbs, size_t n) {
    return EVP_PKEY_sign(c, (unsigned char *)sig, siglen, (const unsigned char *)tbs, n);
}
static inline int COpenSSL_EVP_PKEY_verify(EVP_PKEY_CTX *c, const void *sig, size_t siglen, const void *tbs, size_t n) {
    return EVP_PKEY_verify(c, (const unsigned char *)sig, siglen, (const unsigned char *)tbs, n);
}
static inline int COpenSSL_EVP_DigestSign(EVP_MD_CTX *c, void *sig, size_t *siglen, const void *tbs, size_t n) {
    return EVP_DigestSign(c, (unsigned char *)sig, siglen, (const unsigned char *)tbs, n);
}
static inline int COpenSSL_EVP_DigestVerify(EVP_MD_CTX *c, const void *sig, size_t siglen, const void *tbs, size_t n) {
    return EVP_DigestVerify(c, (const unsigned char *)sig, siglen, (const unsigned char *)tbs, n);
}
static inline BIGNUM *COpenSSL_BN_bin2bn(const void *s, int len) { return BN_bin2bn((const unsigned char *)s, len, NULL); }
static inline int COpenSSL_BN_bn2binpad(const BIGNUM *a, void *to, int tolen) {
    return BN_bn2binpad(a, (unsigned char *)to, tolen);
}
static inline int COpenSSL_OSSL_DECODER_from_data(OSSL_DECODER_CTX *c, const void *data, size_t len) {
    const unsigned char *p = (const unsigned char *)data;
    size_t left = len;
    int rc = OSSL_DECODER_from_data(c, &p, &left);
    /* All input must be consumed: trailing bytes after the key are an error. */
    return (rc == 1 && left == 0) ? 1 : (rc == 1 ? -2 : rc);
}
static inline int COpenSSL_RAND_bytes(void *buf, int n) { return RAND_bytes((unsigned char *)buf, n); }
static inline int COpenSSL_RAND_priv_bytes(void *buf, int n) { return RAND_priv_bytes((unsigned char *)buf, n); }
static inline BIO *COpenSSL_BIO_new_mem_buf(const void *buf, int len) { return BIO_new_mem_buf(buf, len); }
static inline int COpenSSL_i2d_PUBKEY(const EVP_PKEY *k, void *out) {
    unsigned char *p = (unsigned char *)out;
    return i2d_PUBKEY(k, out ? &p : NULL);
}

/* One-shot SHA-2 into `md` with no heap allocation. OpenSSL 3's SHA256()/SHA512() one-shots and EVP_Digest* fetch
 * or allocate contexts on every call; the low-level block functions (deprecated as a public API in 3.0, but still
 * exported, and the same assembly: SHA-NI, AVX2) work on a context on the stack. `which`: 0 SHA-256, 1 SHA-384,
 * 2 SHA-512 (RSASignatureAlgorithm.index). Returns the digest length, or 0 for an unknown `which`. */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
#elif defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
static inline int COpenSSL_sha2(int which, const void *data, size_t len, void *md) {
    int n = 0;
    if (which == 0) {
        SHA256_CTX c;
        if (SHA256_Init(&c) == 1 && SHA256_Update(&c, data, len) == 1 && SHA256_Final((unsigned char *)md, &c) == 1) n = 32;
        OPENSSL_cleanse(&c, sizeof c);
    } else if (which == 1 || which == 2) {
        SHA512_CTX c;
        int ok = which == 1 ? SHA384_Init(&c) : SHA512_Init(&c);
        if (ok == 1 && SHA512_Update(&c, data, len) == 1) {
            ok = which == 1 ? SHA384_Final((unsigned char *)md, &c) : SHA512_Final((unsigned char *)md, &c);
            if (ok == 1) n = which == 1 ? 48 : 64;
        }
        OPENSSL_cleanse(&c, sizeof c);
    }
    return n;
}

/* SHA-512 over three consecutive parts (Ed25519's SHA-512(R || A || M)) on a stack context; 64 on success. */
static inline int COpenSSL_sha512_parts(const void *a, size_t alen, const void *b, size_t blen, const void *c,
                                        size_t clen, void *md) {
    SHA512_CTX ctx;
    int ok = SHA512_Init(&ctx) == 1 && SHA512_Update(&ctx, a, alen) == 1 && SHA512_Update(&ctx, b, blen) == 1 &&
             SHA512_Update(&ctx, c, clen) == 1 && SHA512_Final((unsigned char *)md, &ctx) == 1;
    OPENSSL_cleanse(&ctx, sizeof ctx);
    return ok ? 64 : 0;
}
#if defined(__clang__)
#pragma clang diagnostic pop
#elif defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

/* BIGNUM <- big-endian bytes, reusing `into`'s storage (no allocation once it is large enough). */
static inline BIGNUM *COpenSSL_BN_bin2bn_into(const void *s, int len, BIGNUM *into) {
    return BN_bin2bn((const unsigned char *)s, len, into);
}

/* X.509 certificates and encrypted PKCS#8 (Keys/X509Certificate.swift, Keys/EncryptedPKCS8.swift): the d2i/i2d
 * functions advance a `const unsigned char **`, so they are wrapped to take void* and report what they consumed. */
static inline X509 *COpenSSL_d2i_X509(const void *der, long len, long *consumed) {
    const unsigned char *p = (const unsigned char *)der;
    X509 *x = d2i_X509(NULL, &p, len);
    *consumed = x ? (long)(p - (const unsigned char *)der) : 0;
    return x;
}
/* Seconds since the epoch of an ASN1_TIME (UTCTime or GeneralizedTime); 1 on success. */
static inline int COpenSSL_ASN1_TIME_to_unix(const ASN1_TIME *t, int64_t *out) {
    ASN1_TIME *epoch = ASN1_TIME_set(NULL, 0);
    int days = 0, secs = 0;
    int ok = epoch != NULL && ASN1_TIME_diff(&days, &secs, epoch, t) == 1;
    ASN1_TIME_free(epoch);
    if (ok) *out = (int64_t)days * 86400 + secs;
    return ok;
}
static inline X509_SIG *COpenSSL_d2i_X509_SIG(const void *der, long len, long *consumed) {
    const unsigned char *p = (const unsigned char *)der;
    X509_SIG *s = d2i_X509_SIG(NULL, &p, len);
    *consumed = s ? (long)(p - (const unsigned char *)der) : 0;
    return s;
}
static inline PKCS8_PRIV_KEY_INFO *COpenSSL_PKCS8_decrypt(const X509_SIG *p8, const void *pass, int passlen) {
    return PKCS8_decrypt(p8, (const char *)pass, passlen);
}
static inline int COpenSSL_i2d_PKCS8_PRIV_KEY_INFO(const PKCS8_PRIV_KEY_INFO *p8, void *out) {
    unsigned char *p = (unsigned char *)out;
    return i2d_PKCS8_PRIV_KEY_INFO(p8, out ? &p : NULL);
}
/* DER -> EVP_PKEY with void* input; *consumed receives the bytes read (0 on failure), so that trailing bytes can be
 * refused. d2i_AutoPrivateKey recognises PKCS#8 and the type-specific forms (SEC 1 ECPrivateKey, PKCS#1). */
static inline EVP_PKEY *COpenSSL_d2i_PUBKEY(const void *der, long len, long *consumed) {
    const unsigned char *p = (const unsigned char *)der;
    EVP_PKEY *k = d2i_PUBKEY(NULL, &p, len);
    *consumed = k ? (long)(p - (const unsigned char *)der) : 0;
    return k;
}
static inline EVP_PKEY *COpenSSL_d2i_AutoPrivateKey(const void *der, long len, long *consumed) {
    const unsigned char *p = (const unsigned char *)der;
    EVP_PKEY *k = d2i_AutoPrivateKey(NULL, &p, len);
    *consumed = k ? (long)(p - (const unsigned char *)der) : 0;
    return k;
}
/* EVP_EC_gen (macro over the variadic EVP_PKEY_Q_keygen); the Ed25519 form of the same call. */
static inline EVP_PKEY *COpenSSL_EVP_EC_gen(const char *curve) { return EVP_EC_gen(curve); }
static inline EVP_PKEY *COpenSSL_EVP_ED25519_gen(void) { return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"); }
static inline EVP_PKEY *COpenSSL_new_raw_public_key(int type, const void *key, size_t len) {
    return EVP_PKEY_new_raw_public_key(type, NULL, (const unsigned char *)key, len);
}
static inline EVP_PKEY *COpenSSL_new_raw_private_key(int type, const void *key, size_t len) {
    return EVP_PKEY_new_raw_private_key(type, NULL, (const unsigned char *)key, len);
}
static inline int COpenSSL_get_raw_public_key(const EVP_PKEY *k, void *out, size_t *len) {
    return EVP_PKEY_get_raw_public_key(k, (unsigned char *)out, len);
}
static const int COpenSSL_EVP_PKEY_ED25519 = EVP_PKEY_ED25519;

#endif
