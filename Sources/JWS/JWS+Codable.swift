// SPDX-License-Identifier: Apache-2.0

import Foundation

extension JWSSigner {
    /// Encodes `payload` with `JSONEncoder` and returns the signed compact token.
    ///
    /// - Parameter payload: Any `Encodable` claims type.
    /// - Throws: ``JWSError`` `payload.codable` when encoding fails, `crypto.failure`.
    /// - Allocation: allocates (use ``sign(claims:into:)`` on the hot path).
    public func token<T: Encodable>(encoding payload: T) throws(JWSError) -> String {
        let data: Data
        do {
            data = try JSONEncoder().encode(payload)
        } catch {
            throw JWSError(
                .codable, segment: .payload, reason: "could not encode the payload: \(error)",
                underlying: error)
        }
        return try token(payload: Array(data))
    }
}

extension JWSVerifier {
    /// Verifies a JWT and decodes its (verified) payload as `Claims` with `JSONDecoder`.
    ///
    /// - Parameters:
    ///   - token: The compact token.
    ///   - type: The custom claims type.
    /// - Returns: The verified JWT and the decoded claims; nothing is decoded before the signature and the policy
    ///   have passed.
    /// - Throws: as ``verify(_:)-(String)``, or ``JWSError`` `payload.codable` when decoding fails.
    public func verify<Claims: Decodable>(
        _ token: String, as type: Claims.Type
    ) throws(JWSError) -> (VerifiedJWT, Claims) {
        let verified = try verify(token)
        do {
            return (verified, try JSONDecoder().decode(Claims.self, from: Data(verified.jws.payload)))
        } catch {
            throw JWSError(
                .codable, segment: .payload, reason: "the verified payload does not decode as \(Claims.self): \(error)",
                underlying: error)
        }
    }
}
