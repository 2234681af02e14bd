// SPDX-License-Identifier: Apache-2.0

import Foundation
import JWS
import JWTKit
import SignetKeys

/// jwt-kit's `JWTAlgorithm` on a Signet key: RS and PS sign on the engine the key chose at load (Signet's AVX-512
/// IFMA engine where the CPU has it and it is faster, else OpenSSL), ES and EdDSA verify on Signet's own verifier.
///
/// Any code written against jwt-kit's algorithm protocol takes it: `JWTPayload.verify(using:)`, and
/// ``SignetJWTKeyCollection``, which signs and verifies jwt-kit payloads with it. (jwt-kit 5.8's own
/// `JWTKeyCollection` cannot hold an algorithm from outside jwt-kit: its `add(_:for:)` is internal.)
public struct SignetJWTAlgorithm: JWTAlgorithm {
    /// The JWS algorithm the key is bound to.
    public let algorithm: JWSAlgorithm
    let signingKey: JWSSigningKey?
    /// The public key that verifies.
    public let publicKey: JWSPublicKey

    /// The algorithm's JWS name (`RS512`, `ES256`, …), as jwt-kit writes it in `alg`.
    public var name: String { algorithm.jwsName }

    /// A key that signs and verifies `algorithm`.
    ///
    /// - Parameters:
    ///   - key: The private key, of any family.
    ///   - algorithm: An algorithm of the key's family (and curve).
    /// - Throws: `JWSError` `configuration.invalid` when the key cannot sign `algorithm`.
    public init(key: JWSSigningKey, algorithm: JWSAlgorithm) throws(JWSError) {
        guard key.publicKey.canVerify(algorithm) else {
            throw JWSError(
                .keyConfiguration, reason: "a \(key.publicKey.keyDescription) key cannot sign \(algorithm.jwsName)")
        }
        self.algorithm = algorithm
        self.signingKey = key
        self.publicKey = key.publicKey
    }

    /// A key that only verifies `algorithm`.
    ///
    /// - Parameters:
    ///   - key: The public key, of any family.
    ///   - algorithm: An algorithm of the key's family (and curve).
    /// - Throws: `JWSError` `configuration.invalid` when the key cannot verify `algorithm`.
    public init(key: JWSPublicKey, algorithm: JWSAlgorithm) throws(JWSError) {
        guard key.canVerify(algorithm) else {
            throw JWSError(
                .keyConfiguration, reason: "a \(key.keyDescription) key cannot verify \(algorithm.jwsName)")
        }
        self.algorithm = algorithm
        self.signingKey = nil
        self.publicKey = key
    }

    /// The signature of `plaintext` (JWS form: `r ‖ s` for ECDSA).
    ///
    /// - Throws: `JWTError.signingAlgorithmFailure` wrapping the `SignetKeyError`, or for a key that only verifies.
    public func sign(_ plaintext: some DataProtocol) throws -> [UInt8] {
        guard let signingKey else {
            throw JWTError.signingAlgorithmFailure(
                JWSError(.keyConfiguration, reason: "this \(name) key only verifies: load the private key to sign"))
        }
        do {
            return try signingKey.signature(for: Array(plaintext), algorithm: algorithm)
        } catch {
            throw JWTError.signingAlgorithmFailure(error)
        }
    }

    /// Whether `signature` is this key's signature of `plaintext` under ``algorithm``.
    public func verify(_ signature: some DataProtocol, signs plaintext: some DataProtocol) throws -> Bool {
        // Contiguous inputs (arrays, slices of the token, `Data`) are verified in place; others are copied once.
        let inPlace = signature.withContiguousStorageIfAvailable { s in
            plaintext.withContiguousStorageIfAvailable { m in
                unsafe publicKey.isValidSignature(
                    UnsafeRawBufferPointer(s), for: UnsafeRawBufferPointer(m), algorithm: algorithm)
            }
        }
        if let verdict = inPlace ?? nil { return verdict }
        return publicKey.isValidSignature(Array(signature), for: Array(plaintext), algorithm: algorithm)
    }
}
