/* SPDX-License-Identifier: Apache-2.0 */
/* ECDSA verification on P-256 (SEC 1 v2 §4.1.4): the template ec_weierstrass.inc compiled for this curve alone,
 * with the curve's parameters as constants (why: ec_weierstrass.inc).
 * Field product: ec_fields.h's Montgomery form for the sparse p ≡ −1 mod 2^64. */
#include <pthread.h>

#include "ec_common.h"
#include "ec_constants.h"
#include "ec_fields.h"
#include "ec_nist.h"

#define NL 4
#define NBITS 256
#define WIDTH 32
#define KP p256_P
#define KN p256_N
#define KB p256_B
#define KGX p256_GX
#define KGY p256_GY
#define KRR_N p256_RR_N
#define M0N P256_M0_N
#define FIELD_MUL p256_field_mul
#define FIELD_SQR p256_field_sqr
#define TO_FIELD p256_RR_P
#include "ec_weierstrass.inc"

int p256_key_init(signet_ec_key *key, const uint8_t *x, const uint8_t *y, size_t width)
{
    return wei_key_init(key, x, y, width);
}

int p256_verify(const signet_ec_key *key, const uint8_t *digest, size_t digest_len, const uint8_t *sig, size_t sig_len)
{
    return wei_verify(key, digest, digest_len, sig, sig_len);
}
