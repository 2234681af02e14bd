/* SPDX-License-Identifier: Apache-2.0 */
/* GMP for Signet's independent RSA verifier (Sources/RSAGMP).
 * GMP's mpz_* names are macros for __gmpz_*: Swift cannot see them, so each one RSAGMP uses is wrapped here. */
#ifndef SIGNET_CGMP_SHIM_H
#define SIGNET_CGMP_SHIM_H
#include <gmp.h>
#include <stddef.h>

/* mpz_init */
static inline void CGMP_mpz_init(mpz_ptr z) { mpz_init(z); }
/* mpz_clear */
static inline void CGMP_mpz_clear(mpz_ptr z) { mpz_clear(z); }
/* mpz_import: big-endian bytes, most significant first */
static inline void CGMP_mpz_import_be(mpz_ptr z, const void *bytes, size_t count) {
    mpz_import(z, count, 1, 1, 1, 0, bytes);
}
/* mpz_export into a caller buffer; returns the number of bytes written (0 for zero). */
static inline size_t CGMP_mpz_export_be(void *out, mpz_srcptr z) {
    size_t n = 0;
    mpz_export(out, &n, 1, 1, 1, 0, z);
    return n;
}
/* mpz_sizeinbase */
static inline size_t CGMP_mpz_sizeinbase(mpz_srcptr z, int base) { return mpz_sizeinbase(z, base); }
/* mpz_powm */
static inline void CGMP_mpz_powm(mpz_ptr r, mpz_srcptr b, mpz_srcptr e, mpz_srcptr m) { mpz_powm(r, b, e, m); }
/* mpz_cmp */
static inline int CGMP_mpz_cmp(mpz_srcptr a, mpz_srcptr b) { return mpz_cmp(a, b); }
/* mpz_cmp_ui (a macro in gmp.h) */
static inline int CGMP_mpz_cmp_ui(mpz_srcptr a, unsigned long b) { return mpz_cmp_ui(a, b); }
/* mpz_sgn (function-like macro) */
static inline int CGMP_mpz_sgn(mpz_srcptr z) { return mpz_sgn(z); }
/* mpz_odd_p (function-like macro) */
static inline int CGMP_mpz_odd_p(mpz_srcptr z) { return mpz_odd_p(z); }
/* mpz_set_ui */
static inline void CGMP_mpz_set_ui(mpz_ptr z, unsigned long v) { mpz_set_ui(z, v); }

#endif
