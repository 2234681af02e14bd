// SPDX-License-Identifier: Apache-2.0

import GMPVerifier
import JWS
import SignetKeys

extension RSASignatureAlgorithm {
    /// The same algorithm in GMPVerifier's terms (PKCS#1 v1.5, or EMSA-PSS with MGF1 on the same hash and a salt as long
    /// as the hash), or `nil` if GMPVerifier had no verifier for it.
    var gmp: GMPRSAAlgorithm? { GMPRSAAlgorithm(jwsName: jwsName) }
}

extension ECCurve {
    /// The same curve in GMPVerifier's terms.
    var gmp: GMPCurve? { GMPCurve(jwkName: jwkName) }
}

/// GMPVerifier's verifier for a key of any family, as a function of (signature, message, algorithm): RSA (PKCS#1 v1.5 and
/// PSS), ECDSA on P-256/384/521 (its own field arithmetic and SHA-2) or Ed25519 (its own Edwards arithmetic and
/// SHA-512). It answers `false` for an algorithm the key is not bound to.
@safe public struct GMPSecondOpinion: Sendable {
    /// Which of GMPVerifier's verifiers this is (`GMPVerifier`, `GMPVerifier ECDSA` or `GMPVerifier Ed25519`).
    public let name: String
    private let check: @Sendable (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Bool
    /// The only algorithm it verifies.
    public let algorithm: JWSAlgorithm

    /// GMPVerifier's copy of `key`, bound to `algorithm`.
    ///
    /// - Throws: `GMPVerifierError` if GMPVerifier refuses the key, or `gmp.encoding-mismatch` when `algorithm` is not one
    ///   the key verifies.
    public init(key: JWSPublicKey, algorithm: JWSAlgorithm) throws(GMPVerifierError) {
        self.algorithm = algorithm
        let name = algorithm.jwsName
        let description = key.keyDescription
        guard key.canVerify(algorithm) else {
            throw GMPVerifierError(.encodingMismatch) { "a \(description) key cannot verify \(name)" }
        }
        switch key {
        case .rsa(let k):
            let gmpKey = try GMPRSAPublicKey(modulus: k.modulus, exponent: k.exponent)
            guard let gmpAlgorithm = algorithm.rsa?.gmp else {
                throw GMPVerifierError(.encodingMismatch) { "GMPVerifier has no independent verifier for \(name)" }
            }
            self.name = "GMPVerifier"
            unsafe check = { s, m in unsafe gmpKey.isValidSignature(s, for: m, algorithm: gmpAlgorithm) }
        case .ec(let k):
            guard let curve = k.curve.gmp else {
                throw GMPVerifierError(.encodingMismatch) { "GMPVerifier has no independent verifier for \(name)" }
            }
            let gmpKey = try GMPECDSAPublicKey(curve: curve, x: k.x, y: k.y)
            let hash = gmpKey.curve.jwsHash
            self.name = "GMPVerifier ECDSA"
            unsafe check = { s, m in unsafe gmpKey.isValidSignature(s, for: m, hash: hash) }
        case .ed25519(let k):
            let gmpKey = try GMPEd25519PublicKey(raw: k.rawRepresentation)
            self.name = "GMPVerifier Ed25519"
            unsafe check = { s, m in unsafe gmpKey.isValidSignature(s, for: m) }
        }
    }

    /// GMPVerifier's verdict on `signature` over `message` under `alg` (`false` for any algorithm but the bound one).
    @unsafe
    public func isValid(
        _ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer, alg: JWSAlgorithm
    ) -> Bool {
        unsafe (alg == algorithm && check(signature, message))
    }

    /// This verifier as the JOSE layers' seam: a `SignatureSecondOpinion` that `JWSVerificationKey` consults on
    /// every signature.
    public var signatureSecondOpinion: SignatureSecondOpinion {
        let opinion = self
        return unsafe SignatureSecondOpinion(name: name) { signature, message, alg in
            unsafe opinion.isValid(signature, for: message, alg: alg)
        }
    }

    /// The array form of ``isValid(_:for:alg:)-(UnsafeRawBufferPointer,_,_)``: the signature in its JWS form (raw
    /// r‖s for ECDSA).
    public func isValid(_ signature: [UInt8], for message: [UInt8], alg: JWSAlgorithm) -> Bool {
        unsafe signature.withUnsafeBytes { s in
            unsafe message.withUnsafeBytes { m in unsafe isValid(s, for: m, alg: alg) }
        }
    }
}

extension SignatureSecondOpinion.Source {
    /// GMPVerifier's second opinion on any key it loads (RSA, ECDSA on P-256/384/521, Ed25519): what `signet doctor`
    /// gives the doctor, so that `ClientAssertion` itself never imports a verifier.
    public static let gmpVerifier = SignatureSecondOpinion.Source(name: "GMPVerifier") { key, algorithm in
        (try? GMPSecondOpinion(key: key, algorithm: algorithm))?.signatureSecondOpinion
    }
}

extension JWSVerificationKey {
    /// A verification key of any family whose every verdict is cross-checked by GMPVerifier: RSA (RS and PS, its own
    /// PKCS#1 v1.5 and EMSA-PSS encodings and GMP modular exponentiation), ECDSA on P-256/384/521 (SEC 1 and FIPS
    /// 186-5 on GMP integers) or Ed25519 (RFC 8032 on GMP integers). A disagreement rejects the token with
    /// `signature.cross-check-disagreement`.
    ///
    /// - Parameters:
    ///   - key: The public key (GMPVerifier loads its own copy from the same numbers).
    ///   - algorithm: The only algorithm it verifies; of the key's family (and curve).
    ///   - keyID: Its `kid`.
    /// - Throws: `GMPVerifierError` if GMPVerifier refuses the key, or `gmp.encoding-mismatch` when `algorithm` is not one
    ///   the key verifies.
    public static func crossChecked(
        key: JWSPublicKey, algorithm: JWSAlgorithm, keyID: String? = nil
    ) throws(GMPVerifierError) -> JWSVerificationKey {
        let second = try GMPSecondOpinion(key: key, algorithm: algorithm)
        do throws(JWSError) {
            return try JWSVerificationKey(
                key: key, algorithm: algorithm, keyID: keyID, secondOpinion: second.signatureSecondOpinion)
        } catch {
            // Unreachable: GMPSecondOpinion already checked that the key verifies `algorithm`.
            throw GMPVerifierError(.encodingMismatch) { error.reason }
        }
    }

    /// An EC key bound to its curve's ES algorithm, cross-checked by GMPVerifier's own ECDSA (see
    /// ``crossChecked(key:algorithm:keyID:)``).
    ///
    /// - Parameters:
    ///   - key: The public key.
    ///   - keyID: Its `kid`.
    /// - Throws: `GMPVerifierError` if GMPVerifier refuses the key.
    public static func crossChecked(
        key: ECPublicKey, keyID: String? = nil
    ) throws(GMPVerifierError) -> JWSVerificationKey {
        try crossChecked(key: .ec(key), algorithm: JWSAlgorithm(ecdsa: key.curve), keyID: keyID)
    }

    /// An Ed25519 key bound to EdDSA, cross-checked by GMPVerifier's own Ed25519 (see
    /// ``crossChecked(key:algorithm:keyID:)``).
    ///
    /// - Parameters:
    ///   - key: The public key.
    ///   - keyID: Its `kid`.
    /// - Throws: `GMPVerifierError` if GMPVerifier refuses the key.
    public static func crossChecked(
        key: Ed25519PublicKey, keyID: String? = nil
    ) throws(GMPVerifierError)
        -> JWSVerificationKey
    {
        try crossChecked(key: .ed25519(key), algorithm: .edDSA, keyID: keyID)
    }
}
