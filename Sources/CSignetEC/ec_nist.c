/* SPDX-License-Identifier: Apache-2.0 */
/* ECDSA verification on P-256, P-384 and P-521 (SEC 1 v2 §4.1.4): one generic Montgomery implementation,
 * specialised per curve by including ec_weierstrass.inc with the curve's constants. */
#include <pthread.h>

#include "ec_common.h"
#include "ec_constants.h"
#include "ec_fields.h"
#include "signet_ec.h"

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

#define CURVE p256
#define NL 4
#define NBITS 256
#define WIDTH 32
#define FIELD_MUL p256_field_mul
#define FIELD_SQR p256_field_sqr
#define TO_FIELD p256_RR_P
#define M0N P256_M0_N
#include "ec_weierstrass.inc"

#define CURVE p384
#define NL 6
#define NBITS 384
#define WIDTH 48
#define FIELD_MUL(r, a, b) ec_mont_mul(r, a, b, p384_P, P384_M0_P, 6)
#define FIELD_SQR(r, a) ec_mont_mul(r, a, a, p384_P, P384_M0_P, 6)
#define TO_FIELD p384_RR_P
#define M0N P384_M0_N
#include "ec_weierstrass.inc"

#define CURVE p521
#define NL 9
#define NBITS 521
#define WIDTH 66
#define FIELD_MUL p521_field_mul
#define FIELD_SQR p521_field_sqr
#define TO_FIELD p521_RR_PLAIN
#define M0N P521_M0_N
#include "ec_weierstrass.inc"

int signet_ec_key_init(signet_ec_key *key, int curve, const uint8_t *x, const uint8_t *y, size_t width) {
    if (key == NULL || x == NULL || y == NULL) return 0;
    int ok = 0;
    switch (curve) {
    case SIGNET_EC_P256: ok = p256_key_init(key, x, y, width); break;
    case SIGNET_EC_P384: ok = p384_key_init(key, x, y, width); break;
    case SIGNET_EC_P521: ok = p521_key_init(key, x, y, width); break;
    default: break;
    }
    if (key != NULL) key->curve = ok ? curve : 0;
    return ok;
}

int signet_ecdsa_verify(const signet_ec_key *key, const uint8_t *digest, size_t digest_len, const uint8_t *signature,
                        size_t signature_len) {
    if (key == NULL || digest == NULL || signature == NULL) return 0;
    switch (key->curve) {
    case SIGNET_EC_P256: return p256_verify(key, digest, digest_len, signature, signature_len);
    case SIGNET_EC_P384: return p384_verify(key, digest, digest_len, signature, signature_len);
    case SIGNET_EC_P521: return p521_verify(key, digest, digest_len, signature, signature_len);
    default: return 0;
    }
}
