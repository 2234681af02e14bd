/* SPDX-License-Identifier: Apache-2.0 */
/* The per-curve entry points of ECDSA verification, one translation unit each (ec_p256.c, ec_p384.c, ec_p521.c),
 * which ec_nist.c dispatches to by curve. Arguments as signet_ec_key_init and signet_ecdsa_verify, NULL pointers
 * already refused. Internal to CSignetEC: hidden from a shared object's symbol table. */
#ifndef SIGNET_EC_NIST_H
#define SIGNET_EC_NIST_H

#include <stddef.h>
#include <stdint.h>

#include "signet_ec.h"

#define EC_HIDDEN __attribute__((visibility("hidden")))

EC_HIDDEN int p256_key_init(signet_ec_key *key, const uint8_t *x, const uint8_t *y, size_t width);
EC_HIDDEN int p256_verify(const signet_ec_key *key, const uint8_t *digest, size_t digest_len, const uint8_t *sig,
                          size_t sig_len);
EC_HIDDEN int p384_key_init(signet_ec_key *key, const uint8_t *x, const uint8_t *y, size_t width);
EC_HIDDEN int p384_verify(const signet_ec_key *key, const uint8_t *digest, size_t digest_len, const uint8_t *sig,
                          size_t sig_len);
EC_HIDDEN int p521_key_init(signet_ec_key *key, const uint8_t *x, const uint8_t *y, size_t width);
EC_HIDDEN int p521_verify(const signet_ec_key *key, const uint8_t *digest, size_t digest_len, const uint8_t *sig,
                          size_t sig_len);

#endif
