/* SPDX-License-Identifier: Apache-2.0 */
/* Curve constants, as 64-bit little-endian limbs (SEC 2 v2 §2.4.2, §2.5.1, §2.6.1; RFC 8032 §5.1), with the
 * Montgomery constants derived from them: RR = R² mod m for R = 2^(64·limbs), M0 = −m⁻¹ mod 2^64.
 * Generated once from the SEC 2 / RFC 8032 values; the tests verify every curve against Wycheproof. */
#ifndef SIGNET_EC_CONSTANTS_H
#define SIGNET_EC_CONSTANTS_H
#include <stdint.h>

/* clang-format off */
static const uint64_t p256_P[4] = {0xffffffffffffffffULL, 0xffffffffULL, 0x0ULL, 0xffffffff00000001ULL};
static const uint64_t p256_N[4] = {0xf3b9cac2fc632551ULL, 0xbce6faada7179e84ULL, 0xffffffffffffffffULL, 0xffffffff00000000ULL};
static const uint64_t p256_B[4] = {0x3bce3c3e27d2604bULL, 0x651d06b0cc53b0f6ULL, 0xb3ebbd55769886bcULL, 0x5ac635d8aa3a93e7ULL};
static const uint64_t p256_GX[4] = {0xf4a13945d898c296ULL, 0x77037d812deb33a0ULL, 0xf8bce6e563a440f2ULL, 0x6b17d1f2e12c4247ULL};
static const uint64_t p256_GY[4] = {0xcbb6406837bf51f5ULL, 0x2bce33576b315eceULL, 0x8ee7eb4a7c0f9e16ULL, 0x4fe342e2fe1a7f9bULL};
static const uint64_t p256_RR_P[4] = {0x3ULL, 0xfffffffbffffffffULL, 0xfffffffffffffffeULL, 0x4fffffffdULL};
static const uint64_t p256_RR_N[4] = {0x83244c95be79eea2ULL, 0x4699799c49bd6fa6ULL, 0x2845b2392b6bec59ULL, 0x66e12d94f3d95620ULL};
#define P256_M0_P 0x1ULL
#define P256_M0_N 0xccd1c8aaee00bc4fULL

static const uint64_t p384_P[6] = {0xffffffffULL, 0xffffffff00000000ULL, 0xfffffffffffffffeULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL};
static const uint64_t p384_N[6] = {0xecec196accc52973ULL, 0x581a0db248b0a77aULL, 0xc7634d81f4372ddfULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL};
static const uint64_t p384_B[6] = {0x2a85c8edd3ec2aefULL, 0xc656398d8a2ed19dULL, 0x314088f5013875aULL, 0x181d9c6efe814112ULL, 0x988e056be3f82d19ULL, 0xb3312fa7e23ee7e4ULL};
static const uint64_t p384_GX[6] = {0x3a545e3872760ab7ULL, 0x5502f25dbf55296cULL, 0x59f741e082542a38ULL, 0x6e1d3b628ba79b98ULL, 0x8eb1c71ef320ad74ULL, 0xaa87ca22be8b0537ULL};
static const uint64_t p384_GY[6] = {0x7a431d7c90ea0e5fULL, 0xa60b1ce1d7e819dULL, 0xe9da3113b5f0b8c0ULL, 0xf8f41dbd289a147cULL, 0x5d9e98bf9292dc29ULL, 0x3617de4a96262c6fULL};
static const uint64_t p384_RR_P[6] = {0xfffffffe00000001ULL, 0x200000000ULL, 0xfffffffe00000000ULL, 0x200000000ULL, 0x1ULL, 0x0ULL};
static const uint64_t p384_RR_N[6] = {0x2d319b2419b409a9ULL, 0xff3d81e5df1aa419ULL, 0xbc3e483afcb82947ULL, 0xd40d49174aab1cc5ULL, 0x3fb05b7a28266895ULL, 0xc84ee012b39bf21ULL};
#define P384_M0_P 0x100000001ULL
#define P384_M0_N 0x6ed46089e88fdc45ULL

static const uint64_t p521_P[9] = {0xffffffffffffffffULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL, 0x1ffULL};
static const uint64_t p521_N[9] = {0xbb6fb71e91386409ULL, 0x3bb5c9b8899c47aeULL, 0x7fcc0148f709a5d0ULL, 0x51868783bf2f966bULL, 0xfffffffffffffffaULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL, 0x1ffULL};
static const uint64_t p521_B[9] = {0xef451fd46b503f00ULL, 0x3573df883d2c34f1ULL, 0x1652c0bd3bb1bf07ULL, 0x56193951ec7e937bULL, 0xb8b489918ef109e1ULL, 0xa2da725b99b315f3ULL, 0x929a21a0b68540eeULL, 0x953eb9618e1c9a1fULL, 0x51ULL};
static const uint64_t p521_GX[9] = {0xf97e7e31c2e5bd66ULL, 0x3348b3c1856a429bULL, 0xfe1dc127a2ffa8deULL, 0xa14b5e77efe75928ULL, 0xf828af606b4d3dbaULL, 0x9c648139053fb521ULL, 0x9e3ecb662395b442ULL, 0x858e06b70404e9cdULL, 0xc6ULL};
static const uint64_t p521_GY[9] = {0x88be94769fd16650ULL, 0x353c7086a272c240ULL, 0xc550b9013fad0761ULL, 0x97ee72995ef42640ULL, 0x17afbd17273e662cULL, 0x98f54449579b4468ULL, 0x5c8a5fb42c7d1bd9ULL, 0x39296a789a3bc004ULL, 0x118ULL};
static const uint64_t p521_RR_P[9] = {0x0ULL, 0x400000000000ULL, 0x0ULL, 0x0ULL, 0x0ULL, 0x0ULL, 0x0ULL, 0x0ULL, 0x0ULL};
static const uint64_t p521_RR_N[9] = {0x137cd04dcf15dd04ULL, 0xf707badce5547ea3ULL, 0x12a78d38794573ffULL, 0xd3721ef557f75e06ULL, 0xdd6e23d82e49c7dbULL, 0xcff3d142b7756e3eULL, 0x5bcc6d61a8e567bcULL, 0x2d8e03d1492d0d45ULL, 0x3dULL};
#define P521_M0_P 0x1ULL
#define P521_M0_N 0x1d2f5ccd79a995c7ULL

static const uint64_t ed25519_D[5] = {0x34dca135978a3ULL, 0x1a8283b156ebdULL, 0x5e7a26001c029ULL, 0x739c663a03cbbULL, 0x52036cee2b6ffULL};
static const uint64_t ed25519_D2[5] = {0x69b9426b2f159ULL, 0x35050762add7aULL, 0x3cf44c0038052ULL, 0x6738cc7407977ULL, 0x2406d9dc56dffULL};
static const uint64_t ed25519_SQRTM1[5] = {0x61b274a0ea0b0ULL, 0xd5a5fc8f189dULL, 0x7ef5e9cbd0c60ULL, 0x78595a6804c9eULL, 0x2b8324804fc1dULL};
static const uint64_t ed25519_BX[5] = {0x62d608f25d51aULL, 0x412a4b4f6592aULL, 0x75b7171a4b31dULL, 0x1ff60527118feULL, 0x216936d3cd6e5ULL};
static const uint64_t ed25519_BY[5] = {0x6666666666658ULL, 0x4ccccccccccccULL, 0x1999999999999ULL, 0x3333333333333ULL, 0x6666666666666ULL};
static const uint64_t ed25519_L[4] = {0x5812631a5cf5d3edULL, 0x14def9dea2f79cd6ULL, 0x0ULL, 0x1000000000000000ULL};
static const uint64_t ed25519_RR_L[4] = {0xa40611e3449c0f01ULL, 0xd00e1ba768859347ULL, 0xceec73d217f5be65ULL, 0x399411b7c309a3dULL};
static const uint64_t ed25519_RRR_L[4] = {0x2a9e49687b83a2dbULL, 0x278324e6aef7f3ecULL, 0x8065dc6c04ec5b65ULL, 0xe530b773599cec7ULL};
#define ED25519_M0_L 0xd2b51da312547e1bULL
/* clang-format on */

#endif
