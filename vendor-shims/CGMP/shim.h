/* SPDX-License-Identifier: Apache-2.0 */
/* GMP for Signet's independent RSA verifier (Sources/GMPVerifier).
 * GMP's mpz_* names are macros for __gmpz_*: Swift cannot see them, so each one GMPVerifier uses is wrapped here. */
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

/* The rest serve the elliptic-curve verifiers (ECDSA on P-256/384/521, Ed25519) and EMSA-PSS. */
/* mpz_init2: preallocates room for `bits` so that later results of that size never reallocate */
static inline void CGMP_mpz_init2(mpz_ptr z, unsigned long bits) { mpz_init2(z, bits); }
/* mpz_set */
static inline void CGMP_mpz_set(mpz_ptr r, mpz_srcptr a) { mpz_set(r, a); }
/* mpz_set_str with base 16; returns 0 on success, -1 on a malformed string */
static inline int CGMP_mpz_set_hex(mpz_ptr r, const char *hex) { return mpz_set_str(r, hex, 16); }
/* mpz_import / mpz_export, least significant byte first (RFC 8032 encodings) */
static inline void CGMP_mpz_import_le(mpz_ptr z, const void *bytes, size_t count) {
    mpz_import(z, count, -1, 1, -1, 0, bytes);
}
static inline size_t CGMP_mpz_export_le(void *out, mpz_srcptr z) {
    size_t n = 0;
    mpz_export(out, &n, -1, 1, -1, 0, z);
    return n;
}
/* mpz_add, mpz_sub, mpz_mul */
static inline void CGMP_mpz_add(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_add(r, a, b); }
static inline void CGMP_mpz_sub(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_sub(r, a, b); }
static inline void CGMP_mpz_mul(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_mul(r, a, b); }
/* mpz_mul_2exp (left shift) and mpz_fdiv_q_2exp (right shift of a non-negative value) */
static inline void CGMP_mpz_mul_2exp(mpz_ptr r, mpz_srcptr a, unsigned long bits) { mpz_mul_2exp(r, a, bits); }
static inline void CGMP_mpz_fdiv_q_2exp(mpz_ptr r, mpz_srcptr a, unsigned long bits) { mpz_fdiv_q_2exp(r, a, bits); }
/* mpz_tdiv_r_2exp: the low `bits` bits of a non-negative value */
static inline void CGMP_mpz_tdiv_r_2exp(mpz_ptr r, mpz_srcptr a, unsigned long bits) { mpz_tdiv_r_2exp(r, a, bits); }
/* mpz_mod: the non-negative remainder */
static inline void CGMP_mpz_mod(mpz_ptr r, mpz_srcptr a, mpz_srcptr m) { mpz_mod(r, a, m); }
/* mpz_invert: returns non-zero when the inverse exists */
static inline int CGMP_mpz_invert(mpz_ptr r, mpz_srcptr a, mpz_srcptr m) { return mpz_invert(r, a, m); }
/* mpz_tstbit */
static inline int CGMP_mpz_tstbit(mpz_srcptr a, unsigned long bit) { return mpz_tstbit(a, bit); }
/* mpz_add_ui, mpz_sub_ui, mpz_mul_ui */
static inline void CGMP_mpz_add_ui(mpz_ptr r, mpz_srcptr a, unsigned long b) { mpz_add_ui(r, a, b); }
static inline void CGMP_mpz_sub_ui(mpz_ptr r, mpz_srcptr a, unsigned long b) { mpz_sub_ui(r, a, b); }
static inline void CGMP_mpz_mul_ui(mpz_ptr r, mpz_srcptr a, unsigned long b) { mpz_mul_ui(r, a, b); }
/* Limb access (GMP >= 6.0), for reductions written over the limbs. */
static inline size_t CGMP_mpz_size(mpz_srcptr z) { return mpz_size(z); }
static inline const mp_limb_t *CGMP_mpz_limbs_read(mpz_srcptr z) { return mpz_limbs_read(z); }
static inline mp_limb_t *CGMP_mpz_limbs_write(mpz_ptr z, mp_size_t n) { return mpz_limbs_write(z, n); }
static inline void CGMP_mpz_limbs_finish(mpz_ptr z, mp_size_t n) { mpz_limbs_finish(z, n); }

#endif
