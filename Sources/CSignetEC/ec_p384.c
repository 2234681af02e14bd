/* SPDX-License-Identifier: Apache-2.0 */
/* ECDSA verification on P-384 (SEC 1 v2 §4.1.4): the template ec_weierstrass.inc compiled for this curve alone,
 * with the curve's parameters as constants (why: ec_weierstrass.inc).
 * Field product: the generic CIOS Montgomery product of ec_common.h. */
#include <pthread.h>

#include "ec_common.h"
#include "ec_constants.h"
#include "ec_nist.h"

#define NL 6
#define NBITS 384
#define WIDTH 48
#define KP p384_P
#define KN p384_N
#define KB p384_B
#define KGX p384_GX
#define KGY p384_GY
#define KRR_N p384_RR_N
#define M0N P384_M0_N
#define FIELD_MUL(r, a, b) ec_mont_mul(r, a, b, p384_P, P384_M0_P, 6)
#define FIELD_SQR(r, a) ec_mont_mul(r, a, a, p384_P, P384_M0_P, 6)
#define TO_FIELD p384_RR_P
#include "ec_weierstrass.inc"

int p384_key_init(signet_ec_key *key, const uint8_t *x, const uint8_t *y, size_t width)
{
    return wei_key_init(key, x, y, width);
}

int p384_verify(const signet_ec_key *key, const uint8_t *digest, size_t digest_len, const uint8_t *sig, size_t sig_len)
{
    return wei_verify(key, digest, digest_len, sig, sig_len);
}
