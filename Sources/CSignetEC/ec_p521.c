/* SPDX-License-Identifier: Apache-2.0 */
/* ECDSA verification on P-521 (SEC 1 v2 §4.1.4): the template ec_weierstrass.inc compiled for this curve alone,
 * with the curve's parameters as constants (why: ec_weierstrass.inc).
 * Field product: ec_fields.h's plain form for p = 2^521 − 1, reduced by folding. */
#include <pthread.h>

#include "ec_common.h"
#include "ec_constants.h"
#include "ec_fields.h"
#include "ec_nist.h"

#define NL 9
#define NBITS 521
#define WIDTH 66
#define KP p521_P
#define KN p521_N
#define KB p521_B
#define KGX p521_GX
#define KGY p521_GY
#define KRR_N p521_RR_N
#define M0N P521_M0_N
#define FIELD_MUL p521_field_mul
#define FIELD_SQR p521_field_sqr
#define TO_FIELD p521_RR_PLAIN
#include "ec_weierstrass.inc"

int p521_key_init(signet_ec_key *key, const uint8_t *x, const uint8_t *y, size_t width)
{
    return wei_key_init(key, x, y, width);
}

int p521_verify(const signet_ec_key *key, const uint8_t *digest, size_t digest_len, const uint8_t *sig, size_t sig_len)
{
    return wei_verify(key, digest, digest_len, sig, sig_len);
}
