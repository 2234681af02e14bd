import JWS
import RSAGMP
// SPDX-License-Identifier: Apache-2.0
import SignetRSA

extension RSASignatureAlgorithm {
    /// The same algorithm in RSAGMP's terms (PKCS#1 v1.5, or EMSA-PSS with MGF1 on the same hash and a salt as long
    /// as the hash), or `nil` if RSAGMP had no verifier for it.
    var gmp: RSAGMPAlgorithm? { RSAGMPAlgorithm(jwsName: jwsName) }
}

extension ECCurve {
    /// The same curve in RSAGMP's terms.
    var gmp: GMPCurve? { GMPCurve(jwkName: jwkName) }
}

/// RSAGMP's verifier for a key of any family, as a function of (signature, message, algorithm): RSA (PKCS#1 v1.5 and
/// PSS), ECDSA on P-256/384/521 (its own field arithmetic and SHA-2) or Ed25519 (its own Edwards arithmetic and
/// SHA-512). It answers `false` for an algorithm the key is not bound to.
@safe public struct GMPSecondOpinion: Sendable {
    /// Which of RSAGMP's verifiers this is (`RSAGMP`, `RSAGMP ECDSA` or `RSAGMP Ed25519`).
    public let name: String
    private let check: @Sendable (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Bool
    /// The only algorithm it verifies.
    public let algorithm: JWSAlgorithm

    /// RSAGMP's copy of `key`, bound to `algorithm`.
    ///
    /// - Throws: `RSAGMPError` if RSAGMP refuses the key, or `rsagmp.encoding-mismatch` when `algorithm` is not one
    ///   the key verifies.
    public init(key: JWSPublicKey, algorithm: JWSAlgorithm) throws(RSAGMPError) {
        self.algorithm = algorithm
        let name = algorithm.jwsName
        let description = key.keyDescription
        guard key.canVerify(algorithm) else {
            throw RSAGMPError(.encodingMismatch) { "a \(description) key cannot verify \(name)" }
        }
        switch key {
        case .rsa(let k):
            let gmpKey = try RSAGMPPublicKey(modulus: k.modulus, exponent: k.exponent)
            guard let gmpAlgorithm = algorithm.rsa?.gmp else {
                throw RSAGMPError(.encodingMismatch) { "RSAGMP has no independent verifier for \(name)" }
            }
            self.name = "RSAGMP"
            unsafe check = { s, m in unsafe gmpKey.isValidSignature(s, for: m, algorithm: gmpAlgorithm) }
        case .ec(let k):
            guard let curve = k.curve.gmp else {
                throw RSAGMPError(.encodingMismatch) { "RSAGMP has no independent verifier for \(name)" }
            }
            let gmpKey = try GMPECDSAPublicKey(curve: curve, x: k.x, y: k.y)
            let hash = gmpKey.curve.jwsHash
            self.name = "RSAGMP ECDSA"
            unsafe check = { s, m in unsafe gmpKey.isValidSignature(s, for: m, hash: hash) }
        case .ed25519(let k):
            let gmpKey = try GMPEd25519PublicKey(raw: k.rawRepresentation)
            self.name = "RSAGMP Ed25519"
            unsafe check = { s, m in unsafe gmpKey.isValidSignature(s, for: m) }
        }
    }

    /// RSAGMP's verdict on `signature` over `message` under `alg` (`false` for any algorithm but the bound one).
    @unsafe
    public func isValid(
        _ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer, alg: JWSAlgorithm
    ) -> Bool {
        unsafe (alg == algorithm && check(signature, message))
    }

    /// The array form of ``isValid(_:for:alg:)-(UnsafeRawBufferPointer,_,_)``: the signature in its JWS form (raw
    /// r‖s for ECDSA).
    public func isValid(_ signature: [UInt8], for message: [UInt8], alg: JWSAlgorithm) -> Bool {
        unsafe signature.withUnsafeBytes { s in
            unsafe message.withUnsafeBytes { m in unsafe isValid(s, for: m, alg: alg) }
        }
    }
}

extension JWSVerificationKey {
    /// A verification key of any family whose every verdict is cross-checked by RSAGMP: RSA (RS and PS, its own
    /// PKCS#1 v1.5 and EMSA-PSS encodings and GMP modular exponentiation), ECDSA on P-256/384/521 (SEC 1 and FIPS
    /// 186-5 on GMP integers) or Ed25519 (RFC 8032 on GMP integers). A disagreement rejects the token with
    /// `signature.cross-check-disagreement`.
    ///
    /// - Parameters:
    ///   - key: The public key (RSAGMP loads its own copy from the same numbers).
    ///   - algorithm: The only algorithm it verifies; of the key's family (and curve).
    ///   - keyID: Its `kid`.
    /// - Throws: `RSAGMPError` if RSAGMP refuses the key, or `rsagmp.encoding-mismatch` when `algorithm` is not one
    ///   the key verifies.
    public static func crossChecked(
        key: JWSPublicKey, algorithm: JWSAlgorithm, keyID: String? = nil
    ) throws(RSAGMPError) -> JWSVerificationKey {
        let second = try GMPSecondOpinion(key: key, algorithm: algorithm)
        do throws(JWSError) {
            return try unsafe JWSVerificationKey(
                key: key, algorithm: algorithm, keyID: keyID,
                secondOpinion: SignatureSecondOpinion(name: second.name) { signature, message, alg in
                    unsafe second.isValid(signature, for: message, alg: alg)
                })
        } catch {
            // Unreachable: GMPSecondOpinion already checked that the key verifies `algorithm`.
            throw RSAGMPError(.encodingMismatch) { error.reason }
        }
    }

    /// An EC key bound to its curve's ES algorithm, cross-checked by RSAGMP's own ECDSA (see
    /// ``crossChecked(key:algorithm:keyID:)``).
    ///
    /// - Parameters:
    ///   - key: The public key.
    ///   - keyID: Its `kid`.
    /// - Throws: `RSAGMPError` if RSAGMP refuses the key.
    public static func crossChecked(key: ECPublicKey, keyID: String? = nil) throws(RSAGMPError) -> JWSVerificationKey {
        try crossChecked(key: .ec(key), algorithm: JWSAlgorithm(ecdsa: key.curve), keyID: keyID)
    }

    /// An Ed25519 key bound to EdDSA, cross-checked by RSAGMP's own Ed25519 (see
    /// ``crossChecked(key:algorithm:keyID:)``).
    ///
    /// - Parameters:
    ///   - key: The public key.
    ///   - keyID: Its `kid`.
    /// - Throws: `RSAGMPError` if RSAGMP refuses the key.
    public static func crossChecked(
        key: Ed25519PublicKey, keyID: String? = nil
    ) throws(RSAGMPError)
        -> JWSVerificationKey
    {
        try crossChecked(key: .ed25519(key), algorithm: .edDSA, keyID: keyID)
    }
}
