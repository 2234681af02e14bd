/* SPDX-License-Identifier: Apache-2.0 */
/* ECDSA verification on P-256, P-384 and P-521 (SEC 1 v2 §4.1.4): the public entry points, dispatching by curve to
 * the per-curve units ec_p256.c, ec_p384.c and ec_p521.c (one generic Montgomery implementation, ec_weierstrass.inc,
 * compiled once per curve). */
#include "ec_nist.h"
#include "signet_ec.h"

int signet_ec_key_init(signet_ec_key *key, int curve, const uint8_t *x, const uint8_t *y, size_t width)
{
    if (key == NULL || x == NULL || y == NULL)
        return 0;
    int ok = 0;
    switch (curve) {
    case SIGNET_EC_P256: ok = p256_key_init(key, x, y, width); break;
    case SIGNET_EC_P384: ok = p384_key_init(key, x, y, width); break;
    case SIGNET_EC_P521: ok = p521_key_init(key, x, y, width); break;
    default: break;
    }
    if (key != NULL)
        key->curve = ok ? curve : 0;
    return ok;
}

int signet_ecdsa_verify(const signet_ec_key *key, const uint8_t *digest, size_t digest_len, const uint8_t *signature,
                        size_t signature_len)
{
    if (key == NULL || digest == NULL || signature == NULL)
        return 0;
    switch (key->curve) {
    case SIGNET_EC_P256: return p256_verify(key, digest, digest_len, signature, signature_len);
    case SIGNET_EC_P384: return p384_verify(key, digest, digest_len, signature, signature_len);
    case SIGNET_EC_P521: return p521_verify(key, digest, digest_len, signature, signature_len);
    default: return 0;
    }
}
