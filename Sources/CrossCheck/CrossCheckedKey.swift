import JWS
import RSAGMP
// SPDX-License-Identifier: Apache-2.0
import SignetRSA

extension RSASignatureAlgorithm {
    /// The same algorithm in RSAGMP's terms.
    var gmp: RSAGMPAlgorithm {
        switch jwsName {
        case "RS256": .rs256
        case "RS384": .rs384
        default: .rs512
        }
    }
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
    /// - Throws: `RSAGMPError` if RSAGMP refuses the key (it applies the same 2048-bit floor).
    public static func crossChecked(
        key: RSAPublicKey, algorithm: RSASignatureAlgorithm, keyID: String? = nil
    ) throws(RSAGMPError) -> JWSVerificationKey {
        let gmpKey = try RSAGMPPublicKey(modulus: key.modulus, exponent: key.exponent)
        let gmpAlgorithm = algorithm.gmp
        return unsafe JWSVerificationKey(
            key: key, algorithm: algorithm, keyID: keyID,
            secondOpinion: SignatureSecondOpinion(name: "RSAGMP") { signature, message, alg in
                unsafe (alg == algorithm && gmpKey.isValidSignature(signature, for: message, algorithm: gmpAlgorithm))
            })
    }
}
