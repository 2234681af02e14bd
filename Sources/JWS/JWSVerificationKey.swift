// SPDX-License-Identifier: Apache-2.0

import SignetKeys

/// A public key bound to exactly one algorithm (RFC 8725 §3.1), with its `kid`.
///
/// The binding is checked when the key is made: an algorithm of another family (`ES256` with an RSA key, `EdDSA`
/// with an EC key) or another curve cannot be bound at all.
public struct JWSVerificationKey: Sendable {
    /// The `kid` tokens use to select this key, if any.
    public let keyID: String?
    /// The public key.
    public let key: JWSPublicKey
    /// The one algorithm this key verifies.
    public let algorithm: JWSAlgorithm
    /// An independent verifier whose verdict must agree with OpenSSL's, if any (see ``SignatureSecondOpinion``).
    public let secondOpinion: SignatureSecondOpinion?

    /// Binds an RSA `key` to `algorithm`.
    ///
    /// - Parameters:
    ///   - key: The public key.
    ///   - algorithm: The only algorithm it will verify.
    ///   - keyID: Its `kid`.
    ///   - secondOpinion: An independent implementation that must reach the same verdict on every signature.
    public init(
        key: RSAPublicKey, algorithm: RSASignatureAlgorithm, keyID: String? = nil,
        secondOpinion: SignatureSecondOpinion? = nil
    ) {
        self.key = .rsa(key)
        self.algorithm = JWSAlgorithm(algorithm)
        self.keyID = keyID
        self.secondOpinion = secondOpinion
    }

    /// Binds `key` to `algorithm`.
    ///
    /// - Parameters:
    ///   - key: The public key, of any family.
    ///   - algorithm: The only algorithm it will verify; must be of the key's family (and curve).
    ///   - keyID: Its `kid`.
    ///   - secondOpinion: An independent implementation that must reach the same verdict on every signature.
    /// - Throws: ``JWSError`` `configuration.invalid` when the key cannot verify `algorithm`.
    public init(
        key: JWSPublicKey, algorithm: JWSAlgorithm, keyID: String? = nil, secondOpinion: SignatureSecondOpinion? = nil
    ) throws(JWSError) {
        guard key.canVerify(algorithm) else {
            throw JWSError(
                .keyConfiguration,
                reason:
                    "a \(key.keyDescription) key cannot verify \(algorithm.jwsName); bind it to an algorithm of its own family"
            )
        }
        self.key = key
        self.algorithm = algorithm
        self.keyID = keyID
        self.secondOpinion = secondOpinion
    }

    /// Binds an EC key to the ES algorithm of its curve.
    ///
    /// - Parameters:
    ///   - key: The public key.
    ///   - keyID: Its `kid`.
    public init(key: ECPublicKey, keyID: String? = nil) {
        self.key = .ec(key)
        self.algorithm = JWSAlgorithm(ecdsa: key.curve)
        self.keyID = keyID
        self.secondOpinion = nil
    }

    /// Binds an Ed25519 key to EdDSA.
    ///
    /// - Parameters:
    ///   - key: The public key.
    ///   - keyID: Its `kid`.
    public init(key: Ed25519PublicKey, keyID: String? = nil) {
        self.key = .ed25519(key)
        self.algorithm = .edDSA
        self.keyID = keyID
        self.secondOpinion = nil
    }
}
