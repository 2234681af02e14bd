// SPDX-License-Identifier: Apache-2.0

import SignetKeys

/// An independent signature check run next to OpenSSL's (e.g. GMPVerifier): when the two verdicts differ the verifier
/// throws `signature.cross-check-disagreement` instead of trusting either.
@safe public struct SignatureSecondOpinion: Sendable {
    /// A name for messages, e.g. `GMPVerifier`.
    public let name: String
    let check: @Sendable (UnsafeRawBufferPointer, UnsafeRawBufferPointer, JWSAlgorithm) -> Bool

    /// Creates a second opinion.
    ///
    /// - Parameters:
    ///   - name: A name for messages.
    ///   - check: Returns whether `signature` (first argument) is valid for `message` (second) under the algorithm.
    ///
    /// `@unsafe`: `check` receives raw buffers that are valid only during the call.
    @unsafe
    public init(
        name: String,
        check:
            @escaping @Sendable (
                _ signature: UnsafeRawBufferPointer, _ message: UnsafeRawBufferPointer, JWSAlgorithm
            ) -> Bool
    ) {
        self.name = name
        unsafe self.check = check
    }

    /// This opinion's verdict on `signature` (its JWS form) over `message` under `algorithm`.
    ///
    /// - Allocation: none beyond what the check itself does.
    public func isValid(_ signature: [UInt8], for message: [UInt8], algorithm: JWSAlgorithm) -> Bool {
        unsafe signature.withUnsafeBytes { s in unsafe message.withUnsafeBytes { m in unsafe check(s, m, algorithm) } }
    }

    /// Second opinions on keys met at run time (the keys of a JWK set the doctor examines): a ``SignatureSecondOpinion``
    /// for a key bound to an algorithm, or `nil` when this verifier has none for it. The JOSE layers take one of these
    /// instead of importing a verifier; `CrossCheck` provides GMPVerifier's.
    public struct Source: Sendable {
        /// A name for messages, e.g. `GMPVerifier`.
        public let name: String
        let make: @Sendable (JWSPublicKey, JWSAlgorithm) -> SignatureSecondOpinion?

        /// Creates a source.
        ///
        /// - Parameters:
        ///   - name: A name for messages.
        ///   - make: The second opinion for `key` bound to `algorithm`, or `nil` when there is none (the key is not of
        ///     the algorithm's family, or the verifier refuses it).
        public init(
            name: String,
            make: @escaping @Sendable (_ key: JWSPublicKey, _ algorithm: JWSAlgorithm) -> SignatureSecondOpinion?
        ) {
            self.name = name
            self.make = make
        }

        /// The second opinion for `key` bound to `algorithm`, or `nil` when this source has none.
        public func opinion(for key: JWSPublicKey, algorithm: JWSAlgorithm) -> SignatureSecondOpinion? {
            key.canVerify(algorithm) ? make(key, algorithm) : nil
        }
    }
}
