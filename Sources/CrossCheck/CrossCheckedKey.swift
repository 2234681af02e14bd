import JWS
import RSAGMP
// SPDX-License-Identifier: Apache-2.0
import SignetRSA

extension RSASignatureAlgorithm {
    /// The same algorithm in RSAGMP's terms, or `nil` while RSAGMP has no verifier for it (PSS until its own
    /// EMSA-PSS lands).
    var gmp: RSAGMPAlgorithm? { RSAGMPAlgorithm(jwsName: jwsName) }
}

extension JWSVerificationKey {
    /// A verification key whose every verdict is cross-checked by RSAGMP, an independent implementation (own SHA-2,
    /// own PKCS#1 v1.5 encoding, GMP modular exponentiation). A disagreement rejects the token with
    /// `signature.cross-check-disagreement`.
    ///
    /// - Parameters:
    ///   - key: The public key (RSAGMP gets the same modulus and exponent).
    ///   - algorithm: The only algorithm it verifies.
    ///   - keyID: Its `kid`.
    /// - Throws: `RSAGMPError` if RSAGMP refuses the key (it applies the same 2048-bit floor), or
    ///   `rsagmp.encoding-mismatch` for an algorithm RSAGMP cannot verify.
    public static func crossChecked(
        key: RSAPublicKey, algorithm: RSASignatureAlgorithm, keyID: String? = nil
    ) throws(RSAGMPError) -> JWSVerificationKey {
        let gmpKey = try RSAGMPPublicKey(modulus: key.modulus, exponent: key.exponent)
        guard let gmpAlgorithm = algorithm.gmp else {
            let name = algorithm.jwsName
            throw RSAGMPError(.encodingMismatch) { "RSAGMP has no independent verifier for \(name) yet" }
        }
        return unsafe JWSVerificationKey(
            key: key, algorithm: algorithm, keyID: keyID,
            secondOpinion: SignatureSecondOpinion(name: "RSAGMP") { signature, message, alg in
                unsafe (alg.rsa == algorithm
                    && gmpKey.isValidSignature(signature, for: message, algorithm: gmpAlgorithm))
            })
    }
}
