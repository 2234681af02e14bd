// SPDX-License-Identifier: Apache-2.0
import SignetRSA

/// An independent signature check run next to OpenSSL's (e.g. RSAGMP): when the two verdicts differ the verifier
/// throws `signature.cross-check-disagreement` instead of trusting either.
@safe public struct SignatureSecondOpinion: Sendable {
    /// A name for messages, e.g. `RSAGMP`.
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
}
