// SPDX-License-Identifier: Apache-2.0

import Base64URL
import JWS
import SignetKeys
import TestSupport
import Testing

/// A verifier is bound to (key, algorithm) before parsing: a token naming another algorithm never reaches the
/// cryptography, even when the same key made its signature.
@Suite struct AlgorithmBindingTests {
    static let payload = JWSFixtures.goodPayload

    /// RS/PS confusion on one RSA key: each direction is rejected by the header check, on both verify paths.
    @Test(arguments: zip(RSASignatureAlgorithm.pkcs1v15, RSASignatureAlgorithm.pss))
    func pkcs1AndPSSAreNeverConfused(rs: RSASignatureAlgorithm, ps: RSASignatureAlgorithm) throws {
        for (bound, signed) in [(rs, ps), (ps, rs)] {
            let token = JWSFixtures.craft(
                header: #"{"alg":"\#(signed.jwsName)","kid":"k1"}"#, payload: Self.payload, algorithm: signed)
            let verifier = JWSFixtures.verifier(algorithm: bound)
            expectCode("header.alg-not-allowed", segment: .header) { () throws(JWSError) in
                _ = try verifier.verify(token)
            }
            // Allowing both algorithms does not help: the key is bound to one.
            let both = try JWSVerifier(
                keys: [JWSVerificationKey(key: JWSFixtures.key.publicKey, algorithm: bound, keyID: "k1")],
                allowedAlgorithms: [JWSAlgorithm(rs), JWSAlgorithm(ps)],
                policy: JWTValidationPolicy(clock: .fixed(JWSFixtures.now)))
            expectCode("header.alg-not-allowed", segment: .header) { () throws(JWSError) in
                _ = try both.verify(token)
            }
            // The same signature under a header that names the bound algorithm fails the signature check.
            let relabelled =
                Base64URL.encode(Array(#"{"alg":"\#(bound.jwsName)","kid":"k1"}"#.utf8)) + "."
                + token.split(separator: ".", omittingEmptySubsequences: false).dropFirst().joined(separator: ".")
            expectCode("signature.invalid", segment: .signature) { () throws(JWSError) in
                _ = try verifier.verify(relabelled)
            }
            // And the honest token verifies with a verifier bound to its own algorithm.
            _ = try JWSFixtures.verifier(algorithm: signed).verify(token)
        }
    }
}
