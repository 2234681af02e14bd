// SPDX-License-Identifier: Apache-2.0
import SignetRSA

/// A public key bound to exactly one algorithm (RFC 8725 §3.1), with its `kid`.
public struct JWSVerificationKey: Sendable {
    /// The `kid` tokens use to select this key, if any.
    public let keyID: String?
    /// The public key.
    public let key: RSAPublicKey
    /// The one algorithm this key verifies.
    public let algorithm: RSASignatureAlgorithm
    /// An independent verifier whose verdict must agree with OpenSSL's, if any (see ``SignatureSecondOpinion``).
    public let secondOpinion: SignatureSecondOpinion?

    /// Binds `key` to `algorithm`.
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
        self.key = key
        self.algorithm = algorithm
        self.keyID = keyID
        self.secondOpinion = secondOpinion
    }
}
