// SPDX-License-Identifier: Apache-2.0

/// A JWT whose signature verified and whose claims passed the policy.
public struct VerifiedJWT: Sendable {
    /// The verified JWS.
    public let jws: VerifiedJWS
    /// The validated claims.
    public let claims: JWTClaims
    /// The payload as a JSON object.
    public let payloadObject: JSONObject
}
