// SPDX-License-Identifier: Apache-2.0

import SignetKeys

/// A JWS whose signature verified: the header, the raw payload, and the key that verified it.
public struct VerifiedJWS: Sendable {
    /// The protected header.
    public let header: JSONObject
    /// The decoded payload bytes.
    public let payload: [UInt8]
    /// The algorithm that verified.
    public let algorithm: JWSAlgorithm
    /// The `kid` of the key that verified, if it has one.
    public let keyID: String?
}
